r"""The vanilla (Elman) recurrent cell: its state update, the unrolled chain, and BPTT.

One cell, five names, the contract every later cell follows::

    p = init(input_size=D, hidden_size=H, seed=0)       # Params: W_xh (H, D), W_hh (H, H), b_h (H,)
    h_t = step(p, x_t, h_prev)                          # (B, D), (B, H) -> (B, H)
    hs, cache = forward(p, xs, h0)                      # (T, B, D) -> (T, B, H)
    grads, dxs, dh0 = backward(p, cache, dhs, truncate=None)  # backpropagation through time

The state update :eq:`eq-state-update` is the classic :eq:`eq-classic-update` with a bias
(Elman 1990); BPTT is Werbos's (1990), truncated BPTT Williams and Peng's (1990). Letters: T time
steps, B batch, D inputs, H hidden units; arrays are time-major, a batch stacked in rows
(:math:`W_{xh} x_t` is ``x_t @ W_xh.T``); :math:`\delta_t` is ``delta``, :math:`f'(a_t)`
``fprime``. This is the plain code the book shows; :mod:`rnnbook.fast.rnn` computes the same
faster. Left out: layers, bidirectionality, dropout, the output layer (:mod:`rnnbook.readout`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from rnnbook import _rnn_checks, activations, initializers
from rnnbook.types import Array, Seed, as_generator

RECURRENT_INITS: tuple[str, ...] = ("uniform", "orthogonal", "identity")
"""How :func:`init` can draw :math:`W_{hh}`."""


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Params:
    r"""The parameters of a vanilla RNN cell, named as in the book.

    :math:`H (D + H + 1)` numbers :eq:`eq-state-count`. Also used for their gradients.

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
        checked = _rnn_checks.params_fields(self.W_xh, self.W_hh, self.b_h, self.activation)
        for name, value in zip(("W_xh", "W_hh", "b_h"), checked, strict=True):
            object.__setattr__(self, name, value)

    @property
    def input_size(self) -> int:
        """D, the number of input features per time step."""
        return int(self.W_xh.shape[1])

    @property
    def hidden_size(self) -> int:
        """H, the number of hidden units."""
        return int(self.W_xh.shape[0])


class Cache(NamedTuple):
    r"""What :func:`forward` keeps for :func:`backward`, and nothing else.

    Attributes
    ----------
    xs : ndarray of shape (T, B, D)
        The inputs :math:`x_t`, for :math:`\partial L/\partial W_{xh}`.
    states : ndarray of shape (T + 1, B, H)
        :math:`h_0, h_1, \dots, h_T`: the :math:`h_{t-1}` of :math:`\partial L/\partial W_{hh}`,
        and the :math:`h_t` that give :math:`f'(a_t)`.
    """

    xs: Array
    states: Array

    @classmethod
    def of(cls, xs: Array, states: Array) -> Cache:
        """``xs`` copied in the dtype of ``states``, and ``states``, both made read-only: changing
        the caller's inputs or the returned states cannot change what :func:`backward` gets."""
        xs = xs.astype(states.dtype, copy=True)
        xs.flags.writeable = states.flags.writeable = False
        return cls(xs, states)


