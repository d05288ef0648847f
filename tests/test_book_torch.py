"""Chapter 13 (from rnnbook to PyTorch) with and without PyTorch.

Where PyTorch is installed, the built page shows what its PyTorch cells printed; CI installs it
and sets ``RNNBOOK_REQUIRE_TORCH=1``, under which a build without it fails here instead of
passing quietly with notes. Without PyTorch the page says plainly that those cells were not run.
The second case is also tested where PyTorch *is* installed: the chapter is executed on its own
with ``RNNBOOK_NO_TORCH=1`` (:mod:`rnnbook.notebook`), as the book build would execute it, and
must run without an error, print the note in place of every PyTorch cell, and still give the
text every value it quotes.
"""

from __future__ import annotations

import os
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from book_build import ROOT, Build
from conftest import TORCH_REASON, skip_or_fail

from rnnbook import notebook

pytestmark = pytest.mark.book

CHAPTER = ROOT / "book" / "part3" / "13-pytorch.md"
PAGE = Path("book") / "part3" / "13-pytorch.html"
NOTE = "Not run: "
RAN = "The PyTorch cells of this page ran when it was built"
NOT_BUILT = "This page was built without PyTorch"
NOT_MEASURED = "[not measured: this page was built without PyTorch]"


def page_text(book: Build) -> str:
    """The article of chapter 13's built page, as plain text."""
    html = (book.html / PAGE).read_text(encoding="utf-8")
    article = re.search(r'<article class="bd-article"[^>]*>(.*)</article>', html, re.S)
    assert article is not None
    return unescape(re.sub(r"<[^>]+>", "", article.group(1)))


def test_the_built_page_shows_the_pytorch_outputs_or_says_they_were_not_run(
        built_book: Build) -> None:
    assert built_book.returncode == 0, built_book.output[-3000:]
    text = page_text(built_book)
    if notebook.available("torch"):
        assert RAN in text and NOT_BUILT not in text
        assert NOTE not in text, "a PyTorch cell printed the not-run note although torch is here"
        # What the PyTorch cells print: the comparisons, each with a measured difference.
        differences = re.findall(r"largest difference[^\n]*?(\d\.\de[-+]\d\d)", text)
        assert len(differences) >= 8 and all(float(d) < 1e-12 for d in differences)
        assert "weight_ih_l1_reverse" in text and "batch_sizes" in text
        assert NOT_MEASURED not in text
    else:
        assert NOT_BUILT in text and RAN not in text
        assert text.count(NOTE) >= 10
        assert "pip install torch==2.13.0" in text
        if os.environ.get("RNNBOOK_REQUIRE_TORCH") == "1":
            skip_or_fail(TORCH_REASON, "RNNBOOK_REQUIRE_TORCH")


def execute_without_torch(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Chapter 13 executed as the book build executes it, with PyTorch hidden."""
    nbclient = pytest.importorskip("nbclient")
    from myst_nb.core.read import read_myst_markdown_notebook

    for name, value in {"RNNBOOK_NO_TORCH": "1", "RNNBOOK_PROGRESS": "0",
                        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}.items():
        monkeypatch.setenv(name, value)
    nb = read_myst_markdown_notebook(CHAPTER.read_text(encoding="utf-8"))
    nbclient.NotebookClient(nb, kernel_name="python3", timeout=300).execute(
        cwd=str(CHAPTER.parent))
    return nb


def printed(cell: Any) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o["output_type"] == "stream")


def test_without_torch_the_chapter_runs_notes_every_pytorch_cell_and_glues_every_value(
        monkeypatch: pytest.MonkeyPatch) -> None:
    nb = execute_without_torch(monkeypatch)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not [o for c in code for o in c.get("outputs", []) if o["output_type"] == "error"]
    for cell in code:
        if re.search(r"\btorch\.|\bimport torch\b|\bfrom torch\b", cell.source) \
                and "HAVE_TORCH" not in cell.source:
            assert printed(cell).startswith(NOTE + "RNNBOOK_NO_TORCH=1 hides PyTorch"), \
                cell.source[:200]
    numpy_cells = [c for c in code if NOTE not in printed(c) and printed(c)]
    assert any("batch_sizes: [3 3 2 2 1]" in printed(c) for c in numpy_cells)

    glued = {o["metadata"]["scrapbook"]["name"]: o for c in code for o in c.get("outputs", [])
             if "scrapbook" in o.get("metadata", {})}
    source = CHAPTER.read_text(encoding="utf-8")
    quoted = set(re.findall(r"\{glue(?::\w+)?\}`([^`:]+)", source))
    quoted |= set(re.findall(r"```\{glue:(?:figure|md)\} (\S+)", source))
    assert quoted and quoted <= set(glued), f"not glued without torch: {quoted - set(glued)}"
    # Every number the PyTorch cells measure reads as not measured (the padding error is numpy's).
    numbers = set(re.findall(r"\{glue:text\}`(torch-[^`:]+)`", source)) - {"torch-padding-error"}
    plain = {key: next(v for k, v in glued[key]["data"].items() if k.endswith("text/plain"))
             for key in numbers}
    assert plain and all(v.strip("'\"") == NOT_MEASURED for v in plain.values()), plain
    status = next(v for k, v in glued["torch-status"]["data"].items() if k.endswith("markdown"))
    assert NOT_BUILT in status and "pip install torch==2.13.0" in status
