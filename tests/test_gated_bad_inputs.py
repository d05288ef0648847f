"""Bad input to the gated cells gets a clear error before any arithmetic.

As test_bad_inputs.py does for the vanilla cell: for each row, exactly the ValueError or
TypeError expected, raised by rnnbook's own code, its message starting with the offending
argument's name and containing what was expected and what was received.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest

import rnnbook
from rnnbook import gru, lstm, rnn

PACKAGE = Path(rnnbook.__file__).resolve().parent

T, B, D, H = 5, 2, 3, 4
P = lstm.init(D, H, seed=0)
Q = gru.init(D, H, seed=0)
R = rnn.init(D, H, seed=0)
_rng = np.random.default_rng(0)
XS, H0, DHS = _rng.normal(size=(T, B, D)), _rng.normal(size=(B, H)), _rng.normal(size=(T, B, H))
_, LCACHE = lstm.forward(P, XS)
_, GCACHE = gru.forward(Q, XS)
_, LCACHE3 = lstm.forward(lstm.init(D, 3, seed=0), XS)


def nan_at(a: np.ndarray, index: tuple[int, ...]) -> np.ndarray:
    out = np.array(a, dtype=np.float64, copy=True)
    out[index] = np.nan
    return out


def case(id: str, call, error: type[Exception], name: str, *parts: str):
    return pytest.param(call, error, name, parts, id=id)


CASES = [
    # --- a Params of the wrong cell ---
    case("lstm-step-rnn-params", lambda: lstm.step(R, XS[0], H0, H0), TypeError, "params",
         "must be an lstm.Params", "got rnn.Params"),
    case("lstm-forward-gru-params", lambda: lstm.forward(Q, XS), TypeError, "params",
         "must be an lstm.Params", "got gru.Params"),
    case("gru-forward-lstm-params", lambda: gru.forward(P, XS), TypeError, "params",
         "must be a gru.Params", "got lstm.Params"),
    case("gru-backward-lstm-params", lambda: gru.backward(P, GCACHE, DHS), TypeError, "params",
         "must be a gru.Params", "got lstm.Params"),
    case("lstm-backward-gru-cache", lambda: lstm.backward(P, GCACHE, DHS), TypeError, "cache",
         "the lstm.Cache returned by lstm.forward", "got gru.Cache"),
    case("gru-backward-tuple-cache", lambda: gru.backward(Q, tuple(GCACHE), DHS), TypeError,
         "cache", "the gru.Cache returned by gru.forward", "got tuple"),
    case("lstm-backward-cache-other-size", lambda: lstm.backward(P, LCACHE3, DHS), ValueError,
         "cache", "computed for input_size=3, hidden_size=3", "input_size=3, hidden_size=4"),
    # --- inputs and states ---
    case("lstm-forward-xs-2d", lambda: lstm.forward(P, XS[0]), ValueError, "xs",
         "3-d array of shape (T, B, D)", "got a 2-d array of shape (2, 3)"),
    case("gru-forward-xs-wrong-D", lambda: gru.forward(Q, XS[..., :2]), ValueError, "xs",
         "with D=3, the input_size of params", "got shape (5, 2, 2)"),
    case("lstm-forward-xs-nan", lambda: lstm.forward(P, nan_at(XS, (1, 0, 2))), ValueError, "xs",
         "must be finite", "NaN (first at index (1, 0, 2))"),
    case("lstm-forward-xs-complex", lambda: lstm.forward(P, XS.astype(complex)), TypeError, "xs",
         "real numbers", "got dtype complex128"),
    case("gru-forward-xs-strings", lambda: gru.forward(Q, np.full((T, B, D), "a")), TypeError,
         "xs", "real numbers", "got dtype <U1"),
    case("lstm-forward-h0-wrong-B", lambda: lstm.forward(P, XS, H0[:1]), ValueError, "h0",
         "(B, H) = (2, 4)", "got (1, 4)"),
    case("lstm-forward-c0-wrong-H", lambda: lstm.forward(P, XS, H0, H0[:, :3]), ValueError, "c0",
         "(B, H) = (2, 4)", "got (2, 3)"),
    case("lstm-forward-c0-nan", lambda: lstm.forward(P, XS, H0, nan_at(H0, (0, 1))), ValueError,
         "c0", "must be finite", "NaN"),
    case("gru-forward-h0-1d", lambda: gru.forward(Q, XS, H0[0]), ValueError, "h0",
         "2-d array of shape (B, H)", "got a 1-d array"),
    case("lstm-step-x_t-3d", lambda: lstm.step(P, XS, H0, H0), ValueError, "x_t",
         "2-d array of shape (B, D)", "got a 3-d array"),
    case("lstm-step-c_prev-missing-H", lambda: lstm.step(P, XS[0], H0, H0[:, :1]), ValueError,
         "c_prev", "(B, H) = (2, 4)", "got (2, 1)"),
    case("gru-step-h_prev-inf", lambda: gru.step(Q, XS[0], np.full((B, H), np.inf)), ValueError,
         "h_prev", "must be finite", "infinity"),
    # --- backward ---
    case("lstm-backward-dhs-wrong-T", lambda: lstm.backward(P, LCACHE, DHS[:3]), ValueError,
         "dhs", "(T, B, H) = (5, 2, 4)", "got (3, 2, 4)"),
    case("gru-backward-dhs-nan", lambda: gru.backward(Q, GCACHE, nan_at(DHS, (4, 1, 0))),
         ValueError, "dhs", "must be finite", "NaN"),
    case("lstm-backward-dc_last-wrong-shape", lambda: lstm.backward(P, LCACHE, DHS, H0.T),
         ValueError, "dc_last", "(B, H) = (2, 4)", "got (4, 2)"),
    case("lstm-backward-truncate-0", lambda: lstm.backward(P, LCACHE, DHS, truncate=0),
         ValueError, "truncate", "positive integer (>= 1)", "got 0"),
    case("gru-backward-truncate-float", lambda: gru.backward(Q, GCACHE, DHS, truncate=2.0),
         TypeError, "truncate", "positive integer", "got 2.0"),
    # --- Params ---
    case("lstm-params-W_hg-wrong-H", lambda: dataclasses.replace(P, W_hg=np.zeros((3, 3))),
         ValueError, "W_hg", "(H, H) = (4, 4)", "got (3, 3)"),
    case("lstm-params-W_xo-wrong-D", lambda: dataclasses.replace(P, W_xo=np.zeros((4, 2))),
         ValueError, "W_xo", "(H, D) = (4, 3)", "got (4, 2)"),
    case("lstm-params-b_f-nan", lambda: dataclasses.replace(P, b_f=nan_at(P.b_f, (2,))),
         ValueError, "b_f", "must be finite", "NaN (first at index (2,))"),
    case("gru-params-b_hn-2d", lambda: dataclasses.replace(Q, b_hn=np.zeros((1, H))),
         ValueError, "b_hn", "1-d array of shape (H,)", "got a 2-d array"),
    case("gru-params-W_hz-bool", lambda: dataclasses.replace(Q, W_hz=np.zeros((H, H), bool)),
         TypeError, "W_hz", "real numbers", "got dtype bool"),
    case("gru-params-reset-unknown", lambda: dataclasses.replace(Q, reset="keras"), ValueError,
         "reset", "'pytorch', 'cho'", "got 'keras'"),
    # --- init ---
    case("lstm-init-hidden-0", lambda: lstm.init(3, 0), ValueError, "hidden_size", ">= 1",
         "got 0"),
    case("lstm-init-forget-bias-nan", lambda: lstm.init(3, 2, forget_bias=float("nan")),
         ValueError, "forget_bias", "finite", "nan"),
    case("gru-init-reset-unknown", lambda: gru.init(3, 2, reset="after"), ValueError, "reset",
         "'pytorch', 'cho'", "got 'after'"),
    case("gru-init-seed-negative", lambda: gru.init(3, 2, seed=-1), ValueError, "seed",
         "non-negative", "got -1"),
]


@pytest.mark.parametrize(("call", "error", "name", "parts"), CASES)
def test_bad_input_raises_a_clear_error_naming_the_argument(call, error: type[Exception],
                                                           name: str, parts: tuple[str, ...]
                                                           ) -> None:
    with pytest.raises(error, match="^" + re.escape(name) + r"\b") as info:
        call()
    assert type(info.value) is error
    for part in parts:
        assert part in str(info.value), (part, str(info.value))
    raised_in = Path(str(info.traceback[-1].path)).resolve()
    assert PACKAGE in raised_in.parents, f"raised by {raised_in}, not by rnnbook"


@pytest.mark.parametrize("cell", [lstm, gru])
def test_the_cells_validate_everything_before_any_arithmetic(monkeypatch, cell) -> None:
    def computed(*args: object) -> None:
        raise AssertionError("arithmetic started before the arguments were checked")

    for name in ("_step", "_bptt", "_bptt_truncated"):
        monkeypatch.setattr(cell, name, computed)
    params, cache = (P, LCACHE) if cell is lstm else (Q, GCACHE)
    with pytest.raises(ValueError, match=r"^h0"):
        cell.forward(params, XS, np.zeros((3, H)))
    with pytest.raises(ValueError, match=r"^dhs"):
        cell.backward(params, cache, DHS[:, :1])
    with pytest.raises(ValueError, match=r"^truncate"):
        cell.backward(params, cache, DHS, truncate=0)
