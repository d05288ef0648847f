r"""A task that needs memory (chapter 1): say, at the end of a sequence, what its first symbol was.

:func:`recall_first` draws sequences of random symbols, ``B D A A C C B D A B``, and asks at the
last step for the first one, ``B``. Everything after the first symbol is a distractor, drawn from
the same symbols, so the last input says nothing about the answer: a network that sees only the
last input (a feed-forward network) can do no better than guess, and one that carries a memory
of the sequence (a recurrent network) can be right every time.

:func:`memoryless_accuracy` measures that ceiling on a batch: the best accuracy that *any*
predictor seeing only the last input can reach on it. Tasks whose answer depends on an earlier
input are as old as recurrent networks: Elman (1990) began with a stream of bits in which every
third bit is the XOR of the two before it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rnnbook import _checks
from rnnbook.data.batches import Batch
from rnnbook.data.encoding import one_hot
from rnnbook.types import as_generator

SYMBOLS: tuple[str, ...] = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
"""The names of the symbols of :func:`~rnnbook.data.recall_first`: symbol ``i`` is
``SYMBOLS[i]``."""


def recall_first(batch_size: int, *, length: int = 10, symbols: int = 4,
                 seed: int | np.random.Generator | None = None) -> Batch:
    r"""Sequences of random symbols whose target is the first symbol: many-to-one, needs memory.

    Every one of the ``length`` symbols of a sequence is drawn independently and uniformly from
    ``symbols`` symbols; the target is the symbol at step 1, the *cue*. The symbols after it are
    *distractors*, drawn from the same symbols, so the cue may appear again among them.

    Parameters
    ----------
    batch_size : int
        B, the number of sequences.
    length : int, default 10
        T, the number of symbols per sequence, >= 1; the cue is T - 1 steps before the last step.
    symbols : int, default 4
        V, the number of different symbols, from 2 to 26 (named by ``rnnbook.data.memory.SYMBOLS``).
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Batch
        ``xs`` of shape (T, B, V), one-hot symbols; ``targets`` of shape (B,), the index of the
        first symbol of each sequence, ``targets == xs[0].argmax(axis=-1)``.

    Notes
    -----
    For :math:`T \ge 2` the last input :math:`x_T` is independent of the target :math:`c`, so
    any predictor :math:`g` that sees only :math:`x_T` is right with probability

    .. math::
        P\big(g(x_T) = c\big) = \sum_{x} P(x_T = x)\, P\big(c = g(x)\big)
        = \sum_{x} P(x_T = x) \frac{1}{V} = \frac{1}{V},

    the chance level, equation :eq:`eq-memory-chance`. A predictor that remembers :math:`x_1`
    is right with probability 1.

    Examples
    --------
    >>> from rnnbook.data import to_text
    >>> batch = recall_first(2, length=6, seed=0)
    >>> batch.xs.shape, batch.targets.shape
    ((6, 2, 4), (2,))
    >>> for b in range(2):
    ...     print(to_text(batch.xs[:, b].argmax(axis=-1), SYMBOLS), "->", SYMBOLS[batch.targets[b]])
    D C B A A C -> D
    C B A A D D -> C
    """
    B = _checks.positive_int(batch_size, "batch_size")
    T = _checks.positive_int(length, "length")
    V = _checks.positive_int(symbols, "symbols")
    if not 2 <= V <= len(SYMBOLS):
        raise ValueError(f"symbols must lie in [2, {len(SYMBOLS)}] (one letter of SYMBOLS each); "
                         f"got {symbols}")
    rng = as_generator(seed)
    tokens = rng.integers(0, V, size=(T, B))                            # (T, B): cue, distractors
    return Batch(one_hot(tokens, V), tokens[0].astype(np.int64))       # (T, B, V), (B,)


def memoryless_accuracy(xs: ArrayLike, targets: ArrayLike) -> float:
    r"""The best accuracy that any predictor seeing only the last input can reach on a batch.

    A memoryless predictor answers with a function :math:`g(x_T)` of the last input alone, so all
    sequences that end with the same input get the same answer. The best :math:`g` answers, for
    each distinct last input, the target most common among the sequences that end with it.

    Parameters
    ----------
    xs : ndarray of shape (T, B, D)
        Input sequences; only ``xs[-1]`` is used.
    targets : integer ndarray of shape (B,)
        The class of each sequence.

    Returns
    -------
    float in [0, 1]
        A sum over the distinct last inputs :math:`x` of the batch:

        .. math:: \frac{1}{B} \sum_{x} \max_c \#\{b : x_T^{(b)} = x,\ c^{(b)} = c\}.

    Notes
    -----
    The best :math:`g` is chosen knowing the batch's targets, so on a finite batch this is an
    upper bound for every memoryless network evaluated on it (a feed-forward network trained on
    other data included), and a slightly optimistic estimate of what such a predictor reaches on
    new data. When the last input is independent of the target, that is the chance level
    :math:`1/V` of :func:`recall_first` (:eq:`eq-memory-chance`).

    Examples
    --------
    >>> xs = np.eye(2)[[[0, 1, 1, 0]]]                  # T=1, B=4: last inputs 0, 1, 1, 0
    >>> memoryless_accuracy(xs, np.array([0, 1, 1, 1]))  # input 0 -> {0, 1}, input 1 -> {1, 1}
    0.75
    """
    x = _checks.float_array(xs, "xs", ndim=3, layout="(T, B, D)")
    c = _class_targets(targets, x.shape[1])
    return float(_target_counts(x[-1], c).max(axis=1).sum() / len(c))


def _target_counts(keys: NDArray[Any], targets: NDArray[np.int64]) -> NDArray[np.int64]:
    """A table (groups, classes) counting the targets of each distinct row of ``keys`` (B, ...)."""
    _, group = np.unique(keys, axis=0, return_inverse=True)            # (B,): which key
    counts = np.zeros((int(group.max()) + 1, int(targets.max()) + 1), dtype=np.int64)
    np.add.at(counts, (group.ravel(), targets), 1)                     # (groups, classes)
    return counts


def _class_targets(targets: ArrayLike, batch: int) -> NDArray[np.int64]:
    """Validate integer class targets of shape (B,)."""
    c: NDArray[Any] = np.asarray(targets)
    if c.dtype.kind not in "iu":
        raise TypeError(f"targets must be integer class indices; got dtype {c.dtype}")
    if c.shape != (batch,):
        raise ValueError(f"targets must have shape (B,) = ({batch},), B from xs; "
                         f"got {_checks.shape_str(c.shape)}")
    if c.min() < 0:
        raise ValueError(f"targets must be class indices >= 0; got {c.min()}")
    return c.astype(np.int64)
