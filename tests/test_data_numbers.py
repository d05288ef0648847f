"""Numbers in words: the words read back into the number by an independent parser, the batches'
shapes, targets and lengths, and the longest sources."""

from __future__ import annotations

import numpy as np
import pytest

from rnnbook import data
from rnnbook.data import numbers

VALUES = {w: i for i, w in enumerate(numbers.NUMBER_WORDS[:20])} | {
    w: 10 * (i + 2) for i, w in enumerate(numbers.NUMBER_WORDS[20:28])}


def parse(words: list[str]) -> int:
    """The number English words write: an accumulator, multiplied by 100, 1000 or 10**6."""
    total, group = 0, 0
    for w in words:
        if w == "hundred":
            group *= 100
        elif w in ("thousand", "million"):
            total += group * (1000 if w == "thousand" else 10**6)
            group = 0
        else:
            group += VALUES[w]
    return total + group


@pytest.mark.parametrize("n", [0, 7, 13, 20, 21, 100, 101, 110, 999, 1000, 1001, 20_000,
                               100_017, 999_999, 1_000_000, 5_000_005, 999_999_999])
def test_words_read_back_into_the_number(n: int) -> None:
    assert parse(numbers.number_words(n)) == n


def test_random_numbers_read_back_and_their_word_counts_agree() -> None:
    rng = np.random.default_rng(0)
    sample = np.concatenate([rng.integers(0, 10**d, 300) for d in range(1, 10)])
    counts = numbers._word_counts(sample)
    for n, count in zip(sample, counts, strict=True):
        words = numbers.number_words(int(n))
        assert parse(words) == n and len(words) == count


def test_max_words_is_the_longest_source_of_each_size() -> None:
    rng = np.random.default_rng(1)
    for d in range(1, 10):
        sample = np.concatenate([rng.integers(0, 10**d, 20_000), [int("7" * d)]])
        assert numbers._word_counts(sample).max() == data.max_words(d)


@pytest.mark.parametrize("length", [1, 2, 5, 14])
def test_a_batch_holds_sources_of_its_length_and_the_digits_of_their_numbers(length: int) -> None:
    batch = data.numbers_to_digits(40, length=length, seed=length)
    assert batch.xs.shape == (length, 40, len(data.NUMBER_WORDS))
    assert batch.targets.shape == (10, 40) and batch.ys_in.shape == (10, 40, len(data.DIGITS))
    for b in range(40):
        words = data.to_text(batch.xs[:, b].argmax(axis=-1), data.NUMBER_WORDS).split()
        written = data.digits_of(batch.targets[:, b])
        assert written == str(parse(words))
        assert batch.lengths[b] == len(written) + 1
        assert np.all(batch.targets[batch.lengths[b] - 1:, b] == data.DIGITS.index("<end>"))
    np.testing.assert_array_equal(batch.ys_in[1:].argmax(axis=-1), batch.targets[:-1])
    assert np.all(batch.ys_in[0].argmax(axis=-1) == data.DIGITS.index("<start>"))


def test_every_length_is_drawn_and_numbers_have_every_count_of_digits() -> None:
    rng = np.random.default_rng(2)
    lengths = {data.numbers_to_digits(4, seed=rng).xs.shape[0] for _ in range(300)}
    assert lengths == set(range(1, 15))
    digits = {int(n) for b in range(50) for n in
              data.numbers_to_digits(20, seed=b, max_digits=4).lengths - 1}
    assert digits == {1, 2, 3, 4}


def test_the_same_seed_gives_the_same_batch() -> None:
    a, b = (data.numbers_to_digits(8, seed=3) for _ in range(2))
    np.testing.assert_array_equal(a.xs, b.xs)
    np.testing.assert_array_equal(a.targets, b.targets)


def test_digits_of_stops_at_the_end_token() -> None:
    assert data.digits_of(np.array([2, 3, 1, 4])) == "01"


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: data.number_words(-1), ValueError, "n must lie"),
    (lambda: data.number_words(10**9), ValueError, "n must lie"),
    (lambda: data.number_words(2.0), TypeError, "integer"),
    (lambda: data.numbers_to_digits(3, length=15), ValueError, "length must lie in 1..14"),
    (lambda: data.numbers_to_digits(3, length=5, max_digits=3), ValueError, "1..4"),
    (lambda: data.numbers_to_digits(3, max_digits=10), ValueError, "max_digits"),
    (lambda: data.numbers_to_digits(0), ValueError, "batch_size"),
    (lambda: data.digits_of(np.zeros(3)), TypeError, "integer"),
])
def test_bad_arguments_are_named(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()
