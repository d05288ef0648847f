r"""Drawing primitives for the book's diagrams: nodes, arrows, loops and the unrolled chain.

Every diagram of the book is drawn with these few pieces on a matplotlib ``Axes`` whose axis is
turned off, in data coordinates where one node is about one unit wide:

- :func:`node` places a labelled box or circle (a state, an input, an output, a loss);
- :func:`arrow` joins two nodes, straight or curved, solid for the forward pass or dashed for a
  gradient flowing backwards, optionally labelled with a weight;
- :func:`self_loop` draws the arrow from a node back to itself, the folded recurrence;
- :func:`unrolled_chain` draws :math:`h_0 \to h_1 \to \dots \to h_T` with the inputs and outputs
  you ask for, and returns its nodes (a :class:`Chain`) so a figure can add to it;
- :func:`finish` fits the axes' limits to what was drawn.

Time runs left to right, inputs sit below their state, outputs above. Nodes differ in shape as
well as colour (states are rounded boxes, inputs and outputs circles, the initial state a dashed
box), and every node and weight carries a text label, so no diagram relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.path import Path

from rnnbook import _checks
from rnnbook.plot.style import PALETTE, BookFigure, new_figure

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

SELECTIONS: tuple[str, ...] = ("all", "none", "first", "last")
"""Named choices of the time steps that have an input or an output in :func:`unrolled_chain`."""


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


@dataclass(frozen=True)
class Chain:
    """The nodes of an unrolled chain drawn by :func:`unrolled_chain`.

    Attributes
    ----------
    states : list of Node
        :math:`h_1, \\dots, h_T`; ``states[t - 1]`` is :math:`h_t`.
    h0 : Node or None
        :math:`h_0`, when drawn.
    inputs, outputs : dict of int to Node
        The input and output nodes present, keyed by time step t (1-based).
    """

    states: list[Node]
    h0: Node | None = None
    inputs: dict[int, Node] = field(default_factory=dict)
    outputs: dict[int, Node] = field(default_factory=dict)


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


def new_diagram(nrows: int = 1, ncols: int = 1, *, width: float = 7.0,
                height: float = 2.6) -> tuple[BookFigure, Any]:
    """A book figure whose axes are blank canvases for diagrams (axis off, no grid).

    Parameters
    ----------
    nrows, ncols : int, default 1
    width, height : float
        Size in inches.

    Returns
    -------
    fig : BookFigure
    axes : Axes, or ndarray of Axes when there are several
    """
    fig, axes = new_figure(nrows, ncols, width=width, height=height)
    for ax in np.atleast_1d(axes).flat:
        ax.grid(False)
        ax.set_axis_off()
    return fig, axes


def _steps(which: str | Iterable[int], T: int, name: str) -> list[int]:
    """The time steps (1-based, sorted) that ``which`` selects among 1..T."""
    if isinstance(which, str):
        _checks.choice(which, name, SELECTIONS)
        return {"all": list(range(1, T + 1)), "none": [], "first": [1], "last": [T]}[which]
    steps = sorted({int(t) for t in which})
    if any(t < 1 or t > T for t in steps):
        raise ValueError(f"{name} must select time steps between 1 and T={T}; got {steps}")
    return steps


def _per_arrow(labels: str | Sequence[str | None] | None, n: int,
               name: str) -> list[str | None]:
    """One label per arrow: a single string repeated, a sequence of ``n``, or no labels."""
    if labels is None or isinstance(labels, str):
        return [labels] * n
    if len(labels) != n:
        raise ValueError(f"{name} must be one string or a sequence of {n} labels, one per "
                         f"arrow; got {len(labels)}")
    return list(labels)


def unrolled_chain(ax: Axes, T: int, *, inputs: str | Iterable[int] = "all",
                   outputs: str | Iterable[int] = "none", h0: bool = True,
                   state_labels: Sequence[str] | None = None,
                   input_labels: Sequence[str] | None = None,
                   output_labels: Sequence[str] | None = None,
                   state_kinds: Sequence[str] | None = None,
                   xh_label: str | Sequence[str | None] | None = "$W_{xh}$",
                   hh_label: str | Sequence[str | None] | None = "$W_{hh}$",
                   hy_label: str | Sequence[str | None] | None = "$W_{hy}$",
                   gradients: bool = False, origin: tuple[float, float] = (0.0, 0.0),
                   spacing: float = 1.6, rise: float = 1.4) -> Chain:
    r"""Draw the unrolled chain :math:`h_0 \to h_1 \to \dots \to h_T` with its inputs and outputs.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    T : int
        Number of time steps, >= 1.
    inputs, outputs : {"all", "none", "first", "last"} or iterable of int
        The steps t (1-based) that receive an input :math:`x_t` (drawn below :math:`h_t`) or emit
        an output :math:`y_t` (drawn above). Defaults: an input at every step, no outputs.
    h0 : bool, default True
        Draw the initial state :math:`h_0` (dashed) and its arrow into :math:`h_1`.
    state_labels : sequence of T str, optional
        Default ``$h_1$ .. $h_T$``.
    input_labels, output_labels : sequence of str, optional
        One per selected input / output, in time order. Defaults ``$x_t$`` and ``$y_t$``.
    state_kinds : sequence of T str, optional
        :data:`KINDS` of the states, e.g. ``["state"] * 3 + ["state2"] * 2`` for an encoder and
        a decoder. Default all ``"state"``.
    xh_label, hh_label, hy_label : str, sequence of str or None, or None
        Labels of the input, recurrent and output arrows: one string for all (the default weight
        names, showing that every step shares them), one per arrow in time order, or ``None``.
    gradients : bool, default False
        Also draw the gradients flowing backwards as dashed arrows: from each output down to its
        state and from each state back to the one before, each beside its forward arrow.
    origin : tuple of float, default (0, 0)
        Centre of :math:`h_0` (or of where it would be).
    spacing, rise : float
        Horizontal distance between states; vertical distance from a state to its input/output.

    Returns
    -------
    Chain
        The nodes, for adding more (call :func:`finish` again afterwards).

    Examples
    --------
    Many-to-one, with the gradient of a loss on the last output flowing back:

    >>> fig, ax = new_diagram()
    >>> chain = unrolled_chain(ax, 3, outputs="last", gradients=True)
    >>> len(chain.states), sorted(chain.inputs), sorted(chain.outputs)
    (3, [1, 2, 3], [3])
    """
    T = _checks.positive_int(T, "T")
    x_steps, y_steps = _steps(inputs, T, "inputs"), _steps(outputs, T, "outputs")
    s_labels = list(state_labels) if state_labels is not None else \
        [f"$h_{{{t}}}$" for t in range(1, T + 1)]
    x_labels = list(input_labels) if input_labels is not None else \
        [f"$x_{{{t}}}$" for t in x_steps]
    y_labels = list(output_labels) if output_labels is not None else \
        [f"$y_{{{t}}}$" for t in y_steps]
    kinds = list(state_kinds) if state_kinds is not None else ["state"] * T
    for got, want, name in [(s_labels, T, "state_labels"), (x_labels, len(x_steps), "input_labels"),
                            (y_labels, len(y_steps), "output_labels"), (kinds, T, "state_kinds")]:
        if len(got) != want:
            raise ValueError(f"{name} must have {want} entries; got {len(got)}")
    ox, oy = float(origin[0]), float(origin[1])
    chain = Chain([node(ax, (ox + t * spacing, oy), s_labels[t - 1], kind=kinds[t - 1])
                   for t in range(1, T + 1)],
                  node(ax, (ox, oy), "$h_0$", kind="initial") if h0 else None)
    chain.inputs.update({t: node(ax, (ox + t * spacing, oy - rise), lab, kind="input")
                         for t, lab in zip(x_steps, x_labels, strict=True)})
    chain.outputs.update({t: node(ax, (ox + t * spacing, oy + rise), lab, kind="output")
                          for t, lab in zip(y_steps, y_labels, strict=True)})
    _chain_arrows(ax, chain, xh_label, hh_label, hy_label, gradients)
    finish(ax)
    return chain


def _chain_arrows(ax: Axes, chain: Chain, xh_label: str | Sequence[str | None] | None,
                  hh_label: str | Sequence[str | None] | None,
                  hy_label: str | Sequence[str | None] | None, gradients: bool) -> None:
    """The forward arrows of a chain and, with ``gradients``, the backward ones beside them."""
    states = ([chain.h0] if chain.h0 is not None else []) + chain.states
    links = list(pairwise(states))
    side = 0.1 if gradients else 0.0          # forward above/right, backward below/left
    for (a, b), lab in zip(links, _per_arrow(hh_label, len(links), "hh_label"), strict=True):
        arrow(ax, a, b, label=lab, colour=WEIGHT_COLOURS["hh"], offset=side)
        if gradients:
            arrow(ax, b, a, backward=True, offset=side)
    xs = chain.inputs.items()
    for (t, x), lab in zip(xs, _per_arrow(xh_label, len(xs), "xh_label"), strict=True):
        arrow(ax, x, chain.states[t - 1], label=lab, colour=WEIGHT_COLOURS["xh"],
              label_offset=-0.1)
    ys = chain.outputs.items()
    for (t, y), lab in zip(ys, _per_arrow(hy_label, len(ys), "hy_label"), strict=True):
        arrow(ax, chain.states[t - 1], y, label=lab, colour=WEIGHT_COLOURS["hy"],
              offset=-side, label_offset=-0.1)
        if gradients:
            arrow(ax, y, chain.states[t - 1], backward=True, offset=-side)


def rolled_and_unrolled(T: int = 4) -> BookFigure:
    r"""The recurrent cell folded as a loop, and the same cell unrolled over T steps.

    Left: :math:`x_t \to h_t` with a loop on :math:`h_t` carrying :math:`W_{hh}`. Right: the chain
    :math:`h_0 \to h_1 \to \dots \to h_T` with the inputs :math:`x_1, \dots, x_T`, every input
    arrow labelled :math:`W_{xh}` and every recurrent arrow :math:`W_{hh}`: the same weights at
    every step.

    Parameters
    ----------
    T : int, default 4
        Number of unrolled steps, >= 1.

    Returns
    -------
    BookFigure
    """
    T = _checks.positive_int(T, "T")
    fig, ax = new_diagram(width=1.6 + 1.0 * (T + 3), height=2.9)
    h = node(ax, (-3.2, 0.0), "$h_t$")
    arrow(ax, node(ax, (-3.2, -1.4), "$x_t$", kind="input"), h, label="$W_{xh}$",
          colour=WEIGHT_COLOURS["xh"], label_offset=-0.1)
    self_loop(ax, h, label="$W_{hh}$", colour=WEIGHT_COLOURS["hh"])
    arrow(ax, (-2.45, 0.0), (-0.75, 0.0), label="unroll", colour="#888888")
    unrolled_chain(ax, T)
    for x, text in [(-3.2, "folded"),
                    (0.8 * T, f"unrolled over T = {T} steps, same weights at each")]:
        ax.text(x, 1.2, text, ha="center", va="bottom", fontsize=11)
        ax.update_datalim([(x, 1.5)])
    finish(ax)
    return fig
