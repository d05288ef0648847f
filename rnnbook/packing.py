r"""PyTorch's packed sequence, in numpy: a padded batch stored step by step, the padding left out.

Sequences of different lengths :math:`L_b` share one array ``xs`` of shape (T, B, D) once the
shorter ones are padded after their end. A recurrent network run on that array also runs on the
padding: it spends work there, and its final state is the state after the padding, not after
each sequence's last real step. PyTorch's answer is the *packed sequence*
(``torch.nn.utils.rnn.pack_padded_sequence``): only the real steps are kept, time-major, and
the sequences are sorted from the longest to the shortest, so that at step t the ones still
running are always the first few:

- ``data`` holds step 1 of every sequence, then step 2 of those that have one, and so on:
  :math:`N = \sum_b L_b` rows;
- ``batch_sizes[t]`` is how many sequences have a step t (:math:`\#\{b : L_b > t\}`), so step t
  is rows ``offsets[t]`` to ``offsets[t] + batch_sizes[t]`` of ``data``;
- ``sorted_indices[k]`` is the batch column of the k-th longest sequence (ties keep the batch
  order), ``unsorted_indices`` the inverse permutation.

A recurrent network then updates only the first ``batch_sizes[t]`` rows of its state at step
t; the state of a sequence that has ended stays as it was, so the final state of each sequence
is its state at its own last step. :func:`pack` and :func:`unpack` do in numpy what
``pack_padded_sequence`` and ``pad_packed_sequence`` do in PyTorch (``enforce_sorted=False``),
and the tests hold them equal.

Letters: T steps (the longest length), B sequences, D features, N real steps in all.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rnnbook import _checks
from rnnbook.types import Array

Indices = NDArray[np.int64]


class Packed(NamedTuple):
    """A batch of sequences stored step by step, without padding.

    Attributes
    ----------
    data : ndarray of shape (N, D)
        The real steps, time-major, the sequences of each step in ``sorted_indices`` order.
    batch_sizes : int64 ndarray of shape (T,)
        How many sequences have a step t; never increasing.
    sorted_indices : int64 ndarray of shape (B,)
        The batch columns, longest sequence first.
    unsorted_indices : int64 ndarray of shape (B,)
        The inverse permutation: ``sorted_indices[unsorted_indices] == arange(B)``.
    """

    data: Array
    batch_sizes: Indices
    sorted_indices: Indices
    unsorted_indices: Indices

    @property
    def offsets(self) -> Indices:
        """Where each step starts in ``data``: shape (T,), ``offsets[0] == 0``."""
        return np.concatenate([[0], np.cumsum(self.batch_sizes)[:-1]]).astype(np.int64)


def _lengths(lengths: object, B: int | None = None, T: int | None = None) -> Indices:
    """Return ``lengths`` as B integers in [1, T], or raise naming ``lengths``."""
    arr = np.asarray(lengths)
    if arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in "iu":
        raise TypeError(f"lengths must be a non-empty 1-d integer array of shape (B,); got "
                        f"dtype {arr.dtype} and shape {_checks.shape_str(arr.shape)}")
    if B is not None and arr.shape != (B,):
        raise ValueError(f"lengths must have shape (B,) = ({B},), one length per column of xs; "
                         f"got {_checks.shape_str(arr.shape)}")
    top = arr.max() if T is None else T
    if arr.min() < 1 or arr.max() > top:
        bad = arr.min() if arr.min() < 1 else arr.max()
        raise ValueError(f"lengths must lie in [1, T] = [1, {top}]; got {bad}")
    return arr.astype(np.int64)


def batch_sizes(lengths: ArrayLike) -> Indices:
    r"""How many sequences have a step t, for each t: :math:`\#\{b : L_b > t\}`.

    Parameters
    ----------
    lengths : integer array_like of shape (B,)
        Each at least 1.

    Returns
    -------
    int64 ndarray of shape (max(lengths),)

    Examples
    --------
    >>> batch_sizes([5, 2, 4])
    array([3, 3, 2, 2, 1])
    """
    L = _lengths(lengths)
    running = L[None, :] > np.arange(L.max())[:, None]               # (T, B): b has a step t
    return np.asarray(running.sum(axis=1), dtype=np.int64)


def pack(xs: Array, lengths: ArrayLike) -> Packed:
    """Pack a padded batch: keep each sequence's real steps, time-major, longest first.

    Parameters
    ----------
    xs : ndarray of shape (T, B, D)
        The padded batch; what lies after a sequence's length is ignored.
    lengths : integer array_like of shape (B,)
        :math:`L_b`, each in [1, T].

    Returns
    -------
    Packed

    Examples
    --------
    >>> xs = np.arange(6.0).reshape(3, 2, 1)            # two sequences of 3 steps, one feature
    >>> p = pack(xs, [2, 3])                            # the first has 2 real steps
    >>> p.data[:, 0], p.batch_sizes, p.sorted_indices
    (array([1., 0., 3., 2., 5.]), array([2, 2, 1]), array([1, 0]))
    """
    xs = _checks.float_array(xs, "xs", ndim=3, layout="(T, B, D)")
    T, B, _ = xs.shape
    L = _lengths(lengths, B, T)
    order = np.argsort(-L, kind="stable").astype(np.int64)            # longest first
    sizes = batch_sizes(L)
    data = np.concatenate([xs[t, order[:n]] for t, n in enumerate(sizes)])   # (N, D)
    return Packed(data, sizes, order, np.argsort(order).astype(np.int64))


def unpack(packed: Packed, total_length: int | None = None) -> tuple[Array, Indices]:
    """Unpack to a padded batch: zeros after each sequence's end, the batch order restored.

    Parameters
    ----------
    packed : Packed
        As :func:`pack` returns it, or the outputs of a network run on one (the same
        ``batch_sizes`` and indices, other features).
    total_length : int, optional
        T of the result; default the longest length.

    Returns
    -------
    xs : ndarray of shape (T, B, D)
    lengths : int64 ndarray of shape (B,)

    Examples
    --------
    >>> xs = np.arange(6.0).reshape(3, 2, 1)
    >>> padded, lengths = unpack(pack(xs, [2, 3]))
    >>> padded[:, :, 0], lengths
    (array([[0., 1.],
           [2., 3.],
           [0., 5.]]), array([2, 3]))
    """
    _checks.instance(packed, "packed", Packed, "a packing.Packed")
    sizes, order = packed.batch_sizes, packed.sorted_indices
    T = len(sizes) if total_length is None else _checks.positive_int(total_length, "total_length")
    if T < len(sizes):
        raise ValueError(f"total_length must be at least the longest length, {len(sizes)}; "
                         f"got {T}")
    out = np.zeros((T, len(order), *packed.data.shape[1:]), dtype=packed.data.dtype)
    for t, (start, n) in enumerate(zip(packed.offsets, sizes, strict=True)):
        out[t, order[:n]] = packed.data[start:start + n]
    lengths = np.zeros(len(order), dtype=np.int64)
    lengths[order] = (sizes[None, :] > np.arange(len(order))[:, None]).sum(axis=1)
    return out, lengths

