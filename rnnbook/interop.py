r"""Conversion between rnnbook's cells and PyTorch's modules (optional dependency).

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

Gradients map the same way: :func:`to_torch_grads` writes a ``Params`` of gradients into a
module's ``.grad`` tensors (a summed bias's gradient goes to both of PyTorch's biases, since
:math:`\partial L/\partial b_{ih} = \partial L/\partial b_{hh} = \partial L/\partial b`), and
:func:`from_torch_grads` reads them back.

Supported: one layer, unidirectional, ``batch_first=False`` (time-major, as in rnnbook), no LSTM
projection. PyTorch is imported only when a function here is called; without it the call raises an
``ImportError`` that says how to install it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rnnbook import _tree, gru, lstm, rnn

_INSTALL_HINT = (
    "rnnbook.interop needs PyTorch, which is not installed. Install its CPU build with "
    "`pip install torch==2.13.0` (or see https://pytorch.org for other builds)."
)

CellParams = rnn.Params | lstm.Params | gru.Params
"""The parameters of any cell that :func:`to_torch` can convert."""

_Places = tuple[tuple[str, int], ...]  # (PyTorch tensor, block of H rows) whose sum is a field


def _layout(kind: str) -> dict[str, _Places]:
    """For each field of the cell's Params, the PyTorch tensors and row blocks that hold it."""
    ih, hh, bih, bhh = "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"
    if kind == "RNN":
        return {"W_xh": ((ih, 0),), "W_hh": ((hh, 0),), "b_h": ((bih, 0), (bhh, 0))}
    if kind == "LSTM":
        layout: dict[str, _Places] = {}
        for k, n in enumerate(lstm.GATES):
            layout |= {f"W_x{n}": ((ih, k),), f"W_h{n}": ((hh, k),),
                       f"b_{n}": ((bih, k), (bhh, k))}
        return layout
    return {"W_xr": ((ih, 0),), "W_hr": ((hh, 0),), "b_r": ((bih, 0), (bhh, 0)),
            "W_xz": ((ih, 1),), "W_hz": ((hh, 1),), "b_z": ((bih, 1), (bhh, 1)),
            "W_xn": ((ih, 2),), "W_hn": ((hh, 2),), "b_xn": ((bih, 2),), "b_hn": ((bhh, 2),)}


_KINDS: dict[type, str] = {rnn.Params: "RNN", lstm.Params: "LSTM", gru.Params: "GRU"}


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
        f"num_layers={module.num_layers} (expected 1)" if module.num_layers != 1 else "",
        "bidirectional=True (expected False)" if module.bidirectional else "",
        "batch_first=True (expected False: rnnbook is time-major)" if module.batch_first else "",
        f"proj_size={module.proj_size} (expected 0)" if getattr(module, "proj_size", 0) else "",
    ]
    if any(problems):
        raise ValueError(f"module must be a one-layer, unidirectional, time-major "
                         f"torch.nn.{kind}; got " + ", ".join(p for p in problems if p))
    return kind


def _check_params(params: object, name: str) -> str:
    """Return the kind of a convertible ``Params``, else raise naming ``name``."""
    kind = _KINDS.get(type(params))
    if kind is None:
        raise TypeError(f"{name} must be an rnn.Params, lstm.Params or gru.Params; "
                        f"got {type(params).__name__}")
    if isinstance(params, rnn.Params) and params.activation not in ("tanh", "relu"):
        raise ValueError(f"{name}.activation must be 'tanh' or 'relu' for torch.nn.RNN; "
                         f"got {params.activation!r}")
    if isinstance(params, gru.Params) and params.reset != "pytorch":
        raise ValueError(f"{name}.reset must be 'pytorch' for torch.nn.GRU (it has no "
                         f"Cho placement of the reset gate); got {params.reset!r}")
    return kind


def _read(module: Any, kind: str, what: str) -> CellParams:
    """A Params of the module's weights (``what="data"``) or of their ``.grad`` (``"grad"``)."""
    H = module.hidden_size
    dtype = module.weight_ih_l0.detach().cpu().numpy().dtype
    fields: dict[str, Any] = {}
    for field, places in _layout(kind).items():
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


def from_torch(module: Any) -> CellParams:
    """Copy the weights of a ``torch.nn.RNN``, ``LSTM`` or ``GRU`` into rnnbook's ``Params``.

    Parameters
    ----------
    module : torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU
        One layer, unidirectional, ``batch_first=False`` (and no ``proj_size`` for an LSTM).

    Returns
    -------
    rnn.Params, lstm.Params or gru.Params
        float64 or float32 as the module's weights; an RNN keeps its nonlinearity. A module
        built with ``bias=False`` gives zero biases.

    Raises
    ------
    ImportError
        If PyTorch is not installed.
    TypeError, ValueError
        If ``module`` is not a supported module.
    """
    torch = _torch()
    return _read(module, _check_module(torch, module), "data")


