r"""Beam search: keep the K most probable partial sequences instead of one.

Greedy decoding commits to the most likely token at every step. Beam search keeps the K
hypotheses with the highest total log-probability

.. math:: \log p(c_1, \dots, c_t \mid x) = \sum_{i=1}^{t} \log p(c_i \mid c_{<i}, x) ,

extends each by every token, and keeps the K best of the K V candidates. A hypothesis that has
written the end token is finished: it is carried along unchanged, competing on its score. With
K = 1 it is greedy decoding; with K at least the number of possible sequences it is an exhaustive
search. Scores are not normalised by length (Wu et al. 2016 divide by a power of it, since a
sum of log-probabilities favours short sequences); the tests hold it to greedy decoding and to a
brute-force search.

The model enters as a step function, ``step(tokens, state) -> (log_probs, state)``, where every
array of ``state`` has one row per hypothesis along its first axis (the decoder's states, and any
per-source memory such as the encoder states attention reads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks
from rnnbook.types import Array

Step = Callable[[NDArray[Any], tuple[Array, ...]], tuple[Array, tuple[Array, ...]]]
"""``step(tokens (N,), state) -> (log_probs (N, V), new state)``, N rows of hypotheses."""


class Beams(NamedTuple):
    """The hypotheses beam search ends with, best first.

    Attributes
    ----------
    tokens : integer ndarray of shape (B, K, L)
        The K hypotheses of each of the B sources, L = ``max_length`` tokens each, padded with
        the end token after it is written.
    scores : ndarray of shape (B, K)
        Their total log-probabilities, highest first (``-inf``: no hypothesis, when K exceeds
        the number of sequences there are).
    """

    tokens: NDArray[np.int64]
    scores: Array


def best_extensions(scores: Array, log_probs: Array,
                    width: int) -> tuple[Array, NDArray[np.int64], NDArray[np.int64]]:
    r"""One step of beam search: the ``width`` best extensions of the hypotheses of each source.

    Parameters
    ----------
    scores : ndarray of shape (B, K)
        :math:`s_k`, the total log-probability of each of the K hypotheses of each source.
    log_probs : ndarray of shape (B, K, V)
        :math:`\ell_{k,c}`, the log-probability of each token c after hypothesis k.
    width : int
        How many extensions to keep, at most K V.

    Returns
    -------
    scores : ndarray of shape (B, width)
        :math:`s_k + \ell_{k,c}` :eq:`eq-beam-score` of the extensions kept, highest first.
    parents : integer ndarray of shape (B, width)
        The hypothesis k each extends.
    tokens : integer ndarray of shape (B, width)
        The token c each adds.

    Examples
    --------
    >>> scores = np.log([[0.6, 0.4]])                        # two hypotheses
    >>> log_probs = np.log([[[0.5, 0.5], [0.9, 0.1]]])      # two tokens after each
    >>> new, parents, tokens = best_extensions(scores, log_probs, 2)
    >>> np.exp(new).round(2), parents, tokens
    (array([[0.36, 0.3 ]]), array([[1, 0]]), array([[0, 0]]))
    """
    s = _log_array(scores, "scores", "(B, K)")
    lp = _log_array(log_probs, "log_probs", "(B, K, V)")
    B, K, V = lp.shape
    _checks.expect_shape(s, "scores", (B, K), "(B, K)", "(B and K of log_probs)")
    W = _checks.positive_int(width, "width")
    if W > K * V:
        raise ValueError(f"width must be at most K V = {K * V}, the number of extensions; "
                         f"got {width}")
    candidates = (s[..., None] + lp).reshape(B, K * V)             # (B, K V): s_k + l_kc
    best = np.argsort(-candidates, axis=1, kind="stable")[:, :W]   # (B, W): highest first
    parents, tokens = np.divmod(best, V)                           # (B, W) each
    return np.take_along_axis(candidates, best, axis=1), parents, tokens


def search(step: Step, state: tuple[Array, ...], *, start: int, end: int, width: int,
           max_length: int) -> Beams:
    r"""Beam search from ``state`` for every source of a batch.

    Parameters
    ----------
    step : callable
        ``step(tokens, state) -> (log_probs, new_state)``: the decoder's log-probabilities of the
        next token, shape (N, V), after reading ``tokens`` (N,).
    state : tuple of ndarray
        The decoder's initial state for each of the B sources, every array (B, ...).
    start, end : int
        The start token (read first) and the end token (which finishes a hypothesis).
    width : int
        K, the number of hypotheses kept per source.
    max_length : int
        L, the most tokens a hypothesis writes.

    Returns
    -------
    Beams
        ``tokens[:, 0]`` is the best hypothesis of each source.

    Notes
    -----
    At every step, with :math:`s_k` the score of hypothesis k and :math:`\ell_{k,c}` the
    log-probability of token c after it, the candidates are :math:`s_k + \ell_{k,c}`
    :eq:`eq-beam-score`; a finished hypothesis has :math:`\ell_{k,\text{end}} = 0` and
    :math:`-\infty` for every other token, so it survives as itself. The K best candidates
    (ties to the lower hypothesis, then the lower token) become the new hypotheses, and each
    inherits the state of the one it extends.
    """
    K = _checks.positive_int(width, "width")
    L = _checks.positive_int(max_length, "max_length")
    if not callable(step):
        raise TypeError(f"step must be a function step(tokens, state); got {type(step).__name__}")
    if not isinstance(state, tuple) or not state:
        raise TypeError("state must be a non-empty tuple of arrays, one row per source")
    B = len(state[0])
    if any(len(s) != B for s in state):
        raise ValueError(f"every array of state must have B={B} rows; got "
                         f"{[len(s) for s in state]}")
    state = tuple(np.repeat(s, K, axis=0) for s in state)        # (B K, ...): K copies each
    scores = np.full((B, K), -np.inf)                            # (B, K)
    scores[:, 0] = 0.0                                           # one live hypothesis at first
    tokens = np.empty((B, K, 0), dtype=np.int64)                 # (B, K, t)
    done = np.zeros((B, K), dtype=bool)                          # (B, K): wrote the end token
    last = np.full(B * K, start, dtype=np.int64)                 # (B K,): read at this step
    for _ in range(L):
        log_probs, state = step(last, state)                     # (B K, V)
        V = log_probs.shape[-1]
        log_probs = log_probs.reshape(B, K, V)                   # (B, K, V)
        finished = np.where(np.arange(V) == end, 0.0, -np.inf)   # (V,): stay as you are
        log_probs = np.where(done[..., None], finished, log_probs)
        scores, parent, token = best_extensions(scores, log_probs, K)     # (B, K) each
        tokens = np.concatenate([np.take_along_axis(tokens, parent[..., None], axis=1),
                                 token[..., None]], axis=2)                # (B, K, t + 1)
        done = np.take_along_axis(done, parent, axis=1) | (token == end)   # (B, K)
        rows = (np.arange(B)[:, None] * K + parent).ravel()                # (B K,)
        state = tuple(s[rows] for s in state)                    # each follows its parent
        last = token.ravel()
        if done.all():
            break
    pad = np.full((B, K, L - tokens.shape[2]), end, dtype=np.int64)
    return Beams(np.concatenate([tokens, pad], axis=2), scores)


def _log_array(value: object, name: str, layout: str) -> Array:
    """``value`` as a float array of ``layout``'s rank: log-probabilities, so -inf is allowed
    (an impossible hypothesis or token), NaN and +inf are not."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"{name} must hold real numbers in shape {layout}; got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    ndim = layout.count(",") + 1
    if arr.ndim != ndim or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty {ndim}-d array of shape {layout}; got "
                         f"shape {_checks.shape_str(arr.shape)}")
    if np.isnan(arr).any() or (arr == np.inf).any():
        raise ValueError(f"{name} must hold log-probabilities: no NaN or +inf (-inf is allowed)")
    return arr
