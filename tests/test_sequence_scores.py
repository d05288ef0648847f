"""Exact match and BLEU against counts made by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnnbook import sequence_scores as sc


def test_strip_cuts_at_the_first_end_token() -> None:
    tokens = np.array([[4, 1, 5], [1, 1, 6], [4, 2, 7]])
    assert sc.strip(tokens, end=1) == [(4,), (), (5, 6, 7)]


def test_exact_match_compares_up_to_the_end_token_only() -> None:
    written = np.array([[4, 4, 5], [1, 3, 1], [9, 1, 1]])       # after <end>: anything
    targets = np.array([[4, 4, 5], [1, 1, 6], [1, 1, 1]])
    assert sc.exact_match(written, targets, end=1) == pytest.approx(1 / 3)


def test_bleu_counts_clipped_ngrams_and_the_brevity_penalty_by_hand() -> None:
    # Candidates "a a b" and "c d"; references "a b b c" and "c d". Unigrams: a (1 of 2 allowed
    # by "a b b c"), b (1), c, d: 4 of 5. Bigrams: "a a" no, "a b" yes, "c d" yes: 2 of 3.
    # c = 5, r = 6: BP = exp(1 - 6/5).
    got = sc.bleu([(0, 0, 1), (2, 3)], [(0, 1, 1, 2), (2, 3)], max_n=2)
    assert got == pytest.approx(math.exp(1 - 6 / 5) * math.sqrt(4 / 5 * 2 / 3), rel=1e-12)


def test_bleu_is_one_for_perfect_and_zero_without_a_shared_ngram() -> None:
    refs = [(1, 2, 3, 4, 5), (6, 7, 8, 9)]
    assert sc.bleu(refs, refs) == 1.0
    assert sc.bleu([(1, 9, 2, 9, 3)], [(1, 2, 3, 4, 5)], max_n=2) == 0.0


def test_longer_candidates_are_not_penalised_shorter_ones_are() -> None:
    ref = [(1, 2, 3, 4)]
    assert sc.bleu([(1, 2, 3, 4, 4)], ref, max_n=1) == pytest.approx(4 / 5)
    assert sc.bleu([(1, 2, 3)], ref, max_n=1) == pytest.approx(math.exp(1 - 4 / 3))


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: sc.strip(np.zeros((2, 2)), 1), TypeError, "integer array"),
    (lambda: sc.exact_match(np.ones((2, 2), int), np.ones((2, 3), int), 1), ValueError,
     "same number"),
    (lambda: sc.bleu([], []), ValueError, "non-empty"),
    (lambda: sc.bleu([(1,)], [(1,)], max_n=0), ValueError, "max_n"),
])
def test_bad_arguments_are_named(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()
