"""Pascanu et al.'s single-unit network (rnnbook.single_unit): states, loss, gradient, surface.

References: a hand-written scalar loop with math.exp, central finite differences, and the closed
form of the gradient on the wall, where x_0 is a fixed point and every step multiplies by
r = w sigma'(x_0).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import gradcheck, single_unit


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def states_by_hand(w: float, b: float, x0: float, T: int) -> list[float]:
    xs = [x0]
    for _ in range(T):
        xs.append(w * sigmoid(xs[-1]) + b)
    return xs


def loss_by_hand(w: float, b: float, x0: float, T: int, y: float) -> float:
    return (states_by_hand(w, b, x0, T)[-1] - y) ** 2


@pytest.mark.parametrize(("w", "b", "x0", "T"), [(6.0, -3.0, 0.5, 1), (2.0, -1.0, 0.0, 5),
                                                 (-3.0, 1.5, 2.0, 12), (8.0, -4.5, 0.5, 30)])
def test_single_unit_states_match_a_scalar_loop(w: float, b: float, x0: float, T: int) -> None:
    got = single_unit.states(w, b, x0=x0, T=T)
    assert got.shape == (T + 1,)
    np.testing.assert_allclose(got, states_by_hand(w, b, x0, T), rtol=1e-13, atol=1e-13)


def test_single_unit_with_one_step_has_the_closed_form_loss_and_gradient() -> None:
    w, b, x0, y = 3.0, -0.5, 0.2, 1.0
    x1 = w * sigmoid(x0) + b
    loss, dw, db = single_unit.grads(w, b, x0=x0, T=1, target=y)
    assert float(loss) == pytest.approx((x1 - y) ** 2, rel=1e-14)
    assert float(dw) == pytest.approx(2 * (x1 - y) * sigmoid(x0), rel=1e-14)
    assert float(db) == pytest.approx(2 * (x1 - y), rel=1e-14)


@given(w=st.floats(-4.0, 4.0), b=st.floats(-3.0, 3.0), x0=st.floats(-2.0, 2.0),
       T=st.integers(1, 10), y=st.floats(-2.0, 2.0))
def test_single_unit_grads_match_finite_differences(w: float, b: float, x0: float, T: int,
                                                    y: float) -> None:
    # |w| <= 4 keeps every step a contraction (|w sigma'| <= 1): no wall to straddle.
    eps = 1e-6
    _, dw, db = single_unit.grads(w, b, x0=x0, T=T, target=y)
    fd_w, fd_b = gradcheck.numerical_gradient(
        lambda v: loss_by_hand(float(v[0]), float(v[1]), x0, T, y), np.array([w, b]), eps=eps)
    assert float(dw) == pytest.approx(fd_w, rel=1e-5, abs=1e-7)
    assert float(db) == pytest.approx(fd_b, rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("T", [5, 10, 20, 30])
def test_gradient_on_the_wall_is_the_closed_form_and_grows_like_r_to_the_t(T: int) -> None:
    w, x0, y = 6.0, 0.5, 2.0
    b = x0 - w * sigmoid(x0)                       # x0 is a fixed point: the wall
    r = w * sigmoid(x0) * (1 - sigmoid(x0))        # > 1: an unstable one
    loss, _, db = single_unit.grads(w, b, x0=x0, T=T, target=y)
    assert float(loss) == pytest.approx((x0 - y) ** 2, rel=1e-9)
    assert float(db) == pytest.approx(2 * (x0 - y) * (r**T - 1) / (r - 1), rel=1e-9)


def test_single_unit_broadcasts_w_against_b() -> None:
    ws, bs = np.array([1.0, 5.0, 7.0]), np.array([[-3.0], [0.0]])
    states = single_unit.states(ws, bs, T=4)
    assert states.shape == (5, 2, 3)
    for i in range(2):
        for j in range(3):
            np.testing.assert_allclose(states[:, i, j], states_by_hand(ws[j], bs[i, 0], 0.5, 4),
                                       rtol=1e-13)
    loss, dw, db = single_unit.grads(ws, bs, T=4)
    assert loss.shape == dw.shape == db.shape == (2, 3)


def test_single_unit_surface_is_the_loss_on_the_grid() -> None:
    ws, bs = np.linspace(0, 10, 7), np.linspace(-8, 2, 5)
    surface = single_unit.surface(ws, bs, x0=0.5, T=15, target=2.0)
    assert surface.shape == (5, 7)
    for i, b in enumerate(bs):
        for j, w in enumerate(ws):
            assert surface[i, j] == pytest.approx(loss_by_hand(w, b, 0.5, 15, 2.0), rel=1e-12)


def test_the_loss_jumps_across_the_wall_and_is_smooth_below_the_critical_w() -> None:
    x0, y = 0.5, 2.0
    wall = lambda w: x0 - w * sigmoid(x0)  # noqa: E731
    for w, jumps in ((6.0, True), (3.0, False)):
        below, above = single_unit.loss(w, np.array([wall(w) - 1e-3, wall(w) + 1e-3]),
                                                 x0=x0, T=40, target=y)
        assert (abs(below - above) > 10) == jumps


def test_huge_gradients_overflow_to_inf_without_a_warning() -> None:
    w, x0 = 50.0, 0.5
    b = x0 - w * sigmoid(x0)
    _, dw, db = single_unit.grads(w, b, x0=x0, T=2000)  # r = 11.75, r^2000 = inf
    assert np.isinf(db) and np.isinf(dw)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"T": 0}, ValueError, "T must be a positive integer"),
    ({"T": 2.5}, TypeError, "T must be a positive integer"),
    ({"x0": float("nan")}, ValueError, "x0 must be finite"),
    ({"x0": "0.5"}, TypeError, "x0 must be a real number"),
    ({"target": np.inf}, ValueError, "target must be finite"),
    ({"w": np.array([1.0, np.nan])}, ValueError, "w must be finite"),
    ({"w": np.ones(3), "b": np.ones(2)}, ValueError, "w and b must broadcast"),
    ({"b": "1"}, TypeError, "b must hold real numbers"),
])
def test_single_unit_names_the_bad_argument(kwargs: dict[str, object], error: type,
                                            match: str) -> None:
    args: dict[str, object] = {"w": 6.0, "b": -3.0, "x0": 0.5, "T": 5, "target": 2.0}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        single_unit.grads(**args)  # type: ignore[arg-type]


def test_single_unit_surface_wants_one_dimensional_grids() -> None:
    with pytest.raises(ValueError, match="ws must be a 1-d array"):
        single_unit.surface(np.ones((2, 2)), np.ones(3))
