"""The book as one PDF (``make pdf``): the shape of the LaTeX document, and the link to the PDF
from the HTML book.

Sphinx's LaTeX builder inlines every chapter where the landing page's toctrees stand. On this
book's landing page the toctrees close its last section, so the chapters would become sections
of "Licence", and each of the landing page's own sections a numbered chapter before chapter 1.
:func:`shape_the_book` rearranges the assembled document instead:

- the landing page's text becomes one unnumbered chapter, "About this book";
- each numbered toctree becomes a LaTeX part named after its caption ("Part I, foundations"
  gives Part I, "Foundations"), its documents the chapters, numbered 1, 2, ... across the parts
  as on the HTML pages, so figure 5.2 and equation (5.3) carry the same numbers in both;
- the unnumbered toctree (the appendices) becomes the appendices (A, B, ...), minus the
  bibliography page: LaTeX prints the bibliography at the end of the book.

The HTML book offers the PDF where it was built: an HTML build whose output folder has a
sibling ``latex/rnnbook.pdf`` copies it into ``_downloads/`` and adds it to every page's
download menu (:func:`offer_pdf_download`).
"""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config

PDF_NAME = "rnnbook.pdf"
PDF_TARGET = f"_downloads/{PDF_NAME}"
PART_PREFIX = re.compile(r"^Part\s+[IVXLC]+\s*[,:.]\s*", re.I)


def raw_latex(text: str) -> nodes.raw:
    return nodes.raw("", text + "\n", format="latex")


