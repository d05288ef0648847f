"""The memoryless-accuracy checker: it accepts a correct answer and explains plausible mistakes.

The correct implementation here is a plain-Python count with a dictionary, independent of
``rnnbook.data.memoryless_accuracy``'s numpy code.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from rnnbook import exercises


def reader(xs: np.ndarray, targets: np.ndarray, *, read: int = -1, by: str = "vector",
           weighted: bool = True, fraction: bool = True) -> float:
    """A reader's answer; the keywords reproduce mistakes."""
    groups: defaultdict[Any, Counter[int]] = defaultdict(Counter)
    for x, c in zip(xs[read], targets, strict=True):
        key = tuple(x) if by == "vector" else int(np.argmax(x))
        groups[key][int(c)] += 1
    best = [max(counter.values()) for counter in groups.values()]
    if not weighted:
        return float(np.mean([b / sum(c.values()) for b, c in zip(best, groups.values(),
                                                                     strict=True)]))
    total = sum(best)
    return total / len(targets) if fraction else float(total)


def test_checker_accepts_a_correct_implementation() -> None:
    assert exercises.check("memoryless_accuracy", reader) is True
    assert "memoryless_accuracy" in exercises.available()
    assert "memoryless_accuracy(xs, targets)" in exercises.describe("memoryless_accuracy")


@pytest.mark.parametrize(("fn", "hint"), [
    (lambda xs, c: 1.0 / xs.shape[2], "a chance level"),
    (lambda xs, c: 0.25, "that is 1/4, a chance level"),
    (lambda xs, c: reader(xs, c, read=0), "grouped the sequences by their FIRST input"),
    (lambda xs, c: reader(xs, c, fraction=False), "divide by the number of sequences B"),
    (lambda xs, c: float(np.bincount(c).max() / len(c)), "always answering the most common"),
    (lambda xs, c: reader(xs, c, by="argmax"), "group by the whole vector"),
    (lambda xs, c: reader(xs, c, weighted=False), "weight each last input"),
], ids=["one-over-D", "one-over-4", "first-input", "count", "majority", "argmax", "unweighted"])
def test_checker_rejects_a_plausible_mistake_with_its_hint(fn: Callable[..., Any],
                                                           hint: str) -> None:
    with pytest.raises(AssertionError, match="hint: .*" + hint):
        exercises.check("memoryless_accuracy", fn)


def test_checker_names_the_input_and_both_values() -> None:
    with pytest.raises(AssertionError) as info:
        exercises.check("memoryless_accuracy", lambda xs, c: 0.123)
    message = str(info.value)
    assert "on T=1, B=1" in message and "expected 1, got 0.123" in message
    assert "hint" not in message


def test_checker_explains_an_answer_that_is_not_a_number() -> None:
    with pytest.raises(AssertionError, match=r"should be a number .* returned a str"):
        exercises.check("memoryless_accuracy", lambda xs, c: "a lot")
    with pytest.raises(AssertionError, match="your function raised ZeroDivisionError"):
        exercises.check("memoryless_accuracy", lambda xs, c: 1 / 0)
