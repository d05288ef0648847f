"""Exercises on encoder-decoders (chapters 11 and 12): an attention step, a beam-search step, and
the gradients of the captioner's affine layer.

Each checker knows the slips these invite -- a softmax over the wrong axis, a forgotten tanh, the
weights left unnormalised; the best K tokens of each hypothesis instead of the best K of all;
probabilities added instead of log-probabilities; the bias's gradient forgotten -- and names the
one a wrong answer matches. The mistaken variants are written here in plain numpy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from rnnbook import attention, beam, captioning, decoder
from rnnbook.exercises._core import Case, ExerciseError, call, compare, number, register, unpack

SIZES = [(1, 1, 1, 1, 1), (5, 3, 4, 2, 3), (3, 1, 2, 3, 4), (6, 2, 3, 3, 2)]
"""(S, B, H, Q, A) of the attention cases: the smallest first."""


def _attention_case(k: int) -> Case:
    S, B, H, Q, A = SIZES[k]
    rng = np.random.default_rng(60 + k)
    p = attention.Params(W_k=rng.uniform(-1, 1, (A, H)), W_q=rng.uniform(-1, 1, (A, Q)),
                         v=rng.uniform(-1.5, 1.5, A))
    one = " (a batch of one)" if B == 1 else ""
    return Case(f"S={S} positions, B={B}{one}, H={H}, Q={Q}, A={A}",
                (p, rng.standard_normal((S, B, H)), rng.standard_normal((B, Q))))


def _attention_variant(p: attention.Params, hs: Any, q: Any, mistake: str) -> tuple[Any, Any]:
    """(context, weights) of one query, with one ``mistake``."""
    a = hs @ p.W_k.T + q @ p.W_q.T                               # (S, B, A)
    e = (a if mistake == "no tanh" else np.tanh(a)) @ p.v        # (S, B)
    if mistake == "batch axis":
        w = np.exp(e) / np.exp(e).sum(axis=1, keepdims=True)
    elif mistake == "unnormalised":
        w = np.exp(e)
    elif mistake == "scores":
        w = e
    else:
        w = np.exp(e - e.max(axis=0)) / np.exp(e - e.max(axis=0)).sum(axis=0)
    context = hs.sum(axis=0) if mistake == "unweighted" else np.einsum("sb,sbh->bh", w, hs)
    return context, w.T


ATTENTION_HINTS = {
    "no tanh": "tanh seems to be missing: e_s = v^T tanh(W_k h_s + W_q q)",
    "batch axis": "the softmax seems to run over the batch: the weights of each sequence must "
                  "sum to 1 over its S positions (axis 0 of hs)",
    "unnormalised": "the weights are exp(e_s) but not divided by their sum over the positions",
    "scores": "the weights seem to be the scores e_s themselves: alpha = softmax(e) over s",
    "unweighted": "the context seems to be the plain sum of the states: weight each h_s by "
                  "alpha_s",
}


@register("attention_step", "attention_step(params, hs, query) -> (context, weights)",
          "additive attention for one query: hs (S, B, H), query (B, Q) -> context (B, H), "
          "weights (B, S); the reference is rnnbook.attention.forward with T = 1")
def check_attention_step(fn: Callable[..., Any]) -> None:
    for k in range(len(SIZES)):
        case = _attention_case(k)
        p, hs, q = case.args
        got_context, got_weights = unpack(call(fn, case), 2, ("context", "weights"), case)
        contexts, weights, _ = attention.forward(p, hs, q[None])
        variants = {m: _attention_variant(p, hs, q, m) for m in ATTENTION_HINTS}
        compare(got_weights, weights[0], what="the weights alpha (B, S)", case=case,
                mistakes=[(ATTENTION_HINTS[m], v[1]) for m, v in variants.items()]
                + [("the weights seem transposed: return them as (B, S)", weights[0].T)])
        compare(got_context, contexts[0], what="the context (B, H)", case=case,
                mistakes=[(ATTENTION_HINTS[m], v[0]) for m, v in variants.items()])


def _beam_case(k: int) -> Case:
    B, K, V, W = [(1, 1, 3, 1), (2, 3, 4, 3), (3, 2, 5, 4), (1, 4, 2, 4)][k]
    rng = np.random.default_rng(80 + k)
    scores = np.sort(np.log(rng.dirichlet(np.ones(K + 1), B)[:, :K]), axis=1)[:, ::-1]
    log_probs = np.log(rng.dirichlet(np.full(V, 0.7), (B, K)))
    one = " (a batch of one)" if B == 1 else ""
    return Case(f"B={B}{one}, K={K} hypotheses, V={V} tokens, width {W}",
                (scores.copy(), log_probs, W))


@register("beam_step", "beam_step(scores, log_probs, width) -> (scores, parents, tokens)",
          "keep the width best extensions of the hypotheses of each source: scores (B, K), "
          "log_probs (B, K, V) -> (B, width) each, best first; the reference is "
          "rnnbook.beam.best_extensions")
def check_beam_step(fn: Callable[..., Any]) -> None:
    for k in range(4):
        case = _beam_case(k)
        scores, log_probs, W = case.args
        got = unpack(call(fn, case), 3, ("scores", "parents", "tokens"), case)
        expected = beam.best_extensions(scores, log_probs, W)
        B, K, _ = log_probs.shape
        each = np.sort(scores[..., None] + log_probs, axis=2)[..., ::-1][..., : max(W // K, 1)]
        probs = np.sort((np.exp(scores[..., None]) + np.exp(log_probs)).reshape(B, -1),
                        axis=1)[:, ::-1][:, :W]
        alone = np.sort(log_probs.reshape(B, -1), axis=1)[:, ::-1][:, :W]
        ascending = np.sort((scores[..., None] + log_probs).reshape(B, -1), axis=1)[:, :W]
        hints = [
            ("the scores seem to leave out the hypotheses' own scores: a candidate scores "
             "s_k + log p(c | hypothesis k)", alone),
            ("the scores seem to be sums of probabilities: add log-probabilities, which "
             "multiplies the probabilities", probs),
            ("the scores are sorted lowest first: keep the highest", ascending),
        ]
        if W >= K and each.shape[-1] * K == W:
            hints.append(("the best tokens seem chosen within each hypothesis: choose the best "
                          "of all K V candidates together", each.reshape(B, -1)))
        compare(got[0], expected[0], what="the new scores", case=case, mistakes=hints)
        for i, name in ((1, "parents"), (2, "tokens")):
            compare(got[i], expected[i], what=f"the {name}", case=case, mistakes=[
                ("parents and tokens seem swapped: parents index the hypotheses (0..K-1), "
                 "tokens the vocabulary (0..V-1)", expected[3 - i])])


def _captioning_case(k: int) -> Case:
    B, F, V, H, T = [(1, 2, 3, 2, 1), (3, 5, 4, 3, 4), (2, 4, 6, 2, 3)][k]
    rng = np.random.default_rng(90 + k)
    m = captioning.init(F, V, H, seed=rng)
    m = captioning.Captioner(rng.uniform(-1, 1, (H, F)), rng.uniform(-0.5, 0.5, H), m.decoder)
    targets = rng.integers(1, V, (T, B))
    lengths = rng.integers(1, T + 1, B)
    one = " (a batch of one)" if B == 1 else ""
    return Case(f"B={B}{one} images of F={F} features, H={H}, V={V} words, T={T}",
                (m, rng.random((B, F)), decoder.shifted_inputs(targets, 0, V), targets, lengths))


@register("captioning_loss",
          "captioning_loss(model, features, ys_in, targets, lengths) -> (loss, grads)",
          "the captioner's teacher-forced loss with h0 = W_img f + b_img, c0 = 0, and its "
          "gradients as a captioning.Captioner; the reference is "
          "rnnbook.captioning.loss_and_grads")
def check_captioning_loss(fn: Callable[..., Any]) -> None:
    for k in range(3):
        case = _captioning_case(k)
        m, features, *rest = case.args
        value, grads = unpack(call(fn, case), 2, ("loss", "grads"), case)
        ref_value, ref = captioning.loss_and_grads(m, features, *rest)
        if abs(number(value, "the loss", case) - ref_value) > 1e-9 * max(1.0, abs(ref_value)):
            raise ExerciseError(f"the loss should be {ref_value:.6g}, got {float(value):.6g}\n"
                                f"  on {case.label}\n  hint: h0 = features @ W_img.T + b_img, "
                                f"c0 = zeros, then rnnbook.decoder.loss_and_grads")
        if not isinstance(grads, captioning.Captioner):
            raise ExerciseError(f"grads should be a captioning.Captioner of gradients, built as "
                                f"captioning.Captioner(dW_img, db_img, decoder_grads); got a "
                                f"{type(grads).__name__}\n  on {case.label}")
        dh0 = ref.b_img                                   # the sum over the batch of dL/dh0
        compare(grads.W_img, ref.W_img, what="grads.W_img (H, F)", case=case, mistakes=[
            ("dL/dW_img is the sum over the batch of dL/dh0 times the features: dh0.T @ features "
             "(the features seem to be missing)", np.tile(dh0[:, None], (1, features.shape[1])))])
        compare(grads.b_img, ref.b_img, what="grads.b_img (H,)", case=case, mistakes=[
            ("the bias's gradient is the sum of dL/dh0 over the batch, not its mean",
             dh0 / len(features))])
        compare(grads.decoder.out.W_hy, ref.decoder.out.W_hy, what="grads.decoder.out.W_hy",
                case=case)
