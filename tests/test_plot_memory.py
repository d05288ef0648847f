"""Figures of chapter 1: Figures with labelled axes and chance drawn, repeating byte for byte."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from rnnbook import data, optim, patterns, plot, train
from rnnbook.plot import memory as figures


def _histories(seed: int) -> dict[str, train.History]:
    test = data.recall_first(50, length=4, seed=seed + 1)
    out = {}
    for name, view in (("feed-forward", slice(-1, None)), ("recurrent", slice(None))):
        _, history = train.fit(
            patterns.init(4, 4, 4, seed=seed),
            lambda m, xs, c, v=view: patterns.loss_and_grads(m, xs[v], c),
            data.stream(data.recall_first, 8, seed=seed, length=4), optim.Adam(lr=1e-2),
            steps=20, eval_every=5,
            evaluate=lambda m, v=view: {"accuracy": patterns.accuracy(m, test.xs[v],
                                                                      test.targets)})
        out[name] = history
    return out


def _memory_learning_curves(seed: int) -> Figure:
    return figures.memory_learning_curves(_histories(seed), symbols=4)


def _final_states(seed: int) -> Figure:
    batch = data.recall_first(40, length=5, seed=seed)
    before = patterns.init(4, 6, 4, seed=seed)
    return figures.final_states({"before": before, "also before": before}, batch.xs,
                                batch.targets)


FIGURES: list[Callable[[int], Figure]] = [_memory_learning_curves, _final_states]


@pytest.mark.parametrize("make", FIGURES, ids=lambda f: f.__name__.strip("_"))
def test_figure_is_a_figure_with_labelled_axes(make: Callable[[int], Figure]) -> None:
    fig = make(0)
    assert isinstance(fig, Figure)
    data_axes = [ax for ax in fig.axes if ax.axison]
    assert data_axes
    for ax in data_axes:
        assert ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("make", FIGURES, ids=lambda f: f.__name__.strip("_"))
def test_figure_png_is_reproducible_byte_for_byte(make: Callable[[int], Figure]) -> None:
    assert plot.to_png(make(1)) == plot.to_png(make(1))


def test_learning_curves_draw_chance_as_ln_v_and_one_over_v() -> None:
    fig = figures.memory_learning_curves(_histories(0), symbols=4)
    loss_ax, acc_ax = fig.axes
    levels = {round(float(line.get_ydata()[0]), 12)  # type: ignore[index]
              for line in loss_ax.lines if "chance" in str(line.get_label())}
    assert levels == {round(float(np.log(4)), 12)}
    levels = {float(line.get_ydata()[0])  # type: ignore[index]
              for line in acc_ax.lines if "chance" in str(line.get_label())}
    assert levels == {0.25}
    assert len(acc_ax.lines) == 3   # two networks and chance


def test_learning_curves_reject_a_history_without_the_metric() -> None:
    _, history = train.fit(patterns.init(4, 3, 4, seed=0), patterns.loss_and_grads,
                           data.stream(data.recall_first, 4, seed=0, length=2),
                           optim.Adam(), steps=2)
    with pytest.raises(ValueError, match="no metric 'accuracy'"):
        figures.memory_learning_curves({"net": history}, symbols=4)
    with pytest.raises(ValueError, match="symbols must be at least 2"):
        figures.memory_learning_curves(_histories(0), symbols=1)


def test_final_states_marks_every_class_in_every_panel() -> None:
    batch = data.recall_first(60, length=3, symbols=3, seed=2)
    model = patterns.init(3, 5, 3, seed=0)
    fig = figures.final_states({"a": model, "b": model, "c": model}, batch.xs, batch.targets)
    assert len(fig.axes) == 3
    for ax in fig.axes:
        scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
        assert len(scatters) == 3
        assert sum(len(s.get_offsets()) for s in scatters) == 60  # type: ignore[arg-type]


def test_final_states_rejects_bad_targets() -> None:
    batch = data.recall_first(6, length=3, seed=2)
    model = patterns.init(4, 5, 4, seed=0)
    with pytest.raises(ValueError, match="targets must be integer classes of shape"):
        figures.final_states({"a": model}, batch.xs, batch.targets[:3])
    with pytest.raises(ValueError, match="between 1 and 3"):
        figures.final_states({}, batch.xs, batch.targets)


@given(seed=st.integers(0, 2**32 - 1), N=st.integers(3, 12), H=st.integers(2, 5))
def test_principal_components_are_the_projections_on_the_covariance_eigenvectors(
        seed: int, N: int, H: int) -> None:
    rng = np.random.default_rng(seed)
    points = rng.standard_normal((N, H)) * np.arange(1, H + 1)        # distinct variances
    coords = figures.principal_components(points, k=2)               # (N, 2)
    centred = points - points.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred)   # ascending
    for j in range(2):
        v = eigenvectors[:, -1 - j]
        expected = centred @ v
        assert np.allclose(np.abs(coords[:, j]), np.abs(expected), atol=1e-8)
        assert np.isclose(coords[:, j] @ coords[:, j], eigenvalues[-1 - j])
    assert np.isclose(coords[:, 0] @ coords[:, 1], 0.0, atol=1e-8)


def test_principal_components_with_every_component_keep_the_distances() -> None:
    points = np.random.default_rng(0).standard_normal((7, 3))
    coords = figures.principal_components(points, k=3)
    d = np.linalg.norm(points[:, None] - points[None], axis=-1)
    assert np.allclose(np.linalg.norm(coords[:, None] - coords[None], axis=-1), d)
    with pytest.raises(ValueError, match="k must be at most H=3"):
        figures.principal_components(points, k=4)
