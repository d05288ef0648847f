r"""Long-range tasks (chapter 8): the adding problem and the copy task, with their baselines.

Both tasks put what the answer needs at the start of a long sequence and ask for it at the end,
and both have a *memoryless baseline*: the loss of the best model that remembers nothing about
the inputs that matter. A network that does not beat the baseline has learnt nothing about the
dependency the task is about, however low its loss looks.

- :func:`rnnbook.data.adding`: the adding problem of Le, Jaitly & Hinton (2015) and Arjovsky,
  Shah & Bengio (2016), a regression. Hochreiter & Schmidhuber (1997) and Pascanu, Mikolov &
  Bengio (2013) posed problems of the same name with other inputs and targets, and other
  baselines: the numbers of one do not carry over to another.
- :func:`rnnbook.data.copy_task`: the copy task of Arjovsky, Shah & Bengio (2016), a
  classification at every step, after Hochreiter & Schmidhuber (1997).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rnnbook import _checks
from rnnbook.data.batches import Batch
from rnnbook.data.encoding import one_hot
from rnnbook.types import Array, as_generator

ADDING_BASELINE: float = 1.0 / 6.0
r"""The mean squared error of the memoryless prediction 1 on :func:`rnnbook.data.adding`: 1/6."""

COPY_ALPHABET: int = 8
"""The number of symbols the copy task draws from (Arjovsky et al. 2016 use 8)."""

BLANK: int = 0
"""The copy task's blank, input and target class 0; symbols are 1 .. alphabet."""


class AddingBatch(NamedTuple):
    """Inputs and real-valued targets of :func:`rnnbook.data.adding`.

    Attributes
    ----------
    xs : ndarray of shape (T, B, 2)
        Feature 0: the values; feature 1: the two markers.
    targets : ndarray of shape (B, 1)
        The sum of the two marked values.
    """

    xs: Array
    targets: Array


AddingBatch.__module__ = "rnnbook.data"


def adding(batch_size: int, *, length: int = 50,
           seed: int | np.random.Generator | None = None) -> AddingBatch:
    r"""The adding problem: add the two marked numbers of a long sequence (many-to-one).

    At every step the input is a pair: a value drawn uniformly from [0, 1] and a marker, 0 or 1.
    Exactly two steps are marked, one drawn uniformly from the first half of the sequence and one
    from the second half; the target, read at the last step, is the sum of the two marked values.
    This is the variant of Le, Jaitly & Hinton (2015) and Arjovsky, Shah & Bengio (2016).

    Parameters
    ----------
    batch_size : int
        B, the number of sequences.
    length : int, default 50
        T, the number of steps, >= 2. The first marker is among steps 1 .. ⌊T/2⌋, the second
        among steps ⌊T/2⌋ + 1 .. T.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    AddingBatch
        ``xs`` of shape (T, B, 2) and ``targets`` of shape (B, 1).

    Notes
    -----
    The target :math:`y = v_a + v_b` is the sum of two independent :math:`\mathcal{U}[0, 1]`
    values. A model that remembers nothing of them can do no better than a constant, and the best
    constant under the squared error is the mean, :math:`\mathbb{E}[y] = 1`, whose error is the
    variance,

    .. math:: \mathbb{E}\big[(y - 1)^2\big] = \operatorname{Var}(v_a) + \operatorname{Var}(v_b)
        = \tfrac{1}{12} + \tfrac{1}{12} = \tfrac{1}{6},

    the baseline :data:`rnnbook.data.long_range.ADDING_BASELINE`.

    Examples
    --------
    >>> batch = adding(3, length=6, seed=0)
    >>> batch.xs.shape, batch.targets.shape
    ((6, 3, 2), (3, 1))
    >>> batch.xs[:, 0, 1]                          # the markers of the first sequence
    array([1., 0., 0., 0., 1., 0.])
    >>> bool(np.isclose(batch.targets[0, 0], batch.xs[0, 0, 0] + batch.xs[4, 0, 0]))
    True
    """
    B = _checks.positive_int(batch_size, "batch_size")
    T = _checks.positive_int(length, "length")
    if T < 2:
        raise ValueError(f"length must be at least 2 (one marker in each half); got {T}")
    rng = as_generator(seed)
    half = T // 2
    values = rng.uniform(0.0, 1.0, size=(T, B))                    # (T, B)
    first = rng.integers(0, half, size=B)                          # (B,): in the first half
    second = rng.integers(half, T, size=B)                         # (B,): in the second half
    markers = np.zeros((T, B))                                     # (T, B)
    columns = np.arange(B)
    markers[first, columns] = 1.0
    markers[second, columns] = 1.0
    targets = values[first, columns] + values[second, columns]     # (B,)
    return AddingBatch(np.stack([values, markers], axis=-1), targets[:, None])


