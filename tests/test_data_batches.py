"""What all tasks share: the same seed gives the same batch, the stream draws fresh ones, and bad
arguments are refused by name."""

from __future__ import annotations

import numpy as np
import pytest

from rnnbook import data

TASKS = [data.bars, data.bar_captions, data.sentiment, data.tagging, data.reverse_translation]


@pytest.mark.parametrize("task", TASKS, ids=lambda f: f.__name__)
def test_same_seed_gives_the_same_batch(task: object) -> None:
    first, second = task(4, seed=3), task(4, seed=3)                    # type: ignore[operator]
    other = task(4, seed=4)                                              # type: ignore[operator]
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_stream_draws_fresh_batches_reproducibly() -> None:
    one, two = data.stream(data.sentiment, 8, seed=0), data.stream(data.sentiment, 8, seed=0)
    a, b, c = next(one), next(two), next(one)
    assert np.array_equal(a.xs, b.xs) and np.array_equal(a.targets, b.targets)
    assert not np.array_equal(a.xs, c.xs)
    assert next(data.stream(data.sentiment, 8, seed=0, length=4)).xs.shape == (4, 8, 13)


@pytest.mark.parametrize(("call", "error", "name"), [
    (lambda: data.bars(0), ValueError, "batch_size"),
    (lambda: data.bars(2, noise=-0.1), ValueError, "noise"),
    (lambda: data.bar_captions(2.5), TypeError, "batch_size"),               # type: ignore[arg-type]
    (lambda: data.sentiment(2, length=2), ValueError, "length"),
    (lambda: data.tagging(2, length=5), ValueError, "length"),
    (lambda: data.reverse_translation(2, min_length=4, max_length=3), ValueError, "min_length"),
    (lambda: data.reverse_translation(2, max_length=0), ValueError, "max_length"),
    (lambda: data.stream("bars", 2), TypeError, "task"),                     # type: ignore[arg-type]
    (lambda: data.bars(2, seed=-1), ValueError, "seed"),
])
def test_bad_arguments_are_refused_by_name(call: object, error: type[Exception],
                                           name: str) -> None:
    with pytest.raises(error, match=name):
        call()                                                               # type: ignore[operator]
