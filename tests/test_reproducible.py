"""Two clean builds of the same commit print the same outputs and draw byte-identical figures.

The second build runs with another hash seed, so nothing may depend on the order of a set or a
dict built from hashes, nor on time, memory addresses or unseeded randomness. The one deliberate
exception is a figure of measured wall-clock times, whose glue name ends in ``-timing``. The second
build (conftest's ``second_build``) runs side by side with the first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from book_build import Build

pytestmark = pytest.mark.book


def outputs_by_cell(notebook: Path) -> list[tuple[int, str, str]]:
    """(cell, kind, content) for every output and every figure attached to the Markdown (the
    glued ones), except timing figures glued by name.

    What a cell printed counts as one text, however the kernel happened to split it into chunks.
    """
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    found = []
    for i, cell in enumerate(nb["cells"]):
        for name, bundle in sorted(cell.get("attachments", {}).items()):
            if not name.removesuffix(".png").endswith("-timing"):
                found += [(i, f"{name}: {mime}", data) for mime, data in sorted(bundle.items())]
        printed = "".join("".join(out["text"]) for out in cell.get("outputs", [])
                          if out["output_type"] == "stream")
        if printed:
            found.append((i, "text", printed))
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name", "")
            if name.endswith("-timing"):
                continue
            for mime, data in sorted(out.get("data", {}).items()):
                found.append((i, mime, data if isinstance(data, str) else "".join(data)))
    return found


def test_two_clean_builds_give_identical_outputs_and_figures(built_book: Build,
                                                             second_build: Build) -> None:
    assert built_book.returncode == 0 and second_build.returncode == 0, second_build.output[-3000:]
    first = {p.relative_to(built_book.html): p for p in built_book.notebooks()}
    again = {p.relative_to(second_build.html): p for p in second_build.notebooks()}
    assert first.keys() == again.keys()
    figures = 0
    for rel, path in first.items():
        a, b = outputs_by_cell(path), outputs_by_cell(again[rel])
        figures += sum(kind.endswith("image/png") for _, kind, _ in a)
        differ = [f"cell {x[0]} ({x[1]})" for x, y in zip(a, b, strict=False) if x != y]
        assert len(a) == len(b) and not differ, f"{rel}: outputs differ in {differ}"
    assert figures >= 15, f"only {figures} figures compared"
