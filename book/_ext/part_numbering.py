"""Chapter numbers that run on from one part of the book to the next.

The landing page lists each part in a toctree of its own, so that the sidebar shows the part's
caption. Sphinx numbers every numbered toctree from 1 ("every numbered toctree gets new
numbering", ``sphinx.environment.collectors.toctree``), which would make chapter 6 the first
chapter of Part II, "1. Long short-term memory", with figures 1.1, 1.2, ... clashing with
chapter 1's. This hook lets Sphinx number as usual, then shifts the numbers of each numbered
toctree's documents by the number of entries in the numbered toctrees before it on the same
page, before the figure and equation numbers are derived from them.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors.toctree import TocTreeCollector

_sphinx_numbering = TocTreeCollector.assign_section_numbers


def _shift(env: BuildEnvironment, docname: str, offset: int) -> None:
    """Add ``offset`` to the first section number of ``docname``, wherever Sphinx keeps it."""
    env.toc_secnumbers[docname] = {
        anchor: (number[0] + offset, *number[1:]) if number else number
        for anchor, number in env.toc_secnumbers[docname].items()}
    for reference in env.tocs[docname].findall(nodes.reference):
        if reference.get("secnumber"):
            reference["secnumber"] = [reference["secnumber"][0] + offset,
                                      *reference["secnumber"][1:]]
    title = env.titles.get(docname)
    if title is not None and title.get("secnumber"):
        title["secnumber"] = [title["secnumber"][0] + offset, *title["secnumber"][1:]]


def assign_section_numbers(self: TocTreeCollector, env: BuildEnvironment) -> list[str]:
    """Sphinx's numbering, then each numbered toctree continued from the one before it."""
    before = dict(env.toc_secnumbers)
    _sphinx_numbering(self, env)
    for docname in sorted(env.numbered_toctrees):
        offset = 0
        for toctree in env.get_doctree(docname).findall(addnodes.toctree):
            if not toctree.get("numbered"):
                continue
            entries = [ref for _, ref in toctree["entries"] if ref in env.toc_secnumbers]
            if offset:
                for ref in entries:
                    _shift(env, ref, offset)
            offset += len(entries)
    return [doc for doc, numbers in env.toc_secnumbers.items() if numbers != before.get(doc)]


def setup(app: Sphinx) -> dict[str, Any]:
    TocTreeCollector.assign_section_numbers = assign_section_numbers  # type: ignore[method-assign]
    return {"parallel_read_safe": True, "parallel_write_safe": True}
