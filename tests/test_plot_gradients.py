"""Figures of chapter 5: each draws the norms, pre-activations, surface and records it is given,
with the bounds and the threshold dotted and no line of data dotted."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from matplotlib.collections import QuadMesh
from matplotlib.patches import Polygon
from plot_cases import XS, net

from rnnbook import dynamics, plot, single_unit, train
from rnnbook.plot import gradients as figures


def _data_axes(fig) -> list:
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def test_figures_are_exported_from_plot() -> None:
    for name in ("gradient_norm_curves", "saturation", "error_wall", "training_curves"):
        assert getattr(plot, name) is getattr(figures, name)


def test_norm_curves_draw_each_norm_and_its_bound_dotted_in_its_colour() -> None:
    k = np.arange(len(XS))
    nets = {"ρ = 0.8": net(0.8, "identity"), "ρ = 1.1": net(1.1, "identity")}
    norms = {label: dynamics.gradient_norms(p, XS) for label, p in nets.items()}
    bounds = {label: dynamics.gradient_bound(p, k) for label, p in nets.items()}
    fig = figures.gradient_norm_curves({"linear": norms}, bounds={"linear": bounds})
    (ax,) = fig.axes
    measured, bound = ax.lines[0::2], ax.lines[1::2]
    for line, b, label in zip(measured, bound, nets, strict=True):
        np.testing.assert_array_equal(line.get_ydata(), norms[label])
        np.testing.assert_array_equal(b.get_ydata(), bounds[label])
        assert b.get_linestyle() == ":" and line.get_linestyle() != ":"
        assert b.get_color() == line.get_color()
    np.testing.assert_allclose(measured[0].get_ydata(), 0.8**k, rtol=1e-10)   # linear: ρ^k
    assert ax.get_yscale() == "log"


def test_norm_curves_with_the_same_networks_in_every_panel_share_one_legend() -> None:
    norms = {p: {"a": np.ones(5), "b": np.full(5, 0.5)} for p in ("left", "right")}
    fig = figures.gradient_norm_curves(norms, ylim=(1e-3, 10))
    assert [ax.get_legend() for ax in fig.axes] == [None, None]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["a", "b"]
    assert fig.axes[0].get_ylim() == pytest.approx((1e-3, 10))
    assert [ax.get_title() for ax in fig.axes] == ["left", "right"]


def test_norm_curves_leave_out_zeros_they_cannot_draw_on_a_log_scale() -> None:
    fig = figures.gradient_norm_curves({"p": {"dead": np.array([1.0, 0.1, 0.0])}})
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_ydata(), [1.0, 0.1, np.nan])


def test_saturation_draws_the_histograms_and_norms_of_each_run() -> None:
    p = net(1.5)
    scales = {"× 0.5": 0.5, "× 4": 4.0}
    a = {label: dynamics.preactivations(p, s * XS) for label, s in scales.items()}
    norms = {label: dynamics.gradient_norms(p, s * XS) for label, s in scales.items()}
    bound = dynamics.gradient_bound(p, np.arange(len(XS)))
    fig = figures.saturation(a, norms, bound=bound)
    right = next(ax for ax in fig.axes if ax.get_yscale() == "log")
    hist = next(ax for ax in fig.axes if ax.get_ylabel() == "share of $a_{t,i}$")
    for line, label in zip(right.lines, norms, strict=False):
        np.testing.assert_array_equal(line.get_ydata(), norms[label])
    np.testing.assert_array_equal(right.lines[-1].get_ydata(), bound)
    assert right.lines[-1].get_linestyle() == ":"
    steps = [patch for patch in hist.patches if isinstance(patch, Polygon)]
    assert len(steps) == 2
    for patch in steps:                        # each histogram sums to 1: shares of all a_{t,i}
        heights = patch.get_xy()[1:-1:2, 1]
        assert heights.sum() == pytest.approx(1.0)
    assert len([ax for ax in fig.axes if ax.get_legend() is not None]) == 0   # one legend, above


def test_saturation_with_larger_inputs_spreads_the_preactivations() -> None:
    p = net(1.5)
    a = {f"× {s}": dynamics.preactivations(p, s * XS) for s in (0.5, 8.0)}
    fig = figures.saturation(a, {label: np.ones(len(XS)) for label in a})
    hist = next(ax for ax in fig.axes if ax.get_ylabel() == "share of $a_{t,i}$")
    narrow, wide = (patch.get_xy() for patch in hist.patches if isinstance(patch, Polygon))
    spread = [np.ptp(xy[xy[:, 1] > 0, 0]) for xy in (narrow, wide)]
    assert spread[0] < spread[1]


def test_wall_map_is_the_surface_it_is_given() -> None:
    ws, bs = np.linspace(0, 10, 11), np.linspace(-8, 2, 9)
    surface = single_unit.surface(ws, bs, T=7)
    cut = np.linspace(-4, -3, 11)
    loss, dw, db = single_unit.grads(6.0, cut, T=7)
    fig = figures.error_wall(ws, bs, surface, T=7, w_cut=6.0, cut_bs=cut,
                             cut_losses={"T = 7": loss}, cut_norms={"T = 7": np.hypot(dw, db)})
    (mesh,) = [c for ax in _data_axes(fig) for c in ax.collections if isinstance(c, QuadMesh)]
    assert mesh.axes.get_xlabel() == "recurrent weight $w$"
    assert mesh.axes.get_title() == "error surface, T = 7"
    np.testing.assert_array_equal(np.asarray(mesh.get_array()).reshape(surface.shape), surface)
    cut_line = mesh.axes.lines[0]
    assert cut_line.get_linestyle() == "--" and list(cut_line.get_xdata()) == [6.0, 6.0]
    loss_ax = next(ax for ax in _data_axes(fig) if ax.get_ylabel() == "$L(w, b)$")
    np.testing.assert_array_equal(loss_ax.lines[0].get_ydata(), loss)


def test_training_curves_mark_a_diverged_run_and_draw_the_threshold_dotted() -> None:
    ok = train.History(np.array([1.0, 0.5]), np.array([3.0, 2.0]), np.array([], dtype=np.int64))
    bad = train.History(np.array([1.0, 9.0]), np.array([5.0, 1e6]),
                        np.array([], dtype=np.int64), diverged_at=2)
    fig = figures.training_curves({"ok": ok, "bad": bad}, max_norm=2.0)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "bad: diverged" in labels
    (threshold,) = [line for line in fig.axes[1].lines if "threshold" in str(line.get_label())]
    assert threshold.get_linestyle() == ":" and list(threshold.get_ydata()) == [2.0, 2.0]
    np.testing.assert_array_equal(fig.axes[1].lines[0].get_ydata(), [3.0, 2.0])
    assert all(line.get_linestyle() != ":" for line in fig.axes[0].lines)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: figures.gradient_norm_curves({}), ValueError, "norms"),
    (lambda: figures.gradient_norm_curves({"p": {}}), ValueError, "norms"),
    (lambda: figures.gradient_norm_curves({"p": {"a": np.ones(3), "b": np.ones(4)}}),
     ValueError, r"norms\['p'\]\['b'\]"),
    (lambda: figures.gradient_norm_curves({"p": {"a": np.ones(3)}}, bounds={"q": {}}),
     KeyError, "p"),
    (lambda: figures.saturation({}, {}), ValueError, "preactivations"),
    (lambda: figures.saturation({"a": np.ones(3)}, {"b": np.ones(3)}), ValueError, "same runs"),
    (lambda: figures.error_wall(np.ones(3), np.ones(2), np.ones((3, 3)), T=1, w_cut=1.0,
                                cut_bs=np.ones(3), cut_losses={"a": np.ones(3)},
                                cut_norms={"a": np.ones(3)}), ValueError, "losses"),
    (lambda: figures.error_wall(np.ones(3), np.ones(2), np.ones((2, 3)), T=1, w_cut=1.0,
                                cut_bs=np.ones(3), cut_losses={"a": np.ones(4)},
                                cut_norms={"a": np.ones(3)}), ValueError, "cut_losses"),
    (lambda: figures.training_curves({}), ValueError, "histories"),
    (lambda: figures.training_curves({"a": 1}), TypeError, "train.History"),  # type: ignore[dict-item]
])
def test_figures_name_the_bad_argument(call: Callable[[], object], error: type,
                                       match: str) -> None:
    with pytest.raises(error, match=match):
        call()
