"""The reference for Table 4: one training step in the style of Karpathy's min-char-rnn (2015).

One sequence, column vectors, a Python loop over the 25 steps forward and back with a dictionary
of per-step arrays, numpy products of (H, V) and (H, H) matrices with (V, 1) and (H, 1) columns,
the loss summed over the steps, every gradient clipped entry by entry to [-5, 5], and Adagrad's
update in place: the way min-char-rnn spends its time, written here for the benchmark (the
arithmetic is the book's, chapter 9; the structure is min-char-rnn's).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Weights = dict[str, NDArray[np.float64]]

NAMES = ("Wxh", "Whh", "Why", "bh", "by")


def init(V: int, H: int, rng: np.random.Generator) -> Weights:
    """min-char-rnn's start: weights 0.01 N(0, 1), biases 0, as column-vector matrices."""
    return {"Wxh": 0.01 * rng.standard_normal((H, V)), "Whh": 0.01 * rng.standard_normal((H, H)),
            "Why": 0.01 * rng.standard_normal((V, H)), "bh": np.zeros((H, 1)),
            "by": np.zeros((V, 1))}


def loss_and_grads(w: Weights, inputs: NDArray[np.int64], targets: NDArray[np.int64],
                   h_prev: NDArray[np.float64]) -> tuple[float, Weights, NDArray[np.float64]]:
    """The summed cross-entropy of one chunk, its clipped gradients, and the last state."""
    V = w["Wxh"].shape[1]
    x, h, p = {}, {-1: h_prev}, {}
    loss = 0.0
    for t, (c, target) in enumerate(zip(inputs, targets, strict=True)):
        x[t] = np.zeros((V, 1))
        x[t][c] = 1.0                                                   # one-hot, a column
        h[t] = np.tanh(np.dot(w["Wxh"], x[t]) + np.dot(w["Whh"], h[t - 1]) + w["bh"])
        y = np.dot(w["Why"], h[t]) + w["by"]
        p[t] = np.exp(y) / np.sum(np.exp(y))
        loss += -float(np.log(p[t][target, 0]))
    g = {name: np.zeros_like(w[name]) for name in NAMES}
    dh_next = np.zeros_like(h_prev)
    for t in reversed(range(len(inputs))):
        dy = np.copy(p[t])
        dy[targets[t]] -= 1.0
        g["Why"] += np.dot(dy, h[t].T)
        g["by"] += dy
        dh = np.dot(w["Why"].T, dy) + dh_next
        da = (1.0 - h[t] * h[t]) * dh
        g["bh"] += da
        g["Wxh"] += np.dot(da, x[t].T)
        g["Whh"] += np.dot(da, h[t - 1].T)
        dh_next = np.dot(w["Whh"].T, da)
    for name in NAMES:
        np.clip(g[name], -5.0, 5.0, out=g[name])
    return loss, g, h[len(inputs) - 1]


def adagrad(w: Weights, g: Weights, memory: Weights, lr: float = 0.1) -> None:
    """Adagrad in place: memory += g², w -= lr g / sqrt(memory + 1e-8)."""
    for name in NAMES:
        memory[name] += g[name] * g[name]
        w[name] += -lr * g[name] / np.sqrt(memory[name] + 1e-8)
