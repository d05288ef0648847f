"""rnnbook.cost: truncation error against a per-term reference, operation counts, memory peaks.

Nothing here asserts a wall-clock threshold: times are only checked to be positive numbers. The
memory peaks and the counts are deterministic and are checked exactly.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from references import Problem, truncated_bptt_by_loops

from rnnbook import cost, rnn

# --- an independent reference: truncated BPTT one loss term at a time ---------------------------


def per_term_truncated_grads(p: rnn.Params, xs: np.ndarray, dhs: np.ndarray,
                             k: int | None) -> np.ndarray:
    """W_xh, W_hh, b_h gradients (stacked) when each loss term s flows back k updates.

    From the definition, one loss term at a time (``references.truncated_bptt_by_loops``, from
    h_0 = 0): term s reaches the pre-activations a_s, a_{s-1}, ..., a_{s-k+1}.
    """
    T, B, _ = xs.shape
    prob = Problem(p, xs, np.zeros((B, p.hidden_size)), dhs)
    g, _, _ = truncated_bptt_by_loops(prob, T if k is None else k)
    return np.concatenate([g.W_xh.ravel(), g.W_hh.ravel(), g.b_h.ravel()])


def problem(T: int, B: int, D: int, H: int, activation: str = "tanh", rho: float = 0.9,
            seed: int = 0) -> tuple[rnn.Params, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = rnn.init(D, H, seed=rng, activation=activation, spectral_radius=rho)
    return p, rng.standard_normal((T, B, D)), rng.standard_normal((T, B, H))


# --- truncation_error ----------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["tanh", "identity"])
def test_truncation_error_matches_per_term_reference(activation):
    p, xs, dhs = problem(T=7, B=2, D=3, H=4, activation=activation)
    ks = [1, 2, 3, 5, 6, 7, 9]
    full = per_term_truncated_grads(p, xs, dhs, None)
    expected = [np.linalg.norm(per_term_truncated_grads(p, xs, dhs, k) - full)
                / np.linalg.norm(full) for k in ks]
    np.testing.assert_allclose(cost.truncation_error(p, xs, dhs, ks), expected,
                               rtol=1e-9, atol=1e-14)


@given(T=st.integers(1, 6), B=st.integers(1, 2), H=st.integers(1, 3), k=st.integers(1, 7),
       seed=st.integers(0, 2**16))
def test_truncation_error_matches_reference_on_small_shapes(T, B, H, k, seed):
    p, xs, dhs = problem(T=T, B=B, D=2, H=H, rho=1.1, seed=seed)
    full = per_term_truncated_grads(p, xs, dhs, None)
    want = np.linalg.norm(per_term_truncated_grads(p, xs, dhs, k) - full) / np.linalg.norm(full)
    assert cost.truncation_error(p, xs, dhs, [k])[0] == pytest.approx(want, rel=1e-8, abs=1e-13)


def test_truncation_error_is_zero_once_k_reaches_the_length():
    p, xs, dhs = problem(T=5, B=3, D=2, H=4)
    err = cost.truncation_error(p, xs, dhs, [5, 6, 100])
    assert err.tolist() == [0.0, 0.0, 0.0]


def test_truncation_error_decays_faster_when_gradients_vanish():
    # A linear network forgets at the rate rho: with rho = 0.3 the gradient terms k steps back
    # are ~0.3^k of the first, with rho = 0.95 they are not.
    _, xs, dhs = problem(T=30, B=2, D=2, H=6)
    errs = {rho: cost.truncation_error(
        rnn.init(2, 6, seed=1, activation="identity", recurrent="orthogonal",
                 spectral_radius=rho), xs, dhs, [5, 10]) for rho in (0.3, 0.95)}
    assert errs[0.3][1] < 1e-4 < errs[0.95][1]
    assert errs[0.3][1] < errs[0.3][0]


def test_truncation_error_of_a_zero_gradient_is_zero():
    p, xs, _ = problem(T=4, B=1, D=2, H=3)
    assert cost.truncation_error(p, xs, np.zeros((4, 1, 3)), [1, 2]).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("ks, error, match", [([], ValueError, "ks"),
                                               ([0], ValueError, r"ks\[i\]"),
                                               ([1.5], TypeError, r"ks\[i\]")])
def test_truncation_error_rejects_bad_ks(ks, error, match):
    p, xs, dhs = problem(T=4, B=1, D=2, H=3)
    with pytest.raises(error, match=match):
        cost.truncation_error(p, xs, dhs, ks)


# --- backward_work: counted on the real backward pass -----------------------------------


class CountingMatrix(np.ndarray):
    """W_hh that counts the (B, H) blocks multiplied into it from the left."""

    blocks = 0

    def __rmatmul__(self, left):
        CountingMatrix.blocks += int(np.prod(np.shape(left)[:-1])) // self.batch
        return np.asarray(left) @ np.asarray(self)


@pytest.mark.parametrize("T, k", [(1, None), (6, None), (6, 1), (6, 2), (6, 5), (6, 6), (9, 4),
                                  (9, 20)])
def test_backward_work_counts_the_products_backward_performs(T, k):
    B = 3
    p, xs, dhs = problem(T=T, B=B, D=2, H=4)
    _, cache = rnn.forward(p, xs)
    W = p.W_hh.copy().view(CountingMatrix)
    W.batch = B
    CountingMatrix.blocks = 0
    spy = rnn.Params(p.W_xh, W, p.b_h)
    grads, _, _ = rnn.backward(spy, cache, dhs, truncate=k)
    assert CountingMatrix.blocks == cost.backward_work(T, k)
    reference, _, _ = rnn.backward(p, cache, dhs, truncate=k)   # the spy changed nothing
    np.testing.assert_allclose(np.asarray(grads.W_hh), reference.W_hh, rtol=1e-12)


def test_backward_work_closed_form():
    assert cost.backward_work(50) == 50
    # Term s travels min(k, s) updates on its own; k >= T is one sweep of T.
    assert [cost.backward_work(5, k) for k in range(1, 7)] == [5, 9, 12, 14, 5, 5]
    for T, k in [(5, 3), (40, 7), (100, 99)]:
        assert cost.backward_work(T, k) == sum(min(k, s) for s in range(1, T + 1))


@pytest.mark.parametrize("kwargs, error, match", [(dict(T=0), ValueError, "T"),
                                                  (dict(T=3, truncate=0), ValueError, "truncate")])
def test_backward_work_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        cost.backward_work(**kwargs)


# --- median_time and peak_memory ---------------------------------------------------------


def test_median_time_is_a_positive_number_of_seconds():
    calls = []
    seconds = cost.median_time(lambda: calls.append(1), repeats=3)
    assert len(calls) == 3
    assert np.isfinite(seconds) and seconds >= 0.0


def test_peak_memory_sees_numpy_arrays_even_after_they_are_freed():
    n = 200_000
    held = cost.peak_memory(lambda: np.ones(n))
    freed = cost.peak_memory(lambda: float(np.ones(n).sum()))
    for peak in (held, freed):
        assert 8 * n <= peak < 8 * n + 4096


def test_peak_memory_of_two_arrays_at_once_is_their_sum():
    n = 100_000
    peak = cost.peak_memory(lambda: (np.ones(n), np.zeros(2 * n)))
    assert 8 * 3 * n <= peak < 8 * 3 * n + 4096


def test_peak_memory_leaves_tracemalloc_as_it_found_it():
    assert not tracemalloc.is_tracing()
    cost.peak_memory(lambda: np.ones(10))
    assert not tracemalloc.is_tracing()
    tracemalloc.start()
    try:
        cost.peak_memory(lambda: np.ones(10))
        assert tracemalloc.is_tracing()
    finally:
        tracemalloc.stop()


# --- measure_bptt ----------------------------------------------------------------------------


def test_measure_bptt_returns_one_entry_per_length_and_setting():
    c = cost.measure_bptt([4, 8, 16], B=2, D=3, H=5, truncate=[None, 2, 6], repeats=2, seed=1)
    assert c.T.tolist() == [4, 8, 16]
    assert c.truncate == (None, 2, 6)
    assert (c.B, c.D, c.H) == (2, 3, 5)
    for table in (c.seconds, c.peak_bytes, c.products):
        assert table.shape == (3, 3)
    assert np.isfinite(c.seconds).all() and (c.seconds > 0).all()
    assert c.products.tolist() == [[cost.backward_work(T, k) for T in (4, 8, 16)]
                                   for k in (None, 2, 6)]


def test_measure_bptt_memory_depends_on_shapes_not_on_data_or_chance():
    # The arrays are the same size whatever the seed; only interpreter caches (numpy's cache of
    # small shape buffers, Python's free lists) can move the peak, by a few hundred bytes.
    first, second = (cost.measure_bptt([50, 100], B=4, D=2, H=8, truncate=[None, 3], repeats=1,
                                       seed=s) for s in (0, 1))
    assert first.peak_bytes.min() > 30_000
    np.testing.assert_allclose(first.peak_bytes, second.peak_bytes, rtol=0, atol=1024)


def test_measure_bptt_memory_grows_linearly_with_length_and_holds_every_state():
    T = np.array([16, 32, 64, 128])
    B, D, H = 4, 3, 8
    c = cost.measure_bptt(T.tolist(), B=B, D=D, H=H, truncate=[None, 4], repeats=1)
    for peak in c.peak_bytes:
        assert (np.diff(peak) > 0).all()
        slope = np.diff(peak) / np.diff(T)               # bytes per extra time step
        np.testing.assert_allclose(slope, slope[0], rtol=0.01)
    # Forward keeps h_0..h_T and backward returns dxs: a lower bound that owes nothing to rnnbook.
    assert (c.peak_bytes >= 8 * ((T + 1) * B * H + T * B * D)).all()


def test_bptt_cost_table_prints_times_only_when_asked():
    c = cost.measure_bptt([3, 6], B=1, D=1, H=2, truncate=[None, 2], repeats=1)
    with_times, without = c.table(), c.table(times=False)
    assert with_times.splitlines()[0].split()[-1] == "ms"
    assert "ms" not in without
    assert len(without.splitlines()) == 1 + 2 * 2
    assert "k = 2" in without and "full" in without
    assert str(c) == with_times
    peaks = [row.split()[-1] for row in c.table(times=False, digits=1).splitlines()[1:]]
    assert peaks == [f"{b / 2**20:.1f}" for b in c.peak_bytes.T.ravel()]  # rows: T, then setting
    with pytest.raises(ValueError, match="digits"):
        c.table(digits=-1)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(T_values=[]), ValueError, "T_values"),
    (dict(T_values=[0]), ValueError, r"T_values\[i\]"),
    (dict(T_values=[4], B=0), ValueError, "B"),
    (dict(T_values=[4], truncate=[]), ValueError, "truncate"),
    (dict(T_values=[4], truncate=[None, 0]), ValueError, r"truncate\[i\]"),
    (dict(T_values=[4], repeats=0), ValueError, "repeats"),
    (dict(T_values=[4], seed="x"), TypeError, "seed"),
])
def test_measure_bptt_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        cost.measure_bptt(**kwargs)
