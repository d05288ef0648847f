"""The machinery of exercise checking: a registry, the reader-facing comparison, and hints.

A checker runs the reader's function on several cases (edge cases included: T = 1, a batch of
one) and compares with rnnbook's reference. When they disagree it raises an ``AssertionError``
written for the reader: which case, what was expected, what came back, and -- when the answer
matches a known mistake (a missing bias, a transposed matrix) -- a hint naming that mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rnnbook import _checks


class ExerciseError(AssertionError):
    """Raised by a checker when the reader's function disagrees with the reference."""


@dataclass(frozen=True)
class Exercise:
    """A registered exercise.

    Attributes
    ----------
    name : str
        What to pass to :func:`rnnbook.exercises.check`.
    signature : str
        The signature the reader's function must have.
    summary : str
        What the function computes, in one line.
    run : callable
        ``run(fn)`` raises :class:`ExerciseError` on the first disagreement.
    """

    name: str
    signature: str
    summary: str
    run: Callable[[Callable[..., Any]], None]


_REGISTRY: dict[str, Exercise] = {}


def register(name: str, signature: str, summary: str) -> Callable[[Callable[..., Any]], Any]:
    """Decorator: register ``run(fn)`` as the checker called ``name``."""
    def decorate(run: Callable[[Callable[..., Any]], None]) -> Callable[[Callable[..., Any]], None]:
        _REGISTRY[name] = Exercise(name, signature, summary, run)
        return run
    return decorate


def available() -> list[str]:
    """The names of every exercise that :func:`check` can check, sorted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> "state_update" in available()
    True
    """
    return sorted(_REGISTRY)


def describe(name: str) -> str:
    """What the exercise ``name`` asks for: the signature and a one-line summary.

    Parameters
    ----------
    name : str
        One of :func:`available`.

    Returns
    -------
    str
    """
    ex = _lookup(name)
    return f"{ex.signature}\n    {ex.summary}"


def _lookup(name: str) -> Exercise:
    if not isinstance(name, str) or name not in _REGISTRY:
        raise ValueError(f"name must be one of the exercises {', '.join(available())}; "
                         f"got {name!r}")
    return _REGISTRY[name]


def check(name: str, fn: Callable[..., Any]) -> bool:
    """Check your implementation ``fn`` of the exercise ``name`` against rnnbook's reference.

    Parameters
    ----------
    name : str
        One of :func:`available`, for instance ``"state_update"``.
    fn : callable
        Your function, with the signature of the reference (see :func:`describe`).

    Returns
    -------
    True
        When ``fn`` agrees with the reference on every case.

    Raises
    ------
    AssertionError
        When it does not: the message says on which input, what was expected and what came back,
        and gives a hint when the answer matches a common mistake.
    ValueError, TypeError
        If ``name`` is unknown or ``fn`` is not callable.
    """
    exercise = _lookup(name)
    if not callable(fn):
        raise TypeError(f"fn must be your function (a callable); got {type(fn).__name__}")
    try:
        exercise.run(fn)
    except ExerciseError as failure:
        # Re-raised from here, without the checker's frames: the reader sees only the message.
        raise ExerciseError(f"{name}: {failure}") from None
    return True


@dataclass(frozen=True)
class Case:
    """One input on which the reader's function is run."""

    label: str
    args: tuple[Any, ...]


def call(fn: Callable[..., Any], case: Case) -> Any:
    """Call the reader's function; turn any exception it raises into a readable failure."""
    try:
        return fn(*case.args)
    except Exception as exc:  # the reader's code may raise anything: report it, don't crash
        raise ExerciseError(
            f"your function raised {type(exc).__name__}: {exc}\n  on {case.label}"
        ) from None


def number(got: Any, what: str, case: Case) -> float:
    """Return what the reader returned as a float, or fail saying ``what`` should be a number."""
    try:
        return float(got)
    except (TypeError, ValueError):
        raise ExerciseError(f"{what} should be a number (a float); your function returned a "
                            f"{type(got).__name__}\n  on {case.label}") from None


def compare(got: Any, expected: np.ndarray, *, what: str, case: Case,
            mistakes: Iterable[tuple[str, Any]] = (), rtol: float = 1e-7,
            atol: float = 1e-10) -> None:
    """Compare an array the reader returned with the reference, explaining any difference.

    Parameters
    ----------
    got : object
        What the reader's function returned.
    expected : ndarray
        The reference.
    what : str
        What the array is, in the reader's terms ("the new state h_t").
    case : Case
        The input, named in the message.
    mistakes : iterable of (hint, array)
        Answers that known mistakes would give, with the hint to show when ``got`` matches one.
        Arrays are computed lazily: an entry may be a callable returning the array.
    rtol, atol : float
        Tolerances of ``numpy.allclose``.
    """
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise ExerciseError(f"{what} should be an array of shape "
                            f"{_checks.shape_str(expected.shape)}; your function returned a "
                            f"{type(got).__name__}\n  on {case.label}") from None
    if arr.shape != expected.shape:
        hint = ""
        if arr.shape == expected.shape[::-1] and arr.ndim > 1:
            hint = "\n  hint: the axes are reversed: check the orientation of your matrices"
        raise ExerciseError(f"{what} should have shape {_checks.shape_str(expected.shape)}, "
                            f"got {_checks.shape_str(arr.shape)}\n  on {case.label}{hint}")
    if np.allclose(arr, expected, rtol=rtol, atol=atol):
        return
    bad = np.argwhere(~np.isclose(arr, expected, rtol=rtol, atol=atol))  # (differing, ndim)
    where = tuple(int(i) for i in bad[0])
    message = (f"{what} does not match the reference\n  on {case.label}\n"
               f"  at index {where}: expected {expected[where]:.6g}, got {arr[where]:.6g}"
               f" ({len(bad)} of {arr.size} entries differ)")
    for hint, candidate in mistakes:
        value = candidate() if callable(candidate) else candidate
        value = np.asarray(value, dtype=np.float64)
        if value.shape == arr.shape and np.allclose(arr, value, rtol=rtol, atol=atol):
            message += f"\n  hint: {hint}"
            break
    raise ExerciseError(message)


def unpack(got: Any, n: int, names: Sequence[str], case: Case) -> tuple[Any, ...]:
    """Check that the reader returned a tuple of ``n`` things (named ``names``)."""
    if not isinstance(got, tuple | list) or len(got) != n:
        kind = f"a {type(got).__name__}" if not isinstance(got, tuple | list) else \
            f"{len(got)} values"
        raise ExerciseError(f"your function should return {n} values ({', '.join(names)}); "
                            f"it returned {kind}\n  on {case.label}")
    return tuple(got)
