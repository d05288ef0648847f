"""The sequence classifier: its loss and gradients, its reading of each sequence, its counts."""

from __future__ import annotations

import re

import numpy as np
import pytest
from compose_references import random_stack

from rnnbook import classifier, gradcheck, losses, masking, optim, readout, stack, train


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize(("layers", "both"), [(1, False), (2, True)], ids=["one", "deep-bi"])
def test_loss_and_grads_match_finite_differences(kind: str, layers: int, both: bool) -> None:
    # Weights drawn at the scale of a trained network: at init a GRU's reset gate gets gradients
    # so small that the rounding of their finite differences would decide the comparison.
    rng = np.random.default_rng(0)
    encoder = random_stack(kind, rng, 2, 3, layers, both)
    model = classifier.Model(encoder, readout.init(encoder.output_size, 4, seed=1))
    xs, lengths, targets = rng.normal(size=(5, 3, 2)), np.array([5, 2, 1]), np.array([0, 3, 1])
    loss, grads = classifier.loss_and_grads(model, xs, targets, lengths, fast=False)

    def loss_of(m: classifier.Model) -> float:
        return classifier.loss_and_grads(m, xs, targets, lengths, fast=False)[0]

    assert loss == loss_of(model)
    # tol 1e-6 as in test_compose: the bottom layer of a deep LSTM gets small gradients whose
    # finite differences carry a relative rounding error near 1e-7.
    report = gradcheck.check(loss_of, model, grads, tol=1e-6)
    assert report.passed, str(report)


def test_logits_read_out_the_summary_at_each_real_end() -> None:
    rng = np.random.default_rng(2)
    model = classifier.init("gru", 2, 3, 4, bidirectional=True, seed=0)
    xs, lengths = rng.normal(size=(4, 3, 2)), np.array([4, 1, 2])
    hs, _ = stack.forward(model.encoder, xs, lengths)
    expected = readout.forward(model.out, stack.final(model.encoder, hs, lengths))
    np.testing.assert_allclose(classifier.logits(model, xs, lengths), expected, rtol=0,
                               atol=1e-12)
    targets = np.array([0, 1, 2])
    assert classifier.loss_and_grads(model, xs, targets, lengths)[0] == pytest.approx(
        losses.softmax_cross_entropy(expected, targets)[0], rel=1e-12)


def test_accuracy_counts_the_sequences_whose_top_score_is_their_class() -> None:
    rng = np.random.default_rng(3)
    model = classifier.init("rnn", 2, 3, 4, seed=0)
    xs = rng.normal(size=(3, 20, 2))
    predicted = classifier.predict(model, xs)
    np.testing.assert_array_equal(predicted, classifier.logits(model, xs).argmax(-1))
    targets = predicted.copy()
    targets[:5] = (targets[:5] + 1) % 4
    assert classifier.accuracy(model, xs, targets) == 0.75


def test_confusion_matrix_counts_true_rows_and_predicted_columns() -> None:
    rng = np.random.default_rng(4)
    true, pred = rng.integers(0, 5, 200), rng.integers(0, 5, 200)
    counts = classifier.confusion_matrix(true, pred, 5)
    for i in range(5):
        for j in range(5):
            assert counts[i, j] == np.sum((true == i) & (pred == j))
    np.testing.assert_array_equal(counts.sum(axis=1), np.bincount(true, minlength=5))


def test_training_learns_to_classify_sequences_of_different_lengths() -> None:
    # The class is the sign of the first input, whatever the length: it must be carried to
    # each sequence's own end.
    def batches(seed: int):
        rng = np.random.default_rng(seed)
        while True:
            lengths = rng.integers(1, 7, 32)
            xs, _ = masking.pad([rng.normal(size=(n, 1)) for n in lengths], length=6)
            yield xs, (xs[0, :, 0] > 0).astype(np.int64), lengths

    model, history = train.fit(classifier.init("gru", 1, 8, 2, seed=0), classifier.loss_and_grads,
                               batches(1), optim.Adam(lr=2e-2), steps=150)
    xs, targets, lengths = next(batches(2))
    assert classifier.accuracy(model, xs, targets, lengths) > 0.9
    assert history.loss[-10:].mean() < 0.5 * history.loss[:10].mean()


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: classifier.Model(stack.init("rnn", 2, 3, layers=1), readout.init(4, 2)), ValueError,
     "out.W_hy must have shape (K, 3), the output size of encoder; got (2, 4)"),
    (lambda: classifier.Model("rnn", readout.init(4, 2)), TypeError,   # type: ignore[arg-type]
     "encoder must be a stack.Params"),
    (lambda: classifier.init("gru", 2, 3, classes=0), ValueError, "classes must be a positive"),
    (lambda: classifier.accuracy(classifier.init("rnn", 1, 2, 2, seed=0), np.ones((2, 3, 1)),
                                 [0, 1]), ValueError, "targets must have shape (B,) = (3,)"),
    (lambda: classifier.confusion_matrix([0, 2], [0, 1], 2), ValueError,
     "targets must lie in [0, 2)"),
    (lambda: classifier.confusion_matrix([0.0], [0], 2), TypeError,
     "targets must be a 1-d array of class indices"),
])
def test_bad_arguments_are_refused_by_name(call, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match="^" + re.escape(message)):
        call()
