r"""The gated recurrent unit (GRU): two gates, one state, and BPTT through it.

The five names of :mod:`rnnbook.rnn`::

    q = init(input_size=D, hidden_size=H, seed=0)  # W_xr, W_hr, b_r, ...
    h_t = step(q, x_t, h_prev)                      # (B, D), (B, H) -> (B, H)
    hs, cache = forward(q, xs, h0)                  # (T, B, D) -> (T, B, H)
    grads, dxs, dh0 = backward(q, cache, dhs, truncate=k)

One state update (Cho et al. 2014) is chapter 7's :eq:`eq-gru-update` to :eq:`eq-gru-candidate`:
the update gate :math:`z_t` decides how much of the old state is kept,
:math:`h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}`, the reset gate :math:`r_t` how much of it
the candidate :math:`n_t` sees. The reset acts where PyTorch and cuDNN apply it, on
:math:`W_{hn} h_{t-1} + b_{hn}`, so that :mod:`rnnbook.interop` maps ``torch.nn.GRU`` exactly;
``Params(reset="cho")`` selects Cho et al.'s placement, on :math:`h_{t-1}` before the matrix
:eq:`eq-gru-candidate-cho`, in the forward and the backward pass, so that the two can be compared
on the same weights. The candidate keeps two biases, :math:`b_{xn}` and :math:`b_{hn}`, because
the reset gate stands between them. Letters: T time steps, B batch, D input features, H hidden
units; time-major; the batch is stacked in rows. Truncated BPTT means what it means in
:func:`rnnbook.rnn.backward`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from rnnbook import _checks, _gated_checks, initializers
from rnnbook.activations import sigmoid
from rnnbook.types import Array, Seed, as_generator

GATES: tuple[str, ...] = ("r", "z", "n")
"""In PyTorch's order: reset gate, update gate, candidate (new state)."""

RESETS: tuple[str, ...] = ("pytorch", "cho")
"""Where the reset gate acts: on :math:`W_{hn} h_{t-1} + b_{hn}` (PyTorch) or on
:math:`h_{t-1}` before :math:`W_{hn}` (Cho et al. 2014)."""


@dataclass(frozen=True, eq=False, kw_only=True)  # ten arrays: name them when you build one
class Params:
    r"""The parameters of a GRU cell, named as in the book.

    Also the container of their gradients. Build one with keywords; a bad array or ``reset``
    raises an error naming it.

    Parameters
    ----------
    W_xr, W_xz, W_xn : ndarray of shape (H, D)
        Input weights of the reset gate, update gate and candidate.
    W_hr, W_hz, W_hn : ndarray of shape (H, H)
        Recurrent weights of the same three.
    b_r, b_z : ndarray of shape (H,)
        Gate biases (PyTorch's ``b_i· + b_h·``).
    b_xn, b_hn : ndarray of shape (H,)
        The candidate's two biases, outside and inside the reset (PyTorch's ``b_in``, ``b_hn``).
    reset : {"pytorch", "cho"}, default "pytorch"
        Where the reset gate acts: :eq:`eq-gru-candidate` or :eq:`eq-gru-candidate-cho`.
    """

    W_xr: Array
    W_hr: Array
    b_r: Array
    W_xz: Array
    W_hz: Array
    b_z: Array
    W_xn: Array
    W_hn: Array
    b_xn: Array
    b_hn: Array
    reset: str = "pytorch"

    def __post_init__(self) -> None:
        _gated_checks.gate_weights(self, ("W_xr", "W_xz", "W_xn"), ("W_hr", "W_hz", "W_hn"),
                                  ("b_r", "b_z", "b_xn", "b_hn"))
        _checks.choice(self.reset, "reset", RESETS)

    @property
    def input_size(self) -> int:
        """D, the number of input features per time step."""
        return int(self.W_xr.shape[1])

    @property
    def hidden_size(self) -> int:
        """H, the number of hidden units."""
        return int(self.W_xr.shape[0])


class Cache(NamedTuple):
    r"""What :func:`forward` keeps for :func:`backward`, and nothing else. All read-only.

    Attributes
    ----------
    xs : ndarray of shape (T, B, D)
        A copy of the inputs.
    states : ndarray of shape (T + 1, B, H)
        :math:`h_0, \dots, h_T`.
    r, z, n : ndarray of shape (T, B, H)
        The reset gate, update gate and candidate at every step (entry ``t`` is step t + 1).
    """

    xs: Array
    states: Array
    r: Array
    z: Array
    n: Array


