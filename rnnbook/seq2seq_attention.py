r"""An encoder-decoder with additive attention: the decoder looks back at every encoder state.

The encoder and the decoder are those of :mod:`rnnbook.seq2seq` (LSTMs, the decoder starting
from the encoder's final states). At every step the decoder's state :math:`h'_t` asks
:mod:`rnnbook.attention` for a context vector, the encoder states averaged under the alignment
:math:`\alpha_{t,\cdot}`, and the readout scores the next token from both:

.. math::
    \mathrm{ctx}_t = \sum_s \alpha_{t,s} h_s, \qquad
    y_t = W_{hy} [h'_t; \mathrm{ctx}_t] + b_y .

The score is Bahdanau, Cho & Bengio's (2015) additive one; where it is used is Luong, Pham &
Manning's (2015): the query is the decoder's new state :math:`h'_t`, and the context enters the
output, not the state update. Bahdanau et al. query with :math:`h'_{t-1}` and feed
:math:`\mathrm{ctx}_t` into the update of :math:`h'_t`; with teacher forcing the placement here
lets the decoder run over the whole target in one :func:`rnnbook.lstm.forward`, and attention
over all steps at once. Left out: Luong's extra tanh layer before the readout, input feeding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rnnbook import _checks, attention, beam, decoder, losses, lstm, readout
from rnnbook.data.encoding import one_hot
from rnnbook.types import Array, Seed, as_generator


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class AttentionSeq2Seq:
    r"""An encoder, a decoder cell, the attention between them and a readout of both.

    Parameters
    ----------
    encoder : lstm.Params
        Reads the source (H units).
    decoder : lstm.Params
        Reads one-hot target tokens (V inputs, H units).
    attention : attention.Params
        Keys of H units, queries of H units.
    out : readout.Params
        :math:`W_{hy}` of shape (V, 2H): reads :math:`[h'_t; \mathrm{ctx}_t]`.
    """

    encoder: lstm.Params
    decoder: lstm.Params
    attention: attention.Params
    out: readout.Params

    def __post_init__(self) -> None:
        H = self.encoder.hidden_size
        V = self.out.W_hy.shape[0]
        shapes = {"decoder": (self.decoder.input_size, self.decoder.hidden_size),
                  "attention.W_k": self.attention.W_k.shape[1:],
                  "attention.W_q": self.attention.W_q.shape[1:], "out.W_hy": self.out.W_hy.shape}
        wanted = {"decoder": (V, H), "attention.W_k": (H,), "attention.W_q": (H,),
                  "out.W_hy": (V, 2 * H)}
        for name, shape in shapes.items():
            if shape != wanted[name]:
                raise ValueError(f"{name} must fit an encoder of H={H} units and V={V} target "
                                 f"tokens: expected {wanted[name]}, got {shape}")


def init(source_size: int, target_size: int, hidden_size: int, attention_size: int, *,
         seed: Seed = None) -> AttentionSeq2Seq:
    """A fresh encoder-decoder with attention.

    Parameters
    ----------
    source_size, target_size : int
        D and V, the sizes of the two vocabularies.
    hidden_size : int
        H of both cells.
    attention_size : int
        A, the units of the attention's score.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    AttentionSeq2Seq
    """
    rng = as_generator(seed)
    H = _checks.positive_int(hidden_size, "hidden_size")
    return AttentionSeq2Seq(lstm.init(source_size, H, seed=rng),
                            lstm.init(target_size, H, seed=rng),
                            attention.init(H, H, attention_size, seed=rng),
                            readout.init(2 * H, target_size, seed=rng))


def loss_and_grads(model: AttentionSeq2Seq, xs: Array, ys_in: Array, targets: NDArray[Any],
                   lengths: ArrayLike) -> tuple[float, AttentionSeq2Seq]:
    r"""The loss of a batch with teacher forcing, and its gradient for every weight.

    Parameters
    ----------
    model : AttentionSeq2Seq
    xs : ndarray of shape (S, B, D)
    ys_in : ndarray of shape (T, B, V)
        ``<start>`` then the targets shifted right (teacher forcing).
    targets : integer ndarray of shape (T, B)
    lengths : integer array_like of shape (B,)
        The real length of each target, its end token included.

    Returns
    -------
    loss : float
        The masked cross-entropy :eq:`eq-seq2seq-loss`.
    grads : AttentionSeq2Seq

    Notes
    -----
    Every encoder state now gets a gradient from the attention (as a key and as a value), and
    the last one also from the decoder's initial state, as in
    :func:`rnnbook.seq2seq.loss_and_grads`.
    """
    H = model.encoder.hidden_size
    hs, enc_cache = lstm.forward(model.encoder, xs)                      # (S, B, H)
    h_S, c_S = enc_cache.states[-1], enc_cache.cells[-1]                 # (B, H)
    ss, dec_cache = lstm.forward(model.decoder, ys_in, h_S, c_S)         # (T, B, H): h'_t
    contexts, _, att_cache = attention.forward(model.attention, hs, ss)  # (T, B, H)
    both = np.concatenate([ss, contexts], axis=-1)                       # (T, B, 2H)
    logits = readout.forward(model.out, both)                            # (T, B, V)
    loss, dlogits = decoder.masked_cross_entropy(logits, targets, lengths)
    g_out, dboth = readout.backward(model.out, both, dlogits)            # (T, B, 2H)
    g_att, dhs, dss = attention.backward(model.attention, att_cache, dboth[..., H:])
    g_dec, _, dh_S, dc_S = lstm.backward(model.decoder, dec_cache, dboth[..., :H] + dss)
    dhs[-1] += dh_S                                                      # and the initial state
    g_enc, _, _, _ = lstm.backward(model.encoder, enc_cache, dhs, dc_last=dc_S)
    return loss, AttentionSeq2Seq(g_enc, g_dec, g_att, g_out)


def _step(model: AttentionSeq2Seq, tokens: NDArray[Any], h: Array, c: Array,
          hs: Array) -> tuple[Array, Array, Array, Array]:
    """One step of the decoder with attention: the logits, the new states, the alignment."""
    V = model.out.W_hy.shape[0]
    h, c = lstm.step(model.decoder, one_hot(tokens, V), h, c)              # (B, H) each: h'_t
    contexts, weights, _ = attention.forward(model.attention, hs, h[None])  # (1, B, H), (1, B, S)
    logits = readout.forward(model.out, np.concatenate([h, contexts[0]], axis=-1))   # (B, V)
    return logits, h, c, weights[0]


def greedy(model: AttentionSeq2Seq, xs: Array, *, start: int, max_length: int,
           ) -> tuple[NDArray[np.int64], Array]:
    r"""Translate by greedy decoding, and return the alignment of every step.

    Parameters
    ----------
    model : AttentionSeq2Seq
    xs : ndarray of shape (S, B, D)
    start : int
        The start token.
    max_length : int
        T, the number of tokens to write.

    Returns
    -------
    written : integer ndarray of shape (T, B)
    weights : ndarray of shape (T, B, S)
        The alignment :math:`\alpha_{t,s}`, where the decoder looked when it wrote token t.
    """
    T = _checks.positive_int(max_length, "max_length")
    start = _checks.token_index(start, "start", model.out.W_hy.shape[0])
    hs, cache = lstm.forward(model.encoder, xs)                          # (S, B, H)
    h, c = cache.states[-1], cache.cells[-1]                             # (B, H)
    token = np.full(hs.shape[1], start)                                  # (B,)
    written = np.empty((T, hs.shape[1]), dtype=np.int64)                 # (T, B)
    alignment = np.empty((T, hs.shape[1], len(hs)))                      # (T, B, S)
    for t in range(T):
        logits, h, c, alignment[t] = _step(model, token, h, c, hs)
        token = np.argmax(logits, axis=-1)                               # (B,)
        written[t] = token
    return written, alignment


def beam_search(model: AttentionSeq2Seq, xs: Array, *, start: int, end: int, width: int,
                max_length: int) -> beam.Beams:
    """Translate by beam search (:func:`rnnbook.beam.search`).

    Parameters
    ----------
    model : AttentionSeq2Seq
    xs : ndarray of shape (S, B, D)
    start, end : int
    width : int
        K, the number of hypotheses kept.
    max_length : int

    Returns
    -------
    beam.Beams
    """
    hs, cache = lstm.forward(model.encoder, xs)                          # (S, B, H)

    def step(tokens: NDArray[Any], state: tuple[Array, ...]) -> tuple[Array, tuple[Array, ...]]:
        h, c, keys = state                              # keys (N, S, H): batch first, see below
        logits, h, c, _ = _step(model, tokens, h, c, keys.transpose(1, 0, 2))
        return losses.log_softmax(logits), (h, c, keys)

    # Every array of the state follows its hypothesis along the first axis: the encoder states
    # too, batch first.
    state = (cache.states[-1], cache.cells[-1], hs.transpose(1, 0, 2))
    return beam.search(step, state, start=start, end=end, width=width, max_length=max_length)
