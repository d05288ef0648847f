r"""Toy tasks for the four input/output patterns (chapter 3), one small task per pattern.

Each task is made so that its pattern is the natural one, and so that a vanilla RNN with a few
dozen hidden units learns it in a few hundred Adam steps:

- :func:`bars` (one-to-one): is the bar in a noisy 4 x 4 image horizontal or vertical?
- :func:`bar_captions` (one-to-many): the same image shown once, then a caption written word by
  word, such as ``vertical bar in column 3 .``
- :func:`sentiment` (many-to-one): is a short review positive or negative, where ``not`` flips
  the word right after it (and only that word)?
- :func:`tagging` (many-to-many, aligned): a tag for every word, where words such as ``fish`` are
  a noun after ``the`` and a verb after ``they``;
- :func:`reverse_translation` (many-to-many, encoder-decoder): a word of 2 to 5 Latin letters
  becomes the same letters in Greek, in reverse order, followed by an end token.

Every task returns time-major arrays in a :class:`Batch` (``xs``, ``targets``) or a
:class:`Seq2SeqBatch` (``xs``, ``ys_in``, ``targets``), whose fields are, in order, the arguments
of :func:`rnnbook.patterns.loss_and_grads` and :func:`rnnbook.patterns.seq2seq_loss_and_grads`
after the model. :func:`stream` draws a fresh batch for every training step; :func:`to_text` turns
token indices back into words, and :func:`encode` turns your own sentences into inputs. Words
are one-hot vectors (:func:`rnnbook.data.one_hot`) over the task's vocabulary, a tuple of strings
whose position is the token index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks
from rnnbook.data.encoding import one_hot
from rnnbook.types import Array, as_generator

Tokens = NDArray[np.int64]

ORIENTATIONS: tuple[str, ...] = ("horizontal", "vertical")
"""The classes of :func:`bars`: 0 a horizontal bar (a lit row), 1 a vertical bar (a lit column)."""

CAPTION_VOCAB: tuple[str, ...] = ("horizontal", "vertical", "bar", "in", "row", "column",
                                  "1", "2", "3", "4", ".")
"""The words of :func:`bar_captions`; a word's token is its index."""

SENTIMENT_VOCAB: tuple[str, ...] = ("the", "movie", "plot", "was", "really", "and",
                                    "good", "great", "fun", "bad", "dull", "awful", "not")
"""The words of :func:`sentiment`: six neutral, three positive, three negative, and ``not``."""

SENTIMENT_CLASSES: tuple[str, ...] = ("negative", "positive")
"""The classes of :func:`sentiment`."""

TAGGING_VOCAB: tuple[str, ...] = ("the", "a", "I", "you", "they", "fish", "watch", "duck",
                                  "can", "saw")
"""The words of :func:`tagging`: two determiners, three pronouns, five noun-or-verb words."""

TAGS: tuple[str, ...] = ("DET", "PRON", "NOUN", "VERB")
"""The tags of :func:`tagging`."""

SOURCE_VOCAB: tuple[str, ...] = ("<pad>", "a", "b", "c", "d")
"""The source tokens of :func:`reverse_translation`: padding, then four Latin letters."""

TARGET_VOCAB: tuple[str, ...] = ("<start>", "<end>", "α", "β", "γ", "δ")
"""The target tokens of :func:`reverse_translation`: start, end, and the Greek letters for a-d."""

_POSITIVE = (6, 7, 8)   # good, great, fun
_NEGATIVE = (9, 10, 11)  # bad, dull, awful
_NOT = 12
_N_NEUTRAL = 6
_N_DET, _N_PRON = 2, 3
_DET, _PRON, _NOUN, _VERB = range(4)
_START, _END = 0, 1


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


def _bar_images(batch_size: int, noise: float,
                rng: np.random.Generator) -> tuple[Array, Tokens, Tokens]:
    """Images (B, 16), orientations (B,) and bar positions (B,) in 0..3."""
    orientation = rng.integers(0, 2, batch_size)                       # (B,)
    position = rng.integers(0, 4, batch_size)                          # (B,)
    images = np.zeros((batch_size, 4, 4))                              # (B, 4, 4) rows, columns
    rows = np.arange(batch_size)
    horizontal = orientation == 0
    images[rows[horizontal], position[horizontal], :] = 1.0
    images[rows[~horizontal], :, position[~horizontal]] = 1.0
    images += noise * rng.standard_normal(images.shape)
    return images.reshape(batch_size, 16), orientation, position


