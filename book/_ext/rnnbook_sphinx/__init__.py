"""The book's own Sphinx extension: what conf.py used to do in hooks, plus three layout fixes.

The PDF's shape and its link from the HTML book are in :mod:`rnnbook_sphinx.latex`, the
landing page's map of the book in :mod:`rnnbook_sphinx.bookmap`.

- MathJax is copied into the build (the book reads offline, no CDN).
- Each executed chapter is offered as a Jupyter notebook with its outputs that reads in plain
  Jupyter as the page does (:mod:`rnnbook_sphinx.notebook`), and what a cell printed is the same
  on the page and in the notebook however the kernel cut it into chunks.
- The API reference documents rnnbook's own members only.
- A formula and the punctuation right after it never part at a line end (no lone "," or "."
  starting a line): the two are wrapped in ``<span class="nowrap">``.
- viewcode's "[docs]" links lead to anchors that exist (its Sphinx issue #6651: a module
  documented under two names, ``rnnbook.plot`` and ``rnnbook.plot.diagram``, gets back links
  built from the first name only).
- A pickled doctree does not carry a copy of the build environment (a rebuild loads them all).
- Search shows excerpts when the book is opened from disk (file://), where browsers refuse the
  ``fetch`` of each hit's page that Sphinx's search uses for them: the search page gets the
  pages' text in a script instead.
"""

from __future__ import annotations

import copy
import filecmp
import html
import json
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import mathjax  # the django-static-mathjax wheel: MathJax 3 as package data
import myst_nb.core.render
from docutils import nodes
from myst_nb.core.utils import coalesce_streams
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from rnnbook_sphinx import bookmap, latex, notebook

MATHJAX_SOURCE = Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"
SEARCH_PAGES = "rnnbook-search-pages.js"  # written into _static at build time


# --- MathJax ---------------------------------------------------------------------------------

def copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    """Put MathJax into the built site, copying only when the copy is missing or differs."""
    if exception is not None or app.builder.format != "html":
        return
    source = MATHJAX_SOURCE / "tex-svg.js"
    target = Path(app.outdir) / "_static" / "mathjax" / "tex-svg.js"
    if not (target.exists() and filecmp.cmp(source, target, shallow=False)):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


# --- notebooks -------------------------------------------------------------------------------

def merge_streams(outputs: list[Any]) -> list[Any]:
    """One output per stream, holding exactly what the cell printed (``nb_merge_streams``).

    The kernel sends printed text in chunks cut wherever its flush timer fires, sometimes
    between a line and its newline. MyST-NB's ``coalesce_streams`` strips each chunk and adds a
    newline after it, so such a cut prints a blank line that another build does not (seen on
    a loaded machine: ``"A"`` + ``"\\nB"`` became ``"A\\n\\nB"``). Here the chunks are joined as
    sent, and MyST-NB's own clean-up (trailing space, ``\\r``, stream order) runs on the whole.
    """
    merged: list[Any] = []
    streams: dict[str, Any] = {}
    for output in outputs:
        if output.get("output_type") == "stream":
            text = output["text"]
            text = "".join(text) if isinstance(text, list) else text
            if output["name"] in streams:
                streams[output["name"]]["text"] += text
                continue
            output = copy.copy(output)
            output["text"] = text
            streams[output["name"]] = output
        merged.append(output)
    return coalesce_streams(merged)


# The page and the downloaded notebook merge streams the same, deterministic way.
myst_nb.core.render.coalesce_streams = merge_streams

# --- API reference ---------------------------------------------------------------------------

def skip_foreign_members(app: Sphinx, what: str, name: str, obj: object, skip: bool,
                         options: object) -> bool | None:
    """Document rnnbook's own code only.

    Skips NamedTuple field aliases (their class's Attributes section describes them) and members
    that matplotlib generates on subclasses (``BookFigure.set``).
    """
    if (getattr(obj, "__doc__", None) or "").startswith("Alias for field number"):
        return True
    if what == "class" and not getattr(obj, "__module__", "rnnbook").startswith("rnnbook"):
        return True
    return None


def fix_viewcode_backlinks(app: Sphinx, pagename: str, templatename: str,
                           context: dict[str, Any], doctree: nodes.document | None) -> None:
    """Point each "[docs]" link of a highlighted-source page at an anchor that exists.

    viewcode builds the anchor from the first module name it saw the source module documented
    under, so after ``rnnbook.plot`` re-exported ``rolled_and_unrolled``, the back link of
    ``rnnbook.plot.diagram.Node`` reads ``#rnnbook.plot.Node``. Such a link is pointed at the
    object as documented under the source module's own name.
    """
    if not pagename.startswith("_modules/") or "body" not in context:
        return
    module = pagename.removeprefix("_modules/").replace("/", ".")
    anchors = {(entry.docname, entry.node_id)
               for entry in app.env.domains.python_domain.objects.values()}
    folder = posixpath.dirname(pagename)

    def fix(match: re.Match[str]) -> str:
        url, anchor = match.group("url"), match.group("anchor")
        docname = posixpath.normpath(posixpath.join(folder, url)).removesuffix(".html")
        if (docname, anchor) in anchors:
            return match.group(0)
        parts = anchor.split(".")
        for i in range(len(parts)):
            candidate = ".".join([module, *parts[i:]])
            if (docname, candidate) in anchors:
                return match.group(0).replace(f"#{anchor}", f"#{candidate}")
        return match.group(0)

    context["body"] = re.sub(r'<a class="viewcode-back" href="(?P<url>[^"#]*)#(?P<anchor>[^"]*)"',
                             fix, context["body"])