def init(input_size: int, hidden_size: int, *, seed: Seed = None, reset: str = "pytorch",
         dtype: type = np.float64) -> Params:
    r"""Create the parameters of a GRU cell.

    Every weight is drawn from :math:`\mathcal{U}(-1/\sqrt{H}, 1/\sqrt{H})`, as PyTorch does;
    the biases are 0, so a fresh cell's update gates sit near 1/2 (chapter 7 measures what an
    update-gate bias of 1 changes, :ref:`sec-gru-compare`).

    Parameters
    ----------
    input_size, hidden_size : int
        D and H, >= 1.
    seed : int, numpy.random.Generator or None
    reset : {"pytorch", "cho"}, default "pytorch"
    dtype : numpy floating type, default float64

    Returns
    -------
    Params

    Examples
    --------
    >>> q = init(input_size=3, hidden_size=8, seed=0)
    >>> q.W_xr.shape, q.W_hn.shape, q.b_hn.shape, q.reset
    ((8, 3), (8, 8), (8,), 'pytorch')
    """
    D = _checks.positive_int(input_size, "input_size")
    H = _checks.positive_int(hidden_size, "hidden_size")
    _checks.choice(reset, "reset", RESETS)
    rng = as_generator(seed)
    s = 1.0 / np.sqrt(H)
    weights: dict[str, Array] = {}
    for n in GATES:
        weights[f"W_x{n}"] = initializers.uniform((H, D), s, seed=rng, dtype=dtype)  # (H, D)
        weights[f"W_h{n}"] = initializers.uniform((H, H), s, seed=rng, dtype=dtype)  # (H, H)
    for b in ("b_r", "b_z", "b_xn", "b_hn"):
        weights[b] = np.zeros(H, dtype=dtype)                                       # (H,)
    return Params(**weights, reset=reset)


def _check_inputs(params: object, x: object, name: str, layout: str) -> tuple[Params, Array]:
    p = _checks.instance(params, "params", Params, "a gru.Params")
    return p, _gated_checks.inputs(x, name, layout, p.input_size, "W_xr", p.W_xr.shape)


def _step(p: Params, x_t: Array, h_prev: Array) -> tuple[Array, tuple[Array, Array, Array]]:
    """One state update, unchecked: the new state and (r_t, z_t, n_t)."""
    r_t = sigmoid(x_t @ p.W_xr.T + h_prev @ p.W_hr.T + p.b_r)   # (B, H): reset gate
    z_t = sigmoid(x_t @ p.W_xz.T + h_prev @ p.W_hz.T + p.b_z)   # (B, H): update gate
    if p.reset == "pytorch":  # r_t scales W_hn h_{t-1} + b_hn
        n_t = np.tanh(x_t @ p.W_xn.T + p.b_xn + r_t * (h_prev @ p.W_hn.T + p.b_hn))  # (B, H)
    else:                     # Cho et al.: r_t scales h_{t-1} before W_hn
        n_t = np.tanh(x_t @ p.W_xn.T + p.b_xn + (r_t * h_prev) @ p.W_hn.T + p.b_hn)  # (B, H)
    h_t = (1 - z_t) * n_t + z_t * h_prev                        # (B, H): keep some, renew some
    return h_t, (r_t, z_t, n_t)


def step(params: Params, x_t: Array, h_prev: Array) -> Array:
    r"""Advance the hidden state by one time step.

    Parameters
    ----------
    params : Params
    x_t : ndarray of shape (B, D)
        The input at time t.
    h_prev : ndarray of shape (B, H)
        The previous state :math:`h_{t-1}`.

    Returns
    -------
    h_t : ndarray of shape (B, H)

    Notes
    -----
    Equations :eq:`eq-gru-update` to :eq:`eq-gru-candidate` (or :eq:`eq-gru-candidate-cho` with
    ``reset="cho"``): :math:`h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}`.

    Examples
    --------
    >>> q = init(input_size=2, hidden_size=3, seed=0)
    >>> step(q, np.ones((4, 2)), np.zeros((4, 3))).shape
    (4, 3)
    """
    params, x_t = _check_inputs(params, x_t, "x_t", "(B, D)")
    h_prev = _gated_checks.state(h_prev, "h_prev", x_t.shape[0], params.hidden_size)
    h_t, _ = _step(params, x_t, h_prev)
    return h_t


