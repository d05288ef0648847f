r"""A task for chapter 5, where the answer depends on the very first step of a long sequence.

:func:`sign_memory` shows a sign, :math:`+1` or :math:`-1`, at the first step and only noise
after it; the network must say at the last step which sign it was (many-to-one). The gradient
that teaches it has to travel back through all T steps, so the task makes vanishing gradients
(a small :math:`W_{hh}`) and exploding ones (a large :math:`W_{hh}`) visible in training. It is
the simplest form of the long-range tasks of Bengio, Simard & Frasconi (1994) and of Hochreiter
& Schmidhuber (1997).
"""

from __future__ import annotations

import numpy as np

from rnnbook import _checks
from rnnbook.data.batches import Batch
from rnnbook.types import as_generator

SIGN_CLASSES: tuple[str, ...] = ("negative", "positive")
"""The classes of :func:`sign_memory`: 0 when the first input was -1, 1 when it was +1."""


def sign_memory(batch_size: int, *, length: int = 50, noise: float = 0.2,
                seed: int | np.random.Generator | None = None) -> Batch:
    r"""Remember the sign shown at the first step through ``length - 1`` steps of noise.

    Parameters
    ----------
    batch_size : int
        B, the number of sequences.
    length : int, default 50
        T, the number of steps, >= 1.
    noise : float, default 0.2
        Standard deviation of the Gaussian noise that is the input at steps 2 to T.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Batch
        ``xs`` of shape (T, B, 1): :math:`x_1 = \pm 1`, then :math:`x_t \sim \mathcal{N}(0,
        \text{noise}^2)`; ``targets`` of shape (B,): 1 where :math:`x_1 = +1`, 0 where
        :math:`x_1 = -1` (``SIGN_CLASSES``). Both signs are equally likely.

    Notes
    -----
    Only :math:`x_1` carries information about the target, so the loss at step T reaches the
    weights through :math:`\partial h_T / \partial h_1`, a product of T - 1 state Jacobians.

    Examples
    --------
    >>> batch = sign_memory(4, length=6, noise=0.0, seed=0)
    >>> batch.xs.shape, batch.targets.shape
    ((6, 4, 1), (4,))
    >>> bool(np.all(batch.xs[0, :, 0] == 2 * batch.targets - 1)), bool(np.all(batch.xs[1:] == 0))
    (True, True)
    """
    B = _checks.positive_int(batch_size, "batch_size")
    T = _checks.positive_int(length, "length")
    sigma = _checks.positive_float(noise, "noise", allow_zero=True)
    rng = as_generator(seed)
    targets = rng.integers(0, 2, size=B)                              # (B,)
    xs = sigma * rng.standard_normal((T, B, 1))                       # (T, B, 1)
    xs[0, :, 0] = 2.0 * targets - 1.0                                 # the sign, at step 1
    return Batch(xs, targets.astype(np.int64))
