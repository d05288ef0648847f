"""Table 2: how forward + BPTT scale, in time and in peak memory.

Full BPTT is one sweep back over the sequence, so its time and its memory (every state is kept)
must grow linearly in T; truncated BPTT with k steps carries every loss term back on its own,
so its backward pass costs about k T products with W_hh
(:func:`rnnbook.truncation.backward_work`).
Each sweep below prints a per-unit column that stays flat when the scaling holds, and a note
with the exponent p of a least-squares fit ``cost ~ n^p`` over the larger sizes (small sizes are
dominated by the fixed cost of a call).

Peak memory is what ``tracemalloc`` sees allocated during one forward + backward
(:func:`rnnbook.measure.peak_memory`; numpy reports its arrays to ``tracemalloc``): the cache of
states, the gradients and every temporary, not the inputs. What is measured is the fast path,
:mod:`rnnbook.fast.rnn`; Table 1b compares it with the plain code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmarks._common import Table, fitted_exponent
from benchmarks.vs_torch import problem
from rnnbook import rnn, truncation
from rnnbook.fast import rnn as fast_rnn
from rnnbook.measure import interleaved, peak_memory


@dataclass(frozen=True)
class Sizes:
    """The sweeps of Table 2 (defaults: the full run; :meth:`quick` for a smoke run)."""

    T_full: Sequence[int] = (10, 100, 1_000, 10_000)
    B: int = 8
    D: int = 8
    H: int = 64
    H_values: Sequence[int] = (16, 32, 64, 128, 256, 512)
    T_for_H: int = 100
    k_values: Sequence[int] = (1, 2, 4, 8, 16, 32, 64)
    T_for_k: int = 1_000
    T_truncated: Sequence[int] = (100, 1_000, 10_000)
    k_for_T: int = 8
    repeats: int = 5
    budget: float = 0.5

    @classmethod
    def quick(cls) -> Sizes:
        return cls(T_full=(10, 30, 100, 300), B=2, D=3, H=8, H_values=(4, 8, 16), T_for_H=20,
                   k_values=(1, 2, 4), T_for_k=50, T_truncated=(20, 60, 180), k_for_T=2,
                   repeats=3, budget=0.0)


def _problem(T: int, B: int, D: int, H: int) -> tuple[rnn.Params, Any, Any]:
    """Table 1's problem in float64, with the gradients of a mean loss on every state."""
    p, xs, G = problem(T, B, D, H, np.float64)
    return p, xs, G / (T * B)                             # (T, B, H)


def _measure(T: int, B: int, D: int, H: int, k: int | None,
             sizes: Sizes) -> tuple[float, float, int]:
    """Median CPU seconds of forward + backward, of the backward alone, and peak bytes."""
    p, xs, dhs = _problem(T, B, D, H)
    _, cache = fast_rnn.forward(p, xs)

    def both() -> object:
        _, c = fast_rnn.forward(p, xs)
        return fast_rnn.backward(p, c, dhs, truncate=k)

    def back() -> object:
        return fast_rnn.backward(p, cache, dhs, truncate=k)

    times = interleaved({"both": both, "back": back}, repeats=sizes.repeats,
                        budget=sizes.budget)
    return times["both"].cpu, times["back"].cpu, peak_memory(both)


def _fit_note(what: str, ns: Sequence[float], ys: Sequence[float], n_name: str,
              expected: str) -> str:
    """``fitted: time ~ T^1.01 (T >= 1000), expected 1``, over the upper half of a sweep."""
    half = len(ns) // 2 if len(ns) > 3 else max(len(ns) - 2, 0)
    if len(ns) - half < 2:
        return ""
    p = fitted_exponent(ns[half:], ys[half:])
    return f"{what} ~ {n_name}^{p:.2f} ({n_name} >= {ns[half]:g}; expected {expected})"


def full_bptt_vs_t(sizes: Sizes) -> Table:
    s = sizes
    t = Table("2a_full_bptt_T", f"Table 2a: full BPTT as T grows (B={s.B}, D={s.D}, H={s.H}, "
              "float64)", ["T", "fwd+bwd ms", "us per step", "peak MiB", "peak bytes per step"],
              formats={"fwd+bwd ms": ".2f", "us per step": ".2f", "peak MiB": ".2f",
                       "peak bytes per step": ".0f"})
    secs, peaks = [], []
    for T in s.T_full:
        both, _, peak = _measure(T, s.B, s.D, s.H, None, s)
        t.add(T, 1e3 * both, 1e6 * both / T, peak / 2**20, peak / T)
        secs.append(both)
        peaks.append(peak)
    t.notes.append("median CPU time of forward + backward; peak memory: tracemalloc. Linear in T "
                   "means flat per-step columns.")
    t.notes += [n for n in (_fit_note("fitted: time", s.T_full, secs, "T", "1"),
                            _fit_note("fitted: memory", s.T_full, peaks, "T", "1")) if n]
    return t


