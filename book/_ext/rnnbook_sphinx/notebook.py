"""Each executed chapter as a Jupyter notebook that reads in plain Jupyter as the page does.

The theme's download button offers the notebook (``.ipynb``). MyST-NB writes each page's
notebook without the outputs it took from its execution cache, and with the page's MyST markup,
which plain Jupyter shows as raw text. :func:`offer_notebook_download` rebuilds the notebook from
the page's source and the cache, outputs included, and :func:`readable` rewrites it:

- Markdown: each exercise becomes a heading "Exercise 5.1 (★★ title)" over its text, each
  solution a heading "Solution to Exercise 5.1" over its text and cells; a glued figure
  (``{glue:figure}``) becomes the image, attached to the Markdown cell, with its alt text and
  "Fig. 5.2" and its caption; ``{glue:text}``, ``{glue:md}`` become the glued value, formatted as
  on the page; ``{eq}`` becomes the equation's number "(5.3)", and a labelled display
  ``$$ ... $$ (label)`` carries that number as ``\\tag{5.3}``; ``{numref}``, ``{ref}``,
  ``{term}``, ``{cite:t}``/``{cite:p}`` and the ``{py:...}`` roles become their text as the page
  shows it ("Fig. 5.2", the section's title, "Pascanu et al. [2013]", ``rnnbook.rnn.step()``),
  ``{math}`` becomes ``$...$``; a ``{literalinclude}`` becomes the code it shows; an admonition a
  quotation; a link to another chapter points to its notebook; label lines ``(label)=`` go. A
  notebook that cites works ends with their references.
- Code: the cells that glue values for the page lose their ``glue(...)`` calls and the
  ``myst_nb`` import (a reader needs only rnnbook). A hidden cell (``remove-cell``) stays, folded
  (``jupyter.source_hidden``), only if a later cell uses a name it defines or it sets up the
  kernel (calls :mod:`rnnbook.notebook`, as chapter 13's check for PyTorch does); the others go.

Directives and roles it does not know are left as they are: the book's tests fail on any MyST
markup left in a downloaded notebook, so a new one is noticed.
"""

from __future__ import annotations

import ast
import copy
import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from docutils import nodes
from jupyter_cache import get_cache
from myst_nb.core.read import read_myst_markdown_notebook
from myst_nb.core.variables import format_plain_text
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralIncludeReader

GLUE_PREFIX = "application/papermill.record/"
HIDDEN = "remove-cell"
ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger",
               "error", "seealso", "admonition", "margin", "sidebar", "topic", "dropdown"}
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})\s*(?P<info>.*)$")
DIRECTIVE = re.compile(r"^\{(?P<name>[\w:-]+)\}\s*(?P<argument>.*)$")
# A role, or a code span (whose text stays as it is, roles quoted in it included).
ROLE_OR_CODE = re.compile(r"\{(?P<role>[a-z]+(?::[a-z]+)?)\}`(?P<content>[^`]*)`"
                          r"|(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`)", re.S)
CODE_BLOCK = re.compile(r"^(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=fence)[`~]*[ \t]*$",
                        re.M | re.S)
LABEL_LINE = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$", re.M)
DISPLAY = re.compile(r"^\$\$[ \t]*\n(?P<body>.*?)\n\$\$(?:[ \t]*\((?P<label>[^()\s]+)\))?[ \t]*$",
                     re.M | re.S)
MD_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<target>[^)\s#]+\.md)(?P<anchor>#[^)\s]*)?\)")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


# --- what the conversion needs to know about the whole book --------------------------------

@dataclass
class Book:
    """Numbers, titles and references of the whole book, as the HTML pages show them."""

    docname: str
    equations: dict[str, str] = field(default_factory=dict)    # label -> "5.3"
    numbered: dict[str, str] = field(default_factory=dict)     # label -> "Fig. 5.2"
    titles: dict[str, str] = field(default_factory=dict)       # label -> section title
    notebooks: set[str] = field(default_factory=set)           # docnames offered as .ipynb
    citations: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    literal: Callable[[str, dict[str, Any]], str] = lambda path, options: ""
    cited: list[str] = field(default_factory=list)


def _number(numbers: tuple[int, ...] | None) -> str:
    return ".".join(map(str, numbers or ()))


