r"""The long short-term memory cell (LSTM): gates, a cell state, and BPTT through both.

The five names of :mod:`rnnbook.rnn`, with a second state, the cell state :math:`c_t`::

    p = init(input_size=D, hidden_size=H, seed=0)  # W_xi, W_hi, b_i, ...
    h_t, c_t = step(p, x_t, h_prev, c_prev)         # each (B, H)
    hs, cache = forward(p, xs, h0, c0)              # (T, B, D) -> (T, B, H)
    grads, dxs, dh0, dc0 = backward(p, cache, dhs, dc_last, truncate=k)

One state update is chapter 6's :eq:`eq-lstm-candidate` to :eq:`eq-lstm-hidden` (Hochreiter &
Schmidhuber 1997, with the forget gate of Gers, Schmidhuber & Cummins 2000): the input gate
:math:`i_t` decides how much of the candidate :math:`g_t` is written into the cell state, the
forget gate :math:`f_t` how much of it is kept, the output gate :math:`o_t` how much is shown,
:math:`c_t = f_t \odot c_{t-1} + i_t \odot g_t` and :math:`h_t = o_t \odot \tanh(c_t)`. Along the
cell state the gradient is multiplied by :math:`f_t` alone :eq:`eq-lstm-dc`. The gates are in
PyTorch's order i, f, g, o, so that :mod:`rnnbook.interop` maps ``torch.nn.LSTM`` exactly (CS231n
orders them i, f, o, g). Letters: T time, B batch, D input, H hidden; time-major, the batch in
rows (:math:`W_{xi} x_t` is ``x_t @ W_xi.T``). Left out: peepholes, projections, several layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from rnnbook import _checks, _gated_checks, initializers
from rnnbook.activations import sigmoid
from rnnbook.types import Array, Seed, as_generator

GATES: tuple[str, ...] = ("i", "f", "g", "o")
"""The gates in PyTorch's order: input, forget, candidate (the cell input), output."""


@dataclass(frozen=True, eq=False, kw_only=True)  # twelve arrays: name them when you build one
class Params:
    r"""The parameters of an LSTM cell, three per gate, named as in the book.

    Also the container of their gradients. Build one with keywords,
    ``Params(W_xi=..., W_hi=..., b_i=..., ...)``; a bad array raises an error naming it.

    Parameters
    ----------
    W_xi, W_xf, W_xg, W_xo : ndarray of shape (H, D)
        Input weights of the input gate, forget gate, candidate and output gate.
    W_hi, W_hf, W_hg, W_ho : ndarray of shape (H, H)
        Their recurrent weights.
    b_i, b_f, b_g, b_o : ndarray of shape (H,)
        Their biases (PyTorch's ``b_ih + b_hh``).
    """

    W_xi: Array
    W_hi: Array
    b_i: Array
    W_xf: Array
    W_hf: Array
    b_f: Array
    W_xg: Array
    W_hg: Array
    b_g: Array
    W_xo: Array
    W_ho: Array
    b_o: Array

    def __post_init__(self) -> None:
        _gated_checks.gate_weights(self, tuple(f"W_x{n}" for n in GATES),
                                  tuple(f"W_h{n}" for n in GATES), tuple(f"b_{n}" for n in GATES))

    @property
    def input_size(self) -> int:
        """D, the number of input features per time step."""
        return int(self.W_xi.shape[1])

    @property
    def hidden_size(self) -> int:
        """H, the number of hidden units (and of cell-state units)."""
        return int(self.W_xi.shape[0])


class Cache(NamedTuple):
    r"""What :func:`forward` keeps for :func:`backward`, and nothing else. All read-only.

    Attributes
    ----------
    xs : ndarray of shape (T, B, D)
        A copy of the inputs.
    states, cells : ndarray of shape (T + 1, B, H)
        :math:`h_0, \dots, h_T` and :math:`c_0, \dots, c_T`; ``cells[-1]`` is :math:`c_T`.
    i, f, g, o : ndarray of shape (T, B, H)
        The gates at every step (entry ``t`` is step t + 1), whose derivatives are written from
        them: :math:`\sigma' = \sigma (1 - \sigma)`, :math:`\tanh' = 1 - \tanh^2`.
    """

    xs: Array
    states: Array
    cells: Array
    i: Array
    f: Array
    g: Array
    o: Array


