"""Additive attention: its forward pass against a loop over positions, its gradients against
finite differences, padding left out by the mask, and the errors bad arguments raise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seq2seq_references import attend, redraw

from rnnbook import attention, gradcheck


def problem(seed: int, S: int = 4, T: int = 3, B: int = 2, H: int = 3, Q: int = 2,
            A: int = 5) -> tuple[attention.Params, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = redraw(attention.init(H, Q, A, seed=0), rng, 0.8)
    return p, rng.normal(size=(S, B, H)), rng.normal(size=(T, B, Q))


@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(0, 2**31))
@settings(max_examples=25, deadline=None)
def test_forward_equals_the_equations_position_by_position(S: int, T: int, B: int,
                                                           seed: int) -> None:
    p, hs, queries = problem(seed, S=S, T=T, B=B)
    contexts, weights, _ = attention.forward(p, hs, queries)
    for t in range(T):
        for b in range(B):
            context, w = attend(p, hs[:, b], queries[t, b])
            np.testing.assert_allclose(contexts[t, b], context, rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(weights[t, b], w, rtol=1e-12, atol=1e-14)


def test_the_weights_are_a_distribution_over_the_source() -> None:
    _, weights, _ = attention.forward(*problem(0))
    assert np.all(weights > 0)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=0, atol=1e-14)


def test_masked_positions_get_no_weight_and_change_nothing() -> None:
    p, hs, queries = problem(1, S=5)
    mask = np.ones((5, 2))
    mask[3:, 0] = 0.0                                   # the first source has 3 real positions
    contexts, weights, _ = attention.forward(p, hs, queries, mask)
    assert np.all(weights[:, 0, 3:] == 0)
    short, short_weights, _ = attention.forward(p, hs[:3, :1], queries[:, :1])
    np.testing.assert_allclose(contexts[:, 0], short[:, 0], rtol=1e-13)
    np.testing.assert_allclose(weights[:, 0, :3], short_weights[:, 0], rtol=1e-13)
    for t in range(3):
        _, w = attend(p, hs[:, 0], queries[t, 0], mask[:, 0])
        np.testing.assert_allclose(weights[t, 0], w, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("shape", [(4, 3, 2), (1, 1, 1), (3, 1, 2)])
def test_backward_matches_finite_differences(shape: tuple[int, int, int], masked: bool) -> None:
    S, T, B = shape
    p, hs, queries = problem(2 + S, S=S, T=T, B=B)
    mask = None
    if masked and S > 1:
        mask = np.ones((S, B))
        mask[-1, 0] = 0.0
    w = np.random.default_rng(9).normal(size=(T, B, hs.shape[2]))     # L = Σ w ⊙ ctx

    def loss(p_: attention.Params, hs_: np.ndarray = hs, q_: np.ndarray = queries) -> float:
        return float(np.sum(w * attention.forward(p_, hs_, q_, mask)[0]))

    _, _, cache = attention.forward(p, hs, queries, mask)
    grads, dhs, dqueries = attention.backward(p, cache, w)
    report = gradcheck.check(loss, p, grads)
    assert report.passed, str(report)
    numeric_hs = gradcheck.numerical_gradient(lambda a: loss(p, hs_=a), hs)
    numeric_q = gradcheck.numerical_gradient(lambda a: loss(p, q_=a), queries)
    assert gradcheck.relative_error(dhs, numeric_hs) < 1e-8
    assert gradcheck.relative_error(dqueries, numeric_q) < 1e-8


def test_the_check_fails_when_a_gradient_is_off_by_a_tenth_of_a_percent() -> None:
    p, hs, queries = problem(3)
    w = np.random.default_rng(3).normal(size=(3, 2, 3))
    _, _, cache = attention.forward(p, hs, queries)
    grads, _, _ = attention.backward(p, cache, w)
    off = attention.Params(W_k=grads.W_k * 1.001, W_q=grads.W_q, v=grads.v)
    report = gradcheck.check(lambda p_: float(np.sum(w * attention.forward(p_, hs, queries)[0])),
                             p, off)
    assert not report.passed and report.errors["W_k"] > report.tol


def test_one_query_at_a_time_equals_all_at_once() -> None:
    p, hs, queries = problem(4)
    contexts, weights, _ = attention.forward(p, hs, queries)
    for t in range(len(queries)):
        c_t, w_t, _ = attention.forward(p, hs, queries[t:t + 1])
        np.testing.assert_allclose(c_t[0], contexts[t], rtol=1e-13)
        np.testing.assert_allclose(w_t[0], weights[t], rtol=1e-13)


@pytest.mark.parametrize(("change", "error", "match"), [
    ({"hs": np.ones((4, 2))}, ValueError, "hs must be a 3-d"),
    ({"hs": np.ones((4, 2, 5))}, ValueError, "H=3"),
    ({"queries": np.ones((3, 2, 7))}, ValueError, "Q=2"),
    ({"queries": np.ones((3, 1, 2))}, ValueError, "B=2"),
    ({"mask": np.ones((3, 2))}, ValueError, "mask must have shape"),
    ({"mask": np.zeros((4, 2))}, ValueError, "at least one 1"),
    ({"mask": np.full((4, 2), 0.5)}, ValueError, "0 or 1"),
    ({"params": object()}, TypeError, "attention.Params"),
])
def test_bad_arguments_are_named(change: dict, error: type, match: str) -> None:
    p, hs, queries = problem(5)
    args = {"params": p, "hs": hs, "queries": queries, "mask": None} | change
    with pytest.raises(error, match=match):
        attention.forward(**args)


def test_bad_params_and_gradients_are_named() -> None:
    with pytest.raises(ValueError, match="W_q"):
        attention.Params(W_k=np.ones((3, 2)), W_q=np.ones((4, 2)), v=np.ones(3))
    with pytest.raises(ValueError, match="v must have shape"):
        attention.Params(W_k=np.ones((3, 2)), W_q=np.ones((3, 2)), v=np.ones(4))
    p, hs, queries = problem(6)
    _, _, cache = attention.forward(p, hs, queries)
    with pytest.raises(ValueError, match="dcontexts"):
        attention.backward(p, cache, np.ones((3, 2, 4)))
    with pytest.raises(TypeError, match=r"attention\.Cache"):
        attention.backward(p, (1, 2), np.ones((3, 2, 3)))
