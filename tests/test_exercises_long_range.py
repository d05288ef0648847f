"""The copy-baseline checker accepts the right answer and names each common mistake."""

from __future__ import annotations

import math

import pytest

from rnnbook import data, exercises


def right(delay: int, symbols: int, alphabet: int) -> float:
    return symbols * math.log(alphabet) / (delay + 2 * symbols)


def test_copy_baseline_checker_accepts_the_closed_form() -> None:
    assert exercises.check("copy_baseline", right)
    assert exercises.check("copy_baseline", lambda T, m, A: data.copy_baseline(
        T, symbols=m, alphabet=A))


@pytest.mark.parametrize(("wrong", "hint"), [
    (lambda T, m, A: m * math.log(A) / T, "averaged over every step"),
    (lambda T, m, A: m * math.log(A) / (T + m), "you seem to count only T \\+ m"),
    (lambda T, m, A: math.log(A), "the loss of one symbol step"),
    (lambda T, m, A: m * math.log2(A) / (T + 2 * m), "natural logarithm"),
    (lambda T, m, A: m * math.log(A + 1) / (T + 2 * m), "not over A \\+ 1 classes"),
    (lambda T, m, A: math.log(A) / (T + 2 * m), "multiply by m"),
])
def test_copy_baseline_checker_names_the_mistake(wrong, hint: str) -> None:
    with pytest.raises(AssertionError, match=hint):
        exercises.check("copy_baseline", wrong)


def test_copy_baseline_checker_reports_a_crash_and_a_non_number() -> None:
    with pytest.raises(AssertionError, match="raised ZeroDivisionError"):
        exercises.check("copy_baseline", lambda T, m, A: 1 / 0)
    with pytest.raises(AssertionError, match="should be a number"):
        exercises.check("copy_baseline", lambda T, m, A: [0.17])
