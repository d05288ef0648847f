"""The moving average against the mean of each window written out."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import smoothing


@given(seed=st.integers(0, 2**32 - 1), steps=st.integers(1, 30), window=st.integers(1, 40))
def test_moving_average_is_the_mean_of_each_window_ending_at_its_step(seed, steps, window):
    values = np.random.default_rng(seed).standard_normal(steps)
    at, means = smoothing.moving_average(values, window)
    k = min(window, steps)
    assert len(at) == len(means) == steps - k + 1
    for s, m in zip(at, means, strict=True):                     # s counts steps from 1
        assert m == pytest.approx(np.mean(values[s - k:s]), abs=1e-12)


def test_a_window_of_one_returns_the_record_itself() -> None:
    steps, means = smoothing.moving_average([3.0, 1.0, 2.0], 1)
    np.testing.assert_array_equal(steps, [1, 2, 3])
    np.testing.assert_array_equal(means, [3.0, 1.0, 2.0])


@pytest.mark.parametrize(("values", "window", "match"), [
    (np.ones((2, 2)), 2, "values"), ([1.0, np.nan], 2, "values"), ([1.0], 0, "window"),
])
def test_moving_average_names_the_bad_argument(values, window, match) -> None:
    with pytest.raises(ValueError, match=match):
        smoothing.moving_average(values, window)
