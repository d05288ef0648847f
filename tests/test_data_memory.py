"""The memory task of chapter 1 and its chance ceiling, checked against plain-Python references.

The target rule is checked one sequence at a time; :func:`memoryless_accuracy` is checked against
a brute-force search over every function of the last input, which is what its docstring claims
to compute.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import data, optim, patterns, train
from rnnbook.data import memory

seeds = st.integers(0, 2**32 - 1)


@given(seed=seeds, B=st.integers(1, 5), T=st.integers(1, 6), V=st.integers(2, 6))
def test_recall_first_target_is_the_first_symbol_of_a_one_hot_sequence(seed: int, B: int, T: int,
                                                                       V: int) -> None:
    batch = data.recall_first(B, length=T, symbols=V, seed=seed)
    assert batch.xs.shape == (T, B, V) and batch.xs.dtype == np.float64
    assert batch.targets.shape == (B,) and batch.targets.dtype == np.int64
    assert np.all(batch.xs.sum(axis=-1) == 1.0) and np.all((batch.xs == 0) | (batch.xs == 1))
    for b in range(B):
        symbols = [memory.SYMBOLS[list(batch.xs[t, b]).index(1.0)] for t in range(T)]
        assert memory.SYMBOLS[batch.targets[b]] == symbols[0]


def test_recall_first_symbols_are_uniform_and_the_last_is_independent_of_the_target() -> None:
    V, B = 4, 40_000
    batch = data.recall_first(B, length=6, symbols=V, seed=0)
    tokens = batch.xs.argmax(axis=-1)                                  # (T, B)
    np.testing.assert_allclose(np.bincount(tokens.ravel(), minlength=V) / tokens.size, 1 / V,
                               atol=0.005)
    joint = np.zeros((V, V))
    np.add.at(joint, (tokens[-1], batch.targets), 1.0 / B)
    np.testing.assert_allclose(joint, 1 / V**2, atol=0.006)            # P(x_T, c) = P(x_T) P(c)


def test_recall_first_repeats_with_a_seed_and_changes_without() -> None:
    a = data.recall_first(8, seed=3)
    b = data.recall_first(8, seed=3)
    c = data.recall_first(8, seed=4)
    assert np.array_equal(a.xs, b.xs) and np.array_equal(a.targets, b.targets)
    assert not np.array_equal(a.xs, c.xs)


def test_recall_first_streams_for_fit() -> None:
    batches = data.stream(data.recall_first, 5, seed=0, length=3, symbols=2)
    assert next(batches).xs.shape == (3, 5, 2)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"length": 0}, ValueError, "length"),
    ({"symbols": 1}, ValueError, r"symbols must lie in \[2, 26\]"),
    ({"symbols": 27}, ValueError, r"symbols must lie in \[2, 26\]"),
    ({"symbols": 2.0}, TypeError, "symbols"),
    ({"seed": "x"}, TypeError, "seed"),
])
def test_recall_first_rejects_bad_arguments_by_name(kwargs: dict[str, object],
                                                    error: type[Exception], match: str) -> None:
    args = {"batch_size": 2} | kwargs
    with pytest.raises(error, match=match):
        data.recall_first(**args)  # type: ignore[arg-type]


def brute_force(xs: np.ndarray, targets: np.ndarray) -> float:
    """Try every function from the distinct last inputs to the classes; keep the best."""
    keys = [tuple(row) for row in xs[-1]]
    distinct = sorted(set(keys))
    classes = range(int(targets.max()) + 1)
    best = 0.0
    for answers in itertools.product(classes, repeat=len(distinct)):
        g = dict(zip(distinct, answers, strict=True))
        best = max(best, sum(g[k] == c for k, c in zip(keys, targets, strict=True)) / len(keys))
    return best


@given(seed=seeds, B=st.integers(1, 7), T=st.integers(1, 3), D=st.integers(1, 3),
       K=st.integers(1, 3))
def test_memoryless_accuracy_is_the_best_over_every_function_of_the_last_input(
        seed: int, B: int, T: int, D: int, K: int) -> None:
    rng = np.random.default_rng(seed)
    xs = rng.integers(0, 2, (T, B, D)).astype(np.float64)             # repeated rows are likely
    targets = rng.integers(0, K, B)
    assert data.memoryless_accuracy(xs, targets) == pytest.approx(brute_force(xs, targets))


def test_memoryless_accuracy_is_one_when_the_last_input_gives_the_target() -> None:
    batch = data.recall_first(50, length=4, seed=1)
    assert data.memoryless_accuracy(batch.xs, batch.xs[-1].argmax(axis=-1)) == 1.0
    # with a single step the last input is the first: the memory task needs no memory
    one = data.recall_first(50, length=1, seed=1)
    assert data.memoryless_accuracy(one.xs, one.targets) == 1.0


def test_memoryless_accuracy_of_the_memory_task_tends_to_one_over_v() -> None:
    for V in (2, 4, 8):
        batch = data.recall_first(100_000, length=3, symbols=V, seed=V)
        ceiling = data.memoryless_accuracy(batch.xs, batch.targets)
        assert 1 / V <= ceiling < 1 / V + 0.006


def test_memoryless_accuracy_bounds_a_trained_feed_forward_network() -> None:
    test = data.recall_first(300, length=6, seed=2)
    model, _ = train.fit(patterns.init(4, 8, 4, seed=0),
                         lambda m, xs, c: patterns.loss_and_grads(m, xs[-1:], c),
                         data.stream(data.recall_first, 32, seed=1, length=6),
                         optim.Adam(lr=2e-2), steps=60)
    accuracy = patterns.accuracy(model, test.xs[-1:], test.targets)
    assert accuracy <= data.memoryless_accuracy(test.xs, test.targets)


def test_a_recurrent_network_learns_recall_first_and_a_feed_forward_one_does_not() -> None:
    test = data.recall_first(300, length=6, seed=2)
    results = {}
    for name, xs_of in (("rnn", lambda xs: xs), ("ff", lambda xs: xs[-1:])):
        model, _ = train.fit(patterns.init(4, 16, 4, seed=0, recurrent="orthogonal"),
                             lambda m, xs, c, f=xs_of: patterns.loss_and_grads(m, f(xs), c),
                             data.stream(data.recall_first, 32, seed=1, length=6),
                             optim.Adam(lr=1e-2), steps=120)
        results[name] = patterns.accuracy(model, xs_of(test.xs), test.targets)
    assert results["rnn"] > 0.95
    assert results["ff"] < 0.35


@pytest.mark.parametrize(("targets", "error", "match"), [
    (np.array([0.0, 1.0]), TypeError, "integer class indices"),
    (np.array([0, 1, 1]), ValueError, r"shape \(B,\) = \(2,\)"),
    (np.array([0, -1]), ValueError, ">= 0"),
])
def test_memoryless_accuracy_rejects_bad_targets_by_name(targets: np.ndarray,
                                                         error: type[Exception],
                                                         match: str) -> None:
    with pytest.raises(error, match=match):
        data.memoryless_accuracy(np.zeros((3, 2, 4)), targets)


def test_memoryless_accuracy_rejects_inputs_that_are_not_sequences() -> None:
    with pytest.raises(ValueError, match=r"xs must be a 3-d array of shape \(T, B, D\)"):
        data.memoryless_accuracy(np.zeros((2, 4)), np.array([0, 1]))
