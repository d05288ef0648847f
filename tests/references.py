"""Plain-numpy references for the vanilla cell, shared by several test modules.

Each is written from the textbook definition and is independent of ``rnnbook.rnn``'s code:

- ``REF_F``: each activation, written in the most obvious way;
- ``REF_DF``: each activation's derivative written from the *pre-activation* (rnnbook writes it
  from the output);
- ``reference_forward``: the forward pass as a loop, also returning the pre-activations;
- ``truncated_bptt_by_loops``: truncated BPTT the slow way, one loss term and one outer product
  at a time.

Imported as ``from references import ...``, like ``book_build`` (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnbook import rnn

REF_F = {
    "tanh": np.tanh,
    "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
    "relu": lambda a: np.where(a > 0.0, a, 0.0),
    "identity": lambda a: a,
}
"""Each activation, written in the most obvious way."""

REF_DF = {
    "tanh": lambda a: 1.0 / np.cosh(a) ** 2,
    "sigmoid": lambda a: np.exp(-a) / (1.0 + np.exp(-a)) ** 2,
    "relu": lambda a: (a > 0.0).astype(np.float64),
    "identity": np.ones_like,
}
"""Each derivative from the pre-activation a (rnnbook computes it from the output h = f(a))."""


def reference_forward(p: rnn.Params, xs: np.ndarray, h0: np.ndarray,
                      act: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pre-activations (T, B, H) and states h_0..h_T (T+1, B, H), by the textbook loop."""
    f = REF_F[act or p.activation]
    states, pre = [h0], []
    for x_t in xs:
        a_t = x_t @ p.W_xh.T + states[-1] @ p.W_hh.T + p.b_h
        pre.append(a_t)
        states.append(f(a_t))
    return np.array(pre), np.array(states)


@dataclass(frozen=True)
class Problem:
    """One random instance: parameters, inputs, initial state and loss weights w."""

    p: rnn.Params
    xs: np.ndarray
    h0: np.ndarray
    w: np.ndarray  # (T, B, H): the loss is sum(w * hs), so dhs = w

    @property
    def T(self) -> int:  # noqa: N802 -- T as in the book's notation
        return self.xs.shape[0]

    def loss(self, p: rnn.Params | None = None, xs: np.ndarray | None = None,
             h0: np.ndarray | None = None) -> float:
        """L = sum(w * hs) with rnnbook's forward pass, any argument replaced."""
        hs, _ = rnn.forward(p or self.p, self.xs if xs is None else xs,
                            self.h0 if h0 is None else h0)
        return float(np.sum(self.w * hs))


def truncated_bptt_by_loops(prob: Problem, k: int) -> tuple[rnn.Params, np.ndarray, np.ndarray]:
    """Truncated BPTT the slow way: each loss term walks back k steps, one outer product each."""
    p, xs, w = prob.p, prob.xs, prob.w
    T, B, _ = xs.shape
    pre, states = reference_forward(p, xs, prob.h0)
    df = REF_DF[p.activation]
    dW_xh, dW_hh, db_h = np.zeros_like(p.W_xh), np.zeros_like(p.W_hh), np.zeros_like(p.b_h)
    dxs, dh0 = np.zeros_like(xs), np.zeros_like(prob.h0)
    for t in range(1, T + 1):
        g = w[t - 1]                                 # dL_t/dh_t, (B, H)
        for s in range(t, max(t - k, 0), -1):        # s = t, t-1, ..., max(t-k+1, 1)
            delta = df(pre[s - 1]) * g               # dL_t/da_s
            for b in range(B):
                dW_xh += np.outer(delta[b], xs[s - 1, b])
                dW_hh += np.outer(delta[b], states[s - 1, b])
                db_h += delta[b]
                dxs[s - 1, b] += p.W_xh.T @ delta[b]
            g = delta @ p.W_hh                       # dL_t/dh_{s-1}
        if t - k <= 0:                               # the walk reached h_0
            dh0 += g
    return rnn.Params(dW_xh, dW_hh, db_h, p.activation), dxs, dh0