def init(input_size: int, hidden_size: int, *, seed: Seed = None, forget_bias: float = 1.0,
         dtype: type = np.float64) -> Params:
    r"""Create the parameters of an LSTM cell.

    Every weight is drawn from :math:`\mathcal{U}(-1/\sqrt{H}, 1/\sqrt{H})`, as PyTorch does;
    the biases are 0 except the forget gate's, :math:`b_f = 1` by default: a fresh cell's forget
    gates then sit near :math:`\sigma(1) \approx 0.73` instead of :math:`1/2`, so that it
    remembers, and passes gradient back, over more steps (Jozefowicz, Zaremba & Sutskever 2015;
    measured in chapter 6, :ref:`sec-lstm-forget-bias`).

    Parameters
    ----------
    input_size, hidden_size : int
        D and H, >= 1.
    seed : int, numpy.random.Generator or None
    forget_bias : float, default 1.0
        The initial :math:`b_f` (0 is PyTorch's start).
    dtype : numpy floating type, default float64

    Returns
    -------
    Params

    Examples
    --------
    >>> p = init(input_size=3, hidden_size=8, seed=0)
    >>> p.W_xi.shape, p.W_hf.shape, p.b_f[:3]
    ((8, 3), (8, 8), array([1., 1., 1.]))
    """
    D = _checks.positive_int(input_size, "input_size")
    H = _checks.positive_int(hidden_size, "hidden_size")
    b_f = _checks.finite_float(forget_bias, "forget_bias")
    rng = as_generator(seed)
    s = 1.0 / np.sqrt(H)
    weights: dict[str, Array] = {}
    for n in GATES:
        weights[f"W_x{n}"] = initializers.uniform((H, D), s, seed=rng, dtype=dtype)  # (H, D)
        weights[f"W_h{n}"] = initializers.uniform((H, H), s, seed=rng, dtype=dtype)  # (H, H)
        weights[f"b_{n}"] = np.full(H, b_f if n == "f" else 0.0, dtype=dtype)        # (H,)
    return Params(**weights)


def _check_inputs(params: object, x: object, name: str, layout: str) -> tuple[Params, Array]:
    p = _checks.instance(params, "params", Params, "an lstm.Params")
    return p, _gated_checks.inputs(x, name, layout, p.input_size, "W_xi", p.W_xi.shape)


def _step(p: Params, x_t: Array, h_prev: Array, c_prev: Array
          ) -> tuple[Array, Array, tuple[Array, Array, Array, Array]]:
    """One state update, unchecked: the new states and the gates (i, f, g, o)."""
    i_t = sigmoid(x_t @ p.W_xi.T + h_prev @ p.W_hi.T + p.b_i)   # (B, H): input gate
    f_t = sigmoid(x_t @ p.W_xf.T + h_prev @ p.W_hf.T + p.b_f)   # (B, H): forget gate
    g_t = np.tanh(x_t @ p.W_xg.T + h_prev @ p.W_hg.T + p.b_g)   # (B, H): candidate
    o_t = sigmoid(x_t @ p.W_xo.T + h_prev @ p.W_ho.T + p.b_o)   # (B, H): output gate
    c_t = f_t * c_prev + i_t * g_t                              # (B, H): keep some, write some
    h_t = o_t * np.tanh(c_t)                                    # (B, H): show some
    return h_t, c_t, (i_t, f_t, g_t, o_t)


def step(params: Params, x_t: Array, h_prev: Array, c_prev: Array) -> tuple[Array, Array]:
    r"""Advance the hidden and cell states by one time step.

    Parameters
    ----------
    params : Params
    x_t : ndarray of shape (B, D)
        The input at time t.
    h_prev, c_prev : ndarray of shape (B, H)
        The previous hidden state :math:`h_{t-1}` and cell state :math:`c_{t-1}`.

    Returns
    -------
    h_t, c_t : ndarray of shape (B, H)

    Notes
    -----
    Equations :eq:`eq-lstm-candidate` to :eq:`eq-lstm-hidden`: the gates, then
    :math:`c_t = f_t \odot c_{t-1} + i_t \odot g_t` and :math:`h_t = o_t \odot \tanh(c_t)`.

    Examples
    --------
    >>> p = init(input_size=2, hidden_size=3, seed=0)
    >>> h, c = step(p, np.ones((4, 2)), np.zeros((4, 3)), np.zeros((4, 3)))
    >>> h.shape, c.shape
    ((4, 3), (4, 3))
    """
    params, x_t = _check_inputs(params, x_t, "x_t", "(B, D)")
    h_prev = _gated_checks.state(h_prev, "h_prev", x_t.shape[0], params.hidden_size)
    c_prev = _gated_checks.state(c_prev, "c_prev", x_t.shape[0], params.hidden_size)
    h_t, c_t, _ = _step(params, x_t, h_prev, c_prev)
    return h_t, c_t


