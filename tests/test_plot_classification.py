"""Figures of chapter 10: they draw what they are given, where the caption says."""

from __future__ import annotations

import numpy as np
import pytest

from rnnbook.plot import classification as figures
from rnnbook.plot import figure, style


def test_digit_sequences_draws_each_image_with_its_rows_as_steps() -> None:
    images = np.random.default_rng(0).random((4, 8, 8))
    fig = figures.digit_sequences(images, ["a", "b", "c", "d"])
    assert len(fig.axes) == 4
    for n, ax in enumerate(fig.axes):
        np.testing.assert_array_equal(ax.images[0].get_array(), images[n])
        assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "8"]
    assert fig.axes[0].get_ylabel() == "step $t$"


def test_learning_curves_draw_each_curve_and_each_baseline_dotted() -> None:
    loss = {"a": ([1, 2, 3], [2.0, 1.0, 0.5]), "b": ([1, 2, 3], [2.0, 0.5, 0.1])}
    accuracy = {"a": ([0, 3], [0.1, 0.8]), "b": ([0, 3], [0.1, 0.9])}
    fig = figures.learning_curves(loss, accuracy, {"baseline": 0.95, "chance": 0.1})
    left, right = fig.axes
    for line, (steps, values) in zip(left.lines, loss.values(), strict=True):
        np.testing.assert_array_equal(line.get_xdata(), steps)
        np.testing.assert_array_equal(line.get_ydata(), values)
    levels = sorted(line.get_ydata()[0] for line in right.lines if line.get_gid() == "reference")
    assert levels == [0.1, 0.95]
    assert figure.reference_styles(fig) == {style.REFERENCE_STYLE}
    labels = {t.get_text(): t.get_horizontalalignment() for t in right.texts}
    assert labels == {"baseline": "left", "chance": "right"}     # where the curves are not


def test_confusion_matrix_writes_every_non_zero_count_in_its_square() -> None:
    counts = np.array([[5, 0, 1], [0, 7, 0], [2, 0, 4]])
    fig = figures.confusion_matrix(counts, ["x", "y", "z"])
    (ax,) = fig.axes
    np.testing.assert_array_equal(ax.images[0].get_array(), counts)
    written = {(round(t.get_position()[1]), round(t.get_position()[0])): int(t.get_text())
               for t in ax.texts}
    assert written == {(i, j): int(c) for (i, j), c in np.ndenumerate(counts) if c}
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted class", "true class")


def test_accuracy_by_length_draws_the_curves_and_chance() -> None:
    fig = figures.accuracy_by_length([1, 2, 3], {"a": [0.2, 0.5, 0.9], "b": [0.3, 0.4, 0.5]},
                                     chance=0.1, xlabel="rows read")
    (ax,) = fig.axes
    data = [line for line in ax.lines if line.get_gid() != "reference"]
    np.testing.assert_array_equal(data[0].get_ydata(), [0.2, 0.5, 0.9])
    assert len({line.get_linestyle() for line in data}) == 2
    assert [line.get_ydata()[0] for line in ax.lines if line.get_gid() == "reference"] == [0.1]
    assert ax.get_xlabel() == "rows read"


@pytest.mark.parametrize(("call", "name"), [
    (lambda: figures.digit_sequences(np.zeros((7, 8, 8)), ["a"] * 7), "images"),
    (lambda: figures.digit_sequences(np.zeros((2, 8, 8)), ["a"]), "titles"),
    (lambda: figures.learning_curves({}, {}, {}), "loss"),
    (lambda: figures.learning_curves({"a": ([1], [1])}, {"b": ([1], [1])}, {}), "accuracy"),
    (lambda: figures.confusion_matrix(np.zeros((2, 3), int), ["a", "b"]), "counts"),
    (lambda: figures.confusion_matrix(np.zeros((2, 2), int), ["a"]), "classes"),
    (lambda: figures.accuracy_by_length([1, 2], {"a": [0.1]}, chance=0.1, xlabel="x"),
     "accuracy"),
])
def test_bad_arguments_are_refused_by_name(call, name: str) -> None:
    with pytest.raises((ValueError, TypeError), match=name):
        call()
