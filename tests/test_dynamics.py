"""How gradients travel through time: Jacobians, their norms, the bound.

References: closed forms (a linear network with W_hh = rho * Q has ||W_hh^k|| = rho^k exactly),
finite-difference Jacobians of the state update, and numpy's SVD and norms.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from references import REF_F, reference_forward

from rnnbook import dynamics, gradcheck, rnn


def orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    """A random orthogonal matrix, by numpy's QR (independent of rnnbook.initializers)."""
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    return q


def random_params(rng: np.random.Generator, D: int, H: int, activation: str,
                  scale: float = 1.0) -> rnn.Params:
    return rnn.Params(rng.normal(0.0, 1.0, (H, D)), rng.normal(0.0, scale / np.sqrt(H), (H, H)),
                      rng.normal(0.0, 0.3, H), activation)


def fd_jacobian(fn, h: np.ndarray) -> np.ndarray:
    """d fn(h) / d h by central differences, for fn: (1, H) -> (1, H); rows are outputs."""
    H = h.shape[1]
    return np.array([gradcheck.numerical_gradient(lambda v, i=i: float(fn(v)[0, i]), h)[0]
                     for i in range(H)])


@pytest.mark.parametrize("rho", [0.5, 0.9, 1.0, 1.1, 1.5])
def test_linear_rnn_gradient_norm_is_rho_to_the_k(rho: float) -> None:
    # f = identity: every Jacobian is W_hh = rho Q, and ||(rho Q)^k||_2 = rho^k exactly.
    rng = np.random.default_rng(0)
    H, T = 4, 40
    p = rnn.Params(rng.normal(size=(H, 2)), rho * orthogonal(H, rng), rng.normal(size=H),
                   "identity")
    norms = dynamics.gradient_norms(p, rng.normal(0.0, 0.1, (T, 1, 2)))
    np.testing.assert_allclose(norms, rho ** np.arange(T), rtol=1e-12, atol=0.0)


@given(T=st.integers(1, 12), D=st.integers(1, 3), H=st.integers(1, 5),
       scale=st.floats(0.1, 4.0), seed=st.integers(0, 2**32 - 1))
def test_tanh_gradient_norms_stay_below_the_bound(T: int, D: int, H: int, scale: float,
                                                  seed: int) -> None:
    rng = np.random.default_rng(seed)
    p = random_params(rng, D, H, "tanh", scale)
    norms = dynamics.gradient_norms(p, rng.normal(size=(T, 1, D)), rng.normal(size=(1, H)))
    bound = dynamics.gradient_bound(p, np.arange(T))
    assert norms.shape == bound.shape == (T,)
    assert norms[0] == 1.0
    # The bound is (gamma sigma_max)^k; slack for rounding, relative and absolute.
    assert np.all(norms <= bound * (1 + 1e-12) + 1e-12), (norms, bound)


def test_gradient_norms_are_norms_of_finite_difference_jacobians() -> None:
    rng = np.random.default_rng(1)
    T, D, H = 6, 2, 3
    p = random_params(rng, D, H, "tanh", scale=2.0)
    xs, h0 = rng.normal(size=(T, 1, D)), rng.normal(size=(1, H))
    norms = dynamics.gradient_norms(p, xs, h0)
    _, cache = rnn.forward(p, xs, h0)
    for k in range(1, T):
        # d h_T / d h_{T-k}: run the last k steps from a perturbed h_{T-k}.
        J = fd_jacobian(lambda h, k=k: reference_forward(p, xs[T - k:], h)[1][-1],
                        np.array(cache.states[T - k]))
        assert norms[k] == pytest.approx(np.linalg.norm(J, 2), rel=1e-7), k


def test_state_jacobians_equal_finite_differences_of_one_step() -> None:
    rng = np.random.default_rng(2)
    T, D, H = 4, 2, 3
    for activation in ("tanh", "sigmoid", "identity"):
        p = random_params(rng, D, H, activation)
        xs, h0 = rng.normal(size=(T, 1, D)), rng.normal(size=(1, H))
        J = dynamics.state_jacobians(p, xs, h0)
        _, cache = rnn.forward(p, xs, h0)
        assert J.shape == (T, H, H)
        for t in range(T):
            expected = fd_jacobian(lambda h, p=p, x_t=xs[t]: rnn.step(p, x_t, h),
                                   np.array(cache.states[t]))
            np.testing.assert_allclose(J[t], expected, rtol=1e-7, atol=1e-9,
                                       err_msg=f"{activation}, J_{t + 1}")