def forward(params: Params, xs: Array, h0: Array | None = None,
            c0: Array | None = None) -> tuple[Array, Cache]:
    r"""Run the cell over a batch of sequences: the unrolled chain of :func:`step`.

    Parameters
    ----------
    params : Params
    xs : ndarray of shape (T, B, D)
        Inputs, time-major.
    h0, c0 : ndarray of shape (B, H), optional
        The initial hidden and cell states; ``None`` means zeros.

    Returns
    -------
    hs : ndarray of shape (T, B, H)
        :math:`h_1, \dots, h_T` (a read-only view of ``cache.states``).
    cache : Cache
        What :func:`backward` needs; ``cache.cells[-1]`` is the final cell state :math:`c_T`.

    Examples
    --------
    >>> p = init(input_size=3, hidden_size=8, seed=0)
    >>> hs, cache = forward(p, np.ones((5, 2, 3)))
    >>> hs.shape, cache.cells.shape, cache.f.shape
    ((5, 2, 8), (6, 2, 8), (5, 2, 8))
    """
    params, xs = _check_inputs(params, xs, "xs", "(T, B, D)")
    B, H = xs.shape[1], params.hidden_size
    h0 = None if h0 is None else _gated_checks.state(h0, "h0", B, H)
    c0 = None if c0 is None else _gated_checks.state(c0, "c0", B, H)
    dtype = np.result_type(params.W_xi, xs, *(s for s in (h0, c0) if s is not None))
    xs = xs.astype(dtype, copy=True)           # (T, B, D): the cache's own copy
    h = np.zeros((B, H), dtype) if h0 is None else h0.astype(dtype)   # (B, H)
    c = np.zeros((B, H), dtype) if c0 is None else c0.astype(dtype)   # (B, H)
    states, cells, gates = [h], [c], []
    for x_t in xs:                             # the unrolled chain, one state update per step
        h, c, gates_t = _step(params, x_t, h, c)
        states.append(h)
        cells.append(c)
        gates.append(gates_t)
    i, f, g, o = (np.stack(gate) for gate in zip(*gates, strict=True))   # (T, B, H) each
    cache = Cache(xs, np.stack(states), np.stack(cells), i, f, g, o)
    for array in cache:
        array.flags.writeable = False          # nothing may change what backward will read
    return cache.states[1:], cache


def backward(params: Params, cache: Cache, dhs: Array, dc_last: Array | None = None,
             truncate: int | None = None) -> tuple[Params, Array, Array, Array]:
    r"""Backpropagation through time through both states.

    Parameters
    ----------
    params : Params
        The parameters ``cache`` was computed with.
    cache : Cache
        From :func:`forward`.
    dhs : ndarray of shape (T, B, H)
        :math:`\bar h_t = \partial L / \partial h_t` as the loss sees it, for every step.
    dc_last : ndarray of shape (B, H), optional
        :math:`\partial L / \partial c_T` (when :math:`(h_T, c_T)` seeds a decoder, say);
        ``None`` means zeros.
    truncate : int, optional
        Truncated BPTT: each loss term (``dhs[t]``, and ``dc_last``, a term at time T) flows back
        through at most ``truncate`` state updates, as in :func:`rnnbook.rnn.backward`.
        ``None``, or any value >= T, is full BPTT.

    Returns
    -------
    grads : Params
        The gradient of every weight.
    dxs : ndarray of shape (T, B, D)
    dh0, dc0 : ndarray of shape (B, H)
        :math:`\partial L / \partial h_0` and :math:`\partial L / \partial c_0`.

    Notes
    -----
    One sweep from t = T down to 1 carries two gradients: on :math:`c_t`, the highway
    :eq:`eq-lstm-dc`, multiplied by the forget gate alone, and on :math:`h_t`. From them each
    gate's :math:`\delta` :eq:`eq-lstm-deltas`, the gradient on :math:`h_{t-1}` and the sums
    over time of the weight gradients :eq:`eq-lstm-dh`.

    Examples
    --------
    >>> p = init(input_size=3, hidden_size=8, seed=0)
    >>> hs, cache = forward(p, np.ones((5, 2, 3)))
    >>> grads, dxs, dh0, dc0 = backward(p, cache, dhs=np.ones_like(hs))
    >>> grads.W_hf.shape, dxs.shape, dh0.shape, dc0.shape
    ((8, 8), (5, 2, 3), (2, 8), (2, 8))
    """
    params, cache, dhs, k = _gated_checks.backward_args(params, cache, dhs, truncate,
                                                      (Params, Cache), "lstm")
    T, B, H = dhs.shape
    dc = np.zeros((B, H), dhs.dtype) if dc_last is None else \
        _gated_checks.state(dc_last, "dc_last", B, H).astype(dhs.dtype, copy=False)
    if k is None or k >= T:
        deltas, dh0, dc0 = _bptt(params, cache, dhs, dc)
    else:
        deltas, dh0, dc0 = _bptt_truncated(params, cache, dhs, dc, k)
    h_prev = cache.states[:-1]                         # (T, B, H): h_0 .. h_{T-1}
    grads: dict[str, Array] = {}
    for n, delta in zip(GATES, deltas, strict=True):   # each gate: δ_t (T, B, H) at every step
        grads[f"W_x{n}"] = np.tensordot(delta, cache.xs, axes=([0, 1], [0, 1]))  # Σ_t δ_t x_tᵀ
        grads[f"W_h{n}"] = np.tensordot(delta, h_prev, axes=([0, 1], [0, 1]))    # Σ_t δ_t h_{t-1}ᵀ
        grads[f"b_{n}"] = delta.sum(axis=(0, 1))                                # Σ_t δ_t
    dxs = (deltas[0] @ params.W_xi + deltas[1] @ params.W_xf
           + deltas[2] @ params.W_xg + deltas[3] @ params.W_xo)                  # (T, B, D)
    return Params(**grads), dxs, dh0, dc0


