"""The last-marked-symbol task of chapters 6 and 7, checked against its rule written again here.

The reference reads each sequence back one step at a time, in plain Python, and applies the rule
the docstring states: the target is the symbol at the last step whose mark channel is 1.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import data

seeds = st.integers(0, 2**32 - 1)


@st.composite
def settings(draw: st.DrawFn) -> dict[str, object]:
    T = draw(st.integers(1, 12))
    W = draw(st.integers(1, T))
    lo = draw(st.integers(1, W))
    hi = draw(st.integers(lo, W))
    return {"length": T, "window": W, "marks": (lo, hi), "symbols": draw(st.integers(2, 6))}


@given(seed=seeds, B=st.integers(1, 5), options=settings())
def test_target_is_the_symbol_at_the_last_mark_and_marks_obey_the_window(
        seed: int, B: int, options: dict) -> None:
    batch = data.last_marked(B, seed=seed, **options)
    T, V, W = options["length"], options["symbols"], options["window"]
    lo, hi = options["marks"]
    assert batch.xs.shape == (T, B, V + 1) and batch.xs.dtype == np.float64
    assert batch.targets.shape == (B,) and batch.targets.dtype == np.int64
    for b in range(B):
        symbols, marks = batch.xs[:, b, :V], batch.xs[:, b, V]
        assert np.all(symbols.sum(axis=-1) == 1.0) and set(np.unique(symbols)) <= {0.0, 1.0}
        assert set(np.unique(marks)) <= {0.0, 1.0}
        marked_steps = [t for t in range(T) if marks[t] == 1.0]
        assert lo <= len(marked_steps) <= hi
        assert all(t < W for t in marked_steps)                  # marks in the first W steps
        last = marked_steps[-1]
        assert batch.targets[b] == int(np.argmax(symbols[last]))


def test_window_none_means_the_whole_sequence_and_seeds_repeat() -> None:
    a = data.last_marked(64, length=10, marks=(3, 3), seed=1)
    b = data.last_marked(64, length=10, marks=(3, 3), window=10, seed=1)
    assert np.array_equal(a.xs, b.xs) and np.array_equal(a.targets, b.targets)
    assert a.xs[:, :, -1].any(axis=1)[7:].any()                   # marks reach the last steps
    c = data.last_marked(64, length=10, marks=(3, 3), seed=2)
    assert not np.array_equal(a.xs, c.xs)


def test_mark_counts_positions_and_targets_are_uniform() -> None:
    batch = data.last_marked(20_000, length=12, marks=(1, 4), window=6, seed=0)
    counts = batch.xs[:, :, -1].sum(axis=0)                       # (B,)
    for m in range(1, 5):                                          # 1 to 4 marks, equally often
        assert abs(np.mean(counts == m) - 0.25) < 0.015
    per_step = batch.xs[:6, :, -1].mean(axis=1)                    # each of the first 6 steps
    assert np.allclose(per_step, per_step.mean(), atol=0.015)      # is marked as often
    assert np.allclose(np.bincount(batch.targets, minlength=4) / 20_000, 0.25, atol=0.015)


def test_a_memoryless_predictor_stays_near_chance() -> None:
    # The last input is never marked when the window ends before it, and says nothing then.
    batch = data.last_marked(20_000, length=12, marks=(1, 4), window=6, seed=3)
    assert data.memoryless_accuracy(batch.xs, batch.targets) < 0.26


@pytest.mark.parametrize(("options", "name"), [
    ({"marks": (0, 2)}, "marks"), ({"marks": (3, 2)}, "marks"), ({"marks": (1, 30)}, "marks"),
    ({"marks": (1.0, 2)}, "marks"), ({"marks": 2}, "marks"), ({"window": 25}, "window"),
    ({"window": 0}, "window"), ({"symbols": 1}, "symbols"), ({"symbols": 27}, "symbols"),
    ({"length": 0}, "length"),
])
def test_bad_arguments_are_named(options: dict, name: str) -> None:
    with pytest.raises((ValueError, TypeError), match=name):
        data.last_marked(4, **options)
