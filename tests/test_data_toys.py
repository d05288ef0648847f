"""The toy tasks of chapter 3: every target checked against the task's rule, written again here.

The references are independent of ``rnnbook.data.toys``' vectorised code: each batch is turned
back into words (or, for the images, read off the noiseless pixels) and the rule each docstring
states is applied one example at a time, in plain Python.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import data, optim, patterns, train
from rnnbook.data import toys

seeds = st.integers(0, 2**32 - 1)


def words(xs: np.ndarray, vocab: tuple[str, ...], b: int) -> list[str]:
    """The words of example ``b`` of a one-hot batch (T, B, V), checking that it is one-hot."""
    assert np.all(xs.sum(axis=-1) == 1.0) and np.all((xs == 0.0) | (xs == 1.0))
    return [vocab[i] for i in xs[:, b].argmax(axis=-1)]


# --- one-to-one and one-to-many: the bar images --------------------------------------------------

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
        assert toys.ORIENTATIONS[batch.targets[b]] == expected


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
        caption = toys.to_text(batch.targets[:, b], toys.CAPTION_VOCAB).split()
        kind, index = caption[3], int(caption[4]) - 1
        line = image[index, :] if kind == "row" else image[:, index]
        assert np.all(line == 1.0) and image.sum() == 4.0
        assert caption[0] == ("horizontal" if kind == "row" else "vertical")
        assert caption[1:3] == ["bar", "in"] and caption[5] == "."


def test_bars_and_bar_captions_draw_the_same_images_from_one_seed() -> None:
    assert np.array_equal(data.bars(5, seed=9).xs[0], data.bar_captions(5, seed=9).xs[0])


# --- many-to-one: sentiment with negation --------------------------------------------------------

def sentiment_rule(review: list[str]) -> int:
    """1 (positive) or 0, by the docstring's rule: the opinion word, flipped by 'not' before it."""
    positive, negative = {"good", "great", "fun"}, {"bad", "dull", "awful"}
    (t,) = [i for i, w in enumerate(review) if w in positive | negative]
    negated = t > 0 and review[t - 1] == "not"
    return int((review[t] in positive) != negated)


@given(seed=seeds, B=st.integers(1, 6), T=st.integers(3, 9))
def test_sentiment_label_follows_the_negation_rule(seed: int, B: int, T: int) -> None:
    batch = data.sentiment(B, length=T, seed=seed)
    assert batch.xs.shape == (T, B, len(toys.SENTIMENT_VOCAB)) and batch.targets.shape == (B,)
    for b in range(B):
        review = words(batch.xs, toys.SENTIMENT_VOCAB, b)
        assert review.count("not") <= 1
        assert batch.targets[b] == sentiment_rule(review)


def test_sentiment_needs_word_order_not_just_the_words() -> None:
    # Reviews holding the same two words 'not' and 'dull' have both labels: a model that sees
    # which words occur but not in which order cannot be right on all of them.
    batch = data.sentiment(4000, seed=1)
    tokens = batch.xs.argmax(axis=-1).T                                # (B, T)
    labels = {0: 0, 1: 0}
    for b in range(4000):
        review = [toys.SENTIMENT_VOCAB[i] for i in tokens[b]]
        if "not" in review and "dull" in review:
            labels[int(batch.targets[b])] += 1
    assert labels[0] > 50 and labels[1] > 50
    assert np.mean(batch.targets) == pytest.approx(0.5, abs=0.03)


# --- many-to-many, aligned: tagging --------------------------------------------------------------

@given(seed=seeds, B=st.integers(1, 6), half=st.integers(1, 5))
def test_tag_of_an_ambiguous_word_is_set_by_the_word_before_it(seed: int, B: int,
                                                               half: int) -> None:
    T = 2 * half
    batch = data.tagging(B, length=T, seed=seed)
    assert batch.xs.shape == (T, B, len(toys.TAGGING_VOCAB)) and batch.targets.shape == (T, B)
    for b in range(B):
        sentence = words(batch.xs, toys.TAGGING_VOCAB, b)
        tags = toys.to_text(batch.targets[:, b], toys.TAGS).split()
        for t, (word, tag) in enumerate(zip(sentence, tags, strict=True)):
            if word in ("the", "a"):
                assert tag == "DET"
            elif word in ("I", "you", "they"):
                assert tag == "PRON"
            else:
                assert t > 0
                assert tag == ("NOUN" if sentence[t - 1] in ("the", "a") else "VERB")


def test_each_ambiguous_word_is_a_noun_half_the_time() -> None:
    batch = data.tagging(2000, seed=2)
    tokens = batch.xs.argmax(axis=-1)                                  # (T, B)
    for i in range(5, 10):
        tags = batch.targets[tokens == i]
        assert set(tags) == {2, 3}
        assert np.mean(tags == 2) == pytest.approx(0.5, abs=0.05)


