"""Figures of chapter 2: the state heatmap and the activations' ranges, against hand-run loops."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from rnnbook import activations, plot, rnn
from rnnbook.plot import state
from rnnbook.plot.style import DIVERGING


def data_axes(fig):
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def loop_states(p: rnn.Params, xs: np.ndarray, f) -> np.ndarray:
    """h_t = f(W_xh x_t + W_hh h_{t-1} + b_h) for one sequence xs (T, D), written out: (T, H)."""
    h, out = np.zeros(p.hidden_size), []
    for x in xs:
        h = f(p.W_xh @ x + p.W_hh @ h + p.b_h)
        out.append(h)
    return np.array(out)


def pulse(T: int = 12, D: int = 1, at: int = 0, size: float = 2.0) -> np.ndarray:
    xs = np.zeros((T, D))
    xs[at] = size
    return xs


@pytest.fixture
def params() -> rnn.Params:
    return rnn.init(input_size=1, hidden_size=5, seed=3, spectral_radius=0.9)


def figures():
    p = rnn.init(input_size=2, hidden_size=4, seed=0)
    xs = np.random.default_rng(0).standard_normal((10, 3, 2))
    return {
        "activation_functions": lambda: plot.activation_functions(),
        "state_heatmap": lambda: plot.state_heatmap(p, xs[:, 0]),
        "state_heatmap_of_states": lambda: plot.state_heatmap(states=np.ones((6, 3))),
        "activation_ranges": lambda: plot.activation_ranges(p, xs),
    }


@pytest.mark.parametrize("name", list(figures()))
def test_figure_has_labelled_axes(name):
    fig = figures()[name]()
    assert isinstance(fig, Figure)
    for ax in data_axes(fig):
        assert ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("name", list(figures()))
def test_figure_png_bytes_repeat(name):
    make = figures()[name]
    assert plot.to_png(make()) == plot.to_png(make())


def test_heatmap_shows_the_states_of_a_hand_written_loop(params):
    xs = pulse()
    fig = state.state_heatmap(params, xs)
    image = data_axes(fig)[1].images[0]
    expected = loop_states(params, xs, np.tanh)                     # (T, H)
    np.testing.assert_allclose(image.get_array(), expected.T, rtol=0, atol=1e-12)


def test_heatmap_colours_are_diverging_and_centred_on_zero(params):
    fig = state.state_heatmap(params, pulse())
    image = data_axes(fig)[1].images[0]
    vmin, vmax = image.get_clim()
    assert image.get_cmap().name == DIVERGING
    assert vmin == -vmax == -np.abs(image.get_array()).max()
    assert image.colorbar is not None
    assert image.colorbar.ax.get_ylabel() == "state $h_{t,i}$"


def test_heatmap_from_states_equals_heatmap_from_params(params):
    xs = pulse()
    hs, _ = rnn.forward(params, xs[:, None, :])
    a = state.state_heatmap(params, xs)
    b = state.state_heatmap(xs=xs, states=hs[:, 0])
    assert plot.to_png(a) == plot.to_png(b)


def test_heatmap_without_inputs_has_one_data_panel():
    fig = state.state_heatmap(states=np.arange(12.0).reshape(4, 3) - 6)
    assert len(data_axes(fig)) == 1


def test_heatmap_uses_h0(params):
    h0 = np.full(5, 0.5)
    fig = state.state_heatmap(params, np.zeros((3, 1)), h0=h0)
    first = data_axes(fig)[1].images[0].get_array()[:, 0]
    np.testing.assert_allclose(first, np.tanh(params.W_hh @ h0 + params.b_h), atol=1e-12)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({}, ValueError, "either params"),
    ({"states": np.ones((3, 2)), "params": "p"}, ValueError, "either params"),
    ({"params": "p"}, ValueError, "xs is required"),
    ({"states": np.ones((3, 2)), "xs": np.ones((4, 1))}, ValueError, "xs must have T=3 rows"),
    ({"states": np.ones((3, 2, 1))}, ValueError, "states must be a 2-d array"),
])
def test_heatmap_names_the_bad_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        state.state_heatmap(**kwargs)


def test_heatmap_rejects_a_batch_of_sequences(params):
    with pytest.raises(ValueError, match=r"xs must be a 2-d array of shape \(T, D\)"):
        state.state_heatmap(params, np.zeros((4, 2, 1)))


def test_activation_ranges_trajectories_match_hand_written_loops(params):
    xs = np.random.default_rng(1).standard_normal((15, 2, 1))
    fig = state.activation_ranges(params, xs, unit=2)
    left = data_axes(fig)[0]
    lines = {line.get_label(): line.get_ydata() for line in left.get_lines()}
    assert list(lines) == list(activations.NAMES)
    for name in activations.NAMES:
        expected = loop_states(params, xs[:, 0], activations.get(name).f)[:, 2]
        np.testing.assert_allclose(lines[name], expected, rtol=0, atol=1e-12)
    assert left.get_ylabel() == "state of unit 3, $h_{t,3}$"


def test_identity_activation_gives_the_closed_form_of_a_linear_network(params):
    # With f the identity, b_h = 0 and a pulse x_1 then zeros: h_t = W_hh^(t-1) W_xh x_1.
    xs = pulse(T=8, at=0, size=1.5)[:, None, :]
    fig = state.activation_ranges(params, xs, unit=0)
    identity = next(line for line in data_axes(fig)[0].get_lines()
                    if line.get_label() == "identity")
    closed = [(np.linalg.matrix_power(params.W_hh, t) @ params.W_xh @ xs[0, 0])[0]
              for t in range(8)]
    np.testing.assert_allclose(identity.get_ydata(), closed, rtol=0, atol=1e-12)


def test_activation_ranges_spreads_span_the_states_and_stay_inside_each_range(params):
    xs = 3 * np.random.default_rng(2).standard_normal((20, 4, 1))
    right = data_axes(state.activation_ranges(params, xs))[1]
    maxes, mins, _ = (c for c in right.collections if isinstance(c, LineCollection))  # as drawn
    for k, name in enumerate(activations.NAMES):
        hs = np.stack([loop_states(params, xs[:, b], activations.get(name).f)
                       for b in range(xs.shape[1])])
        lo, hi = state.RANGES[name]
        assert lo <= hs.min() and hs.max() <= hi
        assert mins.get_segments()[k][0, 1] == pytest.approx(hs.min(), abs=1e-12)
        assert maxes.get_segments()[k][0, 1] == pytest.approx(hs.max(), abs=1e-12)
    assert [t.get_text() for t in right.get_xticklabels()] == list(activations.NAMES)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"params": "p"}, TypeError, "params must be an rnn.Params"),
    ({"xs": np.ones((3, 1))}, ValueError, r"xs must be a 3-d array of shape \(T, B, D\)"),
    ({"unit": 5}, ValueError, r"unit must be an int in \[0, 5\)"),
])
def test_activation_ranges_names_the_bad_argument(params, kwargs, error, match):
    args = {"params": params, "xs": np.ones((3, 1, 1))} | kwargs
    with pytest.raises(error, match=match):
        state.activation_ranges(**args)
