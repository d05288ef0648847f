r"""The encoder-decoder (Sutskever, Vinyals & Le 2014; Cho et al. 2014) with LSTM cells.

An encoder LSTM reads the source :math:`x_1, \dots, x_S` and keeps only its final states; they
become the initial states of a decoder (:mod:`rnnbook.decoder`) that writes the target token by
token:

.. math::
    h_s, c_s = \operatorname{LSTM}_{enc}(x_s, h_{s-1}, c_{s-1}), \qquad
    h'_0 = h_S, \quad c'_0 = c_S .

Everything the decoder knows about the source passes through those 2H numbers, however long the
source: the bottleneck that attention (:mod:`rnnbook.seq2seq_attention`) removes. In training
the gradient reaches the encoder through that same door only, :math:`\partial L/\partial h_S` and
:math:`\partial L/\partial c_S` (the ``dc_last`` of :func:`rnnbook.lstm.backward`).

Sources are one-hot tokens, all of one length within a batch. Part I's
:class:`rnnbook.patterns.Seq2Seq` is the same design with vanilla cells. Left out: several
layers, reversing the source (Sutskever et al.'s trick), dropout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rnnbook import _checks, beam, decoder, losses, lstm
from rnnbook.types import Array, Seed, as_generator


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Seq2Seq:
    """An encoder LSTM and a decoder with the same hidden size.

    Parameters
    ----------
    encoder : lstm.Params
        Reads the source; its input size is the source vocabulary's.
    decoder : decoder.Params
        Writes the target from the encoder's final states.
    """

    encoder: lstm.Params
    decoder: decoder.Params

    def __post_init__(self) -> None:
        _checks.instance(self.encoder, "encoder", lstm.Params, "an lstm.Params")
        _checks.instance(self.decoder, "decoder", decoder.Params, "a decoder.Params")
        if self.encoder.hidden_size != self.decoder.hidden_size:
            raise ValueError(f"decoder must have the encoder's hidden size "
                             f"H={self.encoder.hidden_size}; got {self.decoder.hidden_size}")


def init(source_size: int, target_size: int, hidden_size: int, *, seed: Seed = None) -> Seq2Seq:
    """A fresh encoder-decoder for one-hot sources and targets.

    Parameters
    ----------
    source_size : int
        D, the source vocabulary's size.
    target_size : int
        V, the target vocabulary's size.
    hidden_size : int
        H of both cells.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Seq2Seq
    """
    rng = as_generator(seed)
    return Seq2Seq(lstm.init(source_size, hidden_size, seed=rng),
                   decoder.init(target_size, hidden_size, seed=rng))


def encode(model: Seq2Seq, xs: Array) -> tuple[Array, Array]:
    """The encoder's final states :math:`h_S, c_S`: the decoder's initial states.

    Parameters
    ----------
    model : Seq2Seq
    xs : ndarray of shape (S, B, D)

    Returns
    -------
    h_S, c_S : ndarray of shape (B, H)
    """
    _, cache = lstm.forward(model.encoder, xs)
    return cache.states[-1], cache.cells[-1]


def loss_and_grads(model: Seq2Seq, xs: Array, ys_in: Array, targets: NDArray[Any],
                   lengths: ArrayLike) -> tuple[float, Seq2Seq]:
    r"""The loss of a batch with teacher forcing, and its gradient for every weight.

    Parameters
    ----------
    model : Seq2Seq
    xs : ndarray of shape (S, B, D)
        The sources.
    ys_in : ndarray of shape (T, B, V)
        The decoder's inputs: ``<start>`` then the targets shifted right (teacher forcing).
    targets : integer ndarray of shape (T, B)
    lengths : integer array_like of shape (B,)
        The real length of each target, its end token included.

    Returns
    -------
    loss : float
        The masked cross-entropy :eq:`eq-seq2seq-loss`.
    grads : Seq2Seq

    Notes
    -----
    The decoder's BPTT ends with the gradients on its initial states, which are the encoder's
    final states; the encoder's BPTT starts from them: :math:`\partial L/\partial h_S` enters as
    the gradient of its last state, :math:`\partial L/\partial c_S` as ``dc_last``.
    """
    hs, enc_cache = lstm.forward(model.encoder, xs)                   # (S, B, H)
    h_S, c_S = enc_cache.states[-1], enc_cache.cells[-1]              # (B, H): the summary
    loss, g_dec, dh_S, dc_S = decoder.loss_and_grads(model.decoder, h_S, c_S, ys_in, targets,
                                                     lengths)
    dhs = np.zeros_like(hs)                                           # (S, B, H)
    dhs[-1] = dh_S                                                    # the one door back
    g_enc, _, _, _ = lstm.backward(model.encoder, enc_cache, dhs, dc_last=dc_S)
    return loss, Seq2Seq(g_enc, g_dec)


def greedy(model: Seq2Seq, xs: Array, *, start: int, max_length: int) -> NDArray[np.int64]:
    """Translate by greedy decoding (:func:`rnnbook.decoder.greedy`) from the encoder's states.

    Parameters
    ----------
    model : Seq2Seq
    xs : ndarray of shape (S, B, D)
    start : int
        The start token.
    max_length : int
        T, the number of tokens to write.

    Returns
    -------
    integer ndarray of shape (T, B)
    """
    h, c = encode(model, xs)
    return decoder.greedy(model.decoder, h, c, start=start, max_length=max_length)


def beam_search(model: Seq2Seq, xs: Array, *, start: int, end: int, width: int,
                max_length: int) -> beam.Beams:
    """Translate by beam search (:func:`rnnbook.beam.search`) from the encoder's states.

    Parameters
    ----------
    model : Seq2Seq
    xs : ndarray of shape (S, B, D)
    start, end : int
        The start and end tokens.
    width : int
        K, the number of hypotheses kept; 1 is greedy decoding.
    max_length : int

    Returns
    -------
    beam.Beams
    """
    def step(tokens: NDArray[Any], state: tuple[Array, ...]) -> tuple[Array, tuple[Array, ...]]:
        logits, h, c = decoder.step(model.decoder, tokens, *state)
        return losses.log_softmax(logits), (h, c)

    return beam.search(step, encode(model, xs), start=start, end=end, width=width,
                       max_length=max_length)
