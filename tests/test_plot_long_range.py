"""Figures of chapter 8: what they draw is what they were given, and they repeat byte for byte."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from rnnbook import data, networks, optim, plot, train
from rnnbook.plot import long_range as figures

RATIOS = {
    "adding": {"vanilla": {10: 0.05, 30: 0.98, 100: 1.01},
               "LSTM": {10: 0.01, 30: 0.02, 100: 0.9}},
    "copy": {"vanilla": {5: 0.5, 20: 1.0}, "GRU": {5: 0.001, 20: 0.02}},
}


def _histories(seed: int) -> dict[str, tuple[float, dict[str, train.History]]]:
    test = data.adding(20, length=4, seed=seed + 1)
    runs = {}
    for cell in ("rnn", "gru"):
        _, runs[cell] = train.fit(
            networks.init(cell, 2, 3, 1, seed=seed), networks.loss_and_grads,
            data.stream(data.adding, 4, seed=seed, length=4), optim.Adam(lr=1e-2), steps=6,
            evaluate=lambda n: {"test": networks.evaluate(n, test.xs, test.targets)},
            eval_every=2)
    return {"adding, T = 4": (data.ADDING_BASELINE, runs), "again": (0.5, {"rnn": runs["rnn"]})}


def _markers(ax) -> list[tuple[float, float, bool]]:
    """(x, y, filled) of every marker drawn without a line."""
    out = []
    for line in ax.lines:
        if line.get_linestyle() == "None" and len(line.get_xdata()):
            filled = line.get_markerfacecolor() != "white"
            out += [(float(x), float(y), filled)
                    for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)]
    return sorted(out)


def test_solved_against_length_fills_exactly_the_markers_below_the_threshold() -> None:
    fig = figures.solved_against_length(RATIOS, solved_below=0.1)
    assert isinstance(fig, Figure)
    axes = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_title() for ax in axes] == ["adding", "copy"]
    for ax, series in zip(axes, RATIOS.values(), strict=True):
        expected = sorted((float(T), r, r < 0.1) for points in series.values()
                          for T, r in points.items())
        assert _markers(ax) == expected
        levels = sorted(float(line.get_ydata()[0]) for line in ax.lines  # type: ignore[index]
                        if line.get_color() == "#555555" and len(line.get_ydata()))
        assert levels == [0.1, 1.0]                      # threshold and baseline
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_yscale() == "log"


def test_solved_against_length_gives_a_cell_one_style_in_every_panel() -> None:
    ratios = {"a": {"x": {1: 0.5}, "y": {1: 0.5}}, "b": {"y": {2: 0.5}, "x": {2: 0.5}}}
    fig = figures.solved_against_length(ratios, solved_below=0.1)
    a, b = (ax for ax in fig.axes if ax.axison)

    def styles(ax) -> dict[str, tuple[object, object]]:
        return {str(line.get_label()): (line.get_color(), line.get_linestyle())
                for line in ax.lines if not str(line.get_label()).startswith("_")}

    assert styles(a) == styles(b) and len(styles(a)) == 2


def test_long_range_curves_draw_the_metric_over_the_baseline() -> None:
    panels = _histories(0)
    fig = figures.long_range_curves(panels, solved_below=0.1)
    axes = [ax for ax in fig.axes if ax.axison and ax.get_visible()]
    assert len(axes) == 2
    for ax, (baseline, runs) in zip(axes, panels.values(), strict=True):
        drawn = [line for line in ax.lines if str(line.get_label()) in runs]
        assert len(drawn) == len(runs)
        for line in drawn:
            history = runs[str(line.get_label())]
            np.testing.assert_array_equal(line.get_xdata(), history.eval_steps)
            np.testing.assert_allclose(line.get_ydata(), history.metrics["test"] / baseline)
    assert axes[0].get_ylabel() and axes[0].get_xlabel()


def test_long_range_figures_are_reproducible_byte_for_byte() -> None:
    assert plot.to_png(figures.long_range_curves(_histories(1))) == \
        plot.to_png(figures.long_range_curves(_histories(1)))
    assert plot.to_png(figures.solved_against_length(RATIOS, solved_below=0.1)) == \
        plot.to_png(figures.solved_against_length(RATIOS, solved_below=0.1))


def test_long_range_figures_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="solved_below must lie in"):
        figures.solved_against_length(RATIOS, solved_below=2.0)
    with pytest.raises(ValueError, match="positive finite ratios"):
        figures.solved_against_length({"a": {"x": {1: 0.0}}}, solved_below=0.1)
    with pytest.raises(ValueError, match="at least one task"):
        figures.solved_against_length({}, solved_below=0.1)
    with pytest.raises(ValueError, match="no metric 'loss'"):
        figures.long_range_curves(_histories(0), metric="loss")
    with pytest.raises(ValueError, match="between 1 and 6 panels"):
        figures.long_range_curves({})
