"""The GRU cell, with both placements of the reset gate, without PyTorch.

References, each independent of ``rnnbook.gru``'s code: one step written out with scalar
arithmetic; a plain-numpy loop (gated_references.py); central finite differences; and, for
truncated BPTT, finite differences of its definition. PyTorch's placement is compared with
``torch.nn.GRU`` in test_gated_torch.py; Cho's, which PyTorch lacks, is checked here.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from gated_references import (
    assert_matches_finite_differences,
    fd,
    fields,
    gru_forward,
    gru_windowed_loss,
    random_gru,
)
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import gradcheck, gru

RESETS = ("pytorch", "cho")


@st.composite
def problems(draw: st.DrawFn, reset: str) -> dict:
    """Shapes down to T=1, B=1, H=1; h0 given or not."""
    T, B, D, H = (draw(st.integers(1, n)) for n in (4, 3, 3, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return {"p": random_gru(rng, D, H, reset), "xs": rng.normal(size=(T, B, D)),
            "h0": rng.normal(0, 0.5, (B, H)) if draw(st.booleans()) else None,
            "w": rng.normal(size=(T, B, H))}


@pytest.mark.parametrize("reset", RESETS)
def test_step_matches_the_equations_by_hand(reset: str) -> None:
    q = gru.Params(W_xr=[[0.5]], W_hr=[[-0.3]], b_r=[0.1], W_xz=[[0.2]], W_hz=[[0.4]], b_z=[0.3],
                   W_xn=[[-0.7]], W_hn=[[0.6]], b_xn=[0.05], b_hn=[-0.2], reset=reset)
    x, h = 1.5, -0.4

    def s(a: float) -> float:
        return 1 / (1 + math.exp(-a))

    r, z = s(0.5 * x - 0.3 * h + 0.1), s(0.2 * x + 0.4 * h + 0.3)
    inner = r * (0.6 * h - 0.2) if reset == "pytorch" else 0.6 * (r * h) - 0.2
    n = math.tanh(-0.7 * x + 0.05 + inner)
    got = gru.step(q, np.array([[x]]), np.array([[h]]))
    assert got[0, 0] == pytest.approx((1 - z) * n + z * h, rel=1e-15, abs=1e-15)


@pytest.mark.parametrize("reset", RESETS)
@given(data=st.data())
def test_forward_equals_the_reference_loop_and_repeated_steps(reset: str,
                                                              data: st.DataObject) -> None:
    problem = data.draw(problems(reset))
    q, xs = problem["p"], problem["xs"]
    h0 = np.zeros((xs.shape[1], q.hidden_size)) if problem["h0"] is None else problem["h0"]
    hs, cache = gru.forward(q, xs, problem["h0"])
    np.testing.assert_allclose(cache.states, gru_forward(q, xs, h0), rtol=0, atol=1e-14)
    h = h0
    for t, x in enumerate(xs):
        h = gru.step(q, x, h)
        assert np.array_equal(h, hs[t])


def loss(q: gru.Params, xs: np.ndarray, h0: np.ndarray, w: np.ndarray) -> float:
    return float(np.sum(w * gru.forward(q, xs, h0)[0]))


def numeric_gradients(problem: dict, loss_fn) -> dict[str, np.ndarray]:
    q, xs = problem["p"], problem["xs"]
    h0 = np.zeros((xs.shape[1], q.hidden_size)) if problem["h0"] is None else problem["h0"]
    out = fields(gradcheck.numerical_gradients(lambda p: loss_fn(p, xs, h0), q))
    out["dxs"] = fd(lambda x: loss_fn(q, x, h0), xs)
    out["dh0"] = fd(lambda h: loss_fn(q, xs, h), h0)
    return out


def analytic_gradients(problem: dict, truncate: int | None = None) -> dict[str, np.ndarray]:
    _, cache = gru.forward(problem["p"], problem["xs"], problem["h0"])
    grads, dxs, dh0 = gru.backward(problem["p"], cache, problem["w"], truncate=truncate)
    assert grads.reset == problem["p"].reset
    return {**fields(grads), "dxs": dxs, "dh0": dh0}


@pytest.mark.parametrize("reset", RESETS)
@given(data=st.data())
def test_bptt_matches_finite_differences(reset: str, data: st.DataObject) -> None:
    problem = data.draw(problems(reset))
    numeric = numeric_gradients(problem, lambda q, xs, h0: loss(q, xs, h0, problem["w"]))
    assert_matches_finite_differences(analytic_gradients(problem), numeric)


@pytest.mark.parametrize("reset", RESETS)
@given(data=st.data())
def test_truncated_bptt_matches_its_definition(reset: str, data: st.DataObject) -> None:
    problem = data.draw(problems(reset))
    q, xs = problem["p"], problem["xs"]
    h0 = np.zeros((xs.shape[1], q.hidden_size)) if problem["h0"] is None else problem["h0"]
    detached = gru_forward(q, xs, h0)
    for k in range(1, len(xs) + 1):
        numeric = numeric_gradients(problem, lambda p, x, h, k=k: gru_windowed_loss(
            p, x, h, problem["w"], k, detached))
        assert_matches_finite_differences(analytic_gradients(problem, truncate=k), numeric,
                                          context=f"truncate={k}")


@pytest.mark.parametrize("reset", RESETS)
@given(data=st.data())
def test_truncate_at_or_beyond_T_equals_full_bptt(reset: str,  # noqa: N802
                                                  data: st.DataObject) -> None:
    problem = data.draw(problems(reset))
    full = analytic_gradients(problem)
    for k in (len(problem["xs"]), len(problem["xs"]) + 3):
        truncated = analytic_gradients(problem, truncate=k)
        assert all(np.array_equal(full[name], truncated[name]) for name in full), k


def test_the_placements_agree_when_W_hn_is_diagonal_and_b_hn_zero() -> None:  # noqa: N802
    # r * (W h) = W (r * h) exactly when W is diagonal: then only b_hn tells them apart.
    rng = np.random.default_rng(5)
    q = dataclasses.replace(random_gru(rng, 2, 3), W_hn=np.diag(rng.normal(size=3)),
                            b_hn=np.zeros(3))
    xs = rng.normal(size=(6, 2, 2))
    hs_pytorch, _ = gru.forward(q, xs)
    hs_cho, _ = gru.forward(dataclasses.replace(q, reset="cho"), xs)
    np.testing.assert_allclose(hs_cho, hs_pytorch, rtol=0, atol=1e-15)
    with_bias = dataclasses.replace(q, b_hn=np.ones(3))
    far = np.abs(gru.forward(with_bias, xs)[0]
                 - gru.forward(dataclasses.replace(with_bias, reset="cho"), xs)[0]).max()
    assert far > 1e-3


def test_the_placements_differ_with_the_same_weights() -> None:
    q = random_gru(np.random.default_rng(6), 3, 8)
    xs = np.random.default_rng(7).normal(size=(20, 4, 3))
    hs_pytorch, _ = gru.forward(q, xs)
    hs_cho, _ = gru.forward(dataclasses.replace(q, reset="cho"), xs)
    assert np.abs(hs_pytorch - hs_cho).max() > 0.05


def test_with_the_update_gate_shut_the_state_is_carried_unchanged() -> None:
    # z = 1 (a huge update bias): h_t = h_{t-1}, and dL/dh_0 is the sum of every dhs[t].
    rng = np.random.default_rng(8)
    q = dataclasses.replace(random_gru(rng, 2, 3), b_z=np.full(3, 800.0))
    h0 = rng.normal(size=(2, 3))
    hs, cache = gru.forward(q, rng.normal(size=(5, 2, 2)), h0)
    assert np.array_equal(hs, np.broadcast_to(h0, hs.shape))
    dhs = rng.normal(size=hs.shape)
    _, _, dh0 = gru.backward(q, cache, dhs)
    np.testing.assert_allclose(dh0, dhs.sum(axis=0), rtol=1e-14)


def test_init_draws_pytorch_uniform_weights_and_zero_biases() -> None:
    q = gru.init(input_size=5, hidden_size=16, seed=0)
    assert q.reset == "pytorch" and gru.init(5, 16, seed=0, reset="cho").reset == "cho"
    for name, a in fields(q).items():
        if name.startswith("b"):
            assert np.array_equal(a, np.zeros(16)), name
        else:
            assert 0.2 < np.abs(a).max() <= 0.25, name                    # U(-1/4, 1/4)
    again = gru.init(5, 16, seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(fields(q).values(), fields(again).values(),
                                                    strict=True))


@pytest.mark.parametrize("truncate", [None, 2])
def test_float32_in_gives_float32_out_close_to_float64(truncate: int | None) -> None:
    rng = np.random.default_rng(9)
    q, xs = random_gru(rng, 2, 3), rng.normal(size=(5, 2, 2))
    q32 = gru.Params(**{k: v.astype(np.float32) for k, v in fields(q).items()})
    hs32, cache32 = gru.forward(q32, xs.astype(np.float32))
    hs, cache = gru.forward(q, xs)
    grads32, dxs32, dh032 = gru.backward(q32, cache32, np.ones_like(hs), truncate=truncate)
    grads, *_ = gru.backward(q, cache, np.ones_like(hs), truncate=truncate)
    assert hs32.dtype == grads32.W_hn.dtype == dxs32.dtype == dh032.dtype == np.float32
    np.testing.assert_allclose(hs32, hs, atol=1e-6)
    np.testing.assert_allclose(grads32.W_hn, grads.W_hn, atol=1e-5)
