"""Figures of chapter 12, image captioning: the images with the captions written for them, and
which words a captioner gets right with and without the image.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from rnnbook import _checks
from rnnbook.plot.figure import BookFigure, new_figure
from rnnbook.plot.style import PALETTE, SERIES


def captioned_images(images: ArrayLike, titles: Sequence[str], *, ncols: int = 3) -> BookFigure:
    """A grid of grey images, each with a caption above it.

    Parameters
    ----------
    images : ndarray of shape (N, rows, columns)
        Pixel values; every image is drawn on one grey scale, from 0 (white) to the largest value
        of all (black), as ink on paper.
    titles : sequence of N str
        The caption of each image; may hold line breaks.
    ncols : int, default 3
        Images per row of the grid.

    Returns
    -------
    BookFigure
        One panel per image in a frame, its caption above it, its left and right halves named
        below it.
    """
    arr = _checks.float_array(images, "images", ndim=3, layout="(N, rows, columns)")
    N = len(arr)
    if len(titles) != N:
        raise ValueError(f"titles must hold one string per image ({N}); got {len(titles)}")
    cols = min(_checks.positive_int(ncols, "ncols"), N)
    rows = -(-N // cols)
    lines = max(str(t).count("\n") + 1 for t in titles)
    aspect = arr.shape[1] / arr.shape[2]
    height = rows * (5.8 / cols * aspect + 0.2 * lines + 0.15)
    fig, axes = new_figure(rows, cols, height=height)
    axes = np.atleast_1d(axes).ravel()
    top = float(arr.max()) or 1.0
    for n, ax in enumerate(axes):
        if n >= N:
            ax.remove()
            continue
        ax.imshow(arr[n], cmap="Greys", vmin=0.0, vmax=top, interpolation="nearest")
        ax.grid(False)
        C = arr.shape[2]
        ax.set_xticks([(C / 2 - 1) / 2, (3 * C / 2 - 1) / 2], ["left", "right"])
        ax.set_yticks([])
        ax.tick_params(length=0)
        ax.spines[:].set_visible(True)
        ax.set_title(titles[n], fontsize=10)
        if n >= N - cols:                        # the bottom panel of each column
            ax.set_xlabel("half")
        if n % cols == 0:
            ax.set_ylabel("image")
    return fig


def word_accuracy(positions: Sequence[str], accuracies: Mapping[str, ArrayLike], *,
                  ylabel: str = "words right") -> BookFigure:
    """Grouped bars: the fraction of words right at each position of a caption, per condition.

    Parameters
    ----------
    positions : sequence of str
        The name of each position (``"1st word"``, ...).
    accuracies : mapping of str to ndarray of shape (len(positions),)
        For each condition, by its name in the legend, the fraction right at each position; at
        most seven.
    ylabel : str, default "words right"

    Returns
    -------
    BookFigure
        One group of bars per position, one bar per condition in the condition's colour, with a
        hatch pattern for every condition after the first.
    """
    P = len(positions)
    if P == 0 or not accuracies or len(accuracies) > len(SERIES):
        raise ValueError(f"positions must be non-empty and accuracies hold between 1 and "
                         f"{len(SERIES)} conditions; got {P} and {len(accuracies)}")
    fig, ax = new_figure(height=3.0)
    width = 0.8 / len(accuracies)
    for n, (name, values) in enumerate(accuracies.items()):
        y = _checks.float_array(values, f"accuracies[{name!r}]", ndim=1, layout="(P,)")
        _checks.expect_shape(y, f"accuracies[{name!r}]", (P,), "(P,)", "(one per position)")
        ax.bar(np.arange(P) + (n - (len(accuracies) - 1) / 2) * width, y, width * 0.95,
               label=name, color=PALETTE[SERIES[n][0]], hatch=None if n == 0 else "//",
               edgecolor="white", linewidth=0)
    ax.set_xticks(range(P), list(positions))
    ax.set(ylabel=ylabel, xlabel="position in the caption", ylim=(0, 1.05))
    ax.legend(loc="upper center", ncols=len(accuracies), frameon=False,
              bbox_to_anchor=(0.5, 1.18))
    return fig
