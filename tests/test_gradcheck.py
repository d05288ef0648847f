"""Testing the tester: gradcheck must pass right gradients and catch a 0.1% error.

The loss here has a closed-form gradient, L(p) = sum(c * sin(theta)) over every array theta of p,
dL/dtheta = c * cos(theta), so no rnnbook gradient code is involved.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from rnnbook import gradcheck, rnn


def problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    p = rnn.Params(rng.normal(size=(3, 2)), rng.normal(size=(3, 3)), rng.normal(size=3))
    c = rnn.Params(rng.normal(size=(3, 2)), rng.normal(size=(3, 3)), rng.normal(size=3))

    def loss(q: rnn.Params) -> float:
        return float(sum(np.sum(ci * np.sin(qi)) for qi, ci in
                         zip((q.W_xh, q.W_hh, q.b_h), (c.W_xh, c.W_hh, c.b_h), strict=True)))

    grads = rnn.Params(c.W_xh * np.cos(p.W_xh), c.W_hh * np.cos(p.W_hh), c.b_h * np.cos(p.b_h))
    return p, loss, grads


def test_check_passes_the_correct_gradient() -> None:
    p, loss, grads = problem()
    report = gradcheck.check(loss, p, grads)
    assert report.passed and bool(report)
    assert set(report.errors) == {"W_xh", "W_hh", "b_h"}
    assert report.max_error < 1e-8
    assert "passed" in str(report)


@pytest.mark.parametrize("name", ["W_xh", "W_hh", "b_h"])
def test_check_fails_a_gradient_scaled_by_1_001(name: str) -> None:
    p, loss, grads = problem()
    wrong = dataclasses.replace(grads, **{name: getattr(grads, name) * 1.001})
    report = gradcheck.check(loss, p, wrong)
    assert not report.passed and not report
    assert report.errors[name] > 1e-4                  # about 0.001 / 2
    assert "FAILED" in str(report)


@pytest.mark.parametrize("name", ["W_xh", "W_hh", "b_h"])
def test_check_fails_one_entry_off_by_a_tenth_of_a_percent(name: str) -> None:
    p, loss, grads = problem()
    g = getattr(grads, name).copy()
    i = np.unravel_index(np.argmax(np.abs(g)), g.shape)   # the largest entry, so it matters
    g[i] *= 1.001
    report = gradcheck.check(loss, p, dataclasses.replace(grads, **{name: g}))
    assert not report.passed
    assert max(err for n, err in report.errors.items() if n != name) < 1e-8


def test_compare_of_arrays_fails_a_0_1_percent_error_and_passes_the_exact_one() -> None:
    x = np.random.default_rng(1).normal(size=(4, 3))
    numeric = gradcheck.numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)
    assert gradcheck.compare(np.cos(x), numeric).passed
    assert not gradcheck.compare(np.cos(x) * 1.001, numeric).passed


def test_numerical_gradient_matches_a_closed_form() -> None:
    x = np.random.default_rng(2).normal(size=(2, 3, 2))
    numeric = gradcheck.numerical_gradient(lambda v: float(np.sum(v**3)), x)
    np.testing.assert_allclose(numeric, 3 * x**2, rtol=1e-8, atol=1e-10)


def test_numerical_gradient_leaves_its_input_unchanged() -> None:
    x = np.random.default_rng(3).normal(size=(3, 4))
    before = x.copy()
    seen = []
    gradcheck.numerical_gradient(lambda v: seen.append(v is x) or float(np.sum(v**2)), x)
    assert np.array_equal(x, before)
    assert not any(seen)                               # f only ever saw a working copy


def test_numerical_gradients_leave_params_unchanged() -> None:
    p, loss, _ = problem(4)
    before = {n: getattr(p, n).copy() for n in ("W_xh", "W_hh", "b_h")}
    gradcheck.numerical_gradients(loss, p)
    for n, value in before.items():
        assert np.array_equal(getattr(p, n), value), n


def test_numerical_gradients_are_float64_for_float32_params() -> None:
    p, loss, _ = problem(5)
    p32 = rnn.Params(*(a.astype(np.float32) for a in (p.W_xh, p.W_hh, p.b_h)))
    numeric = gradcheck.numerical_gradients(loss, p32)
    assert numeric.W_hh.dtype == np.float64


def test_relative_error_of_two_zero_arrays_is_zero() -> None:
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0


@pytest.mark.parametrize(("a", "n", "expected"), [
    ([1.0, 0.0], [1.0, 0.0], 0.0),
    ([1.0, 0.0], [0.0, 0.0], 1.0),                     # one side zero: the maximum, 1
    ([1.0, 0.0], [-1.0, 0.0], 1.0),                    # opposite signs: also 1
    ([3.0, 4.0], [3.0, 4.0 + 1e-6], 1e-6 / (5.0 + np.hypot(3.0, 4.0 + 1e-6))),
])
def test_relative_error_matches_its_formula(a, n, expected: float) -> None:
    assert gradcheck.relative_error(np.array(a), np.array(n)) == pytest.approx(expected,
                                                                                rel=1e-9)


def test_relative_error_refuses_different_shapes() -> None:
    with pytest.raises(ValueError, match=r"analytic and numeric must have the same shape; "
                                         r"got \(3,\) and \(2,\)"):
        gradcheck.relative_error(np.zeros(3), np.zeros(2))
