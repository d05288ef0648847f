"""The checkers of chapters 11 and 12: a right answer passes, and each usual slip is caught with
the hint that names it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from rnnbook import captioning, decoder, exercises


def attention_step(params: Any, hs: Any, query: Any, mistake: str = "") -> Any:
    a = hs @ params.W_k.T + query @ params.W_q.T                   # (S, B, A)
    scores = (a if mistake == "tanh" else np.tanh(a)) @ params.v   # (S, B)
    axis = 1 if mistake == "batch" else 0
    if mistake == "unnormalised":
        weights = np.exp(scores)
    else:
        weights = np.exp(scores - scores.max(axis=axis, keepdims=True))
        weights /= weights.sum(axis=axis, keepdims=True)
    context = hs.sum(axis=0) if mistake == "sum" else np.einsum("sb,sbh->bh", weights, hs)
    return context, (weights if mistake == "transposed" else weights.T)


def beam_step(scores: Any, log_probs: Any, width: int, mistake: str = "") -> Any:
    B, K, V = log_probs.shape
    candidates = (log_probs if mistake == "alone" else scores[..., None] + log_probs)
    candidates = candidates.reshape(B, K * V)
    order = np.argsort(candidates if mistake == "ascending" else -candidates, axis=1,
                       kind="stable")[:, :width]
    parents, tokens = order // V, order % V
    if mistake == "swapped":
        parents, tokens = tokens, parents
    return np.take_along_axis(candidates, order, axis=1), parents, tokens


def captioning_loss(model: Any, features: Any, ys_in: Any, targets: Any, lengths: Any,
                    mistake: str = "") -> Any:
    h0 = features @ model.W_img.T + model.b_img
    loss, g, dh0, _ = decoder.loss_and_grads(model.decoder, h0, np.zeros_like(h0), ys_in,
                                             targets, lengths)
    db = dh0.mean(axis=0) if mistake == "mean" else dh0.sum(axis=0)
    return loss, captioning.Captioner(dh0.T @ features, db, g)


@pytest.mark.parametrize(("name", "fn"), [("attention_step", attention_step),
                                          ("beam_step", beam_step),
                                          ("captioning_loss", captioning_loss)])
def test_a_right_answer_passes(name: str, fn: Callable[..., Any]) -> None:
    assert exercises.check(name, fn) is True
    assert name in exercises.available()


@pytest.mark.parametrize(("name", "fn", "mistake", "hint"), [
    ("attention_step", attention_step, "tanh", "tanh seems to be missing"),
    ("attention_step", attention_step, "batch", "softmax seems to run over the batch"),
    ("attention_step", attention_step, "unnormalised", "not divided by their sum"),
    ("attention_step", attention_step, "sum", "plain sum of the states"),
    ("attention_step", attention_step, "transposed", "axes are reversed"),
    ("beam_step", beam_step, "alone", "leave out the hypotheses' own scores"),
    ("beam_step", beam_step, "ascending", "sorted lowest first"),
    ("beam_step", beam_step, "swapped", "parents and tokens seem swapped"),
    ("captioning_loss", captioning_loss, "mean", "not its mean"),
])
def test_each_slip_is_named(name: str, fn: Callable[..., Any], mistake: str, hint: str) -> None:
    def wrong(*args: Any) -> Any:
        return fn(*args, mistake=mistake)

    with pytest.raises(AssertionError, match=hint):
        exercises.check(name, wrong)
