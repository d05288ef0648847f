r"""Gradient-norm clipping: the norm of all gradients together, and the rescaling that bounds it.

When the product of chapter 5's state Jacobians grows with the distance back in time, the
gradient explodes (:mod:`rnnbook.dynamics`); clipping its global norm (Pascanu, Mikolov & Bengio
2013), equation :eq:`eq-vanishing-clip`, bounds the length of a step and keeps its direction:

.. math::
    g \leftarrow g \, \frac{c}{\|g\|} \quad \text{if } \|g\| > c.

:func:`rnnbook.train.fit` clips when given ``max_norm``. Both functions take any parameter
container (the ``Params`` of :mod:`rnnbook.rnn`, :mod:`rnnbook.lstm`, :mod:`rnnbook.gru`, or a
network of them) and treat all its arrays as one vector.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

from rnnbook import _checks, _tree

__all__ = ["clip_by_norm", "global_norm"]

P = TypeVar("P")


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
    Equation :eq:`eq-vanishing-clip`. Clipping keeps the direction of the gradient and bounds
    the length of a step, so one exploding gradient cannot throw the parameters across the error
    surface.

    Examples
    --------
    >>> from rnnbook import rnn
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