def book_context(app: Sphinx, docname: str) -> Book:
    """The numbers and texts of labels, equations and citations, from the build environment."""
    env = app.env
    book = Book(docname)
    for label, (doc, _) in env.domaindata["math"]["objects"].items():
        numbers = env.toc_fignumbers.get(doc, {}).get("displaymath", {}).get(f"equation-{label}")
        book.equations[label] = _number(numbers)
    formats = app.config.numfig_format
    for label, (doc, node_id, title) in env.domaindata["std"]["labels"].items():
        book.titles[label] = title
        for figtype, ids in env.toc_fignumbers.get(doc, {}).items():
            if node_id in ids:
                book.numbered[label] = formats.get(figtype, "%s") % _number(ids[node_id])
        section = env.toc_secnumbers.get(doc, {}).get(f"#{node_id}")
        if section and label not in book.numbered:
            book.numbered[label] = formats.get("section", "Section %s") % _number(section)
    book.notebooks = {doc for doc in env.found_docs
                      if "kernelspec" in env.metadata.get(doc, {})}
    book.citations = _citations(app)
    source_dir = Path(env.doc2path(docname)).parent

    def literal(path: str, options: dict[str, Any]) -> str:
        text, _ = LiteralIncludeReader(str((source_dir / path).resolve()), options,
                                       app.config).read()
        return text

    book.literal = literal
    return book


def _citations(app: Sphinx) -> dict[str, tuple[str, str, str]]:
    """key -> (authors as the page names them, year, the reference in Markdown)."""
    from pybtex.database import parse_file
    from pybtex.style.formatting.plain import Style

    found: dict[str, tuple[str, str, str]] = {}
    for bibfile in app.config.bibtex_bibfiles:
        entries = parse_file(str(Path(app.confdir) / bibfile)).entries
        formatted = {e.key: e.text.render_as("markdown")
                     for e in Style().format_entries(entries.values())}
        for key, entry in entries.items():
            people = [re.sub(r"[{}]", "", " ".join(p.last_names))
                      for p in entry.persons.get("author", [])]
            authors = (people[0] if len(people) == 1 else " and ".join(people) if
                       len(people) == 2 else f"{people[0]} et al.") if people else key
            found[key] = (authors, entry.fields.get("year", ""),
                          formatted[key].replace("\n", " "))
    return found


# --- Markdown --------------------------------------------------------------------------------

def _split_explicit(content: str) -> tuple[str | None, str]:
    """``text <target>`` -> (text, target); ``target`` -> (None, target)."""
    found = EXPLICIT.match(content.strip())
    if found and found.group("text"):
        return " ".join(found.group("text").split()), found.group("target").strip()
    return None, " ".join(content.split())


def convert_role(role: str, content: str, book: Book, glued: dict[str, dict[str, Any]]) -> str:
    """The text a role shows on the page, in Markdown; the role itself if it is unknown."""
    text, target = _split_explicit(content)
    if role == "math":
        return f"${content}$"
    if role == "eq":
        return f"({book.equations.get(target, target)})"
    if role == "term":
        return text or target
    if role == "numref":
        number = book.numbered.get(target, "")
        if text:
            found = re.search(r"\d+(?:\.\d+)*$", number)
            return text.replace("%s", found.group(0) if found else number) \
                       .replace("{number}", found.group(0) if found else number)
        return number or target
    if role == "ref":
        return text or book.titles.get(target, target)
    if role == "doc":
        return text or target
    if role in ("cite:t", "cite:p", "cite"):
        keys = [k.strip() for k in target.split(",") if k.strip()]
        book.cited += [k for k in keys if k not in book.cited]
        parts = [book.citations.get(k, (k, "", ""))[:2] for k in keys]
        if role == "cite:t":
            return ", ".join(f"{authors} [{year}]" for authors, year in parts)
        return "[" + "; ".join(f"{authors}, {year}" for authors, year in parts) + "]"
    if role.startswith("py:"):
        name = text or target.lstrip("~")
        if target.startswith("~") and not text:
            name = name.rsplit(".", 1)[-1]
        return f"`{name}()`" if role in ("py:func", "py:meth") and not text else f"`{name}`"
    if role.startswith("glue"):
        key, _, fmt = target.partition(":")
        data = glued.get(key, {})
        if role == "glue:md" and "text/markdown" in data:
            return str(data["text/markdown"]).strip()
        if "text/plain" in data:
            return format_plain_text(str(data["text/plain"]), fmt)
    return f"{{{role}}}`{content}`"


