"""Where PyTorch keeps each weight of rnnbook's networks (internal; needs no PyTorch).

:mod:`rnnbook.interop` converts; this module knows the layout: which tensor (``weight_ih_l0``,
``bias_hh_l1_reverse``, ...) and which block of H rows holds each field of a cell's ``Params``,
which cells a network has and under which tensor suffix, and how to read or write one cell. It
works on any object with PyTorch's attribute names, so it needs no ``import torch``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from rnnbook import _tree, bidirectional, cells, gru, lstm, rnn, stack

CellParams = rnn.Params | lstm.Params | gru.Params

KINDS: dict[type, str] = {rnn.Params: "RNN", lstm.Params: "LSTM", gru.Params: "GRU"}
_Places = tuple[tuple[str, int], ...]  # (PyTorch tensor, block of H rows) whose sum is a field


class Shape(NamedTuple):
    """What a PyTorch module needs to know of a network, and its cells by tensor suffix."""

    kind: str
    input_size: int
    hidden_size: int
    num_layers: int
    bidirectional: bool
    cells: tuple[tuple[str, CellParams], ...]   # ("_l0", cell), ("_l0_reverse", cell), ...


def layout(kind: str, suffix: str) -> dict[str, _Places]:
    """For each field of the cell's Params, the PyTorch tensors and row blocks that hold it."""
    ih, hh, bih, bhh = (f"{name}{suffix}" for name in
                        ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
    if kind == "RNN":
        return {"W_xh": ((ih, 0),), "W_hh": ((hh, 0),), "b_h": ((bih, 0), (bhh, 0))}
    if kind == "LSTM":
        places: dict[str, _Places] = {}
        for k, n in enumerate(lstm.GATES):
            places |= {f"W_x{n}": ((ih, k),), f"W_h{n}": ((hh, k),),
                       f"b_{n}": ((bih, k), (bhh, k))}
        return places
    return {"W_xr": ((ih, 0),), "W_hr": ((hh, 0),), "b_r": ((bih, 0), (bhh, 0)),
            "W_xz": ((ih, 1),), "W_hz": ((hh, 1),), "b_z": ((bih, 1), (bhh, 1)),
            "W_xn": ((ih, 2),), "W_hn": ((hh, 2),), "b_xn": ((bih, 2),), "b_hn": ((bhh, 2),)}


def suffixes(num_layers: int, both: bool) -> list[str]:
    """PyTorch's tensor suffixes, layer by layer, the forward direction first."""
    return [f"_l{k}{d}" for k in range(num_layers) for d in (("", "_reverse") if both else ("",))]


def check_cell(params: object, name: str) -> CellParams:
    """A cell that PyTorch has, else raise naming ``name``."""
    cell = cells.check(params, name)
    if isinstance(cell, rnn.Params) and cell.activation not in ("tanh", "relu"):
        raise ValueError(f"{name}.activation must be 'tanh' or 'relu' for torch.nn.RNN; "
                         f"got {cell.activation!r}")
    if isinstance(cell, gru.Params) and cell.reset != "pytorch":
        raise ValueError(f"{name}.reset must be 'pytorch' for torch.nn.GRU (it has no "
                         f"Cho placement of the reset gate); got {cell.reset!r}")
    return cell


def shape(params: object, name: str) -> Shape:
    """The module ``params`` maps to, or raise naming ``name``."""
    if isinstance(params, stack.Params):
        layers, where = params.layers, [f"{name}.layers[{k}]" for k in range(len(params.layers))]
    elif isinstance(params, bidirectional.Params):
        layers, where = (params,), [name]
    elif type(params) in KINDS:
        layers, where = (params,), [name]   # type: ignore[assignment]
    else:
        raise TypeError(f"{name} must be an rnn.Params, lstm.Params, gru.Params, "
                        f"bidirectional.Params or stack.Params; got {type(params).__name__}")
    both = isinstance(layers[0], bidirectional.Params)
    found: list[CellParams] = []
    for layer, at in zip(layers, where, strict=True):
        if isinstance(layer, bidirectional.Params) != both:
            raise ValueError(f"{at} must be {'a bidirectional pair' if both else 'a cell'} as "
                             f"the first layer: torch.nn.RNN has one bidirectional flag")
        pair = (layer.fwd, layer.bwd) if isinstance(layer, bidirectional.Params) else (layer,)
        found += [check_cell(c, at) for c in pair]
    first = found[0]
    for cell in found[1:]:
        if type(cell) is not type(first) or cell.hidden_size != first.hidden_size or \
                getattr(cell, "activation", None) != getattr(first, "activation", None):
            raise ValueError(f"{name} must have cells of one kind, hidden size and activation "
                             f"(a torch.nn.RNN has one of each); got {cells.kind(first)} with "
                             f"H={first.hidden_size} and {cells.kind(cell)} with "
                             f"H={cell.hidden_size}")
    named = tuple(zip(suffixes(len(layers), both), found, strict=True))
    return Shape(KINDS[type(first)], first.input_size, first.hidden_size, len(layers), both,
                 named)


def read_cell(module: Any, kind: str, what: str, suffix: str, H: int) -> CellParams:
    """One cell's Params from the tensors ending in ``suffix``."""
    dtype = getattr(module, f"weight_ih{suffix}").detach().cpu().numpy().dtype
    fields: dict[str, Any] = {}
    for field, places in layout(kind, suffix).items():
        total = None
        for k, (name, block) in enumerate(places):
            tensor = getattr(module, name, None)
            if tensor is None or (what == "grad" and k > 0):  # bias=False; or a summand whose
                continue                                      # gradient is the sum's, read once
            if what == "grad" and tensor.grad is None:
                raise ValueError(f"module.{name}.grad must hold a gradient; got None "
                                 f"(call backward() on a loss first)")
            value = (tensor if what == "data" else tensor.grad).detach().cpu().numpy()
            part = np.array(value[block * H:(block + 1) * H], copy=True)   # (H, ...) block
            total = part if total is None else total + part
        fields[field] = np.zeros(H, dtype) if total is None else total
    if kind == "RNN":
        return rnn.Params(fields["W_xh"], fields["W_hh"], fields["b_h"], module.nonlinearity)
    return lstm.Params(**fields) if kind == "LSTM" else gru.Params(**fields)


def assemble(cell: CellParams, kind: str, suffix: str, every: bool) -> dict[str, np.ndarray]:
    """The four PyTorch tensors ending in ``suffix``, as arrays, holding ``cell``: each field
    written in the first of its places (weights: the other summands are zero) or in all of them
    (gradients)."""
    H, D = cell.hidden_size, cell.input_size
    dtype = _tree.named_arrays(cell)[0][1].dtype
    blocks = 4 if kind == "LSTM" else 3 if kind == "GRU" else 1
    out = {f"weight_ih{suffix}": np.zeros((blocks * H, D), dtype),
           f"weight_hh{suffix}": np.zeros((blocks * H, H), dtype),
           f"bias_ih{suffix}": np.zeros(blocks * H, dtype),
           f"bias_hh{suffix}": np.zeros(blocks * H, dtype)}
    for field, places in layout(kind, suffix).items():
        for name, block in places if every else places[:1]:
            out[name][block * H:(block + 1) * H] = getattr(cell, field)
    return out




def dtype(cell: CellParams) -> np.dtype[Any]:
    """The dtype of a cell's weights."""
    return _tree.named_arrays(cell)[0][1].dtype