def test_exploding_gradient_norms_overflow_to_inf_without_nan_or_warnings() -> None:
    # rho = 3 over 1000 steps: 3^999 ~ 1e476 is beyond float64. Any warning would fail the test
    # (pytest runs with filterwarnings=error).
    rng = np.random.default_rng(3)
    H, T = 3, 1000
    p = rnn.Params(rng.normal(size=(H, 1)), 3.0 * orthogonal(H, rng), np.zeros(H), "identity")
    norms = dynamics.gradient_norms(p, np.zeros((T, 1, 1)))       # zero inputs: states stay 0
    assert not np.isnan(norms).any()
    k_max = int(np.log(np.finfo(np.float64).max) / np.log(3.0))   # 646
    np.testing.assert_allclose(norms[: k_max + 1], 3.0 ** np.arange(k_max + 1), rtol=1e-11)
    assert np.all(np.isinf(norms[k_max + 1:]))


def test_saturating_tanh_with_rho_3_gives_finite_norms() -> None:
    rng = np.random.default_rng(4)
    H, T = 4, 500
    p = rnn.Params(rng.normal(size=(H, 2)), 3.0 * orthogonal(H, rng), np.zeros(H), "tanh")
    norms = dynamics.gradient_norms(p, rng.normal(size=(T, 1, 2)))
    assert np.all(np.isfinite(norms))
    assert np.all(norms <= 3.0 ** np.arange(T) * (1 + 1e-12))


def test_dead_relu_network_passes_no_gradient() -> None:
    # b_h = -100: every pre-activation is negative, f' = 0, so every product of Jacobians is 0.
    p = rnn.Params(np.ones((2, 1)), np.eye(2), np.full(2, -100.0), "relu")
    norms = dynamics.gradient_norms(p, np.zeros((5, 1, 1)))
    assert np.array_equal(norms, [1.0, 0.0, 0.0, 0.0, 0.0])


@pytest.mark.parametrize(("activation", "gamma"),
                         [("tanh", 1.0), ("sigmoid", 0.25), ("relu", 1.0), ("identity", 1.0)])
def test_gradient_bound_is_gamma_sigma_max_to_the_k(activation: str, gamma: float) -> None:
    rng = np.random.default_rng(5)
    p = random_params(rng, 2, 4, activation, scale=2.0)
    sigma_max = np.linalg.svd(p.W_hh, compute_uv=False)[0]
    ks = np.arange(8)
    np.testing.assert_allclose(dynamics.gradient_bound(p, ks), (gamma * sigma_max) ** ks,
                               rtol=1e-13)
    assert dynamics.gradient_bound(p, 3) == pytest.approx((gamma * sigma_max) ** 3, rel=1e-13)


@pytest.mark.parametrize("r", [0.5, 1.0, 2.0])
def test_spectral_radius_of_a_scaled_rotation_is_its_scale(r: float) -> None:
    theta = 0.7
    W = r * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    assert dynamics.spectral_radius(W) == pytest.approx(r, rel=1e-13)


# --- pre-activations ---------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["tanh", "identity", "sigmoid", "relu"])
def test_preactivations_through_f_are_the_states_of_forward(activation: str) -> None:
    rng = np.random.default_rng(0)
    p = rnn.init(3, 5, seed=1, activation=activation)
    xs, h0 = rng.normal(size=(7, 2, 3)), rng.normal(size=(2, 5))
    a = dynamics.preactivations(p, xs, h0)
    hs, _ = rnn.forward(p, xs, h0)
    f = REF_F[activation]
    assert a.shape == (7, 2, 5)
    np.testing.assert_allclose(f(a), hs, rtol=1e-12, atol=1e-12)


def test_preactivations_match_a_hand_written_loop() -> None:
    rng = np.random.default_rng(1)
    p = rnn.init(2, 4, seed=2)
    xs = rng.normal(size=(5, 3, 2))
    h = np.zeros((3, 4))
    for t, x_t in enumerate(xs):
        a_t = x_t @ p.W_xh.T + h @ p.W_hh.T + p.b_h
        np.testing.assert_allclose(dynamics.preactivations(p, xs)[t], a_t, rtol=1e-12)
        h = np.tanh(a_t)


def test_large_inputs_saturate_tanh_and_shrink_the_mean_slope() -> None:
    p = rnn.init(4, 16, seed=0, recurrent="orthogonal", spectral_radius=1.5)
    xs = np.random.default_rng(0).normal(size=(30, 1, 4))
    slopes = [np.mean(1 - np.tanh(dynamics.preactivations(p, s * xs)) ** 2) for s in (0.5, 8.0)]
    assert slopes[1] < slopes[0]
