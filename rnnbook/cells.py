r"""The three cells behind one interface, for networks built out of cells.

:mod:`rnnbook.rnn`, :mod:`rnnbook.lstm` and :mod:`rnnbook.gru` share their five names but not
every signature: the LSTM carries a cell state next to its hidden state, so its ``backward``
returns one gradient more. A network that composes cells (:mod:`rnnbook.bidirectional`,
:mod:`rnnbook.stack`) needs only what the three have in common, the sequence in and the states
out, and the gradients back::

    hs, cache = forward(params, xs)             # (T, B, D) -> (T, B, H), from a zero state
    grads, dxs = backward(params, cache, dhs)   # BPTT: the weights' gradients and the inputs'

``fast=True`` runs the cell's twin in :mod:`rnnbook.fast` instead, which computes the same (the
tests hold them equal to 1e-12) in less time; the default is the plain code the book shows.
Left out, because a network of cells starts every layer from zeros: initial states, and the
gradients on them.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from rnnbook import _checks, gru, lstm, rnn
from rnnbook.fast import gru as fast_gru
from rnnbook.fast import lstm as fast_lstm
from rnnbook.fast import rnn as fast_rnn
from rnnbook.types import Array, Seed

Cell = rnn.Params | lstm.Params | gru.Params
"""The parameters of any of the three cells."""

KINDS: tuple[str, ...] = ("rnn", "lstm", "gru")
"""The names of the cells, as :func:`init` takes them."""

_PLAIN: dict[type, ModuleType] = {rnn.Params: rnn, lstm.Params: lstm, gru.Params: gru}
_FAST: dict[type, ModuleType] = {rnn.Params: fast_rnn, lstm.Params: fast_lstm,
                                 gru.Params: fast_gru}


def check(params: object, name: str = "params") -> Cell:
    """Return ``params`` if it is the parameters of a cell, else raise a ``TypeError`` naming it.

    Parameters
    ----------
    params : object
    name : str, default "params"
        The argument's name, for the message.

    Returns
    -------
    rnn.Params, lstm.Params or gru.Params
    """
    if type(params) not in _PLAIN:
        raise TypeError(f"{name} must be an rnn.Params, lstm.Params or gru.Params; "
                        f"got {_checks.type_name(params)}")
    return params  # type: ignore[return-value]


def kind(params: Cell) -> str:
    """The name of the cell of ``params``: ``"rnn"``, ``"lstm"`` or ``"gru"``.

    Examples
    --------
    >>> kind(lstm.init(2, 3, seed=0))
    'lstm'
    """
    return KINDS[list(_PLAIN).index(type(check(params)))]


def module(params: Cell, *, fast: bool = False) -> ModuleType:
    """The module that computes the cell of ``params``: :mod:`rnnbook.rnn`, :mod:`~rnnbook.lstm`
    or :mod:`~rnnbook.gru`, or with ``fast=True`` its twin in :mod:`rnnbook.fast`.

    Examples
    --------
    >>> module(gru.init(2, 3, seed=0)).__name__
    'rnnbook.gru'
    """
    return (_FAST if fast else _PLAIN)[type(check(params))]


def init(kind: str, input_size: int, hidden_size: int, *, seed: Seed = None,
         **options: Any) -> Cell:
    """A fresh cell of the given kind, by that cell's own ``init``.

    Parameters
    ----------
    kind : {"rnn", "lstm", "gru"}
    input_size, hidden_size : int
        D and H.
    seed : int, numpy.random.Generator or None
    **options
        Passed on: ``activation=`` for :func:`rnnbook.rnn.init`, ``forget_bias=`` for
        :func:`rnnbook.lstm.init`, ...

    Returns
    -------
    rnn.Params, lstm.Params or gru.Params

    Examples
    --------
    >>> init("gru", 2, 3, seed=0).hidden_size
    3
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}")
    cell: Cell = {"rnn": rnn, "lstm": lstm, "gru": gru}[kind].init(
        input_size, hidden_size, seed=seed, **options)
    return cell


def forward(params: Cell, xs: Array, *, fast: bool = False) -> tuple[Array, Any]:
    r"""Run the cell over a batch of sequences from a zero state.

    Parameters
    ----------
    params : rnn.Params, lstm.Params or gru.Params
    xs : ndarray of shape (T, B, D)
    fast : bool, default False
        Run :mod:`rnnbook.fast`'s twin of the cell.

    Returns
    -------
    hs : ndarray of shape (T, B, H)
        The hidden states :math:`h_1, \dots, h_T`.
    cache : the cell's Cache
        What :func:`backward` needs.

    Examples
    --------
    >>> import numpy as np
    >>> hs, cache = forward(lstm.init(2, 3, seed=0), np.ones((4, 5, 2)))
    >>> hs.shape
    (4, 5, 3)
    """
    result: tuple[Array, Any] = module(params, fast=fast).forward(params, xs)
    return result


def backward(params: Cell, cache: Any, dhs: Array, *,
             fast: bool = False) -> tuple[Cell, Array]:
    r"""BPTT through the cell: the gradients of its weights and of its inputs.

    Parameters
    ----------
    params : rnn.Params, lstm.Params or gru.Params
    cache : the cell's Cache
        From :func:`forward` (plain or fast: the two caches are the same).
    dhs : ndarray of shape (T, B, H)
        :math:`\partial L / \partial h_t` as the loss sees it, at every step.
    fast : bool, default False

    Returns
    -------
    grads : Params of the cell
    dxs : ndarray of shape (T, B, D)
        :math:`\partial L / \partial x_t`, what a layer below needs.

    Examples
    --------
    >>> import numpy as np
    >>> p = rnn.init(2, 3, seed=0)
    >>> hs, cache = forward(p, np.ones((4, 5, 2)))
    >>> grads, dxs = backward(p, cache, np.ones_like(hs))
    >>> grads.W_hh.shape, dxs.shape
    ((3, 3), (4, 5, 2))
    """
    grads, dxs, *_ = module(params, fast=fast).backward(params, cache, dhs)  # _: dh0 (and dc0)
    return grads, dxs
