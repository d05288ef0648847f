"""Small calls of chapters 11 and 12's figures (rnnbook.plot.translation, .captioning), for
plot_cases.CASES."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

from rnnbook import attention, data, plot


def _alignments() -> Figure:
    rng = np.random.default_rng(0)
    p = attention.init(3, 3, 4, seed=0)
    _, weights, _ = attention.forward(p, rng.normal(size=(5, 1, 3)), rng.normal(size=(4, 1, 3)))
    words = ["three", "hundred", "forty", "two", "thousand"]
    return plot.alignments([(weights[:, 0], words, list("3420")),
                            (weights[:, 0, :3], words[:3], list("3400"))])


def _captioned_images() -> Figure:
    batch = data.digit_pairs(4, seed=0)
    return plot.captioned_images(batch.features.reshape(4, 8, 16),
                                 ["one", "two\n(true: three)", "four", "five"], ncols=2)


SEQ2SEQ_CASES: dict[str, Callable[[], Figure]] = {
    "translation_by_length": lambda: plot.translation_by_length(
        np.arange(1, 6), {"plain": np.linspace(1, 0.3, 5), "attention": np.full(5, 0.98)}),
    "alignments": _alignments,
    "training_with_and_without_teacher": lambda: plot.training_with_and_without_teacher(
        {"teacher forcing": (np.arange(0, 50, 10), np.linspace(0, 0.8, 5)),
         "own predictions": (np.arange(0, 50, 10), np.linspace(0, 0.3, 5))}),
    "captioned_images": _captioned_images,
    "word_accuracy": lambda: plot.word_accuracy(
        ["1st", "2nd", "3rd", "4th"], {"image": [0.9, 0.95, 0.99, 0.9],
                                       "no image": [0.1, 0.5, 0.9, 0.1]}),
}
"""Chapters 11 and 12's figures by name, with a call that draws each."""
