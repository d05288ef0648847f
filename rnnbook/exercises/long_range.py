"""Exercise on long-range tasks (chapter 8): the memoryless baseline of the copy task."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from rnnbook.data.long_range import copy_baseline
from rnnbook.exercises._core import Case, ExerciseError, call, number, register


def _cases() -> Iterator[Case]:
    """A small task first, then Arjovsky et al.'s, then one with other sizes."""
    yield Case("delay=2, symbols=1, alphabet=2 (one symbol, two steps to wait)", (2, 1, 2))
    yield Case("delay=100, symbols=10, alphabet=8 (Arjovsky et al.'s task at T = 100)",
               (100, 10, 8))
    yield Case("delay=7, symbols=3, alphabet=5", (7, 3, 5))


def _mistakes(T: int, m: int, A: int) -> list[tuple[str, float]]:
    """What plausible mistakes return, with the hint to show for each."""
    return [
        ("the loss is averaged over every step of the sequence, T + 2m of them (m symbols, "
         "T - 1 blanks, the delimiter, m blanks), not over T", m * math.log(A) / T),
        ("the sequence has T + 2m steps: m to read, T to wait (the delimiter included) and m to "
         "write; you seem to count only T + m", m * math.log(A) / (T + m)),
        ("that is the loss of one symbol step, ln A: average it over all T + 2m steps, of which "
         "only m cost anything", math.log(A)),
        ("a uniform guess over A symbols costs ln A nats (natural logarithm), not log2 A bits",
         m * math.log2(A) / (T + 2 * m)),
        ("the memoryless model knows that a symbol, not the blank, comes at the last m steps: "
         "its guess is uniform over the A symbols, not over A + 1 classes",
         m * math.log(A + 1) / (T + 2 * m)),
        ("each of the m symbol steps costs ln A: multiply by m", math.log(A) / (T + 2 * m)),
    ]


@register("copy_baseline", "copy_baseline(delay, symbols, alphabet) -> float",
          "the cross-entropy per step, in nats, of the best model that remembers no symbol of "
          "the copy task; the reference is rnnbook.data.copy_baseline")
def check_copy_baseline(fn: Callable[..., Any]) -> None:
    for case in _cases():
        T, m, A = case.args
        value = number(call(fn, case), "the baseline", case)
        expected = copy_baseline(T, symbols=m, alphabet=A)
        if math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12):
            continue
        message = (f"the baseline does not match the reference\n  on {case.label}\n"
                   f"  expected {expected:.6g}, got {value:.6g}")
        for hint, wrong in _mistakes(T, m, A):
            if not math.isclose(wrong, expected) and math.isclose(value, wrong, rel_tol=1e-9):
                message += f"\n  hint: {hint}"
                break
        raise ExerciseError(message)
