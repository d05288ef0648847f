r"""Principal component analysis: looking at many hidden states through their two main directions.

A hidden state has H numbers; a page has two dimensions. Projecting the states of many sequences
on the directions along which they vary most (their principal components) keeps as much of their
spread as two coordinates can, which is how Elman (1990) looked inside his network's states, and
how chapter 1 shows what a trained network's last state remembers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from rnnbook import _checks
from rnnbook.types import Array

__all__ = ["principal_components"]


def principal_components(points: ArrayLike, k: int = 2) -> Array:
    r"""Coordinates of points along their ``k`` directions of largest variance.

    Parameters
    ----------
    points : ndarray of shape (N, H)
        One point a row, such as the last states :math:`h_T` of N sequences.
    k : int, default 2
        The number of components, at most H.

    Returns
    -------
    ndarray of shape (N, k)
        :math:`(P - \bar P)\, U_k`, with :math:`U_k` the first ``k`` right singular vectors of
        the centred points :math:`P - \bar P`, each signed so that its largest entry is positive.
        With fewer than ``k`` independent directions, the extra columns are 0.

    Notes
    -----
    The right singular vectors of the centred points are the eigenvectors of their covariance
    :math:`(P - \bar P)^\top (P - \bar P) / N`, in decreasing order of eigenvalue: the variance
    along the i-th component is the i-th eigenvalue.

    Examples
    --------
    >>> principal_components(np.array([[0.0, 1.0], [0.0, 3.0]]), k=1)   # spread along axis 2
    array([[-1.],
           [ 1.]])
    """
    P = _checks.float_array(points, "points", ndim=2, layout="(N, H)")
    k = _checks.positive_int(k, "k")
    if k > P.shape[1]:
        raise ValueError(f"k must be at most H={P.shape[1]}, the columns of points; got {k}")
    centred = P - P.mean(axis=0)                                        # (N, H)
    _, _, Vt = np.linalg.svd(centred, full_matrices=False)              # Vt: (min(N, H), H)
    U = np.zeros((P.shape[1], k))                                       # (H, k)
    n = min(k, Vt.shape[0])
    U[:, :n] = Vt[:n].T
    signs = np.sign(U[np.argmax(np.abs(U), axis=0), np.arange(k)])      # (k,)
    U *= np.where(signs == 0, 1.0, signs)
    coords: Array = centred @ U                                         # (N, k)
    return coords
