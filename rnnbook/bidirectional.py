r"""A bidirectional network: two cells, one reading left to right and one right to left.

A state :math:`h_t` of one cell has seen :math:`x_1, \dots, x_t` and nothing after. Schuster and
Paliwal (1997) run a second cell, with weights of its own, over the sequence backwards, and give
every step both states :eq:`eq-classify-bidirectional`:

.. math::
    \overrightarrow{h}_t &= \mathrm{cell}_{\rightarrow}(x_t, \overrightarrow{h}_{t-1}), \\
    \overleftarrow{h}_t &= \mathrm{cell}_{\leftarrow}(x_t, \overleftarrow{h}_{t+1}), \\
    h_t &= \bigl[\overrightarrow{h}_t ; \overleftarrow{h}_t\bigr],

with :math:`\overrightarrow{h}_0 = \overleftarrow{h}_{n+1} = 0`, n the sequence's real length. No
new cell is needed: the backward direction is an ordinary cell run over the sequence reversed
within its length (:func:`rnnbook.masking.reverse`), and its states reversed back. BPTT does the
same in reverse order; the two directions share the inputs, so their gradients on the inputs add.

The cells are any of :mod:`rnnbook.rnn`, :mod:`rnnbook.lstm`, :mod:`rnnbook.gru`, both of one kind
and size, as in ``torch.nn.RNN(..., bidirectional=True)`` (:mod:`rnnbook.interop` maps the two).
Letters: T time, B batch, D input, H hidden units per direction (the output has 2H).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from rnnbook import _checks, cells, masking
from rnnbook.types import Array, Seed, as_generator


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Params:
    """The two cells of a bidirectional layer.

    Parameters
    ----------
    fwd : rnn.Params, lstm.Params or gru.Params
        The cell that reads left to right, :math:`\\mathrm{cell}_{\\rightarrow}`.
    bwd : the same kind of Params, of the same sizes
        The cell that reads right to left, :math:`\\mathrm{cell}_{\\leftarrow}`.
    """

    fwd: cells.Cell
    bwd: cells.Cell

    def __post_init__(self) -> None:
        cells.check(self.fwd, "fwd")
        cells.check(self.bwd, "bwd")
        if type(self.fwd) is not type(self.bwd):
            raise TypeError(f"bwd must be the same kind of cell as fwd, {cells.kind(self.fwd)}; "
                            f"got {cells.kind(self.bwd)}")
        sizes = (self.fwd.input_size, self.fwd.hidden_size)
        if (self.bwd.input_size, self.bwd.hidden_size) != sizes:
            raise ValueError(f"bwd must have input_size={sizes[0]}, hidden_size={sizes[1]} as "
                             f"fwd; got input_size={self.bwd.input_size}, "
                             f"hidden_size={self.bwd.hidden_size}")

    @property
    def input_size(self) -> int:
        """D, the number of input features per step."""
        return self.fwd.input_size

    @property
    def hidden_size(self) -> int:
        """H, the hidden units of each direction."""
        return self.fwd.hidden_size

    @property
    def output_size(self) -> int:
        """2H, the size of :math:`h_t`, both directions side by side."""
        return 2 * self.fwd.hidden_size


class Cache(NamedTuple):
    """What :func:`forward` keeps for :func:`backward`.

    Attributes
    ----------
    fwd : the cell's Cache
        Of the left-to-right cell.
    bwd : the cell's Cache
        Of the right-to-left cell, in its own (reversed) order of steps.
    lengths : ndarray of int64, shape (B,)
        The real length of every sequence.
    """

    fwd: Any
    bwd: Any
    lengths: masking.Lengths


def init(kind: str, input_size: int, hidden_size: int, *, seed: Seed = None,
         **options: Any) -> Params:
    """Two fresh cells of one kind (:func:`rnnbook.cells.init`), the forward one drawn first.

    Parameters
    ----------
    kind : {"rnn", "lstm", "gru"}
    input_size, hidden_size : int
        D, and H for each direction.
    seed : int, numpy.random.Generator or None
    **options
        Passed to the cell's ``init``.

    Returns
    -------
    Params

    Examples
    --------
    >>> p = init("gru", input_size=3, hidden_size=4, seed=0)
    >>> p.output_size
    8
    """
    rng = as_generator(seed)
    return Params(cells.init(kind, input_size, hidden_size, seed=rng, **options),
                  cells.init(kind, input_size, hidden_size, seed=rng, **options))


def forward(params: Params, xs: Array, lengths: ArrayLike | None = None, *,
            fast: bool = False) -> tuple[Array, Cache]:
    r"""Run both directions over a padded batch: :eq:`eq-classify-bidirectional`.

    Parameters
    ----------
    params : Params
    xs : ndarray of shape (T, B, D)
        Padded at the end (:func:`rnnbook.masking.pad`).
    lengths : array_like of int, shape (B,), optional
        The real length of every sequence; ``None`` means T for all.
    fast : bool, default False
        Run the cells of :mod:`rnnbook.fast` (the same results, sooner).

    Returns
    -------
    hs : ndarray of shape (T, B, 2H)
        :math:`[\overrightarrow{h}_t ; \overleftarrow{h}_t]` at every step; at the padded steps
        of a sequence, values no result should read (a mask leaves them out).
    cache : Cache

    Examples
    --------
    >>> p = init("rnn", input_size=3, hidden_size=4, seed=0)
    >>> hs, cache = forward(p, np.ones((5, 2, 3)), lengths=[5, 2])
    >>> hs.shape
    (5, 2, 8)
    """
    _checks.instance(params, "params", Params, "a bidirectional.Params")
    xs = _checks.float_array(xs, "xs", ndim=3, layout="(T, B, D)")
    lengths = masking.check_lengths(lengths, xs.shape[0], xs.shape[1])
    hs_fwd, cache_fwd = cells.forward(params.fwd, xs, fast=fast)        # (T, B, H): →h_t
    xs_rev = masking.reverse(xs, lengths)                               # each from its real end
    hs_rev, cache_bwd = cells.forward(params.bwd, xs_rev, fast=fast)    # (T, B, H): in its order
    hs_bwd = masking.reverse(hs_rev, lengths)                           # (T, B, H): ←h_t
    hs = np.concatenate([hs_fwd, hs_bwd], axis=-1)                      # (T, B, 2H): h_t
    return hs, Cache(cache_fwd, cache_bwd, lengths)


def backward(params: Params, cache: Cache, dhs: Array, *,
             fast: bool = False) -> tuple[Params, Array]:
    r"""BPTT through both directions.

    Parameters
    ----------
    params : Params
        The parameters ``cache`` was computed with.
    cache : Cache
        From :func:`forward`.
    dhs : ndarray of shape (T, B, 2H)
        :math:`\partial L / \partial h_t` as the loss sees it (zero at padded steps).
    fast : bool, default False

    Returns
    -------
    grads : Params
        The gradients of both cells.
    dxs : ndarray of shape (T, B, D)
        :math:`\partial L / \partial x_t`, the sum of what the two directions send back.

    Examples
    --------
    >>> p = init("lstm", input_size=3, hidden_size=4, seed=0)
    >>> hs, cache = forward(p, np.ones((5, 2, 3)))
    >>> grads, dxs = backward(p, cache, np.ones_like(hs))
    >>> grads.bwd.W_hf.shape, dxs.shape
    ((4, 4), (5, 2, 3))
    """
    _checks.instance(params, "params", Params, "a bidirectional.Params")
    _checks.instance(cache, "cache", Cache, "the bidirectional.Cache returned by forward")
    H, lengths = params.hidden_size, cache.lengths
    dhs = _checks.float_array(dhs, "dhs", ndim=3, layout="(T, B, 2H)")
    _checks.expect_shape(dhs, "dhs", (len(cache.fwd.xs), len(lengths), 2 * H), "(T, B, 2H)",
                         "(the shape of hs from forward)")
    dhs_fwd, dhs_bwd = dhs[..., :H], dhs[..., H:]                       # (T, B, H) each
    g_fwd, dxs_fwd = cells.backward(params.fwd, cache.fwd, dhs_fwd, fast=fast)
    dhs_rev = masking.reverse(dhs_bwd, lengths)                         # in the bwd cell's order
    g_bwd, dxs_rev = cells.backward(params.bwd, cache.bwd, dhs_rev, fast=fast)
    dxs = dxs_fwd + masking.reverse(dxs_rev, lengths)                   # (T, B, D): both paths
    return Params(g_fwd, g_bwd), dxs


def final(hs: Array, lengths: ArrayLike | None = None) -> Array:
    r"""What each direction saw last, :math:`[\overrightarrow{h}_{n_b} ; \overleftarrow{h}_1]`
    :eq:`eq-classify-bidirectional-summary`.

    The left-to-right cell ends at the sequence's last real step, the right-to-left cell at its
    first; together they have read the whole sequence, which is what a many-to-one readout
    needs (PyTorch returns the same two states as ``h_n``).

    Parameters
    ----------
    hs : ndarray of shape (T, B, 2H)
        From :func:`forward`.
    lengths : array_like of int, shape (B,), optional
        ``None`` means T for all.

    Returns
    -------
    ndarray of shape (B, 2H)

    Examples
    --------
    >>> hs = np.arange(12.0).reshape(3, 2, 2)       # H = 1: columns →h, ←h
    >>> final(hs, [2, 3])
    array([[ 4.,  1.],
           [10.,  3.]])
    """
    hs = _checks.float_array(hs, "hs", ndim=3, layout="(T, B, 2H)")
    H = _half(hs, "hs")
    lengths = masking.check_lengths(lengths, hs.shape[0], hs.shape[1])
    return np.concatenate([masking.last(hs[..., :H], lengths), hs[0, :, H:]], axis=-1)


def final_backward(d_final: Array, lengths: ArrayLike | None, T: int) -> Array:
    r"""The gradient :func:`final` sends back: at step :math:`n_b` for →h, at step 1 for ←h.

    Parameters
    ----------
    d_final : ndarray of shape (B, 2H)
        :math:`\partial L / \partial [\overrightarrow{h}_{n_b} ; \overleftarrow{h}_1]`.
    lengths : array_like of int, shape (B,), or None
    T : int

    Returns
    -------
    dhs : ndarray of shape (T, B, 2H)
    """
    d = _checks.float_array(d_final, "d_final", ndim=2, layout="(B, 2H)")
    H = _half(d, "d_final")
    T = _checks.positive_int(T, "T")
    lengths = masking.check_lengths(lengths, T, d.shape[0])
    dhs = np.zeros((T, *d.shape), dtype=d.dtype)                       # (T, B, 2H)
    dhs[..., :H] = masking.last_backward(d[:, :H], lengths, T)         # →h at its real end
    dhs[0, :, H:] = d[:, H:]                                           # ←h at step 1
    return dhs


def _half(arr: Array, name: str) -> int:
    """H, half the last axis of ``arr``, which must be even."""
    if arr.shape[-1] % 2:
        raise ValueError(f"{name} must have 2H columns, both directions side by side; got "
                         f"{arr.shape[-1]}")
    return int(arr.shape[-1]) // 2
