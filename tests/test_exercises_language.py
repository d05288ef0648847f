"""Chapter 9's checkers accept the reference and name each known slip with its hint."""

from __future__ import annotations

import numpy as np
import pytest

from rnnbook import exercises, ngram, sampling


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def bigram(ids, vocab_size, alpha):
    pairs = np.zeros((vocab_size, vocab_size))
    np.add.at(pairs, (ids[:-1], ids[1:]), 1.0)
    return (pairs + alpha) / (pairs + alpha).sum(axis=1, keepdims=True)


def test_a_correct_bigram_passes() -> None:
    assert exercises.check("bigram", bigram)
    assert exercises.check("bigram", lambda ids, V, a: ngram.fit(ids, V, 2, alpha=a))


@pytest.mark.parametrize(("wrong", "hint"), [
    (lambda ids, V, a: bigram(ids, V, a).T, "swap the axes"),
    (lambda ids, V, a: bigram(ids, V, 0.0 * a + 1e-300), "alpha seems to be missing"),
    (lambda ids, V, a: (ngram.counts(ids, V, 2) + a) / (ngram.counts(ids, V, 2) + a).sum(),
     "joint probabilities"),
    (lambda ids, V, a: (lambda p: (p + a) / (p + a).sum(axis=0, keepdims=True))(
        ngram.counts(ids, V, 2).astype(float)), "normalised along the columns"),
])
def test_each_bigram_slip_gets_its_hint(wrong, hint: str) -> None:
    with pytest.raises(exercises.ExerciseError, match=hint):
        exercises.check("bigram", wrong)


def test_a_correct_temperature_passes() -> None:
    assert exercises.check("temperature", lambda y, t: softmax(np.asarray(y) / t))
    assert exercises.check("temperature", sampling.with_temperature)


@pytest.mark.parametrize(("wrong", "hint"), [
    (lambda y, t: softmax(y * t), "multiplied by the temperature"),
    (lambda y, t: softmax(y), "temperature seems to be ignored"),
    (lambda y, t: np.exp(y / t), "does not sum to 1"),
    (lambda y, t: softmax(y / t, axis=0), "LAST axis"),
    (lambda y, t: np.exp(y / t) / np.exp(y / t).sum(axis=-1, keepdims=True), "overflows"),
])
def test_each_temperature_slip_gets_its_hint(wrong, hint: str) -> None:
    with np.errstate(over="ignore", invalid="ignore"), \
            pytest.raises(exercises.ExerciseError, match=hint):
        exercises.check("temperature", wrong)
