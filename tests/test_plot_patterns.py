"""Figures of chapter 3: they return Figures, label their axes, and repeat byte for byte."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from rnnbook import data, optim, patterns, plot, train
from rnnbook.plot import patterns as figures


def _histories(seed: int) -> dict[str, train.History]:
    out = {}
    for name, steps in (("bars", 30), ("sentiment", 20)):
        task = data.bars if name == "bars" else data.sentiment
        D = 16 if name == "bars" else 13
        _, history = train.fit(patterns.init(D, 4, 2, seed=seed), patterns.loss_and_grads,
                               data.stream(task, 8, seed=seed), optim.Adam(lr=1e-2),
                               steps=steps)
        out[name] = history
    return out


def _bar_images(seed: int) -> Figure:
    images = data.bars(3, seed=seed).xs[0]
    return figures.bar_images(images, ["horizontal", "vertical\nbar", "?"])


def _pattern_learning_curves(seed: int) -> Figure:
    return figures.pattern_learning_curves(_histories(seed))


def _pattern_diagrams(seed: int) -> Figure:
    return figures.pattern_diagrams()


FIGURES: list[Callable[[int], Figure]] = [_pattern_diagrams, _bar_images,
                                          _pattern_learning_curves]


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


@pytest.mark.parametrize("make", FIGURES, ids=lambda f: f.__name__.strip("_"))
def test_figure_is_a_figure_with_labelled_axes(make: Callable[[int], Figure]) -> None:
    fig = make(0)
    assert isinstance(fig, Figure)
    for ax in fig.axes:
        if ax.axison:
            assert ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("make", FIGURES, ids=lambda f: f.__name__.strip("_"))
def test_figure_png_is_identical_for_the_same_seed(make: Callable[[int], Figure]) -> None:
    assert plot.to_png(make(0)) == plot.to_png(make(0))


def test_bar_images_draws_one_panel_per_image_with_its_title() -> None:
    fig = _bar_images(0)
    assert len(fig.axes) == 3
    assert "vertical\nbar" in fig.axes[1].get_xlabel()
    image = fig.axes[0].images[0].get_array()
    assert np.allclose(image, data.bars(3, seed=0).xs[0, 0].reshape(4, 4))


def test_pattern_learning_curves_smooth_with_a_moving_average() -> None:
    history = _histories(0)["bars"]
    fig = figures.pattern_learning_curves({"bars": history}, smooth=5)
    x, y = fig.axes[0].lines[0].get_data()
    assert x[0] == 5 and x[-1] == len(history.loss)
    assert np.isclose(y[0], np.mean(history.loss[:5]))
    lines = figures.pattern_learning_curves(_histories(0)).axes[0].lines
    styles = {line.get_linestyle() for line in lines}
    assert len(styles) == 2                                 # told apart without colour


@pytest.mark.parametrize(("call", "error", "name"), [
    (lambda: figures.bar_images(np.zeros((2, 9)), ["a", "b"]), ValueError, "images"),
    (lambda: figures.bar_images(np.zeros((2, 16)), ["a"]), ValueError, "titles"),
    (lambda: figures.pattern_learning_curves({}), ValueError, "histories"),
    (lambda: figures.pattern_learning_curves({"x": 1}), TypeError, "histories"),     # type: ignore[dict-item]
    (lambda: figures.pattern_learning_curves(_histories(0), smooth=0), ValueError, "smooth"),
])
def test_bad_arguments_are_refused_by_name(call: Callable[[], object], error: type[Exception],
                                           name: str) -> None:
    with pytest.raises(error, match=name):
        call()
