"""The exercise checker accepts correct implementations and explains subtly wrong ones.

Each wrong implementation below is a mistake a reader plausibly makes; the checker must reject
it with an AssertionError whose message names the input, shows expected against got, and gives
the hint for that very mistake -- never a traceback from inside the checker.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from rnnbook import activations, clipping, dynamics, exercises, rnn


def test_available_lists_every_required_check() -> None:
    required = {"state_update", "forward", "bptt", "gradient_norms", "clip_by_norm"}
    per_chapter = {"memoryless_accuracy", "many_to_one"}  # chapters 1 and 3; 2, 4, 5 above
    assert required | per_chapter <= set(exercises.available())
    assert exercises.available() == sorted(exercises.available())


@pytest.mark.parametrize(("name", "reference"), [
    ("state_update", rnn.step),
    ("forward", rnn.forward),
    ("bptt", rnn.backward),
    ("gradient_norms", dynamics.gradient_norms),
    ("clip_by_norm", clipping.clip_by_norm),
])
def test_the_references_pass_their_own_checks(name: str, reference: Callable[..., Any]) -> None:
    assert exercises.check(name, reference) is True


def test_a_plain_numpy_state_update_passes() -> None:
    def my_step(p: rnn.Params, x_t: np.ndarray, h_prev: np.ndarray) -> np.ndarray:
        a = x_t @ p.W_xh.T + h_prev @ p.W_hh.T + p.b_h
        return {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0),
                "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "identity": lambda v: v}[p.activation](a)

    assert exercises.check("state_update", my_step)


def _f(p: rnn.Params, a: np.ndarray) -> np.ndarray:
    from rnnbook import activations

    return activations.get(p.activation).f(a)


def _no_bias(p: rnn.Params, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    return _f(p, x @ p.W_xh.T + h @ p.W_hh.T)


def _transposed_w_hh(p: rnn.Params, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    return _f(p, x @ p.W_xh.T + h @ p.W_hh + p.b_h)


def _always_tanh(p: rnn.Params, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    return np.tanh(x @ p.W_xh.T + h @ p.W_hh.T + p.b_h)


def _forward_from_h0_each_step(p: rnn.Params, xs: np.ndarray,
                               h0: np.ndarray | None = None) -> np.ndarray:
    h = np.zeros((xs.shape[1], p.hidden_size)) if h0 is None else h0
    return np.stack([rnn.step(p, x, h) for x in xs])


def _forward_shifted(p: rnn.Params, xs: np.ndarray, h0: np.ndarray | None = None) -> np.ndarray:
    _, cache = rnn.forward(p, xs, h0)
    return np.asarray(cache.states[:-1])


def _bptt_local_only(p: rnn.Params, cache: rnn.Cache, dhs: np.ndarray) -> Any:
    return rnn.backward(p, cache, dhs, truncate=1)


def _bptt_with(slip: str) -> Callable[..., Any]:
    """The chapter's BPTT written out by hand, with one of the usual slips."""
    def bptt(p: rnn.Params, cache: rnn.Cache, dhs: np.ndarray) -> Any:
        xs, states = cache.xs, cache.states
        fprime = activations.get(p.activation).df_from_output(states[1:])
        if slip == "linear":
            fprime = np.ones_like(fprime)                  # f'(a_t) forgotten
        back = p.W_hh.T if slip == "transposed" else p.W_hh
        deltas, from_next = np.zeros_like(dhs), np.zeros_like(dhs[0])
        for t in reversed(range(len(dhs))):
            deltas[t] = fprime[t] * (dhs[t] + from_next)
            from_next = deltas[t] @ back
        paired = states[1:] if slip == "current" else states[:-1]
        grads = rnn.Params(sum(d.T @ x for d, x in zip(deltas, xs, strict=True)),
                           sum(d.T @ h for d, h in zip(deltas, paired, strict=True)),
                           deltas.sum(axis=(0, 1)), p.activation)
        return grads, deltas @ p.W_xh, from_next

    return bptt


def _clip_each_array(g: rnn.Params, c: float) -> Any:
    norm = clipping.global_norm(g)
    scaled = {k: getattr(g, k) * min(1.0, c / max(float(np.linalg.norm(getattr(g, k))), 1e-300))
              for k in ("W_xh", "W_hh", "b_h")}
    return dataclasses.replace(g, **scaled), norm


def _clip_returns_norm_after(g: rnn.Params, c: float) -> Any:
    clipped, norm = clipping.clip_by_norm(g, c)
    return clipped, min(norm, c)


def _clip_in_place(g: rnn.Params, c: float) -> Any:
    norm = clipping.global_norm(g)
    if norm > c:
        for k in ("W_xh", "W_hh", "b_h"):
            getattr(g, k)[...] *= c / norm
    return g, norm


