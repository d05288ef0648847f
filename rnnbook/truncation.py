r"""Truncated BPTT in numbers: the part of the gradient it gives up, and the work it does.

Truncated BPTT (Williams & Peng 1990), ``rnn.backward(..., truncate=k)``, lets the gradient of
each loss term flow back through at most k state updates :eq:`eq-bptt-truncated`. Two numbers
say what that trade is worth:

- :func:`truncation_error`: how far the truncated gradient is from the full one, for each k
  :eq:`eq-bptt-trunc-error`;
- :func:`backward_work`: how many products with :math:`W_{hh}` one backward pass performs
  :eq:`eq-bptt-work`, a count that, unlike a stopwatch, gives the same answer on every machine.

Both are exact arithmetic; timing and memory, which are not, are in :mod:`rnnbook.measure`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks, rnn
from rnnbook.fast import rnn as fast_rnn
from rnnbook.types import Array


def _flat(grads: rnn.Params) -> Array:
    """The gradients of W_xh, W_hh and b_h as one vector."""
    return np.concatenate([grads.W_xh.ravel(), grads.W_hh.ravel(), grads.b_h.ravel()])


def truncation_error(params: rnn.Params, xs: Array, dhs: Array, ks: Sequence[int],
                     h0: Array | None = None) -> NDArray[np.float64]:
    r"""Relative error :eq:`eq-bptt-trunc-error` of truncated BPTT against full BPTT, for each k.

    Parameters
    ----------
    params : rnn.Params
    xs : ndarray of shape (T, B, D)
        Inputs.
    dhs : ndarray of shape (T, B, H)
        :math:`\bar h_t`, the gradient the loss sends to every state directly (as for
        :func:`rnnbook.rnn.backward`).
    ks : sequence of int
        Truncation lengths, each >= 1. Any k >= T is full BPTT (error 0).
    h0 : ndarray of shape (B, H), optional
        Initial state; zeros if omitted.

    Returns
    -------
    ndarray of shape (len(ks),)
        :math:`e(k)` for each k.

    Notes
    -----
    With :math:`g` the gradients of :math:`W_{xh}, W_{hh}, b_h` stacked into one vector by full
    BPTT and :math:`g^{(k)}` the same with ``truncate=k``,

    .. math:: e(k) = \frac{\lVert g^{(k)} - g \rVert_2}{\lVert g \rVert_2},

    the fraction of the gradient that truncation loses (0 if :math:`g = 0`). Computed with
    :mod:`rnnbook.fast.rnn`, which the tests hold equal to :mod:`rnnbook.rnn`.

    Examples
    --------
    >>> p = rnn.init(input_size=2, hidden_size=4, seed=0)
    >>> xs, dhs = np.ones((6, 1, 2)), np.ones((6, 1, 4))
    >>> err = truncation_error(p, xs, dhs, ks=[1, 3, 6])
    >>> bool(err[0] > err[1] > 0.0), float(err[2])
    (True, 0.0)
    """
    ks = [_checks.positive_int(k, "ks[i]") for k in ks]
    if not ks:
        raise ValueError("ks must hold at least one truncation length")
    _, cache = fast_rnn.forward(params, xs, h0)   # the fast path: equal to rnn's to 1e-12
    full, _, _ = fast_rnn.backward(params, cache, dhs)
    g = _flat(full)
    norm = float(np.linalg.norm(g))
    errors = np.empty(len(ks))
    for i, k in enumerate(ks):
        g_k = _flat(fast_rnn.backward(params, cache, dhs, truncate=k)[0])
        errors[i] = 0.0 if norm == 0.0 else float(np.linalg.norm(g_k - g)) / norm
    return errors


def backward_work(T: int, truncate: int | None = None) -> int:
    r"""How many products with :math:`W_{hh}` one backward pass performs :eq:`eq-bptt-work`.

    Each product is one :math:`(B, H) \times (H, H)` block, whether :func:`rnnbook.rnn.backward`
    multiplies the blocks one at a time or :func:`rnnbook.fast.rnn.backward` several at once.

    Parameters
    ----------
    T : int
        Sequence length, >= 1.
    truncate : int, optional
        k of truncated BPTT; ``None`` (or k >= T) is full BPTT.

    Returns
    -------
    int

    Notes
    -----
    Full BPTT carries every loss term back together in one sweep: T products (the last one gives
    :math:`\partial L / \partial h_0`). Truncated BPTT must carry each loss term back on its own,
    since each stops at a different step; term s travels :math:`\min(k, s)` updates, so

    .. math:: \sum_{s=1}^{T} \min(k, s) = kT - \frac{k(k-1)}{2} \qquad (k \le T),

    about k times the work of full BPTT.

    Examples
    --------
    >>> backward_work(100), backward_work(100, truncate=10), backward_work(100, truncate=100)
    (100, 955, 100)
    """
    T = _checks.positive_int(T, "T")
    k = None if truncate is None else _checks.positive_int(truncate, "truncate")
    if k is None or k >= T:
        return T
    return k * T - k * (k - 1) // 2