def _directives(text: str) -> list[tuple[int, int, str, str, dict[str, str], str]]:
    """(first line, last line, name, argument, options, body) of each top-level directive."""
    lines = text.split("\n")
    found = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence = opening.group("fence")
        end = i + 1
        while end < len(lines) and not re.fullmatch(
                rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*", lines[end]):
            end += 1
        directive = DIRECTIVE.match(opening.group("info"))
        if directive:
            body = lines[i + 1:end]
            options: dict[str, str] = {}
            if body and body[0].strip() == "---":             # YAML options block
                close = body.index("---", 1) if "---" in body[1:] else 0
                for line in body[1:close]:
                    key, _, value = line.partition(":")
                    options[key.strip()] = value.strip()
                body = body[close + 1:]
            while body and re.match(r"^:[\w-]+:", body[0]):
                key, _, value = body.pop(0)[1:].partition(":")
                options[key] = value.strip()
            found.append((i, min(end, len(lines) - 1), directive.group("name"),
                          directive.group("argument").strip(), options,
                          "\n".join(body).strip("\n")))
        i = end + 1
    return found


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.split("\n"))


def convert_directive(name: str, argument: str, options: dict[str, str], body: str,
                      book: Book, glued: dict[str, dict[str, Any]],
                      attachments: dict[str, dict[str, str]]) -> str | None:
    """The Markdown for one directive, or None to leave it as it is."""
    def inner(text: str) -> str:
        return convert_markdown(text, book, glued, attachments)

    if name == "exercise":
        number = book.numbered.get(options.get("label", ""), "Exercise")
        title = f"{number} ({argument})" if argument else number
        return f"### {title}\n\n{inner(body)}"
    if name in ("solution", "solution-start"):
        number = book.numbered.get(argument, "the exercise")
        return f"#### Solution to {number}\n\n{inner(body)}".rstrip()
    if name == "solution-end":
        return ""
    if name == "glue:figure":
        data = glued.get(argument, {})
        if "image/png" not in data:
            return None
        image = f"{argument}.png"
        attachments[image] = {"image/png": str(data["image/png"]).replace("\n", "")}
        alt = options.get("alt", "")
        shown = re.search(r'<img[^>]*\balt="([^"]*)"', str(data.get("text/html", "")))
        if not alt and shown:                    # an explorable figure: its first frame's alt
            alt = html.unescape(shown.group(1))
        alt = " ".join(alt.split()).replace("[", "(").replace("]", ")")
        label = options.get("name", "")
        caption = inner(body)
        number = book.numbered.get(label, "")
        return f"![{alt}](attachment:{image})\n\n*{number}* {caption}".rstrip()
    if name == "literalinclude":
        include: dict[str, Any] = {k: (int(v) if k in ("dedent", "lineno-start") else v)
                                   for k, v in options.items()}
        language = include.pop("language", "python")
        code = book.literal(argument, include).rstrip("\n")
        return f"```{language}\n{code}\n```"
    if name in ("code-block", "code", "sourcecode"):
        return f"```{argument}\n{body}\n```"
    if name == "math":
        tag = f" \\tag{{{book.equations[options['label']]}}}" if options.get("label") in \
            book.equations else ""
        return f"$$\n{body}{tag}\n$$"
    if name in ADMONITIONS:
        title = argument or name.capitalize()
        return _quote(f"**{title}**\n\n{inner(body)}")
    return None


def _outside_code_blocks(text: str) -> list[tuple[bool, str]]:
    """The text cut into (is a fenced code block, piece)."""
    pieces, at = [], 0
    for block in CODE_BLOCK.finditer(text):
        pieces += [(False, text[at:block.start()]), (True, block.group(0))]
        at = block.end()
    return [*pieces, (False, text[at:])]


def _convert_prose(text: str, book: Book, glued: dict[str, dict[str, Any]]) -> str:
    """Labels, displays, roles and links of Markdown outside code blocks."""
    text = LABEL_LINE.sub("", text)

    def display(match: re.Match[str]) -> str:
        label = match.group("label")
        tag = f" \\tag{{{book.equations[label]}}}" if label in book.equations else ""
        return f"$$\n{match.group('body')}{tag}\n$$"

    def role(match: re.Match[str]) -> str:
        if match.group("role") is None:
            return match.group(0)
        return convert_role(match.group("role"), match.group("content"), book, glued)

    def link(match: re.Match[str]) -> str:
        here = posixpath.dirname(book.docname)
        target = posixpath.normpath(posixpath.join(here, match.group("target")))[:-3]
        if target in book.notebooks:
            relative = posixpath.relpath(target, here) + ".ipynb"
            return f"[{match.group('text')}]({relative}{match.group('anchor') or ''})"
        return match.group("text")

    text = DISPLAY.sub(display, text)
    text = ROLE_OR_CODE.sub(role, text)
    return MD_LINK.sub(link, text)


