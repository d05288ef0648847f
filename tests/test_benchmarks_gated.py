"""Table 1c (the LSTM and GRU against PyTorch) runs and fills its rows, on tiny sizes.

Only structure and deterministic numbers are checked: one row per cell, dtype and size, the fast
path equal to the plain code, and rnnbook equal to PyTorch. No time is compared with a threshold.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: `benchmarks`

from benchmarks import gated_vs_torch

SIZES = ((3, 2, 2, 4), (2, 1, 1, 1))


def column(t, name: str) -> list[object]:
    return [row[t.columns.index(name)] for row in t.rows]


def test_gated_table_without_torch_times_fast_plain_and_floor() -> None:
    t = gated_vs_torch.table(None, sizes=SIZES, repeats=1, budget=0.0)
    assert t.columns == gated_vs_torch.COLUMNS
    assert [tuple(row[:6]) for row in t.rows] == [
        (cell, dtype, *size) for cell in ("LSTM", "GRU") for dtype in ("float64", "float32")
        for size in SIZES]
    assert all(isinstance(v, float) for v in column(t, "fast ms") + column(t, "fast/floor"))
    assert column(t, "torch ms") == [None] * len(t.rows)
    # the fast path computes what the plain code computes
    for dtype, diff in zip(column(t, "dtype"), column(t, "max rel diff"), strict=True):
        assert diff <= (1e-12 if dtype == "float64" else 1e-5)
    assert any("PyTorch is not installed" in note for note in t.notes)


def test_gated_table_compares_the_same_outputs_and_gradients_as_torch(torch) -> None:
    t = gated_vs_torch.table(torch, sizes=SIZES, dtypes=(np.float64,), repeats=1, budget=0.0)
    assert len(t.rows) == 4
    assert max(column(t, "max rel diff")) <= 1e-10       # float64: plain vs fast and vs torch
    assert all(isinstance(v, float) for v in column(t, "ratio") + column(t, "floor ratio"))
    assert any(note.startswith("goal ratio") for note in t.notes)
