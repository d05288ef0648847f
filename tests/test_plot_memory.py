"""Figures of chapter 1: the learning curves drawn as given, with chance; the states by class."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from plot_cases import history

from rnnbook import smoothing
from rnnbook.plot import memory as figures
from rnnbook.plot import style


def _curves() -> tuple[dict, dict]:
    runs = {"feed-forward": history(0), "recurrent": history(1)}
    return ({n: smoothing.moving_average(h.loss, 5) for n, h in runs.items()},
            {n: (h.eval_steps, h.metrics["accuracy"]) for n, h in runs.items()})


def test_learning_curves_draw_the_curves_they_are_given() -> None:
    loss, accuracy = _curves()
    fig = figures.memory_learning_curves(loss, accuracy, symbols=4)
    loss_ax, acc_ax = fig.axes
    for ax, curves in ((loss_ax, loss), (acc_ax, accuracy)):
        for line, (steps, values) in zip(ax.lines, curves.values(), strict=False):
            np.testing.assert_array_equal(line.get_xdata(), steps)
            np.testing.assert_array_equal(line.get_ydata(), values)


def test_learning_curves_draw_chance_dotted_at_ln_v_and_one_over_v() -> None:
    fig = figures.memory_learning_curves(*_curves(), symbols=4)
    loss_ax, acc_ax = fig.axes
    for ax, level in ((loss_ax, np.log(4)), (acc_ax, 0.25)):
        dotted = [line for line in ax.lines if line.get_linestyle() == ":"]
        assert len(dotted) == 1
        np.testing.assert_allclose(dotted[0].get_ydata(), [level, level])
        assert len(ax.lines) == 3                              # two networks and chance
    assert "ln 4 = 1.39 and 1/4 = 0.25" in [t.get_text() for t in fig.legends[0].get_texts()][-1]
    assert style.REFERENCE_STYLE == "dotted"


@pytest.mark.parametrize(("args", "match"), [
    (({}, {}), "between 1 and 7"),
    (({"a": ([1], [1])}, {"b": ([1], [1])}), "same networks"),
])
def test_learning_curves_name_the_bad_argument(args: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        figures.memory_learning_curves(*args, symbols=4)
    with pytest.raises(ValueError, match="symbols must be at least 2"):
        figures.memory_learning_curves(*_curves(), symbols=1)


def test_final_states_marks_every_class_in_every_panel() -> None:
    rng = np.random.default_rng(2)
    points, targets = rng.standard_normal((60, 2)), rng.integers(0, 3, 60)
    fig = figures.final_states({"a": points, "b": points, "c": 2 * points}, targets)
    assert len(fig.axes) == 3
    for ax, scale in zip(fig.axes, (1, 1, 2), strict=True):
        scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
        assert len(scatters) == len(np.unique(targets))
        for cls, scatter in zip(np.unique(targets), scatters, strict=True):
            np.testing.assert_array_equal(scatter.get_offsets(), scale * points[targets == cls])
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "first symbol A", "first symbol B", "first symbol C"]


def test_final_states_rejects_bad_points_and_targets() -> None:
    points, targets = np.zeros((6, 2)), np.arange(6) % 4
    with pytest.raises(ValueError, match="targets must be integer classes of shape"):
        figures.final_states({"a": points}, targets[:3])
    with pytest.raises(ValueError, match="between 1 and 3"):
        figures.final_states({}, targets)
    with pytest.raises(ValueError, match=r"points\['b'\]"):
        figures.final_states({"a": points, "b": np.zeros((6, 3))}, targets)
