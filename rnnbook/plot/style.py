"""The look shared by every figure of the book: size, type, palette, line styles, resolution.

Size and type. Every figure is :data:`WIDTH` inches wide and every chapter shows it at the full
width of the text column (``:width: 100%`` on its ``{glue:figure}``), about 672 CSS pixels on a
desktop screen. One point of figure text is then 672 / (72 :data:`WIDTH`) = 1.61 CSS pixels, so
no text smaller than :data:`MIN_FONT` (10 pt, 16.1 px) is smaller than the body text around it
(16 px); every figure is drawn at the same scale. The PNG is saved at :data:`DPI`, so a figure
opened on its own (the image links to its PNG) stays sharp at twice the column's width.

Colour. One palette, set once: Okabe & Ito's eight colours, distinguishable with the common forms
of colour blindness, plus a sequential and a diverging colour map that are perceptually uniform.
Figures have an opaque white background, so they stay legible on the book's dark theme.

Line styles. :data:`LINE_STYLES` names the four line styles the figures use, so that a caption
can name what it sees. Reference lines (bounds, chance levels, thresholds, tolerances) are all
drawn :data:`REFERENCE_STYLE` (dotted) by :func:`reference`; lines of data are drawn by
:func:`series`, which never uses the reference style. :func:`line_styles` lists the styles a
figure draws, and :func:`to_png` writes that list into the PNG, where the book's tests compare it
with the words of the caption.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from numpy.typing import ArrayLike

from rnnbook import _checks
from rnnbook.types import Array

WIDTH = 5.8
"""Width of every figure, in inches; shown at the width of the text column."""

MIN_FONT = 10.0
"""The smallest text of any figure, in points (16 CSS px at the column's width)."""

DPI = 200
"""Resolution of the PNG a figure is saved as: 1160 pixels across, twice the column's width."""

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

LINE_STYLES: dict[str, str] = {"solid": "-", "dashed": "--", "dash-dotted": "-.", "dotted": ":"}
"""The line styles of the book's figures, by the name a caption uses for them."""

REFERENCE_STYLE = "dotted"
"""The style of every reference line: a bound, a chance level, a threshold, a tolerance."""

REFERENCE_COLOUR = "#555555"
"""The colour of a reference line that belongs to no data line."""

SERIES: tuple[tuple[str, str, str], ...] = (
    ("blue", "solid", "o"), ("orange", "dashed", "s"), ("green", "dash-dotted", "^"),
    ("vermillion", "solid", "D"), ("purple", "dashed", "v"), ("sky", "dash-dotted", "P"),
    ("black", "solid", "X"),
)
"""(colour, line style, marker) of successive lines of data: told apart without colour too, by
their style and marker. None is dotted, the style of reference lines."""


Curve = tuple[ArrayLike, ArrayLike]
"""A curve to draw: its x values (the steps) and its y values, two 1-d arrays of one length."""


def as_curve(curve: object, name: str) -> tuple[Array, Array]:
    """Check that ``curve`` is a :data:`Curve` and return its two arrays as floats.

    Parameters
    ----------
    curve : (steps, values)
    name : str
        The argument's name, for the message (``"loss['rnn']"``).
    """
    if not isinstance(curve, tuple | list) or len(curve) != 2:
        raise TypeError(f"{name} must be a pair (steps, values); got {type(curve).__name__}")
    x = _checks.float_array(curve[0], f"{name} steps", ndim=1, layout="(n,)")
    y = _checks.float_array(curve[1], f"{name} values", ndim=1, layout="(n,)")
    _checks.expect_shape(y, f"{name} values", x.shape, "(n,)", "(one value per step)")
    return x, y


def series(n: int, *, marker: bool = True) -> dict[str, Any]:
    """Keyword arguments of ``Axes.plot`` for the ``n``-th line of data (counting from 0).

    Parameters
    ----------
    n : int
        The line's position; styles repeat after ``len(SERIES)`` lines.
    marker : bool, default True
        Include the line's marker (give ``markevery`` when the line has many points).

    Returns
    -------
    dict
        ``color``, ``linestyle`` and, with ``marker``, ``marker``.

    Examples
    --------
    >>> series(1)
    {'color': '#E69F00', 'linestyle': '--', 'marker': 's'}
    """
    colour, style, mark = SERIES[n % len(SERIES)]
    look: dict[str, Any] = {"color": PALETTE[colour], "linestyle": LINE_STYLES[style]}
    if marker:
        look["marker"] = mark
    return look


def reference(colour: str = REFERENCE_COLOUR, *, linewidth: float = 1.2) -> dict[str, Any]:
    """Keyword arguments of ``Axes.plot`` or ``Axes.axhline`` for a reference line (dotted).

    Parameters
    ----------
    colour : str, default :data:`REFERENCE_COLOUR`
        Give a data line's colour for a reference that belongs to it (its bound).
    linewidth : float, default 1.2

    Returns
    -------
    dict
        ``color``, ``linestyle``, ``linewidth``, and ``gid="reference"``, which marks the line
        for :func:`reference_styles`.
    """
    return {"color": colour, "linestyle": LINE_STYLES[REFERENCE_STYLE], "linewidth": linewidth,
            "gid": "reference"}


# matplotlib's own names of the same four styles, as a patch reports them.
_NAMES = {**{dash: name for name, dash in LINE_STYLES.items()},
          "solid": "solid", "dashed": "dashed", "dashdot": "dash-dotted", "dotted": "dotted"}


def _dash_name(dashes: Any) -> str:
    """The name of a dash sequence (None for a solid line), by matplotlib's default patterns."""
    if dashes is None:
        return "solid"
    patterns = {"dashed": rcParams["lines.dashed_pattern"],
                "dash-dotted": rcParams["lines.dashdot_pattern"],
                "dotted": rcParams["lines.dotted_pattern"]}
    for name, pattern in patterns.items():
        if tuple(float(d) for d in dashes) == tuple(pattern):
            return name
    return "unnamed"


def _stroke(artist: Any) -> str | None:
    """The line style name of a drawn artist's stroke, None if it draws no line, or "unnamed"."""
    if not artist.get_visible():
        return None
    style: Any
    if isinstance(artist, Line2D):
        style = artist.get_linestyle()
        if style in ("None", "", " ") or artist.get_linewidth() == 0:
            return None
        return _NAMES.get(str(style), "unnamed")
    if isinstance(artist, Patch):
        edge: Any = artist.get_edgecolor()                  # RGBA
        if artist.get_linewidth() == 0 or edge[3] == 0:
            return None
        style = artist.get_linestyle()
        if isinstance(style, tuple):           # (offset, dashes), as Axes.hist passes it on
            _, dashes = style
            return _dash_name(dashes)
        return _NAMES.get(str(style), "unnamed")
    if isinstance(artist, Collection):
        widths: Any = artist.get_linewidth()
        if np.size(widths) == 0 or np.max(widths) == 0:
            return None
        styles: Any = artist.get_linestyle()
        names = {_dash_name(pattern) for _, pattern in styles}
        return names.pop() if len(names) == 1 else "unnamed"
    return None


def line_styles(fig: Figure) -> set[str]:
    """The names (keys of :data:`LINE_STYLES`) of the line styles drawn in ``fig``.

    Lines, outlines of patches (boxes, arrows, bars) and collections count; a style with no name
    shows up as ``"unnamed"``.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> _ = ax.plot([0, 1], [0, 1], **series(1)); _ = ax.axhline(0.5, **reference())
    >>> sorted(line_styles(fig))
    ['dashed', 'dotted', 'solid']
    """
    found = {_stroke(a) for a in fig.findobj(lambda a: isinstance(a, Line2D | Patch | Collection))}
    return {name for name in found if name is not None}


def reference_styles(fig: Figure) -> set[str]:
    """The names of the line styles of the reference lines (drawn with :func:`reference`) in
    ``fig``: ``{"dotted"}`` when it has any, else the empty set."""
    found = {_stroke(a) for a in fig.findobj(Line2D) if a.get_gid() == "reference"}
    return {name for name in found if name is not None}


def smallest_font(fig: Figure) -> float:
    """The size in points of the smallest text ``fig`` draws (tick labels and legends included).

    The figure is laid out first, which creates its tick labels.
    """
    fig.draw_without_rendering()
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    return float(min(sizes))


class BookFigure(Figure):
    """A matplotlib Figure that renders itself as a reproducible PNG in Jupyter.

    Jupyter and MyST-NB show it through ``_repr_png_``, so the book does not depend on which
    matplotlib backend a kernel happens to load, and two builds give byte-identical images.
    """

    def _repr_png_(self) -> bytes:
        return to_png(self)


def to_png(fig: Figure) -> bytes:
    """Render ``fig`` as PNG bytes at :data:`~rnnbook.plot.style.DPI`.

    The metadata holds no date, so the same figure always gives the same bytes. It names the line
    styles drawn (:func:`~rnnbook.plot.style.line_styles`) under the key ``rnnbook:line-styles``
    and those of the reference lines (:func:`~rnnbook.plot.style.reference_styles`) under
    ``rnnbook:reference-styles``, for the tests that compare a caption's words with its figure.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white",
                metadata={"Software": "rnnbook.plot (matplotlib)",
                          "rnnbook:line-styles": " ".join(sorted(line_styles(fig))),
                          "rnnbook:reference-styles": " ".join(sorted(reference_styles(fig)))})
    return buffer.getvalue()


def new_figure(nrows: int = 1, ncols: int = 1, *, height: float = 3.2,
               **subplot_kw: Any) -> tuple[BookFigure, Any]:
    """A white, constrained-layout figure :data:`WIDTH` wide with a grid of axes in the book's look.

    Parameters
    ----------
    nrows, ncols : int, default 1
    height : float, default 3.2
        In inches; the width is always :data:`WIDTH`.
    **subplot_kw
        Passed to ``Figure.subplots`` as ``subplot_kw``.

    Returns
    -------
    fig : BookFigure
    axes : Axes, or ndarray of Axes when there are several
    """
    fig = BookFigure(figsize=(WIDTH, height), dpi=DPI, facecolor="white", layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, subplot_kw=subplot_kw or None)
    for ax in ([axes] if isinstance(axes, Axes) else axes.flat):
        decorate(ax)
    return fig, axes


def decorate(ax: Axes) -> None:
    """Give ``ax`` the book's look: the colour cycle, a light grid below the data, no top and right
    spines. :func:`new_figure` does it to the axes it makes; call it on axes added later."""
    ax.set_prop_cycle(color=CYCLE)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
