"""The book builds strictly, executes every chapter without an error, and lacks no page."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from book_build import Build, cell_outputs, source_pages

pytestmark = pytest.mark.book



def test_the_book_builds_with_warnings_as_errors(built_book: Build) -> None:
    assert built_book.returncode == 0, f"the build failed:\n{built_book.output[-6000:]}"
    assert "build succeeded" in built_book.output


def test_every_source_page_is_built(built_book: Build) -> None:
    missing = [p for p in source_pages() if not (built_book.html / p).is_file()]
    assert not missing, f"pages not built: {missing}"
    assert (built_book.html / "search.html").is_file()
    assert (built_book.html / "genindex.html").is_file()


def test_every_chapter_was_executed_and_its_notebook_keeps_the_outputs(built_book: Build) -> None:
    """What the chapter printed stays in the notebook's cells, and its figures in place (the
    glued ones attached to the Markdown that shows them)."""
    chapters = sorted(p.relative_to(built_book.html).with_suffix("").as_posix()
                      for p in (built_book.html / "book").glob("part*/*.html"))
    notebooks = {p.relative_to(built_book.html / "_sources").with_suffix("").as_posix(): p
                 for p in built_book.notebooks() if p.parent.name.startswith("part")}
    assert chapters and sorted(notebooks) == chapters
    for name, path in notebooks.items():
        outputs = cell_outputs(path)
        assert any(o["output_type"] == "stream" for o in outputs), f"{name}: nothing printed"
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        figures = [a for c in cells for a in c.get("attachments", {}).values()] + \
                  [o for o in outputs if "image/png" in o.get("data", {})]
        assert figures, f"{name}: no figure"


def test_no_executed_cell_wrote_an_error_or_a_warning(built_book: Build) -> None:
    problems = []
    for nb in built_book.notebooks():
        for out in cell_outputs(nb):
            text = "".join(out.get("text", "")) if isinstance(out.get("text"), list) \
                else str(out.get("text", ""))
            if out["output_type"] == "error":
                problems.append(f"{nb.name}: {out.get('ename')}: {out.get('evalue')}")
            elif out.get("name") == "stderr":
                problems.append(f"{nb.name}: stderr: {text[:200]}")
            elif re.search(r"\b\w*(Warning|Error)\b", text):
                problems.append(f"{nb.name}: {text[:200]}")
    assert not problems, "\n".join(problems)


def test_math_is_served_from_the_build_not_a_cdn(built_book: Build) -> None:
    page = (built_book.html / "book" / "appendix" / "notation.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]*src="([^"]*mathjax[^"]*)"', page, flags=re.I)
    assert scripts and all(not s.startswith(("http:", "https:", "//")) for s in scripts)
    assert (built_book.html / "_static" / "mathjax" / "tex-svg.js").is_file()


def test_no_page_links_a_remote_script_stylesheet_or_font(built_book: Build) -> None:
    remote = re.compile(r'<(?:script|link)[^>]*(?:src|href)="(?:https?:)?//[^"]*"', re.I)
    offenders = {str(p.relative_to(built_book.html)): remote.findall(p.read_text("utf-8"))
                 for p in built_book.html.rglob("*.html")}
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, offenders


def test_each_chapter_offers_its_notebook_for_download(built_book: Build) -> None:
    for page in (built_book.html / "book").glob("part*/*.html"):
        html = page.read_text(encoding="utf-8")
        link = f"_sources/book/{page.parent.name}/{page.stem}.ipynb"
        assert link in html, f"{page.name} has no .ipynb download link"
        assert (built_book.html / link).is_file()


def test_every_figure_has_alt_text_that_describes_it(built_book: Build) -> None:
    bad = []
    for page in built_book.html.rglob("*.html"):
        for tag in re.findall(r"<img[^>]*>", page.read_text(encoding="utf-8")):
            alt = re.search(r'alt="([^"]*)"', tag)
            text = alt.group(1) if alt else ""
            if "_images/" in tag and (len(text.split()) < 5 or text.startswith("&lt;Figure")):
                bad.append(f"{page.name}: {tag[:120]}")
    assert not bad, "\n".join(bad)


def test_every_docs_link_of_the_highlighted_source_leads_to_an_anchor_that_exists(
        built_book: Build) -> None:
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in sorted((built_book.html / "_modules").rglob("*.html")):
        for href in re.findall(r'<a class="viewcode-back" href="([^"]+)"', page.read_text("utf-8")):
            target, _, anchor = href.partition("#")
            doc = (page.parent / target).resolve()
            if doc not in ids:
                ids[doc] = set(re.findall(r'\bid="([^"]+)"', doc.read_text("utf-8"))) \
                    if doc.is_file() else set()
            if anchor not in ids[doc]:
                broken.append(f"{page.relative_to(built_book.html)}: {href}")
    assert not broken, "\n".join(broken)


# Markup that reached the page as text: a MyST role (``{term}`...```), a Sphinx role in a
# docstring (``:math:`...```), a bare equation label ("equation (eq-state-update)").
RAW_MARKUP = re.compile(r"\{(?:term|eq|numref|ref|doc|math|py:\w+|glue:\w+)\}`"
                        r"|(?<![\w:]):(?:math|eq|term|ref|func|class|mod|meth|attr):`"
                        r"|\(eq-[a-z0-9-]+\)")


def test_no_page_shows_raw_markup(built_book: Build) -> None:
    """Outside code blocks (which may show docstrings as source), no page shows a role or an
    equation label as text."""
    found = []
    for page in sorted(built_book.html.joinpath("book").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        article = re.search(r'<article class="bd-article"[^>]*>(.*)</article>', html, re.S)
        text = re.sub(r"<pre.*?</pre>", "", article.group(1) if article else html, flags=re.S)
        text = unescape(re.sub(r"<[^>]+>", "", text))
        found += [f"{page.relative_to(built_book.html)}: …{text[max(m.start() - 40, 0):m.end()]}"
                  for m in RAW_MARKUP.finditer(text)]
    assert not found, "\n".join(found)


def test_explorable_figures_are_light_and_described(built_book: Build) -> None:
    """At least four explorable figures; each adds at most 400 kB to its page and has an alt
    text for every frame. (``pytest -s`` prints each one's weight.)"""
    found = []
    for page in sorted((built_book.html / "book").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for figure in re.finditer(r'<figure[^>]*id="([^"]+)"[^>]*>(.*?)</figure>', html, re.S):
            body = figure.group(2)
            if "rnnbook-explorable" not in body:
                continue
            data = re.search(r'<script type="application/json">(.*?)</script>', body, re.S)
            assert data is not None
            alts = json.loads(data.group(1).replace("<\\/", "</"))["alts"]
            kilobytes = len(body.encode()) / 1000
            found.append(f"{page.stem}#{figure.group(1)}: {kilobytes:.0f} kB, {len(alts)} frames")
            assert kilobytes <= 400, found[-1]
            assert all(len(alt.split()) >= 10 for alt in alts), found[-1]
            assert len(set(alts)) == len(alts), f"{found[-1]}: frames share an alt text"
    print("\n" + "\n".join(found))
    assert len(found) >= 4, found


def test_the_landing_page_maps_every_chapter(built_book: Build) -> None:
    html = (built_book.html / "book" / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="[^"]*rnnbook-book-map.*?</table>', html, re.S)
    assert table, "the landing page has no map of the book"
    chapters = sorted((built_book.html / "book").glob("part*/*.html"))
    for page in chapters:
        link = f'href="{page.parent.name}/{page.name}"'
        assert link in table.group(0), f"the map lacks {page.name}"
    assert len(re.findall(r"<tr", table.group(0))) == len(chapters) + 1
    assert "state_update" in table.group(0) and "Exercise 2.1" in table.group(0)
