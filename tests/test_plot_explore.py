"""Explorable figures (rnnbook.plot.explore): one frame per value, a slider that a keyboard and a
pointer can move, alt text per frame, nothing fetched from anywhere, and one still where HTML is
not shown.

The player itself is tested in headless Chromium on a page that holds nothing but two such
figures, opened from disk with every request that is not ``file:`` or ``data:`` refused; the
figures of the built book are tested the same way in test_browser.py.
"""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from IPython.core.formatters import DisplayFormatter
from PIL import Image

from rnnbook.plot import explorable, style
from rnnbook.plot.explore import FRAME_DPI, Explorable, frame_png
from rnnbook.plot.figure import new_figure

SLOPES = (0.5, 1.0, 2.0, 4.0)


def line(slope: float) -> Any:
    fig, ax = new_figure(height=2.0)
    ax.plot([0, 1], [0, slope])
    ax.set_ylim(0, 4)
    return fig


def alt(slope: float) -> str:
    return f"A straight line from the origin rising with slope {slope}."


@pytest.fixture(scope="module")
def figure() -> Explorable:
    return explorable([(s, line(s)) for s in SLOPES], label="slope", alt=alt, start=1)


def payload(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1).replace("<\\/", "</"))


def png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "PNG"
        return im.size


def test_one_frame_per_value_at_the_frame_resolution(figure: Explorable) -> None:
    data = payload(figure.to_html())
    assert data["values"] == ["0.5", "1.0", "2.0", "4.0"]
    assert data["alts"] == [alt(s) for s in SLOPES]
    frames = [base64.b64decode(f) for f in data["frames"]]
    assert frames == list(figure.frames) and len(set(frames)) == len(SLOPES)
    assert {png_size(f)[0] for f in frames} == {round(style.WIDTH * FRAME_DPI)}


def test_the_page_shows_the_start_frame_before_any_script_runs(figure: Explorable) -> None:
    html = figure.to_html()
    img = re.search(r"<img[^>]*>", html)
    assert img is not None
    assert base64.b64encode(figure.frames[1]).decode() in img.group(0)
    assert f'alt="{alt(1.0)}"' in img.group(0)
    assert re.search(r'<input type="range" min="0" max="3" step="1" value="1"', html)
    assert 'aria-valuetext="slope = 1.0"' in html


def test_the_slider_is_labelled(figure: Explorable) -> None:
    label = re.search(r"<label[^>]*>(.*?)</label>", figure.to_html(), re.S)
    assert label is not None and "<span>slope</span>" in label.group(1)
    assert "<input" in label.group(1)


def test_nothing_is_fetched_from_anywhere(figure: Explorable) -> None:
    """No URL but the frames' own data: URLs (whose base64 may hold "//")."""
    html = re.sub(r'"frames":\[[^\]]*\]', "", figure.to_html())
    html = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]*", "data:", html)
    assert not re.search(r"(?:https?:)?//|\bsrc=\"(?!data:)", html), "the figure links out"
    assert "<link" not in html and "@import" not in html


def test_where_html_is_not_shown_it_is_the_start_frame_at_the_book_resolution(
        figure: Explorable) -> None:
    bundle, _ = DisplayFormatter().format(figure)
    assert {"text/html", "image/png", "text/plain"} <= set(bundle)
    assert bundle["image/png"] == figure.still
    width, _ = png_size(figure.still)
    assert width == round(style.WIDTH * style.DPI)
    assert bundle["text/plain"] == "<explorable figure: slope, 4 frames>"


def test_the_same_frames_give_the_same_bytes(figure: Explorable) -> None:
    again = explorable([(s, line(s)) for s in SLOPES], label="slope", alt=alt, start=1)
    assert again.to_html() == figure.to_html() and again.still == figure.still


def test_a_frame_keeps_the_figure_colours() -> None:
    fig, ax = new_figure(height=2.0)
    for i, colour in enumerate(style.CYCLE):
        ax.axhspan(i, i + 1, color=colour)
    with Image.open(io.BytesIO(frame_png(fig))) as im:
        assert im.mode == "P"
        colours = {rgb for _, rgb in im.convert("RGB").getcolors(maxcolors=1 << 16) or []}
    for hex_colour in style.CYCLE:
        rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        assert any(max(abs(a - b) for a, b in zip(rgb, c, strict=True)) <= 8 for c in colours), \
            f"{hex_colour} is lost in the palette"


