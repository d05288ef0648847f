"""rnnbook: the tested numpy code behind "Recurrent Neural Networks, from intuition to code".

One concept per module, each named after the idea it teaches:

- :mod:`rnnbook.activations`: tanh, sigmoid, relu, identity, their derivatives and the bound γ
- :mod:`rnnbook.init`: weight initialisers and scaling to a spectral radius
- :mod:`rnnbook.rnn`: the vanilla (Elman) cell: ``Params``, ``init``, ``step``, ``forward``,
  ``backward``
- :mod:`rnnbook.losses`: mean squared error and softmax cross-entropy, with gradients
- :mod:`rnnbook.gradcheck`: finite-difference gradients and relative error
- :mod:`rnnbook.dynamics`: state Jacobians, gradient norms through time, the bound, clipping
- :mod:`rnnbook.optim`: SGD with momentum, Adagrad, Adam
- :mod:`rnnbook.interop`: conversion to and from PyTorch (optional dependency)

Letters used for shapes everywhere: T time steps, B batch, D input features, H hidden units,
V vocabulary (classes). Arrays are time-major: a batch of sequences is (T, B, D).
"""

from importlib.metadata import PackageNotFoundError, version

from rnnbook import activations, dynamics, gradcheck, init, interop, losses, optim, rnn

try:
    __version__ = version("rnnbook")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "activations",
    "dynamics",
    "gradcheck",
    "init",
    "interop",
    "losses",
    "optim",
    "rnn",
]
