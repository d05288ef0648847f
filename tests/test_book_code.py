"""The code the chapters show is what their text says: the function without its docstring.

A chapter shows a public function of rnnbook with ``literalinclude``, ``:pyobject:`` and a
``:lines:`` option that keeps the signature and the body and leaves out the docstring (which the
API reference renders, and which would appear raw in a code block). ``:lines:`` counts from the
function's first line, so a docstring that grows or shrinks would silently shift what the book
shows. This test recomputes the right ``:lines:`` from the source and names the block to fix.
No book build is needed: it reads the chapters' Markdown and rnnbook's source.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```\{literalinclude\} (?P<path>\S+)\n(?P<options>(?::[^\n]*\n)*)```")


def blocks() -> list[tuple[str, Path, dict[str, str]]]:
    """(chapter, included file, options) of every literalinclude in the book."""
    found = []
    for md in sorted((ROOT / "book").rglob("*.md")):
        if "_build" in md.parts:
            continue
        for m in BLOCK.finditer(md.read_text()):
            options = dict(re.findall(r":([\w-]+):[ \t]*(.*)", m["options"]))
            found.append((md.relative_to(ROOT).as_posix(), (md.parent / m["path"]).resolve(),
                          options))
    return found


def lines_without_docstring(source: Path, name: str) -> str:
    """The ``:lines:`` spec that keeps the signature and body of function ``name``."""
    tree = ast.parse(source.read_text())
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    first = node.lineno
    doc, body = node.body[0], node.body[1]
    assert isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant), name
    return f"1-{doc.lineno - first}, {body.lineno - first + 1}-"


SHOWN = [b for b in blocks() if "pyobject" in b[2]]
TRIMMED = [b for b in SHOWN if "lines" in b[2]]


def test_the_chapters_show_functions_of_rnnbook_without_their_docstrings() -> None:
    shown = {(chapter, options["pyobject"]) for chapter, _, options in TRIMMED}
    assert ("book/part1/02-state-update.md", "forward") in shown
    assert ("book/part1/04-bptt.md", "backward") in shown
    assert ("book/part1/04-bptt.md", "bptt_deltas") in shown


@pytest.mark.parametrize(("chapter", "source", "options"), TRIMMED,
                         ids=[f"{c}:{o['pyobject']}" for c, _, o in TRIMMED])
def test_lines_leave_out_exactly_the_docstring(chapter: str, source: Path,
                                               options: dict[str, str]) -> None:
    want = lines_without_docstring(source, options["pyobject"])
    assert options["lines"] == want, (
        f"{chapter}: the literalinclude of {options['pyobject']} should say :lines: {want}")
