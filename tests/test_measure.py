"""rnnbook.measure: the timing harness, memory peaks, and the table of BPTT's time and memory.

Nothing here asserts a wall-clock threshold: times are only checked to be non-negative numbers
and the runs to be counted and ordered as documented. The memory peaks and the counts are
deterministic and are checked exactly.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from rnnbook import measure, rnn, truncation
from rnnbook.fast import rnn as fast_rnn

# --- interleaved and peak_memory ---------------------------------------------------------


def test_interleaved_warms_up_then_rotates_which_function_goes_first():
    calls: list[str] = []
    times = measure.interleaved({n: (lambda n=n: calls.append(n)) for n in "abc"}, repeats=3)
    assert calls == list("abc") + list("abc") + list("bca") + list("cab")
    for t in times.values():
        assert t.runs == 3
        assert t.cpu >= 0.0 and t.wall >= 0.0 and np.isfinite([t.cpu, t.wall]).all()


def test_interleaved_runs_on_until_the_budget_is_spent():
    def busy() -> None:
        sum(range(20_000))

    budget = 0.02
    times = measure.interleaved({"busy": busy}, repeats=1, budget=budget, max_repeats=10_000)
    assert times["busy"].runs > 1
    assert times["busy"].runs * times["busy"].cpu >= 0.5 * budget   # about the budget, in CPU
    capped = measure.interleaved({"busy": busy}, repeats=1, budget=100.0, max_repeats=4)
    assert capped["busy"].runs == 4


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(fns={}), ValueError, "fns"),
    (dict(fns={"a": lambda: None}, repeats=0), ValueError, "repeats"),
    (dict(fns={"a": lambda: None}, budget=-1.0), ValueError, "budget"),
])
def test_interleaved_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        measure.interleaved(**kwargs)


def test_peak_memory_sees_numpy_arrays_even_after_they_are_freed():
    n = 200_000
    held = measure.peak_memory(lambda: np.ones(n))
    freed = measure.peak_memory(lambda: float(np.ones(n).sum()))
    for peak in (held, freed):
        assert 8 * n <= peak < 8 * n + 4096


def test_peak_memory_of_two_arrays_at_once_is_their_sum():
    n = 100_000
    peak = measure.peak_memory(lambda: (np.ones(n), np.zeros(2 * n)))
    assert 8 * 3 * n <= peak < 8 * 3 * n + 4096


def test_peak_memory_leaves_tracemalloc_as_it_found_it():
    assert not tracemalloc.is_tracing()
    measure.peak_memory(lambda: np.ones(10))
    assert not tracemalloc.is_tracing()
    tracemalloc.start()
    try:
        measure.peak_memory(lambda: np.ones(10))
        assert tracemalloc.is_tracing()
    finally:
        tracemalloc.stop()


# --- measure_bptt ----------------------------------------------------------------------------


def test_measure_bptt_returns_one_entry_per_length_and_setting():
    c = measure.measure_bptt([4, 8, 16], B=2, D=3, H=5, truncate=[None, 2, 6], repeats=2, seed=1)
    assert c.T.tolist() == [4, 8, 16]
    assert c.truncate == (None, 2, 6)
    assert (c.B, c.D, c.H) == (2, 3, 5)
    for table in (c.seconds, c.peak_bytes, c.products):
        assert table.shape == (3, 3)
    assert np.isfinite(c.seconds).all() and (c.seconds > 0).all()
    assert c.products.tolist() == [[truncation.backward_work(T, k) for T in (4, 8, 16)]
                                   for k in (None, 2, 6)]


def test_measure_bptt_memory_depends_on_shapes_not_on_data_or_chance():
    # The arrays are the same size whatever the seed; only interpreter caches (numpy's cache of
    # small shape buffers, Python's free lists) can move the peak, by a few hundred bytes.
    first, second = (measure.measure_bptt([50, 100], B=4, D=2, H=8, truncate=[None, 3], repeats=1,
                                       seed=s) for s in (0, 1))
    assert first.peak_bytes.min() > 30_000
    np.testing.assert_allclose(first.peak_bytes, second.peak_bytes, rtol=0, atol=1024)


def test_measure_bptt_memory_grows_linearly_with_length_and_holds_every_state():
    T = np.array([16, 32, 64, 128])
    B, D, H = 4, 3, 8
    c = measure.measure_bptt(T.tolist(), B=B, D=D, H=H, truncate=[None, 4], repeats=1)
    for peak in c.peak_bytes:
        assert (np.diff(peak) > 0).all()
        slope = np.diff(peak) / np.diff(T)               # bytes per extra time step
        np.testing.assert_allclose(slope, slope[0], rtol=0.01)
    # Forward keeps h_0..h_T and backward returns dxs: a lower bound that owes nothing to rnnbook.
    assert (c.peak_bytes >= 8 * ((T + 1) * B * H + T * B * D)).all()


def test_measure_bptt_measures_the_implementation_it_is_given():
    # Full BPTT, per step at the peak: the plain code holds h_t, x_t, f'(a_t) and delta_t; the
    # fast one h_t, x_t, delta_t (written over f'(a_t)) and dL/dx_t. So the plain one needs
    # B H - B D more float64 numbers per step: 192 bytes here, 19 KiB at T = 100, far above the
    # few hundred bytes by which a peak moves.
    B, D, H = 4, 2, 8
    kwargs = dict(T_values=[50, 100], B=B, D=D, H=H, repeats=1, seed=0)
    plain = measure.measure_bptt(**kwargs)
    fast = measure.measure_bptt(**kwargs, forward=fast_rnn.forward, backward=fast_rnn.backward)
    assert np.array_equal(plain.products, fast.products)
    per_step = np.diff(plain.peak_bytes[0] - fast.peak_bytes[0]) / 50
    np.testing.assert_allclose(per_step, 8 * (B * H - B * D), rtol=0.05)
    calls = []

    def forward(p, xs):
        calls.append(len(xs))
        return rnn.forward(p, xs)

    measure.measure_bptt([3, 5], B=1, D=1, H=2, repeats=2, forward=forward)
    assert sorted(set(calls)) == [3, 5] and len(calls) == 2 * (1 + 2 + 1)   # warm-up, 2, peak


def test_bptt_measurement_table_prints_times_only_when_asked():
    c = measure.measure_bptt([3, 6], B=1, D=1, H=2, truncate=[None, 2], repeats=1)
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
    (dict(T_values=[4], truncate=[2, 2]), ValueError, "different settings"),
    (dict(T_values=[4], repeats=0), ValueError, "repeats"),
    (dict(T_values=[4], seed="x"), TypeError, "seed"),
])
def test_measure_bptt_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        measure.measure_bptt(**kwargs)
