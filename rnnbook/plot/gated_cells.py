r"""The gated cells drawn (chapters 6 and 7): one state update of the LSTM and of the GRU.

Both diagrams are built from the primitives of :mod:`rnnbook.plot.diagram`, and draw the path
along which the memory passes from step to step -- the LSTM's cell state, the GRU's state --
thick, in :data:`HIGHWAY`: it is multiplied by a gate and added to, with no weight matrix on the
way. Gates are boxes (the diagram kind ``state2``) with their symbol and nonlinearity and their
name below; operations are small white circles; the states of the step before are dashed boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.patches import Circle

from rnnbook.plot.diagram import Node, arrow, finish, new_diagram, node
from rnnbook.plot.figure import BookFigure
from rnnbook.plot.style import MIN_FONT, PALETTE

FONT = MIN_FONT
"""The size of the diagrams' text, in points: the book's minimum."""

HIGHWAY = PALETTE["blue"]
"""Colour of the memory's path in the cell diagrams."""


def _op(ax: Any, xy: tuple[float, float], text: str, *, size: float = 0.5) -> Node:
    """A small white circle holding an operation (⊙, +, tanh, 1−): arrows clip to it."""
    patch = Circle(xy, size / 2, facecolor="white", edgecolor="#333333", linewidth=1.4, zorder=2)
    ax.add_patch(patch)
    ax.text(*xy, text, ha="center", va="center", fontsize=FONT + 2 if len(text) == 1 else FONT,
            zorder=3)
    return Node(float(xy[0]), float(xy[1]), size, size, patch)


def _gate(ax: Any, xy: tuple[float, float], symbol: str, name: str) -> Node:
    """A gate: a box with its symbol and nonlinearity, its name written below."""
    g = node(ax, xy, symbol, kind="state2", size=0.95, fontsize=FONT + 1)
    ax.text(xy[0] - 0.17, xy[1] - 0.46, name, ha="left", va="top", fontsize=FONT)
    return g


def _bus(ax: Any, y: float, x0: float, x1: float, taps: Sequence[Node]) -> None:
    """The line carrying :math:`h_{t-1}` and :math:`x_t` to every gate, and its taps."""
    ax.plot([x0, x1 - 0.3], [y, y], color="#333333", linewidth=1.5, zorder=1, solid_capstyle="butt")
    for g in taps:                              # left of the gate's name, written below it
        arrow(ax, (g.x - 0.3, y), (g.x - 0.3, g.y - g.height / 2))


def _highway(ax: Any, a: Node | tuple[float, float], b: Node | tuple[float, float],
             label: str | None = None) -> None:
    arrow(ax, a, b, colour=HIGHWAY, label=label, fontsize=FONT)
    ax.patches[-1].set_linewidth(3.0)


