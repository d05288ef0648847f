"""The gated-cell checkers accept correct implementations and name each usual mistake.

Each wrong implementation below is written as a reader would write it, with one mistake; the
checker must reject it with the hint for that very mistake.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from rnnbook import exercises, gru, lstm


def sigmoid(a: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-a))


def my_lstm_step(p: lstm.Params, x, h, c, mistake: str = "") -> Any:
    """A reader's LSTM step, right or with one mistake."""
    i = sigmoid(x @ p.W_xi.T + h @ p.W_hi.T + p.b_i)
    f = sigmoid(x @ p.W_xf.T + h @ p.W_hf.T + p.b_f)
    if mistake == "order":      # CS231n's i, f, o, g read into PyTorch's i, f, g, o
        o = sigmoid(x @ p.W_xg.T + h @ p.W_hg.T + p.b_g)
        g = np.tanh(x @ p.W_xo.T + h @ p.W_ho.T + p.b_o)
    else:
        o = sigmoid(x @ p.W_xo.T + h @ p.W_ho.T + p.b_o)
        g = (sigmoid if mistake == "sigmoid g" else np.tanh)(x @ p.W_xg.T + h @ p.W_hg.T + p.b_g)
    if mistake == "no forget":
        c_new = c + i * g
    elif mistake == "i f swapped":
        c_new = i * c + f * g
    else:
        c_new = f * c + i * g
    h_new = o * c_new if mistake == "no tanh" else o * np.tanh(c_new)
    if mistake == "c_prev":
        h_new = o * np.tanh(c)
    return (c_new, h_new) if mistake == "swapped outputs" else (h_new, c_new)


def my_gru_step(p: gru.Params, x, h, mistake: str = "") -> Any:
    r = sigmoid(x @ p.W_xr.T + h @ p.W_hr.T + p.b_r)
    z = sigmoid(x @ p.W_xz.T + h @ p.W_hz.T + p.b_z)
    if mistake == "r z swapped":
        r, z = z, r
    if mistake == "cho":
        n = np.tanh(x @ p.W_xn.T + p.b_xn + (r * h) @ p.W_hn.T + p.b_hn)
    elif mistake == "b_hn outside":
        n = np.tanh(x @ p.W_xn.T + p.b_xn + r * (h @ p.W_hn.T) + p.b_hn)
    elif mistake == "no reset":
        n = np.tanh(x @ p.W_xn.T + p.b_xn + h @ p.W_hn.T + p.b_hn)
    else:
        n = np.tanh(x @ p.W_xn.T + p.b_xn + r * (h @ p.W_hn.T + p.b_hn))
    return z * n + (1 - z) * h if mistake == "z flipped" else (1 - z) * n + z * h


def my_lstm_backward(p: lstm.Params, cache: lstm.Cache, dhs, dc_last, mistake: str = "") -> Any:
    """A reader's BPTT, CS231n style: per step, gates from the cache, one product rule each."""
    T = len(dhs)
    grads = {name: np.zeros_like(getattr(p, name)) for name in
             [f"{w}{n}" for n in "ifgo" for w in ("W_x", "W_h", "b_")]}
    dxs = np.zeros_like(cache.xs)
    dh_next = np.zeros_like(dhs[0])
    dc_next = np.zeros_like(dc_last) if mistake == "dc_last" else dc_last
    for t in reversed(range(T)):
        i, f, g, o = cache.i[t], cache.f[t], cache.g[t], cache.o[t]
        c, c_prev, h_prev, x = cache.cells[t + 1], cache.cells[t], cache.states[t], cache.xs[t]
        dh = dhs[t] + dh_next
        dc = dc_next + dh * o * (1 if mistake == "no tanh'" else 1 - np.tanh(c) ** 2)
        da = {"i": dc * g * i * (1 - i),
              "f": dc * (c if mistake == "c_t in f" else c_prev) * f * (1 - f),
              "g": dc * i * (1 - g**2), "o": dh * np.tanh(c) * o * (1 - o)}
        dh_next = np.zeros_like(dh)
        for n, d in da.items():
            grads[f"W_x{n}"] += d.T @ x
            grads[f"W_h{n}"] += d.T @ h_prev
            grads[f"b_{n}"] += d.sum(axis=0)
            dxs[t] += d @ getattr(p, f"W_x{n}")
            dh_next += d @ getattr(p, f"W_h{n}")
        if mistake == "h not carried":
            dh_next = np.zeros_like(dh)
        dc_next = np.zeros_like(dc) if mistake == "c not carried" else dc * f
    return grads, dxs, dh_next, dc_next


