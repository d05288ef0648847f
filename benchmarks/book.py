"""Table 3: the book: a clean build, an unchanged rebuild, and each chapter's execution time.

The build is the one of ``make book`` (strict: ``-n -W --keep-going``), run in a temporary folder
with a fresh execution cache (``RNNBOOK_JUPYTER_CACHE``) and fresh output and doctree folders, so
the first build executes every chapter and the second finds everything up to date. The
environment (the venv with the book's dependencies) is assumed installed, as the goal says.

Chapter execution times come from the jupyter-cache database that MyST-NB fills: each record's
``data["execution_seconds"]`` is the time the kernel took to run that notebook.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks._common import Table

ROOT = Path(__file__).resolve().parent.parent
"""The repository: conf.py and book/."""

GOALS = {"clean build": 300.0, "unchanged rebuild": 10.0}
"""Seconds, from the issues (2-core machine, environment installed): the whole book builds clean
within 5 minutes and rebuilds unchanged within 10 s."""

CHAPTER_GOAL = 60.0
"""Seconds: no chapter executes longer."""


@dataclass(frozen=True)
class Build:
    """One sphinx-build run."""

    wall: float
    cpu: float       # of sphinx-build and the kernels it started (children of this process)
    returncode: int
    log: str


def sphinx_command(root: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going",
            str(root), str(out / "html"), "-d", str(out / "doctrees")]


def run_build(root: Path, out: Path, cache: Path) -> Build:
    env = dict(os.environ, RNNBOOK_JUPYTER_CACHE=str(cache))
    env.pop("RNNBOOK_EXECUTION_MODE", None)     # the default, "cache", as in `make book`
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(sphinx_command(root, out), cwd=root, env=env, capture_output=True,
                          text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Build(wall, cpu, done.returncode, done.stdout + done.stderr)


def chapter_times(cache_root: Path, root: Path) -> list[tuple[str, float]]:
    """(document, execution seconds) of every notebook in the jupyter-cache under ``cache_root``.

    ``conf.py`` puts the cache in a sub-folder named after rnnbook's source hash; every
    sub-folder holding a cache database is read.
    """
    from jupyter_cache import get_cache

    found: list[tuple[str, float]] = []
    for db in sorted(cache_root.glob("*/global.db")):
        for record in get_cache(db.parent).list_cache_records():
            seconds = (record.data or {}).get("execution_seconds")
            if seconds is None:
                continue
            uri = Path(record.uri)
            name = uri.relative_to(root).with_suffix("").as_posix() if uri.is_relative_to(root) \
                else uri.name
            found.append((name, float(seconds)))
    return sorted(found)


def _new_table() -> Table:
    return Table("3_book", "Table 3: the book (clean build, unchanged rebuild, chapter execution)",
                 ["step", "seconds", "CPU seconds", "goal seconds", "met"],
                 formats={"seconds": ".1f", "CPU seconds": ".1f", "goal seconds": ".0f"})


def table(root: Path = ROOT) -> Table:
    t = _new_table()
    with tempfile.TemporaryDirectory(prefix="rnnbook-bench-") as tmp:
        out, cache = Path(tmp), Path(tmp) / "cache"
        builds = {}
        for step in ("clean build", "unchanged rebuild"):
            b = run_build(root, out, cache)
            builds[step] = b
            ok = b.returncode == 0
            t.add(step if ok else f"{step} (FAILED, exit {b.returncode})", b.wall, b.cpu,
                  GOALS[step], "yes" if ok and b.wall <= GOALS[step] else "no")
            if not ok:
                tail = "\n".join("  | " + line for line in b.log.strip().splitlines()[-15:])
                t.notes.append(f"{step} failed; the end of its output:\n{tail}")
                break
        try:
            chapters = chapter_times(cache, root)
        except ImportError:
            chapters = []
            t.notes.append("jupyter_cache is not installed: no chapter times.")
        for name, seconds in chapters:
            t.add(f"  execute {name}", seconds, None, CHAPTER_GOAL,
                  "yes" if seconds <= CHAPTER_GOAL else "no")
        if chapters:
            total = sum(s for _, s in chapters)
            first_parts = sum(s for name, s in chapters if "/part3/" not in f"/{name}")
            t.add("  execution, Parts I and II and the appendices", first_parts, None, None, None)
            t.add("  execution, all chapters", total, None, None, None)
            clean = builds["clean build"].wall
            t.notes.append(f"Of the clean build's {clean:.1f} s, {total:.1f} s execute the "
                           f"{len(chapters)} notebooks (kernel start-up included), "
                           f"{clean - total:.1f} s are the rest (Sphinx start-up, parsing, "
                           "autodoc, writing HTML).")
    t.notes.append("seconds: wall clock; CPU seconds: sphinx-build and the kernels it starts. "
                   "Command: python -m sphinx -b html -n -W --keep-going . <tmp>/html "
                   "-d <tmp>/doctrees with RNNBOOK_JUPYTER_CACHE=<tmp>/cache, all fresh.")
    return t


def skipped(reason: str) -> Table:
    t = _new_table()
    t.notes.append(f"not measured: {reason}")
    return t
