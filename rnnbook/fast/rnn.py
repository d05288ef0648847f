r"""The vanilla cell's forward pass and BPTT, fast: what :mod:`rnnbook.rnn` computes, sooner.

Same arguments, same results (to rounding: the tests hold them equal to 1e-12), same
:class:`rnnbook.rnn.Cache`, so the two mix freely (``fast.rnn.backward`` on the cache of
``rnn.forward`` and the other way round). Where the time goes, and what is done about it:

- the input terms :math:`W_{xh} x_t + b_h` do not depend on the state: one matrix product for all
  T steps before the loop, written straight into the array of states;
- the loop then adds :math:`W_{hh} h_{t-1}` and applies :math:`f` in place, making no new array
  per step (``Activation.f_in_place``);
- backward overwrites :math:`f'(a_t)` with :math:`\delta_t` in place, and sums the weight
  gradients over time and batch in one matrix product each;
- truncated BPTT moves all loss terms back together, one lag at a time (k iterations, each one
  product over every term) instead of each term on its own (about kT small products).

Table 1 of ``make bench`` gives the ratio of the plain code's time to this one's.
"""

from __future__ import annotations

import numpy as np

from rnnbook import _rnn_checks, activations
from rnnbook.rnn import Cache, Params
from rnnbook.types import Array


def forward(params: Params, xs: Array, h0: Array | None = None) -> tuple[Array, Cache]:
    r"""Run the cell over a batch of sequences: :func:`rnnbook.rnn.forward`, faster.

    Parameters
    ----------
    params : rnnbook.rnn.Params
    xs : ndarray of shape (T, B, D)
        Inputs, time-major.
    h0 : ndarray of shape (B, H), optional
        The initial state :math:`h_0`; ``None`` means zeros.

    Returns
    -------
    hs : ndarray of shape (T, B, H)
        The states :math:`h_1, \dots, h_T` of :eq:`eq-state-update` (read-only: they are also
        kept in ``cache``).
    cache : rnnbook.rnn.Cache
        What :func:`backward` (or :func:`rnnbook.rnn.backward`) needs.

    Examples
    --------
    >>> from rnnbook import rnn
    >>> p = rnn.init(input_size=3, hidden_size=8, seed=0)
    >>> hs, _ = forward(p, np.ones((5, 2, 3)))
    >>> bool(np.allclose(hs, rnn.forward(p, np.ones((5, 2, 3)))[0], rtol=1e-12, atol=0))
    True
    """
    xs, h0 = _rnn_checks.forward_args(params, xs, h0)
    T, B, D = xs.shape
    H = params.hidden_size
    dtype = np.result_type(params.W_xh, xs, h0)
    f_in_place = activations.get(params.activation).f_in_place  # a <- f(a), overwriting a
    states = np.empty((T + 1, B, H), dtype=dtype)  # (T+1, B, H): h_0, h_1, ..., h_T
    states[0] = h0
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
    cache = Cache.of(xs, states)
    return cache.states[1:], cache


def backward(params: Params, cache: Cache, dhs: Array,
             truncate: int | None = None) -> tuple[Params, Array, Array]:
    r"""Backpropagation through time: :func:`rnnbook.rnn.backward`, faster.

    Parameters
    ----------
    params : rnnbook.rnn.Params
        The parameters ``cache`` was computed with.
    cache : rnnbook.rnn.Cache
        From :func:`forward` or :func:`rnnbook.rnn.forward`.
    dhs : ndarray of shape (T, B, H)
        :math:`\bar h_t = \partial L / \partial h_t` as the loss sees it, for every step.
    truncate : int, optional
        Truncated BPTT :eq:`eq-bptt-truncated` to this many state updates (>= 1); ``None``, or
        any value >= T, is full BPTT.

    Returns
    -------
    grads : rnnbook.rnn.Params
        The gradients :eq:`eq-bptt-weights` of :math:`W_{xh}`, :math:`W_{hh}`, :math:`b_h`.
    dxs : ndarray of shape (T, B, D)
        :math:`\partial L / \partial x_t = W_{xh}^\top \delta_t`.
    dh0 : ndarray of shape (B, H)
        :math:`\partial L / \partial h_0`.

    Examples
    --------
    >>> from rnnbook import rnn
    >>> p = rnn.init(input_size=3, hidden_size=8, seed=0)
    >>> hs, cache = forward(p, np.ones((5, 2, 3)))
    >>> fast, plain = backward(p, cache, np.ones_like(hs)), rnn.backward(p, cache, np.ones_like(hs))
    >>> bool(np.allclose(fast[0].W_hh, plain[0].W_hh, rtol=1e-12, atol=0))
    True
    """
    dhs, truncate = _rnn_checks.backward_args(params, cache, dhs, truncate)
    xs, states = cache
    T, B, D = xs.shape
    H = params.hidden_size
    fprime = activations.get(params.activation).df_from_output(states[1:])  # (T, B, H), new
    if truncate is None or truncate >= T:
        deltas, dh0 = _deltas_full(params.W_hh, fprime, dhs)
    else:
        deltas, dh0 = _deltas_truncated(params.W_hh, fprime, dhs, truncate)
    deltas_2d = deltas.reshape(T * B, H)                          # (T*B, H): δ_t, stacked
    dW_xh = deltas_2d.T @ xs.reshape(T * B, D)                    # (H, D): Σ_t δ_t x_tᵀ
    dW_hh = deltas_2d.T @ states[:-1].reshape(T * B, H)           # (H, H): Σ_t δ_t h_{t-1}ᵀ
    db_h = deltas_2d.sum(axis=0)                                  # (H,):   Σ_t δ_t
    dxs = deltas @ params.W_xh                                    # (T, B, D): W_xhᵀ δ_t
    return Params(dW_xh, dW_hh, db_h, params.activation), dxs, dh0


def _deltas_full(W_hh: Array, fprime: Array, dhs: Array) -> tuple[Array, Array]:
    """δ_t for every t by one backward sweep; ``fprime`` (T, B, H) is overwritten with δ."""
    deltas = fprime                               # (T, B, H): f'(a_t), becomes δ_t in place
    dh = np.zeros_like(dhs[0])                    # (B, H): ∂L/∂h_t from steps after t
    for t in range(len(dhs) - 1, -1, -1):
        dh += dhs[t]                              # (B, H): total ∂L/∂h_t
        deltas[t] *= dh                           # (B, H): δ_t = f'(a_t) ⊙ ∂L/∂h_t
        dh = deltas[t] @ W_hh                     # (B, H): ∂L/∂h_{t-1} = W_hhᵀ δ_t
    return deltas, dh


def _deltas_truncated(W_hh: Array, fprime: Array, dhs: Array,
                      k: int) -> tuple[Array, Array]:
    """δ_t under truncation to ``k`` < T steps, all loss terms at once, one lag at a time.

    At lag j, ``g[i]`` is the gradient of loss term i + j with respect to state i (both
    0-based into ``hs``); one more lag moves every term's gradient back one state update.
    """
    T = len(dhs)
    deltas = np.zeros_like(fprime)                # (T, B, H)
    dh0 = np.zeros_like(dhs[0])                   # (B, H)
    g = dhs                                       # (T, B, H) at lag 0
    for j in range(k):
        delta = g * fprime[: T - j]               # (T-j, B, H): term i+j's share of δ_i
        deltas[: T - j] += delta
        dh0 += delta[0] @ W_hh                    # (B, H): term j reaches h_0 (j + 1 <= k updates)
        g = delta[1:] @ W_hh                      # (T-j-1, B, H): back through one more update
    return deltas, dh0
