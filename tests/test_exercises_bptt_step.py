"""The one-step-back checker of chapter 4: a correct step passes, each plausible slip is named.

The reference step is not taken on trust: swept from t = T down to 1 it must give weight
gradients that agree with finite differences of the loss.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from rnnbook import activations, exercises, gradcheck, rnn
from rnnbook.exercises import bptt_step

Step = Callable[[rnn.Params, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def sweep(step: Step, params: rnn.Params, xs: np.ndarray, h0: np.ndarray,
          dhs: np.ndarray) -> rnn.Params:
    """Full BPTT built from one step: deltas from t = T down to 1, then the sums over time."""
    hs, _ = rnn.forward(params, xs, h0)
    states = np.concatenate([h0[None], hs])                       # (T + 1, B, H): h_0 .. h_T
    back = np.zeros_like(h0)                                      # W_hh^T delta_{t+1}
    deltas = np.zeros_like(hs)
    for t in reversed(range(len(xs))):
        deltas[t], back = step(params, hs[t], dhs[t] + back)
    return rnn.Params(np.einsum("tbh,tbd->hd", deltas, xs),
                      np.einsum("tbh,tbk->hk", deltas, states[:-1]),
                      deltas.sum(axis=(0, 1)), params.activation)


@pytest.mark.parametrize("activation", activations.NAMES)
def test_reference_steps_swept_back_match_finite_differences(activation: str) -> None:
    rng = np.random.default_rng(0)
    params = rnn.init(3, 4, seed=1, activation=activation)
    xs, h0 = rng.standard_normal((5, 2, 3)), 0.5 * rng.standard_normal((2, 4))
    dhs = rng.standard_normal((5, 2, 4))                          # L = sum_t <dhs_t, h_t>

    def loss(p: rnn.Params) -> float:
        return float(np.sum(dhs * rnn.forward(p, xs, h0)[0]))

    report = gradcheck.check(loss, params, sweep(bptt_step.reference, params, xs, h0, dhs))
    assert report.passed, str(report)


def test_reference_passes_its_own_check() -> None:
    assert exercises.check("backward_step", bptt_step.reference) is True


def test_the_hand_example_of_the_exercise() -> None:
    # One tanh unit, W_hh = 0.5: h_2 = 0.6 and dL/dh_2 = 1 give delta_2 = 0.64 and 0.32 back;
    # with a direct 0.2 on h_1 = -0.5, delta_1 = (1 - 0.25) * 0.52 = 0.39.
    params = rnn.Params(np.zeros((1, 1)), np.array([[0.5]]), np.zeros(1))
    delta_2, back = bptt_step.reference(params, np.array([[0.6]]), np.array([[1.0]]))
    delta_1, _ = bptt_step.reference(params, np.array([[-0.5]]), back + 0.2)
    assert np.allclose([delta_2.item(), back.item(), delta_1.item()], [0.64, 0.32, 0.39])


def _df(params: rnn.Params, h_t: np.ndarray) -> np.ndarray:
    return activations.get(params.activation).df_from_output(h_t)


MISTAKES: dict[str, tuple[Callable[..., Any], str]] = {
    "no slope": (lambda p, h, dh: (dh, dh @ p.W_hh), "slope f'(a_t) seems to be missing"),
    "slope of h, not of a": (lambda p, h, dh: (activations.get(p.activation).df(h) * dh,
                                               activations.get(p.activation).df(h) * dh @ p.W_hh),
                             "not by applying f' to h_t"),
    "always tanh": (lambda p, h, dh: ((1 - h**2) * dh, (1 - h**2) * dh @ p.W_hh),
                    "not always tanh"),
    "transposed": (lambda p, h, dh: (_df(p, h) * dh, _df(p, h) * dh @ p.W_hh.T),
                   "orientation going back"),
    "direct gradient added": (lambda p, h, dh: (_df(p, h) * dh, _df(p, h) * dh @ p.W_hh + dh),
                              "added by the step before"),
    "back from dh": (lambda p, h, dh: (_df(p, h) * dh, dh @ p.W_hh), "not from dL/dh_t"),
}


@pytest.mark.parametrize("name", list(MISTAKES))
def test_each_slip_is_rejected_with_its_hint(name: str) -> None:
    wrong, hint = MISTAKES[name]
    with pytest.raises(AssertionError, match=re.escape(hint)) as failure:
        exercises.check("backward_step", wrong)
    assert "on h_t and dh of shape" in str(failure.value)


def test_a_function_returning_one_array_is_told_to_return_two() -> None:
    with pytest.raises(AssertionError, match=r"should return 2 values \(delta, dh_prev\)"):
        exercises.check("backward_step", lambda p, h, dh: _df(p, h) * dh)
