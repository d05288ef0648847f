r"""How close written sequences are to the right ones: exact match and BLEU.

A translation or a caption is a sequence of tokens ending with an end token. Two scores:

- :func:`exact_match`: the fraction of sequences written exactly right, up to their end token;
- :func:`bleu`: Papineni et al.'s (2002) BLEU, which gives partial credit: the geometric mean of
  the n-gram precisions (n = 1 to 4), each n-gram counted at most as often as the reference holds
  it, times a penalty for writing too little.

:func:`strip` cuts a written sequence at its end token, the form both scores compare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks


def strip(tokens: NDArray[Any], end: int) -> list[tuple[int, ...]]:
    """Every sequence of a batch, up to (not including) its first end token.

    Parameters
    ----------
    tokens : integer ndarray of shape (T, B)
        Time-major, as the decoders write them.
    end : int
        The end token.

    Returns
    -------
    list of B tuples of int

    Examples
    --------
    >>> strip(np.array([[5, 1], [1, 6], [7, 1]]), end=1)
    [(5,), ()]
    """
    arr = np.asarray(tokens)
    if arr.ndim != 2 or arr.dtype.kind not in "iu":
        raise TypeError(f"tokens must be an integer array of shape (T, B); got dtype {arr.dtype} "
                        f"and shape {_checks.shape_str(arr.shape)}")
    out = []
    for column in arr.T:
        stop = np.flatnonzero(column == end)
        out.append(tuple(int(t) for t in column[:stop[0] if stop.size else len(column)]))
    return out


def exact_match(written: NDArray[Any], targets: NDArray[Any], end: int) -> float:
    """The fraction of sequences written exactly right, up to their end token.

    Parameters
    ----------
    written, targets : integer ndarray of shape (T, B)
        What the decoder wrote and what it should have; they may differ in T.
    end : int

    Returns
    -------
    float in [0, 1]

    Examples
    --------
    >>> exact_match(np.array([[5, 5], [1, 6]]), np.array([[5, 5], [1, 1]]), end=1)
    0.5
    """
    ours, theirs = strip(written, end), strip(targets, end)
    if len(ours) != len(theirs):
        raise ValueError(f"written and targets must hold the same number of sequences; got "
                         f"{len(ours)} and {len(theirs)}")
    return float(np.mean([a == b for a, b in zip(ours, theirs, strict=True)]))


def _ngrams(seq: Sequence[int], n: int) -> Counter[tuple[int, ...]]:
    return Counter(tuple(seq[i:i + n]) for i in range(len(seq) - n + 1))


def bleu(candidates: Sequence[Sequence[int]], references: Sequence[Sequence[int]], *,
         max_n: int = 4) -> float:
    r"""Corpus BLEU of written sequences against one reference each (Papineni et al. 2002).

    .. math::
        \mathrm{BLEU} = \mathrm{BP} \cdot \exp\Big(\frac{1}{N} \sum_{n=1}^{N} \log p_n\Big),
        \qquad \mathrm{BP} = \min\big(1, e^{1 - r/c}\big),

    :eq:`eq-seq2seq-bleu`, where :math:`p_n` is the fraction of the candidates' n-grams that the
    references hold (each counted at most as often as its reference holds it), summed over the
    corpus, and c and r are the total lengths of the candidates and the references.

    Parameters
    ----------
    candidates, references : sequences of token sequences
        One candidate and one reference per example, cut at their end tokens (:func:`strip`).
    max_n : int, default 4
        N, the longest n-grams counted.

    Returns
    -------
    float in [0, 1]
        1 when every candidate equals its reference (and the corpus has N-grams); 0 when some
        :math:`p_n` is 0, or when the candidates hold no n-gram of some order n <= N.

    Examples
    --------
    >>> bleu([(1, 2, 3, 4)], [(1, 2, 3, 4)])
    1.0
    >>> round(bleu([(1, 2, 3, 5)], [(1, 2, 3, 4)], max_n=2), 4)   # sqrt(3/4 * 2/3)
    0.7071
    """
    N = _checks.positive_int(max_n, "max_n")
    if len(candidates) != len(references) or not candidates:
        raise ValueError(f"candidates and references must be non-empty and of one length; got "
                         f"{len(candidates)} and {len(references)}")
    log_p = 0.0
    for n in range(1, N + 1):
        matched = total = 0
        for cand, ref in zip(candidates, references, strict=True):
            counts, allowed = _ngrams(cand, n), _ngrams(ref, n)
            matched += sum(min(k, allowed[g]) for g, k in counts.items())   # clipped counts
            total += sum(counts.values())
        if matched == 0:
            return 0.0
        log_p += np.log(matched / total) / N
    c = sum(len(s) for s in candidates)
    r = sum(len(s) for s in references)
    brevity = min(1.0, float(np.exp(1 - r / c)))
    return float(brevity * np.exp(log_p))
