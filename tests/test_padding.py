"""Padding never changes a result.

A sequence classified alone (a batch of one, T equal to its length, no padding) and the same
sequence padded in a batch with longer and shorter ones give the same scores, and the batch's loss
and gradients are the mean of the sequences' own: for every cell, one layer or two, one direction
or both. So does a loss at every step, with the mask. And the test can fail: reading a padded
bidirectional batch backwards from the end of the array (flipping time, not reversing each
sequence within its length) changes the results.
"""

from __future__ import annotations

import numpy as np
import pytest
from compose_references import random_cell
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import _tree, bidirectional, cells, classifier, masking, patterns, readout, rnn

KINDS = ["rnn", "lstm", "gru"]
SHAPES = [(1, False), (1, True), (2, False), (2, True)]
SHAPE_IDS = ["one-layer", "bidirectional", "stacked", "stacked-bidirectional"]


def batch(seed: int, B: int = 4, D: int = 3, K: int = 3):
    """Sequences of lengths 1..6 (one of each kind: the longest, the shortest), padded to 6."""
    rng = np.random.default_rng(seed)
    lengths = np.concatenate([[6, 1], rng.integers(1, 7, B - 2)])
    seqs = [rng.normal(size=(n, D)) for n in lengths]
    xs, lengths = masking.pad(seqs)
    return seqs, xs, lengths, rng.integers(0, K, B)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("layers", "both"), SHAPES, ids=SHAPE_IDS)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_sequence_padded_in_a_batch_gets_what_it_gets_alone(kind: str, layers: int,
                                                              both: bool, seed: int) -> None:
    seqs, xs, lengths, targets = batch(seed)
    model = classifier.init(kind, 3, 2, 3, layers=layers, bidirectional=both, seed=seed % 100)
    scores = classifier.logits(model, xs, lengths, fast=False)
    loss, grads = classifier.loss_and_grads(model, xs, targets, lengths, fast=False)
    alone_losses, alone_grads = [], []
    for b, s in enumerate(seqs):
        alone = s[:, None, :]                                      # (n_b, 1, D): no padding
        np.testing.assert_allclose(classifier.logits(model, alone, fast=False)[0], scores[b],
                                   rtol=0, atol=1e-12)
        value, g = classifier.loss_and_grads(model, alone, targets[b:b + 1], fast=False)
        alone_losses.append(value)
        alone_grads.append(g)
    assert loss == pytest.approx(np.mean(alone_losses), rel=1e-12)
    mean = _tree.map_arrays(lambda *gs: np.mean(gs, axis=0), *alone_grads)
    for (name, a), (_, b) in zip(_tree.named_arrays(grads), _tree.named_arrays(mean),
                                 strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, err_msg=name)


def aligned_loss(model: patterns.Model, xs: np.ndarray, targets: np.ndarray,
                 lengths: np.ndarray) -> tuple[float, patterns.Model]:
    """A loss at every real step (the masked cross-entropy) and its gradients."""
    hs, cache = rnn.forward(model.cell, xs)
    ys = readout.forward(model.out, hs)
    loss, dys = masking.cross_entropy(ys, targets, lengths)
    g_out, dhs = readout.backward(model.out, hs, dys)
    g_cell, _, _ = rnn.backward(model.cell, cache, dhs)
    return loss, patterns.Model(g_cell, g_out)


@given(seed=st.integers(0, 2**32 - 1))
def test_a_masked_loss_at_every_step_counts_each_real_step_once(seed: int) -> None:
    # The batch's loss is the mean over all real steps: each sequence weighs its length.
    seqs, xs, lengths, _ = batch(seed)
    rng = np.random.default_rng(seed)
    targets = rng.integers(0, 3, xs.shape[:2])
    model = patterns.init(3, 2, 3, seed=seed % 100)
    loss, grads = aligned_loss(model, xs, targets, lengths)
    weights = lengths / lengths.sum()
    alone = [aligned_loss(model, s[:, None], targets[:len(s), b:b + 1], [len(s)])
             for b, s in enumerate(seqs)]
    assert loss == pytest.approx(sum(w * a[0] for w, a in zip(weights, alone, strict=True)),
                                 rel=1e-12)
    weighted = _tree.map_arrays(lambda *gs: sum(w * g for w, g in zip(weights, gs, strict=True)),
                                *(a[1] for a in alone))
    for (name, a), (_, b) in zip(_tree.named_arrays(grads), _tree.named_arrays(weighted),
                                 strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("kind", KINDS)
def test_flipping_a_padded_batch_instead_of_reversing_each_sequence_changes_the_results(
        kind: str) -> None:
    # What the test above would catch: the backward cell started at the end of the array.
    # With zero biases a zero input keeps a zero state at zero, and the padding would be
    # harmless by luck; trained cells have biases.
    _, xs, lengths, _ = batch(0)
    rng = np.random.default_rng(0)
    p = bidirectional.Params(random_cell(kind, rng, 3, 2), random_cell(kind, rng, 3, 2))
    right = bidirectional.final(bidirectional.forward(p, xs, lengths)[0], lengths)
    flipped = cells.forward(p.bwd, xs[::-1])[0][::-1]               # read from the array's end
    assert not np.allclose(flipped[0, 1], right[1, 2:])             # the short sequence differs
    np.testing.assert_allclose(flipped[0, 0], right[0, 2:], rtol=0, atol=1e-15)  # the longest not
