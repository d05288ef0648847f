"""Exercises on the input/output patterns (chapter 3): the many-to-one loss and its gradients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import numpy as np

from rnnbook import _tree, losses, patterns, readout, rnn
from rnnbook.exercises._core import Case, ExerciseError, call, compare, number, register, unpack

_FIELDS = (("out", "W_hy"), ("out", "b_y"), ("cell", "W_xh"), ("cell", "W_hh"), ("cell", "b_h"))


def _cases() -> Iterator[Case]:
    """Edge cases first (one step, a batch of one), then longer sequences and other cells."""
    for i, (T, B, D, H, K, act) in enumerate([(1, 1, 2, 3, 2, "tanh"), (4, 3, 3, 5, 4, "tanh"),
                                              (6, 2, 13, 4, 2, "tanh"), (3, 4, 2, 3, 3, "relu")]):
        rng = np.random.default_rng(40 + i)
        model = patterns.init(D, H, K, seed=rng, activation=act)
        # A recurrent matrix large enough that what happens early in the sequence matters.
        model = patterns.Model(rnn.Params(model.cell.W_xh, 2.0 * model.cell.W_hh,
                                          rng.uniform(-0.5, 0.5, H), act), model.out)
        xs = rng.standard_normal((T, B, D))
        targets = rng.integers(0, K, B)
        one = " (a batch of one)" if B == 1 else ""
        yield Case(f"T={T}, B={B}{one}, D={D}, H={H}, K={K} classes, activation {act!r}",
                   (model, xs, targets))


def _every_step(model: patterns.Model, xs: np.ndarray,
                targets: np.ndarray) -> tuple[float, patterns.Model]:
    """The mistake of sending the last step's gradient into every state, not only h_T."""
    hs, cache = rnn.forward(model.cell, xs)                              # (T, B, H)
    value, dlogits = losses.softmax_cross_entropy(readout.forward(model.out, hs[-1]), targets)
    g_out, dh_T = readout.backward(model.out, hs[-1], dlogits)           # (B, H)
    g_cell, _, _ = rnn.backward(model.cell, cache, np.broadcast_to(dh_T, hs.shape))
    return value, patterns.Model(g_cell, g_out)


def _get(grads: Any, part: str, field: str, case: Case) -> Any:
    container = getattr(grads, part, None)
    value = getattr(container, field, None)
    if value is None:
        raise ExerciseError(f"grads should be a patterns.Model of gradients, with grads.{part}."
                            f"{field} (build it as patterns.Model(cell_grads, readout_grads)); "
                            f"got a {type(grads).__name__}\n  on {case.label}")
    return value


@register("many_to_one", "many_to_one(model, xs, targets) -> (loss, grads)",
          "the mean cross-entropy of a class read from the last state, y = W_hy h_T + b_y, and "
          "its gradients as a patterns.Model; xs (T, B, D), integer targets (B,); the reference "
          "is rnnbook.patterns.loss_and_grads with at='last'")
def check_many_to_one(fn: Callable[..., Any]) -> None:
    for case in _cases():
        model, xs, targets = case.args
        T, B = xs.shape[:2]
        value, grads = unpack(call(fn, case), 2, ("loss", "grads"), case)
        ref_value, ref = patterns.loss_and_grads(model, xs, targets)
        first = patterns.loss_and_grads(model, xs[:1], targets)
        tiled = patterns.loss_and_grads(model, xs, np.tile(targets, (T, 1)), at="all")
        every = _every_step(model, xs, targets)
        truncated = patterns.loss_and_grads(model, xs, targets, truncate=1)
        hints = {
            "first": ("the output seems to be read from the first state hs[0]; many-to-one reads "
                      "the last state, hs[-1] = h_T, after the whole sequence", first),
            "all": ("the output seems to be read at every step: many-to-one reads only the last "
                    "state, so the readout and the loss see hs[-1] alone", tiled),
            "every": ("the gradient seems to enter every state: only h_T is read, so dL/dh_t is "
                      "zero for t < T. Put the readout's gradient in dhs[-1] and zeros elsewhere",
                      every),
            "sum": (f"your loss and gradients are B={B} times too large: average the "
                    f"cross-entropy over the batch (rnnbook.losses.softmax_cross_entropy does)",
                    (ref_value * B, _tree.map_arrays(partial(np.multiply, B), ref))),
            "truncated": ("the gradient stops at the last step: pass dhs to rnnbook.rnn.backward, "
                          "which carries it back through every step, since the same weights "
                          "acted at every step", truncated),
        }
        compare(np.asarray(number(value, "the loss", case)), np.array(ref_value),
                what="the loss", case=case,
                mistakes=[(hint, np.array(v[0])) for hint, v in hints.values()])
        for part, field in _FIELDS:
            compare(_get(grads, part, field, case), getattr(getattr(ref, part), field),
                    what=f"grads.{part}.{field}", case=case,
                    mistakes=[(hint, getattr(getattr(v[1], part), field))
                              for hint, v in hints.values()])