def copy_task(batch_size: int, *, delay: int = 100, symbols: int = 10,
              alphabet: int = COPY_ALPHABET,
              seed: int | np.random.Generator | None = None) -> Batch:
    r"""The copy task: read a few symbols, wait, then write them out again (many-to-many).

    A sequence of ``symbols`` random symbols, drawn uniformly from ``alphabet`` of them, is
    followed by ``delay - 1`` blanks, a delimiter, and ``symbols`` more blanks, during which the
    network must write the symbols it read, in order. Before that it must write blanks. With the
    defaults this is the task of Arjovsky, Shah & Bengio (2016), whose T is ``delay``.

    Parameters
    ----------
    batch_size : int
        B, the number of sequences.
    delay : int, default 100
        T, >= 1: every symbol is written T + ``symbols`` steps after it was read.
    symbols : int, default 10
        m, the number of symbols to copy, >= 1.
    alphabet : int, default 8
        A, the number of different symbols, >= 2.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Batch
        ``xs`` of shape (T + 2m, B, A + 2), one-hot: class 0 the blank, 1 .. A the symbols,
        A + 1 the delimiter; ``targets`` of shape (T + 2m, B), classes 0 .. A: T + m blanks,
        then the m symbols.

    Notes
    -----
    A model that remembers no symbol can still learn *when* to write blanks, which costs nothing,
    but at each of the last m steps it can only spread its bets evenly over the A symbols. Its
    cross-entropy, averaged over all T + 2m steps, is :func:`rnnbook.data.copy_baseline`.

    Examples
    --------
    >>> batch = copy_task(1, delay=3, symbols=2, alphabet=4, seed=0)
    >>> batch.xs.shape, batch.targets.shape
    ((7, 1, 6), (7, 1))
    >>> batch.xs[:, 0].argmax(axis=-1), batch.targets[:, 0]
    (array([4, 3, 0, 0, 5, 0, 0]), array([0, 0, 0, 0, 0, 4, 3]))
    """
    B = _checks.positive_int(batch_size, "batch_size")
    T = _checks.positive_int(delay, "delay")
    m = _checks.positive_int(symbols, "symbols")
    A = _checks.positive_int(alphabet, "alphabet")
    if A < 2:
        raise ValueError(f"alphabet must be at least 2; got {alphabet}")
    rng = as_generator(seed)
    to_copy = rng.integers(1, A + 1, size=(m, B))                  # (m, B): symbols 1 .. A
    tokens = np.full((T + 2 * m, B), BLANK)                        # (T + 2m, B)
    tokens[:m] = to_copy
    tokens[m + T - 1] = A + 1                                      # the delimiter
    targets = np.full((T + 2 * m, B), BLANK, dtype=np.int64)       # (T + 2m, B)
    targets[T + m:] = to_copy
    return Batch(one_hot(tokens, A + 2), targets)


def copy_baseline(delay: int, *, symbols: int = 10, alphabet: int = COPY_ALPHABET) -> float:
    r"""The cross-entropy of the memoryless model on :func:`rnnbook.data.copy_task`, per step.

    Parameters
    ----------
    delay, symbols, alphabet : int
        T, m and A of :func:`rnnbook.data.copy_task`.

    Returns
    -------
    float
        In nats, :math:`m \ln A / (T + 2m)`: certainty (loss 0) on the T + m blanks, a uniform guess
        (:math:`\ln A`) on each of the m symbols.

    Examples
    --------
    >>> round(copy_baseline(100), 5)                  # Arjovsky et al.'s 10 ln 8 / 120
    0.17329
    """
    T = _checks.positive_int(delay, "delay")
    m = _checks.positive_int(symbols, "symbols")
    A = _checks.positive_int(alphabet, "alphabet")
    return m * float(np.log(A)) / (T + 2 * m)
