r"""The four input/output patterns as trainable networks: a cell, a readout, and where to read.

Chapter 3's patterns differ only in where inputs enter and where outputs are read:

- **one-to-one**: one input, one output (T = 1): with :math:`h_0 = 0` the recurrence contributes
  nothing and the network *is* a one-hidden-layer feed-forward network;
- **one-to-many**: one input at the first step, an output at every step (``at="all"``);
- **many-to-one**: a sequence in, one output read from the last state (``at="last"``);
- **many-to-many**, aligned: an output at every step (``at="all"``); or encoder-decoder
  (:class:`Seq2Seq`, Sutskever, Vinyals & Le 2014): an encoder reads the whole input, its last
  state starts a decoder that writes the output sequence.

A :class:`Model` is a parameter container (a cell and its readout), so the optimisers, clipping
and gradient checks of rnnbook apply to it unchanged. :func:`predict` runs the plain cell
(:mod:`rnnbook.rnn`); the functions that training calls at every step, :func:`loss_and_grads` and
:func:`seq2seq_loss_and_grads`, run :mod:`rnnbook.fast.rnn`, which the tests hold equal to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks, losses, readout, rnn
from rnnbook.fast import rnn as fast_rnn
from rnnbook.types import Array, Seed, as_generator

READ_AT: tuple[str, ...] = ("last", "all")
"""Where a :class:`Model` reads its output: from the last state, or from every state."""

LOSSES: tuple[str, ...] = ("cross_entropy", "mse")
"""Which loss :func:`loss_and_grads` uses: integer class targets, or real-valued targets."""


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Model:
    """A recurrent cell and its readout.

    Parameters
    ----------
    cell : rnn.Params
    out : readout.Params
        Its W_hy has H columns, H the cell's hidden size.
    """

    cell: rnn.Params
    out: readout.Params

    def __post_init__(self) -> None:
        if self.out.W_hy.shape[1] != self.cell.hidden_size:
            raise ValueError(
                f"out.W_hy must have shape (K, H) with H={self.cell.hidden_size}, the hidden size "
                f"of cell; got {_checks.shape_str(self.out.W_hy.shape)}"
            )


def init(input_size: int, hidden_size: int, output_size: int, *, seed: Seed = None,
         activation: str = "tanh", recurrent: str = "uniform",
         spectral_radius: float | None = None) -> Model:
    """A :class:`Model` with a fresh cell (:func:`rnnbook.rnn.init`) and readout.

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        D, H and K.
    seed : int, numpy.random.Generator or None
    activation, recurrent, spectral_radius
        As in :func:`rnnbook.rnn.init`.

    Returns
    -------
    Model
    """
    rng = as_generator(seed)
    cell = rnn.init(input_size, hidden_size, seed=rng, activation=activation,
                    recurrent=recurrent, spectral_radius=spectral_radius)
    return Model(cell, readout.init(hidden_size, output_size, seed=rng))


def predict(model: Model, xs: Array, h0: Array | None = None, *, at: str = "last") -> Array:
    r"""The network's outputs (logits or values).

    With ``at="last"`` this is :eq:`eq-patterns-many-to-one`, :math:`y = W_{hy} h_T + b_y`
    (with T = 1 and :math:`h_0 = 0`, the one-to-one network :eq:`eq-patterns-one-to-one`,
    :eq:`eq-memory-feedforward`); with ``at="all"`` the readout :eq:`eq-patterns-readout` of
    every state (inputs that are zero after the first step make it one-to-many,
    :eq:`eq-patterns-one-to-many`).

    Parameters
    ----------
    model : Model
    xs : ndarray of shape (T, B, D)
    h0 : ndarray of shape (B, H), optional
    at : {"last", "all"}, default "last"

    Returns
    -------
    ndarray of shape (B, K) when ``at="last"``, (T, B, K) when ``at="all"``
    """
    _checks.choice(at, "at", READ_AT)
    hs, _ = rnn.forward(model.cell, xs, h0)
    return readout.forward(model.out, hs[-1] if at == "last" else hs)


def loss_and_grads(model: Model, xs: Array, targets: NDArray[Any], h0: Array | None = None, *,
                   at: str = "last", loss: str = "cross_entropy",
                   truncate: int | None = None) -> tuple[float, Model]:
    r"""The loss of a batch and its gradient with respect to every parameter of ``model``.

    Parameters
    ----------
    model : Model
    xs : ndarray of shape (T, B, D)
    targets : ndarray
        Integer classes of shape (B,) (``at="last"``) or (T, B) (``at="all"``) for
        cross-entropy; real values of the output's shape, (B, K) or (T, B, K), for ``"mse"``.
    h0 : ndarray of shape (B, H), optional
    at : {"last", "all"}, default "last"
    loss : {"cross_entropy", "mse"}, default "cross_entropy"
    truncate : int, optional
        Truncated BPTT (:func:`rnnbook.rnn.backward`).

    Returns
    -------
    loss : float
    grads : Model

    Notes
    -----
    Forward: :math:`h = \text{rnn.forward}(x)`, :math:`y = W_{hy} h + b_y`, :math:`L(y)`, the
    mean over positions :eq:`eq-bptt-loss`. Backward in reverse: the loss gives
    :math:`\partial L/\partial y`, the readout turns it into :math:`\bar h_t` :eq:`eq-bptt-direct`
    (zero except at the last step when ``at="last"``, :eq:`eq-patterns-last-gradient`), and BPTT
    does the rest. The cell runs :mod:`rnnbook.fast.rnn` (equal to :mod:`rnnbook.rnn` to 1e-12).
    """
    _checks.choice(at, "at", READ_AT)
    _checks.choice(loss, "loss", LOSSES)
    hs, cache = fast_rnn.forward(model.cell, xs, h0)                  # (T, B, H)
    read = hs[-1] if at == "last" else hs                             # (B, H) or (T, B, H)
    ys = readout.forward(model.out, read)                             # (B, K) or (T, B, K)
    if loss == "cross_entropy":
        value, dys = losses.softmax_cross_entropy(ys, targets)
    else:
        value, dys = losses.mse(ys, targets)
    g_out, d_read = readout.backward(model.out, read, dys)
    if at == "last":
        dhs = np.zeros_like(hs)                                       # (T, B, H)
        dhs[-1] = d_read
    else:
        dhs = d_read
    g_cell, _, _ = fast_rnn.backward(model.cell, cache, dhs, truncate=truncate)
    return value, Model(g_cell, g_out)


def accuracy(model: Model, xs: Array, targets: Array, *, at: str = "last") -> float:
    """The fraction of positions where the largest logit is the target class.

    Parameters
    ----------
    model : Model
    xs : ndarray of shape (T, B, D)
    targets : integer ndarray of shape (B,) or (T, B)
    at : {"last", "all"}, default "last"

    Returns
    -------
    float in [0, 1]
    """
    logits = predict(model, xs, at=at)
    targets = np.asarray(targets)
    if targets.shape != logits.shape[:-1]:
        raise ValueError(f"targets must have shape {_checks.shape_str(logits.shape[:-1])}; "
                         f"got {_checks.shape_str(targets.shape)}")
    return float(np.mean(np.argmax(logits, axis=-1) == targets))


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Seq2Seq:
    """An encoder-decoder: two cells and the decoder's readout.

    Parameters
    ----------
    encoder : rnn.Params
        Reads the source sequence; its last state is the decoder's initial state.
    decoder : rnn.Params
        Reads the previous target token at every step, with the encoder's hidden size.
    out : readout.Params
        Turns decoder states into logits over the target classes.
    """

    encoder: rnn.Params
    decoder: rnn.Params
    out: readout.Params

    def __post_init__(self) -> None:
        H = self.encoder.hidden_size
        if self.decoder.hidden_size != H or self.out.W_hy.shape[1] != H:
            raise ValueError(
                f"decoder and out must have the encoder's hidden size H={H}; got "
                f"decoder H={self.decoder.hidden_size}, out W_hy with "
                f"{self.out.W_hy.shape[1]} columns"
            )


def init_seq2seq(source_size: int, target_size: int, hidden_size: int, *,
                 seed: Seed = None, activation: str = "tanh") -> Seq2Seq:
    """A fresh :class:`Seq2Seq` for one-hot sources and targets.

    Parameters
    ----------
    source_size : int
        D of the encoder's inputs.
    target_size : int
        V, the number of target classes; the decoder reads one-hot target tokens of size V.
    hidden_size : int
        H of both cells.
    seed : int, numpy.random.Generator or None
    activation : str, default "tanh"

    Returns
    -------
    Seq2Seq
    """
    rng = as_generator(seed)
    return Seq2Seq(rnn.init(source_size, hidden_size, seed=rng, activation=activation),
                   rnn.init(target_size, hidden_size, seed=rng, activation=activation),
                   readout.init(hidden_size, target_size, seed=rng))


def seq2seq_loss_and_grads(model: Seq2Seq, xs: Array, ys_in: Array,
                           targets: NDArray[np.integer[Any]]) -> tuple[float, Seq2Seq]:
    r"""Cross-entropy of an encoder-decoder :eq:`eq-patterns-decoder` with teacher forcing.

    Parameters
    ----------
    model : Seq2Seq
    xs : ndarray of shape (S, B, D)
        The source sequences.
    ys_in : ndarray of shape (T, B, V)
        The decoder's inputs: the one-hot target sequence shifted right behind a start token
        (teacher forcing).
    targets : integer ndarray of shape (T, B)
        The target classes.

    Returns
    -------
    loss : float
    grads : Seq2Seq

    Notes
    -----
    The only path from the loss to the encoder is the decoder's initial state: the decoder's
    BPTT returns :math:`\partial L/\partial h_0^{dec}`, which is the gradient on the encoder's
    last state. Both cells run :mod:`rnnbook.fast.rnn`.
    """
    _, enc_cache = fast_rnn.forward(model.encoder, xs)
    h_enc = enc_cache.states[-1]                                      # (B, H): the summary
    hs, dec_cache = fast_rnn.forward(model.decoder, ys_in, h_enc)     # (T, B, H)
    logits = readout.forward(model.out, hs)                           # (T, B, V)
    value, dlogits = losses.softmax_cross_entropy(logits, targets)
    g_out, dhs = readout.backward(model.out, hs, dlogits)
    g_dec, _, dh_enc = fast_rnn.backward(model.decoder, dec_cache, dhs)
    dhs_enc = np.zeros(enc_cache.states[1:].shape)                    # (S, B, H)
    dhs_enc[-1] = dh_enc
    g_enc, _, _ = fast_rnn.backward(model.encoder, enc_cache, dhs_enc)
    return value, Seq2Seq(g_enc, g_dec, g_out)


def seq2seq_generate(model: Seq2Seq, xs: Array, length: int, start: int) -> NDArray[np.int64]:
    """Greedy decoding :eq:`eq-patterns-greedy`: feed the decoder its most likely token.

    Parameters
    ----------
    model : Seq2Seq
    xs : ndarray of shape (S, B, D)
    length : int
        T, the number of tokens to write.
    start : int
        The start token's class index, fed at the first step.

    Returns
    -------
    integer ndarray of shape (T, B)
    """
    T = _checks.positive_int(length, "length")
    V = model.out.W_hy.shape[0]
    if not 0 <= start < V:
        raise ValueError(f"start must be a class index in [0, {V}); got {start}")
    hs, _ = rnn.forward(model.encoder, xs)
    h = hs[-1]                                                        # (B, H)
    token = np.full(len(h), start)                                    # (B,)
    out = np.empty((T, len(h)), dtype=np.int64)
    for t in range(T):
        h = rnn.step(model.decoder, np.eye(V)[token], h)              # (B, H)
        token = np.argmax(readout.forward(model.out, h), axis=-1)     # (B,)
        out[t] = token
    return out
