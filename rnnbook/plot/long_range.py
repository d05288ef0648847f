r"""Figures of chapter 8: which cells learn a long-range task, and how their training went.

Both figures measure a loss in units of the task's memoryless baseline (the loss of the best
model that remembers nothing, :data:`rnnbook.data.ADDING_BASELINE`,
:func:`rnnbook.data.copy_baseline`): 1 means "learnt nothing about the dependency", and a run
counts as *solved* below a threshold the caller gives. They draw what the chapter computed; they
train nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from rnnbook import _checks, train
from rnnbook.plot.style import LINES, PALETTE, BookFigure, new_figure

BASELINE_LINE: dict[str, object] = {"color": "#555555", "linestyle": "-", "linewidth": 1.0}
"""How the memoryless baseline (ratio 1) is drawn: a thin grey solid line."""

SOLVED_LINE: dict[str, object] = {"color": "#555555", "linestyle": (0, (1, 2)), "linewidth": 1.0}
"""How the threshold below which a run counts as solved is drawn: a thin grey dotted line."""


def _labels(panels: Mapping[str, Mapping[str, object]], what: str) -> list[str]:
    """Every series label, in order of first appearance, at most len(LINES) of them."""
    labels: list[str] = []
    for series in panels.values():
        labels += [label for label in series if label not in labels]
    if not labels or len(labels) > len(LINES):
        raise ValueError(f"{what} must hold between 1 and {len(LINES)} labelled series in all; "
                         f"got {len(labels)}")
    return labels


def _style(labels: list[str], label: str) -> dict[str, object]:
    colour, linestyle, marker = LINES[labels.index(label)]
    return {"color": PALETTE[colour], "linestyle": linestyle, "marker": marker}


def solved_against_length(panels: Mapping[str, Mapping[str, Mapping[int, float]]], *,
                          solved_below: float, xlabel: str = "sequence length $T$") -> BookFigure:
    r"""Final loss over baseline against the sequence length, one panel per task.

    Parameters
    ----------
    panels : mapping of str to mapping of str to mapping of int to float
        ``{task title: {cell label: {T: final loss / baseline}}}``: one panel per task, one line
        per cell (the same label has the same colour, line style and marker in every panel), one
        point per length T.
    solved_below : float
        The ratio below which a run counts as solved, in (0, 1).
    xlabel : str, default "sequence length $T$"
        The label of every horizontal axis.

    Returns
    -------
    BookFigure
        Logarithmic axes. A filled marker is a solved run, a hollow one a run that was not.
        The baseline (1) is a thin grey solid line (:data:`BASELINE_LINE`), the threshold a thin
        grey dotted one (:data:`SOLVED_LINE`).
    """
    if not panels:
        raise ValueError("panels must hold at least one task")
    threshold = _checks.positive_float(solved_below, "solved_below")
    if threshold >= 1:
        raise ValueError(f"solved_below must lie in (0, 1); got {solved_below}")
    labels = _labels(panels, "panels")
    fig, axes = new_figure(1, len(panels), width=3.9 * len(panels), height=3.4)
    axes = np.atleast_1d(axes)
    for ax, (title, series) in zip(axes.flat, panels.items(), strict=False):
        lengths: set[int] = set()
        for label, points in series.items():
            T = np.array(sorted(points))
            ratio = np.array([points[t] for t in T], dtype=float)
            if np.any(~np.isfinite(ratio)) or np.any(ratio <= 0):
                raise ValueError(f"panels[{title!r}][{label!r}] must hold positive finite ratios")
            lengths |= set(T.tolist())
            style = _style(labels, label)
            colour = style["color"]
            ax.plot(T, ratio, color=colour, linestyle=style["linestyle"], linewidth=1.3,
                    label=label)
            solved = ratio < threshold
            for mask, face in ((solved, colour), (~solved, "white")):
                ax.plot(T[mask], ratio[mask], linestyle="none", marker=style["marker"],
                        markersize=7, markeredgecolor=colour, markerfacecolor=face)
        ax.axhline(1.0, **BASELINE_LINE)
        ax.axhline(threshold, **SOLVED_LINE)
        ticks = sorted(lengths)
        ax.set(xscale="log", yscale="log", title=title, xlabel=xlabel,
               ylabel="final test loss / baseline")
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.minorticks_off()
    handles, names = axes.flat[0].get_legend_handles_labels()
    baseline = axes.flat[0].plot([], [], **BASELINE_LINE)[0]
    solved_line = axes.flat[0].plot([], [], **SOLVED_LINE)[0]
    fig.legend([*handles, baseline, solved_line],
               [*names, "memoryless baseline", f"solved below {threshold:g}"],
               loc="outside upper center", ncols=min(len(names) + 2, 5), frameon=False,
               fontsize="small")
    return fig


def long_range_curves(panels: Mapping[str, tuple[float, Mapping[str, train.History]]], *,
                      metric: str = "test", solved_below: float | None = None,
                      columns: int = 3) -> BookFigure:
    r"""Test loss over baseline against the training step, one panel per task and length.

    Parameters
    ----------
    panels : mapping of str to (float, mapping of str to train.History)
        ``{panel title: (baseline, {cell label: history})}``, at most six panels, laid out in
        rows of ``columns``; the same label has the same colour and line style in every panel.
    metric : str, default "test"
        The name under which ``evaluate`` recorded the test loss in ``history.metrics``.
    solved_below : float, optional
        If given, the solved threshold (a ratio) is drawn as in :func:`solved_against_length`.
    columns : int, default 3
        Panels per row.

    Returns
    -------
    BookFigure
        ``history.metrics[metric] / baseline`` at the evaluation steps, on a logarithmic axis,
        with the baseline (1) as a thin grey solid line.
    """
    if not 1 <= len(panels) <= 6:
        raise ValueError(f"panels must hold between 1 and 6 panels; got {len(panels)}")
    labels = _labels({title: series for title, (_, series) in panels.items()}, "panels")
    per_row = _checks.positive_int(columns, "columns")
    rows, cols = -(-len(panels) // per_row), min(len(panels), per_row)
    fig, axes = new_figure(rows, cols, width=max(2.6 * cols + 0.4, 6.0), height=2.4 * rows + 0.6)
    axes = np.atleast_1d(axes).reshape(rows, cols)
    for ax, (title, (baseline, series)) in zip(axes.flat, panels.items(), strict=False):
        base = _checks.positive_float(baseline, f"the baseline of panel {title!r}")
        for label, history in series.items():
            _checks.instance(history, f"panels[{title!r}][{label!r}]", train.History,
                             "a train.History")
            if metric not in history.metrics:
                raise ValueError(f"panels[{title!r}][{label!r}] has no metric {metric!r}; it has "
                                 f"{sorted(history.metrics)}")
            style = _style(labels, label)
            ax.plot(history.eval_steps, history.metrics[metric] / base, color=style["color"],
                    linestyle=style["linestyle"], linewidth=1.3, label=label)
        ax.axhline(1.0, **BASELINE_LINE)
        if solved_below is not None:
            ax.axhline(solved_below, **SOLVED_LINE)
        ax.set(yscale="log", title=title, xlabel="training step")
    for ax in axes[:, 0]:
        ax.set_ylabel("test loss / baseline")
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    handles = [axes.flat[0].plot([], [], color=_style(labels, label)["color"],
                                 linestyle=_style(labels, label)["linestyle"],
                                 linewidth=1.3)[0] for label in labels]
    handles.append(axes.flat[0].plot([], [], **BASELINE_LINE)[0])
    names = [*labels, "memoryless baseline"]
    if solved_below is not None:
        handles.append(axes.flat[0].plot([], [], **SOLVED_LINE)[0])
        names.append(f"solved below {solved_below:g}")
    fig.legend(handles, names, loc="outside upper center", ncols=min(len(names), 5),
               frameon=False, fontsize="small")
    return fig
