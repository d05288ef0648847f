"""The sign-memory task of chapter 5: shapes, the rule that makes the target, noise, seeds."""

from __future__ import annotations

import numpy as np
import pytest

from rnnbook import data, patterns
from rnnbook.data import gradients


def test_sign_memory_shapes_and_types() -> None:
    batch = data.sign_memory(5, length=7, seed=0)
    assert batch.xs.shape == (7, 5, 1) and batch.xs.dtype == np.float64
    assert batch.targets.shape == (5,) and batch.targets.dtype == np.int64


def test_target_is_the_sign_of_the_first_input() -> None:
    batch = data.sign_memory(200, length=9, noise=1.0, seed=1)
    assert set(np.unique(batch.xs[0, :, 0])) == {-1.0, 1.0}
    np.testing.assert_array_equal(batch.targets, (batch.xs[0, :, 0] > 0).astype(np.int64))
    assert gradients.SIGN_CLASSES[1] == "positive"


def test_inputs_after_the_first_step_are_pure_noise_of_the_given_size() -> None:
    batch = data.sign_memory(4000, length=6, noise=0.3, seed=2)
    rest = batch.xs[1:]
    assert abs(rest.mean()) < 0.01
    assert rest.std() == pytest.approx(0.3, rel=0.02)
    # The noise carries no information about the target.
    for t in range(1, 6):
        corr = np.corrcoef(rest[t - 1, :, 0], batch.targets)[0, 1]
        assert abs(corr) < 0.05


def test_zero_noise_leaves_only_the_first_input() -> None:
    batch = data.sign_memory(3, length=4, noise=0.0, seed=3)
    assert np.all(batch.xs[1:] == 0.0)


def test_both_signs_are_about_equally_likely() -> None:
    assert data.sign_memory(10_000, length=1, seed=4).targets.mean() == pytest.approx(0.5,
                                                                                        abs=0.02)


def test_one_step_and_a_batch_of_one_work() -> None:
    batch = data.sign_memory(1, length=1, seed=5)
    assert batch.xs.shape == (1, 1, 1)
    assert batch.xs[0, 0, 0] == 2 * batch.targets[0] - 1


def test_same_seed_same_batch_and_a_generator_continues() -> None:
    a, b = data.sign_memory(8, seed=6), data.sign_memory(8, seed=6)
    np.testing.assert_array_equal(a.xs, b.xs)
    rng = np.random.default_rng(6)
    first, second = data.sign_memory(8, seed=rng), data.sign_memory(8, seed=rng)
    assert not np.array_equal(first.xs, second.xs)


def test_stream_feeds_the_batches_a_model_trains_on() -> None:
    batches = data.stream(data.sign_memory, 4, seed=0, length=5)
    batch = next(batches)
    assert batch.xs.shape == (5, 4, 1)
    loss, _ = patterns.loss_and_grads(patterns.init(1, 3, 2, seed=0), *batch)
    assert np.isfinite(loss)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"length": 0}, ValueError, "length"),
    ({"length": 2.0}, TypeError, "length"),
    ({"noise": -0.1}, ValueError, "noise"),
    ({"seed": "a"}, TypeError, "seed"),
])
def test_sign_memory_names_the_bad_argument(kwargs: dict[str, object], error: type,
                                            match: str) -> None:
    args: dict[str, object] = {"batch_size": 2}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        data.sign_memory(**args)  # type: ignore[arg-type]
