"""n-gram baselines, against counts made with a dictionary and formulas written out by hand."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest

from rnnbook import ngram

V = 5


def text(n: int, seed: int = 0) -> np.ndarray:
    p = np.array([0.4, 0.3, 0.15, 0.1, 0.05])
    return np.random.default_rng(seed).choice(V, size=n, p=p)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_counts_match_a_dictionary_of_substrings(order: int) -> None:
    ids = text(300)
    table = ngram.counts(ids, V, order)
    by_hand = Counter(tuple(ids[i: i + order]) for i in range(len(ids) - order + 1))
    assert table.sum() == len(ids) - order + 1
    for key, count in by_hand.items():
        assert table[key] == count


@pytest.mark.parametrize("order", [1, 2, 3])
def test_fit_gives_distributions_that_sum_to_one(order: int) -> None:
    probs = ngram.fit(text(300), V, order, alpha=0.5)
    assert probs.shape == (V,) * order and np.all(probs > 0)
    np.testing.assert_allclose(probs.sum(axis=-1), 1.0, rtol=1e-12)


def test_bigram_cross_entropy_matches_the_add_one_formula_written_out() -> None:
    train, held_out = text(400, seed=1), text(100, seed=2)
    pairs = Counter(itertools.pairwise(train))
    firsts = Counter(train[:-1])
    nll = [-np.log((pairs[(a, b)] + 1) / (firsts[a] + V))
           for a, b in itertools.pairwise(held_out)]
    probs = ngram.fit(train, V, order=2)
    assert ngram.cross_entropy(probs, held_out) == pytest.approx(np.mean(nll), rel=1e-12)


def test_unigram_without_smoothing_scores_its_training_text_at_its_entropy() -> None:
    train = text(1000, seed=3)
    freq = np.bincount(train, minlength=V) / len(train)
    entropy = -np.sum(freq * np.log(freq))
    assert ngram.cross_entropy(ngram.fit(train, V, 1, alpha=0.0), train) == \
        pytest.approx(entropy, rel=1e-12)


def test_unseen_context_without_smoothing_predicts_the_uniform_distribution() -> None:
    probs = ngram.fit(np.array([0, 1, 0, 1]), V, order=2, alpha=0.0)
    np.testing.assert_allclose(probs[4], np.full(V, 1 / V))
    assert probs[0, 1] == 1.0


def test_a_huge_smoothing_count_tends_to_the_uniform_model() -> None:
    probs = ngram.fit(text(200), V, order=2, alpha=1e12)
    assert ngram.cross_entropy(probs, text(50, seed=4)) == pytest.approx(np.log(V), rel=1e-9)


@pytest.mark.parametrize(("call", "error", "name"), [
    (lambda: ngram.counts(np.arange(3.0), V, 1), TypeError, "ids"),
    (lambda: ngram.counts(np.array([0, V]), V, 1), ValueError, "ids"),
    (lambda: ngram.counts(np.array([0]), V, 2), ValueError, "ids"),
    (lambda: ngram.counts(np.array([0, 1]), V, 0), ValueError, "order"),
    (lambda: ngram.fit(np.array([0, 1]), V, 1, alpha=-1.0), ValueError, "alpha"),
    (lambda: ngram.fit(np.array([0, 1]), 200, 4), ValueError, "a table"),
    (lambda: ngram.cross_entropy(np.ones((V, V + 1)), np.array([0, 1])), ValueError, "probs"),
    (lambda: ngram.cross_entropy(np.full((V, V), 0.2), np.array([0])), ValueError, "ids"),
])
def test_bad_input_raises_a_clear_error_naming_the_argument(call, error: type[Exception],
                                                            name: str) -> None:
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error
    assert str(info.value).startswith(name), str(info.value)
