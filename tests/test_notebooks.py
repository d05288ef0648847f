"""The chapters as downloaded notebooks read in plain Jupyter as the pages do, and run.

Every notebook the book offers for download (``_sources/**/*.ipynb``) is valid, shows no MyST
markup in its Markdown (no directive, role, label line or bare equation label), has every glued
figure of its page attached in place, needs nothing but rnnbook (no ``myst_nb``), and executes
from top to bottom in a fresh kernel with nbclient, without an error.

Executing every chapter again takes about as long as building the book, so the notebooks run two
at a time (``pytest -s`` prints how long each took), and these tests are marked ``book``.
"""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from book_build import BOOK, ROOT, Build
from PIL import Image

pytestmark = pytest.mark.book

# MyST markup that plain Jupyter would show as text.
MYST = re.compile(r"\{[a-z]+(?::[a-z]+)?\}`"          # a role: {term}`...`
                  r"|^ {0,3}(?:`{3,}|:{3,})\s*\{"       # a directive: ```{exercise}
                  r"|^\([^()\s]+\)=\s*$"                # a label line: (sec-memory)=
                  r"|\$\$\s*\(eq-[^)]*\)"               # a labelled display's label
                  r"|solution-(?:start|end)", re.M)


def notebooks(book: Build) -> list[Path]:
    found = book.notebooks()
    assert len(found) >= 5, found
    return found


def source(notebook: Path, book: Build) -> str:
    """The MyST source of the page a notebook was made from."""
    return (ROOT / notebook.relative_to(book.html / "_sources")).with_suffix(".md").read_text(
        encoding="utf-8")


def markdown_outside_code(cell: nbformat.NotebookNode) -> str:
    """A Markdown cell's text without its code blocks and code spans (which may quote markup)."""
    text = re.sub(r"^(`{3,}|~{3,})[^\n]*\n.*?^\1\s*$", "", cell.source, flags=re.M | re.S)
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", text, flags=re.S)


def test_no_myst_markup_is_left_in_a_notebook(built_book: Build) -> None:
    left = []
    for path in notebooks(built_book):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown":
                left += [f"{path.name} cell {i}: {m.group(0)!r}"
                         for m in MYST.finditer(markdown_outside_code(cell))]
    assert not left, "\n".join(left)


def test_every_glued_figure_is_attached_where_the_page_shows_it(built_book: Build) -> None:
    for path in notebooks(built_book):
        nb = nbformat.read(path, as_version=4)
        figures = re.findall(r"^`{3,}\{glue:figure\}\s*(\S+)", source(path, built_book), re.M)
        attached = []
        for cell in nb.cells:
            for name, bundle in cell.get("attachments", {}).items():
                assert f"](attachment:{name})" in cell.source, f"{path.name}: {name} not shown"
                with Image.open(io.BytesIO(base64.b64decode(bundle["image/png"]))) as image:
                    assert image.format == "PNG"
                attached.append(name.removesuffix(".png"))
        assert attached == figures, f"{path.name}: {attached} != {figures}"


def test_equations_exercises_and_solutions_read_as_on_the_page(built_book: Build) -> None:
    for path in notebooks(built_book):
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                         if c.cell_type == "markdown")
        page = source(path, built_book)
        labelled = len(re.findall(r"^\$\$\s*\((eq-[^)]+)\)\s*$", page, re.M))
        assert len(re.findall(r"\\tag\{\d+(?:\.\d+)?\}", text)) == labelled, path.name
        exercises = len(re.findall(r"^`{3,}\{exercise\}", page, re.M))
        assert len(re.findall(r"^### Exercise \d+\.\d+ \(", text, re.M)) == exercises
        solutions = len(re.findall(r"^`{3,}\{solution(?:-start)?\}", page, re.M))
        assert len(re.findall(r"^#### Solution to Exercise \d+\.\d+$", text, re.M)) == solutions


def test_a_notebook_needs_nothing_but_rnnbook(built_book: Build) -> None:
    for path in notebooks(built_book):
        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                         if c.cell_type == "code")
        assert "myst_nb" not in code and "glue(" not in code, path.name


# The pages executed as notebooks: those whose front matter names a kernel.
EXECUTED = sorted(p.relative_to(BOOK).with_suffix("").as_posix() for p in BOOK.rglob("*.md")
                  if "\nkernelspec:" in p.read_text(encoding="utf-8").split("\n---", 1)[0])


def test_every_chapter_is_executed_as_a_notebook() -> None:
    """The list below is the book's chapters as they are, not a list kept by hand."""
    chapters = sorted(p.relative_to(BOOK).with_suffix("").as_posix()
                      for p in BOOK.glob("part*/[0-9][0-9]-*.md"))
    assert chapters and set(chapters) <= set(EXECUTED), set(chapters) - set(EXECUTED)


# Notebooks run side by side, one kernel per core (at most two: the book's budget is a 2-core
# machine), so that the run takes about half as long as one after the other. Each runs in a
# Python process of its own, as it would for a reader: nbclient with its kernel, nothing shared.
WORKERS = max(1, min(2, os.cpu_count() or 1))
RUNNER = """
import sys, nbformat
from nbclient import NotebookClient
source, target, folder = sys.argv[1:]
nb = nbformat.read(source, as_version=4)
for cell in nb.cells:
    if cell.cell_type == "code":
        cell.outputs = []
try:
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": folder}}).execute()
finally:
    nbformat.write(nb, target)
"""


@dataclass(frozen=True)
class Run:
    """One notebook executed: its cells with their new outputs, and what nbclient said."""

    notebook: nbformat.NotebookNode | None
    failure: str
    seconds: float


@pytest.fixture(scope="module")
def runs(built_book: Build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every executed page's downloaded notebook, outputs cleared, executed in a fresh kernel
    with nbclient from its own empty folder. The kernels run as the book build's do (conf.py):
    one BLAS thread, no progress bars."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "RNNBOOK_PROGRESS": "0"}

    def run(page: str) -> Run:
        path = built_book.html / "_sources" / "book" / f"{page}.ipynb"
        if not path.is_file():
            return Run(None, f"{page} is not offered as a notebook", 0.0)
        folder = tmp_path_factory.mktemp("notebook")
        target = folder.parent / f"{folder.name}.ipynb"
        start = time.monotonic()
        proc = subprocess.run([sys.executable, "-c", RUNNER, str(path), str(target), str(folder)],
                              env=env, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - start
        notebook = nbformat.read(target, as_version=4) if target.is_file() else None
        return Run(notebook, proc.stderr if proc.returncode else "", seconds)

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        found = dict(zip(EXECUTED, pool.map(run, EXECUTED), strict=True))
    each = ", ".join(f"{page.rpartition('/')[2]} {r.seconds:.0f} s" for page, r in found.items())
    print(f"\n{len(found)} notebooks executed in {time.monotonic() - start:.0f} s "
          f"({WORKERS} at a time): {each}")
    return found


@pytest.mark.parametrize("page", EXECUTED)
def test_every_notebook_runs_from_top_to_bottom(runs: dict[str, Run], page: str) -> None:
    run = runs[page]
    assert run.notebook is not None and not run.failure, run.failure[-4000:]
    errors = [o for c in run.notebook.cells if c.cell_type == "code"
              and "raises-exception" not in c.metadata.get("tags", [])
              for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
