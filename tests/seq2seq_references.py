"""Plain references for the encoder-decoders, attention and beam search, shared by their tests.

Written from the equations with nothing of ``rnnbook.decoder``, ``seq2seq``,
``seq2seq_attention``, ``attention`` or ``captioning`` but their parameter containers: loops
over positions, a softmax written out, the LSTM cell of ``gated_references``. Imported as
``from seq2seq_references import ...`` (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from gated_references import lstm_cell

from rnnbook import _tree, attention, captioning, decoder, gradcheck, seq2seq, seq2seq_attention


def redraw(params: Any, rng: np.random.Generator, scale: float = 0.5) -> Any:
    """Every array of a (nested) parameter container drawn again from N(0, scale²)."""
    changes = {}
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        if dataclasses.is_dataclass(value):
            changes[f.name] = redraw(value, rng, scale)
        elif isinstance(value, np.ndarray):
            changes[f.name] = rng.normal(0.0, scale, value.shape)
    return dataclasses.replace(params, **changes)


def log_softmax(z: np.ndarray) -> np.ndarray:
    m = z.max()
    return z - m - np.log(np.exp(z - m).sum())


def attend(p: attention.Params, hs: np.ndarray, q: np.ndarray,
           mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Context (H,) and weights (S,) for one query q (Q,) over one sequence's states hs (S, H)."""
    S = len(hs)
    e = np.array([p.v @ np.tanh(p.W_k @ hs[s] + p.W_q @ q) for s in range(S)])
    real = np.ones(S, bool) if mask is None else mask.astype(bool)
    w = np.zeros(S)
    w[real] = np.exp(e[real] - e[real].max())
    w /= w.sum()
    return sum(w[s] * hs[s] for s in range(S)), w


def encoder_states(p: Any, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """h_1..h_S and c_1..c_S of an LSTM encoder from zero states, each (S, B, H)."""
    B, H = xs.shape[1], p.hidden_size
    h, c, hs, cs = np.zeros((B, H)), np.zeros((B, H)), [], []
    for x in xs:
        h, c = lstm_cell(p, x, h, c)
        hs.append(h)
        cs.append(c)
    return np.array(hs), np.array(cs)


def sequence_nll(logits: list[np.ndarray], target: np.ndarray, n: int) -> list[float]:
    """-log p of the first n targets of one sequence, from its logits at every step."""
    return [-log_softmax(logits[t])[target[t]] for t in range(n)]


def decoder_loss(p: decoder.Params, h0: np.ndarray, c0: np.ndarray, ys_in: np.ndarray,
                 targets: np.ndarray, lengths: np.ndarray) -> float:
    """The masked cross-entropy, sequence by sequence and step by step."""
    terms = []
    for b in range(ys_in.shape[1]):
        h, c, logits = h0[b:b + 1], c0[b:b + 1], []
        for t in range(lengths[b]):
            h, c = lstm_cell(p.cell, ys_in[t, b:b + 1], h, c)
            logits.append((p.out.W_hy @ h[0]) + p.out.b_y)
        terms += sequence_nll(logits, targets[:, b], lengths[b])
    return float(np.mean(terms))


def seq2seq_loss(m: seq2seq.Seq2Seq, xs: np.ndarray, ys_in: np.ndarray, targets: np.ndarray,
                 lengths: np.ndarray) -> float:
    hs, cs = encoder_states(m.encoder, xs)
    return decoder_loss(m.decoder, hs[-1], cs[-1], ys_in, targets, lengths)


def attention_seq2seq_loss(m: seq2seq_attention.AttentionSeq2Seq, xs: np.ndarray,
                           ys_in: np.ndarray, targets: np.ndarray, lengths: np.ndarray) -> float:
    hs, cs = encoder_states(m.encoder, xs)
    terms = []
    for b in range(xs.shape[1]):
        h, c, logits = hs[-1, b:b + 1], cs[-1, b:b + 1], []
        for t in range(lengths[b]):
            h, c = lstm_cell(m.decoder, ys_in[t, b:b + 1], h, c)
            context, _ = attend(m.attention, hs[:, b], h[0])
            logits.append(m.out.W_hy @ np.concatenate([h[0], context]) + m.out.b_y)
        terms += sequence_nll(logits, targets[:, b], lengths[b])
    return float(np.mean(terms))


def captioning_loss(m: captioning.Captioner, features: np.ndarray, ys_in: np.ndarray,
                    targets: np.ndarray, lengths: np.ndarray) -> float:
    h0 = np.array([m.W_img @ f + m.b_img for f in features])
    return decoder_loss(m.decoder, h0, np.zeros_like(h0), ys_in, targets, lengths)


GRAD_FLOOR, FD_TOL, FD_ABS_TOL = 1e-2, 1e-7, 1e-9
"""As in gated_references: an array whose finite-difference gradient has norm >= GRAD_FLOOR must
agree to relative error FD_TOL, a smaller one to absolute error FD_ABS_TOL (the float64 floor of
central differences with eps = 1e-6 is ~1e-10 absolute per entry)."""


def assert_gradients_match(loss: Any, params: Any, grads: Any) -> dict[str, float]:
    """Compare every array of ``grads`` with central differences of ``loss`` at ``params``;
    return the relative error of each, for reports."""
    numeric = gradcheck.numerical_gradients(loss, params)
    errors = {}
    for (name, a), (_, n) in zip(_tree.named_arrays(grads), _tree.named_arrays(numeric),
                                 strict=True):
        errors[name] = gradcheck.relative_error(a, n)
        if np.linalg.norm(n) >= GRAD_FLOOR:
            assert errors[name] < FD_TOL, (name, "relative error", errors[name])
        else:
            assert np.linalg.norm(a - n) < FD_ABS_TOL, (name, "absolute error",
                                                        np.linalg.norm(a - n))
    return errors
