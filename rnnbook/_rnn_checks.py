"""Argument checks of the vanilla cell, shared by :mod:`rnnbook.rnn` and :mod:`rnnbook.fast.rnn`.

Internal. Each public function of the cell calls one of these once, before any arithmetic, so that
a wrong argument is named in the error, and the loops behind it trust their inputs. The two
modules check the same way because they call the same code. This module and :mod:`rnnbook.rnn`
import each other; each uses the other's names only inside functions, when both are loaded.
"""

from __future__ import annotations

import numpy as np

from rnnbook import _checks, activations, rnn
from rnnbook.types import Array


def params_fields(W_xh: object, W_hh: object, b_h: object,
                  activation: object) -> tuple[Array, Array, Array]:
    """The weights of an :class:`rnnbook.rnn.Params`, checked and in one dtype."""
    W_xh = _checks.float_array(W_xh, "W_xh", ndim=2, layout="(H, D)")
    H = W_xh.shape[0]
    W_hh = _checks.float_array(W_hh, "W_hh", ndim=2, layout="(H, H)")
    _checks.expect_shape(W_hh, "W_hh", (H, H), "(H, H)", f"(H={H} rows of W_xh)")
    b_h = _checks.float_array(b_h, "b_h", ndim=1, layout="(H,)")
    _checks.expect_shape(b_h, "b_h", (H,), "(H,)", f"(H={H} rows of W_xh)")
    _checks.choice(activation, "activation", activations.NAMES)
    dtype = np.result_type(W_xh, W_hh, b_h)
    return (W_xh.astype(dtype, copy=False), W_hh.astype(dtype, copy=False),
            b_h.astype(dtype, copy=False))


def init_args(input_size: object, hidden_size: object, activation: object, recurrent: object,
              spectral_radius: object) -> tuple[int, int]:
    """D and H of :func:`rnnbook.rnn.init`, after checking every argument."""
    D = _checks.positive_int(input_size, "input_size")
    H = _checks.positive_int(hidden_size, "hidden_size")
    _checks.choice(activation, "activation", activations.NAMES)
    _checks.choice(recurrent, "recurrent", rnn.RECURRENT_INITS)
    if spectral_radius is not None:
        _checks.positive_float(spectral_radius, "spectral_radius")
    return D, H


def params(p: object) -> rnn.Params:
    """``p`` if it is an :class:`rnnbook.rnn.Params`, else a TypeError."""
    return _checks.instance(p, "params", rnn.Params, "an rnn.Params")


def inputs(p: rnn.Params, x: object, name: str, layout: str) -> Array:
    """Inputs ``x`` whose last axis must be D = ``p.input_size``, as a float array."""
    arr = _checks.float_array(x, name, ndim=layout.count(",") + 1, layout=layout)
    if arr.shape[-1] != p.input_size:
        raise ValueError(
            f"{name} must have shape {layout} with D={p.input_size}, the input_size of "
            f"params (W_xh has shape {_checks.shape_str(p.W_xh.shape)}); "
            f"got shape {_checks.shape_str(arr.shape)}"
        )
    return arr


def state(h: object, name: str, batch: int, p: rnn.Params) -> Array:
    """A state of shape (B, H), B from the inputs and H from ``p``, as a float array."""
    arr = _checks.float_array(h, name, ndim=2, layout="(B, H)")
    _checks.expect_shape(arr, name, (batch, p.hidden_size), "(B, H)",
                         f"(B={batch} from the inputs, H={p.hidden_size} from params)")
    return arr


def step_args(p: object, x_t: object, h_prev: object) -> tuple[Array, Array]:
    """``x_t`` (B, D) and ``h_prev`` (B, H) of :func:`rnnbook.rnn.step`, checked."""
    q = params(p)
    x = inputs(q, x_t, "x_t", "(B, D)")
    return x, state(h_prev, "h_prev", x.shape[0], q)


def forward_args(p: object, xs: object, h0: object) -> tuple[Array, Array]:
    """``xs`` (T, B, D) and the initial state (B, H) of a forward pass, checked.

    ``h0=None`` becomes zeros, in the dtype the states will have (that of the weights and the
    inputs together).
    """
    q = params(p)
    x = inputs(q, xs, "xs", "(T, B, D)")
    if h0 is None:
        return x, np.zeros((x.shape[1], q.hidden_size), dtype=np.result_type(q.W_xh, x))
    return x, state(h0, "h0", x.shape[1], q)


def backward_args(p: object, cache: object, dhs: object,
                  truncate: object) -> tuple[Array, int | None]:
    """``dhs`` (T, B, H), in the dtype of the forward pass, and ``truncate``, checked."""
    q = params(p)
    if not isinstance(cache, rnn.Cache):
        raise TypeError(f"cache must be the rnn.Cache returned by rnn.forward; "
                        f"got {type(cache).__name__}")
    T, B, D = cache.xs.shape
    H = cache.states.shape[2]
    if (D, H) != (q.input_size, q.hidden_size):
        raise ValueError(
            f"cache was computed for input_size={D}, hidden_size={H} but params have "
            f"input_size={q.input_size}, hidden_size={q.hidden_size}"
        )
    arr = _checks.float_array(dhs, "dhs", ndim=3, layout="(T, B, H)")
    _checks.expect_shape(arr, "dhs", (T, B, H), "(T, B, H)", "(the shape of hs from forward)")
    k = None if truncate is None else _checks.positive_int(truncate, "truncate")
    return arr.astype(cache.states.dtype, copy=False), k
