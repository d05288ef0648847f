"""What the benchmarks share: thread control, fitted exponents, tables.

Timing and memory are measured with :mod:`rnnbook.measure`, the harness the book uses too:
every time is a *median* of several runs, implementations compared with each other are run
*interleaved* (a, b, a, b, ...) in one process, so that a burst of load elsewhere hits both
alike, and each run records both the CPU time of this process (what the work costs, unaffected by
other processes taking the CPU away) and the wall-clock time.
"""

from __future__ import annotations

import csv
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_info, threadpool_limits

RESULTS = Path(__file__).resolve().parent / "results"


# --- threads -----------------------------------------------------------------------------------
def set_threads(n: int, torch: Any | None) -> tuple[str, Callable[[], None]]:
    """Give numpy's BLAS (through threadpoolctl) and PyTorch the same number of threads.

    Returns what they got, as text for the tables, and a function that puts the previous thread
    counts back.
    """
    import numpy  # noqa: F401  (loads the BLAS, so that threadpoolctl can find it)

    limits = threadpool_limits(limits=n, user_api="blas")
    torch_before = torch.get_num_threads() if torch is not None else None
    if torch is not None:
        torch.set_num_threads(n)
    blas = sorted({pool["num_threads"] for pool in threadpool_info()
                   if pool["user_api"] == "blas"})
    text = f"numpy BLAS threads: {', '.join(map(str, blas)) or 'unknown'}"
    if torch is not None:
        text += f", torch.get_num_threads(): {torch.get_num_threads()}"

    def restore() -> None:
        limits.restore_original_limits()
        if torch is not None:
            torch.set_num_threads(torch_before)

    return text, restore


def import_torch() -> Any | None:
    """PyTorch if it is installed, else None (the benchmarks then measure rnnbook alone)."""
    try:
        import torch
    except ImportError:
        return None
    return torch


# --- fits ---------------------------------------------------------------------------------------
def fitted_exponent(xs: Sequence[float], ys: Sequence[float]) -> float:
    """The slope p of a least-squares line through (log x, log y): y ≈ c x^p."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    return (sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True))
            / sum((a - mx) ** 2 for a in lx))


# --- tables ------------------------------------------------------------------------------------
@dataclass
class Table:
    """A titled table: printed fixed-width for a person, written as CSV for a program.

    ``rows`` hold raw values (numbers unrounded); ``formats`` says how to print each column
    (a format spec such as ``".2f"``; missing means ``str``). ``notes`` are printed under the
    table (and are not in the CSV).
    """

    name: str
    title: str
    columns: list[str]
    formats: dict[str, str] = field(default_factory=dict)
    rows: list[list[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *values: object) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"{self.name}: a row needs {len(self.columns)} values "
                             f"({', '.join(self.columns)}); got {len(values)}")
        self.rows.append(list(values))

    def cell(self, column: str, value: object) -> str:
        if value is None:
            return "-"
        spec = self.formats.get(column, "")
        if spec and isinstance(value, (int, float)) and not isinstance(value, bool):
            return format(value, spec)
        return str(value)

    def render(self) -> str:
        cells = [[self.cell(c, v) for c, v in zip(self.columns, row, strict=True)]
                 for row in self.rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(self.columns)]
        numeric = [all(isinstance(row[i], (int, float)) or row[i] is None for row in self.rows)
                   for i in range(len(self.columns))]

        def line(values: list[str]) -> str:
            return "  ".join(v.rjust(w) if num else v.ljust(w)
                             for v, w, num in zip(values, widths, numeric, strict=True)).rstrip()

        rule = "  ".join("-" * w for w in widths)
        out = [self.title, "=" * len(self.title), line(self.columns), rule]
        out += [line(r) for r in cells]
        out += self.notes
        return "\n".join(out)

    def write_csv(self, folder: Path = RESULTS) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.name}.csv"
        with path.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(self.columns)
            writer.writerows(["" if v is None else v for v in row] for row in self.rows)
        return path