def from_torch_grads(module: Any) -> CellParams:
    """Read a module's ``.grad`` tensors into a ``Params`` of gradients, as :func:`from_torch`.

    Parameters
    ----------
    module : torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU
        After ``loss.backward()``.

    Returns
    -------
    rnn.Params, lstm.Params or gru.Params
        The gradient of each field; a summed bias's gradient is that of ``bias_ih_l0``'s block
        (equal to ``bias_hh_l0``'s).

    Raises
    ------
    ValueError
        If a parameter has no gradient yet.
    """
    torch = _torch()
    return _read(module, _check_module(torch, module), "grad")


def _assemble(params: CellParams, kind: str, H: int, every: bool) -> dict[str, np.ndarray]:
    """The four PyTorch tensors, as arrays, holding ``params``: each field written in the first
    of its places (weights: the other summands are zero) or in all of them (gradients)."""
    dtype = _tree.named_arrays(params)[0][1].dtype
    blocks = 4 if kind == "LSTM" else 3 if kind == "GRU" else 1
    D = params.input_size
    out = {"weight_ih_l0": np.zeros((blocks * H, D), dtype),
           "weight_hh_l0": np.zeros((blocks * H, H), dtype),
           "bias_ih_l0": np.zeros(blocks * H, dtype), "bias_hh_l0": np.zeros(blocks * H, dtype)}
    for field, places in _layout(kind).items():
        for name, block in places if every else places[:1]:
            out[name][block * H:(block + 1) * H] = getattr(params, field)
    return out


def to_torch(params: CellParams) -> Any:
    """Build the PyTorch module holding the weights of ``params``.

    Parameters
    ----------
    params : rnn.Params, lstm.Params or gru.Params
        An ``rnn.Params`` with activation "tanh" or "relu"; a ``gru.Params`` with
        ``reset="pytorch"``.

    Returns
    -------
    torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU
        One layer, ``batch_first=False``, in the dtype of ``params``. ``bias_ih_l0`` holds the
        summed biases and ``bias_hh_l0`` zeros (for a GRU, zeros and :math:`b_{hn}`).

    Raises
    ------
    ImportError
        If PyTorch is not installed.
    ValueError
        If ``params`` uses an activation or a reset placement PyTorch does not have.
    """
    torch = _torch()
    kind = _check_params(params, "params")
    arrays = _assemble(params, kind, params.hidden_size, every=False)
    dtype = torch.float64 if arrays["weight_ih_l0"].dtype == np.float64 else torch.float32
    extra = {"nonlinearity": params.activation} if isinstance(params, rnn.Params) else {}
    module = getattr(torch.nn, kind)(params.input_size, params.hidden_size, num_layers=1,
                                     batch_first=False, dtype=dtype, **extra)
    with torch.no_grad():
        for name, array in arrays.items():
            getattr(module, name).copy_(torch.from_numpy(array))
    return module


def to_torch_grads(grads: CellParams, module: Any) -> None:
    """Write a ``Params`` of gradients into the ``.grad`` of every parameter of ``module``.

    Use it to let a PyTorch optimiser take a step with gradients rnnbook computed, or to compare
    them with autograd's. Every ``.grad`` is replaced (not accumulated).

    Parameters
    ----------
    grads : rnn.Params, lstm.Params or gru.Params
        For instance the first result of :func:`rnnbook.lstm.backward`.
    module : torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU
        Of the same cell and sizes (as :func:`to_torch` builds). A summed bias's gradient goes to
        both of PyTorch's biases; a module built with ``bias=False`` ignores the bias gradients.

    Raises
    ------
    TypeError, ValueError
        If ``grads`` and ``module`` are of different cells or sizes.
    """
    torch = _torch()
    kind = _check_module(torch, module)
    grads_kind = _check_params(grads, "grads")
    if grads_kind != kind:
        raise TypeError(f"grads must be the gradients of a torch.nn.{kind}'s cell; got a "
                        f"{type(grads).__module__.removeprefix('rnnbook.')}.Params")
    sizes = (grads.input_size, grads.hidden_size)
    if sizes != (module.input_size, module.hidden_size):
        raise ValueError(f"grads must have input_size={module.input_size}, hidden_size="
                         f"{module.hidden_size} as the module; got input_size={sizes[0]}, "
                         f"hidden_size={sizes[1]}")
    for name, array in _assemble(grads, kind, module.hidden_size, every=True).items():
        tensor = getattr(module, name, None)
        if tensor is not None:
            tensor.grad = torch.from_numpy(array).to(tensor.dtype)
