r"""Sequences of different lengths in one batch: padding, the mask, and each sequence's real end.

A batch is one array of shape (T, B, D), so a sequence shorter than T is *padded*: the steps
after its real end, :math:`t > n_b`, hold zeros. The *mask* says which steps are real,

.. math:: m_{t,b} = 1 \text{ if } t \le n_b, \quad 0 \text{ otherwise},

and four things keep padding from changing any result:

- padding goes at the end, so a cell that reads left to right meets every real step before any
  padding: its states at the real steps are those of the sequence alone;
- a many-to-one network reads each sequence's *last real state* :math:`h_{n_b}`, not
  :math:`h_T` (:func:`last`; its gradient goes back to that step only, :func:`last_backward`);
- a loss with a term at every step counts the real steps only (:func:`cross_entropy`);
- a cell that reads right to left starts at each sequence's real end (:func:`reverse`).

Lengths :math:`n_b` are integers in 1..T, one per sequence, shape (B,).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rnnbook import _checks, losses
from rnnbook.types import Array

Lengths = NDArray[np.int64]
"""The real length :math:`n_b` of every sequence of a batch: integers in 1..T, shape (B,)."""


def check_lengths(lengths: object, T: int, B: int) -> Lengths:
    """Return ``lengths`` as an int64 array of shape (B,) with values in 1..T, or raise.

    Parameters
    ----------
    lengths : array_like of int, or None
        ``None`` means that every sequence is T steps long.
    T, B : int
        The number of steps and of sequences of the batch.

    Returns
    -------
    ndarray of int64, shape (B,)
    """
    if lengths is None:
        return np.full(B, T, dtype=np.int64)
    arr = np.asarray(lengths)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"lengths must be integers, one per sequence; got dtype {arr.dtype}")
    _checks.expect_shape(arr, "lengths", (B,), "(B,)", f"(one length per sequence, B={B})")
    if arr.min() < 1 or arr.max() > T:
        bad = arr.min() if arr.min() < 1 else arr.max()
        raise ValueError(f"lengths must lie in 1..T = 1..{T}; got {bad}")
    return arr.astype(np.int64)


def pad(sequences: Sequence[ArrayLike], length: int | None = None) -> tuple[Array, Lengths]:
    r"""Put sequences of different lengths into one batch, zeros after each one's end.

    Parameters
    ----------
    sequences : sequence of B arrays of shape (n_b, D)
        The sequences, each with its own number of steps :math:`n_b \ge 1`.
    length : int, optional
        T, the padded length; at least the longest :math:`n_b`, which is the default.

    Returns
    -------
    xs : ndarray of shape (T, B, D)
        ``xs[:n_b, b]`` is sequence b, ``xs[n_b:, b]`` zeros.
    lengths : ndarray of int64, shape (B,)

    Examples
    --------
    >>> xs, lengths = pad([np.ones((2, 1)), 2 * np.ones((3, 1))])
    >>> xs[..., 0].T, lengths
    (array([[1., 1., 0.],
           [2., 2., 2.]]), array([2, 3]))
    """
    if len(sequences) == 0:
        raise ValueError("sequences must hold at least one sequence; got none")
    arrays = [_checks.float_array(s, f"sequences[{b}]", ndim=2, layout="(n_b, D)")
              for b, s in enumerate(sequences)]
    D = arrays[0].shape[1]
    for b, s in enumerate(arrays):
        _checks.expect_shape(s, f"sequences[{b}]", (len(s), D), "(n_b, D)",
                             f"(D={D} as sequences[0])")
    lengths = np.array([len(s) for s in arrays], dtype=np.int64)             # (B,)
    T = int(lengths.max()) if length is None else _checks.positive_int(length, "length")
    if T < lengths.max():
        raise ValueError(f"length must be at least the longest sequence, {lengths.max()}; "
                         f"got {length}")
    xs = np.zeros((T, len(arrays), D), dtype=np.result_type(*arrays))        # (T, B, D)
    for b, s in enumerate(arrays):
        xs[:len(s), b] = s                                                   # real steps first
    return xs, lengths


def mask(lengths: ArrayLike, T: int) -> Array:
    r"""The mask :math:`m_{t,b}` :eq:`eq-classify-mask`: 1.0 at the real steps, 0.0 at padding.

    Parameters
    ----------
    lengths : array_like of int, shape (B,)
        :math:`n_b`, in 1..T.
    T : int
        The number of steps of the batch.

    Returns
    -------
    ndarray of shape (T, B)
        ``mask[t - 1, b]`` is 1.0 when :math:`t \le n_b`.

    Examples
    --------
    >>> mask([1, 3], T=3)
    array([[1., 1.],
           [0., 1.],
           [0., 1.]])
    """
    T = _checks.positive_int(T, "T")
    n = check_lengths(lengths, T, len(np.atleast_1d(np.asarray(lengths))))
    t = np.arange(T)[:, None]                                   # (T, 1): steps 1..T, 0-based
    return (t < n[None, :]).astype(np.float64)                  # (T, B)


def reverse(xs: Array, lengths: ArrayLike) -> Array:
    r"""Reverse every sequence of a padded batch within its own length; padding stays at the end.

    Step t of sequence b moves to step :math:`n_b + 1 - t` for :math:`t \le n_b`; the padded
    steps do not move. Applied twice it gives ``xs`` back. A cell run over the result reads each
    sequence from its real end, as the backward direction of a bidirectional network must: simply
    flipping the time axis would start a short sequence with its padding.

    Parameters
    ----------
    xs : ndarray of shape (T, B, ...)
    lengths : array_like of int, shape (B,)

    Returns
    -------
    ndarray of the shape of ``xs``

    Examples
    --------
    >>> xs = np.array([[1, 1], [2, 2], [3, 0]])[..., None]   # (T=3, B=2, 1); the second: 2 steps
    >>> reverse(xs, [3, 2])[..., 0]
    array([[3, 2],
           [2, 1],
           [1, 0]])
    """
    arr = np.asarray(xs)
    if arr.ndim < 2:
        raise ValueError(f"xs must have shape (T, B, ...); got {arr.ndim} dimensions")
    T, B = arr.shape[:2]
    n = check_lengths(lengths, T, B)
    t = np.arange(T)[:, None]                                   # (T, 1)
    source = np.where(t < n, n - 1 - t, t)                      # (T, B): where step t comes from
    source = source.reshape(T, B, *([1] * (arr.ndim - 2)))
    return np.take_along_axis(arr, source, axis=0)


def last(hs: Array, lengths: ArrayLike) -> Array:
    r"""Each sequence's last real state :math:`h_{n_b}` :eq:`eq-classify-last`, what a
    many-to-one network reads.

    Parameters
    ----------
    hs : ndarray of shape (T, B, H)
    lengths : array_like of int, shape (B,)

    Returns
    -------
    ndarray of shape (B, H)
        Row b is ``hs[n_b - 1, b]``.

    Examples
    --------
    >>> hs = np.arange(6.0).reshape(3, 2, 1)                  # h_t = 2(t - 1) + b
    >>> last(hs, [1, 3])[:, 0]
    array([0., 5.])
    """
    hs = _checks.float_array(hs, "hs", ndim=3, layout="(T, B, H)")
    n = check_lengths(lengths, hs.shape[0], hs.shape[1])
    return hs[n - 1, np.arange(hs.shape[1])]                   # (B, H)


def last_backward(dh_last: Array, lengths: ArrayLike, T: int) -> Array:
    r"""The gradient :func:`last` sends back: :math:`\bar h_{t,b}` nonzero only at :math:`t = n_b`.

    The many-to-one rule :eq:`eq-patterns-last-gradient` with each sequence's own end.

    Parameters
    ----------
    dh_last : ndarray of shape (B, H)
        :math:`\partial L / \partial h_{n_b}`.
    lengths : array_like of int, shape (B,)
    T : int
        The number of steps of the batch.

    Returns
    -------
    dhs : ndarray of shape (T, B, H)
        ``dh_last[b]`` at step :math:`n_b` of sequence b, zeros elsewhere.
    """
    dh = _checks.float_array(dh_last, "dh_last", ndim=2, layout="(B, H)")
    T = _checks.positive_int(T, "T")
    n = check_lengths(lengths, T, dh.shape[0])
    dhs = np.zeros((T, *dh.shape), dtype=dh.dtype)             # (T, B, H)
    dhs[n - 1, np.arange(dh.shape[0])] = dh                     # at each sequence's real end
    return dhs


def cross_entropy(logits: Array, targets: NDArray[Any],
                  lengths: ArrayLike) -> tuple[float, Array]:
    r"""The masked cross-entropy :eq:`eq-classify-masked-loss`: the mean over the real steps
    only, and its gradient.

    .. math::
        L &= \frac{\sum_{t,b} m_{t,b}\, \ell_{t,b}}{\sum_{t,b} m_{t,b}}, \\
        \ell_{t,b} &= -\log \operatorname{softmax}(y_{t,b})_{c_{t,b}}

    which is :func:`rnnbook.losses.softmax_cross_entropy` of the real steps alone: padded steps
    add nothing to the loss, get a zero gradient, and do not count in the mean.

    Parameters
    ----------
    logits : ndarray of shape (T, B, V)
    targets : integer ndarray of shape (T, B)
        The class at every step; at padded steps any integer (it is not read).
    lengths : array_like of int, shape (B,)

    Returns
    -------
    loss : float
    dlogits : ndarray of shape (T, B, V)
        Zero at every padded step.

    Examples
    --------
    >>> logits = np.zeros((2, 1, 4))                          # uniform over 4 classes
    >>> loss, dlogits = cross_entropy(logits, np.array([[1], [-1]]), [1])
    >>> print(f"{loss:.4f} = log 4; padded step's gradient all zero: {not dlogits[1].any()}")
    1.3863 = log 4; padded step's gradient all zero: True
    """
    logits = _checks.float_array(logits, "logits", ndim=3, layout="(T, B, V)")
    targets = np.asarray(targets)
    _checks.expect_shape(targets, "targets", logits.shape[:2], "(T, B)",
                         "(a class per step of every sequence)")
    n = check_lengths(lengths, *logits.shape[:2])               # (B,): one per sequence of logits
    real = mask(n, logits.shape[0]).astype(bool)                # (T, B)
    loss, d_real = losses.softmax_cross_entropy(logits[real], targets[real])  # (N_real, V)
    dlogits = np.zeros_like(logits)                             # (T, B, V)
    dlogits[real] = d_real                                      # padded steps: no gradient
    return loss, dlogits
