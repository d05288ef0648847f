"""The look shared by every figure of the book: palette, colour maps, resolution.

One palette, set once: Okabe & Ito's eight colours, distinguishable with the common forms of
colour blindness, plus a sequential and a diverging colour map that are perceptually uniform.
Figures have an opaque white background, so they stay legible on the book's dark theme.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
"""Okabe & Ito (2008) colours, by name."""

CYCLE: tuple[str, ...] = tuple(PALETTE[c] for c in
                               ("blue", "orange", "green", "vermillion", "sky", "purple", "black"))
"""The order in which lines take colours (yellow is left out: too pale on white)."""

SEQUENTIAL = "viridis"
"""Colour map for magnitudes (perceptually uniform, colour-blind safe)."""

DIVERGING = "RdBu_r"
"""Colour map for signed values centred on 0 (ColorBrewer, colour-blind safe)."""

DPI = 150
"""Resolution of the PNG a figure shows as: crisp at the book's column width."""

LINES: tuple[tuple[str, Any, str], ...] = (
    ("blue", "-", "o"), ("orange", "--", "s"), ("green", "-.", "^"), ("vermillion", ":", "D"),
)
"""(colour name, line style, marker) of successive lines: told apart without colour too.
Modules that draw more lines append their own."""


def smoothed(loss: Any, window: int) -> tuple[Any, Any]:
    """The steps and the mean of ``loss`` over a sliding window of ``window`` steps.

    Parameters
    ----------
    loss : ndarray of shape (steps,)
        One value per training step.
    window : int
        Steps averaged, >= 1 (at most ``steps`` are used).

    Returns
    -------
    steps, mean : ndarrays of shape (steps - k + 1,), k = min(window, steps)
        The step at the end of each window (counting from 1), and the mean over the window.
    """
    k = min(window, len(loss))
    return np.arange(k, len(loss) + 1), np.convolve(loss, np.ones(k) / k, mode="valid")


class BookFigure(Figure):
    """A matplotlib Figure that renders itself as a reproducible PNG in Jupyter.

    Jupyter and MyST-NB show it through ``_repr_png_``, so the book does not depend on which
    matplotlib backend a kernel happens to load, and two builds give byte-identical images.
    """

    def _repr_png_(self) -> bytes:
        return to_png(self)


def to_png(fig: Figure) -> bytes:
    """Render ``fig`` as PNG bytes at :data:`rnnbook.plot.style.DPI`.

    The metadata holds no date, so the same figure always gives the same bytes.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white",
                metadata={"Software": "rnnbook.plot (matplotlib)"})
    return buffer.getvalue()


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = 7.0, height: float = 3.2,
               **subplot_kw: Any) -> tuple[BookFigure, Any]:
    """A white, constrained-layout figure with a grid of axes using the book's colour cycle.

    Returns the figure and its axes (one ``Axes`` when ``nrows == ncols == 1``, else an array).
    """
    fig = BookFigure(figsize=(width, height), dpi=DPI, facecolor="white", layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, subplot_kw=subplot_kw or None)
    for ax in ([axes] if isinstance(axes, Axes) else axes.flat):
        ax.set_prop_cycle(color=CYCLE)
        ax.grid(True, color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
    return fig, axes
