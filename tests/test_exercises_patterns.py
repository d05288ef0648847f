"""The many-to-one checker: it accepts a correct implementation and explains plausible mistakes.

The correct implementation here is written from rnnbook's building blocks (the cell, the readout,
the loss), not by calling ``patterns.loss_and_grads``, and is itself checked against finite
differences, so the test does not take the reference on trust.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from rnnbook import exercises, gradcheck, losses, patterns, readout, rnn

Result = tuple[float, patterns.Model]


def reader(model: patterns.Model, xs: np.ndarray, targets: np.ndarray, *,
           read: int = -1, every_step: bool = False, truncate: int | None = None) -> Result:
    """A reader's many-to-one loss; the keywords reproduce mistakes."""
    hs, cache = rnn.forward(model.cell, xs)
    logits = readout.forward(model.out, hs[read])
    loss, dlogits = losses.softmax_cross_entropy(logits, targets)
    g_out, dh = readout.backward(model.out, hs[read], dlogits)
    dhs = np.zeros_like(hs)
    if every_step:
        dhs[:] = dh
    else:
        dhs[read] = dh
    g_cell, _, _ = rnn.backward(model.cell, cache, dhs, truncate=truncate)
    return loss, patterns.Model(g_cell, g_out)


def summed(model: patterns.Model, xs: np.ndarray, targets: np.ndarray) -> Result:
    loss, g = reader(model, xs, targets)
    B = xs.shape[1]
    return B * loss, patterns.Model(
        rnn.Params(B * g.cell.W_xh, B * g.cell.W_hh, B * g.cell.b_h, g.cell.activation),
        readout.Params(B * g.out.W_hy, B * g.out.b_y))


def no_bias_gradient(model: patterns.Model, xs: np.ndarray, targets: np.ndarray) -> Result:
    loss, g = reader(model, xs, targets)
    return loss, patterns.Model(g.cell, readout.Params(g.out.W_hy, np.zeros_like(g.out.b_y)))


def test_reader_reference_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    model = patterns.init(3, 4, 3, seed=1)
    xs, targets = rng.standard_normal((5, 2, 3)), rng.integers(0, 3, 2)
    _, grads = reader(model, xs, targets)
    report = gradcheck.check(lambda m: reader(m, xs, targets)[0], model, grads)
    assert report.passed, str(report)


def test_checker_accepts_a_correct_implementation() -> None:
    assert exercises.check("many_to_one", reader) is True
    assert "many_to_one" in exercises.available()


@pytest.mark.parametrize(("fn", "hint"), [
    (lambda m, x, y: reader(m, x, y, every_step=True), "dL/dh_t is zero for t < T"),
    (lambda m, x, y: reader(m, x, y, read=0), "read from the first state hs[0]"),
    (lambda m, x, y: reader(m, x, y, truncate=1), "the gradient stops at the last step"),
    (lambda m, x, y: patterns.loss_and_grads(m, x, np.tile(y, (x.shape[0], 1)), at="all"),
     "read at every step"),
    (summed, "times too large: average the cross-entropy over the batch"),
], ids=["gradient-into-every-state", "first-state", "no-bptt", "read-everywhere", "summed"])
def test_checker_rejects_a_plausible_mistake_with_its_hint(fn: Callable[..., Any],
                                                           hint: str) -> None:
    with pytest.raises(AssertionError, match="hint: .*" + re.escape(hint)):
        exercises.check("many_to_one", fn)


def test_checker_rejects_other_errors_without_a_misleading_hint() -> None:
    with pytest.raises(AssertionError) as info:
        exercises.check("many_to_one", no_bias_gradient)
    assert "grads.out.b_y does not match" in str(info.value)
    assert "hint" not in str(info.value)


@pytest.mark.parametrize(("fn", "message"), [
    (lambda m, x, y: (1.0,), "should return 2 values"),
    (lambda m, x, y: ("one", None), "the loss should be a number"),
    (lambda m, x, y: (reader(m, x, y)[0], {"cell": None}), "grads should be a patterns.Model"),
    (lambda m, x, y: 1 / 0, "your function raised ZeroDivisionError"),
])
def test_checker_explains_answers_of_the_wrong_kind(fn: Callable[..., Any], message: str) -> None:
    with pytest.raises(AssertionError, match=message):
        exercises.check("many_to_one", fn)
