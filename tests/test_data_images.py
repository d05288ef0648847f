"""The bar images of chapter 3: every target checked against the rule, written again here.

The reference is independent of the task's vectorised code: each batch is turned back into
words (or read off the noiseless pixels) and the rule the docstring states is applied one example
at a time, in plain Python.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import data

seeds = st.integers(0, 2**32 - 1)


def words(xs: np.ndarray, vocab: tuple[str, ...], b: int) -> list[str]:
    """The words of example ``b`` of a one-hot batch (T, B, V), checking that it is one-hot."""
    assert np.all(xs.sum(axis=-1) == 1.0) and np.all((xs == 0.0) | (xs == 1.0))
    return [vocab[i] for i in xs[:, b].argmax(axis=-1)]


@given(seed=seeds, B=st.integers(1, 6))
def test_bars_target_names_the_lit_line_of_a_noiseless_image(seed: int, B: int) -> None:
    batch = data.bars(B, noise=0.0, seed=seed)
    assert batch.xs.shape == (1, B, 16) and batch.xs.dtype == np.float64
    assert batch.targets.shape == (B,) and batch.targets.dtype == np.int64
    for b in range(B):
        image = batch.xs[0, b].reshape(4, 4)
        full_rows = [r for r in range(4) if all(image[r, c] == 1.0 for c in range(4))]
        full_cols = [c for c in range(4) if all(image[r, c] == 1.0 for r in range(4))]
        assert image.sum() == 4.0                                     # one bar, nothing else
        expected = "horizontal" if full_rows else "vertical"
        assert len(full_rows) + len(full_cols) == 1
        assert data.ORIENTATIONS[batch.targets[b]] == expected


def test_bars_noise_has_the_requested_standard_deviation() -> None:
    clean = data.bars(4000, noise=0.0, seed=5).xs
    noisy = data.bars(4000, noise=0.4, seed=5).xs
    assert np.std(noisy - clean) == pytest.approx(0.4, rel=0.02)
    assert abs(np.mean(noisy - clean)) < 0.01


def test_bars_classes_are_balanced() -> None:
    assert np.mean(data.bars(4000, seed=0).targets) == pytest.approx(0.5, abs=0.03)


@given(seed=seeds, B=st.integers(1, 6))
def test_bar_caption_describes_the_image_shown_at_the_first_step_only(seed: int, B: int) -> None:
    batch = data.bar_captions(B, noise=0.0, seed=seed)
    assert batch.xs.shape == (6, B, 16) and batch.targets.shape == (6, B)
    assert np.all(batch.xs[1:] == 0.0)
    for b in range(B):
        image = batch.xs[0, b].reshape(4, 4)
        caption = data.to_text(batch.targets[:, b], data.CAPTION_VOCAB).split()
        kind, index = caption[3], int(caption[4]) - 1
        line = image[index, :] if kind == "row" else image[:, index]
        assert np.all(line == 1.0) and image.sum() == 4.0
        assert caption[0] == ("horizontal" if kind == "row" else "vertical")
        assert caption[1:3] == ["bar", "in"] and caption[5] == "."


def test_bars_and_bar_captions_draw_the_same_images_from_one_seed() -> None:
    assert np.array_equal(data.bars(5, seed=9).xs[0], data.bar_captions(5, seed=9).xs[0])


# --- many-to-one: sentiment with negation --------------------------------------------------------
