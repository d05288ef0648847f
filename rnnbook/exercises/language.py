"""Exercises on the character-level language model (chapter 9): a bigram table, a temperature."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from rnnbook import ngram, sampling
from rnnbook.exercises._core import Case, ExerciseError, call, compare, register


def _texts() -> Iterator[Case]:
    """A short text with unseen pairs, a longer one, and one character repeated."""
    yield Case("ids = [0, 1, 0, 2, 0, 1], vocab_size=4, alpha=0.5 (character 3 never occurs)",
               (np.array([0, 1, 0, 2, 0, 1]), 4, 0.5))
    rng = np.random.default_rng(11)
    yield Case("200 characters drawn from 6, with alpha=1.0",
               (rng.choice(6, size=200, p=[0.4, 0.2, 0.15, 0.1, 0.1, 0.05]), 6, 1.0))
    yield Case("ids = [0, 0, 0, 0], vocab_size=2, alpha=1.0 (one character, repeated)",
               (np.array([0, 0, 0, 0]), 2, 1.0))


def _bigram_mistakes(ids: np.ndarray, V: int, alpha: float) -> list[tuple[str, np.ndarray]]:
    """What plausible mistakes return, with the hint to show for each."""
    pairs = ngram.counts(ids, V, 2).astype(float)                       # (V, V)
    smoothed = pairs + alpha
    seen = pairs.sum(axis=1, keepdims=True)                             # (V, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        no_alpha = np.where(seen > 0, pairs / seen, 1.0 / V)
        no_alpha_total = smoothed / seen
    return [
        ("entry [a, b] should be p(b | a), the next character b given the one before, a; yours "
         "seems to hold p(a | b): swap the axes", ngram.fit(ids, V, 2, alpha=alpha).T),
        ("each ROW should sum to 1 (a distribution over the next character); yours is "
         "normalised along the columns", smoothed / smoothed.sum(axis=0, keepdims=True)),
        ("alpha seems to be missing: add it to every count, so that pairs never seen in "
         "training keep a probability above zero", no_alpha),
        ("alpha is added to the counts but not to the row totals: divide by count(a) + alpha V",
         no_alpha_total),
        ("these look like joint probabilities p(a, b), which sum to 1 over the whole table; "
         "divide each row by its own total instead", smoothed / smoothed.sum()),
    ]


@register("bigram", "bigram(ids, vocab_size, alpha) -> ndarray of shape (V, V)",
          "the add-one (alpha) smoothed bigram model of a text: entry [a, b] is p(b | a), "
          "each row summing to 1; the reference is rnnbook.ngram.fit(ids, V, order=2, alpha=alpha)")
def check_bigram(fn: Callable[..., Any]) -> None:
    for case in _texts():
        ids, V, alpha = case.args
        compare(call(fn, case), ngram.fit(ids, V, 2, alpha=alpha),
                what="the bigram table p(b | a)", case=case, rtol=1e-9, atol=1e-12,
                mistakes=_bigram_mistakes(ids, V, alpha))


def _logits() -> Iterator[Case]:
    yield Case("logits = log([0.75, 0.25]), temperature = 0.5",
               (np.log(np.array([0.75, 0.25])), 0.5))
    yield Case("logits = [1, 2, 3, 4], temperature = 1 (the model's own distribution)",
               (np.array([1.0, 2.0, 3.0, 4.0]), 1.0))
    rng = np.random.default_rng(12)
    yield Case("a batch of logits of shape (3, 5), temperature = 2.5",
               (rng.normal(size=(3, 5)), 2.5))
    yield Case("logits = [1000, 999, 0], temperature = 0.1 (large scores)",
               (np.array([1000.0, 999.0, 0.0]), 0.1))


def _softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    out: np.ndarray = e / e.sum(axis=axis, keepdims=True)
    return out


def _temperature_mistakes(logits: np.ndarray, tau: float) -> list[tuple[str, np.ndarray]]:
    """What plausible mistakes return, with the hint to show for each."""
    with np.errstate(over="ignore", invalid="ignore"):
        unnormalised = np.exp(logits / tau)
    return [
        ("the logits seem to be multiplied by the temperature: divide them, so that a low "
         "temperature sharpens the distribution", _softmax(logits * tau)),
        ("the temperature seems to be ignored: divide the logits by it before the softmax",
         _softmax(logits)),
        ("the result does not sum to 1 along the last axis: divide by the sum of the "
         "exponentials", unnormalised),
        ("for a batch (..., V), normalise along the LAST axis, one distribution per row",
         _softmax(logits / tau, axis=0)),
    ]


@register("temperature", "with_temperature(logits, temperature) -> ndarray like logits",
          "the distribution exp(y / tau) / sum exp(y / tau) along the last axis of logits "
          "(..., V); the reference is rnnbook.sampling.with_temperature")
def check_temperature(fn: Callable[..., Any]) -> None:
    for case in _logits():
        logits, tau = case.args
        got = call(fn, case)
        try:
            finite = bool(np.all(np.isfinite(np.asarray(got, dtype=float))))
        except (TypeError, ValueError):
            finite = True                       # not numbers: compare() says what is wrong
        if not finite:
            raise ExerciseError(
                f"the distribution has entries that are not finite numbers (inf or nan)\n"
                f"  on {case.label}\n  hint: exp of a large score overflows to inf, and inf / "
                f"inf is nan: subtract the largest scaled score from every scaled score before "
                f"exp; the division cancels it")
        compare(got, sampling.with_temperature(logits, tau), what="the distribution",
                case=case, rtol=1e-9, atol=1e-12, mistakes=_temperature_mistakes(logits, tau))