def part_title(caption: str) -> str:
    """The title LaTeX prints under "Part I": the caption without its "Part I, " prefix.

    >>> part_title("Part II, gated memory")
    'Gated memory'
    """
    title = PART_PREFIX.sub("", caption).strip()
    return title[:1].upper() + title[1:]


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def part_number(caption: str) -> int | None:
    """The number a caption gives its part: "Part III, applications" gives 3.

    >>> part_number("Part IV, more"), part_number("Appendices")
    (4, None)
    """
    found = re.match(r"^Part\s+([IVXLC]+)\b", caption, re.I)
    if not found:
        return None
    values = [ROMAN[c] for c in found.group(1).upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def _toctrees(app: Sphinx) -> list[tuple[str, bool, list[str]]]:
    """(caption, numbered, documents) of each toctree of the landing page, in order."""
    root = app.env.get_doctree(app.config.root_doc)
    return [(str(t.get("caption") or ""), bool(t.get("numbered")),
             [docname for _, docname in t["entries"]])
            for t in root.findall(addnodes.toctree)]


def _bibliography_pages(app: Sphinx) -> set[str]:
    """The pages that print the bibliography: in LaTeX, Sphinx moves every citation to one
    bibliography at the end of the book, which leaves such a page without its list."""
    domain = app.env.domains.get("cite")
    return {key.docname for key in getattr(domain, "bibliographies", {})}


def _landing_toctrees(node: nodes.Element) -> list[nodes.compound]:
    """The toctree wrappers of the landing page itself, not those of the documents inlined into
    them (the API reference has its own)."""
    found = []
    for child in node.children:
        if isinstance(child, nodes.compound) and "toctree-wrapper" in child["classes"]:
            found.append(child)
        elif isinstance(child, nodes.Element) and not isinstance(child, addnodes.start_of_file):
            found += _landing_toctrees(child)
    return found


def label_exercises(app: Sphinx, doctree: nodes.document) -> None:
    """Give each exercise the LaTeX label its solution's link points to, and each reference to
    an exercise its number.

    sphinx-exercise labels an exercise ``exercise:<label>`` in LaTeX while the link of the title
    "Solution to Exercise 1.2" points to ``<page>:<label>``, which no label defines (PDF links
    to nowhere, and LaTeX warns of undefined references): both are defined.
    """
    registry = getattr(app.env, "sphinx_exercise_registry", {})
    # A numbered reference to an exercise: LaTeX would print the number of the section the
    # label falls in (\ref); the number Sphinx computed ("Exercise 5.1") is printed instead.
    for ref in list(doctree.findall(addnodes.number_reference)):
        target = ref.get("refid") or ref.get("refuri", "").rpartition("#")[2]
        if target in registry:
            link = nodes.reference("", "", *ref.children, internal=True,
                                   **{k: ref[k] for k in ("refid", "refuri") if k in ref})
            ref.replace_self(link)
    for node in list(doctree.findall(lambda n: type(n).__name__ == "exercise_enumerable_node")):
        label = node.get("label", "")
        docname = registry.get(label, {}).get("docname")
        if docname:
            node.parent.insert(node.parent.index(node), raw_latex(
                r"\phantomsection\label{\detokenize{" + f"{docname}:{label}" + "}}"))


def shape_the_book(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Rearrange the assembled LaTeX document into preface, parts and appendices."""
    if app.builder.format != "latex" or docname != app.config.root_doc:
        return
    files = {node["docname"]: node for node in doctree.findall(addnodes.start_of_file)}
    if not files:  # not the assembled book
        return
    label_exercises(app, doctree)
    top = doctree.next_node(nodes.section)
    if top is None:
        return
    for wrapper in _landing_toctrees(top):
        wrapper.parent.remove(wrapper)
    title, *landing = top.children
    top.children = [title]

    preface = nodes.section(ids=["rnnbook-about-this-book"], names=["about this book"])
    preface += nodes.title("About this book", "About this book")
    for child in landing:
        preface += child
    # Unnumbered, but in the table of contents: no section numbers until the first chapter.
    top += raw_latex(r"\edef\rnnbooksecnumdepth{\arabic{secnumdepth}}"
                     r"\setcounter{secnumdepth}{-1}")
    top += preface
    top += raw_latex(r"\setcounter{secnumdepth}{\rnnbooksecnumdepth}")

    for caption, numbered, documents in _toctrees(app):
        chapters = [files[d] for d in documents if d in files]
        if not numbered:
            top += raw_latex(r"\appendix")
            chapters = [c for c in chapters if c["docname"] not in _bibliography_pages(app)]
        elif caption:
            number = part_number(caption)             # as the caption says, even with a gap
            counter = rf"\setcounter{{part}}{{{number - 1}}}" if number else ""
            top += raw_latex(counter + r"\part{" + part_title(caption) + "}")
        for chapter in chapters:
            chapter.parent.remove(chapter)
            top += chapter


# --- the PDF offered by the HTML book --------------------------------------------------------

def built_pdf(outdir: str | Path) -> Path:
    """Where ``make pdf`` leaves the PDF, next to the HTML output folder."""
    return Path(outdir).parent / "latex" / PDF_NAME


def note_pdf(app: Sphinx, config: Config) -> None:
    """Record whether a PDF was built, in a configuration value that rewrites every HTML page
    when it changes (the download menu of each page lists it)."""
    config.rnnbook_pdf = built_pdf(app.outdir).is_file()


def offer_pdf_download(app: Sphinx, pagename: str, templatename: str,
                       context: dict[str, Any], doctree: nodes.document | None) -> None:
    """Add the whole book's PDF to the theme's download menu, when it was built."""
    if app.builder.format != "html" or not app.config.rnnbook_pdf:
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"].append({
                "type": "link",
                "url": context["pathto"](PDF_TARGET, 1),
                "text": "book (.pdf)",
                "tooltip": "Download the whole book as a PDF",
                "icon": "fas fa-file-pdf",
                "label": "download-book-pdf-button",
            })


def copy_pdf(app: Sphinx, exception: Exception | None) -> None:
    """Copy the built PDF into the HTML book, where the download menu points."""
    if exception is not None or app.builder.format != "html":
        return
    source, target = built_pdf(app.outdir), Path(app.outdir) / PDF_TARGET
    if source.is_file():
        if not (target.is_file() and filecmp.cmp(source, target, shallow=False)):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    elif target.is_file():
        target.unlink()


def setup(app: Sphinx) -> None:
    app.add_config_value("rnnbook_pdf", False, "html")
    app.connect("config-inited", note_pdf)
    app.connect("doctree-resolved", shape_the_book)
    app.connect("html-page-context", offer_pdf_download, priority=600)
    app.connect("build-finished", copy_pdf)