# --- encoder-decoder: reversal into another alphabet ---------------------------------------------

@given(seed=seeds, B=st.integers(1, 6), lo=st.integers(1, 4), extra=st.integers(0, 3))
def test_translation_target_is_the_reversed_source_in_greek(seed: int, B: int, lo: int,
                                                            extra: int) -> None:
    hi = lo + extra
    batch = data.reverse_translation(B, min_length=lo, max_length=hi, seed=seed)
    assert batch.xs.shape == (hi, B, 5)
    assert batch.ys_in.shape == (hi + 1, B, 6) and batch.targets.shape == (hi + 1, B)
    greek = dict(zip("abcd", "αβγδ", strict=True))
    for b in range(B):
        source = words(batch.xs, toys.SOURCE_VOCAB, b)
        letters = [w for w in source if w != "<pad>"]
        assert source == ["<pad>"] * (hi - len(letters)) + letters     # padded at the front
        assert lo <= len(letters) <= hi
        expected = [greek[w] for w in reversed(letters)] + ["<end>"] * (hi + 1 - len(letters))
        assert toys.to_text(batch.targets[:, b], toys.TARGET_VOCAB).split() == expected
        assert words(batch.ys_in, toys.TARGET_VOCAB, b) == ["<start>", *expected[:-1]]


def test_translation_lengths_cover_the_range() -> None:
    batch = data.reverse_translation(500, min_length=2, max_length=5, seed=0)
    lengths = (batch.xs.argmax(axis=-1) != 0).sum(axis=0)
    assert set(lengths) == {2, 3, 4, 5}


# --- helpers, reproducibility, bad input --------------------------------------------------------

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


def test_to_text_stops_after_the_stop_word() -> None:
    assert toys.to_text(np.array([3, 1, 2]), toys.TARGET_VOCAB) == "β <end> α"
    assert toys.to_text(np.array([3, 1, 2]), toys.TARGET_VOCAB, stop="<end>") == "β <end>"
    assert toys.to_text(np.array([], dtype=int), toys.TARGET_VOCAB) == ""


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
    (lambda: toys.to_text(np.array([0.5]), toys.TAGS), TypeError, "tokens"),
    (lambda: toys.to_text(np.array([7]), toys.TAGS), ValueError, "tokens"),
])
def test_bad_arguments_are_refused_by_name(call: object, error: type[Exception],
                                           name: str) -> None:
    with pytest.raises(error, match=name):
        call()                                                               # type: ignore[operator]


# --- the chapter's claim: a small RNN learns each task in a few hundred steps -------------------

def test_chapter_setup_learns_sentiment_that_needs_memory() -> None:
    # The setup of chapter 3: H=16, Adam(2e-2), 500 batches of 32.
    model, _ = train.fit(patterns.init(13, 16, 2, seed=0), patterns.loss_and_grads,
                         data.stream(data.sentiment, 32, seed=1), optim.Adam(lr=2e-2), steps=500)
    test = data.sentiment(1000, seed=2)
    assert patterns.accuracy(model, test.xs, test.targets) > 0.97


def test_chapter_setup_learns_tagging_from_the_previous_word() -> None:
    loss = functools.partial(patterns.loss_and_grads, at="all")
    model, _ = train.fit(patterns.init(10, 16, 4, seed=0), loss,
                         data.stream(data.tagging, 32, seed=1), optim.Adam(lr=2e-2), steps=150)
    test = data.tagging(1000, seed=2)
    assert patterns.accuracy(model, test.xs, test.targets, at="all") > 0.99


def test_encode_is_the_inverse_of_to_text() -> None:
    batch = data.sentiment(5, seed=0)
    texts = [toys.to_text(batch.xs[:, b].argmax(axis=-1), toys.SENTIMENT_VOCAB) for b in range(5)]
    assert np.array_equal(data.encode(texts, toys.SENTIMENT_VOCAB), batch.xs)


@pytest.mark.parametrize(("sentences", "error", "message"), [
    ("the movie", TypeError, "sentences must be a non-empty list"),
    ([], TypeError, "sentences must be a non-empty list"),
    (["the movie", "the"], ValueError, "same number of words"),
    (["the film"], ValueError, "not in vocab: film"),
])
def test_encode_refuses_sentences_it_cannot_encode(sentences: object, error: type[Exception],
                                                   message: str) -> None:
    with pytest.raises(error, match=message):
        data.encode(sentences, toys.SENTIMENT_VOCAB)                         # type: ignore[arg-type]