def _step_back(p: Params, gates: tuple[Array, ...], c_prev: Array, c_t: Array, dh: Array,
               dc: Array) -> tuple[Array, Array, Array]:
    """One state update backwards: from ∂L/∂h_t (total) and ∂L/∂c_t (carried back from
    t + 1), the δ of the four gates (stacked) and ∂L/∂h_{t-1}, ∂L/∂c_{t-1}."""
    i, f, g, o = gates
    tanh_c = np.tanh(c_t)                                   # (…, B, H)
    dc = dc + dh * o * (1 - tanh_c**2)                      # (…, B, H): total ∂L/∂c_t
    delta_i = dc * g * i * (1 - i)                          # (…, B, H): through i_t ⊙ g_t
    delta_f = dc * c_prev * f * (1 - f)                     # (…, B, H): through f_t ⊙ c_{t-1}
    delta_g = dc * i * (1 - g**2)                           # (…, B, H): through i_t ⊙ g_t
    delta_o = dh * tanh_c * o * (1 - o)                     # (…, B, H): through o_t ⊙ tanh c_t
    dh_prev = (delta_i @ p.W_hi + delta_f @ p.W_hf
               + delta_g @ p.W_hg + delta_o @ p.W_ho)      # (…, B, H): ∂L/∂h_{t-1}
    dc_prev = dc * f                                        # (…, B, H): ∂L/∂c_{t-1}, the highway
    return np.stack([delta_i, delta_f, delta_g, delta_o]), dh_prev, dc_prev


def _bptt(p: Params, cache: Cache, dhs: Array, dc_last: Array) -> tuple[Array, Array, Array]:
    """Full BPTT, one backward sweep: the δ of every gate (4, T, B, H), dh0 and dc0."""
    gates = (cache.i, cache.f, cache.g, cache.o)
    deltas = np.empty((4, *dhs.shape), dhs.dtype)  # (4, T, B, H): δ of i, f, g, o
    dh = np.zeros_like(dhs[0])                     # (B, H): ∂L/∂h_t from the steps after t
    dc = dc_last                                   # (B, H): ∂L/∂c_t from the steps after t
    for t in range(len(dhs) - 1, -1, -1):
        gates_t = tuple(gate[t] for gate in gates)
        deltas[:, t], dh, dc = _step_back(p, gates_t, cache.cells[t], cache.cells[t + 1],
                                          dhs[t] + dh, dc)
    return deltas, dh, dc


def _bptt_truncated(p: Params, cache: Cache, dhs: Array, dc_last: Array,
                    k: int) -> tuple[Array, Array, Array]:
    """Truncated to ``k`` < T updates: all loss terms at once, one lag at a time.

    At lag j, position s holds the gradient of loss term s + j on the states after step s
    (0-based); one more lag moves every term's gradient back one state update.
    """
    T = len(dhs)
    gates = (cache.i, cache.f, cache.g, cache.o)
    deltas = np.zeros((4, *dhs.shape), dhs.dtype)   # (4, T, B, H)
    dh0, dc0 = np.zeros_like(dc_last), np.zeros_like(dc_last)
    gh = dhs                                        # (T, B, H): each term's gradient on h
    gc = np.zeros_like(dhs)                         # (T, B, H): ... and on c, at lag 0
    gc[-1] = dc_last                                # ∂L/∂c_T is a term at time T
    for j in range(k):
        reach = T - j                               # positions still within reach
        d, gh, gc = _step_back(p, tuple(gate[:reach] for gate in gates), cache.cells[:reach],
                               cache.cells[1:reach + 1], gh, gc)
        deltas[:, :reach] += d
        dh0 += gh[0]                                # term j reaches h_0, c_0 (j + 1 <= k updates)
        dc0 += gc[0]
        gh, gc = gh[1:], gc[1:]
    return deltas, dh0, dc0
