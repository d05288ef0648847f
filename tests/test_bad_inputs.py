"""Bad input gets a clear error before any arithmetic (DESIGN.md, "The cell contract").

One table over every public function that takes arrays or sizes. For each row the test checks:

- the exception is exactly the ValueError or TypeError expected (not a numpy subclass such as
  ``LinAlgError``, not an IndexError or AttributeError from deep inside);
- it was raised by rnnbook's own code, not by numpy: the innermost traceback frame is a file of
  the rnnbook package;
- its message starts with the name of the offending argument;
- its message contains both what was expected and what was received.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import rnnbook
from rnnbook import clipping, dynamics, gradcheck, initializers, losses, optim, rnn
from rnnbook.fast import rnn as fast_rnn

PACKAGE = Path(rnnbook.__file__).resolve().parent

T, B, D, H = 5, 2, 3, 4
_rng = np.random.default_rng(0)
P = rnn.Params(_rng.normal(size=(H, D)), _rng.normal(size=(H, H)) / 2, _rng.normal(size=H))
P3 = rnn.Params(_rng.normal(size=(3, D)), _rng.normal(size=(3, 3)), _rng.normal(size=3))
XS, H0, DHS = _rng.normal(size=(T, B, D)), _rng.normal(size=(B, H)), _rng.normal(size=(T, B, H))
_, CACHE = rnn.forward(P, XS, H0)
_, CACHE3 = rnn.forward(P3, XS)


def with_value(a: np.ndarray, index: tuple[int, ...], value: float) -> np.ndarray:
    out = np.array(a, dtype=np.float64, copy=True)
    out[index] = value
    return out


def case(id: str, call, error: type[Exception], name: str, *parts: str):
    """A row: ``call()`` must raise ``error`` naming ``name`` first, with every one of ``parts``."""
    return pytest.param(call, error, name, parts, id=id)


NON_NUMERIC = {
    "strings": lambda shape: np.full(shape, "a"),
    "object": lambda shape: np.zeros(shape, dtype=object),
    "complex": lambda shape: np.zeros(shape, dtype=complex),
    "bool": lambda shape: np.zeros(shape, dtype=bool),
}
DTYPE_NAMES = {"strings": "<U1", "object": "object", "complex": "complex128", "bool": "bool"}
REAL = "real numbers (float64, float32 or integers)"

CASES = [
    # --- rnn.forward: xs ---
    case("forward-xs-2d", lambda: rnn.forward(P, XS[0]), ValueError, "xs",
         "3-d array of shape (T, B, D)", "got a 2-d array of shape (2, 3)"),
    case("forward-xs-4d", lambda: rnn.forward(P, XS[None]), ValueError, "xs",
         "3-d array of shape (T, B, D)", "got a 4-d array of shape (1, 5, 2, 3)"),
    case("forward-xs-wrong-D", lambda: rnn.forward(P, np.zeros((T, B, 2))), ValueError, "xs",
         "D=3", "W_xh has shape (4, 3)", "got shape (5, 2, 2)"),
    case("forward-xs-empty-T0", lambda: rnn.forward(P, np.zeros((0, B, D))), ValueError, "xs",
         "expected shape (T, B, D) with every size >= 1", "got shape (0, 2, 3)"),
    case("forward-xs-empty-B0", lambda: rnn.forward(P, np.zeros((T, 0, D))), ValueError, "xs",
         "got shape (5, 0, 3)"),
    *[case(f"forward-xs-{kind}", lambda make=make: rnn.forward(P, make((T, B, D))), TypeError,
           "xs", REAL, f"got dtype {DTYPE_NAMES[kind]}") for kind, make in NON_NUMERIC.items()],
    case("forward-xs-ragged", lambda: rnn.forward(P, [[[1.0]], [[1.0, 2.0]]]), TypeError, "xs",
         "numeric array of shape (T, B, D)", "got a list"),
    case("forward-xs-nan", lambda: rnn.forward(P, with_value(XS, (1, 0, 2), np.nan)),
         ValueError, "xs", "must be finite", "NaN (first at index (1, 0, 2))"),
    case("forward-xs-inf", lambda: rnn.forward(P, with_value(XS, (4, 1, 0), -np.inf)),
         ValueError, "xs", "must be finite", "infinity (first at index (4, 1, 0))"),
    # --- rnn.forward: h0 ---
    case("forward-h0-batch-mismatch", lambda: rnn.forward(P, XS, np.zeros((3, H))), ValueError,
         "h0", "(B, H) = (2, 4)", "B=2 from the inputs", "got (3, 4)"),
    case("forward-h0-wrong-H", lambda: rnn.forward(P, XS, np.zeros((B, 5))), ValueError, "h0",
         "(B, H) = (2, 4)", "H=4 from params", "got (2, 5)"),
    case("forward-h0-1d", lambda: rnn.forward(P, XS, np.zeros(H)), ValueError, "h0",
         "2-d array of shape (B, H)", "got a 1-d array of shape (4,)"),
    case("forward-h0-nan", lambda: rnn.forward(P, XS, with_value(H0, (1, 3), np.nan)),
         ValueError, "h0", "must be finite", "NaN (first at index (1, 3))"),
    case("forward-h0-inf", lambda: rnn.forward(P, XS, with_value(H0, (0, 0), np.inf)),
         ValueError, "h0", "must be finite", "infinity"),
    *[case(f"forward-h0-{kind}", lambda make=make: rnn.forward(P, XS, make((B, H))), TypeError,
           "h0", REAL, f"got dtype {DTYPE_NAMES[kind]}") for kind, make in NON_NUMERIC.items()],
    case("forward-params-not-params", lambda: rnn.forward({"W_xh": P.W_xh}, XS), TypeError,
         "params", "must be an rnn.Params", "got dict"),
    # --- rnn.step ---
    case("step-x_t-3d", lambda: rnn.step(P, XS, H0), ValueError, "x_t",
         "2-d array of shape (B, D)", "got a 3-d array of shape (5, 2, 3)"),
    case("step-x_t-wrong-D", lambda: rnn.step(P, np.zeros((B, 1)), H0), ValueError, "x_t",
         "D=3", "got shape (2, 1)"),
    case("step-h_prev-batch-mismatch", lambda: rnn.step(P, XS[0], np.zeros((1, H))), ValueError,
         "h_prev", "(B, H) = (2, 4)", "got (1, 4)"),
    case("step-h_prev-nan", lambda: rnn.step(P, XS[0], with_value(H0, (0, 1), np.nan)),
         ValueError, "h_prev", "must be finite", "NaN"),
    case("step-x_t-complex", lambda: rnn.step(P, np.zeros((B, D), complex), H0), TypeError,
         "x_t", REAL, "got dtype complex128"),
    # --- rnn.backward ---
    case("backward-dhs-wrong-H", lambda: rnn.backward(P, CACHE, np.zeros((T, B, 3))),
         ValueError, "dhs", "(T, B, H) = (5, 2, 4)", "got (5, 2, 3)"),
    case("backward-dhs-wrong-T", lambda: rnn.backward(P, CACHE, DHS[1:]), ValueError, "dhs",
         "(T, B, H) = (5, 2, 4)", "got (4, 2, 4)"),
    case("backward-dhs-2d", lambda: rnn.backward(P, CACHE, DHS[0]), ValueError, "dhs",
         "3-d array of shape (T, B, H)", "got a 2-d array of shape (2, 4)"),
    case("backward-dhs-nan", lambda: rnn.backward(P, CACHE, with_value(DHS, (2, 1, 3), np.nan)),
         ValueError, "dhs", "must be finite", "NaN (first at index (2, 1, 3))"),
    case("backward-dhs-inf", lambda: rnn.backward(P, CACHE, with_value(DHS, (0, 0, 0), np.inf)),
         ValueError, "dhs", "must be finite", "infinity"),
    *[case(f"backward-dhs-{kind}", lambda make=make: rnn.backward(P, CACHE, make((T, B, H))),
           TypeError, "dhs", REAL, f"got dtype {DTYPE_NAMES[kind]}")
      for kind, make in NON_NUMERIC.items()],
    case("backward-truncate-0", lambda: rnn.backward(P, CACHE, DHS, truncate=0), ValueError,
         "truncate", "positive integer (>= 1)", "got 0"),
    case("backward-truncate-negative", lambda: rnn.backward(P, CACHE, DHS, truncate=-1),
         ValueError, "truncate", "positive integer (>= 1)", "got -1"),
    case("backward-truncate-float", lambda: rnn.backward(P, CACHE, DHS, truncate=1.5), TypeError,
         "truncate", "positive integer", "got 1.5 of type float"),
    case("backward-truncate-bool", lambda: rnn.backward(P, CACHE, DHS, truncate=True),
         TypeError, "truncate", "positive integer", "got True of type bool"),
    case("backward-cache-from-other-params", lambda: rnn.backward(P, CACHE3, DHS), ValueError,
         "cache", "computed for input_size=3, hidden_size=3",
         "params have input_size=3, hidden_size=4"),
    case("backward-cache-a-tuple", lambda: rnn.backward(P, tuple(CACHE), DHS), TypeError,
         "cache", "the rnn.Cache returned by rnn.forward", "got tuple"),
    case("bptt_deltas-dhs-wrong-T", lambda: rnn.bptt_deltas(P, CACHE, DHS[1:]), ValueError,
         "dhs", "(T, B, H) = (5, 2, 4)", "got (4, 2, 4)"),
    case("bptt_deltas-truncate-0", lambda: rnn.bptt_deltas(P, CACHE, DHS, truncate=0),
         ValueError, "truncate", "positive integer (>= 1)", "got 0"),
    # --- rnnbook.fast.rnn: the same checks as rnnbook.rnn ---
    case("fast-forward-xs-wrong-D", lambda: fast_rnn.forward(P, np.zeros((T, B, 2))), ValueError,
         "xs", "D=3", "got shape (5, 2, 2)"),
    case("fast-forward-h0-batch-mismatch", lambda: fast_rnn.forward(P, XS, np.zeros((3, H))),
         ValueError, "h0", "(B, H) = (2, 4)", "got (3, 4)"),
    case("fast-forward-params-not-params", lambda: fast_rnn.forward({"W_xh": P.W_xh}, XS),
         TypeError, "params", "must be an rnn.Params", "got dict"),
    case("fast-backward-dhs-nan",
         lambda: fast_rnn.backward(P, CACHE, with_value(DHS, (2, 1, 3), np.nan)), ValueError,
         "dhs", "must be finite", "NaN (first at index (2, 1, 3))"),
    case("fast-backward-truncate-float", lambda: fast_rnn.backward(P, CACHE, DHS, truncate=1.5),
         TypeError, "truncate", "positive integer", "got 1.5 of type float"),
    case("fast-backward-cache-from-other-params", lambda: fast_rnn.backward(P, CACHE3, DHS),
         ValueError, "cache", "computed for input_size=3, hidden_size=3",
         "params have input_size=3, hidden_size=4"),
    # --- rnn.Params ---
    case("params-W_xh-1d", lambda: rnn.Params(np.zeros(H), P.W_hh, P.b_h), ValueError, "W_xh",
         "2-d array of shape (H, D)", "got a 1-d array of shape (4,)"),
    case("params-W_hh-wrong-H", lambda: rnn.Params(P.W_xh, np.zeros((3, 3)), P.b_h), ValueError,
         "W_hh", "(H, H) = (4, 4)", "got (3, 3)"),
    case("params-W_hh-not-square", lambda: rnn.Params(P.W_xh, np.zeros((H, 3)), P.b_h),
         ValueError, "W_hh", "(H, H) = (4, 4)", "got (4, 3)"),
    case("params-b_h-wrong-H", lambda: rnn.Params(P.W_xh, P.W_hh, np.zeros(3)), ValueError,
         "b_h", "(H,) = (4,)", "got (3,)"),
    case("params-b_h-2d", lambda: rnn.Params(P.W_xh, P.W_hh, np.zeros((1, H))), ValueError,
         "b_h", "1-d array of shape (H,)", "got a 2-d array of shape (1, 4)"),
    case("params-W_xh-nan", lambda: rnn.Params(with_value(P.W_xh, (0, 0), np.nan), P.W_hh, P.b_h),
         ValueError, "W_xh", "must be finite", "NaN (first at index (0, 0))"),
    case("params-W_hh-inf", lambda: rnn.Params(P.W_xh, with_value(P.W_hh, (3, 2), np.inf), P.b_h),
         ValueError, "W_hh", "must be finite", "infinity (first at index (3, 2))"),
    case("params-b_h-nan", lambda: rnn.Params(P.W_xh, P.W_hh, with_value(P.b_h, (1,), np.nan)),
         ValueError, "b_h", "must be finite", "NaN (first at index (1,))"),
    *[case(f"params-W_hh-{kind}", lambda make=make: rnn.Params(P.W_xh, make((H, H)), P.b_h),
           TypeError, "W_hh", REAL, f"got dtype {DTYPE_NAMES[kind]}")
      for kind, make in NON_NUMERIC.items()],
    case("params-activation-unknown",
         lambda: rnn.Params(P.W_xh, P.W_hh, P.b_h, activation="softplus"), ValueError,
         "activation", "one of 'tanh', 'sigmoid', 'relu', 'identity'", "got 'softplus'"),
    case("params-activation-none", lambda: rnn.Params(P.W_xh, P.W_hh, P.b_h, activation=None),
         ValueError, "activation", "one of 'tanh'", "got None"),
    # --- rnn.init ---
    *[case(f"init-{arg}-{label}", lambda arg=arg, v=v: rnn.init(**{"input_size": 2,
                                                                   "hidden_size": 3, arg: v}),
           error, arg, expected, got)
      for arg in ("input_size", "hidden_size")
      for label, v, error, expected, got in [
          ("0", 0, ValueError, "positive integer (>= 1)", "got 0"),
          ("negative", -1, ValueError, "positive integer (>= 1)", "got -1"),
          ("float", 2.5, TypeError, "positive integer", "got 2.5 of type float"),
          ("bool", True, TypeError, "positive integer", "got True of type bool"),
      ]],
    case("init-activation-unknown", lambda: rnn.init(2, 3, activation="softplus"), ValueError,
         "activation", "one of 'tanh', 'sigmoid', 'relu', 'identity'", "got 'softplus'"),
    case("init-recurrent-unknown", lambda: rnn.init(2, 3, recurrent="zeros"), ValueError,
         "recurrent", "one of 'uniform', 'orthogonal', 'identity'", "got 'zeros'"),
    case("init-spectral_radius-0", lambda: rnn.init(2, 3, spectral_radius=0), ValueError,
         "spectral_radius", "> 0", "got 0"),
    case("init-seed-float", lambda: rnn.init(2, 3, seed=0.5), TypeError, "seed",
         "None, a non-negative int or a numpy.random.Generator", "got 0.5 of type float"),
    case("init-seed-negative", lambda: rnn.init(2, 3, seed=-3), ValueError, "seed",
         "non-negative integer", "got -3"),
    # --- init ---
    case("orthogonal-n-0", lambda: initializers.orthogonal(0), ValueError, "n",
         "positive integer (>= 1)", "got 0"),
    case("orthogonal-gain-negative", lambda: initializers.orthogonal(3, gain=-1.0), ValueError,
         "gain", "> 0", "got -1.0"),
    case("identity-n-float", lambda: initializers.identity(2.5), TypeError, "n", "positive integer",
         "got 2.5"),
    case("uniform-shape-0", lambda: initializers.uniform((2, 0), 1.0), ValueError, "shape",
         "positive integer (>= 1)", "got 0"),
    case("uniform-scale-0", lambda: initializers.uniform((2, 2), 0.0), ValueError, "scale", "> 0",
         "got 0.0"),
    case("glorot-fan_in-0", lambda: initializers.glorot_uniform(3, 0), ValueError, "fan_in",
         "positive integer (>= 1)", "got 0"),
    case("spectral_radius-not-square", lambda: initializers.spectral_radius(np.zeros((2, 3))),
         ValueError, "W", "(H, H)", "got (2, 3)"),
    case("spectral_radius-nan", lambda: initializers.spectral_radius(np.full((2, 2), np.nan)),
         ValueError, "W", "must be finite", "NaN"),
    case("scale_to_spectral_radius-rho-negative",
         lambda: initializers.scale_to_spectral_radius(np.eye(2), -1.0), ValueError, "rho", "> 0",
         "got -1.0"),
    # --- dynamics ---
    case("state_jacobians-batch-2", lambda: dynamics.state_jacobians(P, XS), ValueError, "xs",
         "batch of one, shape (T, 1, D)", "got shape (5, 2, 3)"),
    case("gradient_norms-xs-nan",
         lambda: dynamics.gradient_norms(P, with_value(XS[:, :1], (0, 0, 0), np.nan)),
         ValueError, "xs", "must be finite", "NaN"),
    case("gradient_norms-h0-batch",
         lambda: dynamics.gradient_norms(P, XS[:, :1], np.zeros((2, H))), ValueError, "h0",
         "(B, H) = (1, 4)", "got (2, 4)"),
    case("gradient_bound-k-negative", lambda: dynamics.gradient_bound(P, -1), ValueError, "k",
         "non-negative integer", "got -1"),
    case("gradient_bound-k-float", lambda: dynamics.gradient_bound(P, 1.5), ValueError, "k",
         "non-negative integer", "got 1.5"),
    case("gradient_bound-params", lambda: dynamics.gradient_bound("p", 1), TypeError, "params",
         "rnn.Params", "got str"),
    case("global_norm-dict", lambda: clipping.global_norm({"W": np.ones(2)}), TypeError, "grads",
         "parameter container", "got dict"),
    case("clip_by_norm-max_norm-0", lambda: clipping.clip_by_norm(P, 0.0), ValueError,
         "max_norm", "> 0", "got 0.0"),
    case("clip_by_norm-max_norm-nan", lambda: clipping.clip_by_norm(P, float("nan")), ValueError,
         "max_norm", "> 0", "got nan"),
    case("clip_by_norm-max_norm-str", lambda: clipping.clip_by_norm(P, "1"), TypeError,
         "max_norm", "real number", "got '1' of type str"),
    # --- losses ---
    case("mse-shape-mismatch", lambda: losses.mse(np.zeros((2, 3)), np.zeros((3, 2))),
         ValueError, "y_true", "shape of y_pred, (2, 3)", "got (3, 2)"),
    case("mse-y_pred-nan", lambda: losses.mse(np.array([np.nan, 1.0]), np.zeros(2)),
         ValueError, "y_pred", "must be finite", "NaN"),
    case("mse-y_pred-scalar", lambda: losses.mse(1.0, 1.0), ValueError, "y_pred",
         "at least one dimension", "got a scalar"),
    case("mse-y_true-strings", lambda: losses.mse(np.zeros(2), np.array(["a", "b"])), TypeError,
         "y_true", REAL, "got dtype <U1"),
    case("cross_entropy-logits-inf",
         lambda: losses.softmax_cross_entropy(np.array([[np.inf, 0.0]]), np.array([0])),
         ValueError, "logits", "must be finite", "infinity"),
    case("cross_entropy-logits-complex",
         lambda: losses.softmax_cross_entropy(np.zeros((2, 3), complex), np.array([0, 1])),
         TypeError, "logits", REAL, "got dtype complex128"),
    case("cross_entropy-targets-float",
         lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0])),
         TypeError, "targets", "integer class indices", "got dtype float64"),
    case("cross_entropy-targets-out-of-range",
         lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 7])), ValueError,
         "targets", "[0, V) = [0, 3)", "got 7"),
    # --- gradcheck ---
    case("numerical_gradient-x-nan",
         lambda: gradcheck.numerical_gradient(np.sum, np.array([1.0, np.nan])), ValueError, "x",
         "must be finite", "NaN"),
    case("numerical_gradient-eps-0",
         lambda: gradcheck.numerical_gradient(np.sum, np.ones(2), eps=0.0), ValueError, "eps",
         "> 0", "got 0.0"),
    case("numerical_gradients-params-dict",
         lambda: gradcheck.numerical_gradients(lambda q: 0.0, {"W": np.ones(2)}), TypeError,
         "params", "parameter container", "got dict"),
    case("relative_error-shapes",
         lambda: gradcheck.relative_error(np.zeros(3), np.zeros(2)), ValueError, "analytic",
         "same shape", "got (3,) and (2,)"),
    case("compare-tol-0", lambda: gradcheck.compare(P, P, tol=0.0), ValueError, "tol", "> 0",
         "got 0.0"),
    case("compare-numeric-shapes", lambda: gradcheck.compare(P, P3), ValueError, "numeric.W_xh",
         "shape of analytic.W_xh, (4, 3)", "got (3, 3)"),
    case("check-grads-shapes", lambda: gradcheck.check(lambda q: 0.0, P, P3), ValueError,
         "grads.W_xh", "shape of params.W_xh, (4, 3)", "got (3, 3)"),
    case("check-grads-dict", lambda: gradcheck.check(lambda q: 0.0, P, {"W_xh": P.W_xh}),
         TypeError, "grads", "parameter container", "got dict"),
    # --- optim ---
    case("sgd-update-grads-shapes",
         lambda: optim.SGD(lr=0.1).update(P, P3, optim.SGD(lr=0.1).init(P)), ValueError,
         "grads.W_xh", "shape of params.W_xh, (4, 3)", "got (3, 3)"),
    case("adam-update-grads-dict",
         lambda: optim.Adam().update(P, {"W_xh": 1}, optim.Adam().init(P)), TypeError, "grads",
         "parameter container", "got dict"),
    case("adam-update-state-of-other-params",
         lambda: optim.Adam().update(P, P, optim.Adam().init(P3)), ValueError, "state.m.W_xh",
         "shape of params.W_xh, (4, 3)", "got (3, 3)"),
    case("adagrad-update-state-of-sgd",
         lambda: optim.Adagrad(lr=0.1).update(P, P, optim.SGD(lr=0.1).init(P)), TypeError,
         "state", "AdagradState returned by init", "got SGDState"),
    case("sgd-lr-0", lambda: optim.SGD(lr=0), ValueError, "lr", "> 0", "got 0"),
]


@pytest.mark.parametrize(("call", "error", "name", "parts"), CASES)
def test_bad_input_raises_a_clear_error_naming_the_argument(call, error: type[Exception],
                                                           name: str, parts: tuple[str, ...]
                                                           ) -> None:
    with pytest.raises(error, match="^" + re.escape(name) + r"\b") as info:
        call()
    assert type(info.value) is error
    message = str(info.value)
    for part in parts:
        assert part in message, (part, message)
    raised_in = Path(str(info.traceback[-1].path)).resolve()
    assert PACKAGE in raised_in.parents, f"raised by {raised_in}, not by rnnbook"


@pytest.mark.parametrize("cell", [rnn, fast_rnn], ids=["plain", "fast"])
def test_rnn_validates_everything_before_any_arithmetic(monkeypatch, cell) -> None:
    # The arithmetic of forward and backward starts by looking up the activation: with bad
    # input it must never get there.
    class NoArithmetic:
        @staticmethod
        def get(name: str) -> None:
            raise AssertionError("arithmetic started before the arguments were checked")

    monkeypatch.setattr(cell, "activations", NoArithmetic)
    with pytest.raises(ValueError, match=r"^h0"):
        cell.forward(P, XS, np.zeros((3, H)))
    with pytest.raises(ValueError, match=r"^dhs"):
        cell.backward(P, CACHE, DHS[:, :1])
    with pytest.raises(ValueError, match=r"^truncate"):
        cell.backward(P, CACHE, DHS, truncate=0)
    with pytest.raises(AssertionError, match="arithmetic started"):  # the patch is in effect
        cell.forward(P, XS)


def test_gradcheck_validates_grads_before_the_finite_differences() -> None:
    calls = []
    with pytest.raises(ValueError, match=r"^grads"):
        gradcheck.check(lambda q: calls.append(q) or 0.0, P, P3)
    assert calls == []
