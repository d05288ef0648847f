"""Figures of chapter 4: the backward graph, truncation error curves, the cost of BPTT."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from rnnbook import cost, plot, rnn
from rnnbook.cost import BPTTCost


def fixed_cost() -> BPTTCost:
    """A table with made-up times (a measured one would differ from run to run)."""
    T = np.array([10, 20, 40])
    seconds = np.array([[1.0, 2.0, 4.0], [1.5, 3.0, 6.0]]) * 1e-3
    peak = np.array([[1, 2, 4], [2, 4, 8]], dtype=np.int64) * 2**20
    products = np.array([[cost.backward_work(t, k) for t in T] for k in (None, 5)])
    return BPTTCost(T, (None, 5), seconds, peak, products, B=2, D=3, H=4)


def errors(seed: int) -> tuple[np.ndarray, dict[float, np.ndarray]]:
    rng = np.random.default_rng(seed)
    xs, dhs = rng.standard_normal((12, 2, 2)), rng.standard_normal((12, 2, 5))
    ks = np.arange(1, 13)
    return ks, {rho: cost.truncation_error(rnn.init(2, 5, seed=seed, spectral_radius=rho),
                                           xs, dhs, ks) for rho in (0.5, 1.2)}


FIGURES: dict[str, Callable[[int], Figure]] = {
    "bptt_diagram": lambda seed: plot.bptt_diagram(4),
    "truncation_error_curves": lambda seed: plot.truncation_error_curves(*errors(seed),
                                                                         tol=1e-7),
    "bptt_cost_curves": lambda seed: plot.bptt_cost_curves(fixed_cost()),
}


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_is_a_figure_with_labelled_data_axes(name):
    fig = FIGURES[name](0)
    assert isinstance(fig, Figure)
    data_axes = [ax for ax in fig.axes if ax.axison]
    assert data_axes or name == "bptt_diagram"
    for ax in data_axes:
        assert ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_png_bytes_repeat(name):
    assert plot.to_png(FIGURES[name](3)) == plot.to_png(FIGURES[name](3))


@pytest.mark.parametrize("T", [1, 3, 5])
def test_bptt_diagram_labels_every_gradient_it_draws(T):
    (ax,) = plot.bptt_diagram(T).axes
    assert not ax.axison
    texts = [t.get_text() for t in ax.texts]
    for t in range(1, T + 1):
        for label in (rf"$\bar h_{{{t}}}$", rf"$W_{{hh}}^\top \delta_{{{t}}}$",
                      rf"$\partial L / \partial y_{{{t}}}$", f"$L_{{{t}}}$"):
            assert texts.count(label) == 1, label
    assert texts.count("$W_{hh}$") == texts.count("$W_{xh}$") == T
    dashed = [p for p in ax.patches if isinstance(p, FancyArrowPatch) and p.get_linestyle() == "--"]
    assert len(dashed) == 3 * T          # L_t -> y_t, y_t -> h_t, h_t -> h_{t-1}


def test_truncation_error_curves_draw_each_radius_without_its_zeros():
    ks, errs = errors(0)
    assert errs[0.5][-1] == 0.0                     # k = T: no error, nothing to draw on a log axis
    (ax,) = plot.truncation_error_curves(ks, errs).axes
    assert ax.get_yscale() == "log"
    lines = ax.get_lines()
    assert len(lines) == 2
    for line, e in zip(lines, errs.values(), strict=True):
        np.testing.assert_array_equal(line.get_ydata(), e[e > 0])
        np.testing.assert_array_equal(line.get_xdata(), ks[e > 0])
    assert len({line.get_linestyle() for line in lines}) == 2
    assert len({line.get_marker() for line in lines}) == 2


def test_truncation_error_curves_rejects_mismatched_errors():
    with pytest.raises(ValueError, match=r"errors\[0.5\]"):
        plot.truncation_error_curves([1, 2, 3], {0.5: [0.1, 0.01]})
    with pytest.raises(ValueError, match="errors"):
        plot.truncation_error_curves([1, 2, 3], {})


def test_bptt_cost_curves_plot_the_table_in_ms_and_mib():
    c = fixed_cost()
    time_ax, memory_ax = plot.bptt_cost_curves(c).axes
    for i, (t_line, m_line) in enumerate(zip(time_ax.get_lines(), memory_ax.get_lines(),
                                             strict=True)):
        np.testing.assert_allclose(t_line.get_ydata(), 1e3 * c.seconds[i])
        np.testing.assert_allclose(m_line.get_ydata(), c.peak_bytes[i] / 2**20)
        np.testing.assert_array_equal(t_line.get_xdata(), c.T)
    assert [t.get_text() for t in time_ax.get_legend().get_texts()] == ["full", "k = 5"]


def test_bptt_cost_curves_rejects_anything_but_a_table():
    with pytest.raises(TypeError, match="BPTTCost"):
        plot.bptt_cost_curves({"T": [1, 2]})  # type: ignore[arg-type]
