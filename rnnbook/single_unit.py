r"""Pascanu, Mikolov & Bengio's single-unit network: the smallest recurrent net, and its wall.

.. math:: x_t = w\,\sigma(x_{t-1}) + b, \qquad L(w, b) = (x_T - y)^2

With one unit and no input, the whole error surface is a function of two numbers and can be
drawn on a grid: :func:`states` runs the network for a whole grid of :math:`(w, b)` at once,
:func:`loss` and :func:`surface` give :math:`L`, :func:`grads` its gradient by backpropagation
through time. Past a bifurcation the surface has a steep "wall" where the gradient explodes
(Pascanu et al. 2013, figure 6), the picture behind gradient-norm clipping.
"""

from __future__ import annotations

import numpy as np

from rnnbook import _checks, activations
from rnnbook.types import Array


def _args(w: object, b: object, x0: object,
          T: object) -> tuple[Array, Array, float, int]:
    w_arr, b_arr = (_checks.float_array(v, name, ndim=None, layout="of any shape")
                    for v, name in ((w, "w"), (b, "b")))
    try:
        w_arr, b_arr = np.broadcast_arrays(w_arr, b_arr)
    except ValueError:
        raise ValueError(f"w and b must broadcast to one shape; got shapes "
                         f"{_checks.shape_str(w_arr.shape)} and "
                         f"{_checks.shape_str(b_arr.shape)}") from None
    return w_arr, b_arr, _checks.finite_float(x0, "x0"), _checks.positive_int(T, "T")


def states(w: float | Array, b: float | Array, *, x0: float = 0.5,
           T: int = 20) -> Array:
    r"""The trajectory of the single-unit network :eq:`eq-vanishing-single-unit`.

    Parameters
    ----------
    w, b : float or ndarray
        The recurrent weight and the bias; arrays broadcast together, so one call runs the
        network for a whole grid of :math:`(w, b)`.
    x0 : float, default 0.5
        The initial state :math:`x_0`.
    T : int, default 20
        Number of steps, >= 1.

    Returns
    -------
    ndarray of shape (T + 1, \*S)
        :math:`x_0, x_1, \dots, x_T`, with S the broadcast shape of ``w`` and ``b``.

    Notes
    -----
    :math:`\sigma` is the logistic sigmoid (:func:`rnnbook.activations.sigmoid`). The network
    has no input: its whole behaviour is set by :math:`(w, b)` and :math:`x_0`. For
    :math:`w > 4` and a range of :math:`b` it has two stable fixed points, and which one
    :math:`x_t` settles in can change abruptly with :math:`(w, b)` (a bifurcation).

    Examples
    --------
    >>> states(2.0, -1.0, x0=0.0, T=2)   # x1 = 2 σ(0) - 1 = 0, x2 = 0
    array([0., 0., 0.])
    """
    return _states(*_args(w, b, x0, T))


def _states(w: Array, b: Array, x0: float, T: int) -> Array:
    """:func:`states` for checked arguments, ``w`` and ``b`` already broadcast to S."""
    xs = np.empty((T + 1, *w.shape))                           # (T + 1, *S)
    xs[0] = x0
    for t in range(1, T + 1):
        xs[t] = w * activations.sigmoid(xs[t - 1]) + b        # (*S)
    return xs


def loss(w: float | Array, b: float | Array, *, x0: float = 0.5, T: int = 20,
         target: float = 2.0) -> Array:
    r"""The loss :math:`L(w, b) = (x_T - y)^2` :eq:`eq-vanishing-single-unit`, for a target y.

    Parameters
    ----------
    w, b : float or ndarray
        Broadcast together (see :func:`states`).
    x0 : float, default 0.5
    T : int, default 20
    target : float, default 2.0
        The target :math:`y` for the last state.

    Returns
    -------
    ndarray of the broadcast shape of ``w`` and ``b`` (0-d for two floats)

    Examples
    --------
    >>> float(loss(0.0, 1.0, T=3, target=0.0))   # w = 0: x_T = b = 1
    1.0
    """
    y = _checks.finite_float(target, "target")
    x_T = states(w, b, x0=x0, T=T)[-1]
    return np.asarray((x_T - y) ** 2)


def grads(w: float | Array, b: float | Array, *, x0: float = 0.5, T: int = 20,
          target: float = 2.0) -> tuple[Array, Array, Array]:
    r"""The loss of the single-unit network and its gradient, by backpropagation through time.

    Parameters
    ----------
    w, b : float or ndarray
        Broadcast together (see :func:`states`).
    x0 : float, default 0.5
    T : int, default 20
    target : float, default 2.0

    Returns
    -------
    loss, dL_dw, dL_db : ndarray of the broadcast shape of ``w`` and ``b``
        Gradients beyond the float64 range are returned as ``inf``.

    Notes
    -----
    With :math:`g_t = \partial L / \partial x_t`, starting from :math:`g_T = 2 (x_T - y)`,

    .. math::
        \frac{\partial L}{\partial w} = \sum_{t=1}^{T} g_t \, \sigma(x_{t-1}), \qquad
        \frac{\partial L}{\partial b} = \sum_{t=1}^{T} g_t, \qquad
        g_{t-1} = g_t \, w \, \sigma'(x_{t-1}),

    so the gradient carries the product :math:`\prod_t w\,\sigma'(x_{t-1})`: the one-unit form
    of the product of state Jacobians. Where :math:`x_0` is a fixed point (on the wall),
    :math:`\partial L/\partial b` is the closed form :eq:`eq-vanishing-wall-gradient`.

    Examples
    --------
    >>> loss, dw, db = grads(0.0, 1.0, T=3, target=0.0)   # x_t = b for t >= 1
    >>> float(loss), float(db)                                       # dL/db = 2 (x_T - y)
    (1.0, 2.0)
    """
    y = _checks.finite_float(target, "target")
    w_arr, b_arr, x_0, T = _args(w, b, x0, T)
    xs = _states(w_arr, b_arr, x_0, T)                         # (T + 1, *S)
    g = 2.0 * (xs[-1] - y)                                     # (*S): dL/dx_T
    dw = np.zeros(xs.shape[1:])
    db = np.zeros(xs.shape[1:])
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(T, 0, -1):
            s = activations.sigmoid(xs[t - 1])                 # (*S): σ(x_{t-1})
            dw += g * s
            db += g
            g = g * w_arr * s * (1.0 - s)                      # (*S): dL/dx_{t-1}
    return np.asarray((xs[-1] - y) ** 2), dw, db


def surface(ws: Array, bs: Array, *, x0: float = 0.5, T: int = 20,
            target: float = 2.0) -> Array:
    r"""The error surface :math:`L(w, b)` :eq:`eq-vanishing-single-unit` on a grid.

    Parameters
    ----------
    ws : ndarray of shape (M,)
        Values of :math:`w` (the columns of the grid).
    bs : ndarray of shape (N,)
        Values of :math:`b` (the rows).
    x0, T, target
        As in :func:`loss`.

    Returns
    -------
    ndarray of shape (N, M)
        Entry ``[i, j]`` is :math:`L(w_j, b_i)`, ready for ``pcolormesh(ws, bs, surface)``.

    Examples
    --------
    >>> surface(np.array([0.0, 1.0]), np.array([1.0, 2.0, 3.0]), T=1,
    ...                     target=0.0).shape
    (3, 2)
    """
    w = _checks.float_array(ws, "ws", ndim=1, layout="(M,)")
    b = _checks.float_array(bs, "bs", ndim=1, layout="(N,)")
    return loss(w[None, :], b[:, None], x0=x0, T=T, target=target)
