r"""A long text read as B parallel streams, chunk after chunk: truncated BPTT over a stream.

A language model trains on one long sequence, far too long to unroll whole. The text is cut into
B contiguous streams of equal length, read side by side (stream b is column b of a batch), and
each stream into chunks of T steps. Training takes one chunk per step. The state the cell reaches
at the end of a chunk is where it starts the next one (*carried*), so the model reads each stream
as one continuous text, while the gradient stops at the chunk boundary: BPTT truncated to the
chunk. At the start of each pass over the text, the state starts again from zeros (*reset*).

min-char-rnn (Karpathy 2015) is the case B = 1, T = 25: one stream, the whole text.

Letters: N characters, B streams, T steps per chunk, L characters per stream.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks

Tokens = NDArray[np.int64]


class Chunk(NamedTuple):
    """One training step's worth of B streams.

    Attributes
    ----------
    inputs : int64 ndarray of shape (T, B)
        The characters :math:`c_t` read at each step, one column per stream.
    targets : int64 ndarray of shape (T, B)
        The characters to predict, :math:`c_{t+1}`: ``inputs`` shifted by one in each stream.
    reset : bool
        True if the state must start from zeros here (the first chunk of a pass over the text,
        or every chunk when the state is not carried); False if it continues from the state the
        previous chunk ended in.
    """

    inputs: Tokens
    targets: Tokens
    reset: bool


def parallel(ids: NDArray[np.integer[Any]], batch_size: int) -> Tokens:
    r"""Cut a stream of N character indices into B contiguous streams side by side.

    Parameters
    ----------
    ids : integer ndarray of shape (N,)
    batch_size : int
        B, at most N - 1, so that each stream holds at least one input and its target.

    Returns
    -------
    int64 ndarray of shape (L + 1, B)
        Column b is ``ids[b L : (b + 1) L + 1]`` with :math:`L = \lfloor (N - 1) / B \rfloor`:
        L inputs and, one step later, their L targets. The last N - 1 - BL characters are unused.

    Examples
    --------
    >>> parallel(np.arange(10), 3)
    array([[0, 3, 6],
           [1, 4, 7],
           [2, 5, 8],
           [3, 6, 9]])
    """
    ids = _tokens(ids)
    B = _checks.positive_int(batch_size, "batch_size")
    L = (len(ids) - 1) // B
    if L < 1:
        raise ValueError(f"ids must hold more than batch_size={B} characters, one input and one "
                         f"target per stream; got {len(ids)}")
    starts = np.arange(B) * L                                         # (B,)
    columns = starts[None, :] + np.arange(L + 1)[:, None]             # (L+1, B)
    out: Tokens = ids[columns]
    return out


def chunks(ids: NDArray[np.integer[Any]], batch_size: int, steps: int, *,
           carry: bool = True, epochs: int | None = None) -> Iterator[Chunk]:
    """Chunks of T steps of B parallel streams, for :func:`rnnbook.train.fit`.

    Parameters
    ----------
    ids : integer ndarray of shape (N,)
        The text, as character indices.
    batch_size : int
        B, the number of streams.
    steps : int
        T, the steps per chunk (min-char-rnn's ``seq_length``); at most L, the length of a stream.
    carry : bool, default True
        Whether the state is carried from chunk to chunk. If False, every chunk has
        ``reset=True``: each starts from zeros, as if it were a separate sequence.
    epochs : int, optional
        Passes over the text; ``None`` repeats for ever. Each pass reads the same chunks in the
        same order, the first with ``reset=True``; the last ``L mod T`` steps of each stream are
        left out, so that every chunk has T steps.

    Yields
    ------
    Chunk

    Examples
    --------
    >>> first, second = chunks(np.arange(13), batch_size=2, steps=3, epochs=1)
    >>> first.inputs.T, first.targets.T, first.reset
    (array([[0, 1, 2],
           [6, 7, 8]]), array([[1, 2, 3],
           [7, 8, 9]]), True)
    >>> second.inputs.T, second.reset
    (array([[ 3,  4,  5],
           [ 9, 10, 11]]), False)
    """
    streams = parallel(ids, batch_size)                               # (L+1, B)
    T = _checks.positive_int(steps, "steps")
    L = len(streams) - 1
    if T > L:
        raise ValueError(f"steps must be at most the length of a stream, L = (N - 1) // B = {L} "
                         f"(N = {len(ids)} characters, B = {batch_size} streams); got {T}")
    if not isinstance(carry, bool):
        raise TypeError(f"carry must be True or False; got {carry!r}")
    if epochs is not None:
        epochs = _checks.positive_int(epochs, "epochs")
    return _chunks(streams, T, carry, epochs)


def _chunks(streams: Tokens, T: int, carry: bool, epochs: int | None) -> Iterator[Chunk]:
    L = len(streams) - 1
    epoch = 0
    while epochs is None or epoch < epochs:
        for start in range(0, L - T + 1, T):
            window = streams[start: start + T + 1]                    # (T+1, B)
            yield Chunk(window[:-1], window[1:], reset=not carry or start == 0)
        epoch += 1


def _tokens(ids: object) -> Tokens:
    arr = np.asarray(ids)
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise TypeError(f"ids must be a 1-d array of integer character indices; got dtype "
                        f"{arr.dtype} and shape {_checks.shape_str(arr.shape)}")
    if arr.size and arr.min() < 0:
        raise ValueError(f"ids must be non-negative character indices; got {arr.min()}")
    return arr.astype(np.int64, copy=False)
