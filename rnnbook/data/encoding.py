"""Encoding symbols as vectors."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks


def one_hot(tokens: NDArray[np.integer[Any]], num_classes: int) -> NDArray[np.float64]:
    """One-hot vectors for integer tokens.

    Parameters
    ----------
    tokens : integer ndarray of any shape (...)
        Class indices in ``[0, num_classes)``.
    num_classes : int
        V, the length of each vector.

    Returns
    -------
    ndarray of shape (..., V), float64
        1 at each token's index, 0 elsewhere.

    Examples
    --------
    >>> one_hot(np.array([2, 0]), 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    V = _checks.positive_int(num_classes, "num_classes")
    tokens = np.asarray(tokens)
    if tokens.dtype.kind not in "iu":
        raise TypeError(f"tokens must be integer class indices; got dtype {tokens.dtype}")
    if tokens.size and (tokens.min() < 0 or tokens.max() >= V):
        bad = tokens.min() if tokens.min() < 0 else tokens.max()
        raise ValueError(f"tokens must lie in [0, num_classes) = [0, {V}); got {bad}")
    vectors: NDArray[np.float64] = np.eye(V)[tokens]  # (..., V)
    return vectors
