r"""Gradient checking: finite differences and the relative error that judges them.

Every gradient in the book is checked against the central difference

.. math:: \frac{\partial L}{\partial \theta_i} \approx
          \frac{L(\theta + \varepsilon e_i) - L(\theta - \varepsilon e_i)}{2 \varepsilon},

whose error is :math:`O(\varepsilon^2)` from the Taylor remainder plus :math:`O(u / \varepsilon)`
from rounding (:math:`u \approx 10^{-16}` in float64); :math:`\varepsilon = 10^{-6}` balances the
two, and a correct float64 gradient then agrees to a relative error of about :math:`10^{-9}`.
A wrong one (a missing term, a transposed matrix) is off by far more than the default
tolerance of :math:`10^{-7}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from rnnbook import _checks, _tree
from rnnbook.types import Array

P = TypeVar("P")

DEFAULT_TOL = 1e-7
"""The relative error below which :func:`compare` calls a float64 gradient correct."""


def _central_differences(f: Callable[[], float], x: Array, eps: float) -> Array:
    """Perturb ``x`` in place entry by entry, calling ``f()`` (which reads ``x``); restore it."""
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)  # views: writing flat writes x
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f())
        flat[i] = old - eps
        f_minus = float(f())
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def numerical_gradient(f: Callable[[Array], float], x: Array, eps: float = 1e-6) -> Array:
    r"""Central-difference gradient :eq:`eq-bptt-central` of a scalar function of one array.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``. It is called with a float64 working copy of ``x`` that is changed in
        place between calls, so ``f`` must not keep it.
    x : ndarray of any shape
        The point at which to differentiate.
    eps : float, default 1e-6
        The step :math:`\varepsilon`.

    Returns
    -------
    ndarray of the shape of ``x``, float64

    Examples
    --------
    >>> g = numerical_gradient(lambda v: float(np.sum(v ** 2)), np.array([1.0, -2.0]))
    >>> np.round(g, 6)
    array([ 2., -4.])
    """
    work = _checks.float_array(x, "x", ndim=None, min_ndim=1, layout="(...)")
    work = np.array(work, dtype=np.float64, copy=True)
    return _central_differences(lambda: f(work), work, _checks.positive_float(eps, "eps"))


def numerical_gradients(loss: Callable[[P], float], params: P, eps: float = 1e-6) -> P:
    """Central-difference gradients of ``loss`` for every array of a parameter container.

    Parameters
    ----------
    loss : callable
        ``loss(params) -> float``. It is called with a float64 working copy of ``params`` whose
        arrays change in place between calls.
    params : parameter container, such as :class:`rnnbook.rnn.Params`
        The point at which to differentiate.
    eps : float, default 1e-6

    Returns
    -------
    A container of the type of ``params`` holding the estimated gradients (float64).
    """
    _tree.check_container(params, "params")
    eps = _checks.positive_float(eps, "eps")
    work = _tree.map_arrays(lambda a: np.array(a, dtype=np.float64, copy=True), params)
    estimates = {id(arr): _central_differences(lambda: loss(work), arr, eps)
                 for _, arr in _tree.named_arrays(work)}
    return _tree.map_arrays(lambda arr: estimates[id(arr)], work)


def relative_error(analytic: Array, numeric: Array) -> float:
    r"""The relative error :eq:`eq-bptt-relerr` of two gradients, 0 when both are 0.

    :math:`\|a - n\|_2 / (\|a\|_2 + \|n\|_2)`, for the analytic a and the numerical n.

    Parameters
    ----------
    analytic, numeric : ndarray, same shape
        Two estimates of the same gradient.

    Returns
    -------
    float in [0, 1]

    Examples
    --------
    >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9])) < 1e-9
    True
    """
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"analytic and numeric must have the same shape; got "
                         f"{_checks.shape_str(a.shape)} and {_checks.shape_str(n.shape)}")
    denom = np.linalg.norm(a) + np.linalg.norm(n)
    return 0.0 if denom == 0.0 else float(np.linalg.norm(a - n) / denom)


@dataclass(frozen=True)
class Report:
    """The outcome of a gradient check: one relative error per array.

    Attributes
    ----------
    errors : dict of str to float
        Relative error (:func:`relative_error`) of each array, by name (``"W_hh"``).
    tol : float
        The tolerance the check was run with.
    """

    errors: dict[str, float]
    tol: float

    @property
    def max_error(self) -> float:
        """The largest relative error."""
        return max(self.errors.values())

    @property
    def passed(self) -> bool:
        """True when every relative error is below ``tol``."""
        return self.max_error < self.tol

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        rows = [f"{name:<12} {err:.2e}" for name, err in self.errors.items()]
        verdict = "passed" if self.passed else "FAILED"
        return "\n".join([f"{'array':<12} rel. error", *rows,
                          f"{verdict} at tolerance {self.tol:.0e}"])


def compare(analytic: Any, numeric: Any, tol: float = DEFAULT_TOL) -> Report:
    """Compare two gradients of the same structure array by array.

    Parameters
    ----------
    analytic, numeric : parameter containers of one type, or ndarrays of one shape
    tol : float, default 1e-7

    Returns
    -------
    Report
    """
    tol = _checks.positive_float(tol, "tol")
    if isinstance(analytic, np.ndarray) or isinstance(numeric, np.ndarray):
        return Report({"array": relative_error(analytic, numeric)}, tol)
    _tree.check_container(analytic, "analytic")
    _tree.check_same_structure(analytic, numeric, "numeric", "analytic")
    pairs = zip(_tree.named_arrays(analytic), _tree.named_arrays(numeric), strict=True)
    return Report({name: relative_error(a, n) for (name, a), (_, n) in pairs}, tol)


def check(loss: Callable[[P], float], params: P, grads: P, *, eps: float = 1e-6,
          tol: float = DEFAULT_TOL) -> Report:
    """Check analytic gradients against finite differences of ``loss``.

    Parameters
    ----------
    loss : callable
        ``loss(params) -> float``.
    params : parameter container
        Where to check.
    grads : parameter container of the type of ``params``
        The analytic gradients to judge.
    eps : float, default 1e-6
    tol : float, default 1e-7

    Returns
    -------
    Report
        Truthy when every array's relative error is below ``tol``.
    """
    _tree.check_container(params, "params")  # before the (costly) finite differences
    _tree.check_same_structure(params, grads, "grads", "params")
    tol = _checks.positive_float(tol, "tol")
    return compare(grads, numerical_gradients(loss, params, eps), tol)
