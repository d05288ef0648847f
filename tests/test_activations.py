"""Activations: derivatives against finite differences, gamma against a dense grid, stability."""

from __future__ import annotations

import re

import numpy as np
import pytest

from rnnbook import activations

NAMES = ("tanh", "sigmoid", "relu", "identity")


def central_difference(f, a: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Elementwise f'(a) by central differences (f acts entry by entry).

    Accurate to about u * |f| / eps ~ 1e-10 absolute (u the unit roundoff), hence FD_ATOL.
    """
    return (f(a + eps) - f(a - eps)) / (2 * eps)


FD_ATOL = 1e-9


def points_away_from_the_kink(seed: int) -> np.ndarray:
    # ReLU has a kink at 0; stay 1e-3 away from it, far beyond the step of 1e-6.
    a = np.random.default_rng(seed).uniform(-6.0, 6.0, size=200)
    return a[np.abs(a) > 1e-3]


def test_names_are_the_four_of_the_book() -> None:
    assert activations.NAMES == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_df_matches_finite_differences(name: str) -> None:
    act = activations.get(name)
    a = points_away_from_the_kink(0)
    np.testing.assert_allclose(act.df(a), central_difference(act.f, a), rtol=1e-8, atol=FD_ATOL)


@pytest.mark.parametrize("name", NAMES)
def test_df_from_output_matches_finite_differences(name: str) -> None:
    act = activations.get(name)
    a = points_away_from_the_kink(1)
    np.testing.assert_allclose(act.df_from_output(act.f(a)), central_difference(act.f, a),
                               rtol=1e-8, atol=FD_ATOL)


@pytest.mark.parametrize(("name", "closed_form"), [
    ("tanh", lambda a: (np.exp(a) - np.exp(-a)) / (np.exp(a) + np.exp(-a))),
    ("sigmoid", lambda a: 0.5 * (1.0 + np.tanh(a / 2))),
    ("relu", lambda a: (a + np.abs(a)) / 2),
    ("identity", lambda a: a),
])
def test_f_matches_a_closed_form(name: str, closed_form) -> None:
    a = np.linspace(-20.0, 20.0, 401)
    np.testing.assert_allclose(activations.get(name).f(a), closed_form(a), rtol=1e-14,
                               atol=1e-15)


@pytest.mark.parametrize(("name", "gamma"),
                         [("tanh", 1.0), ("sigmoid", 0.25), ("relu", 1.0), ("identity", 1.0)])
def test_gamma_is_the_largest_derivative_on_a_dense_grid(name: str, gamma: float) -> None:
    act = activations.get(name)
    grid = np.linspace(-10.0, 10.0, 20001)                # contains 0, where tanh' and σ' peak
    assert act.gamma == gamma
    slopes = np.abs(act.df(grid))
    assert slopes.max() == pytest.approx(gamma, rel=1e-12)
    assert np.all(slopes <= gamma)


def test_sigmoid_is_finite_and_exact_at_plus_minus_1e4() -> None:
    a = np.array([-1e308, -1e4, -800.0, 800.0, 1e4, 1e308])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = activations.sigmoid(a)
        ds = activations.get("sigmoid").df(a)
    assert np.array_equal(s, [0.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    assert np.array_equal(ds, np.zeros(6))


def test_sigmoid_keeps_tiny_values_for_very_negative_inputs() -> None:
    # 1 / (1 + e^40) = e^-40 / (1 + e^-40): the stable form keeps full relative precision.
    assert activations.sigmoid(np.array([-40.0]))[0] == pytest.approx(np.exp(-40.0), rel=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_activations_keep_float32(name: str) -> None:
    a = np.linspace(-3, 3, 7, dtype=np.float32)
    act = activations.get(name)
    assert act.f(a).dtype == np.float32
    assert act.df_from_output(act.f(a)).dtype == np.float32


def test_relu_derivative_at_the_kink_is_zero_as_in_pytorch() -> None:
    act = activations.get("relu")
    assert act.df(np.array([0.0]))[0] == 0.0
    assert act.df_from_output(np.array([0.0]))[0] == 0.0


def test_identity_returns_a_copy() -> None:
    a = np.ones(3)
    out = activations.identity(a)
    out[0] = 5.0
    assert a[0] == 1.0


def test_unknown_activation_raises_listing_the_options() -> None:
    expected = ("activation must be one of 'tanh', 'sigmoid', 'relu', 'identity'; "
                "got 'softplus'")
    with pytest.raises(ValueError, match=re.escape(expected)):
        activations.get("softplus")


@pytest.mark.parametrize("name", activations.NAMES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_f_in_place_overwrites_its_argument_with_f(name: str, dtype: type) -> None:
    a = np.linspace(-30, 30, 121, dtype=dtype).reshape(11, 11)
    expected = activations.get(name).f(a.copy())
    activations.get(name).f_in_place(a)
    np.testing.assert_array_equal(a, expected)
    assert a.dtype == dtype
