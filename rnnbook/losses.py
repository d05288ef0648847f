r"""Losses, each returning the loss and its gradient with respect to the prediction.

- :func:`mse`: mean squared error, for regression outputs.
- :func:`softmax_cross_entropy`: the negative log-likelihood of integer targets under a softmax,
  for classification and language modelling, computed through :func:`log_softmax` so that logits
  of any finite magnitude (1e4 and beyond) give finite, exact results.

Both average over every position, like PyTorch's default ``reduction="mean"``, so a loss is
comparable across batch sizes and sequence lengths.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks
from rnnbook.types import Array


def logsumexp(z: Array, axis: int = -1) -> Array:
    r""":math:`\log \sum_j e^{z_j}` along ``axis``, without overflow.

    Uses :math:`\log \sum_j e^{z_j} = m + \log \sum_j e^{z_j - m}` with :math:`m = \max_j z_j`, so
    every exponent is :math:`\le 0`.

    Parameters
    ----------
    z : ndarray of shape (..., V)
    axis : int, default -1

    Returns
    -------
    ndarray of the shape of ``z`` without ``axis``

    Examples
    --------
    >>> logsumexp(np.array([1e4, 1e4]))  # 1e4 + log 2
    np.float64(10000.69314718056)
    """
    m = np.max(z, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
    lse: Array = np.squeeze(out, axis=axis)[()]  # [()]: a numpy scalar, not 0-d, for 1-d z
    return lse


def log_softmax(z: Array, axis: int = -1) -> Array:
    r""":math:`\log \operatorname{softmax}(z)_i = z_i - \log \sum_j e^{z_j}`, stably.

    Parameters
    ----------
    z : ndarray of shape (..., V)
    axis : int, default -1

    Returns
    -------
    ndarray of the shape of ``z``
    """
    return z - np.expand_dims(logsumexp(z, axis=axis), axis)


def softmax(z: Array, axis: int = -1) -> Array:
    r""":math:`\operatorname{softmax}(z)_i = e^{z_i} / \sum_j e^{z_j}`, stably.

    Parameters
    ----------
    z : ndarray of shape (..., V)
    axis : int, default -1

    Returns
    -------
    ndarray of the shape of ``z``, non-negative, summing to 1 along ``axis``

    Examples
    --------
    >>> softmax(np.array([0.0, 1e4]))
    array([0., 1.])
    """
    return np.exp(log_softmax(z, axis=axis))


def mse(y_pred: Array, y_true: Array) -> tuple[float, Array]:
    r"""Mean squared error and its gradient: the mean of the per-position losses :eq:`eq-bptt-loss`.

    Parameters
    ----------
    y_pred : ndarray of any shape (..., K)
        Predictions :math:`\hat y`.
    y_true : ndarray of the shape of ``y_pred``
        Targets :math:`y`.

    Returns
    -------
    loss : float
        :math:`L = \frac{1}{N} \sum_i (\hat y_i - y_i)^2` over all N entries.
    dy_pred : ndarray of the shape of ``y_pred``
        :math:`\partial L / \partial \hat y = \frac{2}{N} (\hat y - y)`.

    Examples
    --------
    >>> loss, grad = mse(np.array([1.0, 3.0]), np.array([1.0, 1.0]))
    >>> loss, grad
    (2.0, array([0., 2.]))
    """
    y_pred = _checks.float_array(y_pred, "y_pred", ndim=None, min_ndim=1, layout="(..., K)")
    y_true = _checks.float_array(y_true, "y_true", ndim=None, min_ndim=1, layout="(..., K)")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true must have the shape of y_pred, {_checks.shape_str(y_pred.shape)}; "
            f"got {_checks.shape_str(y_true.shape)}"
        )
    diff = y_pred - y_true                     # (..., K)
    return float(np.mean(diff * diff)), (2.0 / diff.size) * diff


def softmax_cross_entropy(logits: Array, targets: NDArray[np.integer[Any]]) -> tuple[float, Array]:
    r"""Mean cross-entropy of integer class targets under a softmax, and its gradient.

    Over the T steps and B sequences of a batch this is :eq:`eq-patterns-sequence-loss`, the
    mean of the per-step losses :eq:`eq-bptt-loss`.

    Parameters
    ----------
    logits : ndarray of shape (..., V)
        Unnormalised scores :math:`z` over V classes, any finite magnitude.
    targets : integer ndarray of shape (...)
        The correct class :math:`y` at every position, in ``[0, V)``.

    Returns
    -------
    loss : float
        :math:`L = -\frac{1}{N} \sum_n \log \operatorname{softmax}(z_n)_{y_n}` over the N
        positions.
    dlogits : ndarray of shape (..., V)
        The gradient with respect to the logits:

        .. math:: \partial L / \partial z_n
           = \frac{1}{N} (\operatorname{softmax}(z_n) - \operatorname{onehot}(y_n)).

    Examples
    --------
    >>> loss, grad = softmax_cross_entropy(np.array([[1e4, 0.0]]), np.array([1]))
    >>> loss
    10000.0
    >>> grad
    array([[ 1., -1.]])
    """
    logits = _checks.float_array(logits, "logits", ndim=None, min_ndim=1, layout="(..., V)")
    targets = np.asarray(targets)
    if targets.dtype.kind not in "iu":
        raise TypeError(f"targets must be integer class indices; got dtype {targets.dtype}")
    if targets.shape != logits.shape[:-1]:
        raise ValueError(
            f"targets must have shape (...) = {_checks.shape_str(logits.shape[:-1])}, the shape "
            f"of logits without its last axis; got {_checks.shape_str(targets.shape)}"
        )
    V = logits.shape[-1]
    if targets.min() < 0 or targets.max() >= V:
        bad = targets.min() if targets.min() < 0 else targets.max()
        raise ValueError(f"targets must lie in [0, V) = [0, {V}); got {bad}")
    idx = targets[..., None]                                          # (..., 1)
    logp = log_softmax(logits)                                        # (..., V)
    picked = np.take_along_axis(logp, idx, axis=-1)                   # (..., 1): log p(y_n)
    dlogits = np.exp(logp)                                            # (..., V): softmax(z_n)
    np.put_along_axis(dlogits, idx, np.take_along_axis(dlogits, idx, axis=-1) - 1.0, axis=-1)
    N = targets.size
    return float(-picked.sum() / N), dlogits / N
