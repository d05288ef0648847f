"""Exercise on why networks need memory (chapter 1): the best a memoryless predictor can do."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from rnnbook.data.encoding import one_hot
from rnnbook.data.memory import _target_counts, memoryless_accuracy, recall_first
from rnnbook.exercises._core import Case, ExerciseError, call, number, register


def _cases() -> Iterator[Case]:
    """An edge case first (one step, a batch of one), then the memory task and two others."""
    yield Case("T=1, B=1 (a batch of one): one sequence of one symbol",
               (one_hot(np.array([[2]]), 3), np.array([2])))
    task = recall_first(200, length=10, symbols=4, seed=7)
    yield Case("recall_first(200, length=10, symbols=4, seed=7), whose target is the first "
               "symbol", (task.xs, task.targets))
    last = recall_first(60, length=5, symbols=3, seed=8)
    yield Case("60 sequences of 5 symbols whose target is the LAST symbol",
               (last.xs, last.xs[-1].argmax(axis=-1)))
    rng = np.random.default_rng(9)
    rows = np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0]])
    which = np.repeat([0, 1, 2], [6, 4, 2])                             # (12,)
    xs = rng.standard_normal((3, 12, 2))
    xs[-1] = rows[which]                                                # three distinct x_T
    targets = np.array([0, 0, 0, 0, 1, 1,   1, 1, 1, 0,   2, 2])        # (12,)
    yield Case("12 real-valued sequences (T=3, D=2) ending in [1, 0], [2, 0] or [0, 1]",
               (xs, targets))


def _mistakes(xs: np.ndarray, targets: np.ndarray, expected: float) -> list[tuple[str, float]]:
    """What plausible mistakes return, with the hint to show for each."""
    B, D = xs.shape[1:]
    V = int(targets.max()) + 1
    by_last = _target_counts(xs[-1], targets)                          # every row non-empty
    return [
        *((f"that is 1/{k}, a chance level: what a guess scores on average on new data when "
           f"the last input says nothing about the target. The exercise asks for the best "
           f"accuracy on this batch: for each distinct last input, count how often its most "
           f"common target occurs", 1.0 / k) for k in sorted({D, V, *range(2, 27)})),
        ("the answer seems to be a count, not a fraction: divide by the number of sequences B",
         expected * B),
        ("you seem to have grouped the sequences by their FIRST input xs[0]; a memoryless "
         "predictor sees only the last input, xs[-1]",
         memoryless_accuracy(xs[::-1], targets)),
        ("that is the accuracy of always answering the most common target: a memoryless "
         "predictor may still look at the last input, so group the sequences by xs[-1] and take "
         "the most common target in each group",
         float(np.bincount(targets).max() / B)),
        ("you seem to group the last inputs by their largest entry (argmax); the predictor can "
         "tell apart any two different vectors, so group by the whole vector xs[-1][b]",
         float(_target_counts(xs[-1].argmax(axis=-1)[:, None], targets).max(axis=1).sum() / B)),
        ("you seem to average the accuracy of each group with equal weights; weight each last "
         "input by how many sequences end with it: add up the counts of the most common targets "
         "and divide by B once",
         float(np.mean(by_last.max(axis=1) / by_last.sum(axis=1)))),
    ]


@register("memoryless_accuracy", "memoryless_accuracy(xs, targets) -> float",
          "the best accuracy any predictor that sees only the last input xs[-1] can reach on a "
          "batch: xs (T, B, D), integer targets (B,); the reference is "
          "rnnbook.data.memoryless_accuracy")
def check_memoryless_accuracy(fn: Callable[..., Any]) -> None:
    for case in _cases():
        xs, targets = case.args
        value = number(call(fn, case), "the accuracy", case)
        expected = memoryless_accuracy(xs, targets)
        if np.isclose(value, expected, rtol=1e-9, atol=1e-12):
            continue
        message = (f"the accuracy does not match the reference\n  on {case.label}\n"
                   f"  expected {expected:.6g}, got {value:.6g}")
        for hint, wrong in _mistakes(xs, targets, expected):
            if not np.isclose(wrong, expected) and np.isclose(value, wrong):
                message += f"\n  hint: {hint}"
                break
        raise ExerciseError(message)