def forward(params: Params, xs: Array, h0: Array | None = None) -> tuple[Array, Cache]:
    r"""Run the cell over a batch of sequences: the unrolled chain of :func:`step`.

    Parameters
    ----------
    params : Params
    xs : ndarray of shape (T, B, D)
        Inputs, time-major.
    h0 : ndarray of shape (B, H), optional
        The initial state; ``None`` means zeros.

    Returns
    -------
    hs : ndarray of shape (T, B, H)
        :math:`h_1, \dots, h_T` (a read-only view of ``cache.states``).
    cache : Cache
        What :func:`backward` needs.

    Examples
    --------
    >>> q = init(input_size=3, hidden_size=8, seed=0)
    >>> hs, cache = forward(q, np.ones((5, 2, 3)))
    >>> hs.shape, cache.z.shape
    ((5, 2, 8), (5, 2, 8))
    """
    params, xs = _check_inputs(params, xs, "xs", "(T, B, D)")
    B, H = xs.shape[1], params.hidden_size
    h0 = None if h0 is None else _gated_checks.state(h0, "h0", B, H)
    dtype = np.result_type(params.W_xr, xs, *(() if h0 is None else (h0,)))
    xs = xs.astype(dtype, copy=True)           # (T, B, D): the cache's own copy
    h = np.zeros((B, H), dtype) if h0 is None else h0.astype(dtype)   # (B, H)
    states, gates = [h], []
    for x_t in xs:                             # the unrolled chain, one state update per step
        h, gates_t = _step(params, x_t, h)
        states.append(h)
        gates.append(gates_t)
    r, z, n = (np.stack(gate) for gate in zip(*gates, strict=True))   # (T, B, H) each
    cache = Cache(xs, np.stack(states), r, z, n)
    for array in cache:
        array.flags.writeable = False          # nothing may change what backward will read
    return cache.states[1:], cache


def backward(params: Params, cache: Cache, dhs: Array,
             truncate: int | None = None) -> tuple[Params, Array, Array]:
    r"""Backpropagation through time.

    Parameters
    ----------
    params : Params
        The parameters ``cache`` was computed with.
    cache : Cache
        From :func:`forward`.
    dhs : ndarray of shape (T, B, H)
        :math:`\bar h_t = \partial L / \partial h_t` as the loss sees it, for every step.
    truncate : int, optional
        Truncated BPTT: each ``dhs[t]`` flows back through at most ``truncate`` state updates,
        as in :func:`rnnbook.rnn.backward`. ``None``, or any value >= T, is full BPTT.

    Returns
    -------
    grads : Params
        The gradient of every weight, with the ``reset`` of ``params``.
    dxs : ndarray of shape (T, B, D)
    dh0 : ndarray of shape (B, H)

    Notes
    -----
    One sweep from t = T down to 1: each pre-activation's :math:`\delta` :eq:`eq-gru-deltas`,
    then :math:`\partial L/\partial h_{t-1}` :eq:`eq-gru-dh`, whose direct term
    :math:`z_t \odot \partial L/\partial h_t` passes back through no matrix. With Cho's
    placement the gradient reaching :math:`r_t \odot h_{t-1}` is :math:`W_{hn}^\top \delta^n_t`.

    Examples
    --------
    >>> q = init(input_size=3, hidden_size=8, seed=0)
    >>> hs, cache = forward(q, np.ones((5, 2, 3)))
    >>> grads, dxs, dh0 = backward(q, cache, dhs=np.ones_like(hs))
    >>> grads.W_hn.shape, dxs.shape, dh0.shape
    ((8, 8), (5, 2, 3), (2, 8))
    """
    params, cache, dhs, k = _gated_checks.backward_args(params, cache, dhs, truncate,
                                                      (Params, Cache), "gru")
    T = len(dhs)
    if k is None or k >= T:
        deltas, dh0 = _bptt(params, cache, dhs)
    else:
        deltas, dh0 = _bptt_truncated(params, cache, dhs, k)
    delta_r, delta_z, delta_n, delta_u = deltas                    # (T, B, H) each
    xs, h_prev = cache.xs, cache.states[:-1]                       # (T, B, D), (T, B, H)
    v = h_prev if params.reset == "pytorch" else cache.r * h_prev  # (T, B, H): W_hn multiplies v

    def outer(delta: Array, a: Array) -> Array:                    # Σ_t δ_t a_tᵀ, over t and b
        return np.tensordot(delta, a, axes=([0, 1], [0, 1]))

    grads = Params(W_xr=outer(delta_r, xs), W_hr=outer(delta_r, h_prev), b_r=delta_r.sum((0, 1)),
                   W_xz=outer(delta_z, xs), W_hz=outer(delta_z, h_prev), b_z=delta_z.sum((0, 1)),
                   W_xn=outer(delta_n, xs), W_hn=outer(delta_u, v), b_xn=delta_n.sum((0, 1)),
                   b_hn=delta_u.sum((0, 1)), reset=params.reset)
    dxs = delta_r @ params.W_xr + delta_z @ params.W_xz + delta_n @ params.W_xn   # (T, B, D)
    return grads, dxs, dh0


