r"""Figures of chapters 6 and 7: the gated cells drawn, their gates at work, and their results.

The two cell diagrams are built from the primitives of :mod:`rnnbook.plot.diagram`. The other
figures draw what a chapter computed -- gate values, accuracies, curves -- and compute nothing:

- :func:`lstm_cell_diagram` and :func:`gru_cell_diagram`: one state update, with the path along
  which the memory (the cell state, or the GRU's state) passes from step to step drawn thick;
- :func:`gate_heatmaps`: the gates of a trained cell, unit by unit, along one sequence;
- :func:`seed_dots`: one dot per training run (seed) for each variant, against the chance level;
- :func:`curves`: lines against a step or a distance back in time, one style per variant and a
  thin line per seed, with an optional dotted reference line.

Size, type, colours and line styles come from :mod:`rnnbook.plot.style`: text at least
:data:`~rnnbook.plot.style.MIN_FONT` at the book's figure width, lines of data told apart by
style and marker as well as colour, reference lines dotted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.patches import Circle
from numpy.typing import ArrayLike

from rnnbook import _checks
from rnnbook.plot.diagram import Node, arrow, finish, new_diagram, node
from rnnbook.plot.figure import BookFigure, decorate, new_figure
from rnnbook.plot.style import (
    DIVERGING,
    DPI,
    MIN_FONT,
    PALETTE,
    REFERENCE_COLOUR,
    SEQUENTIAL,
    WIDTH,
    series,
)
from rnnbook.plot.style import reference as reference_look
from rnnbook.types import Array

FONT = MIN_FONT
"""The size of these figures' text, in points: the book's minimum."""

HIGHWAY = PALETTE["blue"]
"""Colour of the memory's path in the cell diagrams."""


def _figure(nrows: int = 1, ncols: int = 1, *, height: float, **grid: Any
            ) -> tuple[BookFigure, Any]:
    """:func:`~rnnbook.plot.figure.new_figure`, with rows of unequal height or a shared y axis
    (``gridspec_kw=``, ``sharey=``), its axes always in a flat array."""
    if not grid:
        fig, axes = new_figure(nrows, ncols, height=height)
        return fig, np.atleast_1d(axes).ravel()
    fig = BookFigure(figsize=(WIDTH, height), dpi=DPI, facecolor="white", layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False, **grid)).ravel()
    for ax in axes:
        decorate(ax)
    return fig, axes


# --- the cell diagrams ------------------------------------------------------------------------

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


# --- gates at work ----------------------------------------------------------------------------

