"""The figures as the built book shows them: every one at the column's width and linked to its
full-size PNG, drawn at the book's size, and described in words that name the line styles it draws.

Each PNG records the line styles its figure draws (``rnnbook:line-styles``, written by
:func:`rnnbook.plot.figure.to_png`); a caption or alt text that says "dashed" where the figure
draws no dashed line, or "dotted" where it draws none, fails here.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
from book_build import Build
from PIL import Image

from rnnbook.plot import style

pytestmark = pytest.mark.book

FIGURE = re.compile(r'<figure[^>]*id="(?P<id>[^"]+)"[^>]*>(?P<body>.*?)</figure>', re.S)
STYLE_WORDS = re.compile(r"\b(solid|dashed|dotted|dash-dotted)\b", re.I)


def figures(book: Build) -> list[tuple[Path, str, str]]:
    """(page, figure id, figure HTML) of every figure of the book that shows a PNG."""
    found = []
    for page in sorted(book.html.rglob("*.html")):
        for match in FIGURE.finditer(page.read_text(encoding="utf-8")):
            if "_images/" in match["body"]:
                found.append((page, match["id"], match["body"]))
    return found


def image(page: Path, body: str) -> Path:
    src = re.search(r'<img[^>]*src="([^"]+)"', body)
    assert src is not None
    return (page.parent / src.group(1)).resolve()


def png(path: Path) -> tuple[int, dict[str, str]]:
    """The width in pixels of a PNG and its text metadata."""
    with Image.open(path) as im:
        return im.size[0], dict(im.info)


def words(body: str) -> str:
    """The alt text and the caption of a figure, as plain text."""
    alt = re.search(r'<img[^>]*alt="([^"]*)"', body)
    caption = re.search(r"<figcaption>(.*?)</figcaption>", body, re.S)
    text = (alt.group(1) if alt else "") + " " + (caption.group(1) if caption else "")
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", text))


def test_the_book_has_its_figures(built_book: Build) -> None:
    assert len(figures(built_book)) >= 18


def test_every_figure_is_shown_at_the_column_width_and_links_to_its_png(built_book: Build) -> None:
    bad = []
    for page, fig_id, body in figures(built_book):
        img = re.search(r"<img[^>]*>", body)
        link = re.search(r'<a class="reference internal image-reference" href="([^"]+\.png)"', body)
        if img is None or "width: 100%" not in img.group(0) or link is None:
            bad.append(f"{page.name}#{fig_id}")
        elif (page.parent / link.group(1)).resolve() != image(page, body):
            bad.append(f"{page.name}#{fig_id}: links to another image")
    assert not bad, "not at the column width or not linked to the full PNG:\n" + "\n".join(bad)


def test_every_figure_is_drawn_at_the_book_size(built_book: Build) -> None:
    widths = {fig_id: png(image(page, body))[0] for page, fig_id, body in figures(built_book)}
    assert set(widths.values()) == {round(style.WIDTH * style.DPI)}, widths


REFERENCES = {"bound", "bounds", "threshold", "chance", "tolerance"}


def styles_said_of_references(text: str) -> set[str]:
    """The line styles a text names within four words of a reference line's name."""
    tokens = re.findall(r"[\w-]+", text.lower())
    return {t for i, t in enumerate(tokens) if STYLE_WORDS.fullmatch(t)
            and REFERENCES & set(tokens[max(i - 4, 0):i + 5])}


def test_reference_lines_are_called_by_the_style_they_are_drawn_in(built_book: Build) -> None:
    # "the dashed threshold" where the threshold is dotted fails, even if a data line is dashed.
    bad = []
    for page, fig_id, body in figures(built_book):
        drawn = set(png(image(page, body))[1]["rnnbook:reference-styles"].split())
        said = styles_said_of_references(words(body))
        if not said <= drawn:
            bad.append(f"{page.name}#{fig_id}: calls a reference line {sorted(said - drawn)}, "
                       f"draws it {sorted(drawn)}")
    assert not bad, "\n".join(bad)


def test_the_reference_check_reads_a_caption_as_meant() -> None:
    assert styles_said_of_references("Thin dashed lines: the bound, here rho^k.") == {"dashed"}
    assert styles_said_of_references("with the threshold c = 1 dotted.") == {"dotted"}
    assert styles_said_of_references("solid arrows compute the forward pass") == set()


def test_captions_and_alt_texts_name_only_line_styles_the_figure_draws(built_book: Build) -> None:
    bad = []
    for page, fig_id, body in figures(built_book):
        drawn = set(png(image(page, body))[1]["rnnbook:line-styles"].split())
        said = {w.lower() for w in STYLE_WORDS.findall(words(body))}
        if not said <= drawn:
            bad.append(f"{page.name}#{fig_id}: says {sorted(said - drawn)}, draws {sorted(drawn)}")
    assert not bad, "\n".join(bad)
