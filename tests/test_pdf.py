"""The whole book as one PDF (``make pdf``): it builds without a LaTeX error, holds every chapter,
figure, exercise and solution, shows no raw MyST markup, and the HTML book offers it.

The PDF is built by Sphinx's LaTeX builder and XeLaTeX next to the test session's HTML build,
from the same execution cache (nothing is executed twice), then read back with poppler's
``pdftotext`` and ``pdfimages``. Needs TeX Live and poppler-utils (the README's apt-get line);
the tests skip without them, and fail instead under ``RNNBOOK_REQUIRE_TEX=1`` (set by CI).
"""

from __future__ import annotations

import filecmp
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest
from book_build import BOOK, PdfBuild

pytestmark = [pytest.mark.book, pytest.mark.pdf]


def landing_documents() -> list[str]:
    """The documents of the landing page's toctrees, in order (``part1/01-memory``, ...)."""
    index = (BOOK / "index.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```\{toctree\}\n(.*?)```", index, flags=re.S):
        found += [line.strip() for line in block.splitlines()
                  if line.strip() and not line.lstrip().startswith(":")]
    return found


def title(document: str) -> str:
    """The first-level heading of a document's Markdown source."""
    text = (BOOK / f"{document}.md").read_text(encoding="utf-8")
    found = re.search(r"^# (.+)$", text, flags=re.M)
    assert found, f"{document} has no title"
    return found.group(1).strip()


@cache
def pdf_text(pdf: Path) -> str:
    """The PDF's text, each run of white space made one space, hyphenated line ends joined."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return re.sub(r"\s+", " ", text)


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, flags=re.M)
    assert found
    return int(found.group(1))


def test_the_pdf_builds_without_a_latex_error(built_pdf: PdfBuild) -> None:
    assert built_pdf.returncode == 0, f"the PDF build failed:\n{built_pdf.output[-6000:]}"
    assert built_pdf.pdf.is_file()
    errors = re.findall(r"^! .*$", built_pdf.log, flags=re.M)
    assert not errors, errors
    # XeLaTeX only warns when a font lacks a character; the reader sees nothing there.
    missing = sorted(set(re.findall(r"Missing character: There is no (\S+ \(U\+\w+\))",
                                    built_pdf.log)))
    assert not missing, f"characters missing from the fonts: {missing} (conf.py, fontpkg)"
    assert "There were undefined references" not in built_pdf.log
    assert "Hyper reference" not in built_pdf.log, re.findall(r"Hyper reference .*", built_pdf.log)
    print(f"\nPDF: {pdf_pages(built_pdf.pdf)} pages, built in {built_pdf.seconds:.0f} s")


def test_the_pdf_has_a_sane_length(built_pdf: PdfBuild) -> None:
    assert 100 <= pdf_pages(built_pdf.pdf) <= 600


def test_every_chapter_and_appendix_is_in_the_pdf(built_pdf: PdfBuild) -> None:
    text = pdf_text(built_pdf.pdf)
    missing = [title(d) for d in landing_documents() if title(d) not in text]
    assert not missing, f"chapter titles not found in the PDF's text: {missing}"
    assert "About this book" in text and "CONTENTS" in text


def test_every_figure_of_the_book_is_in_the_pdf(built_pdf: PdfBuild) -> None:
    """As many images in the PDF as figures in the HTML book (an explorable figure is one
    static frame in the PDF)."""
    figures = sum(len(re.findall(r"<figure\b", page.read_text(encoding="utf-8")))
                  for page in (built_pdf.html / "book").rglob("*.html"))
    listing = subprocess.run(["pdfimages", "-list", str(built_pdf.pdf)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    images = [row.split() for row in listing if row.split()[2:3] == ["image"]]
    assert figures >= 18 and len(images) == figures, (len(images), figures)


def test_every_exercise_has_its_solution_in_the_pdf(built_pdf: PdfBuild) -> None:
    sources = [(BOOK / f"{d}.md").read_text(encoding="utf-8") for d in landing_documents()]
    exercises = sum(len(re.findall(r"^`{3,}\{exercise\}", s, flags=re.M)) for s in sources)
    solutions = sum(len(re.findall(r"^`{3,}\{solution(?:-start)?\}", s, flags=re.M))
                    for s in sources)
    text = pdf_text(built_pdf.pdf)
    assert len(re.findall(r"Solution to Exercise \d+\.\d+", text)) == solutions
    assert len(re.findall(r"(?<!to )Exercise \d+\.\d+ \(", text)) == exercises >= 20


def test_equations_and_cross_references_are_numbered(built_pdf: PdfBuild) -> None:
    text = pdf_text(built_pdf.pdf)
    assert "??" not in text, "a reference LaTeX could not resolve"
    assert re.search(r"Fig\. 5\.\d", text) and re.search(r"\(5\.\d+\)", text)
    assert re.search(r"Section 5\.\d", text) or re.search(r"Exercise 5\.\d", text)


# MyST and Sphinx markup that the reader must never see as text. (An equation's label may stand
# in a code comment, "# (eq-...)", as on the HTML page; a display left unparsed shows its "$$".)
RAW = re.compile(r"\{[a-z]+(?::[a-z]+)?\}`|`{3}|:{3}\{|\{(?:glue:(?:text|md)|eq|term|numref|"
                 r"math|cite:[pt])\}|\$\$|solution-(?:start|end)")


def test_no_raw_markup_in_the_pdf(built_pdf: PdfBuild) -> None:
    text = pdf_text(built_pdf.pdf)
    # The API reference may quote a directive's name in a docstring (``{glue:figure}``); outside
    # it, not even a name. (Chapter headings are set in capitals, and only they.)
    before, _, rest = text.partition("API REFERENCE")
    chapters = before + rest.partition("BUILD INFORMATION")[2]
    found = [text[max(m.start() - 50, 0):m.end() + 30] for m in RAW.finditer(text)]
    found += [chapters[max(m.start() - 50, 0):m.end() + 30]
              for m in re.finditer(r"\{glue", chapters)]
    assert not found, found


def test_the_html_book_offers_the_pdf(built_pdf: PdfBuild) -> None:
    copy = built_pdf.html / "_downloads" / "rnnbook.pdf"
    assert copy.is_file() and filecmp.cmp(copy, built_pdf.pdf, shallow=False)
    for page in ["book/index.html", *(str(p.relative_to(built_pdf.html))
                                      for p in (built_pdf.html / "book").glob("part*/*.html"))]:
        html = (built_pdf.html / page).read_text(encoding="utf-8")
        depth = page.count("/")
        assert f'href="{"../" * depth}_downloads/rnnbook.pdf"' in html, page
