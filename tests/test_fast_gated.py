"""rnnbook.fast.lstm and rnnbook.fast.gru compute what rnnbook.lstm and rnnbook.gru compute.

Every output, final state and gradient to 1e-12 of its largest entry. The plain code is itself
held to independent references (finite differences, the definition of truncated BPTT, PyTorch)
in test_lstm.py, test_gru.py and test_gated_torch.py; here the fast path is held to the plain one,
over small shapes including T=1, B=1, H=1, h0 and c0 given or not, dc_last given or not, both
reset-gate placements, float32 and float64, and truncation to 1, to k < T and to k >= T. The
two paths share their ``Cache`` type, so each backward is also run on the other forward's cache.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from gated_references import random_gru, random_lstm
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import gru, lstm
from rnnbook.fast import gru as fast_gru
from rnnbook.fast import lstm as fast_lstm

TOL = 1e-12


def assert_same(fast_value: np.ndarray, plain_value: np.ndarray, what: str) -> None:
    """Equal to 1e-12 of the array's largest entry (the differences are rounding: sums taken in
    another order, the sigmoid through tanh), with the same shape and dtype."""
    assert fast_value.shape == plain_value.shape, what
    assert fast_value.dtype == plain_value.dtype, what
    scale = max(float(np.abs(plain_value).max()), 1e-300)
    err = float(np.abs(fast_value - plain_value).max()) / scale
    tol = TOL if plain_value.dtype == np.float64 else 1e-5
    assert err <= tol, (what, err)


def weights(grads: object) -> dict[str, np.ndarray]:
    return {f.name: getattr(grads, f.name) for f in dataclasses.fields(grads)  # type: ignore[arg-type]
            if isinstance(getattr(grads, f.name), np.ndarray)}


@st.composite
def lstm_problems(draw: st.DrawFn) -> dict:
    T, B, D, H = (draw(st.integers(1, n)) for n in (6, 3, 3, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return {"p": random_lstm(rng, D, H), "xs": rng.normal(size=(T, B, D)),
            "h0": rng.normal(0, 0.5, (B, H)) if draw(st.booleans()) else None,
            "c0": rng.normal(0, 1.0, (B, H)) if draw(st.booleans()) else None,
            "dhs": rng.normal(size=(T, B, H)),
            "dc_last": rng.normal(size=(B, H)) if draw(st.booleans()) else None}


@st.composite
def gru_problems(draw: st.DrawFn) -> dict:
    T, B, D, H = (draw(st.integers(1, n)) for n in (6, 3, 3, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    reset = draw(st.sampled_from(gru.RESETS))
    return {"p": random_gru(rng, D, H, reset=reset), "xs": rng.normal(size=(T, B, D)),
            "h0": rng.normal(0, 0.5, (B, H)) if draw(st.booleans()) else None,
            "dhs": rng.normal(size=(T, B, H))}


@given(problem=lstm_problems())
def test_fast_lstm_forward_equals_plain_forward(problem: dict) -> None:
    p, xs, h0, c0 = problem["p"], problem["xs"], problem["h0"], problem["c0"]
    hs, cache = lstm.forward(p, xs, h0, c0)
    hs_fast, cache_fast = fast_lstm.forward(p, xs, h0, c0)
    assert_same(hs_fast, hs, "hs")
    for name, plain in cache._asdict().items():
        assert_same(getattr(cache_fast, name), plain, f"cache.{name}")
    assert all(not a.flags.writeable for a in cache_fast)


@given(problem=lstm_problems(), k=st.integers(1, 8))
def test_fast_lstm_backward_equals_plain_backward_full_and_truncated(problem: dict, k: int) -> None:
    p, dhs, dc_last = problem["p"], problem["dhs"], problem["dc_last"]
    T = len(dhs)
    _, cache = lstm.forward(p, problem["xs"], problem["h0"], problem["c0"])
    _, cache_fast = fast_lstm.forward(p, problem["xs"], problem["h0"], problem["c0"])
    for truncate in (None, 1, k, max(T - 1, 1), T, T + 3):
        for c in (cache, cache_fast):     # each backward on either forward's cache
            grads, *rest = lstm.backward(p, c, dhs, dc_last, truncate=truncate)
            grads_fast, *rest_fast = fast_lstm.backward(p, c, dhs, dc_last, truncate=truncate)
            for name, plain in weights(grads).items():
                assert_same(getattr(grads_fast, name), plain, f"{name}, truncate={truncate}")
            for name, a, b in zip(("dxs", "dh0", "dc0"), rest_fast, rest, strict=True):
                assert_same(a, b, f"{name}, truncate={truncate}")


@given(problem=gru_problems())
def test_fast_gru_forward_equals_plain_forward(problem: dict) -> None:
    p, xs, h0 = problem["p"], problem["xs"], problem["h0"]
    hs, cache = gru.forward(p, xs, h0)
    hs_fast, cache_fast = fast_gru.forward(p, xs, h0)
    assert_same(hs_fast, hs, "hs")
    for name, plain in cache._asdict().items():
        assert_same(getattr(cache_fast, name), plain, f"cache.{name}")
    assert all(not a.flags.writeable for a in cache_fast)


@given(problem=gru_problems(), k=st.integers(1, 8))
def test_fast_gru_backward_equals_plain_backward_full_and_truncated(problem: dict, k: int) -> None:
    p, dhs = problem["p"], problem["dhs"]
    T = len(dhs)
    _, cache = gru.forward(p, problem["xs"], problem["h0"])
    _, cache_fast = fast_gru.forward(p, problem["xs"], problem["h0"])
    for truncate in (None, 1, k, max(T - 1, 1), T, T + 3):
        for c in (cache, cache_fast):
            grads, dxs, dh0 = gru.backward(p, c, dhs, truncate=truncate)
            grads_fast, dxs_fast, dh0_fast = fast_gru.backward(p, c, dhs, truncate=truncate)
            assert grads_fast.reset == p.reset
            for name, plain in weights(grads).items():
                assert_same(getattr(grads_fast, name), plain, f"{name}, truncate={truncate}")
            assert_same(dxs_fast, dxs, f"dxs, truncate={truncate}")
            assert_same(dh0_fast, dh0, f"dh0, truncate={truncate}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fast_paths_keep_the_dtype_of_the_plain_code(dtype: type) -> None:
    rng = np.random.default_rng(0)
    xs, dhs = rng.normal(size=(7, 2, 3)).astype(dtype), rng.normal(size=(7, 2, 5)).astype(dtype)
    p, q = lstm.init(3, 5, seed=1, dtype=dtype), gru.init(3, 5, seed=1, dtype=dtype)
    for plain, fast, params in ((lstm, fast_lstm, p), (gru, fast_gru, q)):
        hs, cache = plain.forward(params, xs)
        hs_fast, cache_fast = fast.forward(params, xs)
        assert_same(hs_fast, hs, f"{plain.__name__} hs")
        got, want = fast.backward(params, cache_fast, dhs), plain.backward(params, cache, dhs)
        for name, value in weights(want[0]).items():
            assert_same(getattr(got[0], name), value, f"{plain.__name__} {name}")


def test_fast_lstm_blocks_of_the_backward_sweep_do_not_change_the_result(monkeypatch) -> None:
    # Long sequences are swept in blocks of steps; one step per block and all steps in one block
    # must give the same gradients.
    rng = np.random.default_rng(3)
    p, q = random_lstm(rng, 2, 3), random_gru(rng, 2, 3)
    xs, dhs = rng.normal(size=(9, 2, 2)), rng.normal(size=(9, 2, 3))
    results = []
    for chunk_bytes in (1, 1 << 30):
        monkeypatch.setattr(fast_lstm, "CHUNK_BYTES", chunk_bytes)
        monkeypatch.setattr(fast_gru, "CHUNK_BYTES", chunk_bytes)
        results.append((fast_lstm.backward(p, fast_lstm.forward(p, xs)[1], dhs),
                        fast_gru.backward(q, fast_gru.forward(q, xs)[1], dhs)))
    (l1, g1), (l2, g2) = results
    for a, b in ((l1[0], l2[0]), (g1[0], g2[0])):
        for name, value in weights(a).items():
            assert np.array_equal(getattr(b, name), value), name


def test_fast_paths_check_their_arguments_like_the_plain_code() -> None:
    p, q = lstm.init(2, 3, seed=0), gru.init(2, 3, seed=0)
    with pytest.raises(TypeError, match=r"params must be an lstm\.Params"):
        fast_lstm.forward(q, np.ones((2, 1, 2)))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"params must be a gru\.Params"):
        fast_gru.forward(p, np.ones((2, 1, 2)))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="xs must have shape"):
        fast_lstm.forward(p, np.ones((2, 1, 5)))
    with pytest.raises(ValueError, match="c0"):
        fast_lstm.forward(p, np.ones((2, 1, 2)), c0=np.ones((1, 4)))
    hs, cache = fast_gru.forward(q, np.ones((2, 1, 2)))
    with pytest.raises(ValueError, match="dhs"):
        fast_gru.backward(q, cache, np.ones((3, 1, 3)))
    with pytest.raises(TypeError, match=r"cache must be the lstm\.Cache"):
        fast_lstm.backward(p, cache, np.ones_like(hs))  # type: ignore[arg-type]
    _, lcache = fast_lstm.forward(p, np.ones((2, 1, 2)))
    with pytest.raises(ValueError, match="dc_last"):
        fast_lstm.backward(p, lcache, np.ones((2, 1, 3)), dc_last=np.ones((2, 3)))
