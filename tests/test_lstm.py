"""The LSTM cell: the state update, the unrolled chain, full and truncated BPTT, without PyTorch.

References, each independent of ``rnnbook.lstm``'s code: one step written out with scalar
arithmetic; a plain-numpy loop (gated_references.py); central finite differences; and, for
truncated BPTT, finite differences of its definition (each loss term computed from states
detached k steps back). The comparison with ``torch.nn.LSTM`` is in test_gated_torch.py.
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
    lstm_forward,
    lstm_windowed_loss,
    random_lstm,
)
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import gradcheck, lstm


@st.composite
def problems(draw: st.DrawFn) -> dict:
    """Shapes down to T=1, B=1, H=1; h0, c0 and dc_last given or not."""
    T, B, D, H = (draw(st.integers(1, n)) for n in (4, 3, 3, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    given_h0, given_c0, given_dc = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    return {"p": random_lstm(rng, D, H), "xs": rng.normal(size=(T, B, D)),
            "h0": rng.normal(0, 0.5, (B, H)) if given_h0 else None,
            "c0": rng.normal(0, 1.0, (B, H)) if given_c0 else None,
            "w": rng.normal(size=(T, B, H)),
            "wc": rng.normal(size=(B, H)) if given_dc else None}


def zeros_if_none(a: np.ndarray | None, shape: tuple[int, ...]) -> np.ndarray:
    return np.zeros(shape) if a is None else a


def test_step_matches_the_equations_by_hand() -> None:
    p = lstm.Params(W_xi=[[0.5]], W_hi=[[-0.3]], b_i=[0.1], W_xf=[[0.2]], W_hf=[[0.4]], b_f=[1.0],
                    W_xg=[[-0.7]], W_hg=[[0.6]], b_g=[0.0], W_xo=[[0.9]], W_ho=[[-0.1]], b_o=[0.2])
    x, h, c = 1.5, -0.4, 0.8

    def s(a: float) -> float:
        return 1 / (1 + math.exp(-a))

    i, f = s(0.5 * x - 0.3 * h + 0.1), s(0.2 * x + 0.4 * h + 1.0)
    g, o = math.tanh(-0.7 * x + 0.6 * h), s(0.9 * x - 0.1 * h + 0.2)
    c_t = f * c + i * g
    h_t, got_c = lstm.step(p, np.array([[x]]), np.array([[h]]), np.array([[c]]))
    assert got_c[0, 0] == pytest.approx(c_t, rel=1e-15, abs=1e-15)
    assert h_t[0, 0] == pytest.approx(o * math.tanh(c_t), rel=1e-15, abs=1e-15)


@given(problem=problems())
def test_forward_equals_the_reference_loop_and_repeated_steps(problem: dict) -> None:
    p, xs = problem["p"], problem["xs"]
    B, H = xs.shape[1], p.hidden_size
    h0, c0 = (zeros_if_none(problem[k], (B, H)) for k in ("h0", "c0"))
    hs, cache = lstm.forward(p, xs, problem["h0"], problem["c0"])
    ref_h, ref_c = lstm_forward(p, xs, h0, c0)
    np.testing.assert_allclose(hs, ref_h[1:], rtol=0, atol=1e-14)
    np.testing.assert_allclose(cache.cells, ref_c, rtol=0, atol=1e-14)
    h, c = h0, c0
    for t, x in enumerate(xs):
        h, c = lstm.step(p, x, h, c)
        assert np.array_equal(h, hs[t]) and np.array_equal(c, cache.cells[t + 1])


def test_cache_holds_the_inputs_states_cells_and_gates_read_only() -> None:
    p = lstm.init(2, 3, seed=0)
    xs = np.random.default_rng(1).normal(size=(4, 2, 2))
    hs, cache = lstm.forward(p, xs)
    assert cache._fields == ("xs", "states", "cells", "i", "f", "g", "o")
    assert cache.states.shape == cache.cells.shape == (5, 2, 3)
    assert np.array_equal(cache.states[0], np.zeros((2, 3)))
    assert np.array_equal(cache.cells[0], np.zeros((2, 3)))
    assert all(getattr(cache, n).shape == (4, 2, 3) for n in lstm.GATES)
    assert np.all((cache.f > 0) & (cache.f < 1)) and np.all(np.abs(cache.g) < 1)
    for array in (hs, *cache):
        assert not array.flags.writeable
    xs[...] = 0.0                                   # the caller's array is not the cache's
    assert not np.array_equal(cache.xs, xs)


def loss(p: lstm.Params, xs: np.ndarray, h0: np.ndarray, c0: np.ndarray, w: np.ndarray,
         wc: np.ndarray) -> float:
    hs, cache = lstm.forward(p, xs, h0, c0)
    return float(np.sum(w * hs) + np.sum(wc * cache.cells[-1]))


def numeric_gradients(problem: dict, loss_fn) -> dict[str, np.ndarray]:
    p, xs = problem["p"], problem["xs"]
    B, H = xs.shape[1], p.hidden_size
    h0, c0 = (zeros_if_none(problem[k], (B, H)) for k in ("h0", "c0"))
    out = fields(gradcheck.numerical_gradients(lambda q: loss_fn(q, xs, h0, c0), p))
    out["dxs"] = fd(lambda x: loss_fn(p, x, h0, c0), xs)
    out["dh0"] = fd(lambda h: loss_fn(p, xs, h, c0), h0)
    out["dc0"] = fd(lambda c: loss_fn(p, xs, h0, c), c0)
    return out


def analytic_gradients(problem: dict, truncate: int | None = None) -> dict[str, np.ndarray]:
    _, cache = lstm.forward(problem["p"], problem["xs"], problem["h0"], problem["c0"])
    grads, dxs, dh0, dc0 = lstm.backward(problem["p"], cache, problem["w"],
                                         dc_last=problem["wc"], truncate=truncate)
    return {**fields(grads), "dxs": dxs, "dh0": dh0, "dc0": dc0}


@given(problem=problems())
def test_bptt_matches_finite_differences(problem: dict) -> None:
    B, H = problem["xs"].shape[1], problem["p"].hidden_size
    wc = zeros_if_none(problem["wc"], (B, H))
    numeric = numeric_gradients(
        problem, lambda p, xs, h0, c0: loss(p, xs, h0, c0, problem["w"], wc))
    assert_matches_finite_differences(analytic_gradients(problem), numeric)


@given(problem=problems())
def test_truncated_bptt_matches_its_definition(problem: dict) -> None:
    p, xs = problem["p"], problem["xs"]
    B, H = xs.shape[1], p.hidden_size
    h0, c0 = (zeros_if_none(problem[k], (B, H)) for k in ("h0", "c0"))
    wc = zeros_if_none(problem["wc"], (B, H))
    detached = lstm_forward(p, xs, h0, c0)
    for k in range(1, len(xs) + 1):
        numeric = numeric_gradients(problem, lambda q, x, h, c, k=k: lstm_windowed_loss(
            q, x, h, c, problem["w"], wc, k, detached))
        assert_matches_finite_differences(analytic_gradients(problem, truncate=k), numeric,
                                          context=f"truncate={k}")


@given(problem=problems())
def test_truncate_at_or_beyond_T_equals_full_bptt(problem: dict) -> None:  # noqa: N802
    full = analytic_gradients(problem)
    for k in (len(problem["xs"]), len(problem["xs"]) + 3):
        truncated = analytic_gradients(problem, truncate=k)
        assert all(np.array_equal(full[name], truncated[name]) for name in full), k


def test_without_dc_last_the_final_cell_state_gets_no_gradient() -> None:
    rng = np.random.default_rng(2)
    p, xs = random_lstm(rng, 2, 3), rng.normal(size=(4, 2, 2))
    hs, cache = lstm.forward(p, xs)
    w = rng.normal(size=hs.shape)
    none = lstm.backward(p, cache, w)
    zero = lstm.backward(p, cache, w, dc_last=np.zeros((2, 3)))
    assert all(np.array_equal(a, b) for a, b in zip(fields(none[0]).values(),
                                                    fields(zero[0]).values(), strict=True))
    assert all(np.array_equal(a, b) for a, b in zip(none[1:], zero[1:], strict=True))


def test_the_cell_state_gradient_alone_is_carried_by_the_forget_gates() -> None:
    # A loss on c_T only, with every recurrent weight zero: dL/dc_0 = dc_last * f_1 * ... * f_T.
    rng = np.random.default_rng(3)
    p = random_lstm(rng, 2, 3)
    p = dataclasses.replace(p, **{f"W_h{n}": np.zeros((3, 3)) for n in lstm.GATES})
    _, cache = lstm.forward(p, rng.normal(size=(6, 1, 2)))
    dc_last = rng.normal(size=(1, 3))
    *_, dh0, dc0 = lstm.backward(p, cache, np.zeros((6, 1, 3)), dc_last=dc_last)
    np.testing.assert_allclose(dc0, dc_last * np.prod(cache.f, axis=0), rtol=1e-14)
    assert np.array_equal(dh0, np.zeros((1, 3)))


def test_init_draws_pytorch_uniform_weights_and_a_forget_bias_of_one() -> None:
    p = lstm.init(input_size=5, hidden_size=16, seed=0)
    assert np.array_equal(p.b_f, np.ones(16))
    for n in "igo":
        assert np.array_equal(getattr(p, f"b_{n}"), np.zeros(16))
    for name, a in fields(p).items():
        if name.startswith("W"):
            assert np.abs(a).max() <= 0.25 and np.abs(a).max() > 0.2, name   # U(-1/4, 1/4)
    assert lstm.init(5, 16, seed=0, forget_bias=0.0).b_f.sum() == 0.0
    again = lstm.init(5, 16, seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(fields(p).values(), fields(again).values(),
                                                    strict=True))
    assert not np.array_equal(p.W_hf, lstm.init(5, 16, seed=1).W_hf)


@pytest.mark.parametrize("truncate", [None, 2])
def test_float32_in_gives_float32_out_close_to_float64(truncate: int | None) -> None:
    rng = np.random.default_rng(4)
    p, xs = random_lstm(rng, 2, 3), rng.normal(size=(5, 2, 2))
    p32 = lstm.Params(**{k: v.astype(np.float32) for k, v in fields(p).items()})
    hs32, cache32 = lstm.forward(p32, xs.astype(np.float32))
    hs, cache = lstm.forward(p, xs)
    assert hs32.dtype == np.float32 and cache32.cells.dtype == np.float32
    grads32, dxs32, dh032, dc032 = lstm.backward(p32, cache32, np.ones_like(hs), truncate=truncate)
    grads, *_ = lstm.backward(p, cache, np.ones_like(hs), truncate=truncate)
    assert grads32.W_hf.dtype == dxs32.dtype == dh032.dtype == dc032.dtype == np.float32
    np.testing.assert_allclose(hs32, hs, atol=1e-6)
    np.testing.assert_allclose(grads32.W_hf, grads.W_hf, atol=1e-5)


def test_params_are_built_with_keywords_and_compare_by_identity() -> None:
    p = lstm.init(2, 3, seed=0)
    with pytest.raises(TypeError):
        lstm.Params(*fields(p).values())  # type: ignore[misc]
    assert p == p and p != lstm.init(2, 3, seed=0)
