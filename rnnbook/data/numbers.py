r"""Numbers written in English words, to be written in digits: the translation task of chapter 11.

*three hundred forty two thousand six* becomes ``3 4 2 0 0 6``. It is a small translation with
the structure of a real one: a vocabulary on each side, sources of 1 to 14 words and outputs of 1
to 9 digits, one word that becomes two digits (*seventeen*, ``1 7``), a word that becomes none
(*hundred*, *thousand*), digits that come from no word at all (the zeros of *six thousand*, ``6 0
0 0``), and an output whose length the decoder must work out from the whole source.

- :func:`number_words`: the words of a number, such as ``["twenty", "one"]``;
- :func:`numbers_to_digits`: a batch of sources and targets for an encoder-decoder.

Sources are tokens of :data:`NUMBER_WORDS`, targets tokens of :data:`DIGITS`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks
from rnnbook.data.batches import Tokens
from rnnbook.data.encoding import one_hot
from rnnbook.types import Array, Seed, as_generator

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

NUMBER_WORDS: tuple[str, ...] = (*_ONES, *_TENS, "hundred", "thousand", "million")
"""The source vocabulary of :func:`~rnnbook.data.numbers_to_digits`: the 31 words that write every
whole number below a thousand million; a word's token is its index."""

DIGITS: tuple[str, ...] = ("<start>", "<end>", *"0123456789")
"""The target vocabulary of :func:`~rnnbook.data.numbers_to_digits`: start, end, and the ten
digits (the digit d is token d + 2)."""

MAX_DIGITS = 9
"""The longest numbers of :func:`~rnnbook.data.numbers_to_digits`: below a thousand million."""

MAX_WORDS = 14
"""The most words a number below a thousand million takes (*seven hundred seventy seven million
seven hundred seventy seven thousand seven hundred seventy seven*)."""

_START, _END = 0, 1


class TranslationBatch(NamedTuple):
    """Sources, decoder inputs, targets and target lengths of a translation task.

    The fields are, in order, the arguments of :func:`rnnbook.seq2seq.loss_and_grads` and
    :func:`rnnbook.seq2seq_attention.loss_and_grads` after the model.

    Attributes
    ----------
    xs : ndarray of shape (S, B, D)
        One-hot sources, all of S tokens (no padding: every batch holds sources of one length).
    ys_in : ndarray of shape (T, B, V)
        The decoder's inputs with teacher forcing: ``<start>``, then the targets shifted right.
    targets : integer ndarray of shape (T, B)
        The target tokens, each sequence ending with ``<end>`` and padded with more ``<end>``.
    lengths : integer ndarray of shape (B,)
        The real length of each target, its ``<end>`` included: the loss counts these steps.
    """

    xs: Array
    ys_in: Array
    targets: Tokens
    lengths: Tokens


TranslationBatch.__module__ = "rnnbook.data"


