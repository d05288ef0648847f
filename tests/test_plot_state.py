"""Figures of chapter 2: the cell rolled and unrolled, the activations, the state heatmap and the
activations' ranges, each drawing exactly what it is given."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from matplotlib.collections import LineCollection

from rnnbook import activations, plot, rnn
from rnnbook.plot import state
from rnnbook.plot.style import DIVERGING


def data_axes(fig):
    return [ax for ax in fig.axes if ax.axison and ax.get_label() != "<colorbar>"]


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_rolled_and_unrolled_labels_every_step_with_the_same_weights():
    # The folded cell carries W_xh and W_hh once; the chain repeats them at every step (h_0 -> h_1
    # included): the picture of parameter sharing.
    for T in (1, 3, 5):
        (ax,) = plot.rolled_and_unrolled(T).axes
        assert not ax.axison
        labels = texts(ax)
        assert labels.count("$W_{xh}$") == 1 + T
        assert labels.count("$W_{hh}$") == 1 + T
        assert "$h_0$" in labels
        assert [f"$x_{{{t}}}$" in labels for t in range(1, T + 1)] == [True] * T


def test_activation_functions_draw_each_activation_and_its_derivative():
    fig = plot.activation_functions(a_max=3.0)
    left, right = fig.axes
    for k, name in enumerate(activations.NAMES):
        act = activations.get(name)
        a = left.lines[k].get_xdata()
        assert (a.min(), a.max()) == (-3.0, 3.0)
        np.testing.assert_array_equal(left.lines[k].get_ydata(), act.f(a))
        np.testing.assert_array_equal(right.lines[k].get_ydata(), act.df(a))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == [f"{n} (γ = {activations.get(n).gamma:g})" for n in activations.NAMES]
    assert left.get_legend() is None and right.get_legend() is None     # none over the curves


def test_heatmap_shows_the_states_it_is_given_under_the_inputs():
    rng = np.random.default_rng(0)
    hs, xs = rng.standard_normal((7, 4)), rng.standard_normal((7, 2))
    fig = state.state_heatmap(hs, xs)
    inputs, heat = data_axes(fig)
    np.testing.assert_array_equal(heat.images[0].get_array(), hs.T)
    for d, line in enumerate(inputs.get_lines()):
        np.testing.assert_array_equal(line.get_ydata(), xs[:, d])
    assert [ax.get_ylabel() for ax in (inputs, heat)] == ["input $x_t$", "hidden unit $i$"]


def test_heatmap_colours_are_diverging_and_centred_on_zero():
    fig = state.state_heatmap(np.array([[0.2, -0.5], [0.1, 0.3]]))
    (heat,) = data_axes(fig)
    image = heat.images[0]
    assert image.get_cmap().name == DIVERGING
    assert image.get_clim() == (-0.5, 0.5)
    assert image.colorbar is not None
    assert image.colorbar.ax.get_ylabel() == "state $h_{t,i}$"


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"states": np.ones((3, 2)), "xs": np.ones((4, 1))}, ValueError, "xs must have T=3 rows"),
    ({"states": np.ones((3, 2, 1))}, ValueError, "states must be a 2-d array"),
    ({"states": np.ones((3, 2)), "xs": np.ones((3, 1, 1))}, ValueError, r"xs must be a 2-d"),
])
def test_heatmap_names_the_bad_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        state.state_heatmap(**kwargs)


@pytest.fixture
def runs() -> dict[str, np.ndarray]:
    p = rnn.init(input_size=1, hidden_size=5, seed=3, spectral_radius=0.9)
    xs = 3 * np.random.default_rng(2).standard_normal((20, 4, 1))
    return {f: rnn.forward(replace(p, activation=f), xs)[0] for f in activations.NAMES}


def split(fig):
    """The small panels of the paths, and the panel of the violins."""
    (violins,) = [ax for ax in data_axes(fig) if ax.get_xlabel() == "activation $f$"]
    return [ax for ax in data_axes(fig) if ax is not violins], violins


def test_activation_ranges_draw_one_panel_per_activation_with_its_unit(runs):
    paths, _ = split(state.activation_ranges(runs, unit=2))
    assert [texts(ax) for ax in paths] == [[name] for name in runs]
    for ax, hs in zip(paths, runs.values(), strict=True):
        (line,) = ax.get_lines()
        np.testing.assert_array_equal(line.get_ydata(), hs[:, 0, 2])
    assert {ax.get_ylim() for ax in paths} == {paths[0].get_ylim()}     # one scale for all
    assert paths[0].get_ylabel() == "$h_{t,3}$"


def test_activation_ranges_spreads_span_the_states_and_stay_inside_each_range(runs):
    _, right = split(state.activation_ranges(runs))
    maxes, mins, _ = (c for c in right.collections if isinstance(c, LineCollection))  # as drawn
    for k, (name, hs) in enumerate(runs.items()):
        lo, hi = state.RANGES[name]
        assert lo <= hs.min() and hs.max() <= hi
        assert mins.get_segments()[k][0, 1] == pytest.approx(hs.min(), abs=1e-12)
        assert maxes.get_segments()[k][0, 1] == pytest.approx(hs.max(), abs=1e-12)
    assert [t.get_text() for t in right.get_xticklabels()] == list(activations.NAMES)


@pytest.mark.parametrize(("states", "unit", "error", "match"), [
    ({}, 0, ValueError, "between 1 and 4"),
    ({"softsign": np.ones((3, 1, 2))}, 0, ValueError, "states key"),
    ({"tanh": np.ones((3, 2))}, 0, ValueError, r"3-d array of shape \(T, B, H\)"),
    ({"tanh": np.ones((3, 1, 2)), "relu": np.ones((4, 1, 2))}, 0, ValueError, "relu"),
    ({"tanh": np.ones((3, 1, 2))}, 2, ValueError, r"unit must be an int in \[0, 2\)"),
])
def test_activation_ranges_names_the_bad_argument(states, unit, error, match):
    with pytest.raises(error, match=match):
        state.activation_ranges(states, unit=unit)