def lstm_cell_diagram() -> BookFigure:
    r"""The LSTM cell: one state update from :math:`(h_{t-1}, c_{t-1})` to :math:`(h_t, c_t)`.

    Along the top runs the cell state, drawn thick: :math:`c_{t-1}` is multiplied by the forget
    gate :math:`f_t` and added to :math:`i_t \odot g_t` to give :math:`c_t`, with no weight
    matrix and no squashing on the way. Below, the four gates (boxes) read :math:`h_{t-1}` and
    :math:`x_t` from one line; :math:`h_t = o_t \odot \tanh(c_t)` leaves on the right.

    Returns
    -------
    BookFigure
    """
    fig, ax = new_diagram(height=3.3)
    top, gates_y, bus_y = 3.0, 1.2, -0.1
    c_prev = node(ax, (0.0, top), "$c_{t-1}$", kind="initial", size=0.95, fontsize=FONT + 1)
    h_prev = node(ax, (0.0, bus_y), "$h_{t-1}$", kind="initial", size=0.95, fontsize=FONT + 1)
    x_t = node(ax, (1.2, -1.1), "$x_t$", kind="input", size=0.7, fontsize=FONT + 1)
    f = _gate(ax, (1.9, gates_y), r"$f_t\,\sigma$", "forget")
    i = _gate(ax, (3.35, gates_y), r"$i_t\,\sigma$", "input")
    g = _gate(ax, (4.8, gates_y), r"$g_t$ tanh", "candidate")
    o = _gate(ax, (6.3, gates_y), r"$o_t\,\sigma$", "output")
    keep = _op(ax, (1.9, top), "×")
    write = _op(ax, (4.8, 2.15), "×")
    add = _op(ax, (4.8, top), "+")
    squash = _op(ax, (7.5, 2.15), "tanh", size=0.72)
    show = _op(ax, (7.5, gates_y), "×")
    c_t = node(ax, (8.9, top), "$c_t$", size=0.95, fontsize=FONT + 1)
    h_t = node(ax, (8.9, bus_y), "$h_t$", size=0.95, fontsize=FONT + 1)
    _bus(ax, bus_y, h_prev.x + h_prev.width / 2, o.x, [f, i, g, o])
    arrow(ax, x_t, (x_t.x, bus_y))
    _highway(ax, c_prev, keep)
    _highway(ax, keep, add)
    _highway(ax, add, c_t)
    arrow(ax, f, keep)
    arrow(ax, i, write, curve=-0.25)
    arrow(ax, g, write)
    arrow(ax, write, add)
    arrow(ax, (7.5, top), squash)
    arrow(ax, squash, show)
    arrow(ax, o, show)
    arrow(ax, show, h_t)
    ax.text(3.35, top + 0.45, "cell state: the memory's path", ha="center", va="bottom",
            fontsize=FONT, color=HIGHWAY)
    finish(ax, margin=0.1)
    return fig


def gru_cell_diagram() -> BookFigure:
    r"""The GRU cell: one state update from :math:`h_{t-1}` to :math:`h_t`.

    Along the top runs the state, drawn thick: :math:`h_{t-1}` is multiplied by the update gate
    :math:`z_t` and added to :math:`(1 - z_t) \odot n_t`. Below, the gates (boxes) read
    :math:`h_{t-1}` and :math:`x_t` from one line; the reset gate :math:`r_t` feeds the
    candidate :math:`n_t`, where it scales the recurrent term.

    Returns
    -------
    BookFigure
    """
    fig, ax = new_diagram(height=3.3)
    top, gates_y, bus_y = 3.0, 1.2, 0.0
    h_prev = node(ax, (0.0, top), "$h_{t-1}$", kind="initial", size=0.95, fontsize=FONT + 1)
    x_t = node(ax, (1.0, -1.1), "$x_t$", kind="input", size=0.7, fontsize=FONT + 1)
    z = _gate(ax, (1.9, gates_y), r"$z_t\,\sigma$", "update")
    r = _gate(ax, (3.4, gates_y), r"$r_t\,\sigma$", "reset")
    n = _gate(ax, (4.9, gates_y), r"$n_t$ tanh", "candidate")
    keep = _op(ax, (1.9, top), "×")
    flip = _op(ax, (3.4, 2.15), "1−", size=0.55)
    mix = _op(ax, (4.9, 2.15), "×")
    add = _op(ax, (4.9, top), "+")
    h_t = node(ax, (7.0, top), "$h_t$", size=0.95, fontsize=FONT + 1)
    ax.plot([h_prev.x, h_prev.x], [h_prev.y - h_prev.height / 2, bus_y], color="#333333",
            linewidth=1.5, zorder=1)
    _bus(ax, bus_y, h_prev.x, n.x, [z, r, n])
    arrow(ax, x_t, (x_t.x, bus_y))
    arrow(ax, r, n)
    _highway(ax, h_prev, keep)
    _highway(ax, keep, add)
    _highway(ax, add, h_t)
    arrow(ax, z, keep)
    arrow(ax, z, flip)
    arrow(ax, flip, mix)
    arrow(ax, n, mix)
    arrow(ax, mix, add)
    ax.text(3.4, top + 0.45, "state: the memory's path", ha="center", va="bottom",
            fontsize=FONT, color=HIGHWAY)
    finish(ax, margin=0.1)
    return fig
