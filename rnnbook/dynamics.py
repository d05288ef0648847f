r"""How gradients travel through time: state Jacobians, their products and the bound.

The gradient that reaches :math:`h_{T-k}` from :math:`h_T` is multiplied by k state Jacobians
(Bengio, Simard & Frasconi 1994; Pascanu, Mikolov & Bengio 2013), equations
:eq:`eq-vanishing-product` and :eq:`eq-vanishing-jacobian`:

.. math::
    \frac{\partial h_T}{\partial h_{T-k}} = \prod_{t=T-k+1}^{T} J_t, \qquad
    J_t = \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(f'(a_t)) \, W_{hh},

so its norm is at most :math:`(\gamma \, \sigma_{\max}(W_{hh}))^k` with
:math:`\gamma = \sup |f'|` (:eq:`eq-vanishing-bound`): below 1 the gradient vanishes
exponentially in k. Above 1 it may explode, which gradient-norm clipping
(:func:`rnnbook.clipping.clip_by_norm`, :eq:`eq-vanishing-clip`) contains.

:func:`preactivations` exposes the :math:`a_t` whose size decides :math:`f'(a_t)`: a saturated
tanh unit (large :math:`|a_t|`) passes almost no gradient, whatever :math:`W_{hh}` is.

The smallest recurrent network, whose whole error surface can be drawn, is in
:mod:`rnnbook.single_unit`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks, activations, gru, lstm, rnn
from rnnbook.initializers import spectral_radius
from rnnbook.types import Array

__all__ = [
    "gradient_bound",
    "gradient_norms",
    "gru_gradient_norms",
    "lstm_gradient_norms",
    "preactivations",
    "spectral_radius",
    "state_jacobians",
]

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
        Entry ``t`` is :math:`J_{t+1} = \operatorname{diag}(f'(a_{t+1})) W_{hh}`, equation
        :eq:`eq-vanishing-jacobian`.

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
    :math:`\partial h_T / \partial h_{T-k} = J_T J_{T-1} \cdots J_{T-k+1}`, equation
    :eq:`eq-vanishing-product`, with the Jacobians of :func:`state_jacobians`.
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
    Equation :eq:`eq-vanishing-bound`: each Jacobian
    :math:`J_t = \operatorname{diag}(f'(a_t)) W_{hh}` has
    :math:`\|J_t\|_2 \le \gamma \, \sigma_{\max}(W_{hh})`, and norms are submultiplicative.
    A linear network with :math:`W_{hh} = \rho Q`, Q orthogonal, meets it exactly
    (:eq:`eq-vanishing-linear`).

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
        Entry ``t`` is :math:`a_{t+1}`, the argument of f in the state update
        :eq:`eq-state-update`, so that ``f(a)`` gives the states of :func:`rnnbook.rnn.forward`.

    Notes
    -----
    The state Jacobian :math:`J_t = \operatorname{diag}(f'(a_t)) W_{hh}`
    (:eq:`eq-vanishing-jacobian`) scales row i by
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


# --- Gated cells (Part II): the same measurement through lstm and gru ------------------------

def lstm_gradient_norms(params: lstm.Params, xs: Array, h0: Array | None = None,
                        c0: Array | None = None) -> tuple[Array, Array]:
    r"""The norms :math:`\|\partial c_T/\partial c_{T-k}\|_2` and
    :math:`\|\partial h_T/\partial h_{T-k}\|_2` of an LSTM, for :math:`k = 0, \dots, T-1`.

    Parameters
    ----------
    params : lstm.Params
    xs : ndarray of shape (T, 1, D)
        One input sequence.
    h0, c0 : ndarray of shape (1, H), optional

    Returns
    -------
    c_norms, h_norms : ndarray of shape (T,)
        As :func:`gradient_norms`: entry 0 is 1, the products rescaled as they grow.

    Notes
    -----
    The state is the pair :math:`s_t = (h_t, c_t)`, whose Jacobian has four blocks, with
    :math:`i_t' = i_t (1 - i_t)` (likewise :math:`f_t'`, :math:`o_t'`),
    :math:`g_t' = 1 - g_t^2` and :math:`\tanh' c_t = 1 - \tanh^2 c_t`:

    .. math::
        \frac{\partial c_t}{\partial c_{t-1}} &= \operatorname{diag}(f_t), \qquad
        \frac{\partial h_t}{\partial c_{t-1}} = \operatorname{diag}(o_t \odot \tanh' c_t
        \odot f_t), \\
        \frac{\partial c_t}{\partial h_{t-1}} &= \operatorname{diag}(c_{t-1} \odot f_t') W_{hf}
        + \operatorname{diag}(g_t \odot i_t') W_{hi} \\
        &\quad + \operatorname{diag}(i_t \odot g_t') W_{hg}, \\
        \frac{\partial h_t}{\partial h_{t-1}} &= \operatorname{diag}(\tanh c_t \odot o_t') W_{ho}
        + \operatorname{diag}(o_t \odot \tanh' c_t) \frac{\partial c_t}{\partial h_{t-1}}.

    The norms are those of the (c, c) and (h, h) blocks of the product of k such Jacobians:
    each state perturbed with the other held. Along the cell state alone, the product is
    :math:`\prod_t \operatorname{diag}(f_t)`, with no weight matrix.
    """
    _, cache = lstm.forward(params, xs, h0, c0)
    _require_one_sequence(cache.xs)
    i, f, g, o = (a[:, 0, :, None] for a in (cache.i, cache.f, cache.g, cache.o))  # (T, H, 1)
    c_prev, tanh_c = cache.cells[:-1, 0, :, None], np.tanh(cache.cells[1:, 0, :, None])
    p = params
    dc_dh = c_prev * f * (1 - f) * p.W_hf + g * i * (1 - i) * p.W_hi + i * (1 - g**2) * p.W_hg
    dh_dh = tanh_c * o * (1 - o) * p.W_ho + o * (1 - tanh_c**2) * dc_dh           # (T, H, H)
    eye = np.eye(p.hidden_size)
    J = np.block([[dh_dh, o * (1 - tanh_c**2) * f * eye], [dc_dh, f * eye]])    # (T, 2H, 2H)
    H = p.hidden_size
    return _block_norms(J, slice(H, None)), _block_norms(J, slice(0, H))


def gru_gradient_norms(params: gru.Params, xs: Array, h0: Array | None = None) -> Array:
    r"""The norms :math:`\|\partial h_T/\partial h_{T-k}\|_2` of a GRU, :math:`k = 0, \dots, T-1`.

    Parameters
    ----------
    params : gru.Params
        With either placement of the reset gate.
    xs : ndarray of shape (T, 1, D)
        One input sequence.
    h0 : ndarray of shape (1, H), optional

    Returns
    -------
    ndarray of shape (T,)
        As :func:`gradient_norms`.

    Notes
    -----
    With :math:`u_t = W_{hn} h_{t-1} + b_{hn}`, :math:`r_t' = r_t (1 - r_t)` (likewise
    :math:`z_t'`) and :math:`n_t' = 1 - n_t^2`,

    .. math::
        \frac{\partial h_t}{\partial h_{t-1}} &= \operatorname{diag}(z_t)
        + \operatorname{diag}((h_{t-1} - n_t) \odot z_t') W_{hz}
        + \operatorname{diag}((1 - z_t) \odot n_t') \, R_t, \\
        R_t &= \operatorname{diag}(u_t \odot r_t') W_{hr} + \operatorname{diag}(r_t) W_{hn}
        \quad \text{(PyTorch's placement)}, \\
        R_t &= W_{hn} \bigl(\operatorname{diag}(r_t) + \operatorname{diag}(h_{t-1} \odot r_t')
        W_{hr}\bigr) \quad \text{(Cho's)}.

    The first term is the direct path: where :math:`z_t \approx 1`, the gradient passes
    unchanged.
    """
    _, cache = gru.forward(params, xs, h0)
    _require_one_sequence(cache.xs)
    r, z, n = (a[:, 0, :, None] for a in (cache.r, cache.z, cache.n))         # (T, H, 1)
    h_prev = cache.states[:-1, 0, :, None]                                     # (T, H, 1)
    p = params
    if p.reset == "pytorch":
        u = h_prev[..., 0] @ p.W_hn.T + p.b_hn                                 # (T, H)
        dpre_dh = u[..., None] * r * (1 - r) * p.W_hr + r * p.W_hn             # (T, H, H)
    else:
        dpre_dh = p.W_hn @ (r * np.eye(p.hidden_size) + h_prev * r * (1 - r) * p.W_hr)
    J = (z * np.eye(p.hidden_size) + (h_prev - n) * z * (1 - z) * p.W_hz
         + (1 - z) * (1 - n**2) * dpre_dh)                                     # (T, H, H)
    return _block_norms(J, slice(None))


def _require_one_sequence(xs: Array) -> None:
    if xs.shape[1] != 1:
        raise ValueError(f"xs must hold a batch of one, shape (T, 1, D); got shape "
                         f"{_checks.shape_str(xs.shape)} (slice it: xs[:, :1])")


def _block_norms(J: Array, block: slice) -> Array:
    """‖(J_T ⋯ J_{T-k+1})[block, block]‖₂ for k = 0..T-1, rescaling the product by its norm."""
    T = len(J)
    log_norms = np.zeros(T)
    P = np.eye(J.shape[1])                         # the product so far, rescaled
    log_scale = 0.0
    for k in range(1, T):
        P = P @ J[T - k]
        n = np.linalg.norm(P, 2)
        if n == 0.0:
            log_norms[k:] = -np.inf
            break
        with np.errstate(divide="ignore"):         # a zero block: norm 0, log -inf
            log_norms[k] = log_scale + np.log(np.linalg.norm(P[block, block], 2))
        P /= n
        log_scale += np.log(n)
    with np.errstate(over="ignore"):
        return np.exp(log_norms)
