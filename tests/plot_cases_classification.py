"""Small calls of chapter 10's figures (rnnbook.plot.classification), for plot_cases.CASES."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

from rnnbook import classifier, plot, smoothing


def _learning_curves() -> Figure:
    steps = np.arange(0, 41, 10)
    loss = {name: smoothing.moving_average(np.exp(-np.arange(40) / k) + 0.1, 5)
            for name, k in (("vanilla", 20), ("GRU", 10))}
    accuracy = {"vanilla": (steps, [0.1, 0.5, 0.7, 0.8, 0.85]),
                "GRU": (steps, [0.1, 0.7, 0.9, 0.95, 0.96])}
    return plot.learning_curves(loss, accuracy, {"logistic regression": 0.96, "chance": 0.1})


def _confusion_matrix() -> Figure:
    rng = np.random.default_rng(0)       # a fresh generator: the same figure at every call
    targets = rng.integers(0, 4, 50)
    predicted = np.where(rng.random(50) < 0.8, targets, rng.integers(0, 4, 50))
    return plot.confusion_matrix(classifier.confusion_matrix(targets, predicted, 4),
                                 ["a", "b", "c", "d"])


CLASSIFICATION_CASES: dict[str, Callable[[], Figure]] = {
    "digit_sequences": lambda: plot.digit_sequences(
        np.random.default_rng(0).random((3, 8, 8)), ["0", "1", "2"]),
    "learning_curves": _learning_curves,
    "confusion_matrix": _confusion_matrix,
    "accuracy_by_length": lambda: plot.accuracy_by_length(
        np.arange(1, 9), {"GRU": np.linspace(0.2, 0.97, 8), "logistic regression":
                          np.linspace(0.15, 0.96, 8)}, chance=0.1, xlabel="rows read"),
}
"""Chapter 10's figures by name, with a call that draws each."""
