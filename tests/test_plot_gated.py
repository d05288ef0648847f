"""The figures of chapters 6 and 7: each draws exactly what it is given, legibly."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text

from rnnbook import plot
from rnnbook.plot import gated, gated_cells


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def smallest_font(fig: Figure) -> float:
    fig.canvas.draw()                                   # tick labels exist once drawn
    return min(t.get_fontsize() for t in fig.findobj(Text) if t.get_text() and t.get_visible())


def highway(fig: Figure) -> list[FancyArrowPatch]:
    (ax,) = fig.axes
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch) and p.get_linewidth() == 3.0
            and to_hex(p.get_edgecolor()) == gated_cells.HIGHWAY.lower()]


@pytest.mark.parametrize(("draw", "states", "gates"), [
    (plot.lstm_cell_diagram, ("$c_{t-1}$", "$h_{t-1}$", "$c_t$", "$h_t$"),
     ("forget", "input", "candidate", "output")),
    (plot.gru_cell_diagram, ("$h_{t-1}$", "$h_t$"), ("update", "reset", "candidate")),
])
def test_cell_diagrams_label_every_state_and_gate_and_draw_the_memory_path_thick(
        draw, states, gates) -> None:
    fig = draw()
    labels = texts(fig)
    assert all(s in labels for s in states) and "$x_t$" in labels
    assert all(g in labels for g in gates)
    # The memory's path: three thick arrows, old state -> multiply -> add -> new state, in a row.
    path = highway(fig)
    assert len(path) == 3
    ys = {round(y, 6) for p in path for (_, y) in p._posA_posB}
    assert len(ys) == 1                                  # one straight line across the top
    assert smallest_font(fig) >= gated_cells.FONT
    assert plot.to_png(draw()) == plot.to_png(fig)      # the same bytes every time


def test_gate_heatmaps_show_each_panel_unit_by_unit_and_frame_the_marked_steps() -> None:
    rng = np.random.default_rng(0)
    gates = {"input $i_t$": rng.random((7, 3)), "forget $f_t$": rng.random((7, 3))}
    cell = rng.standard_normal((7, 3)) * 3
    marked = np.array([0, 1, 0, 0, 1, 0, 0], dtype=bool)
    fig = plot.gate_heatmaps({**gates, "cell $c_t$": cell}, step_labels=list("ABCDABC"),
                             marked=marked)
    images = [im for ax in fig.axes for im in ax.images]
    assert len(images) == 3
    for image, values in zip(images, [*gates.values(), cell], strict=True):
        assert isinstance(image, AxesImage)
        assert np.array_equal(image.get_array(), values.T)     # rows are units, columns steps
    assert [im.get_clim() for im in images[:2]] == [(0.0, 1.0), (0.0, 1.0)]
    low, high = images[2].get_clim()
    assert low == -high == -np.abs(cell).max()                 # centred on 0
    heat_axes = [ax for ax in fig.axes if ax.images]
    for ax in heat_axes:                                       # a white frame per marked step
        frames = [p for p in ax.patches if to_hex(p.get_edgecolor()) == "#ffffff"]
        assert sorted(round(p.get_x() + 0.5) for p in frames) == [1, 4]
    assert [t.get_text() for t in heat_axes[-1].get_xticklabels()] == list("ABCDABC")
    assert smallest_font(fig) >= gated.FONT


def test_gate_heatmaps_reject_panels_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="T=4"):
        plot.gate_heatmaps({"a": np.zeros((4, 2)), "b": np.zeros((5, 2))},
                           step_labels=list("ABCD"), marked=np.zeros(4, bool))
    with pytest.raises(ValueError, match="step_labels"):
        plot.gate_heatmaps({"a": np.zeros((4, 2))}, step_labels=list("ABC"),
                           marked=np.zeros(4, bool))


def test_seed_dots_draw_one_dot_per_run_in_the_given_order_and_a_dotted_chance_line() -> None:
    results = {"LSTM": [0.9, 1.0], "no input gate": [0.3, 0.5, 0.4], "vanilla": [0.25]}
    fig = plot.seed_dots(results, chance=0.25)
    (ax,) = fig.axes
    dots = [line for line in ax.lines if line.get_linestyle() == "None"]
    assert [list(d.get_xdata()) for d in dots] == list(results.values())
    rows = {tuple(d.get_ydata()) for d in dots}
    assert rows == {(2.0, 2.0), (1.0, 1.0, 1.0), (0.0,)}       # first variant on top
    assert [t.get_text() for t in ax.get_yticklabels()] == ["vanilla", "no input gate", "LSTM"]
    (chance,) = [line for line in ax.lines if line.get_linestyle() == ":"]
    assert list(chance.get_xdata()) == [0.25, 0.25]
    assert smallest_font(fig) >= gated.FONT


def test_curves_draw_every_run_in_its_variants_style_with_one_legend_entry_each() -> None:
    x = np.arange(5.0)
    panels = {"left": {"a": [(x, x + 1), (x, x + 2)], "b": (x, 2 * x + 1)},
              "right": {"b": (x, x), "c": (x, np.exp(-x))}}
    fig = plot.curves(panels, xlabel="k", ylabel="norm", reference=0.5, reference_label="half")
    left, right = [ax for ax in fig.axes if ax.get_title()]
    data = [line for line in left.lines if line.get_linestyle() != ":"]
    assert [list(line.get_ydata()) for line in data] == [[1, 2, 3, 4, 5], [2, 3, 4, 5, 6],
                                                         [1, 3, 5, 7, 9]]
    assert data[0].get_color() == data[1].get_color() != data[2].get_color()
    b_right = next(line for line in right.lines if list(line.get_ydata()) == list(x))
    assert b_right.get_color() == data[2].get_color()         # one style per variant, everywhere
    assert all(any(line.get_linestyle() == ":" for line in ax.lines) for ax in (left, right))
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["a", "b", "half", "c"]
    assert all(line.get_linestyle() != ":" for line in data)   # dotted means reference only
    assert smallest_font(fig) >= gated.FONT


def test_curves_on_a_log_scale_leave_out_values_that_are_not_positive() -> None:
    x = np.arange(4.0)
    fig = plot.curves({"": {"a": (x, np.array([1.0, 0.1, 0.0, -1.0]))}}, xlabel="k",
                      ylabel="norm", logy=True)
    (ax,) = fig.axes
    assert ax.get_yscale() == "log" and ax.get_title() == ""
    y = ax.lines[0].get_ydata()
    assert list(y[:2]) == [1.0, 0.1] and np.isnan(y[2:]).all()


def test_curves_reject_a_run_whose_x_and_y_differ_in_length() -> None:
    with pytest.raises(ValueError, match="a"):
        plot.curves({"": {"a": (np.arange(3.0), np.arange(4.0))}}, xlabel="x", ylabel="y")
    with pytest.raises(ValueError, match="panels"):
        plot.curves({}, xlabel="x", ylabel="y")