def bars(batch_size: int, *, noise: float = 0.4,
         seed: int | np.random.Generator | None = None) -> Batch:
    r"""Noisy 4 x 4 images of one bar, to classify as horizontal (0) or vertical (1): one-to-one.

    Parameters
    ----------
    batch_size : int
        B, the number of images.
    noise : float, default 0.4
        Standard deviation of the Gaussian noise added to every pixel (the bar's pixels are 1,
        the others 0).
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Batch
        ``xs`` of shape (1, B, 16), the image flattened row by row, as a sequence of length 1;
        ``targets`` of shape (B,), the index of the orientation in ``toys.ORIENTATIONS``.

    Notes
    -----
    No linear function of the pixels separates the classes: a score :math:`w^\top x` that is
    positive for every horizontal bar sums the weights of each row to a positive number, so the
    sum of all weights is positive, and the same argument for the columns makes it negative. A
    hidden layer (here, the state of an RNN run for one step) is needed.

    Examples
    --------
    >>> batch = bars(3, noise=0.0, seed=0)
    >>> batch.xs.shape, batch.targets.shape
    ((1, 3, 16), (3,))
    >>> batch.xs[0, 0].reshape(4, 4).sum(axis=1 - batch.targets[0]).max()  # a full line of 1s
    np.float64(4.0)
    """
    B = _checks.positive_int(batch_size, "batch_size")
    sigma = _checks.positive_float(noise, "noise", allow_zero=True)
    images, orientation, _ = _bar_images(B, sigma, as_generator(seed))
    return Batch(images[None], orientation)                             # (1, B, 16), (B,)


def bar_captions(batch_size: int, *, noise: float = 0.4,
                 seed: int | np.random.Generator | None = None) -> Batch:
    """A noisy bar image shown at the first step, then its caption word by word: one-to-many.

    Parameters
    ----------
    batch_size : int
        B, the number of images.
    noise : float, default 0.4
        As in :func:`bars`.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Batch
        ``xs`` of shape (6, B, 16): the flattened image at step 1 and zeros at the five steps
        after it; ``targets`` of shape (6, B), the caption's tokens in ``toys.CAPTION_VOCAB``,
        such as ``horizontal bar in row 2 .`` (rows are numbered from the top, columns from the
        left, starting at 1).

    Examples
    --------
    >>> batch = bar_captions(2, seed=0)
    >>> batch.xs.shape, batch.targets.shape, bool((batch.xs[1:] == 0).all())
    ((6, 2, 16), (6, 2), True)
    >>> to_text(batch.targets[:, 0], CAPTION_VOCAB)
    'vertical bar in column 3 .'
    """
    B = _checks.positive_int(batch_size, "batch_size")
    sigma = _checks.positive_float(noise, "noise", allow_zero=True)
    images, orientation, position = _bar_images(B, sigma, as_generator(seed))
    xs = np.zeros((6, B, 16))                                           # (T, B, 16)
    xs[0] = images
    word = {w: i for i, w in enumerate(CAPTION_VOCAB)}
    targets = np.empty((6, B), dtype=np.int64)                          # (T, B)
    targets[0] = orientation                       # "horizontal" and "vertical" are tokens 0, 1
    targets[1] = word["bar"]
    targets[2] = word["in"]
    targets[3] = np.where(orientation == 0, word["row"], word["column"])
    targets[4] = word["1"] + position
    targets[5] = word["."]
    return Batch(xs, targets)


