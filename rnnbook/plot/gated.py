r"""Figures of chapters 6 and 7 that draw what a chapter computed -- gate values, accuracies,
curves -- and compute nothing:

- :func:`gate_heatmaps`: the gates of a trained cell, unit by unit, along one sequence;
- :func:`seed_dots`: one dot per training run (seed) for each variant, against the chance level;
- :func:`curves`: lines against a step or a distance back in time, one style per variant and a
  thin line per seed, with an optional dotted reference line.

The cells themselves are drawn by :mod:`rnnbook.plot.gated_cells`. Size, type, colours and line
styles come from :mod:`rnnbook.plot.style`: text at least :data:`~rnnbook.plot.style.MIN_FONT` at
the book's figure width, lines of data told apart by style and marker as well as colour,
reference lines dotted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from rnnbook import _checks
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


__all__ = ["curves", "gate_heatmaps", "seed_dots"]
