r"""Conversion between rnnbook's networks and PyTorch's modules (optional dependency).

=================== ===================== ========================================================
PyTorch             rnnbook               the same weights, regrouped
=================== ===================== ========================================================
``torch.nn.RNN``    ``rnn.Params``        ``W_xh = weight_ih_l0``, ``W_hh = weight_hh_l0``,
                                          ``b_h = bias_ih_l0 + bias_hh_l0``
``torch.nn.LSTM``   ``lstm.Params``       row blocks i, f, g, o of each tensor: ``W_xi`` the first
                                          H rows of ``weight_ih_l0``, ``W_hf`` the second H rows
                                          of ``weight_hh_l0``, ..., ``b_i = b_ii + b_hi``, ...
``torch.nn.GRU``    ``gru.Params``        row blocks r, z, n: ``b_r = b_ir + b_hr``,
                                          ``b_z = b_iz + b_hz``, ``b_xn = b_in``, ``b_hn = b_hn``
=================== ===================== ========================================================

PyTorch keeps two biases where one suffices; they are summed into one, and converting back puts
the sum in ``bias_ih_l0`` and zeros in ``bias_hh_l0`` -- except the GRU's :math:`b_{hn}`, which
sits inside the reset gate and stays apart. Both ways, the same weights give the same outputs
(:mod:`rnnbook.gru` follows PyTorch's placement of the reset gate; ``reset="cho"`` has no PyTorch
module). The weights are in the same orientation, (H, D) and (H, H), in both libraries.

Deeper and bidirectional modules map to the compositions of cells: with ``num_layers=L`` the
tensors of layer k end in ``_l{k}`` and are the cell of ``stack.Params.layers[k]``; with
``bidirectional=True`` those ending in ``_l{k}_reverse`` are its backward cell
(:class:`rnnbook.bidirectional.Params` ``bwd``). So a one-layer unidirectional module is a cell's
``Params``, a one-layer bidirectional one a :class:`rnnbook.bidirectional.Params`, and a deeper
one a :class:`rnnbook.stack.Params` whose layers are all cells or all bidirectional pairs, of one
kind and one hidden size (a PyTorch module has one of each).

Gradients map the same way: :func:`to_torch_grads` writes a ``Params`` of gradients into a
module's ``.grad`` tensors (a summed bias's gradient goes to both of PyTorch's biases, since
:math:`\partial L/\partial b_{ih} = \partial L/\partial b_{hh} = \partial L/\partial b`), and
:func:`from_torch_grads` reads them back.

Supported: ``batch_first=False`` (time-major, as in rnnbook), no LSTM projection, no dropout
between layers (rnnbook's stacks have none). PyTorch is imported only when a function here is
called; without it the call raises an ``ImportError`` that says how to install it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rnnbook import _torch_layout, bidirectional, cells, gru, lstm, rnn, stack

_INSTALL_HINT = (
    "rnnbook.interop needs PyTorch, which is not installed. Install its CPU build with "
    "`pip install torch==2.13.0` (or see https://pytorch.org for other builds)."
)

CellParams = rnn.Params | lstm.Params | gru.Params
"""The parameters of one cell."""

Network = rnn.Params | lstm.Params | gru.Params | bidirectional.Params | stack.Params
"""Anything :func:`to_torch` can convert: a cell, a bidirectional pair, or a stack."""


def _torch() -> Any:
    try:
        import torch
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc
    return torch


def _check_module(torch: Any, module: Any) -> str:
    """Return "RNN", "LSTM" or "GRU" for a supported module, else raise naming ``module``."""
    kinds = {torch.nn.RNN: "RNN", torch.nn.LSTM: "LSTM", torch.nn.GRU: "GRU"}
    kind = kinds.get(type(module))
    if kind is None:
        raise TypeError(f"module must be a torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU; "
                        f"got {type(module).__name__}")
    problems = [
        "batch_first=True (expected False: rnnbook is time-major)" if module.batch_first else "",
        f"proj_size={module.proj_size} (expected 0)" if getattr(module, "proj_size", 0) else "",
        f"dropout={module.dropout} (expected 0)" if module.num_layers > 1 and module.dropout
        else "",
    ]
    if any(problems):
        raise ValueError(f"module must be a time-major torch.nn.{kind} without projection or "
                         f"dropout; got " + ", ".join(p for p in problems if p))
    return kind


def _read(module: Any, kind: str, what: str) -> Network:
    """The network holding the module's weights (``what="data"``) or their ``.grad``."""
    H = module.hidden_size
    read = {s: _torch_layout.read_cell(module, kind, what, s, H)
            for s in _torch_layout.suffixes(module.num_layers, module.bidirectional)}
    if module.bidirectional:
        layers: list[stack.Layer] = [bidirectional.Params(read[f"_l{k}"], read[f"_l{k}_reverse"])
                                     for k in range(module.num_layers)]
    else:
        layers = [read[f"_l{k}"] for k in range(module.num_layers)]
    return layers[0] if len(layers) == 1 else stack.Params(tuple(layers))


