"""Exercises on gradients through time: their norms, and clipping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from rnnbook import clipping, dynamics, initializers, rnn
from rnnbook.exercises._core import Case, ExerciseError, call, compare, register, unpack


@register("gradient_norms", "gradient_norms(params, xs, h0=None) -> norms",
          "norms[k] = spectral norm of dh_T/dh_{T-k} for k = 0..T-1 (norms[0] = 1) along one "
          "sequence xs of shape (T, 1, D); the reference is rnnbook.dynamics.gradient_norms")
def check_gradient_norms(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(7)
    cases = [
        ("T=1, H=1, tanh", rnn.init(1, 1, seed=1), 1),
        ("T=6, H=3, tanh", rnn.init(2, 3, seed=2, spectral_radius=1.5), 6),
        ("T=5, H=4, relu", rnn.init(2, 4, seed=3, activation="relu"), 5),
        ("T=8, H=4, identity with W_hh = 0.9 x orthogonal",
         rnn.Params(initializers.uniform((4, 2), 0.5, seed=4),
                    initializers.orthogonal(4, gain=0.9, seed=4), np.zeros(4), "identity"), 8),
    ]
    for label, p, T in cases:
        xs = rng.standard_normal((T, 1, p.input_size))
        case = Case(f"one sequence, {label} (xs of shape {xs.shape})", (p, xs, None))
        expected = dynamics.gradient_norms(p, xs)
        J = dynamics.state_jacobians(p, xs)

        def products(norm: Any, use_f: bool = True, J: Any = J, p: Any = p) -> np.ndarray:
            P, out = np.eye(p.hidden_size), [1.0]
            for k in range(1, len(J)):
                P = P @ (J[len(J) - k] if use_f else p.W_hh)
                out.append(float(np.linalg.norm(P, norm)))
            return np.array(out)

        mistakes: list[tuple[str, Any]] = [
            ("your array seems reversed: entry k is k steps back from T, so entry 0 is 1",
             expected[::-1]),
            ("use the spectral norm (the largest singular value, np.linalg.norm(P, 2)), not "
             "the Frobenius norm", lambda: products("fro")),
            ("each Jacobian is diag(f'(a_t)) W_hh: the activation's derivative seems missing",
             lambda: products(2, use_f=False)),
            ("off by one: entry 0 is the identity (no step back), entry 1 one Jacobian",
             lambda e=expected: np.concatenate([[1.0], e[2:], [np.nan]])[: len(e)]),
        ]
        compare(call(fn, case), expected, what="the gradient norms", case=case,
                mistakes=mistakes, rtol=1e-6)


@register("clip_by_norm", "clip_by_norm(grads, max_norm) -> (clipped, norm)",
          "gradient-norm clipping: rescale all gradients together when their global norm "
          "exceeds max_norm, and return the norm before clipping; the reference is "
          "rnnbook.clipping.clip_by_norm")
def check_clip_by_norm(fn: Callable[..., Any]) -> None:
    base = rnn.Params(np.array([[3.0, 0.0]]), np.array([[4.0]]), np.array([12.0]))  # norm 13
    cases = [
        ("gradients of global norm 13 and max_norm=5 (must be clipped)", base, 5.0),
        ("gradients of global norm 13 and max_norm=100 (must be left alone)", base, 100.0),
        ("gradients of global norm 13 and max_norm=13 (exactly at the threshold)", base, 13.0),
        ("gradients where one array alone is below max_norm but all together are above",
         rnn.Params(np.array([[2.0, 2.0]]), np.array([[2.0]]), np.array([2.0])), 3.5),
    ]
    for label, grads, max_norm in cases:
        before = {k: np.copy(getattr(grads, k)) for k in ("W_xh", "W_hh", "b_h")}
        case = Case(label, (grads, max_norm))
        clipped, norm = unpack(call(fn, case), 2, ("clipped", "norm"), case)
        expected, expected_norm = clipping.clip_by_norm(grads, max_norm)
        for k, v in before.items():
            if not np.array_equal(getattr(grads, k), v):
                raise ExerciseError(f"your function changed grads.{k} in place; return new "
                                    f"arrays and leave the gradients you were given as they "
                                    f"were\n  on {case.label}")
        compare(np.asarray(norm, dtype=float).reshape(()), np.array(expected_norm),
                what="the returned norm", case=case,
                mistakes=[("return the norm measured before clipping, not after", min(
                    expected_norm, max_norm))])
        for k in ("W_xh", "W_hh", "b_h"):
            got = getattr(clipped, k, None)
            if got is None:
                raise ExerciseError(f"clipped should have the fields of grads (W_xh, W_hh, b_h);"
                                    f" got a {type(clipped).__name__}\n  on {case.label}")
            arr = getattr(grads, k)
            compare(got, getattr(expected, k), what=f"clipped.{k}", case=case, mistakes=[
                ("clip by the global norm of all arrays together, not each array by its own",
                 arr * min(1.0, max_norm / max(float(np.linalg.norm(arr)), 1e-300))),
                ("below the threshold the gradients must be left unchanged",
                 arr * max_norm / expected_norm),
            ])
