r"""The vanilla (Elman) recurrent cell: its state update, the unrolled chain, and BPTT.

One cell, five names, the contract every later cell follows::

    p = init(input_size=D, hidden_size=H, seed=0)       # Params: W_xh (H, D), W_hh (H, H), b_h (H,)
    h_t = step(p, x_t, h_prev)                          # (B, D), (B, H) -> (B, H)
    hs, cache = forward(p, xs, h0)                      # (T, B, D) -> (T, B, H)
    grads, dxs, dh0 = backward(p, cache, dhs)           # backpropagation through time
    grads, dxs, dh0 = backward(p, cache, dhs, truncate=k)

The state update, equation (eq-state-update) of the book, is

.. math:: h_t = f(a_t), \qquad a_t = W_{xh} x_t + W_{hh} h_{t-1} + b_h,

the classic :math:`S_t = f(W_l x_t + W S_{t-1})` with :math:`W_l = W_{xh}`, :math:`W = W_{hh}` and
a bias added (Elman 1990). Shapes are time-major like PyTorch's default. Letters: T time steps,
B batch, D input features, H hidden units. In code the batch is stacked in rows, so
:math:`W_{xh} x_t` is written ``x_t @ W_xh.T``.

Backpropagation through time (Werbos 1990) is one backward sweep. With
:math:`\delta_t = \partial L / \partial a_t`,

.. math::
    \frac{\partial L}{\partial h_t} = \bar h_t + W_{hh}^\top \delta_{t+1}, \qquad
    \delta_t = f'(a_t) \odot \frac{\partial L}{\partial h_t}, \qquad
    \frac{\partial L}{\partial W_{hh}} = \sum_t \delta_t h_{t-1}^\top,

where :math:`\bar h_t` (``dhs[t]``) is the gradient the loss sends to :math:`h_t` directly. The
weight gradients are summed over time and batch in one matrix product each.

Truncated BPTT (Williams & Peng 1990) with ``truncate=k`` lets the gradient of each loss term
flow back through at most k state updates: :math:`\bar h_t` reaches :math:`a_t, a_{t-1}, \dots,
a_{t-k+1}` and no further, as if :math:`h_{t-k}` were a constant. It costs O(T k) instead of O(T).

Left out on purpose: multiple layers, bidirectionality and dropout (later chapters compose cells),
and any output layer (:mod:`rnnbook.readout`, composed with the cell in :mod:`rnnbook.patterns`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from rnnbook import _checks, activations, initializers
from rnnbook.types import Array, Seed, as_generator

RECURRENT_INITS: tuple[str, ...] = ("uniform", "orthogonal", "identity")
"""How :func:`init` can draw :math:`W_{hh}`."""


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Params:
    r"""The parameters of a vanilla RNN cell, named as in the book.

    Also used for their gradients: :func:`backward` returns a ``Params`` of gradients.

    Parameters
    ----------
    W_xh : ndarray of shape (H, D)
        Input-to-hidden weights, :math:`W_{xh}` (the classic :math:`W_l`).
    W_hh : ndarray of shape (H, H)
        Hidden-to-hidden (recurrent) weights, :math:`W_{hh}` (the classic :math:`W`).
    b_h : ndarray of shape (H,)
        Hidden bias, :math:`b_h`.
    activation : {"tanh", "relu", "sigmoid", "identity"}, default "tanh"
        The nonlinearity :math:`f`. It belongs to the parameters, so a ReLU network converted from
        PyTorch stays ReLU.

    Raises
    ------
    ValueError, TypeError
        If a weight is not a finite real array of the shape above, or the activation is unknown.
    """

    W_xh: Array
    W_hh: Array
    b_h: Array
    activation: str = "tanh"

    def __post_init__(self) -> None:
        W_xh = _checks.float_array(self.W_xh, "W_xh", ndim=2, layout="(H, D)")
        H = W_xh.shape[0]
        W_hh = _checks.float_array(self.W_hh, "W_hh", ndim=2, layout="(H, H)")
        _checks.expect_shape(W_hh, "W_hh", (H, H), "(H, H)", f"(H={H} rows of W_xh)")
        b_h = _checks.float_array(self.b_h, "b_h", ndim=1, layout="(H,)")
        _checks.expect_shape(b_h, "b_h", (H,), "(H,)", f"(H={H} rows of W_xh)")
        _checks.choice(self.activation, "activation", activations.NAMES)
        dtype = np.result_type(W_xh, W_hh, b_h)
        object.__setattr__(self, "W_xh", W_xh.astype(dtype, copy=False))
        object.__setattr__(self, "W_hh", W_hh.astype(dtype, copy=False))
        object.__setattr__(self, "b_h", b_h.astype(dtype, copy=False))

    @property
    def input_size(self) -> int:
        """D, the number of input features per time step."""
        return int(self.W_xh.shape[1])

    @property
    def hidden_size(self) -> int:
        """H, the number of hidden units."""
        return int(self.W_xh.shape[0])


class Cache(NamedTuple):
    """What :func:`forward` keeps for :func:`backward`, and nothing else.

    Attributes
    ----------
    xs : ndarray of shape (T, B, D)
        A read-only copy of the inputs, in the dtype of the states, for
        :math:`\\partial L/\\partial W_{xh} = \\sum_t \\delta_t x_t^\\top`.
    states : ndarray of shape (T + 1, B, H)
        :math:`h_0, h_1, \\dots, h_T`: the previous states for :math:`\\partial L/\\partial W_{hh}`
        and the outputs from which :math:`f'(a_t)` is computed. Read-only.
    """

    xs: Array
    states: Array


def init(input_size: int, hidden_size: int, *, seed: Seed = None,
         activation: str = "tanh", recurrent: str = "uniform",
         spectral_radius: float | None = None, dtype: type = np.float64) -> Params:
    r"""Create the parameters of a vanilla RNN cell.

    :math:`W_{xh}` is drawn from :math:`\mathcal{U}(-1/\sqrt{H}, 1/\sqrt{H})` as PyTorch does,
    :math:`b_h = 0`, and :math:`W_{hh}` as ``recurrent`` says.

    Parameters
    ----------
    input_size : int
        D, >= 1.
    hidden_size : int
        H, >= 1.
    seed : int, numpy.random.Generator or None
        Source of randomness; ``None`` seeds from the operating system.
    activation : {"tanh", "relu", "sigmoid", "identity"}, default "tanh"
    recurrent : {"uniform", "orthogonal", "identity"}, default "uniform"
        :math:`\mathcal{U}(-1/\sqrt{H}, 1/\sqrt{H})` (PyTorch's default), a random orthogonal
        matrix (:func:`rnnbook.initializers.orthogonal`) or the identity
        (:func:`rnnbook.initializers.identity`, the IRNN of Le et al. 2015 when used with ReLU).
    spectral_radius : float, optional
        If given, :math:`W_{hh}` is rescaled to have this spectral radius.
    dtype : numpy floating type, default float64

    Returns
    -------
    Params

    Examples
    --------
    >>> p = init(input_size=3, hidden_size=8, seed=0)
    >>> p.W_xh.shape, p.W_hh.shape, p.b_h.shape
    ((8, 3), (8, 8), (8,))
    """
    D = _checks.positive_int(input_size, "input_size")
    H = _checks.positive_int(hidden_size, "hidden_size")
    _checks.choice(activation, "activation", activations.NAMES)
    _checks.choice(recurrent, "recurrent", RECURRENT_INITS)
    if spectral_radius is not None:
        spectral_radius = _checks.positive_float(spectral_radius, "spectral_radius")
    rng = as_generator(seed)
    s = 1.0 / np.sqrt(H)
    W_xh = initializers.uniform((H, D), s, seed=rng, dtype=dtype)                    # (H, D)
    if recurrent == "uniform":
        W_hh = initializers.uniform((H, H), s, seed=rng, dtype=dtype)                # (H, H)
    elif recurrent == "orthogonal":
        W_hh = initializers.orthogonal(H, seed=rng, dtype=dtype)                     # (H, H)
    else:
        W_hh = initializers.identity(H, dtype=dtype)                                 # (H, H)
    if spectral_radius is not None:
        W_hh = initializers.scale_to_spectral_radius(W_hh, spectral_radius)
    return Params(W_xh, W_hh, np.zeros(H, dtype=dtype), activation)


def _check_params(params: object) -> None:
    _checks.instance(params, "params", Params, "an rnn.Params")


def _check_inputs(params: Params, x: object, x_name: str, layout: str) -> Array:
    """Validate inputs ``x`` whose last axis must be D = ``params.input_size``."""
    _check_params(params)
    arr = _checks.float_array(x, x_name, ndim=layout.count(",") + 1, layout=layout)
    if arr.shape[-1] != params.input_size:
        raise ValueError(
            f"{x_name} must have shape {layout} with D={params.input_size}, the input_size of "
            f"params (W_xh has shape {_checks.shape_str(params.W_xh.shape)}); "
            f"got shape {_checks.shape_str(arr.shape)}"
        )
    return arr


def _check_state(h: object, name: str, batch: int, params: Params) -> Array:
    """Validate a state of shape (B, H) against the batch of the inputs and ``params``."""
    arr = _checks.float_array(h, name, ndim=2, layout="(B, H)")
    _checks.expect_shape(arr, name, (batch, params.hidden_size), "(B, H)",
                         f"(B={batch} from the inputs, H={params.hidden_size} from params)")
    return arr


def step(params: Params, x_t: Array, h_prev: Array) -> Array:
    r"""Advance the hidden state by one time step.

    Parameters
    ----------
    params : Params
    x_t : ndarray of shape (B, D)
        The input at time t, one row per sequence in the batch.
    h_prev : ndarray of shape (B, H)
        The previous state :math:`h_{t-1}`.

    Returns
    -------
    h_t : ndarray of shape (B, H)

    Notes
    -----
    Implements equation (eq-state-update),
    :math:`h_t = f(W_{xh} x_t + W_{hh} h_{t-1} + b_h)`.

    Examples
    --------
    >>> p = Params(W_xh=np.array([[0.5]]), W_hh=np.array([[0.8]]), b_h=np.array([0.1]))
    >>> step(p, x_t=np.array([[1.0]]), h_prev=np.array([[0.5]]))  # tanh(0.5 + 0.4 + 0.1)
    array([[0.76159416]])
    """
    x_t = _check_inputs(params, x_t, "x_t", "(B, D)")
    h_prev = _check_state(h_prev, "h_prev", x_t.shape[0], params)
    f = activations.get(params.activation).f
    a_t = x_t @ params.W_xh.T + h_prev @ params.W_hh.T + params.b_h  # (B, H)
    return f(a_t)                                                    # (B, H)


def forward(params: Params, xs: Array, h0: Array | None = None) -> tuple[Array, Cache]:
    r"""Run the cell over a batch of sequences: the unrolled chain.

    Parameters
    ----------
    params : Params
    xs : ndarray of shape (T, B, D)
        Inputs, time-major.
    h0 : ndarray of shape (B, H), optional
        The initial state :math:`h_0`; ``None`` means zeros.

    Returns
    -------
    hs : ndarray of shape (T, B, H)
        The states :math:`h_1, \dots, h_T` (read-only: they are also kept in ``cache``).
    cache : Cache
        What :func:`backward` needs.

    Notes
    -----
    Applies equation (eq-state-update) for :math:`t = 1, \dots, T`. The input terms
    :math:`W_{xh} x_t + b_h` of every step are one matrix product before the loop; only
    :math:`W_{hh} h_{t-1}` has to wait for the previous step.

    Examples
    --------
    >>> p = init(input_size=3, hidden_size=8, seed=0)
    >>> hs, cache = forward(p, np.ones((5, 2, 3)))
    >>> hs.shape
    (5, 2, 8)
    """
    xs = _check_inputs(params, xs, "xs", "(T, B, D)")
    if h0 is not None:
        h0 = _check_state(h0, "h0", xs.shape[1], params)
    return _forward(params, xs, h0)


def _forward(params: Params, xs: Array, h0: Array | None) -> tuple[Array, Cache]:
    T, B, D = xs.shape
    H = params.hidden_size
    dtype = np.result_type(params.W_xh, xs, *(() if h0 is None else (h0,)))
    f_in_place = activations.get(params.activation).f_in_place  # a <- f(a), overwriting a
    states = np.empty((T + 1, B, H), dtype=dtype)  # (T+1, B, H): h_0, h_1, ..., h_T
    states[0] = 0.0 if h0 is None else h0
    xw = states[1:]                                # (T, B, H), filled with W_xh x_t + b_h
    np.matmul(xs.reshape(T * B, D), params.W_xh.T, out=xw.reshape(T * B, H))
    xw += params.b_h
    W_hh_T = params.W_hh.T
    rec = np.empty((B, H), dtype=dtype)            # (B, H): W_hh h_{t-1}, one buffer for all t
    # The loop makes no new arrays: a_t is formed in the slot of h_t, which then overwrites it.
    for t in range(1, T + 1):
        a_t = xw[t - 1]                                   # (B, H): W_xh x_t + b_h, in states[t]
        a_t += np.matmul(states[t - 1], W_hh_T, out=rec)  # (B, H): a_t, adding W_hh h_{t-1}
        f_in_place(a_t)                                   # (B, H): h_t = f(a_t), in states[t]
    states.flags.writeable = False
    xs = xs.astype(dtype, copy=True)               # (T, B, D): the cache's own, so that changing
    xs.flags.writeable = False                     # the caller's array cannot change backward
    return states[1:], Cache(xs, states)


def backward(params: Params, cache: Cache, dhs: Array,
             truncate: int | None = None) -> tuple[Params, Array, Array]:
    r"""Backpropagation through time: gradients of a loss from its gradients on every state.

    Parameters
    ----------
    params : Params
        The parameters ``cache`` was computed with.
    cache : Cache
        From :func:`forward`.
    dhs : ndarray of shape (T, B, H)
        :math:`\bar h_t = \partial L / \partial h_t` as the loss sees it, for every step (for a
        many-to-one loss, zeros except at the last step).
    truncate : int, optional
        Truncated BPTT: each ``dhs[t]`` flows back through at most ``truncate`` state updates
        (>= 1). ``None``, or any value >= T, is full BPTT.

    Returns
    -------
    grads : Params
        :math:`\partial L / \partial W_{xh}`, :math:`\partial L / \partial W_{hh}`,
        :math:`\partial L / \partial b_h`, with the activation of ``params``.
    dxs : ndarray of shape (T, B, D)
        :math:`\partial L / \partial x_t`.
    dh0 : ndarray of shape (B, H)
        :math:`\partial L / \partial h_0`.

    Notes
    -----
    Full BPTT is one backward sweep, O(T):
    :math:`\delta_t = f'(a_t) \odot (\bar h_t + W_{hh}^\top \delta_{t+1})`, then
    :math:`\partial L/\partial W_{xh} = \sum_t \delta_t x_t^\top`,
    :math:`\partial L/\partial W_{hh} = \sum_t \delta_t h_{t-1}^\top`,
    :math:`\partial L/\partial b_h = \sum_t \delta_t`, :math:`\partial L/\partial x_t = W_{xh}^\top
    \delta_t` and :math:`\partial L/\partial h_0 = W_{hh}^\top \delta_1`, each sum over time and
    batch a single matrix product. :math:`f'(a_t)` is computed from :math:`h_t`
    (``Activation.df_from_output`` in :mod:`rnnbook.activations`).

    Examples
    --------
    >>> p = init(input_size=3, hidden_size=8, seed=0)
    >>> hs, cache = forward(p, np.ones((5, 2, 3)))
    >>> grads, dxs, dh0 = backward(p, cache, dhs=np.ones_like(hs))
    >>> grads.W_hh.shape, dxs.shape, dh0.shape
    ((8, 8), (5, 2, 3), (2, 8))
    """
    _check_params(params)
    if not isinstance(cache, Cache):
        raise TypeError(f"cache must be the rnn.Cache returned by rnn.forward; "
                        f"got {type(cache).__name__}")
    T, B, D = cache.xs.shape
    H = cache.states.shape[2]
    if (D, H) != (params.input_size, params.hidden_size):
        raise ValueError(
            f"cache was computed for input_size={D}, hidden_size={H} but params have "
            f"input_size={params.input_size}, hidden_size={params.hidden_size}"
        )
    dhs = _checks.float_array(dhs, "dhs", ndim=3, layout="(T, B, H)")
    _checks.expect_shape(dhs, "dhs", (T, B, H), "(T, B, H)", "(the shape of hs from forward)")
    if truncate is not None:
        truncate = _checks.positive_int(truncate, "truncate")
    dhs = dhs.astype(cache.states.dtype, copy=False)  # compute in the dtype of the forward pass
    return _backward(params, cache, dhs, truncate)


def _backward(params: Params, cache: Cache, dhs: Array,
              truncate: int | None) -> tuple[Params, Array, Array]:
    xs, states = cache
    T, B, D = xs.shape
    H = params.hidden_size
    dfdh = activations.get(params.activation).df_from_output
    if truncate is None or truncate >= T:
        da, dh0 = _deltas_full(params.W_hh, dfdh(states[1:]), dhs)
    else:
        da, dh0 = _deltas_truncated(params.W_hh, dfdh(states[1:]), dhs, truncate)
    da_2d = da.reshape(T * B, H)                                  # (T*B, H): δ_t, stacked
    dW_xh = da_2d.T @ xs.reshape(T * B, D)                        # (H, D): Σ_t δ_t x_tᵀ
    dW_hh = da_2d.T @ states[:-1].reshape(T * B, H)               # (H, H): Σ_t δ_t h_{t-1}ᵀ
    db_h = da_2d.sum(axis=0)                                      # (H,):   Σ_t δ_t
    dxs = da @ params.W_xh                                        # (T, B, D): W_xhᵀ δ_t
    return Params(dW_xh, dW_hh, db_h, params.activation), dxs, dh0


def _deltas_full(W_hh: Array, fprime: Array, dhs: Array) -> tuple[Array, Array]:
    """δ_t for every t by one backward sweep. ``fprime`` (T, B, H) is overwritten with δ."""
    da = fprime                                   # (T, B, H): f'(a_t), becomes δ_t in place
    dh = np.zeros_like(dhs[0])                    # (B, H): ∂L/∂h_t from steps after t
    for t in range(len(dhs) - 1, -1, -1):
        dh += dhs[t]                              # (B, H): total ∂L/∂h_t
        da[t] *= dh                               # (B, H): δ_t = f'(a_t) ⊙ ∂L/∂h_t
        dh = da[t] @ W_hh                         # (B, H): ∂L/∂h_{t-1} = W_hhᵀ δ_t
    return da, dh


def _deltas_truncated(W_hh: Array, fprime: Array, dhs: Array,
                      k: int) -> tuple[Array, Array]:
    """δ_t under truncation to ``k`` < T steps, all loss terms at once, one lag at a time.

    At lag j, ``g[i]`` is the gradient of loss term i + j with respect to state i (both
    0-based into ``hs``); one more lag moves every term's gradient back one state update.
    """
    T = len(dhs)
    da = np.zeros_like(fprime)                    # (T, B, H)
    dh0 = np.zeros_like(dhs[0])                   # (B, H)
    g = dhs                                       # (T, B, H) at lag 0
    for j in range(k):
        delta = g * fprime[: T - j]               # (T-j, B, H): term i+j's share of δ_i
        da[: T - j] += delta
        dh0 += delta[0] @ W_hh                    # (B, H): term j reaches h_0 (j + 1 <= k updates)
        g = delta[1:] @ W_hh                      # (T-j-1, B, H): back through one more update
    return da, dh0
