"""The long-range tasks of chapter 8 and their memoryless baselines.

The generators are checked one sequence at a time against the task's definition (where the
markers may fall, what the target is, what the copy must write); the baselines are checked
against their closed forms computed independently (exact rational arithmetic for the copy task)
and against large samples, which also confirm that the baseline prediction is the best memoryless
one.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import data
from rnnbook.data import long_range

seeds = st.integers(0, 2**32 - 1)


@given(seed=seeds, B=st.integers(1, 5), T=st.integers(2, 12))
def test_adding_marks_one_step_in_each_half_and_targets_their_sum(seed: int, B: int,
                                                                  T: int) -> None:
    batch = data.adding(B, length=T, seed=seed)
    assert batch.xs.shape == (T, B, 2) and batch.targets.shape == (B, 1)
    values, markers = batch.xs[..., 0], batch.xs[..., 1]
    assert np.all((values >= 0) & (values <= 1))
    assert set(np.unique(markers)) <= {0.0, 1.0}
    for b in range(B):
        marked = [t for t in range(T) if markers[t, b] == 1.0]
        assert len(marked) == 2
        assert marked[0] < T // 2 <= marked[1]                    # one in each half
        assert batch.targets[b, 0] == pytest.approx(values[marked[0], b] + values[marked[1], b],
                                                    abs=1e-15)


def test_adding_baseline_is_the_variance_of_the_sum_and_the_mean_is_the_best_constant() -> None:
    # Closed form: the sum of two independent U[0, 1] has mean 1 and variance 2/12.
    assert long_range.ADDING_BASELINE == pytest.approx(2 * (1 / 12), rel=1e-15)
    y = data.adding(200_000, length=10, seed=0).targets[:, 0]
    assert y.mean() == pytest.approx(1.0, abs=0.005)
    sample = float(np.mean((y - 1.0) ** 2))
    assert sample == pytest.approx(long_range.ADDING_BASELINE, rel=0.01)
    for c in (0.9, 0.95, 1.05, 1.1):                             # any other constant is worse
        assert np.mean((y - c) ** 2) > sample


def test_adding_marker_positions_are_uniform_in_their_halves() -> None:
    T, B = 10, 50_000
    markers = data.adding(B, length=T, seed=1).xs[..., 1]       # (T, B)
    freq = markers.mean(axis=1)                                 # P(step t is marked)
    np.testing.assert_allclose(freq, 1 / (T // 2), atol=0.01)


@given(seed=seeds, B=st.integers(1, 4), T=st.integers(1, 8), S=st.integers(1, 4),
       A=st.integers(2, 9))
def test_copy_task_writes_blanks_then_the_symbols_it_read(seed: int, B: int, T: int, S: int,
                                                          A: int) -> None:
    batch = data.copy_task(B, delay=T, symbols=S, alphabet=A, seed=seed)
    assert batch.xs.shape == (T + 2 * S, B, A + 2) and batch.targets.shape == (T + 2 * S, B)
    assert batch.targets.dtype == np.int64
    assert np.all(batch.xs.sum(axis=-1) == 1.0)
    for b in range(B):
        read = list(batch.xs[:, b].argmax(axis=-1))
        written = list(batch.targets[:, b])
        to_copy = read[:S]
        assert all(1 <= s <= A for s in to_copy)
        assert read[S:] == [0] * (T - 1) + [A + 1] + [0] * S    # blanks, delimiter, blanks
        assert written == [0] * (T + S) + to_copy                # blanks, then the copy
        # every symbol is written T + S steps after it was read
        assert all(written[t + T + S] == read[t] for t in range(S))


def test_copy_baseline_matches_the_published_values_and_its_closed_form() -> None:
    # Arjovsky et al. (2016): 10 ln 8 / (T + 20), e.g. 0.17329 at T = 100.
    published = {100: 0.17329, 200: 0.09452, 300: 0.06498, 500: 0.03999}
    for T, value in published.items():
        assert data.copy_baseline(T) == pytest.approx(value, abs=5e-6)
    for T, S, A in ((1, 1, 2), (7, 3, 5), (40, 10, 8)):
        exact = Fraction(S, T + 2 * S)                          # times ln A
        assert data.copy_baseline(T, symbols=S, alphabet=A) == pytest.approx(
            float(exact) * math.log(A), rel=1e-14)


def test_copy_baseline_is_the_loss_of_the_memoryless_prediction_on_a_sample() -> None:
    # Certain blanks for the first T + S steps, uniform over the A symbols for the last S.
    T, S, A = 6, 3, 8
    batch = data.copy_task(1000, delay=T, symbols=S, alphabet=A, seed=2)
    probs = np.zeros((T + 2 * S, 1, A + 1))
    probs[: T + S, :, 0] = 1.0
    probs[T + S:, :, 1:] = 1.0 / A
    picked = np.take_along_axis(np.broadcast_to(probs, (*batch.targets.shape, A + 1)),
                                batch.targets[..., None], axis=-1)
    assert float(-np.log(picked).mean()) == pytest.approx(data.copy_baseline(T, symbols=S,
                                                                              alphabet=A),
                                                          rel=1e-12)


def test_long_range_generators_are_reproducible_and_stream() -> None:
    a, b = data.adding(4, length=6, seed=3), data.adding(4, length=6, seed=3)
    assert np.array_equal(a.xs, b.xs) and np.array_equal(a.targets, b.targets)
    batches = data.stream(data.copy_task, 2, seed=0, delay=3, symbols=2)
    first, second = next(batches), next(batches)
    assert first.xs.shape == second.xs.shape == (7, 2, 10)
    assert not np.array_equal(first.targets, second.targets)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: data.adding(2, length=1), "length must be at least 2"),
    (lambda: data.adding(0, length=5), "batch_size"),
    (lambda: data.copy_task(2, delay=0), "delay"),
    (lambda: data.copy_task(2, delay=3, alphabet=1), "alphabet must be at least 2"),
    (lambda: data.copy_task(2, delay=3, symbols=0), "symbols"),
    (lambda: data.copy_baseline(0), "delay"),
])
def test_long_range_generators_reject_bad_sizes(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
