r"""A network of any cell, vanilla, LSTM or GRU, and a linear readout, trained on the fast path.

Chapter 3's :class:`rnnbook.patterns.Model` pairs the vanilla cell with a readout; a
:class:`Network` pairs any of the three cells with one, so that the same training loop
(:func:`rnnbook.train.fit`), optimisers and clipping compare them on the same task::

    net = init("lstm", input_size=2, hidden_size=32, output_size=1, seed=0)
    loss, grads = loss_and_grads(net, xs, targets, at="last", loss="mse")

The forward pass and BPTT are those of :mod:`rnnbook.fast` (``fast.rnn``, ``fast.lstm``,
``fast.gru``), which compute what the plain cells compute, to rounding, in less time: the
networks of chapter 8 are trained thousands of times over sequences of a hundred steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks, gru, losses, lstm, readout, rnn
from rnnbook.fast import gru as fast_gru
from rnnbook.fast import lstm as fast_lstm
from rnnbook.fast import rnn as fast_rnn
from rnnbook.types import Array, Seed, as_generator

CELLS: tuple[str, ...] = ("rnn", "lstm", "gru")
"""The cells a :class:`Network` can have: vanilla (:mod:`rnnbook.rnn`), LSTM, GRU."""

READ_AT: tuple[str, ...] = ("last", "all")
"""Where a network reads its output: from the last state, or from every state."""

LOSSES: tuple[str, ...] = ("mse", "cross_entropy")
"""Real-valued targets, or integer class targets."""

Cell = rnn.Params | lstm.Params | gru.Params
"""The parameters of any of the three cells."""


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Network:
    """A recurrent cell and its readout.

    Parameters
    ----------
    cell : rnn.Params, lstm.Params or gru.Params
    out : readout.Params
        Its ``W_hy`` has H columns, H the cell's hidden size.
    """

    cell: Cell
    out: readout.Params

    def __post_init__(self) -> None:
        if not isinstance(self.cell, (rnn.Params, lstm.Params, gru.Params)):
            raise TypeError(f"cell must be an rnn.Params, lstm.Params or gru.Params; "
                            f"got {type(self.cell).__name__}")
        _checks.instance(self.out, "out", readout.Params, "a readout.Params")
        if self.out.W_hy.shape[1] != self.cell.hidden_size:
            raise ValueError(
                f"out.W_hy must have shape (K, H) with H={self.cell.hidden_size}, the hidden size "
                f"of cell; got {_checks.shape_str(self.out.W_hy.shape)}"
            )

    @property
    def kind(self) -> str:
        """``"rnn"``, ``"lstm"`` or ``"gru"``."""
        return CELLS[[rnn.Params, lstm.Params, gru.Params].index(type(self.cell))]

    @property
    def size(self) -> int:
        """The number of parameters, cell and readout."""
        return sum(int(a.size) for a in (*vars(self.cell).values(), *vars(self.out).values())
                   if isinstance(a, np.ndarray))


def init(cell: str, input_size: int, hidden_size: int, output_size: int, *, seed: Seed = None,
         **options: Any) -> Network:
    """A fresh :class:`Network`: the cell's own ``init``, then :func:`rnnbook.readout.init`.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    input_size, hidden_size, output_size : int
        D, H and K.
    seed : int, numpy.random.Generator or None
    **options
        Passed to the cell's ``init``: ``activation=``, ``recurrent=`` for :func:`rnnbook.rnn.init`
        (an IRNN is ``activation="relu", recurrent="identity"``), ``forget_bias=`` for
        :func:`rnnbook.lstm.init`, ``reset=`` for :func:`rnnbook.gru.init`.

    Returns
    -------
    Network

    Examples
    --------
    >>> net = init("gru", input_size=2, hidden_size=4, output_size=1, seed=0)
    >>> net.kind, net.size   # 3 (4 x 2 + 4 x 4) + 4 x 4 weights and biases, 4 + 1 for the readout
    ('gru', 93)
    """
    _checks.choice(cell, "cell", CELLS)
    rng = as_generator(seed)
    module = {"rnn": rnn, "lstm": lstm, "gru": gru}[cell]
    params = module.init(input_size, hidden_size, seed=rng, **options)
    return Network(params, readout.init(hidden_size, output_size, seed=rng))


def _forward(cell: Cell, xs: Array) -> tuple[Array, Any]:
    if isinstance(cell, lstm.Params):
        return fast_lstm.forward(cell, xs)
    if isinstance(cell, gru.Params):
        return fast_gru.forward(cell, xs)
    return fast_rnn.forward(cell, xs)


def _backward(cell: Cell, cache: Any, dhs: Array) -> Cell:
    if isinstance(cell, lstm.Params):
        return fast_lstm.backward(cell, cache, dhs)[0]
    if isinstance(cell, gru.Params):
        return fast_gru.backward(cell, cache, dhs)[0]
    return fast_rnn.backward(cell, cache, dhs)[0]


def predict(net: Network, xs: Array, *, at: str = "last") -> Array:
    """The network's outputs (values or logits).

    Parameters
    ----------
    net : Network
    xs : ndarray of shape (T, B, D)
    at : {"last", "all"}, default "last"

    Returns
    -------
    ndarray of shape (B, K) when ``at="last"``, (T, B, K) when ``at="all"``
    """
    _checks.instance(net, "net", Network, "a networks.Network")
    _checks.choice(at, "at", READ_AT)
    hs, _ = _forward(net.cell, xs)
    return readout.forward(net.out, hs[-1] if at == "last" else hs)


def loss_and_grads(net: Network, xs: Array, targets: NDArray[Any], *,
                   at: str = "last",
                   loss: str = "mse") -> tuple[float, Network]:
    r"""The loss of a batch and its gradient with respect to every parameter of ``net``.

    Parameters
    ----------
    net : Network
    xs : ndarray of shape (T, B, D)
    targets : ndarray
        Real values of the output's shape, (B, K) or (T, B, K), for ``"mse"``; integer classes of
        shape (B,) or (T, B) for ``"cross_entropy"``.
    at : {"last", "all"}, default "last"
    loss : {"mse", "cross_entropy"}, default "mse"

    Returns
    -------
    loss : float
    grads : Network

    Notes
    -----
    As :func:`rnnbook.patterns.loss_and_grads`: forward through the cell and the readout, the
    loss gives :math:`\partial L/\partial y`, the readout turns it into :math:`\bar h_t` (zero
    except at the last step when ``at="last"``), and BPTT does the rest.

    Examples
    --------
    >>> net = init("lstm", input_size=2, hidden_size=3, output_size=1, seed=0)
    >>> loss, grads = loss_and_grads(net, np.ones((5, 4, 2)), np.ones((4, 1)))
    >>> grads.cell.W_hf.shape, grads.out.W_hy.shape
    ((3, 3), (1, 3))
    """
    _checks.instance(net, "net", Network, "a networks.Network")
    _checks.choice(at, "at", READ_AT)
    _checks.choice(loss, "loss", LOSSES)
    hs, cache = _forward(net.cell, xs)              # (T, B, H)
    read = hs[-1] if at == "last" else hs           # (B, H) or (T, B, H)
    ys = readout.forward(net.out, read)             # (B, K) or (T, B, K)
    if loss == "mse":
        value, dys = losses.mse(ys, targets)
    else:
        value, dys = losses.softmax_cross_entropy(ys, targets)
    g_out, d_read = readout.backward(net.out, read, dys)
    if at == "last":
        dhs = np.zeros_like(hs)                     # (T, B, H)
        dhs[-1] = d_read
    else:
        dhs = d_read
    return value, Network(_backward(net.cell, cache, dhs), g_out)


def evaluate(net: Network, xs: Array, targets: NDArray[Any], *, at: str = "last",
             loss: str = "mse") -> float:
    """The loss of ``net`` on a batch, without gradients (for a test set during training).

    Parameters
    ----------
    net, xs, targets, at, loss
        As in :func:`loss_and_grads`.

    Returns
    -------
    float
    """
    _checks.choice(loss, "loss", LOSSES)
    ys = predict(net, xs, at=at)
    if loss == "mse":
        return losses.mse(ys, targets)[0]
    return losses.softmax_cross_entropy(ys, targets)[0]
