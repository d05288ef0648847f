"""The built book as a reader sees it: every page opened in headless Chromium, fully offline.

For every page: no request leaves the build folder (no CDN, web font or analytics), nothing fails
to load, the console stays free of errors, every formula is typeset by the local MathJax without
a MathJax error, and every image has loaded. The layout holds at a desktop's 1280 px and a phone's
390 px (nothing scrolls sideways that a reader needs, no lone punctuation after a formula). Then:
the search page finds a chapter by a word in it, also when the book is opened from disk, and the
dark theme keeps figures legible. A screenshot of each chapter is kept in
``_build/screenshots/`` for a person to look at.

Needs Playwright's Python package and Debian's Chromium (``/usr/bin/chromium``); the tests skip
without them, and fail instead under ``RNNBOOK_REQUIRE_BROWSER=1`` (set by CI).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from book_build import ROOT, Build, source_pages

pytestmark = [pytest.mark.book, pytest.mark.browser]

SCREENSHOTS = ROOT / "_build" / "screenshots"
PAGES = source_pages()
CHAPTERS = [p for p in PAGES if "/part" in p]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site(built_book: Build) -> Iterator[str]:
    """Serve the built book on localhost; yields its base URL."""
    if built_book.returncode != 0:
        pytest.fail("the book did not build; see test_the_book_builds_with_warnings_as_errors")
    handler = functools.partial(_QuietHandler, directory=str(built_book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    thread.join()
    server.server_close()


@dataclass
class Visit:
    """One page opened in the browser, and everything it tried to do."""

    page: Any
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def open_page(browser: Any, site: str, path: str, *, color_scheme: str = "light",
              lands_on: str | None = None, viewport: dict[str, int] = DESKTOP) -> Visit:
    """Open ``path`` and wait until its math is typeset and the network is quiet.

    ``lands_on`` is the URL pattern of the page a redirecting ``path`` ends on: the waits must
    run there, not in the redirecting page's context, which the navigation destroys. ``site``
    may be a ``file://`` URL: the book opened from disk.
    """
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
    page = context.new_page()
    visit = Visit(page)

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(site) or url.startswith(("data:", "blob:", "about:")):
            r.continue_()
        else:
            visit.outside.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("requestfailed", lambda req: visit.failed.append(f"{req.url} ({req.failure})"))
    page.on("response", lambda res: res.status >= 400 and visit.failed.append(
        f"{res.url} (HTTP {res.status})"))
    page.on("console", lambda msg: msg.type == "error" and visit.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: visit.console_errors.append(str(exc)))
    page.goto(site + path, wait_until="load")
    if lands_on is not None:
        page.wait_for_url(lands_on, wait_until="load")
    # Sphinx defines window.MathJax (the configuration) before MathJax itself loads and adds
    # window.MathJax.startup: wait for the startup promise, then for it to resolve.
    page.wait_for_function(
        "() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise)")
    page.evaluate("() => window.MathJax && window.MathJax.startup.promise")
    page.wait_for_load_state("networkidle")
    return visit


MATH_STATE = """() => {
  const nodes = [...document.querySelectorAll('.math, span.math, div.math')];
  return {
    math: nodes.length,
    typeset: nodes.filter(n => n.querySelector('mjx-container')).length,
    errors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
  };
}"""

IMAGE_STATE = """() => [...document.images].map(img => ({
  src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0, alt: img.alt,
}))"""


@pytest.mark.parametrize("path", PAGES)
def test_page_reads_offline_with_math_and_images(browser: Any, site: str, path: str) -> None:
    visit = open_page(browser, site, path)
    try:
        assert visit.outside == [], f"requests outside the build: {visit.outside}"
        assert visit.failed == [], f"failed requests: {visit.failed}"
        assert visit.console_errors == [], f"console errors: {visit.console_errors}"
        math = visit.page.evaluate(MATH_STATE)
        assert math["typeset"] == math["math"], f"formulas left untypeset: {math}"
        assert math["errors"] == 0, f"MathJax reported errors: {math}"
        images = visit.page.evaluate(IMAGE_STATE)
        assert all(img["loaded"] for img in images), [i for i in images if not i["loaded"]]
        if path in CHAPTERS:
            assert math["math"] > 0, "a chapter without a single formula?"
            assert any("_images/" in (img["src"] or "") for img in images), "no figure"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            visit.page.screenshot(path=str(SCREENSHOTS / (Path(path).stem + ".png")),
                                  full_page=True)
    finally:
        visit.page.context.close()


# What sticks out of the text column, as a reader would see it. The column is the article's
# content box; a code block or a displayed formula "scrolls sideways" when its content is wider
# than its box, an inline formula "runs past the column" when its box ends outside the column
# (cut off, or inside a table that scrolls). Each offender is named by its first words.
LAYOUT = """() => {
  const article = document.querySelector('article.bd-article') || document.body;
  const style = getComputedStyle(article), box = article.getBoundingClientRect();
  const left = box.left + parseFloat(style.paddingLeft) - 1;
  const right = box.right - parseFloat(style.paddingRight) + 1;
  const words = e => e.textContent.replace(/\\s+/g, ' ').trim().slice(0, 70);
  const found = {code: [], display: [], inline: [], page: [], punctuation: []};
  for (const e of article.querySelectorAll('pre'))
    if (e.scrollWidth > e.clientWidth + 1) found.code.push(words(e));
  for (const e of article.querySelectorAll('mjx-container')) {
    const r = e.getBoundingClientRect();
    if (e.getAttribute('display') === 'true') {
      const holder = e.closest('div.math') || e;
      if (e.scrollWidth > e.clientWidth + 1 || holder.scrollWidth > holder.clientWidth + 1 ||
          r.right > right || r.left < left)
        found.display.push(words(holder));
    } else if (r.right > right || r.left < left) {
      found.inline.push(words(e.closest('p, li, dd, td, th, div') || e));
    }
  }
  for (const m of article.querySelectorAll('span.math')) {
    const t = m.nextSibling;
    if (!t || t.nodeType !== Node.TEXT_NODE || !/^[.,;:!?)]/.test(t.data)) continue;
    const range = document.createRange();
    range.setStart(t, 0);
    range.setEnd(t, 1);
    const p = range.getBoundingClientRect(), b = m.getBoundingClientRect();
    if (p.top >= b.bottom - 2 || p.left < b.left)
      found.punctuation.push(`"${t.data[0]}" after ${words(m)} in ${words(m.parentElement)}`);
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    found.page.push(`${document.documentElement.scrollWidth} px wide at ${window.innerWidth} px`);
  return found;
}"""


def _layout_problems(found: dict[str, list[str]], checks: dict[str, str]) -> list[str]:
    return [f"{what}: {item}" for key, what in checks.items() for item in found[key]]


@pytest.mark.parametrize("path", PAGES)
def test_layout_fits_the_column_at_desktop_and_phone_width(browser: Any, site: str,
                                                           path: str) -> None:
    """At 1280 px no code block and no displayed formula scrolls sideways; at 390 px the page does
    not, no inline formula runs past the column; at both, no punctuation that follows a formula
    starts a line."""
    problems = []
    for viewport, checks in (
        (DESKTOP, {"code": "a code block scrolls sideways",
                   "display": "a displayed formula scrolls sideways",
                   "punctuation": "punctuation starts a line"}),
        (PHONE, {"page": "the page scrolls sideways",
                 "inline": "an inline formula runs past the column",
                 "punctuation": "punctuation starts a line"}),
    ):
        visit = open_page(browser, site, path, viewport=viewport)
        try:
            found = visit.page.evaluate(LAYOUT)
        finally:
            visit.page.context.close()
        problems += [f"{viewport['width']} px, {p}" for p in _layout_problems(found, checks)]
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_the_top_level_index_opens_the_book(browser: Any, site: str) -> None:
    visit = open_page(browser, site, "index.html", lands_on="**/book/index.html")
    try:
        assert "Recurrent Neural Networks" in visit.page.title()
        assert visit.outside == [] and visit.console_errors == []
    finally:
        visit.page.context.close()


def test_search_finds_a_chapter_by_a_word_in_it(browser: Any, site: str) -> None:
    visit = open_page(browser, site, "search.html?q=unrolled")
    try:
        visit.page.wait_for_selector("#search-results li a", timeout=20_000)
        hrefs = visit.page.eval_on_selector_all("#search-results li a",
                                                "els => els.map(e => e.getAttribute('href'))")
        assert any("part1/02-state-update" in h for h in hrefs), hrefs
        assert visit.outside == [] and visit.console_errors == []
    finally:
        visit.page.context.close()


def test_search_from_disk_shows_an_excerpt_of_each_page_found(browser: Any,
                                                             built_book: Build) -> None:
    """Opened from disk (file://), the browser refuses the fetch that Sphinx's search uses for its
    excerpts; rnnbook_sphinx gives the search page the pages' text instead."""
    root = built_book.html.resolve().as_uri() + "/"
    visit = open_page(browser, root, "search.html?q=unrolled")
    try:
        visit.page.wait_for_selector("#search-results li p.context", timeout=20_000)
        excerpts = visit.page.eval_on_selector_all(
            "#search-results li p.context", "els => els.map(e => e.textContent)")
        assert any("unrolled" in e.lower() for e in excerpts), excerpts
        assert visit.outside == [] and visit.console_errors == []
    finally:
        visit.page.context.close()


FIGURE_PIXELS = """() => [...document.querySelectorAll('figure img')].map(img => {
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const corner = ctx.getImageData(1, 1, 1, 1).data;
  return {alpha: corner[3], rgb: [corner[0], corner[1], corner[2]],
          filter: getComputedStyle(img).filter};
})"""


@pytest.mark.parametrize("path", [*CHAPTERS[:1], "book/appendix/notation.html"])
def test_dark_theme_keeps_figures_legible(browser: Any, site: str, path: str) -> None:
    visit = open_page(browser, site, path)
    try:
        page = visit.page
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
        # The reader's way: open the colour-mode menu in the header and choose "dark".
        page.locator("button.theme-switch-button:visible").first.click()
        page.locator("button.theme-change-button[data-mode=dark]:visible").first.click()
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert _luminance(background) < 0.3, f"the page did not turn dark: {background}"
        figures = page.evaluate(FIGURE_PIXELS)
        assert figures, "no figure on the page"
        for fig in figures:
            # Drawn on opaque white, so black text and lines stay readable on a dark page.
            assert fig["alpha"] == 255 and min(fig["rgb"]) > 240, fig
            assert "invert" not in fig["filter"], fig
        assert visit.console_errors == []
    finally:
        page.context.close()


def _luminance(css_color: str) -> float:
    """Relative brightness in [0, 1] of a CSS ``rgb(...)``/``rgba(...)`` colour."""
    parts = css_color[css_color.index("(") + 1: css_color.index(")")].split(",")
    r, g, b = (float(v) / 255 for v in parts[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


EXPLORABLE_STATE = """root => ({value: Number(root.querySelector('input').value),
  max: Number(root.querySelector('input').max), alt: root.querySelector('img').alt,
  src: root.querySelector('img').src.slice(-80), shown: root.querySelector('output').textContent,
  natural: root.querySelector('img').naturalWidth})"""


def test_every_explorable_figure_moves_with_the_keyboard_and_the_pointer(
        browser: Any, site: str, built_book: Build) -> None:
    """Each slider of the book, moved by the arrow keys and by a click at either end of its
    track, changes the frame, its alt text and the value shown; nothing is fetched meanwhile."""
    pages = [p for p in PAGES if "rnnbook-explorable" in (built_book.html / p).read_text("utf-8")]
    moved = []
    for path in pages:
        visit = open_page(browser, site, path)
        try:
            page = visit.page
            for i in range(page.locator(".rnnbook-explorable").count()):
                root = page.locator(".rnnbook-explorable").nth(i)
                root.scroll_into_view_if_needed()
                start = root.evaluate(EXPLORABLE_STATE)
                assert start["natural"] > 0, f"{path} #{i}: the first frame did not load"
                root.locator("input").focus()
                page.keyboard.press("ArrowLeft" if start["value"] == start["max"] else "ArrowRight")
                key = root.evaluate(EXPLORABLE_STATE)
                box = root.locator("input").bounding_box()
                assert box is not None
                ends = []
                for x in (box["x"] + 1, box["x"] + box["width"] - 1):
                    page.mouse.click(x, box["y"] + box["height"] / 2)
                    ends.append(root.evaluate(EXPLORABLE_STATE))
                for state in (key, *ends):
                    assert state["natural"] > 0
                for a, b in ((start, key), (ends[0], ends[1])):
                    assert a["src"] != b["src"] and a["alt"] != b["alt"] and \
                        a["shown"] != b["shown"], f"{path} #{i}: the figure did not change"
                assert ends[0]["value"] == 0 and ends[1]["value"] == ends[1]["max"]
                moved.append(f"{path} #{i}")
            assert visit.outside == [], f"requests outside the build: {visit.outside}"
            assert visit.failed == [] and visit.console_errors == []
        finally:
            visit.page.context.close()
    assert len(moved) >= 4, moved
