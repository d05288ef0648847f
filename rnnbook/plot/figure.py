"""The figure itself: making one in the book's look, rendering it as a PNG, and reading back
what it draws.

- :func:`new_figure` makes a :class:`BookFigure` :data:`~rnnbook.plot.style.WIDTH` wide with a
  grid of axes; :func:`decorate` gives axes added later the same look;
- :func:`to_png` renders a figure at :data:`~rnnbook.plot.style.DPI`, byte for byte the same
  every time, and records in the PNG the line styles it draws;
- :func:`line_styles`, :func:`reference_styles` and :func:`smallest_font` read a figure back: the
  tests hold every figure of the book to the sizes and styles of :mod:`rnnbook.plot.style`, and
  compare the captions' words with the styles drawn.
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

from rnnbook.plot.style import CYCLE, DPI, LINE_STYLES, WIDTH

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
    """The names (keys of :data:`~rnnbook.plot.style.LINE_STYLES`) of the line styles drawn in
    ``fig``.

    Lines, outlines of patches (boxes, arrows, bars) and collections count; a style with no name
    shows up as ``"unnamed"``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    set of str

    Examples
    --------
    >>> from rnnbook.plot.style import reference, series
    >>> fig, ax = new_figure()
    >>> _ = ax.plot([0, 1], [0, 1], **series(1)); _ = ax.axhline(0.5, **reference())
    >>> sorted(line_styles(fig))
    ['dashed', 'dotted', 'solid']
    """
    found = {_stroke(a) for a in fig.findobj(lambda a: isinstance(a, Line2D | Patch | Collection))}
    return {name for name in found if name is not None}


def reference_styles(fig: Figure) -> set[str]:
    """The names of the line styles of the reference lines (drawn with
    :func:`rnnbook.plot.style.reference`) in ``fig``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    set of str
        ``{"dotted"}`` when ``fig`` has reference lines, else the empty set.
    """
    found = {_stroke(a) for a in fig.findobj(Line2D) if a.get_gid() == "reference"}
    return {name for name in found if name is not None}


def smallest_font(fig: Figure) -> float:
    """The size in points of the smallest text ``fig`` draws (tick labels and legends included).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Laid out first, which creates its tick labels.

    Returns
    -------
    float
        At least :data:`~rnnbook.plot.style.MIN_FONT` for every figure of the book (the tests
        check it).
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
    styles drawn (:func:`~rnnbook.plot.figure.line_styles`) under the key ``rnnbook:line-styles``
    and those of the reference lines (:func:`~rnnbook.plot.figure.reference_styles`) under
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
    """A white, constrained-layout figure :data:`~rnnbook.plot.style.WIDTH` wide with a grid of axes
    in the book's look.

    Parameters
    ----------
    nrows, ncols : int, default 1
    height : float, default 3.2
        In inches; the width is always :data:`~rnnbook.plot.style.WIDTH`.
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
    spines.

    :func:`new_figure` does it to the axes it makes; call it on axes added to a figure later.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    """
    ax.set_prop_cycle(color=CYCLE)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
