"""The benchmarks run and fill their tables, on tiny sizes.

Only the structure and the deterministic numbers are checked (row counts, columns, work counts,
memory growing with T, rnnbook and PyTorch computing the same gradients). No test here ever
compares a time with a threshold: timings belong to ``make bench``, not to the test suite.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: `benchmarks`

from benchmarks import __main__ as bench_main
from benchmarks import _common, book, plain_vs_fast, scaling, vs_torch
from rnnbook import truncation

TINY = scaling.Sizes(T_full=(4, 8, 16), B=2, D=2, H=3, H_values=(2, 4, 8), T_for_H=5,
                     k_values=(1, 2, 3), T_for_k=12, T_truncated=(6, 12, 24), k_for_T=2,
                     repeats=1, budget=0.0)


def test_a_table_prints_aligned_and_writes_its_csv(tmp_path: Path) -> None:
    t = _common.Table("demo", "Demo", ["name", "ms"], formats={"ms": ".2f"})
    t.add("a", 1.0)
    t.add("bb", None)
    lines = t.render().splitlines()
    assert lines[:2] == ["Demo", "===="]
    assert lines[2:] == ["name    ms", "----  ----", "a     1.00", "bb       -"]
    with pytest.raises(ValueError, match="a row needs 2 values"):
        t.add("c")
    with t.write_csv(tmp_path).open() as f:
        assert list(csv.reader(f)) == [["name", "ms"], ["a", "1.0"], ["bb", ""]]


def test_fitted_exponent_recovers_a_power_law() -> None:
    ns = [10, 100, 1000]
    assert _common.fitted_exponent(ns, [3.0 * n**1.5 for n in ns]) == pytest.approx(1.5)


def test_vs_torch_table_without_torch_says_so_and_times_rnnbook() -> None:
    t = vs_torch.table(None, sizes=((3, 2, 2, 4),), dtypes=(np.float64, np.float32), repeats=1,
                       budget=0.0)
    assert t.columns == vs_torch.COLUMNS
    assert [row[:5] for row in t.rows] == [["float64", 3, 2, 2, 4], ["float32", 3, 2, 2, 4]]
    for row in t.rows:
        mine = dict(zip(t.columns, row, strict=True))
        assert isinstance(mine["rnnbook ms"], float)
        assert mine["torch ms"] is None and mine["ratio"] is None
    assert any("PyTorch is not installed" in note for note in t.notes)


def test_vs_torch_table_compares_the_same_gradients(torch) -> None:
    t = vs_torch.table(torch, sizes=((3, 2, 2, 4), (2, 1, 1, 1)), repeats=1, budget=0.0)
    assert len(t.rows) == 4
    for row in t.rows:
        r = dict(zip(t.columns, row, strict=True))
        assert r["ratio"] == pytest.approx(r["rnnbook ms"] / r["torch ms"])
        assert r["max rel diff"] < (1e-12 if r["dtype"] == "float64" else 1e-4)
    assert any(note.startswith("goal ratio <= 0.5") for note in t.notes)


def test_scaling_tables_cover_every_sweep_with_the_right_work() -> None:
    a, b, c, d = scaling.tables(TINY)
    assert [row[0] for row in a.rows] == list(TINY.T_full)
    assert [row[0] for row in b.rows] == list(TINY.H_values)
    assert [row[0] for row in c.rows] == list(TINY.k_values)
    assert [row[0] for row in d.rows] == list(TINY.T_truncated)
    assert [row[1] for row in c.rows] == [truncation.backward_work(TINY.T_for_k, k)
                                          for k in TINY.k_values]
    assert [row[1] for row in d.rows] == [truncation.backward_work(T, TINY.k_for_T)
                                          for T in TINY.T_truncated]
    peak = a.columns.index("peak MiB")
    assert a.rows[0][peak] < a.rows[1][peak] < a.rows[2][peak]   # memory is deterministic
    for t in (a, b, c, d):
        assert all(len(row) == len(t.columns) for row in t.rows)
        assert any(note.startswith("fitted:") for note in t.notes)


def test_plain_vs_fast_table_times_both_at_every_size_and_finds_them_equal() -> None:
    t = plain_vs_fast.table(TINY, ((3, 2, 2, 4), (1, 1, 1, 1)), repeats=1, budget=0.0)
    assert [tuple(row[:6]) for row in t.rows] == plain_vs_fast.rows(TINY, ((3, 2, 2, 4),
                                                                           (1, 1, 1, 1)))
    assert [row[0] for row in t.rows] == ["1", "1"] + ["2a"] * len(TINY.T_full) + ["2d"]
    for row in t.rows:
        r = dict(zip(t.columns, row, strict=True))
        assert r["plain/fast"] == pytest.approx(r["plain ms"] / r["fast ms"])
        assert r["max rel diff"] <= 1e-12


def test_book_chapter_times_are_read_from_the_jupyter_cache(tmp_path: Path) -> None:
    jupyter_cache = pytest.importorskip("jupyter_cache")
    nbformat = pytest.importorskip("nbformat")
    from jupyter_cache.base import CacheBundleIn

    chapter = tmp_path / "book" / "part1" / "01-memory.md"
    chapter.parent.mkdir(parents=True)
    chapter.write_text("")
    cache = jupyter_cache.get_cache(tmp_path / "cache" / "some-hash")
    cache.cache_notebook_bundle(
        CacheBundleIn(nbformat.v4.new_notebook(), str(chapter),
                      data={"execution_seconds": 1.5}),
        check_validity=False)
    assert book.chapter_times(tmp_path / "cache", tmp_path) == [("book/part1/01-memory", 1.5)]


def test_quick_run_prints_all_three_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_main.main(["--quick", "--no-csv"]) == 0  # it puts the thread counts back
    out = capsys.readouterr().out
    for title in ("Table 1:", "Table 1b:", "Table 2a:", "Table 2b:", "Table 2c:", "Table 2d:",
                  "Table 3:"):
        assert title in out
    assert "not measured: --quick" in out
