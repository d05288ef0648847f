"""Figures of chapter 3: every pattern drawn, the images under their titles, the curves as given."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from matplotlib.patches import Circle

from rnnbook import data
from rnnbook.plot import patterns as figures


def test_pattern_diagrams_draw_each_pattern_with_its_inputs_and_outputs() -> None:
    fig = figures.pattern_diagrams()
    (ax,) = fig.axes
    assert not ax.axison
    texts = [t.get_text() for t in ax.texts]
    for name in ("one-to-one", "one-to-many", "many-to-one", "many-to-many, aligned",
                 "many-to-many, encoder-decoder", "encoder", "decoder"):
        assert name in texts
    # Inputs and outputs are circles: one-to-one 1 + 1, one-to-many 1 + 4, many-to-one 4 + 1,
    # aligned 4 + 4, encoder-decoder 6 + 3 (the decoder's inputs are the tokens c_0, c_1, c_2).
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(circles) == 2 + 5 + 5 + 8 + 9
    for label in ("$c_0$", "$h'_1$", "$y_{4}$", "$x_{1}$"):
        assert label in texts


@pytest.mark.parametrize(("N", "ncols", "rows"), [(6, 3, 2), (4, 3, 2), (2, 3, 1), (5, 1, 5)])
def test_bar_images_draws_one_panel_per_image_with_its_title(N: int, ncols: int,
                                                             rows: int) -> None:
    images = data.bars(N, seed=0).xs[0]
    titles = [f"image {n}\nline 2" for n in range(N)]
    fig = figures.bar_images(images, titles, ncols=ncols)
    assert len(fig.axes) == N
    assert len({round(ax.get_position().y0, 6) for ax in fig.axes}) == rows
    for n, ax in enumerate(fig.axes):
        assert ax.get_title() == titles[n]
        np.testing.assert_array_equal(ax.images[0].get_array(), images[n].reshape(4, 4))


def test_pattern_learning_curves_draw_the_curves_they_are_given() -> None:
    curves = {"bars": ([1, 2, 3], [0.7, 0.5, 0.2]), "tags": ([2, 4], [1.0, 0.1])}
    fig = figures.pattern_learning_curves(curves)
    lines = fig.axes[0].lines
    for line, (steps, values) in zip(lines, curves.values(), strict=True):
        np.testing.assert_array_equal(line.get_xdata(), steps)
        np.testing.assert_array_equal(line.get_ydata(), values)
    assert len({line.get_linestyle() for line in lines}) == 2      # told apart without colour
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["bars", "tags"]


@pytest.mark.parametrize(("call", "error", "name"), [
    (lambda: figures.bar_images(np.zeros((2, 9)), ["a", "b"]), ValueError, "images"),
    (lambda: figures.bar_images(np.zeros((2, 16)), ["a"]), ValueError, "titles"),
    (lambda: figures.bar_images(np.zeros((2, 16)), ["a", "b"], ncols=0), ValueError, "ncols"),
    (lambda: figures.pattern_learning_curves({}), ValueError, "curves"),
    (lambda: figures.pattern_learning_curves({"x": 1}), TypeError, "curves"),  # type: ignore[dict-item]
])
def test_bad_arguments_are_refused_by_name(call: Callable[[], object], error: type[Exception],
                                           name: str) -> None:
    with pytest.raises(error, match=name):
        call()
