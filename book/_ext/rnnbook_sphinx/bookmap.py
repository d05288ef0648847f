"""The book's map on the landing page (``{book-map}``), generated from the chapters' sources and
the checkers of :mod:`rnnbook.exercises`, so that it cannot drift from them.

One row per chapter (``book/part*/NN-*.md``): its number and title; the earlier chapters its
"What you need" paragraph names (as a link, or in words: "chapter 4", "chapters 6 and 7"); its
exercises by difficulty (the stars that open each exercise's title); and the exercises that
check themselves, each linked and followed by the name of its checker in ``rnnbook.exercises``.
A chapter that names a checker rnnbook does not have fails the build (a warning, and the book
builds with warnings as errors). The landing page is read again whenever a chapter changes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

EXERCISE = re.compile(r"^`{3,}\{exercise\}\s*(?P<title>.*)\n(?P<options>(?::[\w-]+:.*\n)*)", re.M)
CHECK = re.compile(r"""exercises\.check\(\s*["'](?P<name>\w+)["']""")
NEEDS = re.compile(r"^\*\*What you need\.\*\*(?P<text>.*?)(?:\n\s*\n|\Z)", re.M | re.S)
CHAPTER_LINK = re.compile(r"\]\((?:\.\./part\d+/)?(?P<number>\d\d)-[\w-]+\.md(?:#[^)]*)?\)")
CHAPTER_WORD = re.compile(r"\b[Cc]hapters? (?P<numbers>\d+(?:(?:,? and |, | to |–)\d+)*)\b")


@dataclass(frozen=True)
class Exercise:
    label: str
    stars: int
    checkers: tuple[str, ...]


@dataclass(frozen=True)
class Chapter:
    number: int
    docname: str
    needs: tuple[int, ...]
    exercises: tuple[Exercise, ...]


def mentioned_chapters(text: str) -> set[int]:
    """The chapters a paragraph names: linked, or in words ("chapter 4", "chapters 6 and 7",
    "chapters 2 to 4").

    >>> sorted(mentioned_chapters("chapters 6 and 7, chapter 10 and [5](05-vanishing.md)"))
    [5, 6, 7, 10]
    >>> sorted(mentioned_chapters("Chapters 2 to 4"))
    [2, 3, 4]
    """
    found = {int(m["number"]) for m in CHAPTER_LINK.finditer(text)}
    for match in CHAPTER_WORD.finditer(text):
        numbers = match["numbers"]
        for first, last in re.findall(r"(\d+)(?: to |–)(\d+)", numbers):
            found |= set(range(int(first), int(last) + 1))
        found |= {int(n) for n in re.findall(r"\d+", numbers)}
    return found


def chapters(srcdir: Path) -> list[Chapter]:
    """Every chapter of the book, in order, as its source says."""
    found = []
    for path in sorted((srcdir / "book").glob("part*/[0-9][0-9]-*.md")):
        text = path.read_text(encoding="utf-8")
        number = int(path.name[:2])
        need = NEEDS.search(text)
        mentioned = mentioned_chapters(need["text"]) if need else set()
        starts = list(EXERCISE.finditer(text))
        exercises = []
        for i, start in enumerate(starts):
            label = re.search(r"^:label:\s*(\S+)", start["options"], re.M)
            # An exercise's checkers: named in its text or its solution, before the next one.
            end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
            checkers = tuple(dict.fromkeys(m["name"] for m in
                                           CHECK.finditer(text[start.start():end])))
            exercises.append(Exercise(label.group(1) if label else "",
                                      start["title"].count("★"), checkers))
        docname = path.relative_to(srcdir).with_suffix("").as_posix()
        found.append(Chapter(number, docname, tuple(sorted(n for n in mentioned if n < number)),
                             tuple(exercises)))
    return found


def _doc_link(docname: str, text: str | None = None) -> addnodes.pending_xref:
    ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/{docname}",
                                refexplicit=text is not None, refwarn=True)
    ref += nodes.inline("", text or "", classes=["xref", "std", "std-doc"])
    return ref


def _numref(label: str) -> addnodes.pending_xref:
    ref = addnodes.pending_xref("", refdomain="std", reftype="numref", reftarget=label,
                                refexplicit=False, refwarn=True)
    ref += nodes.inline("", label, classes=["xref", "std", "std-numref"])
    return ref


def _cell(*children: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    entry += nodes.paragraph("", "", *children)
    return entry


class BookMap(SphinxDirective):
    """``{book-map}``: the table of chapters, what each needs, and which exercises check
    themselves."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from rnnbook import exercises as registry

        srcdir = Path(self.env.srcdir)
        known = set(registry.available())
        table = nodes.table(classes=["rnnbook-book-map"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (34, 12, 18, 36):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        row = nodes.row()
        for title in ("Chapter", "Needs", "Exercises", "Checked by rnnbook.exercises"):
            row += _cell(nodes.Text(title))
        head += row
        body = nodes.tbody()
        group += body
        numbers = {c.number: c.docname for c in chapters(srcdir)}
        for chapter in chapters(srcdir):
            self.env.note_dependency(str(srcdir / f"{chapter.docname}.md"))
            row = nodes.row()
            row += _cell(nodes.Text(f"{chapter.number} "), _doc_link(chapter.docname))
            needs: list[nodes.Node] = []
            for n in chapter.needs:
                needs += [nodes.Text(", ")] if needs else []
                needs.append(_doc_link(numbers[n], str(n)) if n in numbers else nodes.Text(str(n)))
            row += _cell(*(needs or [nodes.Text("—")]))
            stars = Counter(e.stars for e in chapter.exercises)
            row += _cell(nodes.Text(", ".join(f"{stars[s]} {'★' * s}" for s in sorted(stars))
                                    or "—"))
            checked: list[nodes.Node] = []
            for exercise in chapter.exercises:
                for name in exercise.checkers:
                    if name not in known:
                        logger.warning(f"{chapter.docname} checks an exercise with "
                                       f"exercises.check({name!r}), which rnnbook.exercises "
                                       f"does not have (it has {sorted(known)})",
                                       location=(self.env.docname, self.lineno))
                if exercise.checkers and exercise.label:
                    checked += [nodes.Text("; ")] if checked else []
                    checked += [_numref(exercise.label), nodes.Text(" ")]
                    for i, name in enumerate(exercise.checkers):
                        checked += [nodes.Text(", ")] if i else []
                        checked.append(nodes.literal("", name))
            row += _cell(*(checked or [nodes.Text("—")]))
            body += row
        return [table]


def setup(app: object) -> None:
    app.add_directive("book-map", BookMap)  # type: ignore[attr-defined]
