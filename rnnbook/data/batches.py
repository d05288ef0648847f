"""What every task returns, and the endless stream of fresh batches that training draws from.

Every task of :mod:`rnnbook.data` returns time-major arrays in a :class:`~rnnbook.data.Batch`
(``xs``, ``targets``) or a :class:`~rnnbook.data.Seq2SeqBatch` (``xs``, ``ys_in``, ``targets``),
whose fields are, in order, the arguments of :func:`rnnbook.patterns.loss_and_grads` and
:func:`rnnbook.patterns.seq2seq_loss_and_grads` after the model. :func:`stream` draws a fresh
batch of a task for every training step of :func:`rnnbook.train.fit`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks
from rnnbook.types import Array, Seed, as_generator

Tokens = NDArray[np.int64]
"""Integer token indices into a task's vocabulary."""


class Batch(NamedTuple):
    """Inputs and targets of a one-to-one, one-to-many, many-to-one or aligned task.

    Attributes
    ----------
    xs : ndarray of shape (T, B, D)
        The input sequences.
    targets : integer ndarray of shape (B,) or (T, B)
        One class per sequence (read at the last step) or one per step.
    """

    xs: Array
    targets: Tokens


class Seq2SeqBatch(NamedTuple):
    """Sources, decoder inputs and targets of an encoder-decoder task.

    Attributes
    ----------
    xs : ndarray of shape (S, B, D)
        One-hot source sequences, padded at the front.
    ys_in : ndarray of shape (T, B, V)
        The decoder's inputs with teacher forcing: a start token, then the targets shifted right.
    targets : integer ndarray of shape (T, B)
        The target tokens, ending with an end token and padded with more end tokens.
    """

    xs: Array
    ys_in: Array
    targets: Tokens


# Documented, and imported, as rnnbook.data.Batch and rnnbook.data.Seq2SeqBatch.
Batch.__module__ = Seq2SeqBatch.__module__ = "rnnbook.data"


def stream(task: Callable[..., Any], batch_size: int, *,
           seed: Seed = None, **options: Any) -> Iterator[Any]:
    """An endless stream of fresh batches of a task, for :func:`rnnbook.train.fit`.

    Parameters
    ----------
    task : callable
        A task of :mod:`rnnbook.data`, such as :func:`rnnbook.data.sentiment`.
    batch_size : int
        B, the number of examples per batch.
    seed : int, numpy.random.Generator or None
        Seeds one generator that draws every batch in turn.
    **options
        Passed to ``task`` (``noise=``, ``length=``, ...).

    Yields
    ------
    Batch or Seq2SeqBatch
        What ``task`` returns.

    Examples
    --------
    >>> from rnnbook.data import bars
    >>> batches = stream(bars, 8, seed=0)
    >>> next(batches).xs.shape
    (1, 8, 16)
    """
    if not callable(task):
        raise TypeError(f"task must be a task function such as rnnbook.data.sentiment; "
                        f"got {type(task).__name__}")
    _checks.positive_int(batch_size, "batch_size")
    rng = as_generator(seed)

    def batches() -> Iterator[Any]:
        while True:
            yield task(batch_size, seed=rng, **options)

    return batches()
