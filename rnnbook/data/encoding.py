"""Tokens and words: one-hot vectors for tokens, and the way between words and tokens.

- :func:`one_hot` turns integer tokens into the vectors a network reads;
- :func:`encode` turns sentences you write yourself into one-hot inputs for a trained model;
- :func:`to_text` turns token indices back into words.

A vocabulary is a sequence of strings whose position is the token index, such as
:data:`rnnbook.data.sentences.SENTIMENT_VOCAB`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks
from rnnbook.types import Array


def one_hot(tokens: NDArray[np.integer[Any]], num_classes: int) -> NDArray[np.float64]:
    """One-hot vectors for integer tokens.

    Parameters
    ----------
    tokens : integer ndarray of any shape (...)
        Class indices in ``[0, num_classes)``.
    num_classes : int
        V, the length of each vector.

    Returns
    -------
    ndarray of shape (..., V), float64
        1 at each token's index, 0 elsewhere.

    Examples
    --------
    >>> one_hot(np.array([2, 0]), 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    V = _checks.positive_int(num_classes, "num_classes")
    tokens = np.asarray(tokens)
    if tokens.dtype.kind not in "iu":
        raise TypeError(f"tokens must be integer class indices; got dtype {tokens.dtype}")
    if tokens.size and (tokens.min() < 0 or tokens.max() >= V):
        bad = tokens.min() if tokens.min() < 0 else tokens.max()
        raise ValueError(f"tokens must lie in [0, num_classes) = [0, {V}); got {bad}")
    vectors: NDArray[np.float64] = np.eye(V)[tokens]  # (..., V)
    return vectors


def encode(sentences: Sequence[str], vocab: Sequence[str]) -> Array:
    """One-hot inputs for sentences you write yourself, to feed a trained model.

    Parameters
    ----------
    sentences : sequence of B str
        Words separated by spaces, every sentence with the same number T of words, every word
        in ``vocab``.
    vocab : sequence of str
        The task's vocabulary, such as :data:`~rnnbook.data.sentences.SENTIMENT_VOCAB`.

    Returns
    -------
    ndarray of shape (T, B, V)

    Examples
    --------
    >>> from rnnbook.data import TAGGING_VOCAB
    >>> encode(["I fish", "the duck"], TAGGING_VOCAB).argmax(axis=-1)
    array([[2, 0],
           [5, 7]])
    """
    if isinstance(sentences, str) or not sentences:
        raise TypeError("sentences must be a non-empty list of strings, one per sentence; "
                        f"got {sentences!r}")
    split = [str(s).split() for s in sentences]
    T = len(split[0])
    if T == 0 or any(len(words) != T for words in split):
        raise ValueError(f"sentences must all have the same number of words (at least one); "
                         f"got {[len(words) for words in split]}")
    index = {w: i for i, w in enumerate(vocab)}
    unknown = sorted({w for words in split for w in words if w not in index})
    if unknown:
        raise ValueError(f"sentences use words that are not in vocab: {', '.join(unknown)}; "
                         f"vocab holds {', '.join(vocab)}")
    tokens = np.array([[index[w] for w in words] for words in split]).T  # (T, B)
    return one_hot(tokens, len(vocab))


def to_text(tokens: NDArray[np.integer[Any]] | Sequence[int], vocab: Sequence[str], *,
            stop: str | None = None) -> str:
    """The words of a sequence of token indices, separated by spaces.

    Parameters
    ----------
    tokens : integer ndarray of shape (T,)
        Token indices into ``vocab``.
    vocab : sequence of str
        The task's vocabulary, such as :data:`~rnnbook.data.sentences.SENTIMENT_VOCAB`.
    stop : str, optional
        Stop after the first occurrence of this word (kept), such as ``"<end>"``.

    Returns
    -------
    str

    Examples
    --------
    >>> to_text([2, 3, 1, 1], ("<start>", "<end>", "α", "β"), stop="<end>")
    'α β <end>'
    """
    arr = np.asarray(tokens)
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise TypeError(f"tokens must be a 1-d array of integer token indices; got dtype "
                        f"{arr.dtype} and shape {_checks.shape_str(arr.shape)}")
    if arr.size and (arr.min() < 0 or arr.max() >= len(vocab)):
        raise ValueError(f"tokens must lie in [0, len(vocab)) = [0, {len(vocab)}); "
                         f"got {arr.min() if arr.min() < 0 else arr.max()}")
    words: list[str] = []
    for i in arr:
        words.append(vocab[int(i)])
        if words[-1] == stop:
            break
    return " ".join(words)
