"""The padding checkers accept correct answers and name the slips padding invites.

The correct answers are written here with loops, from the definitions, not by calling
``rnnbook.masking``.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from rnnbook import exercises


def last_state(hs, lengths):
    return np.stack([hs[n - 1, b] for b, n in enumerate(lengths)])


def reverse_padded(xs, lengths):
    out = xs.copy()
    for b, n in enumerate(lengths):
        out[:n, b] = xs[:n, b][::-1]
    return out


def masked_cross_entropy(logits, targets, lengths, *, over=None, grad_everywhere=False):
    T, B, V = logits.shape
    real = [(t, b) for b in range(B) for t in range(T) if t < lengths[b]]
    count = len(real) if over is None else over(T, B, real)
    loss, dlogits = 0.0, np.zeros_like(logits)
    for t in range(T):
        for b in range(B):
            p = np.exp(logits[t, b] - logits[t, b].max())
            p /= p.sum()
            if (t, b) in real:
                loss -= np.log(p[targets[t, b]]) / count
            if (t, b) in real or grad_everywhere:
                dlogits[t, b] = (p - np.eye(V)[targets[t, b]]) / count
    return loss, dlogits


@pytest.mark.parametrize(("name", "fn"), [("last_state", last_state),
                                          ("reverse_padded", reverse_padded),
                                          ("masked_cross_entropy", masked_cross_entropy)])
def test_the_checkers_accept_correct_answers(name: str, fn) -> None:
    assert exercises.check(name, fn)


MISTAKES = [
    ("last_state", lambda hs, lengths: hs[-1], "the last row of the array, hs[-1]"),
    ("last_state",
     lambda hs, lengths: hs[np.minimum(lengths, len(hs) - 1), np.arange(len(lengths))],
     "one step too far"),
    ("reverse_padded", lambda xs, lengths: xs[::-1], "that flips the whole time axis"),
    ("masked_cross_entropy",
     lambda z, y, n: masked_cross_entropy(z, y, n, over=lambda T, B, real: T * B),
     "still counted in the mean"),
    ("masked_cross_entropy",
     lambda z, y, n: masked_cross_entropy(z, y, n, grad_everywhere=True),
     "the padded steps get a gradient"),
    ("masked_cross_entropy",
     lambda z, y, n: masked_cross_entropy(z, y, n, over=lambda T, B, real: 1),
     "that is the sum over the real steps"),
]


@pytest.mark.parametrize(("name", "fn", "hint"), MISTAKES,
                         ids=[f"{m[0]}:{m[2][:20]}" for m in MISTAKES])
def test_the_checkers_name_the_mistake(name: str, fn, hint: str) -> None:
    with pytest.raises(AssertionError, match=re.escape(hint)):
        exercises.check(name, fn)