def test_text_cannot_close_the_script_early() -> None:
    fig = explorable([(1, line(1)), (2, line(2))], label="</script><b>x",
                     alt=["a </script> b", "c"])
    html = fig.to_html()
    assert html.count("</script>") == 2
    assert payload(html)["alts"] == ["a </script> b", "c"]


def test_alt_texts_can_be_given_as_a_list() -> None:
    fig = explorable([(1, line(1)), (2, line(2))], label="slope", alt=["one", "two"],
                     fmt="{:.1f}")
    assert fig.alts == ("one", "two") and fig.values == ("1.0", "2.0")


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"frames": []}, ValueError, "frames"),
    ({"frames": "one"}, TypeError, "frames"),
    ({"label": ""}, ValueError, "label"),
    ({"start": 2}, ValueError, "start"),
    ({"start": -1}, ValueError, "start"),
    ({"alt": ["only one"]}, ValueError, "alt"),
    ({"alt": ["", "two"]}, ValueError, "alt"),
    ({"frames": [(1, "not a figure"), (2, "no")]}, TypeError, "frames"),
])
def test_bad_arguments_are_named(kwargs: dict[str, Any], error: type[Exception],
                                 message: str) -> None:
    args: dict[str, Any] = {"frames": [(1, line(1)), (2, line(2))], "label": "slope",
                            "alt": alt, **kwargs}
    with pytest.raises(error, match=message):
        explorable(args.pop("frames"), **args)


# --- the player, in a browser ------------------------------------------------------------------

STATE = """root => ({value: root.querySelector('input').value,
  alt: root.querySelector('img').alt, src: root.querySelector('img').src,
  shown: root.querySelector('output').textContent,
  valuetext: root.querySelector('input').getAttribute('aria-valuetext')})"""


@pytest.fixture
def page(browser: Any, figure: Explorable, tmp_path: Path) -> Any:
    """A page with two explorable figures, opened from disk; every request leaving the page's
    file or its data: URLs fails the test."""
    other = explorable([(k, line(k)) for k in (3, 1)], label="k", alt=["three", "one"])
    path = tmp_path / "figures.html"
    path.write_text(f"<!DOCTYPE html><html><body style='width: 820px'>{figure.to_html()}"
                    f"<p>between</p>{other.to_html()}</body></html>", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    tab.goto(path.as_uri(), wait_until="load")
    yield tab
    context.close()
    assert outside == [] and errors == []


@pytest.mark.browser
def test_the_arrow_keys_move_the_slider_and_change_frame_and_alt_text(
        page: Any, figure: Explorable) -> None:
    root = page.locator(".rnnbook-explorable").first
    start = root.evaluate(STATE)
    assert start["alt"] == alt(1.0) and start["shown"] == "1.0"
    root.locator("input").focus()
    page.keyboard.press("ArrowRight")
    moved = root.evaluate(STATE)
    assert moved["value"] == "2" and moved["alt"] == alt(2.0) and moved["shown"] == "2.0"
    assert moved["valuetext"] == "slope = 2.0"
    assert moved["src"] == "data:image/png;base64," + base64.b64encode(figure.frames[2]).decode()
    page.keyboard.press("End")
    assert root.evaluate(STATE)["alt"] == alt(4.0)
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")                    # already at the first frame: stays
    assert root.evaluate(STATE)["alt"] == alt(0.5)
    # The other figure on the page did not move.
    assert page.locator(".rnnbook-explorable").nth(1).evaluate(STATE)["alt"] == "three"


@pytest.mark.browser
def test_the_pointer_moves_the_slider(page: Any) -> None:
    root = page.locator(".rnnbook-explorable").nth(1)
    box = root.locator("input").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    assert root.evaluate(STATE)["alt"] == "one"
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    state = root.evaluate(STATE)
    assert state["alt"] == "three" and state["shown"] == "3"
