"""The decoder: its masked loss against a step-by-step computation, its gradients (the initial
states' included) against finite differences, greedy decoding against repeated steps."""

from __future__ import annotations

import numpy as np
import pytest
from seq2seq_references import decoder_loss, redraw

from rnnbook import decoder, gradcheck, losses
from rnnbook.data import one_hot


def problem(seed: int, T: int = 4, B: int = 3, V: int = 5, H: int = 3) -> dict:
    rng = np.random.default_rng(seed)
    targets = rng.integers(0, V, (T, B))
    lengths = rng.integers(1, T + 1, B)
    lengths[0] = T
    return {"params": redraw(decoder.init(V, H, seed=0), rng), "h0": rng.normal(size=(B, H)),
            "c0": rng.normal(size=(B, H)), "ys_in": decoder.shifted_inputs(targets, 0, V),
            "targets": targets, "lengths": lengths}


def test_masked_cross_entropy_counts_the_real_steps_only() -> None:
    rng = np.random.default_rng(0)
    logits, targets = rng.normal(size=(3, 2, 4)), rng.integers(0, 4, (3, 2))
    loss, dlogits = decoder.masked_cross_entropy(logits, targets, [3, 1])
    real = [(0, 0), (1, 0), (2, 0), (0, 1)]
    by_hand = np.mean([-np.log(np.exp(logits[t, b, targets[t, b]]) / np.exp(logits[t, b]).sum())
                       for t, b in real])
    assert loss == pytest.approx(by_hand, rel=1e-13)
    assert np.all(dlogits[1:, 1] == 0)
    numeric = gradcheck.numerical_gradient(
        lambda z: decoder.masked_cross_entropy(z, targets, [3, 1])[0], logits)
    assert gradcheck.relative_error(dlogits, numeric) < 1e-8


def test_full_lengths_give_the_plain_cross_entropy() -> None:
    rng = np.random.default_rng(1)
    logits, targets = rng.normal(size=(3, 2, 4)), rng.integers(0, 4, (3, 2))
    masked = decoder.masked_cross_entropy(logits, targets, [3, 3])
    plain = losses.softmax_cross_entropy(logits, targets)
    assert masked[0] == plain[0]
    np.testing.assert_array_equal(masked[1], plain[1])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_teacher_forced_loss_equals_the_step_by_step_computation(seed: int) -> None:
    pb = problem(seed)
    loss, *_ = decoder.loss_and_grads(**pb)
    assert loss == pytest.approx(decoder_loss(*pb.values()), rel=1e-12)


@pytest.mark.parametrize(("T", "B"), [(4, 3), (1, 1)])
def test_gradients_match_finite_differences_with_the_initial_states(T: int, B: int) -> None:
    pb = problem(3, T=T, B=B)
    _, grads, dh0, dc0 = decoder.loss_and_grads(**pb)
    report = gradcheck.check(lambda p: decoder.loss_and_grads(**(pb | {"params": p}))[0],
                             pb["params"], grads)
    assert report.passed, str(report)
    for name, analytic in (("h0", dh0), ("c0", dc0)):
        numeric = gradcheck.numerical_gradient(
            lambda a, name=name: decoder.loss_and_grads(**(pb | {name: a}))[0], pb[name])
        assert gradcheck.relative_error(analytic, numeric) < 1e-8, name


def test_padded_steps_change_neither_loss_nor_gradients() -> None:
    pb = problem(4)
    other = pb["targets"].copy()
    for b, n in enumerate(pb["lengths"]):
        other[n:, b] = (other[n:, b] + 1) % 5           # change every padded target
    a = decoder.loss_and_grads(**pb)
    b = decoder.loss_and_grads(**(pb | {"targets": other}))
    assert a[0] == b[0]
    np.testing.assert_array_equal(a[2], b[2])


def test_greedy_feeds_back_the_most_likely_token() -> None:
    pb = problem(5, B=2)
    p = pb["params"]
    written = decoder.greedy(p, pb["h0"], pb["c0"], start=0, max_length=6)
    h, c, token = pb["h0"], pb["c0"], np.array([0, 0])
    for t in range(6):
        logits, h, c = decoder.step(p, token, h, c)
        token = logits.argmax(axis=-1)
        np.testing.assert_array_equal(written[t], token)


def test_shifted_inputs_put_the_start_token_first_and_drop_the_last() -> None:
    tokens = np.array([[3, 4], [2, 1], [1, 1]])
    ys_in = decoder.shifted_inputs(tokens, 0, 5)
    np.testing.assert_array_equal(ys_in, one_hot(np.array([[0, 0], [3, 4], [2, 1]]), 5))


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda pb: decoder.masked_cross_entropy(np.zeros((2, 1, 3)), np.zeros((2, 1), int), [3]),
     ValueError, "lengths must lie in 1..T"),
    (lambda pb: decoder.masked_cross_entropy(np.zeros((2, 1, 3)), np.zeros((2, 1), int), [1.0]),
     TypeError, "lengths must be integers"),
    (lambda pb: decoder.masked_cross_entropy(np.zeros((2, 1, 3)), np.zeros((2, 2), int), [1]),
     ValueError, "targets must have shape"),
    (lambda pb: decoder.greedy(pb["params"], pb["h0"], pb["c0"], start=5, max_length=2),
     ValueError, "start must be a token index"),
    (lambda pb: decoder.greedy(pb["params"], pb["h0"], pb["c0"], start=0, max_length=0),
     ValueError, "max_length"),
    (lambda pb: decoder.shifted_inputs(np.zeros((2, 1)), 0, 3), TypeError, "integer array"),
    (lambda pb: decoder.Params(pb["params"].cell, decoder.init(4, 3, seed=0).out),
     ValueError, "V=4"),
])
def test_bad_arguments_are_named(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call(problem(6))
