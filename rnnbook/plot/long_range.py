r"""Figures of chapter 8 (long-range dependencies): which cells learn a task, and how.

Both figures draw losses in units of the task's memoryless baseline :math:`L_0` (the loss of the
best model that remembers nothing, :data:`rnnbook.data.long_range.ADDING_BASELINE`,
:func:`rnnbook.data.copy_baseline`), as the chapter computed them: 1 means "learnt nothing about
the dependency", and a run counts as *solved* below a threshold the caller gives. The baseline and
the threshold are reference lines, dotted (:func:`rnnbook.plot.style.reference`): the baseline
grey, the threshold black.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from rnnbook import _checks
from rnnbook.plot.figure import BookFigure, new_figure
from rnnbook.plot.style import PALETTE, SERIES, Curve, as_curve, reference, series

BASELINE_COLOUR = "#555555"
"""The colour of the dotted line at the baseline, :math:`L / L_0 = 1`."""

THRESHOLD_COLOUR = PALETTE["black"]
"""The colour of the dotted line at the threshold below which a run counts as solved."""


def _labels(panels: Mapping[str, Mapping[str, Curve]]) -> list[str]:
    """Every series label, in order of first appearance, so that a label has one look."""
    if not panels:
        raise ValueError("panels must hold at least one panel")
    labels: list[str] = []
    for curves in panels.values():
        labels += [label for label in curves if label not in labels]
    if not labels or len(labels) > len(SERIES):
        raise ValueError(f"panels must hold between 1 and {len(SERIES)} labelled curves in all; "
                         f"got {len(labels)}")
    return labels


def _references(ax: object, threshold: float | None) -> None:
    ax.axhline(1.0, **reference(BASELINE_COLOUR), label="baseline $L_0$")  # type: ignore[attr-defined]
    if threshold is not None:
        ax.axhline(threshold, **reference(THRESHOLD_COLOUR),  # type: ignore[attr-defined]
                   label=f"solved below {threshold:g}")


def _threshold(solved_below: float | None) -> float | None:
    if solved_below is None:
        return None
    value = _checks.positive_float(solved_below, "solved_below")
    if value >= 1:
        raise ValueError(f"solved_below must lie in (0, 1); got {solved_below}")
    return value


def solved_against_length(panels: Mapping[str, Mapping[str, Curve]], *, solved_below: float,
                          xlabel: str = "$T$") -> BookFigure:
    r"""Final loss over baseline against the length, one panel per task; solved runs filled.

    Parameters
    ----------
    panels : mapping of str to mapping of str to (lengths, ratios)
        ``{task title: {cell label: (T values, final L / L0 at each)}}``, at most two panels;
        the same label has the same colour, line style and marker in every panel.
    solved_below : float
        The ratio below which a run counts as solved, in (0, 1).
    xlabel : str, default "$T$"
        The label of the horizontal axes.

    Returns
    -------
    BookFigure
        Logarithmic axes. A filled marker is a solved run, a hollow one a run that was not; the
        baseline (1) and the threshold are dotted reference lines.
    """
    labels = _labels(panels)
    if len(panels) > 2:
        raise ValueError(f"panels must hold one or two tasks; got {len(panels)}")
    threshold = _checks.positive_float(solved_below, "solved_below")
    if threshold >= 1:
        raise ValueError(f"solved_below must lie in (0, 1); got {solved_below}")
    fig, axes = new_figure(1, len(panels), height=3.6)
    for ax, (title, curves) in zip(np.atleast_1d(axes), panels.items(), strict=True):
        lengths: set[float] = set()
        for label, curve in curves.items():
            T, ratio = as_curve(curve, f"panels[{title!r}][{label!r}]")
            if np.any(ratio <= 0) or np.any(T <= 0):
                raise ValueError(f"panels[{title!r}][{label!r}] must hold positive lengths and "
                                 f"ratios (the axes are logarithmic)")
            look = series(labels.index(label))
            ax.plot(T, ratio, markersize=7, markerfacecolor="white", label=label, **look)
            solved = ratio < threshold
            ax.plot(T[solved], ratio[solved], linestyle="none", marker=look["marker"],
                    markersize=7, color=look["color"])  # filled over the hollow ones
            lengths |= set(T.tolist())
        _references(ax, threshold)
        ticks = sorted(lengths)
        ax.set(xscale="log", yscale="log", title=title, xlabel=xlabel,
               ylabel="final $L / L_0$")
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.minorticks_off()
    handles, names = np.atleast_1d(axes)[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside upper center", ncols=3, frameon=False)
    return fig


def long_range_curves(panels: Mapping[str, Mapping[str, Curve]], *,
                      solved_below: float | None = None, columns: int = 3) -> BookFigure:
    r"""Test loss over baseline against the training step, one panel per task and length.

    Parameters
    ----------
    panels : mapping of str to mapping of str to (steps, ratios)
        ``{panel title: {cell label: (evaluation steps, L / L0 at each)}}``, at most six panels,
        laid out in rows of ``columns``; the same label has the same colour and line style in
        every panel.
    solved_below : float, optional
        If given, the solved threshold is drawn as in :func:`solved_against_length`.
    columns : int, default 3
        Panels per row.

    Returns
    -------
    BookFigure
        The curves on a logarithmic axis, with the baseline (1) and the threshold as dotted
        reference lines.
    """
    labels = _labels(panels)
    if len(panels) > 6:
        raise ValueError(f"panels must hold at most 6 panels; got {len(panels)}")
    threshold = _threshold(solved_below)
    per_row = _checks.positive_int(columns, "columns")
    rows, cols = -(-len(panels) // per_row), min(len(panels), per_row)
    fig, axes = new_figure(rows, cols, height=2.3 * rows + 0.7)
    grid = np.atleast_1d(axes).reshape(rows, cols)
    for ax, (title, curves) in zip(grid.flat, panels.items(), strict=False):
        for label, curve in curves.items():
            steps, ratio = as_curve(curve, f"panels[{title!r}][{label!r}]")
            if np.any(ratio <= 0):
                raise ValueError(f"panels[{title!r}][{label!r}] must hold positive ratios "
                                 f"(the axis is logarithmic)")
            look = series(labels.index(label), marker=False)
            ax.plot(steps, ratio, linewidth=1.3, label=label, **look)
        _references(ax, threshold)
        ax.set(yscale="log", title=title, xlabel="step", ylabel="$L / L_0$")
        ax.locator_params(axis="x", nbins=3)
    for ax in grid.flat[len(panels):]:
        ax.set_visible(False)
    handles, names = grid.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside upper center", ncols=3, frameon=False)
    return fig
