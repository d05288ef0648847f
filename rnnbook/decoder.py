r"""A decoder: an LSTM that writes a sequence of tokens from a given initial state.

The second half of an encoder-decoder (:mod:`rnnbook.seq2seq`) and the whole of a captioning
network (:mod:`rnnbook.captioning`): they differ only in where the initial state comes from. At
every step the decoder reads the token written before, one-hot (a start token at the first step),
updates its state and scores every token of the vocabulary:

.. math::
    h'_t, c'_t = \operatorname{LSTM}(e_{c_{t-1}}, h'_{t-1}, c'_{t-1}), \qquad
    y_t = W_{hy} h'_t + b_y .

Training feeds it the correct previous token (*teacher forcing*, :func:`loss_and_grads`); using
it, it is fed its own choices (:func:`greedy`; :mod:`rnnbook.beam` keeps several). Sequences of
different lengths are padded at the end, and the loss counts each sequence's real steps only
(:func:`masked_cross_entropy`). Letters: T steps, B sequences, H hidden units, V tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rnnbook import _checks, lstm, masking, readout
from rnnbook.data.encoding import one_hot
from rnnbook.types import Array, Seed, as_generator


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Params:
    """An LSTM that reads tokens and the readout that scores the next one.

    Parameters
    ----------
    cell : lstm.Params
        Reads one-hot tokens: its input size is V.
    out : readout.Params
        :math:`W_{hy}` of shape (V, H): one score per token of the vocabulary.
    """

    cell: lstm.Params
    out: readout.Params

    def __post_init__(self) -> None:
        _checks.instance(self.cell, "cell", lstm.Params, "an lstm.Params")
        _checks.instance(self.out, "out", readout.Params, "a readout.Params")
        V, H = self.out.W_hy.shape
        if (self.cell.input_size, self.cell.hidden_size) != (V, H):
            raise ValueError(f"cell must read V={V} tokens into H={H} units, the shape of "
                             f"out.W_hy; got input_size={self.cell.input_size}, "
                             f"hidden_size={self.cell.hidden_size}")

    @property
    def vocab_size(self) -> int:
        """V, the number of tokens."""
        return int(self.out.W_hy.shape[0])

    @property
    def hidden_size(self) -> int:
        """H, the size of the states."""
        return int(self.out.W_hy.shape[1])


def init(vocab_size: int, hidden_size: int, *, seed: Seed = None) -> Params:
    """A fresh decoder: :func:`rnnbook.lstm.init` and :func:`rnnbook.readout.init`.

    Parameters
    ----------
    vocab_size, hidden_size : int
        V and H.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Params
    """
    rng = as_generator(seed)
    return Params(lstm.init(vocab_size, hidden_size, seed=rng),
                  readout.init(hidden_size, vocab_size, seed=rng))


def masked_cross_entropy(logits: Array, targets: NDArray[Any],
                         lengths: ArrayLike) -> tuple[float, Array]:
    r"""The cross-entropy of the real steps of every sequence, and its gradient.

    .. math:: L = \frac{1}{N} \sum_{b=1}^{B} \sum_{t=1}^{n_b}
              -\log \operatorname{softmax}(y_{t,b})_{c_{t,b}}, \qquad N = \sum_b n_b ,

    :eq:`eq-seq2seq-loss`: the steps after a sequence's length :math:`n_b` (its padding) add
    nothing and get a zero gradient. It is chapter 10's masked loss,
    :func:`rnnbook.masking.cross_entropy`, under the name chapter 11 gives it.

    Parameters
    ----------
    logits : ndarray of shape (T, B, V)
    targets : integer ndarray of shape (T, B)
    lengths : integer array_like of shape (B,)
        :math:`n_b`, in 1..T.

    Returns
    -------
    loss : float
    dlogits : ndarray of shape (T, B, V)

    Examples
    --------
    >>> loss, dlogits = masked_cross_entropy(np.zeros((2, 1, 4)), np.array([[1], [3]]), [1])
    >>> print(f"{loss:.4f}", bool((dlogits[1] == 0).all()))   # log 4; the padded step: no gradient
    1.3863 True
    """
    return masking.cross_entropy(logits, targets, lengths)


def loss_and_grads(params: Params, h0: Array, c0: Array, ys_in: Array, targets: NDArray[Any],
                   lengths: ArrayLike) -> tuple[float, Params, Array, Array]:
    r"""The teacher-forced loss of a batch, its gradients, and the gradients on the initial state.

    Parameters
    ----------
    params : Params
    h0, c0 : ndarray of shape (B, H)
        The initial states (from an encoder, or from an image).
    ys_in : ndarray of shape (T, B, V)
        The decoder's inputs: one-hot ``<start>``, then the targets shifted right.
    targets : integer ndarray of shape (T, B)
    lengths : integer array_like of shape (B,)
        The real length of each target sequence (its end token included).

    Returns
    -------
    loss : float
        :func:`masked_cross_entropy` of the outputs.
    grads : Params
    dh0, dc0 : ndarray of shape (B, H)
        :math:`\partial L/\partial h'_0` and :math:`\partial L/\partial c'_0`, to pass on to
        whatever made the initial states.
    """
    ss, cache = lstm.forward(params.cell, ys_in, h0, c0)               # (T, B, H)
    logits = readout.forward(params.out, ss)                           # (T, B, V)
    loss, dlogits = masked_cross_entropy(logits, targets, lengths)
    g_out, dss = readout.backward(params.out, ss, dlogits)             # dss: (T, B, H)
    g_cell, _, dh0, dc0 = lstm.backward(params.cell, cache, dss)
    return loss, Params(g_cell, g_out), dh0, dc0


def step(params: Params, tokens: NDArray[Any], h: Array, c: Array) -> tuple[Array, Array, Array]:
    """One step of the decoder: read a token, update the states, score the next token.

    Parameters
    ----------
    params : Params
    tokens : integer ndarray of shape (B,)
        The token written at the step before.
    h, c : ndarray of shape (B, H)

    Returns
    -------
    logits : ndarray of shape (B, V)
    h, c : ndarray of shape (B, H)
        The new states.
    """
    h, c = lstm.step(params.cell, one_hot(tokens, params.vocab_size), h, c)   # (B, H) each
    return readout.forward(params.out, h), h, c


def greedy(params: Params, h0: Array, c0: Array, *, start: int,
           max_length: int) -> NDArray[np.int64]:
    r"""Greedy decoding: write the most likely token, feed it back, repeat.

    :math:`c_t = \arg\max_k y_{t,k}` :eq:`eq-patterns-greedy` for ``max_length`` steps, from the
    token ``start``. The decoder does not stop at its end token; cut the sequences there
    (:func:`rnnbook.sequence_scores.strip`).

    Parameters
    ----------
    params : Params
    h0, c0 : ndarray of shape (B, H)
    start : int
        The start token.
    max_length : int
        T, the number of tokens to write.

    Returns
    -------
    integer ndarray of shape (T, B)
    """
    T = _checks.positive_int(max_length, "max_length")
    token = np.full(len(h0), _checks.token_index(start, "start", params.vocab_size))       # (B,)
    h, c = h0, c0
    written = np.empty((T, len(h0)), dtype=np.int64)                         # (T, B)
    for t in range(T):
        logits, h, c = step(params, token, h, c)
        token = np.argmax(logits, axis=-1)                                   # (B,)
        written[t] = token
    return written


def shifted_inputs(tokens: NDArray[Any], start: int, vocab_size: int) -> Array:
    """The decoder's inputs for a sequence of tokens: one-hot ``start``, then the tokens shifted
    right (the last is dropped).

    With the targets, these are the inputs of teacher forcing; with the tokens the decoder wrote
    itself, the inputs it would read if it were fed its own predictions.

    Parameters
    ----------
    tokens : integer ndarray of shape (T, B)
    start : int
    vocab_size : int
        V.

    Returns
    -------
    ndarray of shape (T, B, V)

    Examples
    --------
    >>> shifted_inputs(np.array([[2], [3]]), start=0, vocab_size=4).argmax(axis=-1).T
    array([[0, 2]])
    """
    arr = np.asarray(tokens)
    if arr.ndim != 2 or arr.dtype.kind not in "iu":
        raise TypeError(f"tokens must be an integer array of shape (T, B); got dtype {arr.dtype} "
                        f"and shape {_checks.shape_str(arr.shape)}")
    V = _checks.positive_int(vocab_size, "vocab_size")
    first = np.full((1, arr.shape[1]), _checks.token_index(start, "start", V))
    return one_hot(np.concatenate([first, arr[:-1]]), V)
