r"""How well a language model predicts held-out text: cross-entropy, bits per character, perplexity.

A language model that gives the characters :math:`c_2, \dots, c_{N}` of a text the probabilities
:math:`p(c_{t+1} \mid c_1, \dots, c_t)` has cross-entropy, equation :eq:`eq-lm-perplexity`,

.. math::
    L = -\frac{1}{n} \sum_t \ln p(c_{t+1} \mid c_1, \dots, c_t) \ \text{nats}, \qquad
    \frac{L}{\ln 2} \ \text{bits per character}, \qquad
    e^{L} \ \text{perplexity}.

Bits per character is the length of the text compressed with the model's probabilities (an
arithmetic coder gets within a few bits of it), divided by its length. Perplexity is the number
of equally likely characters the model is, on average, as unsure as: V for a model that gives
every character probability 1/V, 1 for one that is always certain and right. Lower is better for
all three. Compare models only on the same text with the same vocabulary.

Letters: N characters, B streams, T steps per chunk, V characters in the vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks, losses, streams
from rnnbook.fast import lm as fast_lm
from rnnbook.lm import Model, State
from rnnbook.types import Array


def cross_entropy(model: Model, ids: NDArray[np.integer[Any]], *, batch_size: int = 16,
                  steps: int = 100, carry: bool = True) -> float:
    r"""The mean negative log-likelihood of a text under the model, in nats per character.

    Parameters
    ----------
    model : rnnbook.lm.Model
    ids : integer ndarray of shape (N,)
        The text, usually held out (validation or test).
    batch_size, steps : int, default 16 and 100
        The text is read as B parallel streams (:func:`rnnbook.streams.parallel`) in chunks of
        T steps. With ``carry``, T changes nothing but the speed.
    carry : bool, default True
        Carry the state from chunk to chunk (each stream read as one text); if False, every
        chunk starts from zeros.

    Returns
    -------
    float
        The mean :math:`L` of :math:`-\log p(c_{t+1} \mid c_1, \dots, c_t)` over the
        characters predicted, :math:`B \lfloor (N-1)/B \rfloor` of them.
    """
    total, count = 0.0, 0
    for nll in _negative_log_likelihoods(model, ids, batch_size, steps, carry):
        total, count = total + float(nll.sum()), count + nll.size
    return total / count


def cross_entropy_by_position(model: Model, ids: NDArray[np.integer[Any]], *,
                              batch_size: int = 16, steps: int = 25,
                              carry: bool = True) -> NDArray[np.float64]:
    r"""The mean negative log-likelihood at each position of a chunk, in nats.

    Parameters
    ----------
    model, ids, batch_size, steps, carry
        As for :func:`cross_entropy`; only the chunks of a full T steps are used.

    Returns
    -------
    ndarray of shape (T,)
        Entry t is the loss of the characters predicted at step t + 1 of their chunk. Without
        ``carry``, the first steps of a chunk are predicted from little context.
    """
    full = [nll for nll in _negative_log_likelihoods(model, ids, batch_size, steps, carry)
            if len(nll) == steps]
    if not full:
        raise ValueError(f"ids must hold at least one chunk of steps={steps} characters per "
                         f"stream; got {len(ids)} characters for {batch_size} streams")
    by_position: NDArray[np.float64] = np.mean(full, axis=(0, 2))     # (T,)
    return by_position


def _negative_log_likelihoods(model: Model, ids: NDArray[np.integer[Any]], batch_size: int,
                              steps: int, carry: bool) -> Iterator[Array]:
    """Check the arguments, then yield -log p of every target, one (T, B) chunk at a time."""
    _checks.instance(model, "model", Model, "an lm.Model")
    columns = streams.parallel(ids, batch_size)                      # (L+1, B)
    T = _checks.positive_int(steps, "steps")
    if not isinstance(carry, bool):
        raise TypeError(f"carry must be True or False; got {carry!r}")
    if columns.max() >= model.vocab_size:
        raise ValueError(f"ids must lie in [0, V) = [0, {model.vocab_size}); "
                         f"got {columns.max()}")
    return _chunk_nll(model, columns, T, carry)


def _chunk_nll(model: Model, columns: NDArray[np.int64], T: int,
               carry: bool) -> Iterator[Array]:
    state: State | None = None
    for start in range(0, len(columns) - 1, T):
        window = columns[start: start + T + 1]                       # (T+1, B), shorter last
        ys, state = fast_lm.logits(model, window[:-1], state if carry else None)   # (T, B, V)
        logp = losses.log_softmax(ys)                                # (T, B, V)
        yield -np.take_along_axis(logp, window[1:, :, None], axis=-1)[..., 0]   # (T, B)


def perplexity(nats: float) -> float:
    r"""Perplexity :math:`e^{L}` of a cross-entropy :math:`L` in nats (:eq:`eq-lm-perplexity`).

    The number of equally likely characters a model is as unsure as: V for the uniform model,
    1 for a model that is always certain and right.

    Examples
    --------
    >>> round(perplexity(np.log(65)), 9)
    65.0
    """
    return float(np.exp(_checks.finite_float(nats, "nats")))


def bits_per_character(nats: float) -> float:
    r"""The same cross-entropy in bits: :math:`L / \ln 2` (:eq:`eq-lm-perplexity`).

    Examples
    --------
    >>> bits_per_character(np.log(2.0))
    1.0
    """
    return _checks.finite_float(nats, "nats") / float(np.log(2.0))
