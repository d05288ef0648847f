"""What every figure of the book shares (rnnbook.plot.style, rnnbook.plot.figure): its width, its
smallest text, named line styles, a reproducible PNG that records them, and labelled axes. Run
over one call of every figure."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image
from plot_cases import CASES

from rnnbook import plot
from rnnbook.plot import figure, style

NAMES = sorted(CASES)


def test_the_cases_cover_every_figure_of_the_package() -> None:
    # explorable turns figures into a slider over them (tests/test_plot_explore.py).
    figures = {name for name in plot.__all__ if name not in ("BookFigure", "to_png", "explorable")}
    assert set(CASES) == figures


@pytest.mark.parametrize("name", NAMES)
def test_every_figure_is_the_book_width(name: str) -> None:
    fig = CASES[name]()
    assert isinstance(fig, figure.BookFigure)
    assert fig.get_figwidth() == style.WIDTH


@pytest.mark.parametrize("name", NAMES)
def test_no_text_is_smaller_than_the_book_minimum(name: str) -> None:
    assert figure.smallest_font(CASES[name]()) >= style.MIN_FONT


def test_the_minimum_text_is_as_large_as_the_body_text_at_the_column_width() -> None:
    # 672 CSS px: the width sphinx-book-theme gives a figure at a 1280 px wide window; 16 px: the
    # body text (and the footnotes) of the theme.
    assert style.MIN_FONT / 72 * 672 / style.WIDTH >= 16.0


@pytest.mark.parametrize("name", NAMES)
def test_every_line_style_drawn_has_a_name(name: str) -> None:
    drawn = figure.line_styles(CASES[name]())
    assert drawn <= set(style.LINE_STYLES), drawn


@pytest.mark.parametrize("name", NAMES)
def test_png_repeats_byte_for_byte_and_records_its_line_styles(name: str) -> None:
    png = plot.to_png(CASES[name]())
    assert png == plot.to_png(CASES[name]())
    image = Image.open(io.BytesIO(png))
    assert image.size[0] == round(style.WIDTH * style.DPI)
    fig = CASES[name]()
    assert image.info["rnnbook:line-styles"].split() == sorted(figure.line_styles(fig))
    assert image.info["rnnbook:reference-styles"].split() == sorted(figure.reference_styles(fig))


@pytest.mark.parametrize("name", ["memory_learning_curves", "truncation_error_curves",
                                  "gradient_norm_curves", "saturation", "training_curves"])
def test_reference_lines_are_dotted_and_no_line_of_data_is(name: str) -> None:
    # Bounds, chance levels, thresholds and tolerances: drawn by style.reference, all dotted.
    fig = CASES[name]()
    assert figure.reference_styles(fig) == {style.REFERENCE_STYLE}
    data_lines = [line for ax in fig.axes for line in ax.get_lines()
                  if line.get_gid() != "reference"]
    assert data_lines
    assert all(line.get_linestyle() != style.LINE_STYLES[style.REFERENCE_STYLE]
               for line in data_lines)


@pytest.mark.parametrize("name", NAMES)
def test_every_data_axes_has_both_labels(name: str) -> None:
    # A label may stand once for a row or a column of panels: on the panel at the row's left
    # end or below the column.
    fig = CASES[name]()
    fig.draw_without_rendering()
    axes = [ax for ax in fig.axes if ax.axison and ax.get_label() != "<colorbar>"]
    assert axes or name.endswith(("diagram", "diagrams", "unrolled"))
    for ax in axes:
        box = ax.get_position()
        same_row = [o for o in axes if np.isclose(o.get_position().y0, box.y0)]
        same_column = [o for o in axes if np.isclose(o.get_position().x0, box.x0)]
        assert any(o.get_xlabel() for o in same_column), (name, ax.get_title())
        assert any(o.get_ylabel() for o in same_row), (name, ax.get_title())


def test_lines_of_data_are_never_drawn_in_the_reference_style() -> None:
    assert all(line_style != style.REFERENCE_STYLE for _, line_style, _ in style.SERIES)
    assert len({(c, s, m) for c, s, m in style.SERIES}) == len(style.SERIES)
    assert len({m for _, _, m in style.SERIES}) == len(style.SERIES)   # told apart by marker


def test_line_styles_names_what_is_drawn() -> None:
    fig, ax = figure.new_figure()
    ax.plot([0, 1], [0, 1], **style.series(2))
    ax.hist([0.0, 1.0, 1.0], histtype="step", linestyle="--")
    assert figure.line_styles(fig) == {"solid", "dash-dotted", "dashed"}     # solid: the grid
    ax.plot([0, 1], [1, 0], linestyle=(0, (1, 5)))
    assert figure.line_styles(fig) == {"solid", "dash-dotted", "dashed"}
    ax.axhline(0.5, **style.reference())
    assert "dotted" in figure.line_styles(fig)


def test_reference_lines_take_the_colour_they_are_given() -> None:
    fig, ax = figure.new_figure()
    (line,) = ax.plot([0, 1], [0, 1], **style.reference("#123456", linewidth=2.0))
    assert isinstance(fig, Figure) and isinstance(line, Line2D)
    assert (line.get_color(), line.get_linestyle(), line.get_linewidth()) == ("#123456", ":", 2.0)


@pytest.mark.parametrize(("curve", "error", "match"), [
    (np.ones(3), TypeError, "pair"),
    (([1, 2], [1, 2, 3]), ValueError, "values"),
    (([[1, 2]], [1, 2]), ValueError, "steps"),
])
def test_as_curve_names_the_bad_curve(curve: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        style.as_curve(curve, "loss['x']")
