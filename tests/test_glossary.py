"""The glossary covers the book: every term a page links (``{term}`...```) is defined there, every
entry is linked from some page, and every chapter links the terms it introduces.

The first property Sphinx also enforces: a ``{term}`` the glossary lacks is a warning, and the
book builds with warnings as errors (``test_sphinx_fails_on_a_term_the_glossary_lacks`` shows it
on a two-page book). Here it is checked on the sources, in a second, with the page and the term
named.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from book_build import BOOK

GLOSSARY = BOOK / "appendix" / "glossary.md"
TERM = re.compile(r"\{term\}`(?P<content>[^`]*)`")
MIN_TERMS_PER_CHAPTER = 3


def normal(term: str) -> str:
    """A term as Sphinx matches it: case and runs of white space do not count."""
    return " ".join(term.split()).lower()


def glossary_entries() -> list[list[str]]:
    """The glossary's entries, each the list of its terms (synonyms share a definition)."""
    text = GLOSSARY.read_text(encoding="utf-8")
    block = re.search(r"^`{3,}\{glossary\}\n(.*?)^`{3,}\s*$", text, re.M | re.S)
    assert block, "the glossary page has no {glossary} directive"
    entries: list[list[str]] = []
    previous_was_term = False
    for line in block.group(1).split("\n"):
        if not line.strip() or line.startswith(":"):
            previous_was_term = False
            continue
        if line.startswith((" ", "\t")):
            previous_was_term = False
            continue
        if previous_was_term:
            entries[-1].append(line.strip())
        else:
            entries.append([line.strip()])
        previous_was_term = True
    return entries


def terms_used(page: Path) -> set[str]:
    found = set()
    for match in TERM.finditer(page.read_text(encoding="utf-8")):
        target = re.search(r"<([^<>]+)>\s*$", match["content"])
        found.add(normal(target.group(1) if target else match["content"]))
    return found


PAGES = sorted(BOOK.rglob("*.md"))
CHAPTERS = sorted(BOOK.glob("part*/[0-9][0-9]-*.md"))


def test_every_term_a_page_links_is_in_the_glossary() -> None:
    defined = {normal(t) for entry in glossary_entries() for t in entry}
    missing = {f"{p.relative_to(BOOK)}: {t}" for p in PAGES for t in terms_used(p) - defined}
    assert not missing, "terms the glossary lacks:\n" + "\n".join(sorted(missing))


def test_every_glossary_entry_is_linked_from_a_page() -> None:
    used = set().union(*(terms_used(p) for p in PAGES if p != GLOSSARY))
    unused = [entry for entry in glossary_entries()
              if not any(normal(t) in used for t in entry)]
    assert not unused, f"glossary entries no page links: {unused}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_links_its_terms_to_the_glossary(chapter: Path) -> None:
    assert len(terms_used(chapter)) >= MIN_TERMS_PER_CHAPTER, \
        f"{chapter.stem} links only {sorted(terms_used(chapter))} to the glossary"


def test_sphinx_fails_on_a_term_the_glossary_lacks(tmp_path: Path) -> None:
    """With the book's strictness (-n -W), a missing term fails a build; a defined one does not."""
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser"]\n', encoding="utf-8")
    (tmp_path / "index.md").write_text(
        "# Book\n\n```{toctree}\nglossary\n```\n\nA {term}`state` and a {term}`wall`.\n",
        encoding="utf-8")
    (tmp_path / "glossary.md").write_text(
        "# Glossary\n\n```{glossary}\nstate\n  What the network carries.\n```\n",
        encoding="utf-8")
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-n", "-W", str(tmp_path),
           str(tmp_path / "_build")]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode != 0
    assert "term not in glossary: 'wall'" in proc.stderr
    assert "'state'" not in proc.stderr
