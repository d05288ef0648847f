"""Gradient flow through the gated cells: ``dynamics.lstm_gradient_norms``, ``gru_gradient_norms``.

References: the Jacobian of the states k steps on with respect to the states k steps back,
estimated by central differences of the plain-numpy forward pass (gated_references.py), its
spectral norm taken directly; and closed forms where the recurrent weights vanish.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from gated_references import gru_forward, lstm_cell, lstm_forward, random_gru, random_lstm

from rnnbook import dynamics, gru, lstm

EPS = 1e-6


def fd_jacobian(f, x: np.ndarray) -> np.ndarray:
    """∂f/∂x for f: (H,) -> (H,), by central differences."""
    cols = []
    for j in range(len(x)):
        e = np.zeros_like(x)
        e[j] = EPS
        cols.append((f(x + e) - f(x - e)) / (2 * EPS))
    return np.stack(cols, axis=1)


def lstm_from(p, xs, s, h, c):
    """(h_T, c_T) from the states after step s, running steps s+1..T."""
    for x in xs[s:]:
        h, c = lstm_cell(p, x, h, c)
    return h, c


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lstm_norms_match_finite_difference_jacobians(seed: int) -> None:
    rng = np.random.default_rng(seed)
    T, D, H = 7, 2, 3
    p = random_lstm(rng, D, H, scale=1.0)
    xs, h0, c0 = rng.normal(size=(T, 1, D)), rng.normal(size=(1, H)), rng.normal(size=(1, H))
    c_norms, h_norms = dynamics.lstm_gradient_norms(p, xs, h0, c0)
    hs, cs = lstm_forward(p, xs, h0, c0)
    for k in range(T):
        s = T - k
        J_c = fd_jacobian(lambda c, s=s: lstm_from(p, xs, s, hs[s], c[None])[1][0], cs[s, 0])
        J_h = fd_jacobian(lambda h, s=s: lstm_from(p, xs, s, h[None], cs[s])[0][0], hs[s, 0])
        assert c_norms[k] == pytest.approx(np.linalg.norm(J_c, 2), rel=1e-7, abs=1e-9), k
        assert h_norms[k] == pytest.approx(np.linalg.norm(J_h, 2), rel=1e-7, abs=1e-9), k


@pytest.mark.parametrize("reset", ["pytorch", "cho"])
@pytest.mark.parametrize("seed", [0, 1])
def test_gru_norms_match_finite_difference_jacobians(reset: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    T, D, H = 7, 2, 3
    q = random_gru(rng, D, H, reset, scale=1.0)
    xs, h0 = rng.normal(size=(T, 1, D)), rng.normal(size=(1, H))
    norms = dynamics.gru_gradient_norms(q, xs, h0)
    hs = gru_forward(q, xs, h0)
    for k in range(T):
        s = T - k
        J = fd_jacobian(lambda h, s=s: gru_forward(q, xs[s:], h[None])[-1, 0], hs[s, 0])
        assert norms[k] == pytest.approx(np.linalg.norm(J, 2), rel=1e-7, abs=1e-9), k


def test_without_recurrent_weights_the_cell_state_norm_is_the_product_of_forget_gates() -> None:
    rng = np.random.default_rng(3)
    p = random_lstm(rng, 2, 4)
    p = dataclasses.replace(p, **{f"W_h{n}": np.zeros((4, 4)) for n in lstm.GATES})
    xs = rng.normal(size=(9, 1, 2))
    c_norms, _ = dynamics.lstm_gradient_norms(p, xs)
    _, cache = lstm.forward(p, xs)
    f = cache.f[:, 0]                                              # (T, H)
    expected = [np.prod(f[len(f) - k:], axis=0).max() for k in range(len(f))]
    np.testing.assert_allclose(c_norms, expected, rtol=1e-12)


def test_without_recurrent_weights_the_gru_norm_is_the_product_of_update_gates() -> None:
    rng = np.random.default_rng(4)
    q = random_gru(rng, 2, 4)
    q = dataclasses.replace(q, **{f"W_h{n}": np.zeros((4, 4)) for n in gru.GATES})
    xs = rng.normal(size=(9, 1, 2))
    _, cache = gru.forward(q, xs)
    z = cache.z[:, 0]
    expected = [np.prod(z[len(z) - k:], axis=0).max() for k in range(len(z))]
    np.testing.assert_allclose(dynamics.gru_gradient_norms(q, xs), expected, rtol=1e-12)


def test_a_forget_bias_of_one_keeps_more_gradient_on_the_cell_state_than_zero() -> None:
    xs = np.random.default_rng(5).normal(size=(40, 1, 3))
    one, _ = dynamics.lstm_gradient_norms(lstm.init(3, 16, seed=0, forget_bias=1.0), xs)
    zero, _ = dynamics.lstm_gradient_norms(lstm.init(3, 16, seed=0, forget_bias=0.0), xs)
    assert one[0] == zero[0] == 1.0
    assert one[-1] > 100 * zero[-1]


def test_norms_beyond_the_float_range_become_inf_without_overflowing() -> None:
    # At the fixed point h = c = 0 with inputs 0, gates shut or open (biases ±800: sigmoid gives
    # exactly 0 or 1) and W_hg = 3 I, the LSTM's Jacobian is [[3 I, 0], [3 I, 0]]: the norm on h
    # grows as 3^k, past float64's range (3^646 > 1e308), and the (c, c) block is 0 for k >= 1.
    # (The logarithms summed over 600 steps carry a relative error of ~1e-11.)
    T, H, big = 800, 2, 800.0
    zeros_hh, zeros_hd = np.zeros((H, H)), np.zeros((H, 1))
    p = lstm.Params(W_xi=zeros_hd, W_hi=zeros_hh, b_i=np.full(H, big),
                    W_xf=zeros_hd, W_hf=zeros_hh, b_f=np.full(H, -big),
                    W_xg=zeros_hd, W_hg=3 * np.eye(H), b_g=np.zeros(H),
                    W_xo=zeros_hd, W_ho=zeros_hh, b_o=np.full(H, big))
    c_norms, h_norms = dynamics.lstm_gradient_norms(p, np.zeros((T, 1, 1)))
    k = np.arange(T)
    finite = k < 640
    np.testing.assert_allclose(h_norms[finite], 3.0 ** k[finite], rtol=1e-10)
    assert np.all(np.isinf(h_norms[k > 650]))
    assert c_norms[0] == 1.0 and np.all(c_norms[1:] == 0.0)
    # The GRU at the same kind of fixed point (z = 0, r = 1, W_hn = 3 I): J = 3 I.
    q = gru.Params(W_xr=zeros_hd, W_hr=zeros_hh, b_r=np.full(H, big),
                   W_xz=zeros_hd, W_hz=zeros_hh, b_z=np.full(H, -big),
                   W_xn=zeros_hd, W_hn=3 * np.eye(H), b_xn=np.zeros(H), b_hn=np.zeros(H))
    norms = dynamics.gru_gradient_norms(q, np.zeros((T, 1, 1)))
    np.testing.assert_allclose(norms[finite], 3.0 ** k[finite], rtol=1e-10)
    assert np.all(np.isinf(norms[k > 650]))


@pytest.mark.parametrize("call", [
    lambda xs: dynamics.lstm_gradient_norms(lstm.init(2, 3, seed=0), xs),
    lambda xs: dynamics.gru_gradient_norms(gru.init(2, 3, seed=0), xs),
], ids=["lstm", "gru"])
def test_a_batch_of_more_than_one_sequence_is_refused(call) -> None:
    with pytest.raises(ValueError, match=r"^xs must hold a batch of one, shape \(T, 1, D\); "
                                         r"got shape \(4, 2, 2\)"):
        call(np.zeros((4, 2, 2)))