# --- doctrees --------------------------------------------------------------------------------

def forget_nested_documents(app: Sphinx, doctree: nodes.document) -> None:
    """Let every node belong to the page's own document before the doctree is pickled.

    Nodes made by a nested parse (autodoc's docstrings, sphinx-autodoc-typehints) keep a link to
    the throwaway document they were parsed into, whose settings hold the whole build
    environment; Sphinx clears that only on the page's own document, so every API page's pickled
    doctree carried a copy of the environment (1.5 MB each, and growing with the book) that each
    rebuild loaded again. Without the link a node finds its document through its parents.
    """
    for node in doctree.findall():
        if node.__dict__.get("_document") not in (None, doctree):
            node._document = None


# --- formulas and punctuation ----------------------------------------------------------------

# Punctuation that belongs to the formula before it: never the first character of a line.
TRAILING_PUNCTUATION = re.compile(r"^[.,;:!?)\]’”]+")


class KeepPunctuationWithMath(SphinxTransform):
    """Wrap an inline formula and the punctuation right after it in ``<span class="nowrap">``.

    Browsers may break a line between MathJax's box and the text after it, which leaves a lone
    "," or "." at the start of the next line; ``white-space: nowrap`` on the pair (rnnbook.css)
    forbids that break and no other.
    """

    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        for math in list(self.document.findall(nodes.math)):
            parent, following = math.parent, math.next_node(descend=False, siblings=True)
            if parent is None or not isinstance(following, nodes.Text):
                continue
            punctuation = TRAILING_PUNCTUATION.match(following.astext())
            if punctuation is None:
                continue
            rest = following.astext()[punctuation.end():]
            wrapper = nodes.inline(classes=["nowrap"])
            index = parent.index(math)
            parent.remove(math)
            parent.remove(following)
            wrapper += [math, nodes.Text(punctuation.group())]
            parent.insert(index, wrapper)
            if rest:
                parent.insert(index + 1, nodes.Text(rest))


# --- search from disk ------------------------------------------------------------------------

_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "wbr", "source"})


class _SearchText(HTMLParser):
    """The text of a page's article, keeping its sections (search excerpts are per section)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.depth = 0  # inside the article
        self.skipping = 0
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "article" and "bd-article" in (attr.get("class") or ""):
            self.depth = 1
            return
        if not self.depth or tag in _VOID:
            return
        self.depth += 1
        skip = tag in {"script", "style"} or "headerlink" in (attr.get("class") or "").split()
        self.skipping += skip
        keep = tag == "section" and attr.get("id")
        self.stack.append("skip" if skip else "section" if keep else "")
        if keep:
            self.out.append(f'<section id="{html.escape(attr["id"] or "")}">')

    def handle_endtag(self, tag: str) -> None:
        if not self.depth or tag in _VOID:
            return
        self.depth -= 1
        if not self.stack:
            return
        kind = self.stack.pop()
        self.skipping -= kind == "skip"
        if kind == "section":
            self.out.append("</section>")

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skipping:
            self.out.append(html.escape(data, quote=False))


def write_search_pages(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """Write ``_static/rnnbook-search-pages.js``: the text of every built page, by page name.

    Runs at "html-collect-pages", after every page is written and before the search page is.
    """
    if app.builder.format != "html":
        return []
    pages = {}
    for docname in sorted(app.env.found_docs):
        page = Path(app.outdir) / f"{docname}.html"
        if page.is_file():
            parser = _SearchText()
            parser.feed(page.read_text(encoding="utf-8"))
            pages[docname] = re.sub(r"\s+", " ", "".join(parser.out))
    script = f"window.RNNBOOK_PAGES = {json.dumps(pages, sort_keys=True)};\n"
    target = Path(app.outdir) / "_static" / SEARCH_PAGES
    if not target.is_file() or target.read_text(encoding="utf-8") != script:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(script, encoding="utf-8")
    return []


def add_search_scripts(app: Sphinx, pagename: str, templatename: str,
                       context: dict[str, Any], doctree: nodes.document | None) -> None:
    """The search page alone loads the pages' text and the shim that serves it on file://."""
    if pagename == "search":
        app.add_js_file(SEARCH_PAGES)
        app.add_js_file("rnnbook-search.js")


def setup(app: Sphinx) -> dict[str, Any]:
    latex.setup(app)
    bookmap.setup(app)
    # A config value that changes with rnnbook's code makes Sphinx re-read every page after such
    # a change (the API reference included), not only the chapters MyST-NB re-executes.
    app.add_config_value("rnnbook_cache_key", "", "env")
    app.add_transform(KeepPunctuationWithMath)
    app.connect("doctree-read", forget_nested_documents)
    app.connect("build-finished", copy_mathjax)
    app.connect("html-page-context", notebook.offer_notebook_download)
    app.connect("html-page-context", fix_viewcode_backlinks)
    app.connect("html-page-context", add_search_scripts)
    app.connect("html-collect-pages", write_search_pages)
    app.connect("autodoc-skip-member", skip_foreign_members)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 3}
