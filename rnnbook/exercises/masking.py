"""Exercises on sequences of different lengths (chapter 10): the last real state, reversing each
sequence within its length, and the masked loss.

Each checker knows the slips that padding invites -- reading the last row of the array instead of
each sequence's last real step, an index one step off, flipping the whole time axis, averaging over
the padded steps too -- and names the one a wrong answer matches. The mistaken variants are
written here in plain numpy, independently of :mod:`rnnbook.masking`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from rnnbook import masking
from rnnbook.exercises._core import Case, call, compare, number, register, unpack


def _batches(*, with_targets: bool = False) -> Iterator[Case]:
    """One sequence of one step first, then batches of mixed lengths (one as long as the batch)."""
    for i, (T, B, H) in enumerate([(1, 1, 2), (5, 3, 2), (6, 4, 3), (4, 2, 1)]):
        rng = np.random.default_rng(60 + i)
        lengths = np.concatenate([[T], rng.integers(1, T + 1, B - 1)])
        hs = rng.standard_normal((T, B, H))
        hs[masking.mask(lengths, T) == 0] += 5.0      # padded steps: values no result may use
        one = " (a batch of one)" if B == 1 else ""
        label = f"T={T}, B={B}{one}, lengths={list(lengths)}"
        if with_targets:
            targets = rng.integers(0, H + 1, (T, B))
            logits = rng.standard_normal((T, B, H + 1))
            yield Case(label + f", V={H + 1} classes", (logits, targets, lengths))
        else:
            yield Case(label + f", H={H}", (hs, lengths))


@register("last_state", "last_state(hs, lengths) -> (B, H)",
          "each sequence's last real state h_{n_b} from states hs (T, B, H) of a padded batch "
          "and integer lengths (B,); the reference is rnnbook.masking.last")
def check_last_state(fn: Callable[..., Any]) -> None:
    for case in _batches():
        hs, lengths = case.args
        B = hs.shape[1]
        mistakes = [
            ("that is the last row of the array, hs[-1]: a sequence shorter than T ends at step "
             "n_b, so read hs[n_b - 1] for sequence b", hs[-1]),
            ("one step too far: with 0-based indices the last real state of sequence b is "
             "hs[lengths[b] - 1, b]", hs[np.minimum(lengths, len(hs) - 1), np.arange(B)]),
            ("that is the first state, hs[0]: many-to-one reads the end of each sequence",
             hs[0]),
        ]
        compare(call(fn, case), masking.last(hs, lengths), what="the last real states",
                case=case, mistakes=mistakes)


@register("reverse_padded", "reverse_padded(xs, lengths) -> (T, B, ...)",
          "every sequence of a padded batch xs (T, B, ...) reversed within its own length, the "
          "padding left at the end; the reference is rnnbook.masking.reverse")
def check_reverse_padded(fn: Callable[..., Any]) -> None:
    for case in _batches():
        xs, lengths = case.args
        mistakes = [
            ("that flips the whole time axis, xs[::-1]: a short sequence would then start with "
             "its padding. Reverse only the first n_b steps of sequence b", xs[::-1]),
        ]
        compare(call(fn, case), masking.reverse(xs, lengths), what="the reversed batch",
                case=case, mistakes=mistakes)


@register("masked_cross_entropy",
          "masked_cross_entropy(logits, targets, lengths) -> (loss, dlogits)",
          "the mean cross-entropy over the real steps only of logits (T, B, V) and integer "
          "targets (T, B) (any value at padded steps), with its gradient; the reference is "
          "rnnbook.masking.cross_entropy")
def check_masked_cross_entropy(fn: Callable[..., Any]) -> None:
    for case in _batches(with_targets=True):
        logits, targets, lengths = case.args
        T, V = logits.shape[0], logits.shape[2]
        m = masking.mask(lengths, T)                                        # (T, B)
        z = logits - logits.max(axis=-1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))            # (T, B, V)
        terms = -np.take_along_axis(logp, targets[..., None], axis=-1)[..., 0]   # (T, B)
        onehot = np.eye(V)[targets]                                          # (T, B, V)
        p_minus_y = np.exp(logp) - onehot
        every, real = m.size, m.sum()
        loss, grads = masking.cross_entropy(logits, targets, lengths)
        loss_hints = [
            ("that is the mean over every step, padded ones included: count only the real "
             "steps, where the mask is 1", np.mean(terms)),
            ("the padded steps are left out of the sum but still counted in the mean: divide "
             "by the number of real steps, the sum of the mask", np.sum(m * terms) / every),
            ("that is the sum over the real steps: divide by their number for the mean",
             np.sum(m * terms)),
        ]
        got_loss, got_grads = unpack(call(fn, case), 2, ("loss", "dlogits"), case)
        compare(np.asarray(number(got_loss, "the loss", case)), np.array(loss), what="the loss",
                case=case, mistakes=[(h, np.array(v)) for h, v in loss_hints])
        grad_hints = [
            ("the padded steps get a gradient: multiply by the mask so that they get none",
             p_minus_y / real),
            ("the gradient is divided by every step, padded ones included: divide by the "
             "number of real steps", m[..., None] * p_minus_y / every),
        ]
        compare(got_grads, grads, what="dlogits", case=case, mistakes=grad_hints)
