"""The sentences of chapter 3: every target checked against the rule, written again here.

The reference is independent of the task's vectorised code: each batch is turned back into
words (or read off the noiseless pixels) and the rule the docstring states is applied one example
at a time, in plain Python.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import data, optim, patterns, train

seeds = st.integers(0, 2**32 - 1)


def words(xs: np.ndarray, vocab: tuple[str, ...], b: int) -> list[str]:
    """The words of example ``b`` of a one-hot batch (T, B, V), checking that it is one-hot."""
    assert np.all(xs.sum(axis=-1) == 1.0) and np.all((xs == 0.0) | (xs == 1.0))
    return [vocab[i] for i in xs[:, b].argmax(axis=-1)]


def sentiment_rule(review: list[str]) -> int:
    """1 (positive) or 0, by the docstring's rule: the opinion word, flipped by 'not' before it."""
    positive, negative = {"good", "great", "fun"}, {"bad", "dull", "awful"}
    (t,) = [i for i, w in enumerate(review) if w in positive | negative]
    negated = t > 0 and review[t - 1] == "not"
    return int((review[t] in positive) != negated)


@given(seed=seeds, B=st.integers(1, 6), T=st.integers(3, 9))
def test_sentiment_label_follows_the_negation_rule(seed: int, B: int, T: int) -> None:
    batch = data.sentiment(B, length=T, seed=seed)
    assert batch.xs.shape == (T, B, len(data.SENTIMENT_VOCAB)) and batch.targets.shape == (B,)
    for b in range(B):
        review = words(batch.xs, data.SENTIMENT_VOCAB, b)
        assert review.count("not") <= 1
        assert batch.targets[b] == sentiment_rule(review)


def test_sentiment_needs_word_order_not_just_the_words() -> None:
    # Reviews holding the same two words 'not' and 'dull' have both labels: a model that sees
    # which words occur but not in which order cannot be right on all of them.
    batch = data.sentiment(4000, seed=1)
    tokens = batch.xs.argmax(axis=-1).T                                # (B, T)
    labels = {0: 0, 1: 0}
    for b in range(4000):
        review = [data.SENTIMENT_VOCAB[i] for i in tokens[b]]
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
    assert batch.xs.shape == (T, B, len(data.TAGGING_VOCAB)) and batch.targets.shape == (T, B)
    for b in range(B):
        sentence = words(batch.xs, data.TAGGING_VOCAB, b)
        tags = data.to_text(batch.targets[:, b], data.TAGS).split()
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
