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
:func:`series`, which never uses the reference style.
:func:`rnnbook.plot.figure.line_styles` lists the styles a figure draws, and
:func:`rnnbook.plot.figure.to_png` writes that list into the PNG, where the book's tests compare
it with the words of the caption.
"""

from __future__ import annotations

from typing import Any

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
        for :func:`rnnbook.plot.figure.reference_styles`.
    """
    return {"color": colour, "linestyle": LINE_STYLES[REFERENCE_STYLE], "linewidth": linewidth,
            "gid": "reference"}