def sentiment(batch_size: int, *, length: int = 6,
              seed: int | np.random.Generator | None = None) -> Batch:
    """Short reviews with one opinion word, where ``not`` flips the next word: many-to-one.

    Each review has ``length`` words: one opinion word (``good``, ``great``, ``fun`` or ``bad``,
    ``dull``, ``awful``) at a random position, neutral filler elsewhere, and in half of the
    reviews ``not`` right before the opinion word, which flips it. In half of the others ``not``
    stands somewhere else, where it flips nothing, so the words alone, without their order,
    do not give the answer.

    Parameters
    ----------
    batch_size : int
        B, the number of reviews.
    length : int, default 6
        T, the number of words, >= 3.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Batch
        ``xs`` of shape (T, B, 13), one-hot words of ``toys.SENTIMENT_VOCAB``; ``targets`` of
        shape (B,), 1 for positive and 0 for negative (``toys.SENTIMENT_CLASSES``).

    Examples
    --------
    >>> batch = sentiment(3, seed=3)
    >>> for b in range(3):
    ...     print(to_text(batch.xs[:, b].argmax(axis=-1), SENTIMENT_VOCAB), batch.targets[b])
    really not dull movie movie really 1
    and not the the dull plot 0
    was plot movie not dull really 1
    """
    B = _checks.positive_int(batch_size, "batch_size")
    T = _checks.positive_int(length, "length")
    if T < 3:
        raise ValueError(f"length must be at least 3 (room for 'not', an opinion word and "
                         f"filler); got {length}")
    rng = as_generator(seed)
    rows = np.arange(B)
    words = rng.integers(0, _N_NEUTRAL, (B, T))                         # (B, T) filler
    positive = rng.integers(0, 2, B).astype(bool)                       # (B,)
    opinion = np.where(positive, rng.choice(_POSITIVE, B), rng.choice(_NEGATIVE, B))
    negated = rng.integers(0, 2, B).astype(bool)                        # (B,)
    distractor = ~negated & (rng.integers(0, 2, B) == 1)                # (B,) 'not' elsewhere
    # Negated reviews need a position before the opinion word; the others may use any.
    where = np.where(negated, rng.integers(1, T, B), rng.integers(0, T, B))  # (B,)
    words[rows, where] = opinion
    words[rows[negated], where[negated] - 1] = _NOT
    # A distractor 'not' goes anywhere except the opinion word and the word right before it.
    for b in np.flatnonzero(distractor):
        allowed = [t for t in range(T) if t != where[b] and t != where[b] - 1]
        words[b, rng.choice(allowed)] = _NOT
    targets = (positive ^ negated).astype(np.int64)                     # (B,)
    return Batch(one_hot(words.T, len(SENTIMENT_VOCAB)), targets)       # (T, B, V), (B,)


