"""The word translation of chapter 3: every target checked against the rule, written again.

The reference is independent of the task's vectorised code: each batch is turned back into
words (or read off the noiseless pixels) and the rule the docstring states is applied one example
at a time, in plain Python.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import data

seeds = st.integers(0, 2**32 - 1)


def words(xs: np.ndarray, vocab: tuple[str, ...], b: int) -> list[str]:
    """The words of example ``b`` of a one-hot batch (T, B, V), checking that it is one-hot."""
    assert np.all(xs.sum(axis=-1) == 1.0) and np.all((xs == 0.0) | (xs == 1.0))
    return [vocab[i] for i in xs[:, b].argmax(axis=-1)]


@given(seed=seeds, B=st.integers(1, 6), lo=st.integers(1, 4), extra=st.integers(0, 3))
def test_translation_target_is_the_reversed_source_in_greek(seed: int, B: int, lo: int,
                                                            extra: int) -> None:
    hi = lo + extra
    batch = data.reverse_translation(B, min_length=lo, max_length=hi, seed=seed)
    assert batch.xs.shape == (hi, B, 5)
    assert batch.ys_in.shape == (hi + 1, B, 6) and batch.targets.shape == (hi + 1, B)
    greek = dict(zip("abcd", "αβγδ", strict=True))
    for b in range(B):
        source = words(batch.xs, data.SOURCE_VOCAB, b)
        letters = [w for w in source if w != "<pad>"]
        assert source == ["<pad>"] * (hi - len(letters)) + letters     # padded at the front
        assert lo <= len(letters) <= hi
        expected = [greek[w] for w in reversed(letters)] + ["<end>"] * (hi + 1 - len(letters))
        assert data.to_text(batch.targets[:, b], data.TARGET_VOCAB).split() == expected
        assert words(batch.ys_in, data.TARGET_VOCAB, b) == ["<start>", *expected[:-1]]


def test_translation_lengths_cover_the_range() -> None:
    batch = data.reverse_translation(500, min_length=2, max_length=5, seed=0)
    lengths = (batch.xs.argmax(axis=-1) != 0).sum(axis=0)
    assert set(lengths) == {2, 3, 4, 5}
