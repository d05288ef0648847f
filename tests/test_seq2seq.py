"""The encoder-decoder with and without attention: the teacher-forced loss against a computation
step by step, every gradient (the encoder's, through dc_last and attention) against finite
differences, greedy decoding against beam search of width 1, and bad arguments."""

from __future__ import annotations

import numpy as np
import pytest
from seq2seq_references import (
    assert_gradients_match,
    attention_seq2seq_loss,
    redraw,
    seq2seq_loss,
)

from rnnbook import data, decoder, gradcheck, lstm, seq2seq, sequence_scores
from rnnbook import seq2seq_attention as attentive

MODELS = {"plain": (seq2seq, seq2seq_loss), "attention": (attentive, attention_seq2seq_loss)}


def model(kind: str, seed: int, D: int = 4, V: int = 5, H: int = 3):
    rng = np.random.default_rng(seed)
    m = seq2seq.init(D, V, H, seed=0) if kind == "plain" else attentive.init(D, V, H, 4, seed=0)
    return redraw(m, rng, 0.6)


def batch(seed: int, S: int = 3, T: int = 4, B: int = 2, D: int = 4,
          V: int = 5) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(100 + seed)
    targets = rng.integers(1, V, (T, B))
    lengths = rng.integers(1, T + 1, B)
    lengths[-1] = T
    xs = data.one_hot(rng.integers(0, D, (S, B)), D)
    return xs, decoder.shifted_inputs(targets, 0, V), targets, lengths


@pytest.mark.parametrize("kind", MODELS)
@pytest.mark.parametrize("seed", [0, 1])
def test_teacher_forced_loss_equals_the_step_by_step_computation(kind: str, seed: int) -> None:
    module, reference = MODELS[kind]
    m, b = model(kind, seed), batch(seed)
    loss, _ = module.loss_and_grads(m, *b)
    assert loss == pytest.approx(reference(m, *b), rel=1e-12)


@pytest.mark.parametrize("kind", MODELS)
@pytest.mark.parametrize("shape", [(3, 4, 2), (1, 1, 1), (4, 2, 3)])
def test_every_gradient_matches_finite_differences(kind: str, shape: tuple[int, ...]) -> None:
    module, _ = MODELS[kind]
    S, T, B = shape
    m, b = model(kind, S + T), batch(B, S=S, T=T, B=B)
    _, grads = module.loss_and_grads(m, *b)
    assert_gradients_match(lambda p: module.loss_and_grads(p, *b)[0], m, grads)


def test_the_encoder_learns_through_its_final_cell_state() -> None:
    # Without dc_last the encoder's gradient would miss the path through c_S: compare with the
    # gradient that path alone gives, from dc_S.
    m, (xs, ys_in, targets, lengths) = model("plain", 7), batch(7)
    _, grads = seq2seq.loss_and_grads(m, xs, ys_in, targets, lengths)
    hs, cache = lstm.forward(m.encoder, xs)
    _, _, dh_S, dc_S = decoder.loss_and_grads(m.decoder, cache.states[-1], cache.cells[-1],
                                              ys_in, targets, lengths)
    dhs = np.zeros_like(hs)
    dhs[-1] = dh_S
    without, _, _, _ = lstm.backward(m.encoder, cache, dhs)
    assert np.abs(dc_S).max() > 1e-3
    assert gradcheck.relative_error(grads.encoder.W_xf, without.W_xf) > 1e-3


@pytest.mark.parametrize("kind", MODELS)
def test_greedy_decoding_equals_beam_search_of_width_one(kind: str) -> None:
    module, _ = MODELS[kind]
    m = model(kind, 3)
    xs = batch(3, S=5, B=6)[0]
    written = module.greedy(m, xs, start=0, max_length=7)
    written = written[0] if isinstance(written, tuple) else written
    beams = module.beam_search(m, xs, start=0, end=1, width=1, max_length=7)
    assert sequence_scores.strip(written, 1) == sequence_scores.strip(beams.tokens[:, 0].T, 1)


def test_greedy_with_attention_returns_where_it_looked() -> None:
    m = model("attention", 4)
    xs = batch(4, S=5, B=3)[0]
    _, weights = attentive.greedy(m, xs, start=0, max_length=4)
    assert weights.shape == (4, 3, 5)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, atol=1e-14)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: seq2seq.Seq2Seq(lstm.init(4, 3, seed=0), decoder.init(5, 2, seed=0)),
     ValueError, "hidden size"),
    (lambda: seq2seq.Seq2Seq(decoder.init(5, 3, seed=0), decoder.init(5, 3, seed=0)),
     TypeError, "lstm.Params"),
    (lambda: seq2seq.greedy(model("plain", 0), batch(0)[0], start=9, max_length=3),
     ValueError, "start"),
    (lambda: attentive.greedy(model("attention", 0), batch(0)[0], start=9, max_length=3),
     ValueError, "start"),
    (lambda: seq2seq.loss_and_grads(model("plain", 0), *batch(0, D=3)), ValueError, "xs"),
])
def test_bad_arguments_are_named(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()


def test_attention_model_shapes_are_checked() -> None:
    m = attentive.init(4, 5, 3, 2, seed=0)
    with pytest.raises(ValueError, match=r"out\.W_hy"):
        attentive.AttentionSeq2Seq(m.encoder, m.decoder, m.attention,
                                   seq2seq.init(4, 5, 3, seed=0).decoder.out)
    with pytest.raises(ValueError, match="decoder"):
        attentive.AttentionSeq2Seq(m.encoder, lstm.init(4, 3, seed=0), m.attention, m.out)
