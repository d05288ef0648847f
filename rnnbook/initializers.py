r"""Weight initialisers: uniform, Glorot, orthogonal, identity, and scaling to a spectral radius.

How :math:`W_{hh}` starts decides whether gradients can flow through time at all (chapter 5):
its spectral radius :math:`\rho` sets the rate at which a linear network forgets. The remedies
discussed there are an orthogonal :math:`W_{hh}` (Saxe, McClelland & Ganguli 2014), whose
singular values are all 1, and the identity with ReLU (Le, Jaitly & Hinton 2015).

Every function takes ``seed``: an int, a ``numpy.random.Generator`` or ``None`` (fresh entropy).
Nothing here uses numpy's global random state.
"""

from __future__ import annotations

import numpy as np

from rnnbook import _checks
from rnnbook.types import Array, Seed, as_generator


def uniform(shape: tuple[int, ...], scale: float, *, seed: Seed = None,
            dtype: type = np.float64) -> Array:
    r"""Draw a matrix with entries :math:`\sim \mathcal{U}(-s, s)`.

    PyTorch initialises ``torch.nn.RNN`` this way with :math:`s = 1/\sqrt{H}`.

    Parameters
    ----------
    shape : tuple of int
        Shape of the result, every size >= 1.
    scale : float
        The half-width :math:`s > 0`.
    seed : int, numpy.random.Generator or None
    dtype : numpy floating type, default float64

    Returns
    -------
    ndarray of shape ``shape``
    """
    shape = tuple(_checks.positive_int(n, "shape entry") for n in shape)
    s = _checks.positive_float(scale, "scale")
    return as_generator(seed).uniform(-s, s, size=shape).astype(dtype, copy=False)


def glorot_uniform(fan_out: int, fan_in: int, *, seed: Seed = None,
                   dtype: type = np.float64) -> Array:
    r"""Glorot & Bengio's (2010) uniform initialiser for a matrix of shape (fan_out, fan_in).

    Entries :math:`\sim \mathcal{U}(-s, s)` with :math:`s = \sqrt{6 / (n_{in} + n_{out})}`, which
    keeps the variance of activations and of gradients roughly constant across a layer.

    Parameters
    ----------
    fan_out, fan_in : int
        Rows and columns of the matrix (H and D for :math:`W_{xh}`).
    seed : int, numpy.random.Generator or None
    dtype : numpy floating type, default float64

    Returns
    -------
    ndarray of shape (fan_out, fan_in)
    """
    fan_out = _checks.positive_int(fan_out, "fan_out")
    fan_in = _checks.positive_int(fan_in, "fan_in")
    return uniform((fan_out, fan_in), np.sqrt(6.0 / (fan_in + fan_out)), seed=seed, dtype=dtype)


def orthogonal(n: int, *, gain: float = 1.0, seed: Seed = None, dtype: type = np.float64) -> Array:
    r"""A random orthogonal matrix :math:`Q` (:math:`Q^\top Q = I`), times ``gain``.

    Drawn uniformly (Haar measure) as the Q of a QR decomposition of a Gaussian matrix, with the
    signs of R's diagonal moved into Q (Mezzadri 2007). Every singular value of the result equals
    ``gain``, so it is also its spectral radius.

    Parameters
    ----------
    n : int
        The matrix is (n, n).
    gain : float, default 1.0
    seed : int, numpy.random.Generator or None
    dtype : numpy floating type, default float64

    Returns
    -------
    ndarray of shape (n, n)

    Examples
    --------
    >>> Q = orthogonal(4, seed=0)
    >>> bool(np.allclose(Q.T @ Q, np.eye(4)))
    True
    """
    n = _checks.positive_int(n, "n")
    g = _checks.positive_float(gain, "gain")
    q, r = np.linalg.qr(as_generator(seed).standard_normal((n, n)))
    q = q * np.sign(np.diag(r))  # (n, n); makes the distribution uniform
    return (g * q).astype(dtype, copy=False)


def identity(n: int, *, gain: float = 1.0, dtype: type = np.float64) -> Array:
    r"""``gain`` times the identity matrix: Le, Jaitly & Hinton's (2015) IRNN initialisation.

    With ReLU and zero bias, :math:`W_{hh} = I` makes the network start by copying its state
    forward unchanged, so gradients neither vanish nor explode at first.

    Parameters
    ----------
    n : int
        The matrix is (n, n).
    gain : float, default 1.0
    dtype : numpy floating type, default float64

    Returns
    -------
    ndarray of shape (n, n)
    """
    n = _checks.positive_int(n, "n")
    return (_checks.positive_float(gain, "gain") * np.eye(n)).astype(dtype, copy=False)


def spectral_radius(W: Array) -> float:
    r"""The spectral radius :math:`\rho(W) = \max_i |\lambda_i(W)|`.

    Parameters
    ----------
    W : ndarray of shape (H, H)

    Returns
    -------
    float

    Examples
    --------
    >>> spectral_radius(np.array([[0.0, 2.0], [-2.0, 0.0]]))
    2.0
    """
    W = _checks.float_array(W, "W", ndim=2, layout="(H, H)")
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be square, of shape (H, H); got {_checks.shape_str(W.shape)}")
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def scale_to_spectral_radius(W: Array, rho: float) -> Array:
    r"""Rescale a square matrix so that its spectral radius is :math:`\rho`.

    Returns :math:`\rho \, W / \rho(W)`; the eigenvectors are unchanged.

    Parameters
    ----------
    W : ndarray of shape (H, H)
        A matrix with :math:`\rho(W) > 0`.
    rho : float
        The target spectral radius, > 0.

    Returns
    -------
    ndarray of shape (H, H)
    """
    current = spectral_radius(W)
    target = _checks.positive_float(rho, "rho")
    if current == 0.0:
        raise ValueError("W has spectral radius 0 (it is nilpotent); it cannot be rescaled")
    return np.asarray(W) * (target / current)
