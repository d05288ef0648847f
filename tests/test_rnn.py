"""The vanilla cell: the state update, the unrolled chain, full and truncated BPTT.

References used here, each independent of ``rnnbook.rnn``'s code:

- the state update written out by hand with scalar arithmetic (``math.tanh`` and friends);
- a plain-numpy reference forward pass (``reference_forward``, in references.py) that also
  returns the pre-activations, with each activation's derivative written from the *pre-activation*
  (``REF_DF``), whereas rnnbook writes it from the output;
- central finite differences (``rnnbook.gradcheck``, itself tested in test_gradcheck.py);
- for truncated BPTT, the definition: finite differences of a "detached window" forward pass, and
  a second loop-by-loop implementation that walks each loss term back k steps
  (``truncated_bptt_by_loops``, in references.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from references import REF_DF, REF_F, Problem, reference_forward, truncated_bptt_by_loops

from rnnbook import gradcheck, rnn

ACTIVATIONS = ("tanh", "sigmoid", "relu", "identity")

SCALAR_F = {
    "tanh": math.tanh,
    "sigmoid": lambda a: 1.0 / (1.0 + math.exp(-a)),
    "relu": lambda a: max(a, 0.0),
    "identity": lambda a: a,
}

# Relu has a kink at 0 where neither the derivative nor a central difference across it means
# anything. Finite differences move a pre-activation by about eps * |input| ~ 1e-6, so draws with
# any |a_t| below this margin are rejected: then no perturbation crosses the kink.
RELU_MARGIN = 1e-3
EPS = 1e-6
FD_TOL = 1e-7
# Central differences in float64 carry an absolute error of about u * |L| / eps ~ 1e-10 (u the
# unit roundoff), whatever the size of the gradient. Relative error judges a gradient only when it
# stands well above that floor, so an array whose finite-difference estimate has norm below
# GRAD_FLOOR is judged by its absolute error ||analytic - numeric||_2 < FD_ABS_TOL instead. Every
# array of every draw is checked one way or the other; nothing is filtered out. (The floor is on
# the *reference*, so a bug that zeroes a gradient cannot hide below it.)
GRAD_FLOOR = 1e-2
FD_ABS_TOL = 1e-9


@st.composite
def problems(draw: st.DrawFn, activation: str) -> Problem:
    """Small shapes including T=1, B=1, H=1; weights drawn from a hypothesis-chosen seed."""
    T, B = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    D, H = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    p = rnn.Params(rng.normal(0.0, 0.8, (H, D)), rng.normal(0.0, 0.8, (H, H)),
                   rng.normal(0.0, 0.5, H), activation)
    prob = Problem(p, rng.normal(size=(T, B, D)), rng.normal(0.0, 0.5, (B, H)),
                   rng.normal(size=(T, B, H)))
    if activation == "relu":
        pre, _ = reference_forward(p, prob.xs, prob.h0)
        assume(np.abs(pre).min() > RELU_MARGIN)
    return prob


def numerical_bptt(loss, prob: Problem) -> tuple[rnn.Params, np.ndarray, np.ndarray]:
    """Central differences of ``loss(p, xs, h0)`` for the parameters, the inputs and h0."""
    grads = gradcheck.numerical_gradients(lambda q: loss(q, prob.xs, prob.h0), prob.p, eps=EPS)
    dxs = gradcheck.numerical_gradient(lambda x: loss(prob.p, x, prob.h0), prob.xs, eps=EPS)
    dh0 = gradcheck.numerical_gradient(lambda h: loss(prob.p, prob.xs, h), prob.h0, eps=EPS)
    return grads, dxs, dh0


def as_dict(grads: rnn.Params, dxs: np.ndarray, dh0: np.ndarray) -> dict[str, np.ndarray]:
    return {"W_xh": grads.W_xh, "W_hh": grads.W_hh, "b_h": grads.b_h, "dxs": dxs, "dh0": dh0}


def relative_errors(analytic, numeric) -> dict[str, float]:
    """Relative error of every gradient: W_xh, W_hh, b_h, dxs, dh0."""
    a, n = as_dict(*analytic), as_dict(*numeric)
    return {name: gradcheck.relative_error(a[name], n[name]) for name in a}


def assert_matches_finite_differences(analytic, numeric, context: object = None) -> None:
    """Relative error < FD_TOL for each array above GRAD_FLOOR, absolute < FD_ABS_TOL below."""
    a, n = as_dict(*analytic), as_dict(*numeric)
    for name in a:
        if np.linalg.norm(n[name]) >= GRAD_FLOOR:
            err = gradcheck.relative_error(a[name], n[name])
            assert err < FD_TOL, (context, name, "relative error", err)
        else:
            err = float(np.linalg.norm(a[name] - n[name]))
            assert err < FD_ABS_TOL, (context, name, "absolute error", err)


# --- the state update ------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_step_matches_the_state_update_by_hand(activation: str) -> None:
    p = rnn.Params(W_xh=np.array([[0.5, -1.0], [0.25, 0.0]]),
                   W_hh=np.array([[0.1, 0.2], [0.0, -0.3]]),
                   b_h=np.array([0.05, -0.1]), activation=activation)
    x_t = np.array([[1.0, 2.0], [0.0, -1.0]])
    h_prev = np.array([[0.5, -0.5], [1.0, 0.0]])
    # a = W_xh x + W_hh h + b, unit by unit:
    a = [[0.5 * 1 - 1.0 * 2 + 0.1 * 0.5 + 0.2 * -0.5 + 0.05,     # -1.5
          0.25 * 1 + 0.0 * 2 + 0.0 * 0.5 - 0.3 * -0.5 - 0.1],    # 0.3
         [0.5 * 0 - 1.0 * -1 + 0.1 * 1 + 0.2 * 0 + 0.05,         # 1.15
          0.25 * 0 + 0.0 * -1 + 0.0 * 1 - 0.3 * 0 - 0.1]]        # -0.1
    expected = np.array([[SCALAR_F[activation](v) for v in row] for row in a])
    np.testing.assert_allclose(rnn.step(p, x_t, h_prev), expected, rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(data=st.data())
def test_forward_equals_repeated_steps(activation: str, data: st.DataObject) -> None:
    prob = data.draw(problems(activation))
    hs, _ = rnn.forward(prob.p, prob.xs, prob.h0)
    h, expected = prob.h0, []
    for x_t in prob.xs:
        h = rnn.step(prob.p, x_t, h)
        expected.append(h)
    np.testing.assert_allclose(hs, np.array(expected), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(data=st.data())
def test_forward_matches_the_reference_loop(activation: str, data: st.DataObject) -> None:
    prob = data.draw(problems(activation))
    hs, cache = rnn.forward(prob.p, prob.xs, prob.h0)
    _, states = reference_forward(prob.p, prob.xs, prob.h0)
    np.testing.assert_allclose(hs, states[1:], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(cache.states, states, rtol=1e-13, atol=1e-15)


def test_h0_none_means_zeros() -> None:
    rng = np.random.default_rng(1)
    p = rnn.init(3, 5, seed=rng)
    xs = rng.normal(size=(4, 2, 3))
    hs_none, cache_none = rnn.forward(p, xs)
    hs_zeros, _ = rnn.forward(p, xs, np.zeros((2, 5)))
    assert np.array_equal(hs_none, hs_zeros)
    assert np.array_equal(cache_none.states[0], np.zeros((2, 5)))


def test_forward_output_and_cache_are_read_only() -> None:
    rng = np.random.default_rng(2)
    p = rnn.init(2, 3, seed=rng)
    hs, cache = rnn.forward(p, rng.normal(size=(3, 1, 2)))
    assert not hs.flags.writeable
    assert not cache.states.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        hs[0, 0, 0] = 1.0


def test_cache_holds_the_inputs_and_every_state() -> None:
    rng = np.random.default_rng(3)
    p = rnn.init(2, 3, seed=rng)
    xs, h0 = rng.normal(size=(4, 2, 2)), rng.normal(size=(2, 3))
    hs, cache = rnn.forward(p, xs, h0)
    assert cache._fields == ("xs", "states")
    assert np.array_equal(cache.xs, xs)
    assert np.array_equal(cache.states[0], h0)
    assert np.array_equal(cache.states[1:], hs)


# --- full BPTT -------------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(data=st.data())
def test_bptt_matches_finite_differences(activation: str, data: st.DataObject) -> None:
    prob = data.draw(problems(activation))
    _, cache = rnn.forward(prob.p, prob.xs, prob.h0)
    analytic = rnn.backward(prob.p, cache, prob.w)
    numeric = numerical_bptt(prob.loss, prob)
    assert_matches_finite_differences(analytic, numeric)


def test_backward_returns_gradients_with_the_activation_of_params() -> None:
    rng = np.random.default_rng(4)
    p = rnn.init(2, 3, seed=rng, activation="sigmoid")
    hs, cache = rnn.forward(p, rng.normal(size=(3, 2, 2)))
    grads, dxs, dh0 = rnn.backward(p, cache, np.ones_like(hs))
    assert grads.activation == "sigmoid"
    assert (grads.W_xh.shape, grads.W_hh.shape, grads.b_h.shape) == ((3, 2), (3, 3), (3,))
    assert (dxs.shape, dh0.shape) == ((3, 2, 2), (2, 3))


# --- truncated BPTT --------------------------------------------------------------------------

def windowed_loss(p: rnn.Params, xs: np.ndarray, h0: np.ndarray, w: np.ndarray, k: int,
                  detached: np.ndarray) -> float:
    """The loss truncated BPTT differentiates, by its definition.

    L_trunc = sum_t w_t . h_t^(window), where h_t^(window) is recomputed through k state updates
    from the *detached* state h_{t-k}, a constant taken from ``detached`` (the states of the
    unperturbed forward pass) -- or from the ``h0`` argument itself when t - k <= 0.
    At the unperturbed point every window reproduces the real h_t, so L_trunc = L there; only
    its derivatives differ.
    """
    f, T, total = REF_F[p.activation], len(xs), 0.0
    for t in range(1, T + 1):
        start = t - k
        h = h0 if start <= 0 else detached[start]
        for s in range(max(start, 0) + 1, t + 1):
            h = f(xs[s - 1] @ p.W_xh.T + h @ p.W_hh.T + p.b_h)
        total += float(np.sum(w[t - 1] * h))
    return total


@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(data=st.data())
def test_truncated_bptt_matches_its_definition(activation: str, data: st.DataObject) -> None:
    prob = data.draw(problems(activation))
    _, cache = rnn.forward(prob.p, prob.xs, prob.h0)
    _, detached = reference_forward(prob.p, prob.xs, prob.h0)
    for k in range(1, prob.T + 1):
        analytic = rnn.backward(prob.p, cache, prob.w, truncate=k)
        numeric = numerical_bptt(
            lambda p, xs, h0, k=k: windowed_loss(p, xs, h0, prob.w, k, detached), prob)
        assert_matches_finite_differences(analytic, numeric, context=f"truncate={k}")


@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(data=st.data())
def test_truncated_bptt_matches_a_loop_per_loss_term(activation: str, data: st.DataObject) -> None:
    prob = data.draw(problems(activation))
    _, cache = rnn.forward(prob.p, prob.xs, prob.h0)
    for k in range(1, prob.T + 2):
        analytic = rnn.backward(prob.p, cache, prob.w, truncate=k)
        errors = relative_errors(analytic, truncated_bptt_by_loops(prob, k))
        assert max(errors.values()) < 1e-12, (k, errors)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(data=st.data())
def test_truncate_at_or_beyond_T_equals_full_bptt(  # noqa: N802 -- T as in the book
        activation: str, data: st.DataObject) -> None:
    prob = data.draw(problems(activation))
    _, cache = rnn.forward(prob.p, prob.xs, prob.h0)
    full_grads, full_dxs, full_dh0 = rnn.backward(prob.p, cache, prob.w)
    for k in (prob.T, prob.T + 5):
        grads, dxs, dh0 = rnn.backward(prob.p, cache, prob.w, truncate=k)
        for name in ("W_xh", "W_hh", "b_h"):
            assert np.array_equal(getattr(grads, name), getattr(full_grads, name)), (k, name)
        assert np.array_equal(dxs, full_dxs)
        assert np.array_equal(dh0, full_dh0)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(data=st.data())
def test_truncate_one_keeps_only_the_local_step(activation: str, data: st.DataObject) -> None:
    prob = data.draw(problems(activation))
    # With k = 1 no gradient crosses a state update: delta_t = f'(a_t) * w_t, in closed form.
    p, xs, w = prob.p, prob.xs, prob.w
    pre, states = reference_forward(p, xs, prob.h0)
    delta = REF_DF[p.activation](pre) * w                                 # (T, B, H)
    grads, dxs, dh0 = rnn.backward(p, rnn.forward(p, xs, prob.h0)[1], w, truncate=1)
    expected = {
        "W_xh": np.einsum("tbi,tbj->ij", delta, xs),
        "W_hh": np.einsum("tbi,tbj->ij", delta, states[:-1]),
        "b_h": delta.sum(axis=(0, 1)),
        "dxs": delta @ p.W_xh,
        "dh0": delta[0] @ p.W_hh,                                         # term 1 only
    }
    got = as_dict(grads, dxs, dh0)
    for name, value in expected.items():
        np.testing.assert_allclose(got[name], value, rtol=1e-12, atol=1e-14, err_msg=name)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_truncated_many_to_one_gradient_reaches_only_the_last_k_inputs(k: int) -> None:
    rng = np.random.default_rng(5)
    p = rnn.init(2, 3, seed=rng)
    xs, T = rng.normal(size=(6, 2, 2)), 6
    hs, cache = rnn.forward(p, xs)
    dhs = np.zeros_like(hs)
    dhs[-1] = rng.normal(size=(2, 3))                     # a many-to-one loss
    _, dxs, dh0 = rnn.backward(p, cache, dhs, truncate=k)
    assert np.all(dxs[: T - k] == 0.0)
    assert np.all(np.abs(dxs[T - k:]).sum(axis=(1, 2)) > 0.0)
    assert np.all(dh0 == 0.0)


# --- precision -------------------------------------------------------------------------------

@pytest.mark.parametrize("truncate", [None, 2])
def test_float32_in_gives_float32_out_close_to_float64(truncate: int | None) -> None:
    rng = np.random.default_rng(6)
    p64 = rnn.init(3, 4, seed=rng)
    p64 = rnn.Params(p64.W_xh, p64.W_hh, rng.normal(0.0, 0.1, 4))
    xs, h0, dhs = rng.normal(size=(5, 2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(5, 2, 4))
    p32 = rnn.Params(*(a.astype(np.float32) for a in (p64.W_xh, p64.W_hh, p64.b_h)))
    f32 = [a.astype(np.float32) for a in (xs, h0, dhs)]

    hs64, cache64 = rnn.forward(p64, xs, h0)
    hs32, cache32 = rnn.forward(p32, f32[0], f32[1])
    g64, dxs64, dh064 = rnn.backward(p64, cache64, dhs, truncate=truncate)
    g32, dxs32, dh032 = rnn.backward(p32, cache32, f32[2], truncate=truncate)

    pairs = {"hs": (hs32, hs64), "W_xh": (g32.W_xh, g64.W_xh), "W_hh": (g32.W_hh, g64.W_hh),
             "b_h": (g32.b_h, g64.b_h), "dxs": (dxs32, dxs64), "dh0": (dh032, dh064)}
    for name, (lo, hi) in pairs.items():
        assert lo.dtype == np.float32, name
        np.testing.assert_allclose(lo, hi, rtol=1e-5, atol=1e-5, err_msg=name)


def test_the_truncated_reference_equals_the_loss_but_not_its_full_gradient() -> None:
    # Guards the reference above: the windowed loss is the real loss at the unperturbed point,
    # and for k < T its gradient really differs from full BPTT (else the test proves nothing).
    rng = np.random.default_rng(7)
    p = rnn.Params(rng.normal(0.0, 0.8, (3, 2)), rng.normal(0.0, 0.8, (3, 3)),
                   rng.normal(0.0, 0.5, 3))
    prob = Problem(p, rng.normal(size=(4, 2, 2)), rng.normal(0.0, 0.5, (2, 3)),
                   rng.normal(size=(4, 2, 3)))
    _, detached = reference_forward(p, prob.xs, prob.h0)
    _, cache = rnn.forward(p, prob.xs, prob.h0)
    full = rnn.backward(p, cache, prob.w)
    for k in range(1, prob.T):
        assert windowed_loss(p, prob.xs, prob.h0, prob.w, k, detached) == pytest.approx(
            prob.loss(), rel=1e-14)
        numeric = numerical_bptt(
            lambda q, xs, h0, k=k: windowed_loss(q, xs, h0, prob.w, k, detached), prob)
        assert relative_errors(full, numeric)["W_hh"] > 1e-3, k


def test_changing_xs_after_forward_does_not_change_backward() -> None:
    rng = np.random.default_rng(11)
    p = rnn.init(3, 4, seed=11)
    xs = rng.standard_normal((5, 2, 3))
    dhs = rng.standard_normal((5, 2, 4))
    _, cache = rnn.forward(p, xs)
    before, _, _ = rnn.backward(p, cache, dhs)
    xs += 1.0  # the caller reuses its buffer
    after, _, _ = rnn.backward(p, cache, dhs)
    np.testing.assert_array_equal(before.W_xh, after.W_xh)
    assert not cache.xs.flags.writeable


@pytest.mark.parametrize("truncate", [None, 2])
def test_backward_computes_in_the_dtype_of_the_forward_pass(truncate: int | None) -> None:
    p = rnn.init(3, 4, seed=12, dtype=np.float32)
    xs = np.ones((5, 2, 3), dtype=np.float32)
    _, cache = rnn.forward(p, xs)
    grads, dxs, dh0 = rnn.backward(p, cache, np.ones((5, 2, 4)), truncate=truncate)  # float64 dhs
    assert {grads.W_hh.dtype, dxs.dtype, dh0.dtype} == {np.dtype(np.float32)}


def test_params_compare_by_identity_not_elementwise() -> None:
    p = rnn.init(2, 3, seed=0)
    assert p == p
    assert p != rnn.init(2, 3, seed=0)  # equal values, another object: no ambiguous truth value
