r"""Drawing primitives for the book's diagrams: nodes, arrows and loops on a blank canvas.

Every diagram of the book is drawn with these few pieces on a matplotlib ``Axes`` whose axis is
turned off, in data coordinates where one node is about one unit wide:

- :func:`new_diagram` makes the blank canvas, :data:`rnnbook.plot.style.WIDTH` wide;
- :func:`node` places a labelled box or circle (a state, an input, an output, a loss);
- :func:`arrow` joins two nodes, straight or curved, solid for the forward pass or dashed for a
  gradient flowing backwards, optionally labelled with a weight;
- :func:`self_loop` draws the arrow from a node back to itself, the folded recurrence;
- :func:`finish` fits the axes' limits to what was drawn.

The unrolled chain built from them is in :mod:`rnnbook.plot.chain`; each chapter's diagrams are
in that chapter's module. Nodes differ in shape as well as colour (states are rounded boxes,
inputs and outputs circles, the initial state a dashed box), and every node and weight carries a
text label, so no diagram relies on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.path import Path

from rnnbook import _checks
from rnnbook.plot.figure import BookFigure, new_figure
from rnnbook.plot.style import PALETTE

KINDS: dict[str, tuple[str, str, str]] = {
    "state": ("box", PALETTE["blue"], "-"),
    "state2": ("box", PALETTE["purple"], "-"),
    "initial": ("box", "#777777", "--"),
    "input": ("circle", PALETTE["green"], "-"),
    "output": ("circle", PALETTE["orange"], "-"),
    "loss": ("box", PALETTE["vermillion"], "-"),
}
"""Node kinds: (shape, edge colour, edge line style). ``state2`` is a second kind of cell (for
instance a decoder with its own weights); ``initial`` is :math:`h_0`."""

FORWARD_COLOUR = "#333333"
"""Colour of forward arrows whose kind has no colour of its own."""

WEIGHT_COLOURS: dict[str, str] = {"xh": PALETTE["green"], "hh": PALETTE["blue"],
                                  "hy": PALETTE["orange"]}
"""Colours of the arrows carrying :math:`W_{xh}`, :math:`W_{hh}` and :math:`W_{hy}`."""

GRADIENT_COLOUR = PALETTE["vermillion"]
"""Colour of the dashed arrows of gradients flowing backwards."""


@dataclass(frozen=True)
class Node:
    """A node drawn by :func:`node`: its centre, its size and its patch.

    Attributes
    ----------
    x, y : float
        Centre, in data coordinates.
    width, height : float
        Size, in data coordinates.
    patch : matplotlib.patches.Patch
        The box or circle; arrows are clipped to its outline.
    """

    x: float
    y: float
    width: float
    height: float
    patch: Patch

    @property
    def xy(self) -> tuple[float, float]:
        """The centre ``(x, y)``."""
        return (self.x, self.y)



def _tint(colour: str, amount: float = 0.18) -> tuple[float, float, float]:
    """``colour`` mixed with white: ``amount`` of the colour, the rest white."""
    rgb = np.array(to_rgb(colour))
    r, g, b = amount * rgb + (1.0 - amount)
    return (float(r), float(g), float(b))


def node(ax: Axes, xy: tuple[float, float], text: str, *, kind: str = "state",
         size: float = 0.8, fontsize: float = 11.0) -> Node:
    """Draw a labelled node centred at ``xy``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    xy : tuple of float
        Centre, in data coordinates.
    text : str
        The label, mathtext allowed (``"$h_1$"``).
    kind : {"state", "state2", "initial", "input", "output", "loss"}, default "state"
        Its shape and colours (:data:`KINDS`): states are rounded boxes, inputs and outputs are
        circles, the initial state is a dashed box.
    size : float, default 0.8
        Width of a box, diameter of a circle (a box is ``0.8 * size`` high).
    fontsize : float, default 11.0

    Returns
    -------
    Node

    Examples
    --------
    >>> fig, ax = new_diagram()
    >>> h = node(ax, (0.0, 0.0), "$h_t$")
    >>> h.xy, h.width
    ((0.0, 0.0), 0.8)
    """
    shape, colour, style = KINDS[_checks.choice(kind, "kind", tuple(KINDS))]
    x, y = float(xy[0]), float(xy[1])
    size = _checks.positive_float(size, "size")
    look: dict[str, Any] = dict(facecolor=_tint(colour) if kind != "initial" else "white",
                                edgecolor=colour, linestyle=style, linewidth=1.6, zorder=2)
    patch: Patch
    if shape == "circle":
        width = height = size
        patch = Circle((x, y), size / 2, **look)
    else:
        width, height = size, 0.8 * size
        patch = FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                               boxstyle="round,pad=0,rounding_size=0.12", **look)
    ax.add_patch(patch)
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=3)
    return Node(x, y, width, height, patch)


def _reach(end: Node, d: np.ndarray, side: float) -> float:
    """Distance from ``end``'s centre, shifted ``side`` across direction ``d``, to its outline."""
    if isinstance(end.patch, Circle):
        r = end.width / 2
        return float(np.sqrt(max(r * r - side * side, 0.0)))
    half = np.array([end.width, end.height]) / 2
    return float(min(h / abs(c) for h, c in zip(half, d, strict=True) if abs(c) > 1e-12))