def convert_markdown(text: str, book: Book, glued: dict[str, dict[str, Any]],
                     attachments: dict[str, dict[str, str]]) -> str:
    """A Markdown cell of the page's source, as plain Jupyter Markdown."""
    lines = text.split("\n")
    for first, last, name, argument, options, body in reversed(_directives(text)):
        markdown = convert_directive(name, argument, options, body, book, glued, attachments)
        if markdown is not None:
            lines[first:last + 1] = markdown.split("\n")
    text = "\n".join(lines)
    # Code blocks (a literalinclude's, an exercise's example) stay as they are.
    text = "".join(piece if is_code else _convert_prose(piece, book, glued)
                   for is_code, piece in _outside_code_blocks(text))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# --- code --------------------------------------------------------------------------------------

def _is_glue(node: ast.AST) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name) and node.value.func.id == "glue")


def without_glue(source: str) -> str:
    """A cell's code without its ``glue(...)`` statements and its ``myst_nb`` import."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.split("\n")
    edits: list[tuple[int, int, str | None]] = []
    for parent in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            body = getattr(parent, name, None)
            if not isinstance(body, list):
                continue
            doomed = [s for s in body if _is_glue(s) or (
                isinstance(s, ast.ImportFrom) and s.module == "myst_nb")]
            for i, statement in enumerate(doomed):
                keep_one = len(doomed) == len(body) and i == 0 and not isinstance(parent,
                                                                                    ast.Module)
                indent = " " * statement.col_offset
                edits.append((statement.lineno, statement.end_lineno or statement.lineno,
                              indent + "pass" if keep_one else None))
    for first, last, replacement in sorted(edits, reverse=True):
        lines[first - 1:last] = [] if replacement is None else [replacement]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _stored(node: ast.AST) -> set[str]:
    """Names a statement binds in its own scope (not inside functions or comprehensions)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Name) and isinstance(item.ctx, ast.Store | ast.Del):
            found.add(item.id)
        elif isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(item.name)
            continue
        elif isinstance(item, ast.Import | ast.ImportFrom):
            found |= {(a.asname or a.name).split(".")[0] for a in item.names}
        elif isinstance(item, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp
                        | ast.GeneratorExp):
            continue
        stack.extend(ast.iter_child_nodes(item))
    return found


def _loaded(node: ast.AST) -> set[str]:
    """Names a piece of code reads from outside itself: its free names."""
    free: set[str] = set()
    for item in ast.walk(node):
        if isinstance(item, ast.Name) and isinstance(item.ctx, ast.Load):
            free.add(item.id)
        elif isinstance(item, ast.AugAssign | ast.Assign | ast.AnnAssign):
            targets = item.targets if isinstance(item, ast.Assign) else [item.target]
            for target in targets:                  # x += 1, x[i] = v, x.a = v: x must exist
                root = target
                while isinstance(root, ast.Subscript | ast.Attribute):
                    root = root.value
                if isinstance(root, ast.Name) and (root is not target or
                                                   isinstance(item, ast.AugAssign)):
                    free.add(root.id)
    local: set[str] = set()
    for item in ast.walk(node):
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            args = item.args
            local |= {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs,
                                      args.vararg, args.kwarg] if a is not None}
            if not isinstance(item, ast.Lambda):
                for statement in item.body:
                    local |= _stored(statement)
        elif isinstance(item, ast.comprehension | ast.For | ast.AsyncFor):  # loop variables
            local |= {n.id for n in ast.walk(item.target) if isinstance(n, ast.Name)}
    return free - local


