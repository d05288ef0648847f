"""Table 1b: the plain code the book shows (``rnnbook.rnn``) against its fast path.

The book's chapters show :mod:`rnnbook.rnn`: ``forward`` a loop over the state update,
``backward`` one line per equation of the derivation. The benchmarks and the training runs use
:mod:`rnnbook.fast.rnn`, which the tests hold equal to it to 1e-12. This table says what the
plain code costs: forward + BPTT of each, timed in turns (:func:`rnnbook.measure.interleaved`),
at the sizes of Table 1 (full BPTT), of Table 2a (full BPTT as T grows) and at a truncation
of Tables 2c-2d. The ratio is plain over fast, on CPU time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from benchmarks import scaling, vs_torch
from benchmarks._common import Table
from rnnbook import rnn
from rnnbook.fast import rnn as fast_rnn
from rnnbook.measure import interleaved

Row = tuple[str, int, int, int, int, int | None]
"""(from which table, T, B, D, H, truncate)."""


def rows(sizes: scaling.Sizes, table1: Sequence[tuple[int, int, int, int]]) -> list[Row]:
    """Table 1's sizes, Table 2a's lengths, and Table 2d's truncation at its middle length."""
    s = sizes
    out: list[Row] = [("1", T, B, D, H, None) for T, B, D, H in table1]
    out += [("2a", T, s.B, s.D, s.H, None) for T in s.T_full]
    T = s.T_truncated[len(s.T_truncated) // 2]
    out.append(("2d", T, s.B, s.D, s.H, s.k_for_T))
    return out


def _run(cell: Any, p: rnn.Params, xs: Any, dhs: Any, k: int | None) -> Any:
    def both() -> object:
        _, cache = cell.forward(p, xs)
        return cell.backward(p, cache, dhs, truncate=k)

    return both


def table(sizes: scaling.Sizes | None = None,
          table1: Sequence[tuple[int, int, int, int]] = vs_torch.SIZES, *,
          repeats: int = 5, budget: float = 0.5) -> Table:
    """Measure plain and fast at every row; ``budget`` is the CPU seconds per function."""
    s = sizes or scaling.Sizes()
    t = Table("1b_plain_vs_fast", "Table 1b: plain rnnbook.rnn vs rnnbook.fast.rnn, forward + "
              "BPTT (float64)",
              ["table", "T", "B", "D", "H", "truncate", "plain ms", "fast ms", "plain/fast",
               "max rel diff", "runs"],
              formats={"plain ms": ".2f", "fast ms": ".2f", "plain/fast": ".2f",
                       "max rel diff": ".1e"})
    for name, T, B, D, H, k in rows(s, table1):
        p, xs, G = vs_torch.problem(T, B, D, H, np.float64)
        plain, fast = _run(rnn, p, xs, G, k), _run(fast_rnn, p, xs, G, k)
        diff = max_rel_diff(plain(), fast())
        times = interleaved({"plain": plain, "fast": fast}, repeats=repeats,
                            budget=budget if T * B * H <= 10**6 else 0.0)
        mine, theirs = times["plain"], times["fast"]
        ratio = mine.cpu / theirs.cpu if theirs.cpu > 0 else None   # None: below the clock's tick
        t.add(name, T, B, D, H, k, 1e3 * mine.cpu, 1e3 * theirs.cpu, ratio, diff, mine.runs)
    t.notes.append("ms: median CPU time per forward + backward, the two run in turns in one "
                   "process. plain/fast > 1: what the plain code's readability costs.")
    t.notes.append("max rel diff: the largest difference between the two over every output and "
                   "gradient, relative to that array's largest entry (the tests require <= 1e-12).")
    return t


def max_rel_diff(a: Any, b: Any) -> float:
    """Largest relative difference (max norm) between the results of two backward passes."""
    (ga, dxa, dha), (gb, dxb, dhb) = a, b
    worst = 0.0
    for x, y in ((ga.W_xh, gb.W_xh), (ga.W_hh, gb.W_hh), (ga.b_h, gb.b_h), (dxa, dxb),
                 (dha, dhb)):
        worst = max(worst, float(np.abs(x - y).max() / max(np.abs(y).max(), 1e-300)))
    return worst