def _endpoints(start: Node | tuple[float, float], end: Node | tuple[float, float],
               offset: float) -> tuple[np.ndarray, np.ndarray, Patch | None, Patch | None]:
    """The two ends of an arrow; shifted sideways by ``offset`` they are computed at the nodes'
    outlines (no clipping patches needed), otherwise matplotlib clips to the patches."""
    p0 = np.array(start.xy if isinstance(start, Node) else start, dtype=float)
    p1 = np.array(end.xy if isinstance(end, Node) else end, dtype=float)
    if offset == 0.0:
        return (p0, p1, start.patch if isinstance(start, Node) else None,
                end.patch if isinstance(end, Node) else None)
    d = (p1 - p0) / max(float(np.hypot(*(p1 - p0))), 1e-12)
    shift = offset * np.array([-d[1], d[0]])
    a = p0 + shift + (d * _reach(start, d, offset) if isinstance(start, Node) else 0.0)
    b = p1 + shift - (d * _reach(end, d, offset) if isinstance(end, Node) else 0.0)
    return a, b, None, None


def _label(ax: Axes, xy: np.ndarray, away: np.ndarray, text: str, colour: str,
           fontsize: float) -> None:
    """Write a label whose near edge is at ``xy``, on the side that unit vector ``away`` points
    to, on a white ground, and make the axes' limits include its anchor."""
    horizontal = abs(away[0]) >= abs(away[1])
    ha = ("left" if away[0] > 0 else "right") if horizontal else "center"
    va = "center" if horizontal else ("bottom" if away[1] > 0 else "top")
    ax.text(float(xy[0]), float(xy[1]), text, ha=ha, va=va, fontsize=fontsize, color=colour,
            zorder=4, bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none"))
    ax.update_datalim([(float(xy[0]), float(xy[1]))])


def arrow(ax: Axes, start: Node | tuple[float, float], end: Node | tuple[float, float], *,
          label: str | None = None, curve: float = 0.0, backward: bool = False,
          colour: str | None = None, offset: float = 0.0, label_offset: float = 0.1,
          fontsize: float = 10.0) -> FancyArrowPatch:
    """Draw an arrow from ``start`` to ``end``, clipped to the nodes' outlines.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    start, end : Node or tuple of float
        Nodes from :func:`node`, or bare points in data coordinates.
    label : str, optional
        Text next to the arrow's middle, such as ``"$W_{hh}$"``.
    curve : float, default 0.0
        0 draws a straight arrow; otherwise it bends, to the right of its direction of travel for
        ``curve > 0`` (matplotlib's ``arc3`` radius).
    backward : bool, default False
        Draw a gradient flowing backwards: dashed, in :data:`GRADIENT_COLOUR`.
    colour : str, optional
        Overrides the colour (default: dark grey forward, vermillion backward).
    offset : float, default 0.0
        Shift the arrow sideways by this distance, to the left of its direction of travel, so
        that a forward and a backward arrow between the same two nodes (each with the same
        ``offset``) run side by side instead of on top of each other.
    label_offset : float, default 0.1
        Gap between the arrow's middle and the near edge of its label, to the left of the
        direction of travel (above a left-to-right arrow, left of an upward one); negative puts
        the label on the other side. A curved arrow's label goes outside its bend.
    fontsize : float, default 10.0

    Returns
    -------
    matplotlib.patches.FancyArrowPatch

    Examples
    --------
    >>> fig, ax = new_diagram()
    >>> a, b = node(ax, (0, 0), "$h_1$"), node(ax, (2, 0), "$h_2$")
    >>> _ = arrow(ax, a, b, label="$W_{hh}$")
    >>> _ = arrow(ax, b, a, curve=0.4, backward=True)
    >>> _ = arrow(ax, b, a, offset=0.1, backward=True, label="gradient")
    """
    p0, p1, patch_a, patch_b = _endpoints(start, end, offset)
    colour = colour or (GRADIENT_COLOUR if backward else FORWARD_COLOUR)
    patch = FancyArrowPatch((float(p0[0]), float(p0[1])), (float(p1[0]), float(p1[1])),
                            patchA=patch_a, patchB=patch_b, shrinkA=2, shrinkB=2,
                            connectionstyle=f"arc3,rad={curve}", arrowstyle="-|>",
                            mutation_scale=13, color=colour, linewidth=1.5,
                            linestyle="--" if backward else "-", zorder=1)
    ax.add_patch(patch)
    if label is not None:
        d = np.subtract(p1, p0)
        bulge = curve * np.array([d[1], -d[0]]) / 2          # from the chord's middle to the bend
        left = np.array([-d[1], d[0]]) / max(float(np.hypot(*d)), 1e-12)
        side = -np.sign(curve) * abs(label_offset) if curve else label_offset
        away = left * (np.sign(side) or 1.0)
        _label(ax, (p0 + p1) / 2 + bulge + side * left, away, label, colour, fontsize)
    return patch


_SIDES: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "top": ((0.0, 1.0), (1.0, 0.0)), "bottom": ((0.0, -1.0), (-1.0, 0.0)),
    "right": ((1.0, 0.0), (0.0, -1.0)), "left": ((-1.0, 0.0), (0.0, 1.0)),
}


