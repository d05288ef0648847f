"""Pairs of handwritten digits: the images are scikit-learn's, side by side; the captions follow
the rule from the digits' labels; training and test pairs use different images."""

from __future__ import annotations

import numpy as np
import pytest

from rnnbook import data
from rnnbook.data import handwritten

sklearn_datasets = pytest.importorskip("sklearn.datasets")


def halves(batch: data.CaptionBatch) -> tuple[np.ndarray, np.ndarray]:
    images = batch.features.reshape(-1, 8, 16)
    return images[:, :, :8], images[:, :, 8:]


def find(image: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """The indices of scikit-learn's images equal to ``image``."""
    return np.flatnonzero(np.all(digits.images / 16.0 == image, axis=(1, 2)))


@pytest.mark.parametrize(("left", "right", "words"), [
    (3, 7, "seven right of three"), (7, 3, "seven left of three"), (0, 9, "nine right of zero"),
    (6, 6, "two sixes"), (2, 2, "two twos"),
])
def test_the_caption_names_the_larger_digit_first(left: int, right: int, words: str) -> None:
    assert " ".join(data.pair_caption(left, right)) == words


@pytest.mark.parametrize("split", ["train", "test"])
def test_images_are_two_of_the_digits_and_captions_follow_their_labels(split: str) -> None:
    digits = sklearn_datasets.load_digits()
    batch = data.digit_pairs(30, split=split, seed=1)
    assert batch.features.shape == (30, 128) and batch.targets.shape == (5, 30)
    left, right = halves(batch)
    for b in range(30):
        i, j = find(left[b], digits), find(right[b], digits)
        assert i.size and j.size
        first = handwritten.TRAIN_IMAGES if split == "test" else 0
        last = len(digits.images) if split == "test" else handwritten.TRAIN_IMAGES
        assert any(first <= k < last for k in i) and any(first <= k < last for k in j)
        words = data.pair_caption(int(digits.target[i[0]]), int(digits.target[j[0]]))
        assert data.to_text(batch.targets[:, b], data.CAPTION_WORDS, stop="<end>") == \
            " ".join([*words, "<end>"])
        assert batch.lengths[b] == len(words) + 1
    np.testing.assert_array_equal(batch.ys_in[1:].argmax(axis=-1), batch.targets[:-1])


def test_features_lie_in_zero_to_one() -> None:
    batch = data.digit_pairs(50, seed=2)
    assert batch.features.min() >= 0 and batch.features.max() <= 1


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: data.digit_pairs(2, split="validation"), ValueError, "split"),
    (lambda: data.pair_caption(3, 10), ValueError, "right must be a digit"),
    (lambda: data.pair_caption(True, 1), ValueError, "left must be a digit"),
])
def test_bad_arguments_are_named(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()