def gate_heatmaps(panels: Mapping[str, ArrayLike], *, step_labels: Sequence[str],
                  marked: ArrayLike) -> BookFigure:
    r"""Heatmaps of gate values (or states) of every unit along one sequence.

    Parameters
    ----------
    panels : mapping of str to ndarray of shape (T, H)
        One panel per entry, stacked top to bottom, titled by its key. Panels whose values all
        lie in [0, 1] (gates) share a sequential colour map from 0 to 1; any other panel (a cell
        state) gets a diverging map centred on 0 and its own colour bar.
    step_labels : sequence of T str
        The input at each step, written under the last panel.
    marked : ndarray of shape (T,), bool
        Steps to mark: a triangle above the first panel and a faint column in every panel.

    Returns
    -------
    BookFigure
    """
    if not panels:
        raise ValueError("panels must hold at least one panel")
    arrays = {name: _checks.float_array(v, f"panels[{name!r}]", ndim=2, layout="(T, H)")
              for name, v in panels.items()}
    T = next(iter(arrays.values())).shape[0]
    for name, a in arrays.items():
        if a.shape[0] != T:
            raise ValueError(f"panels[{name!r}] must have T={T} rows like the first panel; got "
                             f"shape {_checks.shape_str(a.shape)}")
    if len(step_labels) != T:
        raise ValueError(f"step_labels must have T={T} entries; got {len(step_labels)}")
    mark = np.asarray(marked, dtype=bool)
    if mark.shape != (T,):
        raise ValueError(f"marked must have shape ({T},); got {_checks.shape_str(mark.shape)}")
    heights = [a.shape[1] for a in arrays.values()]
    fig, axes = _figure(len(arrays), 1, height=1.0 + 0.075 * sum(heights),
                        gridspec_kw={"height_ratios": heights})
    gate_image = None
    for ax, (name, a) in zip(axes, arrays.items(), strict=True):
        ax.grid(False)
        is_gate = bool(np.all((a >= 0) & (a <= 1)))
        if is_gate:
            image = ax.imshow(a.T, aspect="auto", cmap=SEQUENTIAL, vmin=0, vmax=1,
                              interpolation="nearest")
            gate_image = image
        else:
            bound = float(np.abs(a).max()) or 1.0
            image = ax.imshow(a.T, aspect="auto", cmap=DIVERGING, vmin=-bound, vmax=bound,
                              interpolation="nearest")
            fig.colorbar(image, ax=ax, pad=0.01, aspect=8).ax.tick_params(labelsize=FONT)
        for t in np.flatnonzero(mark):
            ax.axvspan(t - 0.5, t + 0.5, facecolor="none", edgecolor="white", linewidth=1.2)
        ax.set_ylabel(name, fontsize=FONT, rotation=0, ha="right", va="center")
        ax.set_yticks([])
        ax.set_xticks(range(T))
        ax.set_xticklabels([])
        ax.tick_params(length=0)
    axes[-1].set_xticklabels(step_labels, fontsize=FONT)
    axes[-1].set_xlabel("input at each step (marked steps framed in white)", fontsize=FONT)
    axes[0].plot(np.flatnonzero(mark), np.full(int(mark.sum()), -1.2), "v",
                 color=PALETTE["vermillion"], markersize=6, clip_on=False)
    if gate_image is not None:
        gate_axes = [ax for ax, a in zip(axes, arrays.values(), strict=True)
                     if np.all((a >= 0) & (a <= 1))]
        bar = fig.colorbar(gate_image, ax=gate_axes, pad=0.01, aspect=15)
        bar.ax.tick_params(labelsize=FONT)
    return fig


# --- results over seeds -----------------------------------------------------------------------

def seed_dots(results: Mapping[str, Sequence[float]], *, chance: float | None = None,
              xlabel: str = "test accuracy", ylabel: str = "network",
              xlim: tuple[float, float] = (0.0, 1.0)) -> BookFigure:
    """One row per variant, one dot per run: what every seed reached, not only their mean.

    Parameters
    ----------
    results : mapping of str to sequence of float
        The result of each run of each variant, drawn top to bottom in this order.
    chance : float, optional
        Drawn as a dotted vertical line labelled "chance".
    xlabel : str, default "test accuracy"
    ylabel : str, default "network"
    xlim : (float, float), default (0, 1)

    Returns
    -------
    BookFigure
    """
    if not results:
        raise ValueError("results must hold at least one variant")
    rows = {name: np.atleast_1d(_checks.float_array(v, f"results[{name!r}]", ndim=1,
                                                    layout="(runs,)"))
            for name, v in results.items()}
    fig, (ax,) = _figure(height=0.9 + 0.38 * len(rows))
    for n, values in enumerate(rows.values()):
        y = len(rows) - 1 - n
        look = series(n)
        ax.plot(values, np.full(len(values), y), linestyle="none", marker=look["marker"],
                color=look["color"], markersize=8, alpha=0.85)
        ax.plot([values.mean()], [y], marker="|", color="#333333", markersize=16)
    if chance is not None:
        ax.axvline(chance, **reference_look())
        ax.text(chance, len(rows) - 0.45, " chance", ha="left", va="bottom", fontsize=FONT,
                color=REFERENCE_COLOUR)
    ax.set_yticks(range(len(rows)), list(rows)[::-1], fontsize=FONT)
    ax.set_ylim(-0.6, len(rows) - 0.2)
    ax.set_xlim(*xlim)
    ax.set_xlabel(xlabel, fontsize=FONT)
    ax.set_ylabel(ylabel, fontsize=FONT)
    ax.tick_params(labelsize=FONT)
    return fig