def from_torch(module: Any) -> Network:
    """Copy the weights of a ``torch.nn.RNN``, ``LSTM`` or ``GRU`` into rnnbook's ``Params``.

    Parameters
    ----------
    module : torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU
        ``batch_first=False``, no ``proj_size`` for an LSTM, no dropout between layers.

    Returns
    -------
    rnn.Params, lstm.Params, gru.Params, bidirectional.Params or stack.Params
        A cell for one layer in one direction, a bidirectional pair for one layer in both, a
        stack for several layers; float64 or float32 as the module's weights; an RNN keeps its
        nonlinearity. A module built with ``bias=False`` gives zero biases.

    Raises
    ------
    ImportError
        If PyTorch is not installed.
    TypeError, ValueError
        If ``module`` is not a supported module.
    """
    torch = _torch()
    return _read(module, _check_module(torch, module), "data")


def from_torch_grads(module: Any) -> Network:
    """Read a module's ``.grad`` tensors into a ``Params`` of gradients, as :func:`from_torch`.

    Parameters
    ----------
    module : torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU
        After ``loss.backward()``.

    Returns
    -------
    rnn.Params, lstm.Params, gru.Params, bidirectional.Params or stack.Params
        The gradient of each field; a summed bias's gradient is that of ``bias_ih``'s block
        (equal to ``bias_hh``'s).

    Raises
    ------
    ValueError
        If a parameter has no gradient yet.
    """
    torch = _torch()
    return _read(module, _check_module(torch, module), "grad")


def to_torch(params: Network) -> Any:
    """Build the PyTorch module holding the weights of ``params``.

    Parameters
    ----------
    params : rnn.Params, lstm.Params, gru.Params, bidirectional.Params or stack.Params
        Cells with activation "tanh" or "relu" (vanilla) or ``reset="pytorch"`` (GRU); a stack's
        layers all cells or all bidirectional pairs, of one kind and one hidden size.

    Returns
    -------
    torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU
        ``batch_first=False``, with the ``num_layers`` and ``bidirectional`` of ``params``, in
        its dtype. ``bias_ih`` holds the summed biases and ``bias_hh`` zeros (for a GRU, zeros
        and :math:`b_{hn}`).

    Raises
    ------
    ImportError
        If PyTorch is not installed.
    TypeError, ValueError
        If ``params`` is something PyTorch has no module for.
    """
    torch = _torch()
    shape = _torch_layout.shape(params, "params")
    first = shape.cells[0][1]
    dtype = torch.float64 if _torch_layout.dtype(first) == np.float64 \
        else torch.float32
    extra = {"nonlinearity": first.activation} if isinstance(first, rnn.Params) else {}
    module = getattr(torch.nn, shape.kind)(shape.input_size, shape.hidden_size,
                                           num_layers=shape.num_layers,
                                           bidirectional=shape.bidirectional,
                                           batch_first=False, dtype=dtype, **extra)
    with torch.no_grad():
        for suffix, cell in shape.cells:
            arrays = _torch_layout.assemble(cell, shape.kind, suffix, every=False)
            for name, array in arrays.items():
                getattr(module, name).copy_(torch.from_numpy(array))
    return module


def to_torch_grads(grads: Network, module: Any) -> None:
    """Write a ``Params`` of gradients into the ``.grad`` of every parameter of ``module``.

    Use it to let a PyTorch optimiser take a step with gradients rnnbook computed, or to compare
    them with autograd's. Every ``.grad`` is replaced (not accumulated).

    Parameters
    ----------
    grads : rnn.Params, lstm.Params, gru.Params, bidirectional.Params or stack.Params
        For instance the first result of :func:`rnnbook.lstm.backward`.
    module : torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU
        Of the same cell, sizes, layers and directions (as :func:`to_torch` builds). A summed
        bias's gradient goes to both of PyTorch's biases; a module built with ``bias=False``
        ignores the bias gradients.

    Raises
    ------
    TypeError, ValueError
        If ``grads`` and ``module`` are of different cells, sizes or shapes.
    """
    torch = _torch()
    kind = _check_module(torch, module)
    shape = _torch_layout.shape(grads, "grads")
    if shape.kind != kind:
        raise TypeError(f"grads must be the gradients of a torch.nn.{kind}'s cell; got a "
                        f"{cells.kind(shape.cells[0][1])}.Params")
    ours = (shape.input_size, shape.hidden_size, shape.num_layers, shape.bidirectional)
    theirs = (module.input_size, module.hidden_size, module.num_layers, module.bidirectional)
    if ours != theirs:
        names = ("input_size", "hidden_size", "num_layers", "bidirectional")
        raise ValueError(f"grads must have {_sizes(names, theirs)} as the module; got "
                         f"{_sizes(names, ours)}")
    for suffix, cell in shape.cells:
        for name, array in _torch_layout.assemble(cell, kind, suffix, every=True).items():
            tensor = getattr(module, name, None)
            if tensor is not None:
                tensor.grad = torch.from_numpy(array).to(tensor.dtype)


def _sizes(names: tuple[str, ...], values: tuple[Any, ...]) -> str:
    return ", ".join(f"{n}={v}" for n, v in zip(names, values, strict=True))
