r"""A stacked (deep) recurrent network: the states of one layer are the inputs of the next.

Layer :math:`\ell` reads the states of layer :math:`\ell - 1` as its sequence of inputs
:eq:`eq-classify-stacked`,

.. math:: h^{(\ell)}_t = \mathrm{cell}^{(\ell)}\bigl(h^{(\ell-1)}_t, h^{(\ell)}_{t-1}\bigr),
          \qquad h^{(0)}_t = x_t,

so each step passes through L state updates on its way up, and the network's output is the top
layer's states (Graves, Mohamed & Hinton 2013). No new cell is needed: the forward pass runs
each layer over the whole sequence in turn, bottom to top, and BPTT runs the layers top to
bottom, each handing the gradient on its inputs to the layer below as the gradient on that
layer's states. A layer is a cell of :mod:`rnnbook.rnn`, :mod:`rnnbook.lstm` or
:mod:`rnnbook.gru`, or a bidirectional pair of them (:mod:`rnnbook.bidirectional`): a stack of
bidirectional layers is ``torch.nn.RNN(..., num_layers=L, bidirectional=True)``.

Left out, as in PyTorch's default: dropout between layers, and initial states other than zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from numpy.typing import ArrayLike

from rnnbook import _checks, bidirectional, cells, masking
from rnnbook.types import Array, Seed, as_generator

Layer = cells.Cell | bidirectional.Params
"""One layer of a stack: a cell, or a bidirectional pair of cells."""


def _layer_sizes(layer: object, name: str) -> tuple[int, int]:
    """(input size, output size) of a layer, or a TypeError naming it."""
    if isinstance(layer, bidirectional.Params):
        return layer.input_size, layer.output_size
    cell = cells.check(layer, name)
    return cell.input_size, cell.hidden_size


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Params:
    """The layers of a stacked network, bottom first.

    Parameters
    ----------
    layers : tuple of cell Params or bidirectional.Params
        At least one. The input size of each layer is the output size of the one below it
        (H, or 2H for a bidirectional layer).
    """

    layers: tuple[Layer, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.layers, tuple) or not self.layers:
            raise TypeError(f"layers must be a non-empty tuple of layers; got "
                            f"{self.layers!r:.60}")
        below = None
        for k, layer in enumerate(self.layers):
            D, out = _layer_sizes(layer, f"layers[{k}]")
            if below is not None and D != below:
                raise ValueError(f"layers[{k}] must have input_size={below}, the output size of "
                                 f"layers[{k - 1}]; got input_size={D}")
            below = out

    @property
    def input_size(self) -> int:
        """D, the input size of the bottom layer."""
        return _layer_sizes(self.layers[0], "layers[0]")[0]

    @property
    def output_size(self) -> int:
        """The size of the top layer's states: H, or 2H if it is bidirectional."""
        return _layer_sizes(self.layers[-1], "layers[-1]")[1]


class Cache(NamedTuple):
    """What :func:`forward` keeps for :func:`backward`.

    Attributes
    ----------
    layers : tuple
        Every layer's cache, bottom first.
    lengths : ndarray of int64, shape (B,)
    """

    layers: tuple[Any, ...]
    lengths: masking.Lengths


def init(kind: str, input_size: int, hidden_size: int, *, layers: int = 2,
         bidirectional: bool = False, seed: Seed = None, **options: Any) -> Params:
    """A fresh stack of ``layers`` layers of one kind of cell, H units each (per direction).

    Parameters
    ----------
    kind : {"rnn", "lstm", "gru"}
    input_size, hidden_size : int
        D, and H of every layer (of every direction).
    layers : int, default 2
        L, the number of layers, >= 1.
    bidirectional : bool, default False
        Make every layer a bidirectional pair.
    seed : int, numpy.random.Generator or None
    **options
        Passed to the cell's ``init``.

    Returns
    -------
    Params

    Examples
    --------
    >>> p = init("gru", input_size=3, hidden_size=4, layers=2, bidirectional=True, seed=0)
    >>> [layer.input_size for layer in p.layers], p.output_size
    ([3, 8], 8)
    """
    L = _checks.positive_int(layers, "layers")
    rng = as_generator(seed)
    built: list[Layer] = []
    D = input_size
    for _ in range(L):
        if bidirectional:
            pair = _bidirectional_init(kind, D, hidden_size, rng, options)
            built.append(pair)
            D = pair.output_size
        else:
            built.append(cells.init(kind, D, hidden_size, seed=rng, **options))
            D = hidden_size
    return Params(tuple(built))


def _bidirectional_init(kind: str, D: int, H: int, rng: Any,
                        options: dict[str, Any]) -> bidirectional.Params:
    """:func:`rnnbook.bidirectional.init`, which :func:`init`'s argument ``bidirectional`` hides."""
    return bidirectional.init(kind, D, H, seed=rng, **options)


