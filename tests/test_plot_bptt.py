"""Figures of chapter 4: the backward graph, truncation error curves, the cost of BPTT."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.patches import FancyArrowPatch
from plot_cases import measured_table

from rnnbook import plot, rnn, truncation


def errors(seed: int) -> tuple[np.ndarray, dict[float, np.ndarray]]:
    rng = np.random.default_rng(seed)
    xs, dhs = rng.standard_normal((12, 2, 2)), rng.standard_normal((12, 2, 5))
    ks = np.arange(1, 13)
    return ks, {rho: truncation.truncation_error(rnn.init(2, 5, seed=seed, spectral_radius=rho),
                                           xs, dhs, ks) for rho in (0.5, 1.2)}


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


def test_truncation_error_curves_draw_the_tolerance_dotted():
    (ax,) = plot.truncation_error_curves(*errors(0), tol=1e-7).axes
    *data_lines, tolerance = ax.get_lines()
    assert tolerance.get_linestyle() == ":" and list(tolerance.get_ydata()) == [1e-7, 1e-7]
    assert all(line.get_linestyle() != ":" for line in data_lines)


def test_truncation_error_curves_rejects_mismatched_errors():
    with pytest.raises(ValueError, match=r"errors\[0.5\]"):
        plot.truncation_error_curves([1, 2, 3], {0.5: [0.1, 0.01]})
    with pytest.raises(ValueError, match="errors"):
        plot.truncation_error_curves([1, 2, 3], {})


def test_bptt_time_memory_curves_plot_the_table_in_ms_and_mib():
    c = measured_table()
    fig = plot.bptt_time_memory_curves(c)
    time_ax, memory_ax = fig.axes
    for i, (t_line, m_line) in enumerate(zip(time_ax.get_lines(), memory_ax.get_lines(),
                                             strict=True)):
        np.testing.assert_allclose(t_line.get_ydata(), 1e3 * c.seconds[i])
        np.testing.assert_allclose(m_line.get_ydata(), c.peak_bytes[i] / 2**20)
        np.testing.assert_array_equal(t_line.get_xdata(), c.T)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["full", "k = 5"]
    assert fig.legends[0].get_title().get_text() == "B = 2, D = 3, H = 4:"


def test_bptt_time_memory_curves_rejects_anything_but_a_table():
    with pytest.raises(TypeError, match="BPTTMeasurement"):
        plot.bptt_time_memory_curves({"T": [1, 2]})  # type: ignore[arg-type]
