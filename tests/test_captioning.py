"""The captioner: its loss against a computation step by step, its gradients (the affine layer's
from the decoder's dh0) against finite differences, and what zeroed features leave."""

from __future__ import annotations

import numpy as np
import pytest
from seq2seq_references import assert_gradients_match, captioning_loss, redraw

from rnnbook import captioning, decoder


def problem(seed: int, B: int = 3, F: int = 6, V: int = 5, H: int = 4, T: int = 4) -> tuple:
    rng = np.random.default_rng(seed)
    m = redraw(captioning.init(F, V, H, seed=0), rng, 0.6)
    targets = rng.integers(1, V, (T, B))
    lengths = rng.integers(1, T + 1, B)
    return m, (rng.random((B, F)), decoder.shifted_inputs(targets, 0, V), targets, lengths)


@pytest.mark.parametrize("seed", [0, 1])
def test_loss_equals_the_step_by_step_computation(seed: int) -> None:
    m, b = problem(seed)
    assert captioning.loss_and_grads(m, *b)[0] == pytest.approx(captioning_loss(m, *b),
                                                                 rel=1e-12)


@pytest.mark.parametrize(("B", "T"), [(3, 4), (1, 1)])
def test_gradients_match_finite_differences(B: int, T: int) -> None:
    m, b = problem(2, B=B, T=T)
    _, grads = captioning.loss_and_grads(m, *b)
    assert_gradients_match(lambda p: captioning.loss_and_grads(p, *b)[0], m, grads)


def test_the_initial_state_is_the_affine_image_of_the_features() -> None:
    m, (features, *_) = problem(3)
    np.testing.assert_allclose(captioning.initial_state(m, features),
                               [m.W_img @ f + m.b_img for f in features], rtol=1e-13)
    zeroed = captioning.initial_state(m, np.zeros_like(features))
    assert np.all(zeroed == m.b_img)


def test_generate_is_greedy_decoding_from_the_initial_state() -> None:
    m, (features, *_) = problem(4)
    h0 = captioning.initial_state(m, features)
    np.testing.assert_array_equal(
        captioning.generate(m, features, start=0, max_length=5),
        decoder.greedy(m.decoder, h0, np.zeros_like(h0), start=0, max_length=5))


def test_without_features_every_image_gets_the_same_caption() -> None:
    m, (features, *_) = problem(5)
    written = captioning.generate(m, np.zeros_like(features), start=0, max_length=5)
    assert np.all(written == written[:, :1])


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda m: captioning.initial_state(m, np.ones((2, 5))), ValueError, "F=6"),
    (lambda m: captioning.initial_state("model", np.ones((2, 6))), TypeError, "Captioner"),
    (lambda m: captioning.Captioner(np.ones((3, 6)), np.ones(4), m.decoder), ValueError,
     "W_img"),
    (lambda m: captioning.Captioner(m.W_img, np.ones(3), m.decoder), ValueError, "b_img"),
    (lambda m: captioning.generate(m, np.ones((2, 6)), start=0, max_length=0), ValueError,
     "max_length"),
])
def test_bad_arguments_are_named(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call(problem(6)[0])
