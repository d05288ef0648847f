r"""What backpropagation through time costs: the accuracy truncation gives up, the time, the memory.

Full BPTT (Werbos 1990) is one backward sweep over the whole sequence: it multiplies by
:math:`W_{hh}^\top` once per step and needs every state of the forward pass. Truncated BPTT
(Williams & Peng 1990), ``rnn.backward(..., truncate=k)``, lets the gradient of each loss term
flow back through at most k state updates. This module measures both sides of that trade:

- :func:`truncation_error`: how far the truncated gradient is from the full one, for each k;
- :func:`backward_work`: how many products with :math:`W_{hh}` one backward pass performs, a
  count that, unlike a stopwatch, gives the same answer on every machine;
- :func:`median_time` and :func:`peak_memory`: the wall-clock time of a call (median of repeats,
  ``time.perf_counter``) and the peak memory it allocates (``tracemalloc``, to which numpy
  reports its arrays);
- :func:`measure_bptt`: all of it for forward + backward as the sequence length T grows, as a
  :class:`BPTTCost` table.

Wall-clock times change from run to run and machine to machine; the counts do not, and the
memory peaks depend on the shapes and the code (up to a few hundred bytes of interpreter caches).
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks, rnn
from rnnbook.types import Array, Seed, as_generator


def _flat(grads: rnn.Params) -> Array:
    """The gradients of W_xh, W_hh and b_h as one vector."""
    return np.concatenate([grads.W_xh.ravel(), grads.W_hh.ravel(), grads.b_h.ravel()])


def _truncate(value: object, name: str) -> int | None:
    return None if value is None else _checks.positive_int(value, name)


def truncation_error(params: rnn.Params, xs: Array, dhs: Array, ks: Sequence[int],
                     h0: Array | None = None) -> NDArray[np.float64]:
    r"""Relative error of the truncated BPTT gradient against full BPTT, for each k.

    Parameters
    ----------
    params : rnn.Params
    xs : ndarray of shape (T, B, D)
        Inputs.
    dhs : ndarray of shape (T, B, H)
        :math:`\bar h_t`, the gradient the loss sends to every state directly (as for
        :func:`rnnbook.rnn.backward`).
    ks : sequence of int
        Truncation lengths, each >= 1. Any k >= T is full BPTT (error 0).
    h0 : ndarray of shape (B, H), optional
        Initial state; zeros if omitted.

    Returns
    -------
    ndarray of shape (len(ks),)
        :math:`e(k)` for each k.

    Notes
    -----
    With :math:`g` the gradients of :math:`W_{xh}, W_{hh}, b_h` stacked into one vector by full
    BPTT and :math:`g^{(k)}` the same with ``truncate=k``,

    .. math:: e(k) = \frac{\lVert g^{(k)} - g \rVert_2}{\lVert g \rVert_2},

    the fraction of the gradient that truncation loses (0 if :math:`g = 0`).

    Examples
    --------
    >>> p = rnn.init(input_size=2, hidden_size=4, seed=0)
    >>> xs, dhs = np.ones((6, 1, 2)), np.ones((6, 1, 4))
    >>> err = truncation_error(p, xs, dhs, ks=[1, 3, 6])
    >>> bool(err[0] > err[1] > 0.0), float(err[2])
    (True, 0.0)
    """
    ks = [_checks.positive_int(k, "ks[i]") for k in ks]
    if not ks:
        raise ValueError("ks must hold at least one truncation length")
    _, cache = rnn.forward(params, xs, h0)
    full, _, _ = rnn.backward(params, cache, dhs)
    g = _flat(full)
    norm = float(np.linalg.norm(g))
    errors = np.empty(len(ks))
    for i, k in enumerate(ks):
        g_k = _flat(rnn.backward(params, cache, dhs, truncate=k)[0])
        errors[i] = 0.0 if norm == 0.0 else float(np.linalg.norm(g_k - g)) / norm
    return errors


def backward_work(T: int, truncate: int | None = None) -> int:
    r"""How many :math:`(B, H) \times (H, H)` products with :math:`W_{hh}` one backward pass does.

    Parameters
    ----------
    T : int
        Sequence length, >= 1.
    truncate : int, optional
        k of truncated BPTT; ``None`` (or k >= T) is full BPTT.

    Returns
    -------
    int

    Notes
    -----
    Full BPTT carries every loss term back together in one sweep: T products (the last one gives
    :math:`\partial L / \partial h_0`). Truncated BPTT must carry each loss term back on its own,
    since each stops at a different step; term s travels :math:`\min(k, s)` updates, so

    .. math:: \sum_{s=1}^{T} \min(k, s) = kT - \frac{k(k-1)}{2} \qquad (k \le T),

    about k times the work of full BPTT.

    Examples
    --------
    >>> backward_work(100), backward_work(100, truncate=10), backward_work(100, truncate=100)
    (100, 955, 100)
    """
    T = _checks.positive_int(T, "T")
    k = _truncate(truncate, "truncate")
    if k is None or k >= T:
        return T
    return k * T - k * (k - 1) // 2


def median_time(fn: Callable[[], object], repeats: int = 5) -> float:
    """The median wall-clock time of ``fn()`` over ``repeats`` calls, in seconds.

    Parameters
    ----------
    fn : callable
        Called with no arguments.
    repeats : int, default 5
        Number of timed calls, >= 1. The median ignores the odd slow call (another process
        taking the CPU), which a mean would not.

    Returns
    -------
    float
        Seconds, from ``time.perf_counter``: different on every run.
    """
    repeats = _checks.positive_int(repeats, "repeats")
    times = np.empty(repeats)
    for i in range(repeats):
        start = time.perf_counter()
        fn()
        times[i] = time.perf_counter() - start
    return float(np.median(times))


def peak_memory(fn: Callable[[], object]) -> int:
    """The peak memory allocated while ``fn()`` runs, above what was allocated before, in bytes.

    Parameters
    ----------
    fn : callable
        Called once, with no arguments.

    Returns
    -------
    int
        Bytes, as ``tracemalloc`` sees them: numpy arrays and Python objects. The arrays make it
        deterministic for a given code path, up to a few hundred bytes that depend on the
        interpreter's caches (Python's free lists, numpy's cache of small shape buffers); call
        ``fn`` once before measuring, so one-time allocations (imports) are not counted.

    Notes
    -----
    Starts ``tracemalloc`` if it is not running (and stops it afterwards); if it is running,
    resets its peak.

    Examples
    --------
    >>> peak_memory(lambda: np.ones(1_000_000)) >= 8_000_000   # one million float64
    True
    """
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = fn()
        peak = tracemalloc.get_traced_memory()[1] - before
        del result
    finally:
        if started:
            tracemalloc.stop()
    return int(peak)


@dataclass(frozen=True)
class BPTTCost:
    """The cost of forward + backward as the sequence length grows: :func:`measure_bptt`'s table.

    Attributes
    ----------
    T : ndarray of shape (n,)
        Sequence lengths.
    truncate : tuple of (int or None), length m
        The settings measured: ``None`` is full BPTT, k truncated BPTT.
    seconds : ndarray of shape (m, n)
        Median wall-clock seconds of forward + backward (changes from run to run).
    peak_bytes : ndarray of shape (m, n)
        Peak memory allocated by forward + backward, in bytes (set by the shapes, up to a few
        hundred bytes: see :func:`peak_memory`).
    products : ndarray of shape (m, n)
        :func:`backward_work`: products with :math:`W_{hh}` in the backward pass.
    B, D, H : int
        Batch size, input size and hidden size of the measurement.
    """

    T: NDArray[np.int64]
    truncate: tuple[int | None, ...]
    seconds: NDArray[np.float64]
    peak_bytes: NDArray[np.int64]
    products: NDArray[np.int64]
    B: int
    D: int
    H: int

    @staticmethod
    def label(k: int | None) -> str:
        """How a setting is named in tables and legends: ``"full"`` or ``"k = 5"``."""
        return "full" if k is None else f"k = {k}"

    def table(self, *, times: bool = True, digits: int = 2) -> str:
        """The table as text, one row per T and setting.

        Parameters
        ----------
        times : bool, default True
            Include the wall-clock column. Leave it out wherever the output must repeat exactly.
        digits : int, default 2
            Decimals of the peak memory in MiB. A peak moves by a few hundred bytes from run to
            run (:func:`peak_memory`), so two decimals (10 KiB) can round differently when a
            peak lies near a boundary; one decimal leaves a wider margin where the output must
            repeat exactly.

        Returns
        -------
        str
        """
        if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
            raise ValueError(f"digits must be a non-negative int; got {digits!r}")
        head = f"{'T':>6} {'BPTT':>8} {'W_hh products':>14} {'peak MiB':>9}"
        rows = [head + (f" {'ms':>8}" if times else "")]
        for j, T in enumerate(self.T):
            for i, k in enumerate(self.truncate):
                row = (f"{T:>6} {self.label(k):>8} {self.products[i, j]:>14} "
                       f"{self.peak_bytes[i, j] / 2**20:>9.{digits}f}")
                rows.append(row + (f" {1e3 * self.seconds[i, j]:>8.2f}" if times else ""))
        return "\n".join(rows)

    def __str__(self) -> str:
        return self.table()


def measure_bptt(T_values: Sequence[int], B: int = 16, D: int = 16, H: int = 64,
                 truncate: Sequence[int | None] = (None,), repeats: int = 5,
                 seed: Seed = 0) -> BPTTCost:
    r"""Measure forward + backward of a vanilla RNN for each sequence length and truncation.

    For every T and every setting, on a tanh network (:func:`rnnbook.rnn.init`) with random
    inputs and random state gradients ``dhs`` (a loss on every state): one warm-up call, then
    the median time of ``repeats`` calls (:func:`median_time`), then the peak memory of one
    more call (:func:`peak_memory`).

    Parameters
    ----------
    T_values : sequence of int
        Sequence lengths, each >= 1.
    B, D, H : int
        Batch size, input size, hidden size.
    truncate : sequence of (int or None), default (None,)
        The settings: ``None`` for full BPTT, k for ``rnn.backward(..., truncate=k)``.
    repeats : int, default 5
        Timed calls per measurement.
    seed : int, numpy.random.Generator or None, default 0
        Draws the weights, inputs and gradients.

    Returns
    -------
    BPTTCost

    Notes
    -----
    Full BPTT costs O(T) time and keeps O(T B H) memory (every state). Truncated BPTT as
    ``rnn.backward`` computes it (every loss term back k steps) costs O(T k) time
    (:func:`backward_work`) and still keeps every state.

    Examples
    --------
    >>> cost = measure_bptt([10, 20], B=2, D=2, H=4, truncate=[None, 3], repeats=1)
    >>> cost.seconds.shape, cost.products.tolist()
    ((2, 2), [[10, 20], [27, 57]])
    >>> bool(cost.peak_bytes[0, 1] > cost.peak_bytes[0, 0])   # longer sequences need more
    True
    """
    Ts = [_checks.positive_int(T, "T_values[i]") for T in T_values]
    if not Ts:
        raise ValueError("T_values must hold at least one sequence length")
    B = _checks.positive_int(B, "B")
    D = _checks.positive_int(D, "D")
    H = _checks.positive_int(H, "H")
    ks = tuple(_truncate(k, "truncate[i]") for k in truncate)
    if not ks:
        raise ValueError("truncate must hold at least one setting (None for full BPTT)")
    repeats = _checks.positive_int(repeats, "repeats")
    rng = as_generator(seed)
    params = rnn.init(D, H, seed=rng)
    shape = (len(ks), len(Ts))
    seconds, peak = np.empty(shape), np.empty(shape, dtype=np.int64)
    products = np.empty(shape, dtype=np.int64)
    for j, T in enumerate(Ts):
        xs = rng.standard_normal((T, B, D))                       # (T, B, D)
        dhs = rng.standard_normal((T, B, H)) / (T * B)            # (T, B, H): a mean loss
        for i, k in enumerate(ks):
            def run(k: int | None = k, xs: Array = xs,
                    dhs: Array = dhs) -> tuple[rnn.Params, Array, Array]:
                _, cache = rnn.forward(params, xs)
                return rnn.backward(params, cache, dhs, truncate=k)
            run()                                                 # warm-up
            seconds[i, j] = median_time(run, repeats)
            peak[i, j] = peak_memory(run)
            products[i, j] = backward_work(T, k)
    return BPTTCost(np.array(Ts, dtype=np.int64), ks, seconds, peak, products, B, D, H)
