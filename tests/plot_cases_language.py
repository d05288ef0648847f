"""Small calls of chapter 9's figures (rnnbook.plot.language), for plot_cases.CASES."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

from rnnbook import lm, perplexity, plot, sampling

_SYMBOLS = "\n abcdef"


def _language_learning_curves() -> Figure:
    steps = np.arange(0, 31, 10)
    loss = 2.0 + np.exp(-np.arange(1, 31) / 10)
    return plot.language_learning_curves(
        {"one stream": {"training": (np.arange(1, 31), loss),
                        "validation": (steps, np.array([3.0, 2.8, 2.7, 2.6]))},
         "32 streams": {"a": (steps, np.array([3.0, 2.5, 2.2, 2.0])),
                        "b": (steps, np.array([3.0, 2.4, 2.1, 1.9]))}},
        baselines={"unigram": 2.9, "bigram": 2.4})


def _loss_by_position() -> Figure:
    m = lm.init(len(_SYMBOLS), 4, seed=0)
    ids = np.random.default_rng(0).integers(len(_SYMBOLS), size=200)
    return plot.loss_by_position(
        {"carried": perplexity.cross_entropy_by_position(m, ids, batch_size=2, steps=10),
         "reset": perplexity.cross_entropy_by_position(m, ids, batch_size=2, steps=10,
                                                       carry=False)})


def _next_character() -> Figure:
    logits = np.random.default_rng(1).normal(size=len(_SYMBOLS))
    return plot.next_character({f"τ = {t}": sampling.with_temperature(logits, t)
                                for t in (0.5, 1.0, 2.0)}, _SYMBOLS, context="ab\ncd ", top=6)


LANGUAGE_CASES: dict[str, Callable[[], Figure]] = {
    "language_learning_curves": _language_learning_curves,
    "loss_by_position": _loss_by_position,
    "next_character": _next_character,
}
