"""Figures of chapter 5: they return Figures, label their axes, draw the right data, repeat."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from matplotlib.collections import QuadMesh
from matplotlib.figure import Figure

from rnnbook import data, dynamics, optim, patterns, plot, rnn, single_unit, train
from rnnbook.plot import gradients as figures


def _xs(seed: int, T: int = 12) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(T, 1, 3))


def _net(rho: float, activation: str = "tanh", seed: int = 1) -> rnn.Params:
    return rnn.init(3, 6, seed=seed, activation=activation, recurrent="orthogonal",
                    spectral_radius=rho)


def _histories(seed: int) -> dict[str, train.History]:
    out = {}
    for label, max_norm in (("free", None), ("clipped", 1.0)):
        _, out[label] = train.fit(patterns.init(1, 4, 2, seed=seed, spectral_radius=2.0),
                                  patterns.loss_and_grads,
                                  data.stream(data.sign_memory, 8, seed=seed, length=10),
                                  optim.SGD(lr=0.5), steps=15, max_norm=max_norm)
    return out


def _norm_curves(seed: int) -> Figure:
    return figures.gradient_norm_curves(
        {"linear": {"0.9": _net(0.9, "identity"), "1.2": _net(1.2, "identity")},
         "tanh": {"0.9": _net(0.9), "1.2": _net(1.2)}}, _xs(seed))


def _saturation(seed: int) -> Figure:
    return figures.saturation(_net(1.5), _xs(seed), [0.5, 4.0])


def _wall(seed: int) -> Figure:
    return figures.error_wall(np.linspace(0, 10, 21), np.linspace(-8, 2, 23), w_cut=6.0,
                              cut_bs=np.linspace(-3.5, -3.0, 101), cut_Ts=(5, 10))


def _training(seed: int) -> Figure:
    return figures.training_curves(_histories(seed), max_norm=1.0)


FIGURES: list[Callable[[int], Figure]] = [_norm_curves, _saturation, _wall, _training]


def _data_axes(fig: Figure) -> list:
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


@pytest.mark.parametrize("make", FIGURES, ids=lambda f: f.__name__)
def test_figure_is_a_figure_with_labelled_axes(make: Callable[[int], Figure]) -> None:
    fig = make(0)
    assert isinstance(fig, Figure)
    for ax in _data_axes(fig):
        assert ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("make", FIGURES, ids=lambda f: f.__name__)
def test_figure_png_bytes_repeat(make: Callable[[int], Figure]) -> None:
    assert plot.to_png(make(0)) == plot.to_png(make(0))


def test_figures_are_exported_from_plot() -> None:
    for name in ("gradient_norm_curves", "saturation", "error_wall", "training_curves"):
        assert getattr(plot, name) is getattr(figures, name)


def test_norm_curves_draw_rho_to_the_k_for_a_linear_network_and_the_bound() -> None:
    xs = _xs(0, T=20)
    fig = figures.gradient_norm_curves({"linear": {"ρ = 0.8": _net(0.8, "identity")}}, xs)
    measured, bound = fig.axes[0].lines[:2]
    k = np.arange(20)
    np.testing.assert_allclose(measured.get_ydata(), 0.8**k, rtol=1e-10)
    np.testing.assert_allclose(bound.get_ydata(), 0.8**k, rtol=1e-12)
    assert fig.axes[0].get_yscale() == "log"


def test_norm_curves_without_bound_draw_one_line_per_network() -> None:
    nets = {"a": _net(0.9), "b": _net(1.1), "c": _net(1.0, "relu")}
    fig = figures.gradient_norm_curves({"p": nets}, _xs(1), bound=False, ylim=(1e-3, 10))
    (ax,) = fig.axes
    assert len(ax.lines) == 3
    assert ax.get_ylim() == pytest.approx((1e-3, 10))
    np.testing.assert_allclose(ax.lines[1].get_ydata(),
                               dynamics.gradient_norms(nets["b"], _xs(1)), rtol=1e-12)
    # Lines differ in style too, not only in colour.
    assert len({line.get_linestyle() for line in ax.lines}) == 3


def test_saturation_shows_the_gradient_norms_of_each_scaled_input() -> None:
    p, xs = _net(1.5), _xs(2)
    fig = figures.saturation(p, xs, [0.5, 4.0])
    right = fig.axes[1]
    for line, s in zip(right.lines[:2], (0.5, 4.0), strict=True):
        np.testing.assert_allclose(line.get_ydata(), dynamics.gradient_norms(p, s * xs),
                                   rtol=1e-12)


def test_wall_map_is_the_single_unit_surface() -> None:
    ws, bs = np.linspace(0, 10, 11), np.linspace(-8, 2, 9)
    fig = figures.error_wall(ws, bs, w_cut=6.0, cut_bs=np.linspace(-4, -3, 11), cut_Ts=(4,),
                             T=7)
    (mesh,) = [c for ax in _data_axes(fig) for c in ax.collections if isinstance(c, QuadMesh)]
    assert mesh.axes.get_xlabel() == "recurrent weight $w$"
    expected = single_unit.surface(ws, bs, T=7)
    np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(expected.shape), expected)


def test_training_curves_mark_a_diverged_run_and_the_threshold() -> None:
    ok = train.History(np.array([1.0, 0.5]), np.array([3.0, 2.0]), np.array([], dtype=np.int64))
    bad = train.History(np.array([1.0, 9.0]), np.array([5.0, 1e6]),
                        np.array([], dtype=np.int64), diverged_at=2)
    fig = figures.training_curves({"ok": ok, "bad": bad}, max_norm=2.0)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "bad: diverged" in labels
    assert any("threshold" in label for label in labels)
    np.testing.assert_array_equal(fig.axes[1].lines[0].get_ydata(), [3.0, 2.0])


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: figures.gradient_norm_curves({}, _xs(0)), ValueError, "panels"),
    (lambda: figures.gradient_norm_curves({"p": {"a": "net"}}, _xs(0)), TypeError,
     "rnn.Params"),
    (lambda: figures.gradient_norm_curves({"p": {"a": _net(1.0)}}, np.ones((4, 2, 3))),
     ValueError, "xs must have shape"),
    (lambda: figures.saturation(_net(1.0, "relu"), _xs(0), [1.0]), ValueError, "tanh"),
    (lambda: figures.saturation(_net(1.0), _xs(0), []), ValueError, "scales"),
    (lambda: figures.error_wall(np.ones(3), np.ones(3), w_cut=1.0, cut_bs=np.ones(3),
                                cut_Ts=()), ValueError, "cut_Ts"),
    (lambda: figures.training_curves({}), ValueError, "histories"),
    (lambda: figures.training_curves({"a": 1}), TypeError, "train.History"),  # type: ignore[dict-item]
])
def test_figures_name_the_bad_argument(call: Callable[[], object], error: type,
                                       match: str) -> None:
    with pytest.raises(error, match=match):
        call()