@pytest.mark.parametrize(("name", "reference"), [
    ("lstm_step", lstm.step), ("gru_step", gru.step), ("lstm_backward", lstm.backward),
])
def test_the_references_pass_their_own_checks(name: str, reference: Callable[..., Any]) -> None:
    assert exercises.check(name, reference) is True


@pytest.mark.parametrize(("name", "mine"), [
    ("lstm_step", my_lstm_step), ("gru_step", my_gru_step), ("lstm_backward", my_lstm_backward),
])
def test_a_plain_numpy_implementation_passes(name: str, mine: Callable[..., Any]) -> None:
    assert exercises.check(name, mine) is True


MISTAKES = [
    ("lstm_step", my_lstm_step, "order", "the candidate g and the output gate o seem swapped"),
    ("lstm_step", my_lstm_step, "no forget", "the forget gate seems to be missing"),
    ("lstm_step", my_lstm_step, "i f swapped", "the forget gate f_t multiplies the old cell"),
    ("lstm_step", my_lstm_step, "no tanh", "tanh of the cell state seems to be missing"),
    ("lstm_step", my_lstm_step, "c_prev", "not tanh(c_{t-1})"),
    ("lstm_step", my_lstm_step, "sigmoid g", "the candidate g_t takes tanh"),
    ("lstm_step", my_lstm_step, "swapped outputs", "return (h_t, c_t) in that order"),
    ("gru_step", my_gru_step, "cho", "Cho et al.'s original placement"),
    ("gru_step", my_gru_step, "b_hn outside", "b_hn belongs inside the reset"),
    ("gru_step", my_gru_step, "no reset", "the reset gate seems to be missing"),
    ("gru_step", my_gru_step, "z flipped", "h_t = (1 - z_t) * n_t + z_t * h_{t-1}"),
    ("gru_step", my_gru_step, "r z swapped", "the reset and update gates seem swapped"),
    ("lstm_backward", my_lstm_backward, "c not carried",
     "the cell-state gradient does not seem to be carried back"),
    ("lstm_backward", my_lstm_backward, "h not carried",
     "the gradient does not seem to flow back through h"),
    ("lstm_backward", my_lstm_backward, "no tanh'", "the path from h_t to c_t goes through tanh"),
    ("lstm_backward", my_lstm_backward, "c_t in f", "the forget gate multiplies c_{t-1}"),
    ("lstm_backward", my_lstm_backward, "dc_last", "dc_last, the gradient on the final cell"),
]


@pytest.mark.parametrize(("name", "mine", "mistake", "hint"), MISTAKES,
                         ids=[f"{m[0]}-{m[2]}" for m in MISTAKES])
def test_each_usual_mistake_is_rejected_with_its_hint(name: str, mine: Callable[..., Any],
                                                      mistake: str, hint: str) -> None:
    with pytest.raises(AssertionError) as info:
        exercises.check(name, lambda *args: mine(*args, mistake=mistake))
    message = str(info.value)
    assert message.startswith(f"{name}: ")
    assert "hint: " in message and hint in message, message
    assert " on " in message                               # says on which input
    frames = traceback.extract_tb(info.tb)
    assert all("exercises/gated.py" not in f.filename for f in frames)


def test_lstm_backward_returning_three_values_is_told_what_to_return() -> None:
    with pytest.raises(AssertionError, match=r"should return 4 values \(grads, dxs, dh0, dc0\)"):
        exercises.check("lstm_backward", lambda p, c, dhs, dc: lstm.backward(p, c, dhs, dc)[:3])


def test_describe_gives_the_signatures() -> None:
    assert exercises.describe("lstm_step").startswith(
        "lstm_step(params, x_t, h_prev, c_prev) -> (h_t, c_t)")
    assert exercises.describe("gru_step").startswith("gru_step(params, x_t, h_prev) -> h_t")
    assert {"lstm_step", "gru_step", "lstm_backward"} <= set(exercises.available())
