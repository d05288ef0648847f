"""Exercises on the gated cells: an LSTM step, a GRU step, and BPTT through an LSTM.

Each checker knows the mistakes readers make with gates -- the gate order, a missing forget gate,
the reset gate in Cho et al.'s place instead of PyTorch's, :math:`\\tanh` of the cell state
forgotten, the cell-state gradient not carried back -- and names the one a wrong answer matches.
The mistaken variants are written here in plain numpy, independently of :mod:`rnnbook.lstm`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from rnnbook import gru, lstm
from rnnbook.activations import sigmoid
from rnnbook.exercises._core import Case, ExerciseError, call, compare, register, unpack

SIZES = [(1, 1, 1, 1), (4, 2, 3, 5), (3, 3, 2, 2), (2, 1, 4, 3)]
"""(T, B, D, H) of the cases: the smallest first, then square and general shapes."""


def _random(params: Any, seed: int) -> Any:
    """``params`` with every array drawn again, weights U(-1, 1) and biases U(-0.5, 0.5)."""
    rng = np.random.default_rng(seed)
    arrays = {f.name: getattr(params, f.name) for f in dataclasses.fields(params)
              if isinstance(getattr(params, f.name), np.ndarray)}
    return dataclasses.replace(params, **{
        name: rng.uniform(-0.5, 0.5, v.shape) if v.ndim == 1 else rng.uniform(-1, 1, v.shape)
        for name, v in arrays.items()})


def _label(T: int | None, B: int, D: int, H: int) -> str:
    one = " (a batch of one)" if B == 1 else ""
    return (f"T={T}, " if T else "") + f"B={B}{one}, D={D}, H={H}"


def _lstm_variant(p: lstm.Params, x: Any, h: Any, c: Any, mistake: str = "") -> tuple[Any, Any]:
    """An LSTM step, right or with one ``mistake``: returns (h_t, c_t)."""
    def pre(n: str) -> Any:
        return x @ getattr(p, f"W_x{n}").T + h @ getattr(p, f"W_h{n}").T + getattr(p, f"b_{n}")
    g_name, o_name = ("o", "g") if mistake == "order" else ("g", "o")
    i, f, o = sigmoid(pre("i")), sigmoid(pre("f")), sigmoid(pre(o_name))
    g = sigmoid(pre(g_name)) if mistake == "sigmoid g" else np.tanh(pre(g_name))
    c_t = {"no forget": c + i * g, "i f swapped": i * c + f * g}.get(mistake, f * c + i * g)
    h_t = o * (c_t if mistake == "no tanh" else np.tanh(c if mistake == "c_prev" else c_t))
    return h_t, c_t


LSTM_HINTS = {
    "order": "the candidate g and the output gate o seem swapped: rnnbook and PyTorch order the "
             "gates i, f, g, o (CS231n: i, f, o, g); g_t = tanh(W_xg x_t + W_hg h_{t-1} + b_g), "
             "o_t = sigmoid(W_xo x_t + W_ho h_{t-1} + b_o)",
    "no forget": "the forget gate seems to be missing: c_t = f_t * c_{t-1} + i_t * g_t",
    "i f swapped": "the forget gate f_t multiplies the old cell state c_{t-1}, the input gate i_t "
                   "the candidate g_t",
    "no tanh": "tanh of the cell state seems to be missing: h_t = o_t * tanh(c_t)",
    "c_prev": "h_t shows the new cell state: h_t = o_t * tanh(c_t), not tanh(c_{t-1})",
    "sigmoid g": "the candidate g_t takes tanh (values in (-1, 1)), not the sigmoid of the gates",
}


@register("lstm_step", "lstm_step(params, x_t, h_prev, c_prev) -> (h_t, c_t)",
          "one LSTM state update with gates i, f, g, o, shapes (B, D), (B, H), (B, H) -> "
          "(B, H), (B, H); the reference is rnnbook.lstm.step")
def check_lstm_step(fn: Callable[..., Any]) -> None:
    for k, (_, B, D, H) in enumerate(SIZES):
        p = _random(lstm.init(D, H, seed=0), seed=k)
        rng = np.random.default_rng(100 + k)
        x, h, c = rng.standard_normal((B, D)), rng.uniform(-1, 1, (B, H)), rng.normal(0, 2, (B, H))
        case = Case(f"x_t, h_prev, c_prev with {_label(None, B, D, H)}", (p, x, h, c))
        got_h, got_c = unpack(call(fn, case), 2, ("h_t", "c_t"), case)
        expected_h, expected_c = lstm.step(p, x, h, c)
        variants = {m: _lstm_variant(p, x, h, c, m) for m in LSTM_HINTS}
        swapped = ("the first value looks like the cell state: return (h_t, c_t) in that order",
                   expected_c)
        compare(got_h, expected_h, what="h_t", case=case, mistakes=[swapped] + [
            (LSTM_HINTS[m], v[0]) for m, v in variants.items()])
        compare(got_c, expected_c, what="c_t", case=case,
                mistakes=[(LSTM_HINTS[m], v[1]) for m, v in variants.items()])


def _gru_variant(p: gru.Params, x: Any, h: Any, mistake: str) -> Any:
    """A GRU step (PyTorch's placement) with one ``mistake``."""
    r_name, z_name = ("z", "r") if mistake == "r z swapped" else ("r", "z")
    r = sigmoid(x @ getattr(p, f"W_x{r_name}").T + h @ getattr(p, f"W_h{r_name}").T
                + getattr(p, f"b_{r_name}"))
    z = sigmoid(x @ getattr(p, f"W_x{z_name}").T + h @ getattr(p, f"W_h{z_name}").T
                + getattr(p, f"b_{z_name}"))
    inner = {"cho": (r * h) @ p.W_hn.T + p.b_hn, "b_hn outside": r * (h @ p.W_hn.T) + p.b_hn,
             "no reset": h @ p.W_hn.T + p.b_hn}.get(mistake, r * (h @ p.W_hn.T + p.b_hn))
    n = np.tanh(x @ p.W_xn.T + p.b_xn + inner)
    return z * n + (1 - z) * h if mistake == "z flipped" else (1 - z) * n + z * h


GRU_HINTS = {
    "cho": "the reset gate seems applied to h_{t-1} before W_hn (Cho et al.'s original "
           "placement); rnnbook and PyTorch apply it after: r_t * (W_hn h_{t-1} + b_hn)",
    "b_hn outside": "b_hn belongs inside the reset: r_t * (W_hn h_{t-1} + b_hn)",
    "no reset": "the reset gate seems to be missing from the candidate n_t",
    "z flipped": "the update gate keeps the old state: h_t = (1 - z_t) * n_t + z_t * h_{t-1}",
    "r z swapped": "the reset and update gates seem swapped: r uses W_xr, W_hr, b_r",
}


@register("gru_step", "gru_step(params, x_t, h_prev) -> h_t",
          "one GRU state update with PyTorch's reset placement, shapes (B, D), (B, H) -> (B, H); "
          "the reference is rnnbook.gru.step")
def check_gru_step(fn: Callable[..., Any]) -> None:
    for k, (_, B, D, H) in enumerate(SIZES):
        p = _random(gru.init(D, H, seed=0), seed=10 + k)
        rng = np.random.default_rng(200 + k)
        x, h = rng.standard_normal((B, D)), rng.uniform(-1, 1, (B, H))
        case = Case(f"x_t, h_prev with {_label(None, B, D, H)}", (p, x, h))
        variants = {m: _gru_variant(p, x, h, m) for m in GRU_HINTS}
        hints = dict(GRU_HINTS)
        if np.allclose(variants["cho"], variants["b_hn outside"]):  # H = 1: one and the same
            hints["cho"] = ("r_t multiplies W_hn h_{t-1} + b_hn as a whole: b_hn belongs inside "
                            "the reset, and r_t acts after W_hn, not on h_{t-1} before it (Cho "
                            "et al.'s original placement)")
        compare(call(fn, case), gru.step(p, x, h), what="h_t", case=case,
                mistakes=[(hints[m], v) for m, v in variants.items()])


def _lstm_backward_variant(p: lstm.Params, cache: lstm.Cache, dhs: Any, dc_last: Any,
                           mistake: str) -> dict[str, Any]:
    """BPTT through an LSTM with one ``mistake``: every gradient, by name."""
    T = len(dhs)
    gates = {n: getattr(cache, n) for n in lstm.GATES}
    deltas = {n: np.zeros_like(dhs) for n in lstm.GATES}
    dh, dc = np.zeros_like(dhs[0]), (0 * dc_last if mistake == "dc_last" else dc_last)
    for t in range(T - 1, -1, -1):
        i, f, g, o = (gates[n][t] for n in lstm.GATES)
        dh = dhs[t] + dh
        tanh_c = np.tanh(cache.cells[t + 1])
        dc = dc + dh * o * (1 if mistake == "no tanh'" else 1 - tanh_c**2)
        c_used = cache.cells[t + 1] if mistake == "c_t in f" else cache.cells[t]
        deltas["i"][t], deltas["f"][t] = dc * g * i * (1 - i), dc * c_used * f * (1 - f)
        deltas["g"][t], deltas["o"][t] = dc * i * (1 - g**2), dh * tanh_c * o * (1 - o)
        dh = sum(deltas[n][t] @ getattr(p, f"W_h{n}") for n in lstm.GATES)
        dh = 0 * dh if mistake == "h not carried" else dh
        dc = 0 * dc if mistake == "c not carried" else dc * f
    out = {"dxs": sum(deltas[n] @ getattr(p, f"W_x{n}") for n in lstm.GATES), "dh0": dh,
           "dc0": dc}
    for n in lstm.GATES:
        out[f"W_x{n}"] = np.einsum("tbh,tbd->hd", deltas[n], cache.xs)
        out[f"W_h{n}"] = np.einsum("tbh,tbk->hk", deltas[n], cache.states[:-1])
        out[f"b_{n}"] = deltas[n].sum(axis=(0, 1))
    return out


BACKWARD_HINTS = {
    "c not carried": "the cell-state gradient does not seem to be carried back: dL/dc_{t-1} "
                     "receives dL/dc_t * f_t, on top of what comes through h_{t-1}",
    "h not carried": "the gradient does not seem to flow back through h: dL/dh_{t-1} = "
                     "sum over the gates of delta_t @ W_h., added to dhs[t-1]",
    "no tanh'": "the path from h_t to c_t goes through tanh: dL/dc_t gets "
                "dL/dh_t * o_t * (1 - tanh(c_t)**2)",
    "c_t in f": "the forget gate multiplies c_{t-1}: its delta uses the previous cell state",
    "dc_last": "dc_last, the gradient on the final cell state c_T, seems to be ignored",
}


@register("lstm_backward", "lstm_backward(params, cache, dhs, dc_last) -> (grads, dxs, dh0, dc0)",
          "BPTT through an LSTM: grads (fields W_xi, W_hi, b_i, ... for i, f, g, o), dxs (T, B, D),"
          " dh0 and dc0 (B, H) from dhs (T, B, H) and dc_last (B, H); cache comes from "
          "rnnbook.lstm.forward; the reference is rnnbook.lstm.backward")
def check_lstm_backward(fn: Callable[..., Any]) -> None:
    for k, (T, B, D, H) in enumerate(SIZES):
        p = _random(lstm.init(D, H, seed=0), seed=20 + k)
        rng = np.random.default_rng(300 + k)
        _, cache = lstm.forward(p, rng.standard_normal((T, B, D)), rng.uniform(-1, 1, (B, H)),
                                rng.normal(0, 1, (B, H)))
        dhs, dc_last = rng.standard_normal((T, B, H)), rng.standard_normal((B, H))
        case = Case(f"the input {_label(T, B, D, H)}, dhs and dc_last non-zero",
                    (p, cache, dhs, dc_last))
        got_grads, *got_rest = unpack(call(fn, case), 4, ("grads", "dxs", "dh0", "dc0"), case)
        ref_grads, *ref_rest = lstm.backward(p, cache, dhs, dc_last)
        variants = {m: _lstm_backward_variant(p, cache, dhs, dc_last, m) for m in BACKWARD_HINTS}
        expected = {f.name: getattr(ref_grads, f.name) for f in dataclasses.fields(ref_grads)}
        for field in expected:
            got = got_grads.get(field) if isinstance(got_grads, dict) else \
                getattr(got_grads, field, None)
            if got is None:
                raise ExerciseError(f"grads should have a field {field} (an lstm.Params or a "
                                    f"dict); got a {type(got_grads).__name__}\n  on {case.label}")
            compare(got, expected[field], what=f"grads.{field}", case=case,
                    mistakes=[(BACKWARD_HINTS[m], v[field]) for m, v in variants.items()])
        for name, got, ref in zip(("dxs", "dh0", "dc0"), got_rest, ref_rest, strict=True):
            compare(got, ref, what=name, case=case,
                    mistakes=[(BACKWARD_HINTS[m], v[name]) for m, v in variants.items()])
