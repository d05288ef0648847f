"""Smoothing a training record: the mean over a sliding window of steps.

The loss of one training batch jumps from step to step with the batch drawn; the mean over the
last few steps shows the trend that a learning curve is drawn to show. The record itself
(:class:`rnnbook.train.History`) keeps the raw values.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rnnbook import _checks
from rnnbook.types import Array

__all__ = ["moving_average"]


def moving_average(values: ArrayLike, window: int) -> tuple[NDArray[np.int64], Array]:
    r"""The mean of ``values`` over a sliding window, and the step at the end of each window.

    Parameters
    ----------
    values : ndarray of shape (steps,)
        One value per training step, such as ``history.loss``.
    window : int
        The number of steps averaged, >= 1; at most ``steps`` are used.

    Returns
    -------
    steps : integer ndarray of shape (steps - k + 1,)
        The step at the end of each window, counting from 1, with k = min(window, steps).
    means : ndarray of shape (steps - k + 1,)
        :math:`\bar v_s = \frac{1}{k} \sum_{j=s-k+1}^{s} v_j`.

    Examples
    --------
    >>> moving_average([1.0, 2.0, 3.0, 6.0], window=2)
    (array([2, 3, 4]), array([1.5, 2.5, 4.5]))
    """
    v = _checks.float_array(values, "values", ndim=1, layout="(steps,)")
    w = _checks.positive_int(window, "window")
    k = min(w, len(v))
    means: Array = np.convolve(v, np.ones(k) / k, mode="valid")
    return np.arange(k, len(v) + 1), means
