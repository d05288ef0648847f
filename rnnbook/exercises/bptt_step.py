r"""The first exercise on BPTT: one step of the backward sweep.

One step of the sweep of chapter 4 turns the gradient on a state into the gradient at its
pre-activation, :math:`\delta_t = f'(a_t) \odot \partial L / \partial h_t` (:eq:`eq-bptt-delta`),
and sends :math:`W_{hh}^\top \delta_t` back to the state before (:eq:`eq-bptt-dh`). The reference
is written here from those two equations; its test builds the whole of
:func:`rnnbook.rnn.backward`'s :math:`\delta_t` from repeated steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from rnnbook import activations, rnn
from rnnbook.exercises._core import Case, call, compare, register, unpack
from rnnbook.types import Array

# (B, H, activation): a batch of one and a single unit first, then the four activations.
_SIZES = ((1, 1, "tanh"), (2, 3, "tanh"), (3, 4, "sigmoid"), (2, 3, "relu"), (1, 2, "identity"))


def reference(params: rnn.Params, h_t: Array, dh: Array) -> tuple[Array, Array]:
    r"""One step of the backward sweep, batch in rows.

    Parameters
    ----------
    params : rnnbook.rnn.Params
        The cell; only ``W_hh`` and ``activation`` are used.
    h_t : ndarray of shape (B, H)
        The state :math:`h_t = f(a_t)` of the forward pass.
    dh : ndarray of shape (B, H)
        :math:`\partial L / \partial h_t`, everything the loss sends to :math:`h_t`.

    Returns
    -------
    delta : ndarray of shape (B, H)
        :math:`\delta_t = f'(a_t) \odot \partial L / \partial h_t` (:eq:`eq-bptt-delta`).
    dh_prev : ndarray of shape (B, H)
        :math:`W_{hh}^\top \delta_t`, the part of :math:`\partial L / \partial h_{t-1}` that comes
        back through the chain (:eq:`eq-bptt-dh`).
    """
    fprime = activations.get(params.activation).df_from_output(h_t)   # (B, H): f'(a_t)
    delta = fprime * dh                                                # (B, H)
    return delta, delta @ params.W_hh                                  # (B, H): W_hh^T delta


def _case(B: int, H: int, act: str, seed: int) -> tuple[rnn.Params, Array, Array]:
    rng = np.random.default_rng(seed)
    params = rnn.Params(rng.uniform(-1, 1, (H, 2)), rng.uniform(-1, 1, (H, H)),
                        rng.uniform(-0.5, 0.5, H), act)
    h_t = activations.get(act).f(rng.standard_normal((B, H)))   # a state f(a_t) can produce
    return params, h_t, rng.standard_normal((B, H))


@register("backward_step", "backward_step(params, h_t, dh) -> (delta, dh_prev)",
          "one step of the BPTT sweep: delta = f'(a_t) * dL/dh_t with f'(a_t) from the state "
          "h_t, and dh_prev = W_hh^T delta; batch in rows, every array (B, H)")
def check_backward_step(fn: Callable[..., Any]) -> None:
    for i, (B, H, act) in enumerate(_SIZES):
        params, h_t, dh = _case(B, H, act, seed=40 + i)
        case = Case(f"h_t and dh of shape ({B}, {H}), activation {act!r}", (params, h_t, dh))
        delta, dh_prev = unpack(call(fn, case), 2, ("delta", "dh_prev"), case)
        expected, expected_prev = reference(params, h_t, dh)
        f = activations.get(act)
        compare(delta, expected, what="delta", case=case, mistakes=[
            ("the slope f'(a_t) seems to be missing: delta = f'(a_t) * dL/dh_t", dh),
            (f"f'(a_t) is computed from the state h_t = f(a_t), not by applying f' to h_t: "
             f"for {act!r} use activations.get(params.activation).df_from_output(h_t)",
             lambda f=f, h_t=h_t, dh=dh: f.df(h_t) * dh),
            ("use the activation named in params.activation, not always tanh",
             lambda h_t=h_t, dh=dh: (1.0 - h_t**2) * dh),
        ])
        compare(dh_prev, expected_prev, what="dh_prev", case=case, mistakes=[
            ("check the orientation going back: W_hh^T delta is delta @ W_hh with the batch in "
             "rows", lambda params=params, e=expected: e @ params.W_hh.T),
            ("dh_prev is W_hh^T delta only: the direct gradient on h_{t-1} is added by the "
             "step before, not here", lambda params=params, e=expected, dh=dh:
             e @ params.W_hh + dh),
            ("dh_prev goes back through W_hh from delta, the gradient at the pre-activation, "
             "not from dL/dh_t", lambda params=params, dh=dh: dh @ params.W_hh),
        ])
