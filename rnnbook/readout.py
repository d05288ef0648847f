r"""The linear output layer that turns states into predictions: :math:`y_t = W_{hy} h_t + b_y`.

A recurrent cell only updates its state; what the network *says* at a step is a linear function
of the state, read out at every step (many-to-many) or only at the last (many-to-one). The
outputs are logits for :func:`rnnbook.losses.softmax_cross_entropy` or values for
:func:`rnnbook.losses.mse`. Letters: K outputs (V when they are classes), H hidden units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnbook import _checks, initializers
from rnnbook.types import Array, Seed


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Params:
    r"""Readout weights.

    Parameters
    ----------
    W_hy : ndarray of shape (K, H)
        Hidden-to-output weights :math:`W_{hy}`.
    b_y : ndarray of shape (K,)
        Output bias :math:`b_y`.
    """

    W_hy: Array
    b_y: Array

    def __post_init__(self) -> None:
        W_hy = _checks.float_array(self.W_hy, "W_hy", ndim=2, layout="(K, H)")
        b_y = _checks.float_array(self.b_y, "b_y", ndim=1, layout="(K,)")
        _checks.expect_shape(b_y, "b_y", (W_hy.shape[0],), "(K,)", "(K rows of W_hy)")
        dtype = np.result_type(W_hy, b_y)
        object.__setattr__(self, "W_hy", W_hy.astype(dtype, copy=False))
        object.__setattr__(self, "b_y", b_y.astype(dtype, copy=False))


def init(hidden_size: int, output_size: int, *, seed: Seed = None,
         dtype: type = np.float64) -> Params:
    r"""Readout weights :math:`\sim \mathcal{U}(-1/\sqrt{H}, 1/\sqrt{H})` and a zero bias.

    Parameters
    ----------
    hidden_size : int
        H, >= 1.
    output_size : int
        K, >= 1.
    seed : int, numpy.random.Generator or None
    dtype : numpy floating type, default float64

    Returns
    -------
    Params
    """
    H = _checks.positive_int(hidden_size, "hidden_size")
    K = _checks.positive_int(output_size, "output_size")
    W_hy = initializers.uniform((K, H), 1.0 / np.sqrt(H), seed=seed, dtype=dtype)   # (K, H)
    return Params(W_hy, np.zeros(K, dtype=dtype))


def forward(params: Params, hs: Array) -> Array:
    r"""Read out every state: :math:`y_t = W_{hy} h_t + b_y` :eq:`eq-patterns-readout`.

    Parameters
    ----------
    params : Params
    hs : ndarray of shape (..., H)
        States, for instance (T, B, H) or the last state (B, H).

    Returns
    -------
    ys : ndarray of shape (..., K)

    Examples
    --------
    >>> p = Params(W_hy=np.array([[1.0, -1.0]]), b_y=np.array([0.5]))
    >>> forward(p, np.array([[2.0, 1.0]]))
    array([[1.5]])
    """
    hs = _check(params, hs)
    ys: Array = hs @ params.W_hy.T + params.b_y                       # (..., K)
    return ys


def backward(params: Params, hs: Array, dys: Array) -> tuple[Params, Array]:
    r"""Gradients of the readout, and the gradient :eq:`eq-bptt-direct` it sends to the states.

    Parameters
    ----------
    params : Params
    hs : ndarray of shape (..., H)
        The states that were read out.
    dys : ndarray of shape (..., K)
        :math:`\partial L / \partial y`.

    Returns
    -------
    grads : Params
        :math:`\partial L/\partial W_{hy} = \sum \bar y\, h^\top` and
        :math:`\partial L/\partial b_y = \sum \bar y` over every leading position.
    dhs : ndarray of shape (..., H)
        :math:`\partial L / \partial h = W_{hy}^\top \bar y`, to pass to the cell's backward.
    """
    hs = _check(params, hs)
    K, H = params.W_hy.shape
    dys = _checks.float_array(dys, "dys", ndim=hs.ndim, layout="(..., K)")
    _checks.expect_shape(dys, "dys", (*hs.shape[:-1], K), "(..., K)",
                         "(the shape of the outputs of forward)")
    dys_2d, hs_2d = dys.reshape(-1, K), hs.reshape(-1, H)
    grads = Params(dys_2d.T @ hs_2d, dys_2d.sum(axis=0))            # (K, H), (K,)
    return grads, dys @ params.W_hy                                   # (..., H)


def _check(params: Params, hs: object) -> Array:
    _checks.instance(params, "params", Params, "a readout.Params")
    H = params.W_hy.shape[1]
    arr = _checks.float_array(hs, "hs", ndim=None, min_ndim=1, layout="(..., H)")
    if arr.shape[-1] != H:
        raise ValueError(f"hs must have shape (..., H) with H={H}, the columns of W_hy; "
                         f"got shape {_checks.shape_str(arr.shape)}")
    return arr
