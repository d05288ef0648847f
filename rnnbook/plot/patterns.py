"""Figures of the input/output patterns (chapter 3): the diagrams, the toy images, the training.

The diagrams are drawn with :mod:`rnnbook.plot.diagram`'s unrolled chain, one chain per pattern,
all on one canvas so that every pattern is drawn at the same scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks, train
from rnnbook.plot.diagram import finish, new_diagram, unrolled_chain
from rnnbook.plot.style import LINES, PALETTE, BookFigure, new_figure, smoothed

_STYLES = (*(line[:2] for line in LINES), ("purple", (0, (5, 1, 1, 1, 1, 1))))


def _title(ax: Any, x: float, y: float, name: str, example: str) -> None:
    ax.text(x, y + 0.55, name, ha="center", va="bottom", fontsize=11, fontweight="bold")
    ax.text(x, y, example, ha="center", va="bottom", fontsize=9.5, color="#444444")
    half = 0.14 * max(len(name), len(example))          # about half the text's width, in units
    ax.update_datalim([(x - half, y), (x + half, y + 1.1)])


def pattern_diagrams() -> BookFigure:
    r"""The four input/output patterns as unrolled chains, the fourth in its two forms.

    Top row: one-to-one (one input, one output, a single step), one-to-many (an input at the
    first step only, an output at every step), many-to-one (an input at every step, an output at
    the last). Bottom row: many-to-many aligned (an input and an output at every step) and
    encoder-decoder (an encoder reads :math:`x_1, x_2, x_3`; its last state starts a decoder,
    drawn in another colour with primed states :math:`h'_t`, that reads the token :math:`c_{t-1}`
    written before and writes :math:`y_t`).

    Returns
    -------
    BookFigure
        One canvas; every pattern is drawn at the same scale, time running left to right, inputs
        (circles) below the states (boxes) and outputs (circles) above them.
    """
    fig, ax = new_diagram(width=7.6, height=4.4)
    no_weights: dict[str, Any] = dict(xh_label=None, hh_label=None, hy_label=None)
    top, bottom = 0.0, -5.5
    unrolled_chain(ax, 1, outputs="all", h0=False, origin=(-1.6, top), **no_weights)
    _title(ax, 0.0, top + 2.0, "one-to-one", "image → class")
    unrolled_chain(ax, 4, inputs="first", outputs="all", origin=(2.4, top), **no_weights)
    _title(ax, 2.4 + 2.5 * 1.6, top + 2.0, "one-to-many", "image → caption")
    unrolled_chain(ax, 4, outputs="last", origin=(11.2, top), **no_weights)
    _title(ax, 11.2 + 2.5 * 1.6, top + 2.0, "many-to-one", "review → sentiment")
    unrolled_chain(ax, 4, outputs="all", origin=(0.0, bottom), **no_weights)
    _title(ax, 2.5 * 1.6, bottom + 2.0, "many-to-many, aligned", "words → their tags")
    unrolled_chain(ax, 6, inputs="all", outputs=[4, 5, 6], origin=(8.8, bottom),
                   state_labels=["$h_1$", "$h_2$", "$h_3$", "$h'_1$", "$h'_2$", "$h'_3$"],
                   input_labels=["$x_1$", "$x_2$", "$x_3$", "$c_0$", "$c_1$", "$c_2$"],
                   output_labels=["$y_1$", "$y_2$", "$y_3$"],
                   state_kinds=["state"] * 3 + ["state2"] * 3, **no_weights)
    _title(ax, 8.8 + 3.5 * 1.6, bottom + 2.0, "many-to-many, encoder-decoder",
           "word → translation")
    for x, text in [(8.8 + 2 * 1.6, "encoder"), (8.8 + 5 * 1.6, "decoder")]:
        ax.text(x, bottom - 2.1, text, ha="center", va="top", fontsize=9.5, color="#444444")
        ax.update_datalim([(x, bottom - 2.5)])
    finish(ax)
    return fig


def bar_images(images: NDArray[np.floating[Any]], titles: Sequence[str]) -> BookFigure:
    """A row of 4 x 4 bar images (:func:`rnnbook.data.bars`), each with a title underneath.

    Parameters
    ----------
    images : ndarray of shape (N, 16)
        Flattened images, row by row, such as ``batch.xs[0, :N]``.
    titles : sequence of N str
        What to write under each image (the label, a predicted caption); may hold line breaks.

    Returns
    -------
    BookFigure
        One panel per image, grey levels from the smallest to the largest pixel of all images.
    """
    arr = _checks.float_array(images, "images", ndim=2, layout="(N, 16)")
    N = arr.shape[0]
    if arr.shape[1] != 16:
        raise ValueError(f"images must have shape (N, 16), flattened 4 x 4 images; "
                         f"got {_checks.shape_str(arr.shape)}")
    if len(titles) != N:
        raise ValueError(f"titles must hold one string per image ({N}); got {len(titles)}")
    fig, axes = new_figure(1, N, width=1.55 * N, height=2.3)
    axes = np.atleast_1d(axes)
    lo, hi = float(arr.min()), float(arr.max())
    for ax, image, title in zip(axes, arr, titles, strict=True):
        ax.imshow(image.reshape(4, 4), cmap="Greys", vmin=lo, vmax=hi)
        ax.grid(False)
        ax.set_xticks(range(4), [str(i) for i in range(1, 5)])
        ax.set_yticks(range(4), [str(i) for i in range(1, 5)])
        ax.tick_params(length=0, labelsize="x-small")
        ax.set_xlabel(f"column\n\n{title}", fontsize="small")
        ax.set_ylabel("row", fontsize="small")
        ax.spines[:].set_visible(True)
    return fig


def pattern_learning_curves(histories: Mapping[str, train.History], *,
                            smooth: int = 10) -> BookFigure:
    r"""The training loss of several tasks against the step, on one axes.

    Parameters
    ----------
    histories : mapping of str to History
        One :class:`rnnbook.train.History` per task, by the name to show in the legend (at most
        five).
    smooth : int, default 10
        Each curve is the mean of the loss over a sliding window of this many steps (1 draws the
        raw loss); the batch-to-batch noise would otherwise hide the trend.

    Returns
    -------
    BookFigure
        The cross-entropy on a logarithmic axis, each task in its own colour and line style.
    """
    if not histories or len(histories) > len(_STYLES):
        raise ValueError(f"histories must hold between 1 and {len(_STYLES)} training records; "
                         f"got {len(histories)}")
    w = _checks.positive_int(smooth, "smooth")
    fig, ax = new_figure(width=7.5, height=3.2)
    for (name, history), (colour, style) in zip(histories.items(), _STYLES, strict=False):
        _checks.instance(history, f"histories[{name!r}]", train.History, "a train.History")
        ax.plot(*smoothed(history.loss, w), color=PALETTE[colour], linestyle=style, label=name)
    ax.set(xlabel="training step", ylabel="cross-entropy (training batch)", yscale="log")
    ax.legend(frameon=False, fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig
