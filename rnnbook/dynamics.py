r"""How gradients travel through time: state Jacobians, their products, the bound, and clipping.

The gradient that reaches :math:`h_{T-k}` from :math:`h_T` is multiplied by k state Jacobians
(Bengio, Simard & Frasconi 1994; Pascanu, Mikolov & Bengio 2013):

.. math::
    \frac{\partial h_T}{\partial h_{T-k}} = \prod_{t=T-k+1}^{T} J_t, \qquad
    J_t = \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(f'(a_t)) \, W_{hh},

so its norm is at most :math:`(\gamma \, \sigma_{\max}(W_{hh}))^k` with
:math:`\gamma = \sup |f'|`: below 1 the gradient vanishes exponentially in k. Above 1 it may
explode, which gradient-norm clipping (:func:`clip_by_norm`) contains.

:func:`preactivations` exposes the :math:`a_t` whose size decides :math:`f'(a_t)`: a saturated
tanh unit (large :math:`|a_t|`) passes almost no gradient, whatever :math:`W_{hh}` is.

The smallest recurrent network, whose whole error surface can be drawn, is in
:mod:`rnnbook.single_unit`.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks, _tree, activations, rnn
from rnnbook.initializers import spectral_radius
from rnnbook.types import Array

__all__ = [
    "clip_by_norm",
    "global_norm",
    "gradient_bound",
    "gradient_norms",
    "preactivations",
    "spectral_radius",
    "state_jacobians",
]

P = TypeVar("P")


def _single_sequence(params: rnn.Params, xs: Array, h0: Array | None) -> rnn.Cache:
    _, cache = rnn.forward(params, xs, h0)
    if cache.xs.shape[1] != 1:
        raise ValueError(
            f"xs must hold a batch of one, shape (T, 1, D); got shape "
            f"{_checks.shape_str(cache.xs.shape)} (slice it: xs[:, :1])"
        )
    return cache


def state_jacobians(params: rnn.Params, xs: Array, h0: Array | None = None) -> Array:
    r"""The Jacobians :math:`J_t = \partial h_t / \partial h_{t-1}` along one sequence.

    Parameters
    ----------
    params : rnn.Params
    xs : ndarray of shape (T, 1, D)
        One input sequence (a batch of one).
    h0 : ndarray of shape (1, H), optional
        Initial state; zeros if omitted.

    Returns
    -------
    ndarray of shape (T, H, H)
        Entry ``t`` is :math:`J_{t+1} = \operatorname{diag}(f'(a_{t+1})) W_{hh}`.

    Examples
    --------
    >>> p = rnn.init(2, 3, seed=0, activation="identity")
    >>> bool(np.allclose(state_jacobians(p, np.ones((4, 1, 2)))[0], p.W_hh))
    True
    """
    cache = _single_sequence(params, xs, h0)
    fprime = activations.get(params.activation).df_from_output(cache.states[1:, 0])  # (T, H)
    return fprime[:, :, None] * params.W_hh                                           # (T, H, H)


def gradient_norms(params: rnn.Params, xs: Array, h0: Array | None = None) -> Array:
    r"""The norms :math:`\|\partial h_T / \partial h_{T-k}\|_2` for :math:`k = 0, \dots, T-1`.

    Parameters
    ----------
    params : rnn.Params
    xs : ndarray of shape (T, 1, D)
        One input sequence.
    h0 : ndarray of shape (1, H), optional

    Returns
    -------
    ndarray of shape (T,)
        Entry k is the spectral norm (largest singular value) of the product of the last k
        Jacobians; entry 0 is 1. Norms beyond the float64 range are ``inf`` or 0.

    Notes
    -----
    The product is accumulated from the right, :math:`P_k = P_{k-1} J_{T-k+1}`, and rescaled to
    norm 1 after every step, its logarithm kept apart, so that no intermediate overflows.

    Examples
    --------
    >>> p = rnn.init(1, 1, seed=0, activation="identity")
    >>> p = rnn.Params(p.W_xh, np.array([[0.5]]), p.b_h, "identity")
    >>> gradient_norms(p, np.zeros((4, 1, 1)))
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    J = state_jacobians(params, xs, h0)            # (T, H, H)
    T = len(J)
    log_norms = np.zeros(T)                        # log ‖∂h_T/∂h_{T-k}‖
    P = np.eye(J.shape[1])                         # (H, H): the product so far, rescaled
    log_scale = 0.0
    for k in range(1, T):
        P = P @ J[T - k]                           # (H, H): ... J_{T-k+1}
        n = np.linalg.norm(P, 2)
        if n == 0.0:                               # every unit saturated or dead: no gradient
            log_norms[k:] = -np.inf
            break
        log_norms[k] = log_scale + np.log(n)
        P /= n
        log_scale = log_norms[k]
    with np.errstate(over="ignore"):
        return np.exp(log_norms)


def gradient_bound(params: rnn.Params, k: int | NDArray[np.integer[Any]]) -> Array:
    r"""The upper bound :math:`(\gamma \, \sigma_{\max}(W_{hh}))^k` on
    :math:`\|\partial h_T / \partial h_{T-k}\|_2`.

    Parameters
    ----------
    params : rnn.Params
        Supplies :math:`W_{hh}` and, through the activation, :math:`\gamma`.
    k : int or integer ndarray
        Number of steps back, >= 0.

    Returns
    -------
    ndarray of the shape of ``k`` (0-d for an int)

    Notes
    -----
    Each Jacobian :math:`J_t = \operatorname{diag}(f'(a_t)) W_{hh}` has
    :math:`\|J_t\|_2 \le \gamma \, \sigma_{\max}(W_{hh})`, and norms are submultiplicative.

    Examples
    --------
    >>> p = rnn.Params(np.ones((1, 1)), np.array([[2.0]]), np.zeros(1), "sigmoid")
    >>> gradient_bound(p, np.arange(3))  # γ = 1/4, σ = 2
    array([1.  , 0.5 , 0.25])
    """
    _checks.instance(params, "params", rnn.Params, "an rnn.Params")
    ks = np.asarray(k)
    if ks.dtype.kind not in "iu" or (ks < 0).any():
        raise ValueError(f"k must be a non-negative integer or array of them; got {k!r}")
    base = activations.get(params.activation).gamma * np.linalg.norm(params.W_hh, 2)
    with np.errstate(over="ignore"):
        return np.asarray(np.power(base, ks.astype(np.float64)))


def global_norm(grads: Any) -> float:
    r"""The Euclidean norm of all the gradients together, :math:`\sqrt{\sum_i \|g_i\|^2}`.

    Parameters
    ----------
    grads : parameter container, such as the :class:`rnnbook.rnn.Params` from ``backward``

    Returns
    -------
    float
    """
    _tree.check_container(grads, "grads")
    return float(np.sqrt(sum(np.sum(g * g) for _, g in _tree.named_arrays(grads))))


def clip_by_norm(grads: P, max_norm: float) -> tuple[P, float]:
    r"""Gradient-norm clipping (Pascanu, Mikolov & Bengio 2013): rescale when the norm is too big.

    Parameters
    ----------
    grads : parameter container, such as :class:`rnnbook.rnn.Params`
    max_norm : float
        The threshold :math:`c > 0`.

    Returns
    -------
    clipped : container of the type of ``grads``
        :math:`g \cdot c / \|g\|` if :math:`\|g\| > c`, else ``grads`` unchanged.
    norm : float
        :math:`\|g\|` before clipping (:func:`global_norm`), to record and plot.

    Notes
    -----
    Clipping keeps the direction of the gradient and bounds the length of a step, so one
    exploding gradient cannot throw the parameters across the error surface.

    Examples
    --------
    >>> g = rnn.Params(np.array([[3.0]]), np.array([[4.0]]), np.zeros(1))
    >>> clipped, norm = clip_by_norm(g, max_norm=1.0)
    >>> norm, clipped.W_xh, clipped.W_hh
    (5.0, array([[0.6]]), array([[0.8]]))
    """
    c = _checks.positive_float(max_norm, "max_norm")
    norm = global_norm(grads)
    if norm <= c:
        return grads, norm
    return _tree.map_arrays(lambda g: g * (c / norm), grads), norm


def preactivations(params: rnn.Params, xs: Array, h0: Array | None = None) -> Array:
    r"""The pre-activations :math:`a_t = W_{xh} x_t + W_{hh} h_{t-1} + b_h` along the chain.

    Parameters
    ----------
    params : rnn.Params
    xs : ndarray of shape (T, B, D)
    h0 : ndarray of shape (B, H), optional
        Initial state; zeros if omitted.

    Returns
    -------
    ndarray of shape (T, B, H)
        Entry ``t`` is :math:`a_{t+1}`, so that ``f(a)`` gives the states of
        :func:`rnnbook.rnn.forward`.

    Notes
    -----
    The state Jacobian :math:`J_t = \operatorname{diag}(f'(a_t)) W_{hh}` scales row i by
    :math:`f'(a_{t,i})`; for tanh, :math:`f'(a) = 1 - \tanh^2 a < 4 e^{-2|a|}`, so a unit with a
    large :math:`|a_{t,i}|` (a *saturated* unit) passes almost no gradient.

    Examples
    --------
    >>> p = rnn.Params(np.array([[2.0]]), np.array([[0.5]]), np.array([1.0]), "identity")
    >>> preactivations(p, np.ones((3, 1, 1)))[:, 0, 0]   # a_t = 2 + 0.5 h_{t-1} + 1
    array([3.  , 4.5 , 5.25])
    """
    _, cache = rnn.forward(params, xs, h0)
    a: Array = cache.xs @ params.W_xh.T + cache.states[:-1] @ params.W_hh.T + params.b_h  # (T,B,H)
    return a