def full_bptt_vs_h(sizes: Sizes) -> Table:
    s = sizes
    T = s.T_for_H
    t = Table("2b_full_bptt_H", f"Table 2b: full BPTT as H grows (T={T}, B={s.B}, D={s.D}, "
              "float64)", ["H", "fwd+bwd ms", "ns per T B H^2", "peak MiB", "peak bytes per T B H"],
              formats={"fwd+bwd ms": ".2f", "ns per T B H^2": ".3f", "peak MiB": ".2f",
                       "peak bytes per T B H": ".1f"})
    secs, peaks = [], []
    for H in s.H_values:
        both, _, peak = _measure(T, s.B, s.D, H, None, s)
        t.add(H, 1e3 * both, 1e9 * both / (T * s.B * H * H), peak / 2**20, peak / (T * s.B * H))
        secs.append(both)
        peaks.append(peak)
    t.notes.append("The work is 6 T B H (H + D) flops and the memory O(T B H + H^2): time "
                   "tends to H^2 once the products dominate the per-step overhead.")
    t.notes += [n for n in (_fit_note("fitted: time", s.H_values, secs, "H", "-> 2"),
                            _fit_note("fitted: memory", s.H_values, peaks, "H", "~1"))
                if n]
    return t


def truncated_vs_k(sizes: Sizes) -> Table:
    s = sizes
    T = s.T_for_k
    t = Table("2c_truncated_k", f"Table 2c: truncated BPTT as k grows (T={T}, B={s.B}, D={s.D}, "
              f"H={s.H}, float64)",
              ["k", "W_hh products", "fwd+bwd ms", "bwd ms", "bwd us per product",
               "peak MiB"],
              formats={"fwd+bwd ms": ".2f", "bwd ms": ".2f", "bwd us per product": ".2f",
                       "peak MiB": ".2f"})
    works, backs = [], []
    for k in s.k_values:
        both, back, peak = _measure(T, s.B, s.D, s.H, k, s)
        work = truncation.backward_work(T, k)
        t.add(k, work, 1e3 * both, 1e3 * back, 1e6 * back / work, peak / 2**20)
        works.append(work)
        backs.append(back)
    t.notes.append("W_hh products: rnnbook.truncation.backward_work(T, k) = k T - k (k - 1) / 2 "
                   "(B, H) x (H, H) products. O(T k) means a flat per-product column.")
    t.notes += [n for n in (_fit_note("fitted: backward time", list(s.k_values), backs, "k", "1"),
                            _fit_note("fitted: backward time", works, backs, "products", "1"))
                if n]
    return t


def truncated_vs_t(sizes: Sizes) -> Table:
    s = sizes
    k = s.k_for_T
    t = Table("2d_truncated_T", f"Table 2d: truncated BPTT as T grows (k={k}, B={s.B}, D={s.D}, "
              f"H={s.H}, float64)",
              ["T", "W_hh products", "fwd+bwd ms", "bwd ms", "bwd us per product",
               "peak MiB", "peak bytes per step"],
              formats={"fwd+bwd ms": ".2f", "bwd ms": ".2f", "bwd us per product": ".2f",
                       "peak MiB": ".2f", "peak bytes per step": ".0f"})
    backs, peaks = [], []
    for T in s.T_truncated:
        both, back, peak = _measure(T, s.B, s.D, s.H, k, s)
        work = truncation.backward_work(T, k)
        t.add(T, work, 1e3 * both, 1e3 * back, 1e6 * back / work, peak / 2**20, peak / T)
        backs.append(back)
        peaks.append(peak)
    t.notes += [n for n in (_fit_note("fitted: backward time", s.T_truncated, backs, "T", "1"),
                            _fit_note("fitted: memory", s.T_truncated, peaks, "T", "1")) if n]
    return t


def tables(sizes: Sizes) -> list[Table]:
    return [full_bptt_vs_t(sizes), full_bptt_vs_h(sizes), truncated_vs_k(sizes),
            truncated_vs_t(sizes)]
