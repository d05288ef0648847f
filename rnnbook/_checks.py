"""Argument checks for rnnbook's public functions (internal).

Every public function checks its arguments once, at the boundary, with these helpers, so that a
reader who passes the wrong thing is told which argument is wrong, what was expected and what was
received -- never a numpy broadcasting error from deep inside. Inner helpers trust their inputs.
"""

from __future__ import annotations

import numbers
from typing import TypeVar

import numpy as np

from rnnbook.types import Array

T = TypeVar("T")


def shape_str(shape: tuple[int, ...]) -> str:
    """Format a shape the way the docstrings write it: ``(5, 2, 3)``, ``(3,)``, ``()``."""
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def float_array(value: object, name: str, *, ndim: int | None, layout: str,
                min_ndim: int = 0) -> Array:
    """Return ``value`` as a finite float array with ``ndim`` dimensions, or raise.

    Parameters
    ----------
    value : array_like
        What the caller passed.
    name : str
        The argument's name, used in the message (``"xs"``, ``"params.W_hh"``).
    ndim : int or None
        The number of dimensions expected; ``None`` accepts any number >= ``min_ndim``.
    layout : str
        The expected shape in the book's letters, for the message: ``"(T, B, D)"``.
    min_ndim : int, default 0
        With ``ndim=None``, the fewest dimensions accepted.

    Integer input is converted to float64; float32 and float64 are kept; booleans, complex numbers,
    strings and objects are refused with a ``TypeError``. Zero-length axes, NaN and infinity are
    refused with a ``ValueError``.
    """
    if isinstance(value, np.ndarray):
        arr = value
    else:
        try:
            arr = np.asarray(value)
        except (ValueError, TypeError) as exc:  # ragged nested lists and the like
            raise TypeError(
                f"{name} must be a numeric array of shape {layout}; "
                f"got a {type(value).__name__} that numpy cannot turn into one ({exc})"
            ) from None
    kind = arr.dtype.kind
    if kind in "iu":
        arr = arr.astype(np.float64)
    elif kind == "f":
        if arr.dtype.itemsize < 4:  # float16: too coarse to train with, compute in float64
            arr = arr.astype(np.float64)
    else:
        raise TypeError(
            f"{name} must hold real numbers (float64, float32 or integers) in shape {layout}; "
            f"got dtype {arr.dtype}"
        )
    if ndim is None and arr.ndim < min_ndim:
        raise ValueError(
            f"{name} must be an array of shape {layout} with at least "
            f"{'one dimension' if min_ndim == 1 else f'{min_ndim} dimensions'}; got "
            + ("a scalar" if arr.ndim == 0 else f"a {arr.ndim}-d array")
        )
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-d array of shape {layout}; "
            f"got a {arr.ndim}-d array of shape {shape_str(arr.shape)}"
        )
    if arr.size == 0:
        raise ValueError(
            f"{name} must not be empty: expected shape {layout} with every size >= 1, "
            f"got shape {shape_str(arr.shape)}"
        )
    if not np.isfinite(arr).all():
        bad = "NaN" if np.isnan(arr).any() else "infinity"
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(
            f"{name} must be finite; it contains {bad} (first at index {where})"
        )
    return arr


def expect_shape(arr: Array, name: str, expected: tuple[int, ...], layout: str,
                 why: str) -> None:
    """Raise a ``ValueError`` unless ``arr.shape == expected``; ``why`` explains the sizes."""
    if arr.shape != expected:
        raise ValueError(
            f"{name} must have shape {layout} = {shape_str(expected)} {why}; "
            f"got {shape_str(arr.shape)}"
        )


def finite_float(value: object, name: str) -> float:
    """Return ``value`` as a ``float`` if it is a finite real number, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r} "
                        f"of type {type(value).__name__}")
    if not np.isfinite(float(value)):
        raise ValueError(f"{name} must be finite; got {value!r}")
    return float(value)


def positive_int(value: object, name: str) -> int:
    """Return ``value`` as an ``int`` if it is a whole number >= 1, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer; got {value!r} "
                        f"of type {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer (>= 1); got {value}")
    return int(value)


def positive_float(value: object, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a ``float`` if it is a finite number > 0 (or >= 0), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r} "
                        f"of type {type(value).__name__}")
    v = float(value)
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}; got {value!r}")
    return v


def type_name(value: object) -> str:
    """``lstm.Params`` for rnnbook's own classes (which share short names), else the class name."""
    cls = type(value)
    module = cls.__module__
    return f"{module.removeprefix('rnnbook.')}.{cls.__name__}" if module.startswith("rnnbook.") \
        else cls.__name__


def instance(value: object, name: str, cls: type[T], what: str) -> T:
    """Return ``value`` if it is a ``cls``, else raise a TypeError: "name must be what; got ..."."""
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be {what}; got {type_name(value)}")
    return value


def choice(value: object, name: str, options: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``options``, else raise naming the options."""
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}")
    return value


def token_index(value: object, name: str, V: int) -> int:
    """Return ``value`` if it is an integer token index in [0, V), else raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value < V:
        raise ValueError(f"{name} must be a token index in [0, {V}); got {value!r}")
    return int(value)