def tagging(batch_size: int, *, length: int = 8,
            seed: int | np.random.Generator | None = None) -> Batch:
    """Tag every word, where a word's tag depends on the word before it: many-to-many, aligned.

    A sentence is a run of two-word phrases: a determiner (``the``, ``a``) or a pronoun (``I``,
    ``you``, ``they``), then one of ``fish``, ``watch``, ``duck``, ``can``, ``saw``, which is a
    noun after a determiner (*the duck*) and a verb after a pronoun (*they duck*). Seen alone,
    each of these five words is a noun half the time and a verb half the time.

    Parameters
    ----------
    batch_size : int
        B, the number of sentences.
    length : int, default 8
        T, the number of words, an even number >= 2.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Batch
        ``xs`` of shape (T, B, 10), one-hot words of ``toys.TAGGING_VOCAB``; ``targets`` of shape
        (T, B), the index of each word's tag in ``toys.TAGS``.

    Examples
    --------
    >>> batch = tagging(1, length=4, seed=3)
    >>> to_text(batch.xs[:, 0].argmax(axis=-1), TAGGING_VOCAB)
    'I saw a duck'
    >>> to_text(batch.targets[:, 0], TAGS)
    'PRON VERB DET NOUN'
    """
    B = _checks.positive_int(batch_size, "batch_size")
    T = _checks.positive_int(length, "length")
    if T % 2:
        raise ValueError(f"length must be even (sentences are two-word phrases); got {length}")
    rng = as_generator(seed)
    is_pronoun = rng.integers(0, 2, (T // 2, B)).astype(bool)           # (T/2, B)
    first = np.where(is_pronoun, _N_DET + rng.integers(0, _N_PRON, (T // 2, B)),
                     rng.integers(0, _N_DET, (T // 2, B)))              # (T/2, B)
    second = _N_DET + _N_PRON + rng.integers(0, 5, (T // 2, B))         # (T/2, B)
    words = np.empty((T, B), dtype=np.int64)                            # (T, B)
    words[0::2], words[1::2] = first, second
    targets = np.empty((T, B), dtype=np.int64)                          # (T, B)
    targets[0::2] = np.where(is_pronoun, _PRON, _DET)
    targets[1::2] = np.where(is_pronoun, _VERB, _NOUN)
    return Batch(one_hot(words, len(TAGGING_VOCAB)), targets)


def reverse_translation(batch_size: int, *, min_length: int = 2, max_length: int = 5,
                        seed: int | np.random.Generator | None = None) -> Seq2SeqBatch:
    """Latin letters to Greek letters in reverse order: many-to-many, encoder-decoder.

    A source word of ``min_length`` to ``max_length`` letters from ``a``-``d`` becomes the same
    letters as ``α``-``δ``, reversed, then ``<end>``: ``a b d`` becomes ``δ β α <end>``. The
    output is one token longer than the input, and where the source is short the target ends
    early: the decoder itself must say where to stop.

    Parameters
    ----------
    batch_size : int
        B, the number of words.
    min_length, max_length : int, default 2 and 5
        The range of source lengths, 1 <= min_length <= max_length.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Seq2SeqBatch
        ``xs`` of shape (S, B, 5) with S = ``max_length``: one-hot tokens of
        ``toys.SOURCE_VOCAB``, shorter words padded with ``<pad>`` at the front so that every
        word ends at the last step; ``targets`` of shape (S + 1, B) in ``toys.TARGET_VOCAB``,
        padded with ``<end>`` after the first ``<end>``; ``ys_in`` of shape (S + 1, B, 6), the
        one-hot ``<start>`` followed by the targets shifted right (teacher forcing).

    Examples
    --------
    >>> batch = reverse_translation(1, min_length=3, max_length=3, seed=1)
    >>> to_text(batch.xs[:, 0].argmax(axis=-1), SOURCE_VOCAB)
    'b c d'
    >>> to_text(batch.targets[:, 0], TARGET_VOCAB)
    'δ γ β <end>'
    >>> to_text(batch.ys_in[:, 0].argmax(axis=-1), TARGET_VOCAB)
    '<start> δ γ β'
    """
    B = _checks.positive_int(batch_size, "batch_size")
    lo = _checks.positive_int(min_length, "min_length")
    S = _checks.positive_int(max_length, "max_length")
    if lo > S:
        raise ValueError(f"min_length must be <= max_length; got min_length={min_length}, "
                         f"max_length={max_length}")
    rng = as_generator(seed)
    lengths = rng.integers(lo, S + 1, B)                                 # (B,)
    letters = rng.integers(0, 4, (S, B))                                 # (S, B) 0..3 = a..d
    real = np.arange(S)[:, None] >= S - lengths                          # (S, B) not padding
    source = np.where(real, 1 + letters, 0)                              # (S, B)
    targets = np.full((S + 1, B), _END, dtype=np.int64)                  # (S + 1, B)
    for b in range(B):
        word = letters[S - lengths[b]:, b]
        targets[:lengths[b], b] = 2 + word[::-1]
    ys_in = np.concatenate([np.full((1, B), _START), targets[:-1]])      # (S + 1, B)
    V = len(TARGET_VOCAB)
    return Seq2SeqBatch(one_hot(source, len(SOURCE_VOCAB)), one_hot(ys_in, V), targets)


def stream(task: Callable[..., Any], batch_size: int, *,
           seed: int | np.random.Generator | None = None, **options: Any) -> Iterator[Any]:
    """An endless stream of fresh batches of a task, for :func:`rnnbook.train.fit`.

    Parameters
    ----------
    task : callable
        A task of this module, such as :func:`sentiment`.
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


def encode(sentences: Sequence[str], vocab: Sequence[str]) -> Array:
    """One-hot inputs for sentences you write yourself, to feed a trained model.

    Parameters
    ----------
    sentences : sequence of B str
        Words separated by spaces, every sentence with the same number T of words, every word
        in ``vocab``.
    vocab : sequence of str
        The task's vocabulary, such as ``toys.SENTIMENT_VOCAB``.

    Returns
    -------
    ndarray of shape (T, B, V)

    Examples
    --------
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
        The task's vocabulary, such as ``toys.SENTIMENT_VOCAB``.
    stop : str, optional
        Stop after the first occurrence of this word (kept), such as ``"<end>"``.

    Returns
    -------
    str

    Examples
    --------
    >>> to_text([2, 3, 1, 1], TARGET_VOCAB, stop="<end>")
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
