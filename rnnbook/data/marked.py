r"""A task for gated memory (chapters 6 and 7): name the last symbol that was marked.

:func:`last_marked` draws sequences of random symbols, a few of them *marked* by a second input
channel, and asks at the last step for the symbol that carried the last mark. Written with the
marked symbols in brackets::

    C [B] A D [A] C B B D A C A  ->  A

A network must *write* a symbol into its memory when it is marked and not when it is not, *keep*
it while the unmarked symbols go by, *replace* it when a later mark comes, and *read* it at the
end: the four things an LSTM's gates are for. The marks can be confined to the first ``window``
steps, which sets the shortest distance between the last mark and the answer. Marked inputs go
back to the experiments of Hochreiter & Schmidhuber (1997), whose adding problem marks the two
numbers to be added.
"""

from __future__ import annotations

import numpy as np

from rnnbook import _checks
from rnnbook.data.batches import Batch
from rnnbook.data.encoding import one_hot
from rnnbook.data.memory import SYMBOLS
from rnnbook.types import Seed, as_generator


def last_marked(batch_size: int, *, length: int = 24, symbols: int = 4,
                marks: tuple[int, int] = (1, 4), window: int | None = None,
                seed: Seed = None) -> Batch:
    r"""Sequences of random symbols, some marked; the target is the last marked symbol.

    Each of the ``length`` symbols is drawn uniformly from ``symbols`` symbols. Each sequence
    has between ``marks[0]`` and ``marks[1]`` marked steps (the number drawn uniformly), at
    distinct positions drawn uniformly from the first ``window`` steps.

    Parameters
    ----------
    batch_size : int
        B, the number of sequences.
    length : int, default 24
        T, the number of steps, >= 1.
    symbols : int, default 4
        V, the number of different symbols, from 2 to 26 (named by
        ``rnnbook.data.memory.SYMBOLS``).
    marks : (int, int), default (1, 4)
        The fewest and the most marked steps of a sequence, 1 <= marks[0] <= marks[1] <= window.
    window : int, optional
        Marks fall in steps 1 to ``window`` (1 <= window <= T); ``None`` means T. The answer is
        then at least T - window steps after the last mark.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Batch
        ``xs`` of shape (T, B, V + 1): the one-hot symbol in the first V entries, and 1 in the
        last entry at a marked step (0 elsewhere); ``targets`` of shape (B,), the index of the
        symbol at the last marked step.

    Notes
    -----
    Only the marked symbols decide the target, and the last input is marked with probability
    at most ``marks[1] / T``, so a predictor that sees only the last input can do little better
    than the chance level :math:`1/V`.

    Examples
    --------
    >>> batch = last_marked(1, length=10, marks=(1, 3), seed=2)
    >>> batch.xs.shape, batch.targets.shape
    ((10, 1, 5), (1,))
    >>> tokens, marked = batch.xs[:, 0, :4].argmax(axis=-1), batch.xs[:, 0, 4] == 1
    >>> print(*(f"[{SYMBOLS[s]}]" if m else SYMBOLS[s] for s, m in zip(tokens, marked)),
    ...       "->", SYMBOLS[batch.targets[0]])
    [D] [B] A B B [D] B A B C -> D
    """
    B = _checks.positive_int(batch_size, "batch_size")
    T = _checks.positive_int(length, "length")
    V = _checks.positive_int(symbols, "symbols")
    if not 2 <= V <= len(SYMBOLS):
        raise ValueError(f"symbols must lie in [2, {len(SYMBOLS)}] (one letter of SYMBOLS each); "
                         f"got {symbols}")
    W = T if window is None else _checks.positive_int(window, "window")
    if W > T:
        raise ValueError(f"window must be at most length={T}; got {window}")
    if (not isinstance(marks, tuple | list) or len(marks) != 2
            or not all(isinstance(m, int | np.integer) for m in marks)
            or not 1 <= marks[0] <= marks[1] <= W):
        raise ValueError(f"marks must be a pair of ints (fewest, most) with "
                         f"1 <= fewest <= most <= window={W}; got {marks!r}")
    rng = as_generator(seed)
    tokens = rng.integers(0, V, size=(T, B))                            # (T, B)
    count = rng.integers(marks[0], marks[1] + 1, size=B)                # (B,): marks per sequence
    rank = rng.random((W, B)).argsort(axis=0).argsort(axis=0)           # (W, B): a random order
    marked = np.zeros((T, B), dtype=bool)
    marked[:W] = rank < count                                           # the first `count` of it
    last = T - 1 - np.argmax(marked[::-1], axis=0)                      # (B,): last marked step
    xs = np.concatenate([one_hot(tokens, V), marked[..., None].astype(np.float64)], axis=-1)
    return Batch(xs, tokens[last, np.arange(B)].astype(np.int64))      # (T, B, V + 1), (B,)
