r"""n-gram models of characters: the baselines a language model must beat, in closed form.

An n-gram model predicts a character from the n - 1 characters just before it and nothing else,
with probabilities that are counts in the training text, equation :eq:`eq-lm-ngram`:

.. math::
    p(c_t \mid c_{t-n+1}, \dots, c_{t-1}) =
        \frac{\#(c_{t-n+1} \dots c_t) + \alpha}{\#(c_{t-n+1} \dots c_{t-1}) + \alpha V} ,

where :math:`\#(s)` counts the occurrences of the string s in the training text. The *unigram*
model (n = 1) knows only how frequent each character is; the *bigram* model (n = 2) also knows
which character follows which. Adding :math:`\alpha` to every count (add-one or Laplace smoothing
for :math:`\alpha = 1`) keeps the probability of a pair never seen in training above zero, so a
held-out text never has infinite loss. No training loop: the maximum-likelihood counts are the
whole model, computed exactly.

Letters: N characters, V vocabulary size, n the order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks

MAX_ENTRIES = 10_000_000
"""The largest table :func:`fit` builds, :math:`V^n` entries (80 MB in float64)."""


def counts(ids: NDArray[np.integer[Any]], vocab_size: int, order: int) -> NDArray[np.int64]:
    """How often each string of ``order`` characters occurs in a text.

    Parameters
    ----------
    ids : integer ndarray of shape (N,)
        The text as character indices in ``[0, V)``.
    vocab_size : int
        V.
    order : int
        n, the length of the strings counted.

    Returns
    -------
    int64 ndarray of shape (V,) * n
        Entry ``[a, b, ...]`` is the number of positions where the text reads ``a, b, ...``.

    Examples
    --------
    >>> counts(np.array([0, 1, 0, 1, 1]), 2, order=2)
    array([[0, 2],
           [1, 1]])
    """
    ids, V, n = _check(ids, vocab_size, order)
    N = len(ids)
    if N < n:
        raise ValueError(f"ids must hold at least order={n} characters; got {N}")
    windows = [ids[k: N - n + 1 + k] for k in range(n)]              # n arrays of (N-n+1,)
    flat = np.ravel_multi_index(windows, (V,) * n)                   # (N-n+1,)
    table: NDArray[np.int64] = np.bincount(flat, minlength=V**n).reshape((V,) * n)
    return table


def fit(ids: NDArray[np.integer[Any]], vocab_size: int, order: int, *,
        alpha: float = 1.0) -> NDArray[np.float64]:
    r"""The smoothed n-gram model of a training text: :eq:`eq-lm-ngram`.

    Parameters
    ----------
    ids : integer ndarray of shape (N,)
        The training text as character indices.
    vocab_size : int
        V.
    order : int
        n: 1 for the unigram model, 2 for the bigram model, ...
    alpha : float, default 1.0
        The count added to every string, :math:`\alpha \ge 0` (1: add-one smoothing).

    Returns
    -------
    float64 ndarray of shape (V,) * n
        Entry ``[a, ..., y, z]`` is :math:`p(z \mid a \dots y)`; every slice along the last axis
        sums to 1. A context never seen in training (possible only with ``alpha=0``) predicts the
        uniform distribution.

    Examples
    --------
    >>> fit(np.array([0, 1, 0, 1, 1]), 2, order=1)                   # (2 + 1, 3 + 1) / 7
    array([0.42857143, 0.57142857])
    """
    ids, V, n = _check(ids, vocab_size, order)
    a = _checks.positive_float(alpha, "alpha", allow_zero=True)
    if V**n > MAX_ENTRIES:
        raise ValueError(f"a table of V**order = {V}**{n} = {V**n:,} entries is larger than "
                         f"MAX_ENTRIES = {MAX_ENTRIES:,}; lower order")
    smoothed = counts(ids, V, n) + a                                  # (V,)*n
    totals = smoothed.sum(axis=-1, keepdims=True)                     # (V,)*(n-1) + (1,)
    with np.errstate(invalid="ignore", divide="ignore"):
        probs = np.where(totals > 0, smoothed / totals, 1.0 / V)      # unseen context: uniform
    return probs


def cross_entropy(probs: NDArray[np.floating[Any]], ids: NDArray[np.integer[Any]]) -> float:
    r"""The mean negative log-likelihood of a text under an n-gram model, in nats per character.

    Parameters
    ----------
    probs : ndarray of shape (V,) * n
        From :func:`fit`.
    ids : integer ndarray of shape (N,)
        The text, usually held out, N >= n.

    Returns
    -------
    float
        The mean of :math:`-\log p(c_t \mid c_{t-n+1}, \dots, c_{t-1})` over the
        :math:`N - n + 1` characters that have n - 1 characters before them.

    Examples
    --------
    >>> probs = fit(np.array([0, 1, 0, 1, 1]), 2, order=2)            # p(1 | 0) = 3/4
    >>> bool(np.isclose(cross_entropy(probs, np.array([0, 1])), -np.log(3 / 4)))
    True
    """
    probs = _checks.float_array(probs, "probs", ndim=None, min_ndim=1, layout="(V,) * n")
    V, n = probs.shape[0], probs.ndim
    if probs.shape != (V,) * n:
        raise ValueError(f"probs must have shape (V,) * n, as fit returns; "
                         f"got {_checks.shape_str(probs.shape)}")
    ids, _, _ = _check(ids, V, n)
    N = len(ids)
    if N < n:
        raise ValueError(f"ids must hold at least n={n} characters; got {N}")
    windows = tuple(ids[k: N - n + 1 + k] for k in range(n))         # n arrays of (N-n+1,)
    return float(-np.log(probs[windows]).mean())


def _check(ids: object, vocab_size: object, order: object) -> tuple[NDArray[np.int64], int, int]:
    V = _checks.positive_int(vocab_size, "vocab_size")
    n = _checks.positive_int(order, "order")
    arr = np.asarray(ids)
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise TypeError(f"ids must be a 1-d array of integer character indices; got dtype "
                        f"{arr.dtype} and shape {_checks.shape_str(arr.shape)}")
    if arr.size and (arr.min() < 0 or arr.max() >= V):
        bad = arr.min() if arr.min() < 0 else arr.max()
        raise ValueError(f"ids must lie in [0, V) = [0, {V}); got {bad}")
    return arr.astype(np.int64, copy=False), V, n
