"""Losses: gradients against finite differences, stability against closed forms."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import gradcheck, losses

shapes = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
def test_mse_gradient_matches_finite_differences(shape: tuple[int, ...], seed: int) -> None:
    rng = np.random.default_rng(seed)
    y_pred, y_true = rng.normal(size=shape), rng.normal(size=shape)
    loss, grad = losses.mse(y_pred, y_true)
    assert loss == pytest.approx(np.sum((y_pred - y_true) ** 2) / y_pred.size, rel=1e-14)
    numeric = gradcheck.numerical_gradient(lambda y: losses.mse(y, y_true)[0], y_pred)
    assert gradcheck.relative_error(grad, numeric) < 1e-7


@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
def test_cross_entropy_gradient_matches_finite_differences(shape: tuple[int, ...],
                                                           seed: int) -> None:
    rng = np.random.default_rng(seed)
    V = shape[-1] + 1                                     # at least two classes
    logits = rng.normal(0.0, 2.0, size=(*shape[:-1], V))
    targets = rng.integers(0, V, size=shape[:-1])
    _, grad = losses.softmax_cross_entropy(logits, targets)
    numeric = gradcheck.numerical_gradient(
        lambda z: losses.softmax_cross_entropy(z, targets)[0], logits)
    assert gradcheck.relative_error(grad, numeric) < 1e-7


def test_cross_entropy_matches_the_definition_on_moderate_logits() -> None:
    rng = np.random.default_rng(0)
    logits, targets = rng.normal(size=(4, 3, 5)), rng.integers(0, 5, size=(4, 3))
    p = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)   # naive softmax
    picked = np.take_along_axis(p, targets[..., None], axis=-1)
    loss, _ = losses.softmax_cross_entropy(logits, targets)
    assert loss == pytest.approx(-np.mean(np.log(picked)), rel=1e-13)


@pytest.mark.parametrize(("target", "expected_loss", "expected_grad"), [
    (0, 0.0, [0.0, 0.0, 0.0]),
    (1, 1e4, [1.0, -1.0, 0.0]),
    (2, 2e4, [1.0, 0.0, -1.0]),
])
def test_cross_entropy_is_exact_for_logits_of_magnitude_1e4(target: int, expected_loss: float,
                                                            expected_grad: list[float]) -> None:
    # Closed form: log-sum-exp of (1e4, 0, -1e4) is 1e4 + log(1 + e^-1e4 + e^-2e4), which is
    # exactly 1e4 in float64, so the loss is 1e4 - z_target and softmax is exactly (1, 0, 0).
    # No overflow, 0/0 or log 0 may happen on the way (underflow of e^-1e4 to 0 is the point).
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss, grad = losses.softmax_cross_entropy(np.array([[1e4, 0.0, -1e4]]),
                                                  np.array([target]))
    assert loss == expected_loss
    assert np.array_equal(grad, [expected_grad])


def test_cross_entropy_of_two_tied_huge_logits_is_log_2() -> None:
    # z = (1e4, 1e4, -1e4): log-sum-exp is 1e4 + log 2, which float64 holds only to the spacing
    # of numbers near 1e4 (about 1.8e-12), so that is the accuracy to expect of z - logsumexp.
    loss, grad = losses.softmax_cross_entropy(np.array([[1e4, 1e4, -1e4]]), np.array([1]))
    ulp = np.spacing(1e4)
    assert loss == pytest.approx(np.log(2.0), abs=ulp)
    np.testing.assert_allclose(grad, [[0.5, -0.5, 0.0]], rtol=0.0, atol=ulp)


def test_softmax_is_a_distribution_even_for_huge_logits() -> None:
    rng = np.random.default_rng(1)
    z = np.concatenate([rng.normal(size=(5, 7)), 1e4 * rng.normal(size=(5, 7))])
    s = losses.softmax(z)
    assert np.all(s >= 0.0)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-15, atol=1e-15)


def test_logsumexp_matches_the_naive_formula_on_moderate_values() -> None:
    z = np.random.default_rng(2).normal(0.0, 5.0, size=(3, 4, 6))
    for axis in (-1, 0, 1):
        naive = np.log(np.sum(np.exp(z), axis=axis))
        np.testing.assert_allclose(losses.logsumexp(z, axis=axis), naive, rtol=1e-14)


def test_logsumexp_of_huge_equal_values_is_the_value_plus_log_n() -> None:
    # Closed form: log(n e^c) = c + log n; the naive formula would overflow at c = 1e4.
    out = losses.logsumexp(np.array([1e4, 1e4, 1e4]))
    assert np.ndim(out) == 0 and not isinstance(out, np.ndarray)   # a scalar, like np.sum
    assert out == pytest.approx(1e4 + np.log(3.0), abs=np.spacing(1e4))
    np.testing.assert_allclose(losses.logsumexp(np.full((2, 4), -1e4)), -1e4 + np.log(4.0),
                               rtol=0.0, atol=np.spacing(1e4))


def test_log_softmax_is_log_of_softmax() -> None:
    z = np.random.default_rng(3).normal(size=(4, 5))
    naive = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
    np.testing.assert_allclose(losses.log_softmax(z), naive, rtol=1e-14, atol=1e-15)


BAD_TARGETS = [
    pytest.param(np.array([0.0, 1.0]), TypeError,
                 "targets must be integer class indices; got dtype float64", id="float-dtype"),
    pytest.param(np.array([True, False]), TypeError,
                 "targets must be integer class indices; got dtype bool", id="bool-dtype"),
    pytest.param(np.array([0, 3]), ValueError, "targets must lie in [0, V) = [0, 3); got 3",
                 id="too-large"),
    pytest.param(np.array([-1, 0]), ValueError, "targets must lie in [0, V) = [0, 3); got -1",
                 id="negative"),
    pytest.param(np.array([0, 1, 2]), ValueError,
                 "targets must have shape (...) = (2,), the shape of logits without its last "
                 "axis; got (3,)", id="wrong-shape"),
    pytest.param(np.array([[0], [1]]), ValueError, "= (2,)", id="extra-axis"),
]


@pytest.mark.parametrize(("targets", "error", "message"), BAD_TARGETS)
def test_bad_targets_are_refused_naming_targets(targets, error, message: str) -> None:
    with pytest.raises(error, match="^" + re.escape("targets must")) as info:
        losses.softmax_cross_entropy(np.zeros((2, 3)), targets)
    assert message in str(info.value)
    assert type(info.value) is error