def _norms_reversed(p: rnn.Params, xs: np.ndarray, h0: np.ndarray | None = None) -> np.ndarray:
    return dynamics.gradient_norms(p, xs, h0)[::-1]


def _norms_frobenius(p: rnn.Params, xs: np.ndarray, h0: np.ndarray | None = None) -> np.ndarray:
    J = dynamics.state_jacobians(p, xs, h0)
    P, out = np.eye(p.hidden_size), [1.0]
    for k in range(1, len(J)):
        P = P @ J[len(J) - k]
        out.append(float(np.linalg.norm(P)))
    return np.array(out)


@pytest.mark.parametrize(("name", "wrong", "hint"), [
    ("state_update", _no_bias, "bias b_h seems to be missing"),
    ("state_update", _transposed_w_hh, "orientation of W_hh"),
    ("state_update", _always_tanh, "params.activation"),
    ("forward", _forward_from_h0_each_step, "previous step's state"),
    ("forward", _forward_shifted, "hs[0] should be h_1"),
    ("bptt", _bptt_local_only, "does not seem to flow back through time"),
    ("bptt", _bptt_with("linear"), "f'(a_t) seems to be missing"),
    ("bptt", _bptt_with("transposed"), "orientation going back"),
    ("bptt", _bptt_with("current"), "previous state h_{t-1}, not with h_t"),
    ("clip_by_norm", _clip_each_array, "global norm of all arrays together"),
    ("clip_by_norm", _clip_returns_norm_after, "before clipping"),
    ("clip_by_norm", _clip_in_place, "changed grads"),
    ("gradient_norms", _norms_reversed, "seems reversed"),
    ("gradient_norms", _norms_frobenius, "spectral norm"),
])
def test_a_subtly_wrong_implementation_is_rejected_with_its_hint(
        name: str, wrong: Callable[..., Any], hint: str) -> None:
    with pytest.raises(AssertionError) as info:
        exercises.check(name, wrong)
    message = str(info.value)
    assert message.startswith(f"{name}: ")
    assert hint in message, message
    assert " on " in message  # says on which input
    # The reader sees the message, not the checker's internals.
    frames = traceback.extract_tb(info.tb)
    assert all("exercises/cell.py" not in f.filename and "exercises/gradients.py" not in
               f.filename for f in frames), [f.filename for f in frames]


def test_a_wrong_value_shows_expected_against_got() -> None:
    with pytest.raises(AssertionError, match=r"expected -?\d.*, got -?\d"):
        exercises.check("state_update", _no_bias)


def test_a_wrong_shape_is_reported_in_the_reader_terms() -> None:
    def returns_1d(p: rnn.Params, x: np.ndarray, h: np.ndarray) -> np.ndarray:
        return rnn.step(p, x, h).ravel()

    with pytest.raises(AssertionError, match=r"should have shape \(1, 1\), got \(1,\)"):
        exercises.check("state_update", returns_1d)


def test_an_exception_in_the_reader_function_becomes_a_readable_failure() -> None:
    def crashes(p: rnn.Params, x: np.ndarray, h: np.ndarray) -> np.ndarray:
        f = {"relu": lambda a: np.maximum(a, 0)}[p.activation]  # only ReLU written so far
        return f(x @ p.W_xh.T + h @ p.W_hh.T + p.b_h)

    with pytest.raises(AssertionError, match="your function raised KeyError: 'tanh'") as info:
        exercises.check("state_update", crashes)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_forward_returning_only_the_last_state_is_told_to_return_every_state() -> None:
    def last_only(p: rnn.Params, xs: np.ndarray, h0: np.ndarray | None = None) -> np.ndarray:
        return rnn.forward(p, xs, h0)[0][-1]

    with pytest.raises(AssertionError, match="return every state"):
        exercises.check("forward", last_only)


def test_bptt_without_the_three_return_values_is_told_what_to_return() -> None:
    with pytest.raises(AssertionError, match=r"should return 3 values \(grads, dxs, dh0\)"):
        exercises.check("bptt", lambda p, cache, dhs: rnn.backward(p, cache, dhs)[0])


def test_unknown_names_and_non_callables_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match=r"name must be one of the exercises .*state_update"):
        exercises.check("state_updat", rnn.step)
    with pytest.raises(TypeError, match="fn must be your function"):
        exercises.check("state_update", 3)  # type: ignore[arg-type]


def test_describe_gives_the_signature_to_implement() -> None:
    assert exercises.describe("bptt").startswith("bptt(params, cache, dhs) -> (grads, dxs, dh0)")
