r"""Writing text with a language model: one character at a time, drawn with a temperature.

A trained :class:`rnnbook.lm.Model` gives, after every character it reads, a distribution over
the next one. To write, draw a character from it, feed it back as the next input, and repeat: the
model reads its own output, where in training it read the true text (teacher forcing). The
*temperature* :math:`\tau` reshapes each distribution before the draw, equation
:eq:`eq-lm-temperature`:

.. math:: p_i(\tau) = \frac{\exp(y_i / \tau)}{\sum_j \exp(y_j / \tau)} .

:math:`\tau = 1` is the model's own distribution; as :math:`\tau \to 0` the draw becomes the
most likely character every time (greedy decoding), and as :math:`\tau \to \infty` every character
becomes equally likely.

Letters: V characters, P characters of the prime.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks, losses, readout
from rnnbook.data import one_hot
from rnnbook.lm import CELLS, Model, final_state
from rnnbook.types import Array, Seed, as_generator


def with_temperature(logits: Array, temperature: float) -> Array:
    r"""The distribution :math:`p(\tau)` of :eq:`eq-lm-temperature`: a softmax of the logits over τ.

    Parameters
    ----------
    logits : ndarray of shape (..., V)
        The scores :math:`y` of the readout.
    temperature : float
        :math:`\tau > 0`.

    Returns
    -------
    ndarray of shape (..., V)
        Non-negative, summing to 1 along the last axis.

    Examples
    --------
    >>> with_temperature(np.log(np.array([0.75, 0.25])), 0.5)   # squared, then normalised
    array([0.9, 0.1])
    """
    logits = _checks.float_array(logits, "logits", ndim=None, min_ndim=1, layout="(..., V)")
    tau = _checks.positive_float(temperature, "temperature")
    return losses.softmax(logits / tau)


def sample(model: Model, prime: NDArray[np.integer[Any]], length: int, *,
           temperature: float = 1.0, seed: Seed = None) -> NDArray[np.int64]:
    r"""Write ``length`` characters, each drawn from the model's prediction and read back.

    Parameters
    ----------
    model : rnnbook.lm.Model
    prime : integer ndarray of shape (P,)
        The text to start from (at least one character); the model reads it first.
    length : int
        How many characters to write, >= 1.
    temperature : float, default 1.0
        :math:`\tau > 0` (:func:`with_temperature`).
    seed : int, numpy.random.Generator or None
        The same seed writes the same text.

    Returns
    -------
    int64 ndarray of shape (length,)
        The characters written.

    Examples
    --------
    >>> from rnnbook import lm
    >>> m = lm.init(vocab_size=5, hidden_size=8, seed=0)
    >>> sample(m, np.array([0, 1]), 6, seed=0).shape
    (6,)
    """
    _checks.instance(model, "model", Model, "an lm.Model")
    prime = np.asarray(prime)
    V = model.vocab_size
    if prime.ndim != 1 or prime.dtype.kind not in "iu" or prime.size == 0:
        raise TypeError(f"prime must be a non-empty 1-d array of integer character indices; "
                        f"got dtype {prime.dtype} and shape {_checks.shape_str(prime.shape)}")
    if prime.min() < 0 or prime.max() >= V:
        raise ValueError(f"prime must lie in [0, V) = [0, {V}); got "
                         f"{prime.min() if prime.min() < 0 else prime.max()}")
    n = _checks.positive_int(length, "length")
    tau = _checks.positive_float(temperature, "temperature")
    rng = as_generator(seed)
    cell = CELLS[type(model.cell)]
    hs, cache = cell.forward(model.cell, one_hot(prime[:, None], V))  # read the prime
    written = np.empty(n, dtype=np.int64)
    for t in range(n):
        y_t = readout.forward(model.out, hs[-1])[0]                   # (V,): the scores
        written[t] = rng.choice(V, p=losses.softmax(y_t / tau))      # draw c_{t+1}
        x_t = one_hot(written[t: t + 1, None], V)                     # (1, 1, V): read it back
        hs, cache = cell.forward(model.cell, x_t, *final_state(model.cell, hs, cache))
    return written
