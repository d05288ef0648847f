"""Parameter containers as trees of arrays (internal).

A parameter container is a frozen dataclass whose array fields are the parameters
(:class:`rnnbook.rnn.Params`), possibly nesting other containers (a cell and its readout), alone
or in a tuple (the layers of :class:`rnnbook.stack.Params`).
Gradients, optimiser states and finite-difference estimates have the same structure, so gradient
checking, clipping and every optimiser are written once, over these two functions.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")


def is_container(value: object) -> bool:
    """True for an instance (not a class) of a dataclass."""
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def check_container(value: object, name: str) -> None:
    """Raise a ``TypeError`` naming ``name`` unless ``value`` is a parameter container."""
    if not is_container(value):
        raise TypeError(
            f"{name} must be a parameter container, a dataclass of arrays such as rnn.Params; "
            f"got {type(value).__name__}"
        )


def named_arrays(tree: Any, prefix: str = "") -> list[tuple[str, np.ndarray]]:
    """The array leaves of ``tree`` in field order, named by their path (``"cell.W_hh"``)."""
    out: list[tuple[str, np.ndarray]] = []
    for field in dataclasses.fields(tree):
        value = getattr(tree, field.name)
        if isinstance(value, np.ndarray):  # the common case first: this runs at every step
            out.append((prefix + field.name, value))
        elif is_container(value):
            out += named_arrays(value, prefix + field.name + ".")
        elif _is_container_tuple(value):
            for k, item in enumerate(value):
                out += named_arrays(item, f"{prefix}{field.name}.{k}.")
    return out


def _is_container_tuple(value: object) -> bool:
    """True for a non-empty tuple of containers (the layers of a stack)."""
    return isinstance(value, tuple) and bool(value) and all(is_container(v) for v in value)


def map_arrays(fn: Callable[..., np.ndarray], tree: T, *others: Any) -> T:
    """Apply ``fn`` leaf by leaf to ``tree`` and same-structured ``others``; keep other fields.

    The result has the type of ``tree``, its non-array fields (an activation name) included. It
    is built without running the container's ``__post_init__`` checks again: ``fn`` is
    elementwise arithmetic (an optimiser's update, a scaling), which keeps every shape and dtype
    the checks of ``tree`` already passed, and re-checking twelve arrays at every training step
    cost more than the update itself for small cells.
    """
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(tree):  # type: ignore[arg-type]
        value = getattr(tree, field.name)
        rest = [getattr(o, field.name) for o in others]
        if isinstance(value, np.ndarray):
            changes[field.name] = fn(value, *rest)
        elif is_container(value):
            changes[field.name] = map_arrays(fn, value, *rest)
        elif _is_container_tuple(value):
            changes[field.name] = tuple(map_arrays(fn, item, *(r[k] for r in rest))
                                        for k, item in enumerate(value))
    new = copy.copy(tree)  # a shallow copy: no __init__, so no __post_init__
    for name, value in changes.items():
        object.__setattr__(new, name, value)  # the containers are frozen dataclasses
    return new


def check_same_structure(tree: Any, other: Any, name: str, like: str) -> None:
    """Raise unless ``other`` has the type and leaf shapes of ``tree``."""
    check_container(other, name)
    if type(other) is not type(tree):
        raise TypeError(f"{name} must be a {type(tree).__name__} like {like}; "
                        f"got {type(other).__name__}")
    mine, theirs = named_arrays(tree), named_arrays(other)
    if [path for path, _ in mine] != [path for path, _ in theirs]:
        raise ValueError(f"{name} must hold the arrays of {like} ({len(mine)}); got "
                         f"{len(theirs)} with other names")
    for (path, a), (_, b) in zip(mine, theirs, strict=True):
        if a.shape != b.shape:
            raise ValueError(f"{name}.{path} must have the shape of {like}.{path}, {a.shape}; "
                             f"got {b.shape}")