def _below_thousand(n: int) -> list[str]:
    """The words of 1 <= n <= 999."""
    hundreds, rest = divmod(n, 100)
    words = [_ONES[hundreds], "hundred"] if hundreds else []
    if rest >= 20:
        words.append(_TENS[rest // 10 - 2])
        if rest % 10:
            words.append(_ONES[rest % 10])
    elif rest:
        words.append(_ONES[rest])
    return words


def number_words(n: int) -> list[str]:
    """The English words of a whole number below a thousand million, without *and* or hyphens.

    Parameters
    ----------
    n : int
        0 <= n < 10**9.

    Returns
    -------
    list of str
        Words of :data:`~rnnbook.data.numbers.NUMBER_WORDS`.

    Examples
    --------
    >>> " ".join(number_words(342006))
    'three hundred forty two thousand six'
    >>> number_words(0), number_words(17), number_words(2_000_000)
    (['zero'], ['seventeen'], ['two', 'million'])
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise TypeError(f"n must be an integer; got {n!r} of type {type(n).__name__}")
    if not 0 <= n < 10**MAX_DIGITS:
        raise ValueError(f"n must lie in [0, 10**9); got {n}")
    if n == 0:
        return ["zero"]
    millions, rest = divmod(int(n), 10**6)
    thousands, units = divmod(rest, 1000)
    words: list[str] = []
    for group, name in ((millions, "million"), (thousands, "thousand"), (units, "")):
        if group:
            words += _below_thousand(group) + ([name] if name else [])
    return words


def _group_words(g: NDArray[np.int64]) -> NDArray[np.int64]:
    """How many words each group 0..999 takes (0 for 0), the counting of :func:`_below_thousand`."""
    hundreds, rest = g // 100, g % 100
    tens_words = np.where(rest >= 20, 1 + (rest % 10 > 0), rest > 0)
    return 2 * (hundreds > 0) + tens_words


def _word_counts(n: NDArray[np.int64]) -> NDArray[np.int64]:
    """``len(number_words(k))`` for every k of ``n``, at once."""
    millions, thousands, units = n // 10**6, n // 1000 % 1000, n % 1000
    count = (_group_words(millions) + (millions > 0) + _group_words(thousands) + (thousands > 0)
             + _group_words(units))
    return np.where(n == 0, 1, count)


def _draw(rng: np.random.Generator, size: int, max_digits: int) -> NDArray[np.int64]:
    """Numbers with a uniformly drawn count of digits, then uniform among those numbers."""
    d = rng.integers(1, max_digits + 1, size)                          # (size,)
    low = np.where(d == 1, 0, 10 ** (d - 1))
    return low + (rng.random(size) * (10**d - low)).astype(np.int64)


def numbers_to_digits(batch_size: int, *, length: int | None = None,
                      max_digits: int = MAX_DIGITS, seed: Seed = None) -> TranslationBatch:
    """Numbers in words to be written in digits: many-to-many, encoder-decoder.

    Every batch holds sources of one length S, so no source is padded (real translation systems
    group sentences by length in the same way). A number is drawn by drawing its count of digits
    uniformly from 1 to ``max_digits``, then the number uniformly among those with that count;
    numbers are drawn until ``batch_size`` of them have S words.

    Parameters
    ----------
    batch_size : int
        B, the number of numbers.
    length : int, optional
        S, the number of words of every source, between 1 and the most words a number of
        ``max_digits`` digits takes; ``None`` draws S uniformly among the lengths possible.
    max_digits : int, default 9
        The longest numbers, 1 to 9 digits.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    TranslationBatch
        ``xs`` (S, B, 31), one-hot words of :data:`~rnnbook.data.numbers.NUMBER_WORDS`;
        ``targets`` (T, B) with T = ``max_digits + 1``, digits of
        :data:`~rnnbook.data.numbers.DIGITS` then ``<end>``, padded with ``<end>``; ``ys_in``
        (T, B, 12), the one-hot ``<start>`` followed by the targets shifted right (teacher
        forcing); ``lengths`` (B,), the digits of each number plus one for its ``<end>``.

    Examples
    --------
    >>> from rnnbook.data import to_text
    >>> batch = numbers_to_digits(2, length=3, seed=0)
    >>> batch.xs.shape, batch.targets.shape, batch.lengths
    ((3, 2, 31), (10, 2), array([4, 6]))
    >>> to_text(batch.xs[:, 1].argmax(axis=-1), NUMBER_WORDS)
    'sixteen thousand two'
    >>> to_text(batch.targets[:, 1], DIGITS, stop="<end>")
    '1 6 0 0 2 <end>'
    """
    B = _checks.positive_int(batch_size, "batch_size")
    digits = _checks.positive_int(max_digits, "max_digits")
    if digits > MAX_DIGITS:
        raise ValueError(f"max_digits must lie in 1..{MAX_DIGITS}; got {max_digits}")
    longest = max_words(digits)
    rng = as_generator(seed)
    if length is None:
        S = int(rng.integers(1, longest + 1))
    else:
        S = _checks.positive_int(length, "length")
        if S > longest:
            raise ValueError(f"length must lie in 1..{longest}, the lengths of numbers of at most "
                             f"{digits} digits; got {length}")
    numbers: list[int] = []
    while len(numbers) < B:                        # draw many, keep those of S words
        pool = _draw(rng, 50 * B, digits)
        numbers += [int(n) for n in pool[_word_counts(pool) == S][:B - len(numbers)]]
    index = {w: i for i, w in enumerate(NUMBER_WORDS)}
    source = np.array([[index[w] for w in number_words(n)] for n in numbers]).T     # (S, B)
    T = digits + 1
    targets = np.full((T, B), _END, dtype=np.int64)                                 # (T, B)
    lengths = np.empty(B, dtype=np.int64)                                           # (B,)
    for b, n in enumerate(numbers):
        written = [2 + int(c) for c in str(n)]
        targets[:len(written), b] = written
        lengths[b] = len(written) + 1
    ys_in = np.concatenate([np.full((1, B), _START), targets[:-1]])                 # (T, B)
    return TranslationBatch(one_hot(source, len(NUMBER_WORDS)), one_hot(ys_in, len(DIGITS)),
                            targets, lengths)


def max_words(max_digits: int = MAX_DIGITS) -> int:
    """The most words a number of at most ``max_digits`` digits takes.

    Parameters
    ----------
    max_digits : int, default 9

    Returns
    -------
    int

    Examples
    --------
    >>> [max_words(d) for d in range(1, 10)]
    [1, 2, 4, 6, 7, 9, 11, 12, 14]
    """
    digits = _checks.positive_int(max_digits, "max_digits")
    if digits > MAX_DIGITS:
        raise ValueError(f"max_digits must lie in 1..{MAX_DIGITS}; got {max_digits}")
    return len(number_words(int("7" * digits)))   # every group of three: "x hundred yy z"


def digits_of(tokens: NDArray[Any]) -> str:
    """The number a sequence of :data:`~rnnbook.data.numbers.DIGITS` tokens writes, up to its
    first ``<end>``.

    Parameters
    ----------
    tokens : integer ndarray of shape (T,)

    Returns
    -------
    str
        The digits, such as ``"342006"`` (empty if the first token is ``<end>``; a ``<start>``
        token is shown as ``?``).

    Examples
    --------
    >>> digits_of(np.array([5, 2, 1, 1]))
    '30'
    """
    arr = np.asarray(tokens)
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise TypeError(f"tokens must be a 1-d integer array; got dtype {arr.dtype} and shape "
                        f"{_checks.shape_str(arr.shape)}")
    out = []
    for t in arr:
        if t == _END:
            break
        out.append("?" if t == _START else DIGITS[int(t)])
    return "".join(out)
