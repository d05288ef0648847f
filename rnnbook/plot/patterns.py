"""Figures of the input/output patterns (chapter 3): the diagrams, the toy images, the training.

The diagrams are drawn with :func:`rnnbook.plot.chain.unrolled_chain`, one chain per pattern,
all on one canvas so that every pattern is drawn at the same scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from rnnbook import _checks
from rnnbook.plot.chain import unrolled_chain
from rnnbook.plot.diagram import finish, new_diagram
from rnnbook.plot.figure import BookFigure, new_figure
from rnnbook.plot.style import SERIES, Curve, as_curve, series

_GAP = 1.45     # distance between two states of a chain, in the diagram's units


def _title(ax: Any, x: float, y: float, name: str, example: str) -> None:
    ax.text(x, y + 0.6, name, ha="center", va="bottom", fontsize=11, fontweight="bold")
    ax.text(x, y, example, ha="center", va="bottom", fontsize=10, color="#444444")
    half = 0.16 * max(len(name), len(example))          # about half the text's width, in units
    ax.update_datalim([(x - half, y), (x + half, y + 1.2)])


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
    fig, ax = new_diagram(height=3.7)
    chain: dict[str, Any] = dict(xh_label=None, hh_label=None, hy_label=None, spacing=_GAP,
                                 size=0.9, fontsize=10)
    top, bottom = 0.0, -5.6
    middle = 2.5 * _GAP                                 # from h_0 to the middle of h_1 .. h_4
    unrolled_chain(ax, 1, outputs="all", h0=False, origin=(-_GAP, top), **chain)
    _title(ax, 0.0, top + 2.0, "one-to-one", "image → class")
    unrolled_chain(ax, 4, inputs="first", outputs="all", origin=(2.3, top), **chain)
    _title(ax, 2.3 + middle, top + 2.0, "one-to-many", "image → caption")
    unrolled_chain(ax, 4, outputs="last", origin=(9.6, top), **chain)
    _title(ax, 9.6 + middle, top + 2.0, "many-to-one", "review → sentiment")
    unrolled_chain(ax, 4, outputs="all", origin=(-0.9, bottom), **chain)
    _title(ax, -0.9 + middle, bottom + 2.0, "many-to-many, aligned", "words → their tags")
    encdec = 15.2 - 6 * _GAP
    unrolled_chain(ax, 6, inputs="all", outputs=[4, 5, 6], origin=(encdec, bottom),
                   state_labels=["$h_1$", "$h_2$", "$h_3$", "$h'_1$", "$h'_2$", "$h'_3$"],
                   input_labels=["$x_1$", "$x_2$", "$x_3$", "$c_0$", "$c_1$", "$c_2$"],
                   output_labels=["$y_1$", "$y_2$", "$y_3$"],
                   state_kinds=["state"] * 3 + ["state2"] * 3, **chain)
    _title(ax, encdec + 3.5 * _GAP, bottom + 2.0, "many-to-many, encoder-decoder",
           "word → translation")
    for x, text in [(encdec + 2 * _GAP, "encoder"), (encdec + 5 * _GAP, "decoder")]:
        ax.text(x, bottom - 2.1, text, ha="center", va="top", fontsize=10, color="#444444")
        ax.update_datalim([(x, bottom - 2.6)])
    finish(ax)
    return fig


def bar_images(images: ArrayLike, titles: Sequence[str], *, ncols: int = 3) -> BookFigure:
    """A grid of 4 x 4 bar images (:func:`rnnbook.data.bars`), each with a title above it.

    Parameters
    ----------
    images : ndarray of shape (N, 16)
        Flattened images, row by row, such as ``batch.xs[0, :N]``.
    titles : sequence of N str
        What to write above each image (the label, a predicted caption); may hold line breaks.
    ncols : int, default 3
        Images per row of the grid.

    Returns
    -------
    BookFigure
        One panel per image, rows and columns numbered from 1, grey levels from the smallest to
        the largest pixel of all images.
    """
    arr = _checks.float_array(images, "images", ndim=2, layout="(N, 16)")
    N = arr.shape[0]
    if arr.shape[1] != 16:
        raise ValueError(f"images must have shape (N, 16), flattened 4 x 4 images; "
                         f"got {_checks.shape_str(arr.shape)}")
    if len(titles) != N:
        raise ValueError(f"titles must hold one string per image ({N}); got {len(titles)}")
    cols = min(_checks.positive_int(ncols, "ncols"), N)
    rows = -(-N // cols)
    lines = max(str(t).count("\n") + 1 for t in titles)
    fig, axes = new_figure(rows, cols, height=rows * (1.8 + 0.22 * lines))
    fig.set_layout_engine("compressed")          # square images: no blank space between them
    axes = np.atleast_1d(axes).ravel()
    lo, hi = float(arr.min()), float(arr.max())
    for n, ax in enumerate(axes):
        if n >= N:
            ax.remove()
            continue
        ax.imshow(arr[n].reshape(4, 4), cmap="Greys", vmin=lo, vmax=hi)
        ax.grid(False)
        ax.set_xticks(range(4), [str(i) for i in range(1, 5)])
        ax.set_yticks(range(4), [str(i) for i in range(1, 5)])
        ax.tick_params(length=0)
        ax.set_title(titles[n], fontsize=10)
        ax.set_xlabel("column")
        if n % cols == 0:
            ax.set_ylabel("row")
        ax.spines[:].set_visible(True)
    return fig


def pattern_learning_curves(curves: Mapping[str, Curve]) -> BookFigure:
    r"""The training loss of several tasks against the step, on one axes.

    Parameters
    ----------
    curves : mapping of str to (steps, values)
        One training loss per task, by the name to show in the legend (at most seven), such as
        ``rnnbook.smoothing.moving_average(history.loss, 10)``: the mean over a sliding window
        shows the trend the batch-to-batch noise would hide.

    Returns
    -------
    BookFigure
        The cross-entropy on a logarithmic axis, each task with its own colour, line style and
        marker; the legend above.
    """
    if not curves or len(curves) > len(SERIES):
        raise ValueError(f"curves must hold between 1 and {len(SERIES)} training losses; "
                         f"got {len(curves)}")
    fig, ax = new_figure(height=3.8)
    for n, (name, curve) in enumerate(curves.items()):
        steps, values = as_curve(curve, f"curves[{name!r}]")
        ax.plot(steps, values, label=name, markevery=max(len(steps) // 6, 1), markersize=4,
                **series(n))
    ax.set(xlabel="training step", ylabel="training cross-entropy", yscale="log")
    fig.legend(loc="outside upper center", ncols=2, frameon=False)
    return fig
