r"""Two handwritten digits side by side, and a caption that says which is where: chapter 12.

The digits are scikit-learn's 8 x 8 handwritten digits (1,797 images, the test set of Alpaydin
& Kaynak's optical recognition data set, shipped inside scikit-learn; nothing is downloaded).
Two of them side by side make an 8 x 16 image, and its caption names the larger digit first and
says on which side it stands:

- *seven right of three* when the left digit is 3 and the right one 7;
- *seven left of three* when the left one is 7 and the right one 3;
- *two sevens* when both are 7.

So the first word already needs both digits, and the second needs where the larger one is. The
first :data:`~rnnbook.data.handwritten.TRAIN_IMAGES` images make the training pairs, the others
the test pairs: a captioner is tested on images it never saw.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks
from rnnbook.data.batches import Tokens
from rnnbook.data.encoding import one_hot
from rnnbook.types import Array, Seed, as_generator

_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_PLURALS = ("zeros", "ones", "twos", "threes", "fours", "fives", "sixes", "sevens", "eights",
            "nines")

CAPTION_WORDS: tuple[str, ...] = ("<start>", "<end>", *_NAMES, *_PLURALS, "left", "right", "of")
"""The vocabulary of :func:`~rnnbook.data.digit_pairs`: start, end, the ten digits' names (the
name of digit d is token d + 2), their plurals, and *left*, *right*, *of*."""

TRAIN_IMAGES = 1200
"""The first 1,200 of scikit-learn's 1,797 digit images make training pairs, the rest test
pairs."""

_START, _END = 0, 1
_LEFT, _RIGHT, _OF = (CAPTION_WORDS.index(w) for w in ("left", "right", "of"))


class CaptionBatch(NamedTuple):
    """Image features, decoder inputs, targets and caption lengths of a captioning task.

    The fields are, in order, the arguments of :func:`rnnbook.captioning.loss_and_grads` after
    the model.

    Attributes
    ----------
    features : ndarray of shape (B, F)
        One feature vector per image: here its pixels, row by row, in [0, 1] (F = 128).
    ys_in : ndarray of shape (T, B, V)
        ``<start>``, then the caption shifted right (teacher forcing).
    targets : integer ndarray of shape (T, B)
        The caption's words, then ``<end>``, padded with ``<end>`` (T = 5).
    lengths : integer ndarray of shape (B,)
        The words of each caption plus one for its ``<end>``: 5, or 3 for *two sevens*.
    """

    features: Array
    ys_in: Array
    targets: Tokens
    lengths: Tokens


CaptionBatch.__module__ = "rnnbook.data"


@functools.lru_cache(maxsize=1)
def _digits() -> tuple[Array, NDArray[np.int64]]:
    """scikit-learn's digit images scaled to [0, 1], (1797, 8, 8), and their labels."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:  # pragma: no cover - the book's extra installs it
        raise ImportError("the handwritten digits come with scikit-learn: pip install "
                          "scikit-learn (it is part of rnnbook's 'book' extra)") from None
    digits = load_digits()
    images = np.asarray(digits.images, dtype=np.float64) / 16.0      # (N, 8, 8), in [0, 1]
    labels = np.asarray(digits.target, dtype=np.int64)               # (N,)
    images.flags.writeable = labels.flags.writeable = False
    return images, labels


def pair_caption(left: int, right: int) -> list[str]:
    """The caption of a pair of digits.

    Parameters
    ----------
    left, right : int
        The digits on the left and on the right, 0 to 9.

    Returns
    -------
    list of str

    Examples
    --------
    >>> pair_caption(3, 7), pair_caption(7, 3), pair_caption(7, 7)
    (['seven', 'right', 'of', 'three'], ['seven', 'left', 'of', 'three'], ['two', 'sevens'])
    """
    for name, d in (("left", left), ("right", right)):
        if isinstance(d, bool) or not isinstance(d, int | np.integer) or not 0 <= d <= 9:
            raise ValueError(f"{name} must be a digit, 0 to 9; got {d!r}")
    if left == right:
        return ["two", _PLURALS[left]]
    larger, smaller = max(left, right), min(left, right)
    return [_NAMES[larger], "left" if left > right else "right", "of", _NAMES[smaller]]


def digit_pairs(batch_size: int, *, split: str = "train", seed: Seed = None) -> CaptionBatch:
    """Pairs of handwritten digits side by side, with their captions: one-to-many.

    Parameters
    ----------
    batch_size : int
        B, the number of images.
    split : {"train", "test"}, default "train"
        Draw the digits from the first :data:`~rnnbook.data.handwritten.TRAIN_IMAGES` images or
        from the others.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    CaptionBatch
        ``features`` (B, 128): the 8 x 16 image row by row (``features[b].reshape(8, 16)``
        shows it); ``targets`` (5, B) in :data:`~rnnbook.data.handwritten.CAPTION_WORDS`.

    Examples
    --------
    >>> from rnnbook.data import to_text
    >>> batch = digit_pairs(2, seed=0)
    >>> batch.features.shape, batch.targets.shape, batch.lengths
    ((2, 128), (5, 2), array([5, 5]))
    >>> to_text(batch.targets[:, 0], CAPTION_WORDS, stop="<end>")
    'nine left of four <end>'
    """
    B = _checks.positive_int(batch_size, "batch_size")
    _checks.choice(split, "split", ("train", "test"))
    images, labels = _digits()
    pool = np.arange(TRAIN_IMAGES) if split == "train" else np.arange(TRAIN_IMAGES, len(images))
    rng = as_generator(seed)
    left, right = rng.choice(pool, B), rng.choice(pool, B)                 # (B,) each
    pictures = np.concatenate([images[left], images[right]], axis=2)       # (B, 8, 16)
    index = {w: i for i, w in enumerate(CAPTION_WORDS)}
    targets = np.full((5, B), _END, dtype=np.int64)                        # (T, B)
    lengths = np.empty(B, dtype=np.int64)
    for b in range(B):
        words = [index[w] for w in pair_caption(int(labels[left[b]]), int(labels[right[b]]))]
        targets[:len(words), b] = words
        lengths[b] = len(words) + 1
    ys_in = np.concatenate([np.full((1, B), _START), targets[:-1]])        # (T, B)
    V = len(CAPTION_WORDS)
    return CaptionBatch(pictures.reshape(B, 128), one_hot(ys_in, V), targets, lengths)