def names(source: str) -> tuple[set[str], set[str]]:
    """(names a cell binds or changes, names it reads before binding them)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    bound: set[str] = set()
    reads: set[str] = set()
    for statement in tree.body:
        loaded = _loaded(statement)
        reads |= loaded - bound
        changed = {n for n in loaded if n in _mutated(statement)}
        bound |= _stored(statement) | changed
    return bound, reads


def _mutated(node: ast.AST) -> set[str]:
    """Names whose object a statement changes in place (``x[i] = v``, ``x.a = v``, ``x += 1``)."""
    found: set[str] = set()
    for item in ast.walk(node):
        if isinstance(item, ast.Subscript | ast.Attribute) and isinstance(item.ctx, ast.Store):
            root = item.value
            while isinstance(root, ast.Subscript | ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name):
                found.add(root.id)
        elif isinstance(item, ast.AugAssign) and isinstance(item.target, ast.Name):
            found.add(item.target.id)
    return found


def sets_up_kernel(source: str) -> bool:
    """Whether a cell calls :mod:`rnnbook.notebook`, which sets up how the kernel runs the later
    cells (``notebook.optional("torch", ...)`` skips, with a note, the cells that need a missing
    library): such a hidden cell stays, whatever names it defines."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    aliases = {"rnnbook.notebook"}
    for item in ast.walk(tree):
        if isinstance(item, ast.ImportFrom) and item.module == "rnnbook":
            aliases |= {a.asname or a.name for a in item.names if a.name == "notebook"}
        elif isinstance(item, ast.Import):
            aliases |= {a.asname for a in item.names if a.name == "rnnbook.notebook" and a.asname}
    return any(isinstance(item, ast.Call) and ast.unparse(item.func).rpartition(".")[0] in aliases
               for item in ast.walk(tree))


def prune_code(cells: list[Any]) -> list[Any]:
    """Drop the glue calls, and the hidden cells no later cell needs."""
    kept: list[Any] = []
    needed: set[str] = set()
    for cell in reversed(cells):
        if cell.cell_type != "code":
            kept.append(cell)
            continue
        cell.source = without_glue(cell.source)
        cell.outputs = [o for o in cell.get("outputs", [])
                        if "scrapbook" not in o.get("metadata", {})]
        defined, used = names(cell.source)
        tags = cell.metadata.get("tags", [])
        if HIDDEN in tags:
            if not cell.source.strip() or not (defined & needed or sets_up_kernel(cell.source)):
                continue
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            cell.outputs = []
        elif not cell.source.strip():
            continue
        needed |= used
        kept.append(cell)
    return kept[::-1]


# --- the notebook ------------------------------------------------------------------------------

def glued_values(notebook: Any) -> dict[str, dict[str, Any]]:
    """name -> mime bundle of everything the notebook glued."""
    found: dict[str, dict[str, Any]] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if scrap:
                found[scrap["name"]] = {mime.removeprefix(GLUE_PREFIX): data
                                        for mime, data in output.get("data", {}).items()}
    return found


def readable(notebook: Any, book: Book) -> Any:
    """The notebook with plain Jupyter Markdown and only the code a reader needs."""
    notebook = copy.deepcopy(notebook)
    glued = glued_values(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            attachments: dict[str, dict[str, str]] = {}
            cell.source = convert_markdown(cell.source, book, glued, attachments)
            if attachments:
                cell["attachments"] = attachments
    notebook.cells = [c for c in prune_code(notebook.cells)
                      if c.cell_type != "markdown" or c.source.strip()]
    if book.cited:
        references = "\n".join(f"- {book.citations[k][2]}" for k in
                               sorted(book.cited, key=lambda k: book.citations.get(
                                   k, (k, "", ""))[:2]) if k in book.citations)
        notebook.cells.append(nbformat.v4.new_markdown_cell(f"## References\n\n{references}"))
    notebook.metadata.pop("jupytext", None)
    for i, cell in enumerate(notebook.cells):  # the same ids in every build
        cell.id = f"cell-{i}"
    return notebook


def offer_notebook_download(app: Sphinx, pagename: str, templatename: str,
                            context: dict[str, Any], doctree: nodes.document | None) -> None:
    """Let the theme's download button offer each executed chapter as a readable notebook.

    The notebook is rebuilt from the page's source and the execution cache, outputs included,
    made :func:`readable`, and put next to the page's sources, where sphinx-book-theme's
    download menu lists it as ".ipynb" (this runs before the theme builds the menu, at
    priority 501).
    """
    from rnnbook_sphinx import merge_streams

    source = Path(app.env.doc2path(pagename))
    metadata = app.env.metadata.get(pagename, {})
    if source.suffix != ".md" or "kernelspec" not in metadata:
        return
    notebook = read_myst_markdown_notebook(source.read_text(encoding="utf-8"))
    try:
        _, notebook = get_cache(app.config.nb_execution_cache_path).merge_match_into_notebook(
            notebook)
    except KeyError:  # not executed (execution turned off): offer the notebook without outputs
        pass
    if app.config.nb_merge_streams:
        # As on the page: one output per stream, so that how the kernel happened to split
        # printed text into messages does not change the notebook from one build to the next.
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs = merge_streams(cell.outputs)
    notebook = readable(notebook, book_context(app, pagename))
    nbformat.validate(notebook)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(notebook) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"

