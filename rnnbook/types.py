"""The types every module of rnnbook shares, and the one way a seed becomes a generator.

- :data:`Array`: a numpy array of floating-point numbers. Shapes are not part of the type; the
  docstrings give them in the book's letters (T time steps, B batch, D input features, H hidden
  units, V vocabulary), and the tests hold them to it.
- :data:`Seed`: where randomness comes from. Every function that draws random numbers takes
  ``seed: Seed`` and passes it through :func:`as_generator`; nothing in rnnbook uses numpy's
  global random state.

One convention for "a single sequence": a batch of one, ``xs`` of shape (T, 1, D), so that the
same arrays go to :func:`rnnbook.rnn.forward` and to the functions that study one sequence
(:func:`rnnbook.dynamics.gradient_norms`, ...).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.floating[Any]]
"""A numpy array of floats (float64 by default; float32 where a caller asks for it)."""

Seed = int | np.random.Generator | None
"""An int (a new generator seeded with it), a ``numpy.random.Generator`` (used as is, so
successive calls draw successive numbers) or ``None`` (fresh entropy from the operating system)."""


def as_generator(seed: object) -> np.random.Generator:
    """Turn ``seed`` into a ``numpy.random.Generator``.

    Parameters
    ----------
    seed : int, numpy.random.Generator or None
        An int >= 0 seeds a new generator; a generator is returned as is (so successive calls
        draw successive numbers); ``None`` seeds from the operating system.

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    TypeError
        If ``seed`` is none of the above (a bool is refused: it is surely a mistake).
    ValueError
        If ``seed`` is a negative integer.

    Examples
    --------
    >>> bool(as_generator(0).integers(10) == as_generator(0).integers(10))
    True
    >>> g = np.random.default_rng(1)
    >>> as_generator(g) is g
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool):  # an Integral, but surely a mistake
        raise TypeError(f"seed must be None, a non-negative int or a numpy.random.Generator; "
                        f"got {seed!r}")
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, numbers.Integral):  # int, numpy.int64, ...
        if int(seed) < 0:
            raise ValueError(f"seed must be a non-negative integer; got {seed}")
        return np.random.default_rng(int(seed))
    raise TypeError(
        f"seed must be None, a non-negative int or a numpy.random.Generator; "
        f"got {seed!r} of type {type(seed).__name__}"
    )
