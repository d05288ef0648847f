"""Exercises on the vanilla cell: the state update, the unrolled forward pass, and BPTT."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import numpy as np

from rnnbook import activations, rnn
from rnnbook.exercises._core import Case, ExerciseError, call, compare, register, unpack


def _params(D: int, H: int, activation: str, seed: int) -> rnn.Params:
    rng = np.random.default_rng(seed)
    return rnn.Params(rng.uniform(-1, 1, (H, D)), rng.uniform(-1, 1, (H, H)),
                      rng.uniform(-0.5, 0.5, H), activation)


def _sizes() -> Iterator[tuple[str, int, int, int, int, str]]:
    """(label, T, B, D, H, activation): edge cases first, then square and general shapes."""
    for T, B, D, H, act in [(1, 1, 1, 1, "tanh"), (4, 2, 3, 5, "tanh"), (3, 2, 3, 3, "relu"),
                            (2, 1, 2, 2, "sigmoid"), (2, 3, 2, 4, "identity")]:
        one = " (a batch of one)" if B == 1 else ""
        yield f"T={T}, B={B}{one}, D={D}, H={H}, activation {act!r}", T, B, D, H, act


def _case_inputs(T: int, B: int, D: int, H: int, act: str, seed: int) -> tuple[Any, ...]:
    rng = np.random.default_rng(seed + 100)
    return (_params(D, H, act, seed), rng.standard_normal((T, B, D)),
            rng.uniform(-0.9, 0.9, (B, H)), rng.standard_normal((T, B, H)))


@register("state_update", "state_update(params, x_t, h_prev) -> h_t",
          "one step h_t = f(W_xh x_t + W_hh h_{t-1} + b_h), shapes (B, D), (B, H) -> (B, H); "
          "the reference is rnnbook.rnn.step")
def check_state_update(fn: Callable[..., Any]) -> None:
    for i, (_, _, B, D, H, act) in enumerate(_sizes()):
        p, xs, h, _ = _case_inputs(1, B, D, H, act, seed=i)
        x = xs[0]
        case = Case(f"x_t of shape ({B}, {D}), h_prev of shape ({B}, {H}), activation {act!r}",
                    (p, x, h))
        f = activations.get(act).f
        expected = rnn.step(p, x, h)
        mistakes: list[tuple[str, Any]] = [
            ("the bias b_h seems to be missing from the pre-activation",
             lambda p=p, x=x, h=h, f=f: f(x @ p.W_xh.T + h @ p.W_hh.T)),
            ("check the orientation of W_hh: the batch is in rows, so write h_prev @ W_hh.T",
             lambda p=p, x=x, h=h, f=f: f(x @ p.W_xh.T + h @ p.W_hh + p.b_h)),
            ("check the orientation of W_xh (shape (H, D)): write x_t @ W_xh.T",
             lambda p=p, x=x, h=h, f=f: f(x @ p.W_xh + h @ p.W_hh.T + p.b_h)
             if p.W_xh.shape[0] == p.W_xh.shape[1] else np.nan),
            ("the activation seems to be missing: apply f to the pre-activation",
             lambda p=p, x=x, h=h: x @ p.W_xh.T + h @ p.W_hh.T + p.b_h),
            (f"use the activation named in params.activation (here {act!r}), not always tanh",
             lambda p=p, x=x, h=h: np.tanh(x @ p.W_xh.T + h @ p.W_hh.T + p.b_h)),
            ("the previous state h_prev seems to be ignored: the recurrence W_hh h_{t-1} is "
             "what gives the network memory",
             lambda p=p, x=x, f=f: f(x @ p.W_xh.T + p.b_h)),
        ]
        compare(call(fn, case), expected, what="the new state h_t", case=case, mistakes=mistakes)


@register("forward", "forward(params, xs, h0=None) -> hs",
          "the unrolled chain: the states h_1..h_T of shape (T, B, H) for inputs (T, B, D), "
          "h0 None meaning zeros; the reference is rnnbook.rnn.forward (returning a tuple "
          "whose first item is hs is fine too)")
def check_forward(fn: Callable[..., Any]) -> None:
    for i, (label, T, B, D, H, act) in enumerate(_sizes()):
        p, xs, h0, _ = _case_inputs(T, B, D, H, act, seed=10 + i)
        for given in (h0, None):
            case = Case(f"the input {label}, " + ("h0 given" if given is not None else
                                                   "h0=None (zeros)"), (p, xs, given))
            got = call(fn, case)
            if isinstance(got, tuple):
                got = got[0]
            expected, _ = rnn.forward(p, xs, given)
            if np.shape(got) == (B, H):
                raise ExerciseError(f"your function returned one state of shape ({B}, {H}); "
                                    f"return every state, hs of shape ({T}, {B}, {H})\n"
                                    f"  on {case.label}")
            start = np.zeros((B, H)) if given is None else given
            mistakes: list[tuple[str, Any]] = [
                ("hs[0] should be h_1, the state after the first input; your hs seems to "
                 "start with h_0 and stop before h_T",
                 lambda e=expected, s=start: np.concatenate([s[None], e[:-1]])),
                ("each step should start from the previous step's state, not from h0",
                 lambda p=p, xs=xs, s=start: np.stack([rnn.step(p, x, s) for x in xs])),
                ("h0 seems to be ignored (treated as zeros)",
                 lambda p=p, xs=xs: rnn.forward(p, xs)[0]),
            ]
            compare(got, expected, what="the states hs", case=case, mistakes=mistakes)


def _mistakes(p: rnn.Params, cache: rnn.Cache, dhs: np.ndarray) -> dict[str, dict[str, Any]]:
    """BPTT with each usual slip, by name: every array of (grads, dxs, dh0) it would return."""
    def as_dict(grads: rnn.Params, dxs: np.ndarray, dh0: np.ndarray) -> dict[str, Any]:
        return {"W_xh": grads.W_xh, "W_hh": grads.W_hh, "b_h": grads.b_h, "dxs": dxs,
                "dh0": dh0}

    right = as_dict(*rnn.backward(p, cache, dhs))
    deltas, _ = rnn.bptt_deltas(p, cache, dhs)
    h_t = cache.states[1:]                                                # (T, B, H)
    return {
        # no W_hh^T delta_{t+1} coming back: each step's gradient stays at its step
        "local": as_dict(*rnn.backward(p, cache, dhs, truncate=1)),
        # f'(a_t) left out: the identity's derivative is 1
        "linear": as_dict(*rnn.backward(replace(p, activation="identity"), cache, dhs)),
        # W_hh instead of W_hh^T going back
        "transposed": as_dict(*rnn.backward(replace(p, W_hh=p.W_hh.T), cache, dhs)),
        # dW_hh from delta_t h_t^T instead of delta_t h_{t-1}^T (the rest is right)
        "current": {**right, "W_hh": np.einsum("tbi,tbj->ij", deltas, h_t)},
    }


@register("bptt", "bptt(params, cache, dhs) -> (grads, dxs, dh0)",
          "backpropagation through time: grads (with fields W_xh, W_hh, b_h), dxs (T, B, D) "
          "and dh0 (B, H) from the gradients dhs (T, B, H) on every state; cache comes from "
          "rnnbook.rnn.forward; the reference is rnnbook.rnn.backward")
def check_bptt(fn: Callable[..., Any]) -> None:
    for i, (label, T, B, D, H, act) in enumerate(_sizes()):
        p, xs, h0, dhs = _case_inputs(T, B, D, H, act, seed=20 + i)
        for many_to_one in (False, True):
            if many_to_one:
                dhs = np.concatenate([np.zeros_like(dhs[:-1]), dhs[-1:]])
            _, cache = rnn.forward(p, xs, h0)
            case = Case(f"the input {label}, " + ("dhs non-zero only at the last step "
                        "(many-to-one)" if many_to_one else "dhs non-zero at every step"),
                        (p, cache, dhs))
            got_grads, got_dxs, got_dh0 = unpack(call(fn, case), 3, ("grads", "dxs", "dh0"), case)
            ref, ref_dxs, ref_dh0 = rnn.backward(p, cache, dhs)
            variants = _mistakes(p, cache, dhs)
            hints = {
                "local": "the gradient does not seem to flow back through time: dL/dh_t must "
                         "add W_hh^T delta_{t+1}, the gradient coming back from step t+1",
                "linear": "the derivative f'(a_t) seems to be missing: delta_t = f'(a_t) * dL/dh_t",
                "transposed": "check the orientation going back: dL/dh_{t-1} = delta_t @ W_hh "
                              "with the batch in rows",
                "current": "dW_hh pairs delta_t with the previous state h_{t-1}, not with h_t",
            }
            for field in ("W_xh", "W_hh", "b_h"):
                got = got_grads.get(field) if isinstance(got_grads, dict) else \
                    getattr(got_grads, field, None)
                if got is None:
                    raise ExerciseError(f"grads should have a field {field} (an rnn.Params or "
                                        f"a dict); got a {type(got_grads).__name__}\n"
                                        f"  on {case.label}")
                compare(got, getattr(ref, field), what=f"grads.{field}", case=case,
                        mistakes=[(hints[k], v[field]) for k, v in variants.items()])
            compare(got_dxs, ref_dxs, what="dxs", case=case,
                    mistakes=[(hints[k], v["dxs"]) for k, v in variants.items()])
            compare(got_dh0, ref_dh0, what="dh0", case=case,
                    mistakes=[("dh0 is the gradient that continues past the first step: "
                               "delta_1 @ W_hh", np.zeros_like(ref_dh0))])
