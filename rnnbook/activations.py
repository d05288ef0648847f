r"""Activation functions of the recurrent state update, their derivatives and the bound γ.

The state update :math:`h_t = f(a_t)` applies an elementwise nonlinearity :math:`f` to the
pre-activation :math:`a_t`. Backpropagation needs :math:`f'(a_t)`, and for the four functions here
it can be written from the *output* :math:`h_t = f(a_t)` alone, so the backward pass never stores
:math:`a_t`:

=========== ================================== ========================== ===================
name        :math:`f(a)`                       :math:`f'` from :math:`h`  :math:`\gamma`
=========== ================================== ========================== ===================
tanh        :math:`\tanh a`                    :math:`1 - h^2`            1
sigmoid     :math:`1 / (1 + e^{-a})`           :math:`h (1 - h)`          1/4
relu        :math:`\max(0, a)`                 :math:`[h > 0]`            1
identity    :math:`a`                          :math:`1`                  1
=========== ================================== ========================== ===================

:math:`\gamma = \sup_a |f'(a)|` enters the bound on gradient norms through time (Pascanu, Mikolov
& Bengio 2013), :func:`rnnbook.dynamics.gradient_bound`. The ReLU's derivative at 0 is taken as 0,
as PyTorch does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rnnbook import _checks
from rnnbook.types import Array

NAMES: tuple[str, ...] = ("tanh", "sigmoid", "relu", "identity")
"""The activations a recurrent cell can use, in the order the book introduces them."""


def tanh(a: Array) -> Array:
    r"""Hyperbolic tangent, :math:`f(a) = \tanh a`, with range :math:`(-1, 1)`.

    Parameters
    ----------
    a : ndarray of any shape
        Pre-activations.

    Returns
    -------
    ndarray of the shape of ``a``

    Examples
    --------
    >>> tanh(np.array([0.0, 1e4]))
    array([0., 1.])
    """
    return np.tanh(a)


def sigmoid(a: Array) -> Array:
    r"""Logistic sigmoid, :math:`f(a) = 1 / (1 + e^{-a})`, with range :math:`(0, 1)`.

    Computed without overflow for any finite :math:`a`: with :math:`e = e^{-|a|} \le 1`,
    :math:`f(a) = 1/(1+e)` for :math:`a \ge 0` and :math:`e/(1+e)` otherwise.

    Parameters
    ----------
    a : ndarray of any shape
        Pre-activations.

    Returns
    -------
    ndarray of the shape of ``a``

    Examples
    --------
    >>> sigmoid(np.array([-1e4, 0.0, 1e4]))
    array([0. , 0.5, 1. ])
    """
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0, e) / (1.0 + e)


def relu(a: Array) -> Array:
    r"""Rectified linear unit, :math:`f(a) = \max(0, a)`, with range :math:`[0, \infty)`.

    Parameters
    ----------
    a : ndarray of any shape
        Pre-activations.

    Returns
    -------
    ndarray of the shape of ``a``

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    return np.maximum(a, 0.0)


def identity(a: Array) -> Array:
    r"""The identity, :math:`f(a) = a`: a *linear* recurrent network.

    Parameters
    ----------
    a : ndarray of any shape
        Pre-activations.

    Returns
    -------
    ndarray of the shape of ``a`` (a copy)
    """
    return np.array(a, copy=True)


@dataclass(frozen=True)
class Activation:
    r"""An activation :math:`f`, its derivative and the bound :math:`\gamma = \sup |f'|`.

    Attributes
    ----------
    name : str
        One of :data:`NAMES`.
    f : callable
        :math:`a \mapsto f(a)`, elementwise.
    df : callable
        :math:`a \mapsto f'(a)`, elementwise, from the pre-activation.
    df_from_output : callable
        :math:`h \mapsto f'(f^{-1}(h))`: the same derivative written from the output
        :math:`h = f(a)`, which is what :func:`rnnbook.rnn.backward` keeps.
    gamma : float
        :math:`\sup_a |f'(a)|`.
    f_in_place : callable
        :math:`a \leftarrow f(a)`: overwrites a float array with its image, without a temporary
        where numpy allows it. The forward loop of :mod:`rnnbook.rnn` computes each state over
        its pre-activation with it.
    """

    name: str
    f: Callable[[Array], Array]
    df: Callable[[Array], Array]
    df_from_output: Callable[[Array], Array]
    gamma: float
    f_in_place: Callable[[Array], object]


def _tanh_df_from_output(h: Array) -> Array:
    """:math:`1 - h^2`, with one new array where ``1.0 - h * h`` makes two.

    Backpropagation applies it to every state of a batch, a (T, B, H) array: a second temporary
    that large is a second round of fresh memory to fault in.
    """
    d = h * h                                     # h²
    if not isinstance(d, np.ndarray) or d.dtype.kind != "f":
        return 1.0 - d                            # a scalar, or integers: a new float result
    return np.subtract(1.0, d, out=d)             # 1 - h², in place


_ACTIVATIONS: dict[str, Activation] = {
    "tanh": Activation(
        "tanh", tanh, lambda a: 1.0 - np.tanh(a) ** 2, _tanh_df_from_output, 1.0,
        lambda a: np.tanh(a, out=a),
    ),
    "sigmoid": Activation(
        "sigmoid",
        sigmoid,
        lambda a: sigmoid(a) * (1.0 - sigmoid(a)),
        lambda h: h * (1.0 - h),
        0.25,
        lambda a: np.copyto(a, sigmoid(a)),
    ),
    "relu": Activation(
        "relu", relu, lambda a: (a > 0).astype(a.dtype), lambda h: (h > 0).astype(h.dtype), 1.0,
        lambda a: np.maximum(a, 0.0, out=a),
    ),
    "identity": Activation(
        "identity", identity, np.ones_like, np.ones_like, 1.0, lambda a: a,
    ),
}


def get(name: str) -> Activation:
    """Look up an activation by name.

    Parameters
    ----------
    name : {"tanh", "sigmoid", "relu", "identity"}

    Returns
    -------
    Activation

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`NAMES`.

    Examples
    --------
    >>> get("sigmoid").gamma
    0.25
    """
    return _ACTIVATIONS[_checks.choice(name, "activation", NAMES)]
