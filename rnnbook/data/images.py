r"""Noisy images of one bar: the one-to-one and one-to-many tasks of chapter 3.

- :func:`bars` (one-to-one): is the bar in a noisy 4 x 4 image horizontal or vertical?
- :func:`bar_captions` (one-to-many): the same image shown once, then a caption written word by
  word, such as ``vertical bar in column 3 .``

Images are flattened row by row into 16 pixels; captions are tokens of
:data:`~rnnbook.data.images.CAPTION_VOCAB`.
"""

from __future__ import annotations

import numpy as np

from rnnbook import _checks
from rnnbook.data.batches import Batch, Tokens
from rnnbook.types import Array, Seed, as_generator

ORIENTATIONS: tuple[str, ...] = ("horizontal", "vertical")
"""The classes of :func:`~rnnbook.data.bars`: 0 a horizontal bar (a lit row), 1 a vertical bar
(a lit column)."""

CAPTION_VOCAB: tuple[str, ...] = ("horizontal", "vertical", "bar", "in", "row", "column",
                                  "1", "2", "3", "4", ".")
"""The words of :func:`~rnnbook.data.bar_captions`; a word's token is its index."""


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
         seed: Seed = None) -> Batch:
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
        ``targets`` of shape (B,), the index of the orientation in
        :data:`~rnnbook.data.images.ORIENTATIONS`.

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
                 seed: Seed = None) -> Batch:
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
        ``xs`` of shape (6, B, 16): the flattened image at step 1 and zeros at the five steps after
        it; ``targets`` of shape (6, B), the caption's tokens in
        :data:`~rnnbook.data.images.CAPTION_VOCAB`, such as ``horizontal bar in row 2 .`` (rows are
        numbered from the top, columns from the left, starting at 1).

    Examples
    --------
    >>> batch = bar_captions(2, seed=0)
    >>> batch.xs.shape, batch.targets.shape, bool((batch.xs[1:] == 0).all())
    ((6, 2, 16), (6, 2), True)
    >>> from rnnbook.data import to_text
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
