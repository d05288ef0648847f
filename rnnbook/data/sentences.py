r"""Short sentences whose meaning depends on word order: the many-to-one and the aligned
many-to-many tasks of chapter 3.

- :func:`sentiment` (many-to-one): is a short review positive or negative, where ``not`` flips
  the word right after it (and only that word)?
- :func:`tagging` (many-to-many, aligned): a tag for every word, where words such as ``fish`` are
  a noun after ``the`` and a verb after ``they``.

Words are one-hot vectors (:func:`rnnbook.data.one_hot`) over the task's vocabulary, a tuple of
strings whose position is the token index.
"""

from __future__ import annotations

import numpy as np

from rnnbook import _checks
from rnnbook.data.batches import Batch
from rnnbook.data.encoding import one_hot
from rnnbook.types import Seed, as_generator

SENTIMENT_VOCAB: tuple[str, ...] = ("the", "movie", "plot", "was", "really", "and",
                                    "good", "great", "fun", "bad", "dull", "awful", "not")
"""The words of :func:`~rnnbook.data.sentiment`: six neutral, three positive, three negative, and
``not``."""

SENTIMENT_CLASSES: tuple[str, ...] = ("negative", "positive")
"""The classes of :func:`~rnnbook.data.sentiment`."""

TAGGING_VOCAB: tuple[str, ...] = ("the", "a", "I", "you", "they", "fish", "watch", "duck",
                                  "can", "saw")
"""The words of :func:`~rnnbook.data.tagging`: two determiners, three pronouns, five noun-or-verb
words."""

TAGS: tuple[str, ...] = ("DET", "PRON", "NOUN", "VERB")
"""The tags of :func:`~rnnbook.data.tagging`."""

_POSITIVE = (6, 7, 8)   # good, great, fun
_NEGATIVE = (9, 10, 11)  # bad, dull, awful
_NOT = 12
_N_NEUTRAL = 6
_N_DET, _N_PRON = 2, 3
_DET, _PRON, _NOUN, _VERB = range(4)


def sentiment(batch_size: int, *, length: int = 6,
              seed: Seed = None) -> Batch:
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
        ``xs`` of shape (T, B, 13), one-hot words of
        :data:`~rnnbook.data.sentences.SENTIMENT_VOCAB`; ``targets`` of shape (B,), 1 for positive
        and 0 for negative (:data:`~rnnbook.data.sentences.SENTIMENT_CLASSES`).

    Examples
    --------
    >>> from rnnbook.data import to_text
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
            seed: Seed = None) -> Batch:
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
        ``xs`` of shape (T, B, 10), one-hot words of :data:`~rnnbook.data.sentences.TAGGING_VOCAB`;
        ``targets`` of shape (T, B), the index of each word's tag in
        :data:`~rnnbook.data.sentences.TAGS`.

    Examples
    --------
    >>> from rnnbook.data import to_text
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