def forward(params: Params, xs: Array, lengths: ArrayLike | None = None, *,
            fast: bool = False) -> tuple[Array, Cache]:
    r"""Run the layers bottom to top, each over the whole sequence: :eq:`eq-classify-stacked`.

    Parameters
    ----------
    params : Params
    xs : ndarray of shape (T, B, D)
        Padded at the end.
    lengths : array_like of int, shape (B,), optional
        ``None`` means T for all.
    fast : bool, default False
        Run the cells of :mod:`rnnbook.fast`.

    Returns
    -------
    hs : ndarray of shape (T, B, H_top)
        The top layer's states (H_top = 2H if it is bidirectional).
    cache : Cache

    Examples
    --------
    >>> import numpy as np
    >>> p = init("lstm", input_size=3, hidden_size=4, layers=3, seed=0)
    >>> hs, cache = forward(p, np.ones((5, 2, 3)))
    >>> hs.shape, len(cache.layers)
    ((5, 2, 4), 3)
    """
    _checks.instance(params, "params", Params, "a stack.Params")
    hs = _checks.float_array(xs, "xs", ndim=3, layout="(T, B, D)")
    lengths = masking.check_lengths(lengths, hs.shape[0], hs.shape[1])
    caches = []
    for layer in params.layers:                          # bottom to top
        if isinstance(layer, bidirectional.Params):
            hs, cache = bidirectional.forward(layer, hs, lengths, fast=fast)
        else:
            hs, cache = cells.forward(layer, hs, fast=fast)
        caches.append(cache)                             # hs: this layer's states, next inputs
    return hs, Cache(tuple(caches), lengths)


def backward(params: Params, cache: Cache, dhs: Array, *,
             fast: bool = False) -> tuple[Params, Array]:
    r"""BPTT through the stack: the layers top to bottom, each through its whole sequence.

    Parameters
    ----------
    params : Params
        The parameters ``cache`` was computed with.
    cache : Cache
        From :func:`forward`.
    dhs : ndarray of shape (T, B, H_top)
        :math:`\partial L / \partial h^{(L)}_t` as the loss sees it, at every step.
    fast : bool, default False

    Returns
    -------
    grads : Params
        The gradients of every layer.
    dxs : ndarray of shape (T, B, D)
        :math:`\partial L / \partial x_t`.

    Examples
    --------
    >>> import numpy as np
    >>> p = init("rnn", input_size=3, hidden_size=4, layers=2, seed=0)
    >>> hs, cache = forward(p, np.ones((5, 2, 3)))
    >>> grads, dxs = backward(p, cache, np.ones_like(hs))
    >>> grads.layers[0].W_xh.shape, dxs.shape
    ((4, 3), (5, 2, 3))
    """
    _checks.instance(params, "params", Params, "a stack.Params")
    _checks.instance(cache, "cache", Cache, "the stack.Cache returned by forward")
    grads: list[Layer] = []
    for layer, layer_cache in reversed(list(zip(params.layers, cache.layers, strict=True))):
        if isinstance(layer, bidirectional.Params):       # top to bottom
            pair, dhs = bidirectional.backward(layer, layer_cache, dhs, fast=fast)
            grads.append(pair)
        else:
            cell, dhs = cells.backward(layer, layer_cache, dhs, fast=fast)
            grads.append(cell)                            # dhs: ∂L/∂(the layer's inputs), the
    return Params(tuple(reversed(grads))), dhs            # states below; at last ∂L/∂x_t


def final(params: Params, hs: Array, lengths: ArrayLike | None = None) -> Array:
    r"""What the top layer has read at the end of every sequence: the many-to-one summary.

    The last real state :math:`h^{(L)}_{n_b}` (:func:`rnnbook.masking.last`), or for a
    bidirectional top layer both directions' last states (:func:`rnnbook.bidirectional.final`).

    Parameters
    ----------
    params : Params
    hs : ndarray of shape (T, B, H_top)
        From :func:`forward`.
    lengths : array_like of int, shape (B,), optional

    Returns
    -------
    ndarray of shape (B, H_top)
    """
    _checks.instance(params, "params", Params, "a stack.Params")
    if isinstance(params.layers[-1], bidirectional.Params):
        return bidirectional.final(hs, lengths)
    hs = _checks.float_array(hs, "hs", ndim=3, layout="(T, B, H)")
    return masking.last(hs, masking.check_lengths(lengths, hs.shape[0], hs.shape[1]))


def final_backward(params: Params, d_final: Array, lengths: ArrayLike | None,
                   T: int) -> Array:
    r"""The gradient :func:`final` sends back to the top layer's states.

    Parameters
    ----------
    params : Params
    d_final : ndarray of shape (B, H_top)
    lengths : array_like of int, shape (B,), or None
    T : int

    Returns
    -------
    dhs : ndarray of shape (T, B, H_top)
    """
    _checks.instance(params, "params", Params, "a stack.Params")
    if isinstance(params.layers[-1], bidirectional.Params):
        return bidirectional.final_backward(d_final, lengths, T)
    d = _checks.float_array(d_final, "d_final", ndim=2, layout="(B, H)")
    return masking.last_backward(d, masking.check_lengths(lengths, T, d.shape[0]), T)