def init(input_size: int, hidden_size: int, *, seed: Seed = None,
         activation: str = "tanh", recurrent: str = "uniform",
         spectral_radius: float | None = None, dtype: type = np.float64) -> Params:
    r"""Create the parameters of a vanilla RNN cell.

    :math:`W_{xh}` is drawn from :math:`\mathcal{U}(-1/\sqrt{H}, 1/\sqrt{H})` as PyTorch does,
    :math:`b_h = 0`.

    Parameters
    ----------
    input_size, hidden_size : int
        D and H, each >= 1.
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
    D, H = _rnn_checks.init_args(input_size, hidden_size, activation, recurrent, spectral_radius)
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
        W_hh = initializers.scale_to_spectral_radius(W_hh, float(spectral_radius))
    return Params(W_xh, W_hh, np.zeros(H, dtype=dtype), activation)


def step(params: Params, x_t: Array, h_prev: Array) -> Array:
    r"""Advance the hidden state by one time step: the state update :eq:`eq-state-update`.

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
        :math:`h_t = f(W_{xh} x_t + W_{hh} h_{t-1} + b_h)`.

    Examples
    --------
    >>> p = Params(W_xh=np.array([[0.5]]), W_hh=np.array([[0.8]]), b_h=np.array([0.1]))
    >>> step(p, x_t=np.array([[1.0]]), h_prev=np.array([[0.5]]))  # tanh(0.5 + 0.4 + 0.1)
    array([[0.76159416]])
    """
    x_t, h_prev = _rnn_checks.step_args(params, x_t, h_prev)
    return _step(params, x_t, h_prev)


def _step(params: Params, x_t: Array, h_prev: Array) -> Array:
    """The state update of step, for arguments that step or forward has checked."""
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
        The states :math:`h_1, \dots, h_T` of :eq:`eq-state-update` (read-only: they are also
        kept in ``cache``). :func:`rnnbook.fast.rnn.forward` computes the same faster.
    cache : Cache
        What :func:`backward` needs.

    Examples
    --------
    >>> p = init(input_size=3, hidden_size=8, seed=0)
    >>> hs, cache = forward(p, np.ones((5, 2, 3)))
    >>> hs.shape
    (5, 2, 8)
    """
    xs, h = _rnn_checks.forward_args(params, xs, h0)  # checked once; h0=None: zeros
    states = [h]                                      # h_0
    for x_t in xs:                                    # the unrolled chain, t = 1..T
        h = _step(params, x_t, h)                     # (B, H): h_t, step's arithmetic
        states.append(h)
    cache = Cache.of(xs, np.stack(states))            # for BPTT: x_t, and h_0..h_T
    return cache.states[1:], cache                    # (T, B, H): h_1..h_T


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
        :math:`\bar h_t = \partial L / \partial h_t` as the loss sees it, at every step (zeros
        but the last for a many-to-one loss).
    truncate : int, optional
        Truncated BPTT :eq:`eq-bptt-truncated`: each ``dhs[t]`` flows back through at most
        ``truncate`` state updates (>= 1). ``None``, or any value >= T, is full BPTT.

    Returns
    -------
    grads : Params
        The gradients of :math:`W_{xh}, W_{hh}, b_h`, with the activation of ``params``.
    dxs : ndarray of shape (T, B, D)
        :math:`\partial L / \partial x_t = W_{xh}^\top \delta_t`.
    dh0 : ndarray of shape (B, H)
        :math:`\partial L / \partial h_0`.

    Notes
    -----
    :math:`\delta_t` from :func:`bptt_deltas`, then the sums over time :eq:`eq-bptt-weights`.
    :func:`rnnbook.fast.rnn.backward` computes the same faster.

    Examples
    --------
    >>> p = init(input_size=3, hidden_size=8, seed=0)
    >>> hs, cache = forward(p, np.ones((5, 2, 3)))
    >>> grads, dxs, dh0 = backward(p, cache, dhs=np.ones_like(hs))
    >>> grads.W_hh.shape, dxs.shape, dh0.shape
    ((8, 8), (5, 2, 3), (2, 8))
    """
    deltas, dh0 = bptt_deltas(params, cache, dhs, truncate)  # checks the arguments
    xs, h_prev = cache.xs, cache.states[:-1]                  # x_t, h_{t-1}
    sum_tb = "tbi,tbj->ij"                                    # Σ over time t, batch b
    dW_xh = np.einsum(sum_tb, deltas, xs, optimize=True)      # (H, D): Σ_t δ_t x_tᵀ
    dW_hh = np.einsum(sum_tb, deltas, h_prev, optimize=True)  # (H, H): Σ_t δ_t h_{t-1}ᵀ
    db_h = deltas.sum(axis=(0, 1))                            # (H,): Σ_t δ_t
    dxs = deltas @ params.W_xh                                # (T, B, D): W_xhᵀ δ_t
    return Params(dW_xh, dW_hh, db_h, params.activation), dxs, dh0


def bptt_deltas(params: Params, cache: Cache, dhs: Array,
                truncate: int | None = None) -> tuple[Array, Array]:
    r"""The backward sweep of BPTT: :math:`\delta_t = \partial L / \partial a_t` for every step.

    Parameters
    ----------
    params, cache, dhs, truncate
        As for :func:`backward`.

    Returns
    -------
    deltas : ndarray of shape (T, B, H)
        :math:`\delta_t` (``deltas[t - 1]``), or :math:`\delta_t^{(k)}` with ``truncate=k``.
    dh0 : ndarray of shape (B, H)
        :math:`\partial L / \partial h_0`.

    Notes
    -----
    One sweep from :math:`t = T` down to 1 of :eq:`eq-bptt-dh` and :eq:`eq-bptt-delta`, with
    :math:`f'(a_t)` written from :math:`h_t`: it adds up :eq:`eq-bptt-unrolled` without forming
    a product of Jacobians. Truncated to k, each loss term walks back on its own through at most
    k state updates :eq:`eq-bptt-truncated`.
    """
    dhs, truncate = _rnn_checks.backward_args(params, cache, dhs, truncate)
    f = activations.get(params.activation)       # f'(a_t) is written from h_t = f(a_t):
    fprime = f.df_from_output(cache.states[1:])  # (T, B, H): f'(a_t)
    if truncate is not None and truncate < len(dhs):
        return _truncated_deltas(params.W_hh, fprime, dhs, truncate)
    deltas = np.zeros_like(dhs)                  # (T, B, H): δ_t, t = 1, ..., T
    from_next = np.zeros_like(dhs[0])            # (B, H): W_hhᵀ δ_{t+1}, zero at t = T
    for t in reversed(range(len(dhs))):          # t = T, ..., 1
        dL_dh = dhs[t] + from_next               # (B, H): ∂L/∂h_t
        deltas[t] = fprime[t] * dL_dh            # (B, H): δ_t = f'(a_t) ⊙ ∂L/∂h_t
        from_next = deltas[t] @ params.W_hh      # (B, H): W_hhᵀ δ_t, on to h_{t-1}
    return deltas, from_next                     # from_next is now ∂L/∂h_0


def _truncated_deltas(W_hh: Array, fprime: Array, dhs: Array,
                      k: int) -> tuple[Array, Array]:
    """δ_t^(k) and ∂L/∂h_0: each loss term walks back through at most k updates."""
    deltas = np.zeros_like(dhs)                  # (T, B, H)
    dh0 = np.zeros_like(dhs[0])                  # (B, H)
    for s in range(len(dhs)):                    # the loss term at step s
        dL_dh = dhs[s]                           # (B, H): its gradient on h_s
        for t in range(s, max(s - k, -1), -1):   # t = s, s-1, ..., s-k+1
            delta = fprime[t] * dL_dh            # (B, H): its share of δ_t
            deltas[t] += delta
            dL_dh = delta @ W_hh                 # (B, H): back through one state update
        if s < k:                                # it walked back past step 1:
            dh0 += dL_dh                         # its share of ∂L/∂h_0
    return deltas, dh0
