"""Argument checks of the gated cells, shared by :mod:`rnnbook.lstm`, :mod:`rnnbook.gru` and their
:mod:`rnnbook.fast` versions (internal; the general checks are in :mod:`rnnbook._checks`).

The same questions every cell asks at its public boundary: is ``params`` a parameter set of the
right cell, do its gate weights agree on H and D, do the inputs and states have the shapes the
parameters imply? The messages name the argument, the shape expected and the shape received.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

from rnnbook import _checks
from rnnbook.types import Array

C = TypeVar("C")
P = TypeVar("P")


def gate_weights(obj: Any, x_names: tuple[str, ...], h_names: tuple[str, ...],
                 b_names: tuple[str, ...]) -> None:
    """Validate and set the weight fields of a frozen ``Params``: all of one dtype.

    ``x_names`` are (H, D) input weights, ``h_names`` (H, H) recurrent weights and ``b_names``
    (H,) biases; H and D are read from the first input weight.
    """
    first = x_names[0]
    arrays = {first: _checks.float_array(getattr(obj, first), first, ndim=2, layout="(H, D)")}
    H, D = arrays[first].shape
    why = f"(H={H}, D={D} from {first})"
    for names, layout, shape in ((x_names, "(H, D)", (H, D)), (h_names, "(H, H)", (H, H)),
                                 (b_names, "(H,)", (H,))):
        for name in names:
            arr = _checks.float_array(getattr(obj, name), name, ndim=len(shape), layout=layout)
            _checks.expect_shape(arr, name, shape, layout, why)
            arrays[name] = arr
    dtype = np.result_type(*arrays.values())
    for name, arr in arrays.items():
        object.__setattr__(obj, name, arr.astype(dtype, copy=False))


def inputs(x: object, name: str, layout: str, input_size: int, first: str,
           first_shape: tuple[int, ...]) -> Array:
    """Validate inputs ``x`` whose last axis must be D = ``input_size`` (read from ``first``)."""
    arr = _checks.float_array(x, name, ndim=layout.count(",") + 1, layout=layout)
    if arr.shape[-1] != input_size:
        raise ValueError(
            f"{name} must have shape {layout} with D={input_size}, the input_size of params "
            f"({first} has shape {_checks.shape_str(first_shape)}); "
            f"got shape {_checks.shape_str(arr.shape)}"
        )
    return arr


def state(h: object, name: str, batch: int, hidden_size: int) -> Array:
    """Validate a state of shape (B, H) against the batch of the inputs and H of the params."""
    arr = _checks.float_array(h, name, ndim=2, layout="(B, H)")
    _checks.expect_shape(arr, name, (batch, hidden_size), "(B, H)",
                         f"(B={batch} from the inputs, H={hidden_size} from params)")
    return arr


def backward_args(params: object, cache: object, dhs: object, truncate: object,
                  classes: tuple[type[P], type[C]], cell: str) -> tuple[P, C, Array, int | None]:
    """Validate the arguments of a cell's ``backward``; return ``dhs`` in the forward's dtype.

    ``classes`` are the cell's ``Params`` and ``Cache``, ``cell`` its module name (``"lstm"``).
    """
    article = "an" if cell[0] in "aeiloru" else "a"   # an lstm, an rnn, a gru
    p = _checks.instance(params, "params", classes[0], f"{article} {cell}.Params")
    c = _checks.instance(cache, "cache", classes[1], f"the {cell}.Cache returned by {cell}.forward")
    xs, states = c.xs, c.states  # type: ignore[attr-defined]
    (T, B, D), H = xs.shape, states.shape[2]
    if (D, H) != (p.input_size, p.hidden_size):  # type: ignore[attr-defined]
        raise ValueError(
            f"cache was computed for input_size={D}, hidden_size={H} but params have "
            f"input_size={p.input_size}, hidden_size={p.hidden_size}"  # type: ignore[attr-defined]
        )
    arr = _checks.float_array(dhs, "dhs", ndim=3, layout="(T, B, H)")
    _checks.expect_shape(arr, "dhs", (T, B, H), "(T, B, H)", "(the shape of hs from forward)")
    k = None if truncate is None else _checks.positive_int(truncate, "truncate")
    return p, c, arr.astype(states.dtype, copy=False), k