def _step_back(p: Params, gates: tuple[Array, ...], h_prev: Array,
               dh: Array) -> tuple[Array, Array]:
    """One state update backwards: from the total ∂L/∂h_t, the δ of r, z, n and of the term
    inside the reset, stacked, and ∂L/∂h_{t-1}. Any leading axes."""
    r, z, n = gates
    delta_n = dh * (1 - z) * (1 - n**2)                     # (…, B, H): through (1 - z_t) ⊙ n_t
    delta_z = dh * (h_prev - n) * z * (1 - z)               # (…, B, H): through z_t
    if p.reset == "pytorch":
        u = h_prev @ p.W_hn.T + p.b_hn                      # (…, B, H): W_hn h_{t-1} + b_hn
        delta_r = delta_n * u * r * (1 - r)                 # (…, B, H): through r_t ⊙ u_t
        delta_u = delta_n * r                               # (…, B, H): on u_t
        dh_prev = z * dh + delta_u @ p.W_hn                 # (…, B, H): direct path + via u_t
    else:
        d_rh = delta_n @ p.W_hn                             # (…, B, H): on r_t ⊙ h_{t-1}
        delta_r = d_rh * h_prev * r * (1 - r)               # (…, B, H)
        delta_u = delta_n                                   # (…, B, H)
        dh_prev = z * dh + d_rh * r                         # (…, B, H)
    dh_prev = dh_prev + delta_r @ p.W_hr + delta_z @ p.W_hz  # (…, B, H): ∂L/∂h_{t-1}
    return np.stack([delta_r, delta_z, delta_n, delta_u]), dh_prev


def _bptt(p: Params, cache: Cache, dhs: Array) -> tuple[Array, Array]:
    """Full BPTT, one backward sweep: the δs (4, T, B, H) and dh0."""
    gates = (cache.r, cache.z, cache.n)
    deltas = np.empty((4, *dhs.shape), dhs.dtype)  # (4, T, B, H): δ of r, z, n, u
    dh = np.zeros_like(dhs[0])                     # (B, H): ∂L/∂h_t from the steps after t
    for t in range(len(dhs) - 1, -1, -1):
        deltas[:, t], dh = _step_back(p, tuple(gate[t] for gate in gates), cache.states[t],
                                      dhs[t] + dh)
    return deltas, dh


def _bptt_truncated(p: Params, cache: Cache, dhs: Array, k: int) -> tuple[Array, Array]:
    """Truncated to ``k`` < T updates: all loss terms at once, one lag at a time (as in
    :mod:`rnnbook.lstm`): at lag j, position s holds loss term s + j's gradient on h_{s+1}."""
    T = len(dhs)
    gates = (cache.r, cache.z, cache.n)
    deltas = np.zeros((4, *dhs.shape), dhs.dtype)   # (4, T, B, H)
    dh0 = np.zeros_like(dhs[0])                     # (B, H)
    g = dhs                                         # (T, B, H) at lag 0
    for j in range(k):
        reach = T - j                               # positions still within reach
        d, g = _step_back(p, tuple(gate[:reach] for gate in gates), cache.states[:reach], g)
        deltas[:, :reach] += d
        dh0 += g[0]                                 # term j reaches h_0 (j + 1 <= k updates)
        g = g[1:]
    return deltas, dh0
