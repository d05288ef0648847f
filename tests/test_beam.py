"""Beam search: width 1 is greedy decoding, a wide enough beam finds the most probable sequence
that a brute-force search over every sequence finds, finished hypotheses stay finished, and a
beam can beat greedy decoding where the most likely first token leads nowhere."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from seq2seq_references import redraw

from rnnbook import beam, decoder, losses

START, END = 0, 1


def decoder_step(p: decoder.Params) -> beam.Step:
    def step(tokens: np.ndarray, state: tuple) -> tuple:
        logits, h, c = decoder.step(p, tokens, *state)
        return losses.log_softmax(logits), (h, c)
    return step


def small(seed: int, V: int = 3, H: int = 4, B: int = 2) -> tuple[beam.Step, tuple]:
    rng = np.random.default_rng(seed)
    p = redraw(decoder.init(V, H, seed=0), rng, 1.5)
    return decoder_step(p), (rng.normal(size=(B, H)), rng.normal(size=(B, H)))


def score(step: beam.Step, state: tuple, b: int, sequence: tuple[int, ...]) -> float:
    """The log-probability of one sequence for source b, step by step."""
    s = tuple(a[b:b + 1] for a in state)
    total, token = 0.0, START
    for c in sequence:
        log_probs, s = step(np.array([token]), s)
        total += log_probs[0, c]
        token = c
    return total


def every_sequence(V: int, L: int) -> list[tuple[int, ...]]:
    """Every sequence a decoder can write in at most L tokens: words of non-end tokens ended by
    the end token, or L non-end tokens."""
    words = [w for n in range(L) for w in itertools.product(
        [v for v in range(V) if v != END], repeat=n)]
    return [(*w, END) for w in words] + list(itertools.product(
        [v for v in range(V) if v != END], repeat=L))


def cut(tokens: np.ndarray) -> tuple[int, ...]:
    """A hypothesis up to and including its end token."""
    ends = np.flatnonzero(tokens == END)
    return tuple(int(t) for t in tokens[:ends[0] + 1 if ends.size else len(tokens)])


@pytest.mark.parametrize("seed", range(4))
def test_a_wide_beam_finds_what_brute_force_finds(seed: int) -> None:
    step, state = small(seed)
    L, V = 4, 3
    candidates = every_sequence(V, L)
    beams = beam.search(step, state, start=START, end=END, width=len(candidates), max_length=L)
    for b in range(2):
        scores = {seq: score(step, state, b, seq) for seq in candidates}
        best = max(scores, key=scores.get)
        assert cut(beams.tokens[b, 0]) == best
        assert beams.scores[b, 0] == pytest.approx(scores[best], abs=1e-12)
        ranked = sorted(scores.values(), reverse=True)      # and every other one, in order
        np.testing.assert_allclose(beams.scores[b], ranked, rtol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_every_hypothesis_scores_what_its_tokens_score(seed: int) -> None:
    step, state = small(10 + seed, V=4)
    beams = beam.search(step, state, start=START, end=END, width=3, max_length=5)
    for b in range(2):
        for k in range(3):
            assert beams.scores[b, k] == pytest.approx(
                score(step, state, b, cut(beams.tokens[b, k])), abs=1e-12)
        assert np.all(np.diff(beams.scores[b]) <= 0)


@pytest.mark.parametrize("seed", range(4))
def test_width_one_is_greedy_decoding(seed: int) -> None:
    rng = np.random.default_rng(seed)
    p = redraw(decoder.init(5, 4, seed=0), rng, 1.0)
    h0, c0 = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    written = decoder.greedy(p, h0, c0, start=START, max_length=7)
    beams = beam.search(decoder_step(p), (h0, c0), start=START, end=END, width=1, max_length=7)
    for b in range(6):
        assert cut(beams.tokens[b, 0]) == cut(written[:, b])


def test_a_beam_of_two_finds_what_greedy_decoding_misses() -> None:
    # A made-up model: the first token 2 is likelier than 3 (0.6 against 0.4), but after 2 every
    # continuation is uncertain (0.5 each), after 3 the end is certain (0.9). Greedy writes 2 and
    # scores log 0.6 + log 0.5 = log 0.30; the best sequence is 3 <end>, log 0.4 + log 0.9 = log
    # 0.36.
    table = {START: [0, 0, 0.6, 0.4], 2: [0, 0.5, 0.5, 0], 3: [0, 0.9, 0.05, 0.05],
             END: [0, 1, 0, 0]}

    def step(tokens: np.ndarray, state: tuple) -> tuple:
        with np.errstate(divide="ignore"):
            return np.log(np.array([table[int(t)] for t in tokens])), state

    state = (np.zeros((1, 1)),)
    greedy = beam.search(step, state, start=START, end=END, width=1, max_length=3)
    wide = beam.search(step, state, start=START, end=END, width=2, max_length=3)
    assert cut(greedy.tokens[0, 0])[:1] == (2,)
    assert cut(wide.tokens[0, 0]) == (3, END)
    assert wide.scores[0, 0] == pytest.approx(np.log(0.36))


def test_finished_hypotheses_are_padded_with_the_end_token() -> None:
    step, state = small(20)
    beams = beam.search(step, state, start=START, end=END, width=4, max_length=6)
    assert beams.tokens.shape == (2, 4, 6)
    for row in beams.tokens.reshape(-1, 6):
        ends = np.flatnonzero(row == END)
        if ends.size:
            assert np.all(row[ends[0]:] == END)


def test_the_state_follows_each_hypothesis() -> None:
    # A step whose state counts the tokens read: each hypothesis must see its own count.
    def step(tokens: np.ndarray, state: tuple) -> tuple:
        (count,) = state
        count = count + 1
        log_probs = np.log(np.full((len(tokens), 3), 1 / 3))
        log_probs[:, END] = np.where(count[:, 0] >= 3, 0.0, -np.inf)   # end at the third step
        log_probs[count[:, 0] >= 3, 0] = -np.inf
        log_probs[count[:, 0] >= 3, 2] = -np.inf
        return log_probs, (count,)

    beams = beam.search(step, (np.zeros((2, 1)),), start=START, end=END, width=3, max_length=5)
    assert np.all(beams.tokens[:, :, 2] == END)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"width": 0}, ValueError, "width"),
    ({"max_length": 0}, ValueError, "max_length"),
    ({"step": "not a function"}, TypeError, "step must be a function"),
    ({"state": np.zeros((2, 3))}, TypeError, "state must be a non-empty tuple"),
    ({"state": (np.zeros((2, 3)), np.zeros((3, 3)))}, ValueError, "B=2 rows"),
])
def test_bad_arguments_are_named(kwargs: dict, error: type, match: str) -> None:
    step, state = small(0)
    args = {"step": step, "state": state, "start": START, "end": END, "width": 2,
            "max_length": 3} | kwargs
    with pytest.raises(error, match=match):
        beam.search(**args)


@pytest.mark.parametrize("seed", range(3))
def test_best_extensions_are_the_best_of_every_hypothesis_and_token(seed: int) -> None:
    rng = np.random.default_rng(seed)
    scores, log_probs = rng.normal(size=(3, 2)), rng.normal(size=(3, 2, 4))
    new, parents, tokens = beam.best_extensions(scores, log_probs, 5)
    for b in range(3):
        every = sorted(((scores[b, k] + log_probs[b, k, c], k, c) for k in range(2)
                        for c in range(4)), key=lambda e: -e[0])[:5]
        np.testing.assert_allclose(new[b], [e[0] for e in every], rtol=1e-15)
        assert list(zip(parents[b], tokens[b], strict=True)) == [(e[1], e[2]) for e in every]


@pytest.mark.parametrize(("args", "error", "match"), [
    ((np.zeros((1, 2)), np.zeros((1, 3, 4)), 2), ValueError, "scores must have shape"),
    ((np.zeros((1, 2)), np.zeros((1, 2, 4)), 9), ValueError, "at most K V = 8"),
    ((np.zeros((1, 2)), np.full((1, 2, 4), np.nan), 2), ValueError, "NaN"),
    ((np.zeros(2), np.zeros((1, 2, 4)), 2), ValueError, "2-d"),
    ((np.zeros((1, 2)), np.zeros((1, 2, 4)).astype(str), 2), TypeError, "real numbers"),
])
def test_best_extensions_names_bad_arguments(args: tuple, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        beam.best_extensions(*args)
