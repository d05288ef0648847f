"""rnnbook.fast.rnn computes what rnnbook.rnn computes: every output and gradient to 1e-12.

The plain code is itself held to independent references (finite differences, the definition of
truncated BPTT, PyTorch) in test_rnn.py and test_torch_equivalence.py; here the fast path is held
to the plain one, over small shapes including T=1, B=1, H=1, every activation, h0 given or not,
and truncation to 1, to k < T and to k >= T.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import activations, rnn
from rnnbook.fast import rnn as fast

TOL = 1e-12


def assert_same(fast_value: np.ndarray, plain_value: np.ndarray, what: str) -> None:
    """Equal to 1e-12 of the array's largest entry (differences are rounding, in sums taken in
    another order), with the same shape and dtype."""
    assert fast_value.shape == plain_value.shape, what
    assert fast_value.dtype == plain_value.dtype, what
    scale = max(float(np.abs(plain_value).max()), 1e-300)
    err = float(np.abs(fast_value - plain_value).max()) / scale
    assert err <= TOL, (what, err)


def outputs(grads: rnn.Params, dxs: np.ndarray, dh0: np.ndarray) -> dict[str, np.ndarray]:
    return {"W_xh": grads.W_xh, "W_hh": grads.W_hh, "b_h": grads.b_h, "dxs": dxs, "dh0": dh0}


@st.composite
def problems(draw: st.DrawFn) -> tuple[rnn.Params, np.ndarray, np.ndarray | None, np.ndarray]:
    T, B = draw(st.integers(1, 6)), draw(st.integers(1, 3))
    D, H = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    activation = draw(st.sampled_from(activations.NAMES))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    p = rnn.Params(rng.normal(0.0, 0.8, (H, D)), rng.normal(0.0, 0.8, (H, H)),
                   rng.normal(0.0, 0.5, H), activation)
    h0 = rng.normal(0.0, 0.5, (B, H)) if draw(st.booleans()) else None
    return p, rng.normal(size=(T, B, D)), h0, rng.normal(size=(T, B, H))


@given(problem=problems())
def test_fast_forward_equals_plain_forward(problem) -> None:
    p, xs, h0, _ = problem
    hs, cache = rnn.forward(p, xs, h0)
    hs_fast, cache_fast = fast.forward(p, xs, h0)
    assert_same(hs_fast, hs, "hs")
    assert_same(cache_fast.states, cache.states, "cache.states")
    assert np.array_equal(cache_fast.xs, cache.xs)


@given(problem=problems(), k=st.integers(1, 8))
def test_fast_backward_equals_plain_backward_full_and_truncated(problem, k: int) -> None:
    p, xs, h0, dhs = problem
    T = len(xs)
    _, cache = rnn.forward(p, xs, h0)
    for truncate in (None, 1, k, T - 1 if T > 1 else None, T, T + 3):
        plain = outputs(*rnn.backward(p, cache, dhs, truncate=truncate))
        quick = outputs(*fast.backward(p, cache, dhs, truncate=truncate))
        for name in plain:
            assert_same(quick[name], plain[name], f"{name}, truncate={truncate}")


@given(problem=problems())
def test_caches_of_the_two_paths_mix(problem) -> None:
    # The same rnn.Cache: each backward accepts the other forward's cache.
    p, xs, h0, dhs = problem
    _, cache = rnn.forward(p, xs, h0)
    _, cache_fast = fast.forward(p, xs, h0)
    a = outputs(*rnn.backward(p, cache_fast, dhs, truncate=2))
    b = outputs(*fast.backward(p, cache, dhs, truncate=2))
    for name in a:
        assert_same(b[name], a[name], name)


def test_bptt_deltas_sum_to_the_bias_gradient_of_both_paths() -> None:
    # ∂L/∂b_h = Σ_t δ_t: the plain sweep's deltas add up to what either backward returns.
    rng = np.random.default_rng(3)
    p = rnn.init(3, 5, seed=3)
    xs, dhs = rng.normal(size=(7, 2, 3)), rng.normal(size=(7, 2, 5))
    _, cache = rnn.forward(p, xs)
    for k in (None, 3):
        deltas, dh0 = rnn.bptt_deltas(p, cache, dhs, truncate=k)
        grads, _, dh0_fast = fast.backward(p, cache, dhs, truncate=k)
        assert_same(grads.b_h, deltas.sum(axis=(0, 1)), f"b_h, truncate={k}")
        assert_same(dh0_fast, dh0, f"dh0, truncate={k}")


@pytest.mark.parametrize("truncate", [None, 2])
def test_fast_path_keeps_float32_like_the_plain_one(truncate: int | None) -> None:
    rng = np.random.default_rng(4)
    p = rnn.init(3, 4, seed=4, dtype=np.float32)
    xs = rng.normal(size=(5, 2, 3)).astype(np.float32)
    dhs = rng.normal(size=(5, 2, 4))                                     # float64 on purpose
    hs, cache = rnn.forward(p, xs)
    hs_fast, cache_fast = fast.forward(p, xs)
    assert hs.dtype == hs_fast.dtype == np.float32
    plain = outputs(*rnn.backward(p, cache, dhs, truncate=truncate))
    quick = outputs(*fast.backward(p, cache_fast, dhs, truncate=truncate))
    for name in plain:
        assert plain[name].dtype == quick[name].dtype == np.float32, name
        np.testing.assert_allclose(quick[name], plain[name], rtol=1e-5, atol=1e-6, err_msg=name)


def test_both_paths_return_read_only_states_and_cache() -> None:
    p = rnn.init(2, 3, seed=5)
    xs = np.ones((3, 1, 2))
    for forward in (rnn.forward, fast.forward):
        hs, cache = forward(p, xs)
        assert not hs.flags.writeable
        assert not cache.states.flags.writeable and not cache.xs.flags.writeable
        xs[0, 0, 0] = 7.0                                   # the caller reuses its buffer
        assert cache.xs[0, 0, 0] == 1.0
        xs[0, 0, 0] = 1.0
