r"""Conversion between rnnbook's parameters and PyTorch modules (optional dependency).

``torch.nn.RNN`` computes :math:`h_t = f(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})`: the same
cell as :mod:`rnnbook.rnn` with :math:`W_{xh} = W_{ih}` (same orientation, (H, D)) and its two
biases summed into one, :math:`b_h = b_{ih} + b_{hh}`. Converting back puts all of :math:`b_h` in
``bias_ih_l0`` and zeros in ``bias_hh_l0``, so the same weights give the same outputs both ways.

Supported: one layer, unidirectional, ``batch_first=False`` (time-major, as in rnnbook), with tanh
or relu (the only nonlinearities ``torch.nn.RNN`` offers). PyTorch is imported only when a function
here is called; without it the call raises an ``ImportError`` that says how to install it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rnnbook import _checks, rnn

_INSTALL_HINT = (
    "rnnbook.interop needs PyTorch, which is not installed. Install its CPU build with "
    "`pip install torch==2.13.0` (or see https://pytorch.org for other builds)."
)


def _torch() -> Any:
    try:
        import torch
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc
    return torch


def from_torch(module: Any) -> rnn.Params:
    """Copy the weights of a ``torch.nn.RNN`` into :class:`rnnbook.rnn.Params`.

    Parameters
    ----------
    module : torch.nn.RNN
        One layer, unidirectional, ``batch_first=False``, tanh or relu.

    Returns
    -------
    rnn.Params
        float64 or float32 as the module's weights; the activation is the module's nonlinearity.

    Raises
    ------
    ImportError
        If PyTorch is not installed.
    TypeError, ValueError
        If ``module`` is not a supported ``torch.nn.RNN``.
    """
    torch = _torch()
    if not isinstance(module, torch.nn.RNN):
        raise TypeError(f"module must be a torch.nn.RNN; got {type(module).__name__} "
                        "(LSTM and GRU arrive with rnnbook.lstm and rnnbook.gru)")
    problems = [
        f"num_layers={module.num_layers} (expected 1)" if module.num_layers != 1 else "",
        "bidirectional=True (expected False)" if module.bidirectional else "",
        "batch_first=True (expected False: rnnbook is time-major)" if module.batch_first else "",
        f"proj_size={module.proj_size} (expected 0)" if getattr(module, "proj_size", 0) else "",
    ]
    if any(problems):
        raise ValueError("module must be a one-layer, unidirectional, time-major torch.nn.RNN; "
                         "got " + ", ".join(p for p in problems if p))

    def numpy(name: str) -> np.ndarray:
        return np.array(getattr(module, name).detach().cpu().numpy(), copy=True)

    H = module.hidden_size
    W_ih = numpy("weight_ih_l0")
    b_h = numpy("bias_ih_l0") + numpy("bias_hh_l0") if module.bias else np.zeros(H, W_ih.dtype)
    return rnn.Params(W_ih, numpy("weight_hh_l0"), b_h, module.nonlinearity)


def to_torch(params: rnn.Params) -> Any:
    """Build a ``torch.nn.RNN`` holding the weights of ``params``.

    Parameters
    ----------
    params : rnn.Params
        With activation "tanh" or "relu".

    Returns
    -------
    torch.nn.RNN
        One layer, ``batch_first=False``, in the dtype of ``params``; ``bias_ih_l0`` holds
        :math:`b_h` and ``bias_hh_l0`` zeros.

    Raises
    ------
    ImportError
        If PyTorch is not installed.
    ValueError
        If the activation is "sigmoid" or "identity", which ``torch.nn.RNN`` cannot express.
    """
    torch = _torch()
    _checks.instance(params, "params", rnn.Params, "an rnn.Params")
    if params.activation not in ("tanh", "relu"):
        raise ValueError(f"params.activation must be 'tanh' or 'relu' for torch.nn.RNN; "
                         f"got {params.activation!r}")
    dtype = torch.float64 if params.W_xh.dtype == np.float64 else torch.float32
    module = torch.nn.RNN(params.input_size, params.hidden_size, num_layers=1,
                          nonlinearity=params.activation, batch_first=False, dtype=dtype)

    def tensor(a: np.ndarray) -> Any:  # a fresh C-ordered copy: torch.from_numpy refuses
        return torch.from_numpy(np.array(a, order="C"))  # negative strides, warns on read-only

    with torch.no_grad():
        module.weight_ih_l0.copy_(tensor(params.W_xh))
        module.weight_hh_l0.copy_(tensor(params.W_hh))
        module.bias_ih_l0.copy_(tensor(params.b_h))
        module.bias_hh_l0.zero_()
    return module
