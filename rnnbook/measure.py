r"""Measuring code: how long a call takes, how much memory it allocates, and BPTT's table of both.

- :func:`interleaved`: the median CPU and wall-clock time of each of several functions, run in
  turns (a, b, c; b, c, a; ...) in one process, so that a burst of load elsewhere on the machine
  hits them alike. ``make bench`` (``benchmarks/``) and the book time with it;
- :func:`peak_memory`: the peak memory a call allocates (``tracemalloc``, to which numpy reports
  its arrays);
- :func:`measure_bptt`: both for forward + backward as the sequence length T grows, with the
  count of :func:`rnnbook.truncation.backward_work`, as a :class:`BPTTMeasurement` table.

Times change from run to run and machine to machine; counts do not, and memory peaks depend only
on the shapes and the code (up to a few hundred bytes of interpreter caches). What is measured is
always an implementation: :func:`measure_bptt` measures the plain :mod:`rnnbook.rnn` unless it is
given other functions.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks, rnn, truncation
from rnnbook.types import Array, Seed, as_generator


class Timing(NamedTuple):
    """Medians over the timed runs of one function, in seconds, and how many runs there were."""

    cpu: float
    wall: float
    runs: int


def interleaved(fns: dict[str, Callable[[], object]], *, repeats: int = 5,
                budget: float = 0.0, max_repeats: int = 100) -> dict[str, Timing]:
    """Time each function ``repeats`` times or more, the functions taking turns.

    Parameters
    ----------
    fns : dict of str to callable
        The functions, called with no arguments, by name.
    repeats : int, default 5
        Timed calls of each function, at least.
    budget : float, default 0.0
        If > 0, rounds continue until each function has used about this much CPU time (seconds),
        up to ``max_repeats`` rounds.
    max_repeats : int, default 100

    Returns
    -------
    dict of str to Timing
        For each name, the median CPU time of this process (``time.process_time``: what the work
        costs, whatever else the machine runs) and wall-clock time (``time.perf_counter``).

    Notes
    -----
    One untimed warm-up call of each function first (one-time costs: caches, first allocations),
    then rounds of one call each, each round starting one function further on, so that no
    function always runs right after the same other one (whose data it would find, or not find,
    in the cache). The median ignores the odd slow call, which a mean would not.

    Examples
    --------
    >>> times = interleaved({"small": lambda: np.ones(10), "big": lambda: np.ones(10**6)})
    >>> times["small"].runs, times["big"].runs
    (5, 5)
    """
    if not fns:
        raise ValueError("fns must hold at least one function to time")
    repeats = _checks.positive_int(repeats, "repeats")
    max_repeats = _checks.positive_int(max_repeats, "max_repeats")
    budget = _checks.positive_float(budget, "budget", allow_zero=True)
    for fn in fns.values():
        fn()
    names = list(fns)
    cpu: dict[str, list[float]] = {name: [] for name in fns}
    wall: dict[str, list[float]] = {name: [] for name in fns}
    rounds = 0
    while rounds < repeats or (rounds < max_repeats
                               and min(sum(v) for v in cpu.values()) < budget):
        first = rounds % len(names)
        for name in names[first:] + names[:first]:
            c0, w0 = time.process_time(), time.perf_counter()
            fns[name]()
            w1, c1 = time.perf_counter(), time.process_time()
            cpu[name].append(c1 - c0)
            wall[name].append(w1 - w0)
        rounds += 1
    return {name: Timing(statistics.median(cpu[name]), statistics.median(wall[name]), rounds)
            for name in fns}


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
class BPTTMeasurement:
    """Time and memory of forward + backward as the sequence length grows: :func:`measure_bptt`.

    Attributes
    ----------
    T : ndarray of shape (n,)
        Sequence lengths.
    truncate : tuple of (int or None), length m
        The settings measured: ``None`` is full BPTT, k truncated BPTT.
    seconds : ndarray of shape (m, n)
        Median CPU seconds of forward + backward (:func:`interleaved`: the time this process
        computed, which other programs on the machine change less than the wall-clock time;
        still different on every run).
    peak_bytes : ndarray of shape (m, n)
        Peak memory allocated by forward + backward, in bytes (set by the shapes, up to a few
        hundred bytes: see :func:`peak_memory`).
    products : ndarray of shape (m, n)
        :func:`rnnbook.truncation.backward_work`: products with :math:`W_{hh}` in the backward
        pass.
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
            Include the time column. Leave it out wherever the output must repeat exactly.
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
                 truncate: Sequence[int | None] = (None,), repeats: int = 5, seed: Seed = 0,
                 forward: Callable[..., tuple[Array, Any]] = rnn.forward,
                 backward: Callable[..., tuple[rnn.Params, Array, Array]] = rnn.backward,
                 ) -> BPTTMeasurement:
    r"""Measure forward + backward of a vanilla RNN for each sequence length and truncation.

    For every T, on a tanh network (:func:`rnnbook.rnn.init`) with random inputs and random
    state gradients ``dhs`` (a loss on every state): the settings timed in turns
    (:func:`interleaved`, median CPU time of ``repeats`` calls each), then the peak memory of
    one more call of each (:func:`peak_memory`).

    Parameters
    ----------
    T_values : sequence of int
        Sequence lengths, each >= 1.
    B, D, H : int
        Batch size, input size, hidden size.
    truncate : sequence of (int or None), default (None,)
        The settings: ``None`` for full BPTT, k for ``backward(..., truncate=k)``.
    repeats : int, default 5
        Timed calls per measurement.
    seed : int, numpy.random.Generator or None, default 0
        Draws the weights, inputs and gradients.
    forward, backward : callable, default :func:`rnnbook.rnn.forward`, :func:`rnnbook.rnn.backward`
        The implementation measured, for instance :func:`rnnbook.fast.rnn.forward` and
        :func:`rnnbook.fast.rnn.backward`.

    Returns
    -------
    BPTTMeasurement

    Notes
    -----
    Full BPTT costs O(T) time and keeps O(T B H) memory (every state). Truncated BPTT as
    ``rnn.backward`` computes it (every loss term back k steps) costs O(T k) time
    (:func:`rnnbook.truncation.backward_work`) and still keeps every state.

    Examples
    --------
    >>> m = measure_bptt([10, 20], B=2, D=2, H=4, truncate=[None, 3], repeats=1)
    >>> m.seconds.shape, m.products.tolist()
    ((2, 2), [[10, 20], [27, 57]])
    >>> bool(m.peak_bytes[0, 1] > m.peak_bytes[0, 0])   # longer sequences need more
    True
    """
    Ts = [_checks.positive_int(T, "T_values[i]") for T in T_values]
    if not Ts:
        raise ValueError("T_values must hold at least one sequence length")
    B = _checks.positive_int(B, "B")
    D = _checks.positive_int(D, "D")
    H = _checks.positive_int(H, "H")
    ks = tuple(None if k is None else _checks.positive_int(k, "truncate[i]") for k in truncate)
    if not ks or len(set(ks)) < len(ks):
        raise ValueError(f"truncate must hold one or more different settings (None for full "
                         f"BPTT, k >= 1 for truncated); got {list(truncate)!r}")
    repeats = _checks.positive_int(repeats, "repeats")
    rng = as_generator(seed)
    params = rnn.init(D, H, seed=rng)
    shape = (len(ks), len(Ts))
    seconds, peak = np.empty(shape), np.empty(shape, dtype=np.int64)
    products = np.empty(shape, dtype=np.int64)
    for j, T in enumerate(Ts):
        xs = rng.standard_normal((T, B, D))                       # (T, B, D)
        dhs = rng.standard_normal((T, B, H)) / (T * B)            # (T, B, H): a mean loss
        runs: dict[str, Callable[[], object]] = {}
        for k in ks:
            def run(k: int | None = k, xs: Array = xs, dhs: Array = dhs) -> object:
                _, cache = forward(params, xs)
                return backward(params, cache, dhs, truncate=k)
            runs[BPTTMeasurement.label(k)] = run
        times = interleaved(runs, repeats=repeats)
        for i, k in enumerate(ks):
            seconds[i, j] = times[BPTTMeasurement.label(k)].cpu
            peak[i, j] = peak_memory(runs[BPTTMeasurement.label(k)])
            products[i, j] = truncation.backward_work(T, k)
    return BPTTMeasurement(np.array(Ts, dtype=np.int64), ks, seconds, peak, products, B, D, H)