def self_loop(ax: Axes, at: Node, *, label: str | None = None, side: str = "top",
              backward: bool = False, colour: str | None = None,
              fontsize: float = 10.0) -> FancyArrowPatch:
    """Draw an arrow that leaves ``at`` and comes back to it: the folded recurrence.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    at : Node
    label : str, optional
        Written beyond the loop's far end, such as ``"$W_{hh}$"``.
    side : {"top", "bottom", "left", "right"}, default "top"
        The side of the node the loop stands on.
    backward : bool, default False
        Dashed, in :data:`GRADIENT_COLOUR`, for a gradient.
    colour : str, optional
        Overrides the colour.
    fontsize : float, default 10.0

    Returns
    -------
    matplotlib.patches.FancyArrowPatch

    Examples
    --------
    >>> fig, ax = new_diagram()
    >>> _ = self_loop(ax, node(ax, (0, 0), "$h_t$"), label="$W_{hh}$")
    """
    u, v = (np.array(w) for w in _SIDES[_checks.choice(side, "side", tuple(_SIDES))])
    c = np.array(at.xy)
    out = abs(float(u @ [at.width, at.height])) / 2        # centre to the edge, along u
    across = abs(float(v @ [at.width, at.height])) / 2     # centre to the edge, across
    reach = 0.75 * max(at.width, at.height)
    a, b = c + u * out + v * 0.45 * across, c + u * out - v * 0.45 * across
    verts = [a, a + u * reach + v * 0.9 * across, b + u * reach - v * 0.9 * across, b]
    colour = colour or (GRADIENT_COLOUR if backward else FORWARD_COLOUR)
    patch = FancyArrowPatch(path=Path(verts, [Path.MOVETO] + [Path.CURVE4] * 3),
                            arrowstyle="-|>", mutation_scale=13, color=colour, linewidth=1.5,
                            linestyle="--" if backward else "-", zorder=1)
    ax.add_patch(patch)
    ax.update_datalim([c + u * (out + reach)])
    if label is not None:
        _label(ax, c + u * (out + 0.75 * reach + 0.08), u, label, colour, fontsize)
    return patch


def finish(ax: Axes, margin: float = 0.25) -> None:
    """Turn the axis off, keep circles round, and fit the limits to what is drawn.

    Call it again after adding nodes or arrows to a diagram.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    margin : float, default 0.25
        Blank space around the drawing, in data units.
    """
    (x0, y0), (x1, y1) = ax.dataLim.get_points()
    ax.set(xlim=(x0 - margin, x1 + margin), ylim=(y0 - margin, y1 + margin), aspect="equal")
    ax.set_axis_off()


def new_diagram(nrows: int = 1, ncols: int = 1, *,
                height: float = 2.6) -> tuple[BookFigure, Any]:
    """A book figure whose axes are blank canvases for diagrams (axis off, no grid).

    Parameters
    ----------
    nrows, ncols : int, default 1
    height : float, default 2.6
        In inches; the width is :data:`rnnbook.plot.style.WIDTH`, as for every figure.

    Returns
    -------
    fig : BookFigure
    axes : Axes, or ndarray of Axes when there are several
    """
    fig, axes = new_figure(nrows, ncols, height=height)
    for ax in np.atleast_1d(axes).flat:
        ax.grid(False)
        ax.set_axis_off()
    return fig, axes
