r"""Latin letters to Greek letters in reverse order: the encoder-decoder task of chapter 3.

:func:`reverse_translation` makes source words of :data:`SOURCE_VOCAB` and their translations in
:data:`TARGET_VOCAB`, with the decoder's inputs for teacher forcing, in a
:class:`~rnnbook.data.Seq2SeqBatch`.
"""

from __future__ import annotations

import numpy as np

from rnnbook import _checks
from rnnbook.data.batches import Seq2SeqBatch
from rnnbook.data.encoding import one_hot
from rnnbook.types import Seed, as_generator

SOURCE_VOCAB: tuple[str, ...] = ("<pad>", "a", "b", "c", "d")
"""The source tokens of :func:`~rnnbook.data.reverse_translation`: padding, then four Latin
letters."""

TARGET_VOCAB: tuple[str, ...] = ("<start>", "<end>", "α", "β", "γ", "δ")
"""The target tokens of :func:`~rnnbook.data.reverse_translation`: start, end, and the Greek
letters for a-d."""

_START, _END = 0, 1


def reverse_translation(batch_size: int, *, min_length: int = 2, max_length: int = 5,
                        seed: Seed = None) -> Seq2SeqBatch:
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
        :data:`~rnnbook.data.translation.SOURCE_VOCAB`, shorter words padded with ``<pad>`` at the
        front so that every word ends at the last step; ``targets`` of shape (S + 1, B) in
        :data:`~rnnbook.data.translation.TARGET_VOCAB`, padded with ``<end>`` after the first
        ``<end>``; ``ys_in`` of shape (S + 1, B, 6), the one-hot ``<start>`` followed by the targets
        shifted right (teacher forcing).

    Examples
    --------
    >>> from rnnbook.data import to_text
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