Curve = tuple[ArrayLike, ArrayLike]
"""A line to draw: its x values and its y values, two 1-d arrays of one length."""


def _as_curves(value: Any, name: str) -> list[tuple[Array, Array]]:
    runs = [value] if (isinstance(value, tuple) and len(value) == 2
                       and np.ndim(value[0]) == 1) else list(value)
    out = []
    for k, (x, y) in enumerate(runs):
        x = _checks.float_array(x, f"{name}[{k}] x", ndim=1, layout="(n,)")
        y = _checks.float_array(y, f"{name}[{k}] y", ndim=1, layout="(n,)")
        _checks.expect_shape(y, f"{name}[{k}] y", x.shape, "(n,)", "(one y per x)")
        out.append((x, y))
    return out


def curves(panels: Mapping[str, Mapping[str, Curve | Sequence[Curve]]], *, xlabel: str,
           ylabel: str, logy: bool = False, reference: float | None = None,
           reference_label: str | None = None, ylim: tuple[float, float] | None = None,
           height: float = 3.2) -> BookFigure:
    """Lines against a common x: one style per variant, and one line per run of it.

    Parameters
    ----------
    panels : mapping of str to mapping of str to curves
        One panel per entry (side by side, titled by the key unless there is only one, whose
        key may be ""); in a panel, one variant per entry, given as one ``(x, y)`` curve or a
        sequence of them (one per seed, drawn thinner, labelled once).
    xlabel, ylabel : str
    logy : bool, default False
        A logarithmic y axis (zeros are left out).
    reference : float, optional
        A dotted horizontal line at this y, labelled ``reference_label`` in the legend.
    reference_label : str, optional
    ylim : (float, float), optional
    height : float, default 3.2
        In inches.

    Returns
    -------
    BookFigure
        The panels share their y axis; one legend, below them.
    """
    if not panels or not all(panels.values()):
        raise ValueError("panels must hold at least one panel, each with at least one variant")
    fig, axes = _figure(1, len(panels), height=height, sharey=True)
    legend: dict[str, Any] = {}
    styles: dict[str, dict[str, Any]] = {}
    for ax, (title, variants) in zip(axes, panels.items(), strict=True):
        for name, value in variants.items():
            look = styles.setdefault(name, series(len(styles)))
            runs = _as_curves(value, f"panels[{title!r}][{name!r}]")
            for x, y in runs:
                y = np.where(y > 0, y, np.nan) if logy else y
                (line,) = ax.plot(x, y, linewidth=1.8 if len(runs) == 1 else 1.3,
                                  markevery=max(len(x) // 8, 1), markersize=5, alpha=0.9,
                                  **look)
            legend.setdefault(name, line)
        if reference is not None:
            ref = ax.axhline(reference, **reference_look())
            if reference_label:
                legend.setdefault(reference_label, ref)
        if len(panels) > 1 or title:
            ax.set_title(title, fontsize=FONT + 1)
        ax.set_xlabel(xlabel, fontsize=FONT)
        ax.tick_params(labelsize=FONT)
        if logy:
            ax.set_yscale("log")
    axes[0].set_ylabel(ylabel, fontsize=FONT)
    if ylim is not None:
        axes[0].set_ylim(*ylim)
    fig.legend(list(legend.values()), list(legend), loc="outside lower center", frameon=False,
               fontsize=FONT, ncols=min(len(legend), 3))
    return fig


__all__ = ["curves", "gate_heatmaps", "gru_cell_diagram", "lstm_cell_diagram", "seed_dots"]

