"""Plain-numpy references for the gated cells, shared by their test modules.

Written from the textbook equations with nothing from ``rnnbook.lstm``/``rnnbook.gru`` but the
``Params`` containers: the sigmoid is the obvious ``1 / (1 + exp(-a))``, the loops are naive.

- ``lstm_forward``/``gru_forward``: the states, by a loop;
- ``lstm_windowed_loss``/``gru_windowed_loss``: the *definition* of truncated BPTT as a loss whose
  finite differences are the truncated gradients (each loss term recomputed from a detached state
  k steps back);
- ``random_lstm``/``random_gru``: parameters with every array drawn (non-zero biases);
- ``fd``: central differences of a loss with respect to an array.

Imported as ``from gated_references import ...`` (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from rnnbook import gradcheck, gru, lstm


def sigmoid(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


def _redraw(params: Any, rng: np.random.Generator, scale: float) -> Any:
    return dataclasses.replace(params, **{
        f.name: rng.normal(0.0, scale, getattr(params, f.name).shape)
        for f in dataclasses.fields(params) if isinstance(getattr(params, f.name), np.ndarray)})


def random_lstm(rng: np.random.Generator, D: int, H: int, scale: float = 0.7) -> lstm.Params:
    """Every weight and bias drawn from N(0, scale²)."""
    return _redraw(lstm.init(D, H, seed=0), rng, scale)


def random_gru(rng: np.random.Generator, D: int, H: int, reset: str = "pytorch",
               scale: float = 0.7) -> gru.Params:
    return _redraw(gru.init(D, H, seed=0, reset=reset), rng, scale)


def lstm_cell(p: lstm.Params, x: np.ndarray, h: np.ndarray,
              c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    i = sigmoid(x @ p.W_xi.T + h @ p.W_hi.T + p.b_i)
    f = sigmoid(x @ p.W_xf.T + h @ p.W_hf.T + p.b_f)
    g = np.tanh(x @ p.W_xg.T + h @ p.W_hg.T + p.b_g)
    o = sigmoid(x @ p.W_xo.T + h @ p.W_ho.T + p.b_o)
    c = f * c + i * g
    return o * np.tanh(c), c


def gru_cell(p: gru.Params, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    r = sigmoid(x @ p.W_xr.T + h @ p.W_hr.T + p.b_r)
    z = sigmoid(x @ p.W_xz.T + h @ p.W_hz.T + p.b_z)
    if p.reset == "pytorch":
        n = np.tanh(x @ p.W_xn.T + p.b_xn + r * (h @ p.W_hn.T + p.b_hn))
    else:
        n = np.tanh(x @ p.W_xn.T + p.b_xn + (r * h) @ p.W_hn.T + p.b_hn)
    return (1 - z) * n + z * h


def lstm_forward(p: lstm.Params, xs: np.ndarray, h0: np.ndarray,
                 c0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """States h_0..h_T and c_0..c_T, each (T + 1, B, H)."""
    hs, cs = [h0], [c0]
    for x in xs:
        h, c = lstm_cell(p, x, hs[-1], cs[-1])
        hs.append(h)
        cs.append(c)
    return np.array(hs), np.array(cs)


def gru_forward(p: gru.Params, xs: np.ndarray, h0: np.ndarray) -> np.ndarray:
    """States h_0..h_T, (T + 1, B, H)."""
    hs = [h0]
    for x in xs:
        hs.append(gru_cell(p, x, hs[-1]))
    return np.array(hs)


def lstm_windowed_loss(p: lstm.Params, xs: np.ndarray, h0: np.ndarray, c0: np.ndarray,
                       w: np.ndarray, wc: np.ndarray, k: int, detached: tuple[Any, Any]) -> float:
    """L = Σ_t w_t·h_t + wc·c_T, each term computed from the *detached* (constant) states k steps
    before it (or from h0, c0 if fewer than k steps precede it). Its gradient is truncated BPTT."""
    hs_fixed, cs_fixed = detached
    T, total = len(xs), 0.0
    for t in range(1, T + 1):
        start = t - k
        h, c = (h0, c0) if start <= 0 else (hs_fixed[start], cs_fixed[start])
        for s in range(max(start, 0) + 1, t + 1):
            h, c = lstm_cell(p, xs[s - 1], h, c)
        total += float(np.sum(w[t - 1] * h)) + (float(np.sum(wc * c)) if t == T else 0.0)
    return total


def gru_windowed_loss(p: gru.Params, xs: np.ndarray, h0: np.ndarray, w: np.ndarray, k: int,
                      detached: np.ndarray) -> float:
    T, total = len(xs), 0.0
    for t in range(1, T + 1):
        start = t - k
        h = h0 if start <= 0 else detached[start]
        for s in range(max(start, 0) + 1, t + 1):
            h = gru_cell(p, xs[s - 1], h)
        total += float(np.sum(w[t - 1] * h))
    return total


def fd(loss: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Central differences, eps = 1e-6."""
    return gradcheck.numerical_gradient(loss, x, eps=1e-6)


GRAD_FLOOR, FD_TOL, FD_ABS_TOL = 1e-2, 1e-7, 1e-9
"""As in test_rnn.py: a gradient whose finite-difference estimate has norm >= GRAD_FLOOR must
agree to relative error FD_TOL; a smaller one to absolute error FD_ABS_TOL (the float64 floor of
central differences is ~1e-10 absolute)."""


def assert_matches_finite_differences(analytic: dict[str, np.ndarray],
                                      numeric: dict[str, np.ndarray], context: object = None
                                      ) -> dict[str, float]:
    """Check every array; return the relative error of each, for reports."""
    errors = {}
    for name, a in analytic.items():
        n = numeric[name]
        errors[name] = gradcheck.relative_error(a, n)
        if np.linalg.norm(n) >= GRAD_FLOOR:
            assert errors[name] < FD_TOL, (context, name, "relative error", errors[name])
        else:
            err = float(np.linalg.norm(a - n))
            assert err < FD_ABS_TOL, (context, name, "absolute error", err)
    return errors


def fields(params: Any) -> dict[str, np.ndarray]:
    """The arrays of a Params, by name."""
    return {f.name: getattr(params, f.name) for f in dataclasses.fields(params)
            if isinstance(getattr(params, f.name), np.ndarray)}
