"""Figures of chapter 8: what they draw is what they were given, solved runs filled, one look per
cell in every panel, the baseline and the threshold dotted."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex

from rnnbook import plot
from rnnbook.plot import long_range as figures

RATIOS = {
    "adding": {"vanilla": ([10, 30, 100], [0.05, 0.98, 1.01]),
               "LSTM": ([10, 30, 100], [0.01, 0.02, 0.9])},
    "recall": {"vanilla": ([5, 20], [0.5, 1.0]), "GRU": ([5, 20], [0.001, 0.02])},
}
CURVES = {
    "T = 4": {"rnn": ([0, 5, 10], [7.0, 1.0, 0.9]), "gru": ([0, 5, 10], [6.0, 0.5, 0.01])},
    "T = 8": {"gru": ([0, 5, 10], [6.0, 1.0, 0.2]), "rnn": ([0, 5, 10], [7.0, 1.0, 1.1])},
}


def data_axes(fig) -> list[Axes]:
    return [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]


def filled_and_hollow(ax: Axes) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """(x, y) of the filled markers, and of every marker of a line (hollow unless overdrawn)."""
    filled, drawn = [], []
    for line in ax.lines:
        if line.get_marker() in ("", "None", None) or line.get_gid() == "reference":
            continue
        points = list(zip(np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float),
                          strict=True))
        (filled if line.get_linestyle() == "None" else drawn).extend(points)
    return sorted(filled), sorted(drawn)


def test_solved_against_length_fills_exactly_the_markers_below_the_threshold() -> None:
    fig = figures.solved_against_length(RATIOS, solved_below=0.1)
    axes = data_axes(fig)
    assert [ax.get_title() for ax in axes] == ["adding", "recall"]
    for ax, curves in zip(axes, RATIOS.values(), strict=True):
        filled, drawn = filled_and_hollow(ax)
        every = sorted((float(T), r) for Ts, rs in curves.values() for T, r in zip(Ts, rs,
                                                                                   strict=True))
        assert drawn == every
        assert filled == [(T, r) for T, r in every if r < 0.1]
        assert ax.get_xscale() == ax.get_yscale() == "log"


def test_baseline_and_threshold_are_dotted_reference_lines_at_1_and_the_threshold() -> None:
    fig = figures.solved_against_length(RATIOS, solved_below=0.1)
    for ax in data_axes(fig):
        refs = {to_hex(line.get_color()): float(line.get_ydata()[0])  # type: ignore[index]
                for line in ax.lines if line.get_gid() == "reference"}
        assert refs == {figures.BASELINE_COLOUR: 1.0, to_hex(figures.THRESHOLD_COLOUR): 0.1}
    assert plot.figure.reference_styles(fig) == {"dotted"}


def test_a_cell_has_one_look_in_every_panel() -> None:
    fig = figures.long_range_curves(CURVES, solved_below=0.1, columns=2)
    looks = [{str(line.get_label()): (line.get_color(), line.get_linestyle())
              for line in ax.lines if line.get_gid() != "reference"} for ax in data_axes(fig)]
    assert looks[0] == looks[1] and len(looks[0]) == 2


def test_long_range_curves_draw_the_curves_given() -> None:
    fig = figures.long_range_curves(CURVES)
    for ax, curves in zip(data_axes(fig), CURVES.values(), strict=True):
        drawn = {str(line.get_label()): (list(line.get_xdata()), list(line.get_ydata()))
                 for line in ax.lines if line.get_gid() != "reference"}
        assert drawn == {k: (list(map(float, x)), list(map(float, y)))
                         for k, (x, y) in curves.items()}
        assert ax.get_yscale() == "log" and ax.get_xlabel() and ax.get_ylabel()


def test_long_range_figures_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="solved_below must lie in"):
        figures.solved_against_length(RATIOS, solved_below=2.0)
    with pytest.raises(ValueError, match="positive lengths and ratios"):
        figures.solved_against_length({"a": {"x": ([1], [0.0])}}, solved_below=0.1)
    with pytest.raises(ValueError, match="at least one panel"):
        figures.solved_against_length({}, solved_below=0.1)
    with pytest.raises(ValueError, match="at most 6 panels"):
        figures.long_range_curves({str(i): CURVES["T = 4"] for i in range(7)})
    with pytest.raises(TypeError, match="must be a pair"):
        figures.long_range_curves({"a": {"x": [1.0, 2.0, 3.0]}})  # type: ignore[dict-item]
