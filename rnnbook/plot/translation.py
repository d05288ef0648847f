"""Figures of chapter 11, sequence to sequence and attention: accuracy against the source's length,
the alignments attention finds, and how a decoder learns with and without teacher forcing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from rnnbook import _checks
from rnnbook.plot.figure import BookFigure, new_figure
from rnnbook.plot.style import SEQUENTIAL, SERIES, Curve, as_curve, series


def translation_by_length(lengths: ArrayLike, accuracies: Mapping[str, ArrayLike], *,
                          xlabel: str = "source length (words)") -> BookFigure:
    """Exact-match accuracy against the length of the source, one line per model.

    Parameters
    ----------
    lengths : ndarray of shape (n,)
        The source lengths measured.
    accuracies : mapping of str to ndarray of shape (n,)
        For each model, by the name to show in the legend, the fraction of sources of each
        length translated exactly right (at most seven models).
    xlabel : str, default "source length (words)"

    Returns
    -------
    BookFigure
        Accuracy from 0 to 1 against the length, each model with its own colour, line style and
        marker, the legend below the lines.
    """
    x = _checks.float_array(lengths, "lengths", ndim=1, layout="(n,)")
    if not accuracies or len(accuracies) > len(SERIES):
        raise ValueError(f"accuracies must hold between 1 and {len(SERIES)} models; "
                         f"got {len(accuracies)}")
    fig, ax = new_figure(height=3.2)
    for n, (name, values) in enumerate(accuracies.items()):
        y = _checks.float_array(values, f"accuracies[{name!r}]", ndim=1, layout="(n,)")
        _checks.expect_shape(y, f"accuracies[{name!r}]", x.shape, "(n,)", "(one per length)")
        ax.plot(x, y, label=name, markersize=5, **series(n))
    ax.set(xlabel=xlabel, ylabel="exact match", ylim=(-0.03, 1.03))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower left", frameon=False)
    return fig


def alignments(panels: Sequence[tuple[ArrayLike, Sequence[str], Sequence[str]]]) -> BookFigure:
    r"""Attention's alignments as heatmaps: where the decoder looked as it wrote each token.

    Parameters
    ----------
    panels : sequence of (weights, source, written)
        One to three panels, each: ``weights`` of shape (T, S), :math:`\alpha_{t,s}` for the T
        tokens written and the S source tokens; ``source``, the S source words; ``written``, the
        T tokens written (their labels).

    Returns
    -------
    BookFigure
        One heatmap per panel, side by side: the source words down the left (first at the top),
        the tokens written along the bottom, each cell coloured by its weight from 0 (dark) to 1
        (light) on the sequential colour map, one colour bar for all.
    """
    if not 1 <= len(panels) <= 3:
        raise ValueError(f"panels must hold one to three alignments; got {len(panels)}")
    checked = []
    for i, (weights, source, written) in enumerate(panels):
        w = _checks.float_array(weights, f"panels[{i}] weights", ndim=2, layout="(T, S)")
        if w.shape != (len(written), len(source)):
            raise ValueError(f"panels[{i}] weights must have shape (T, S) = "
                             f"({len(written)}, {len(source)}), one row per token written and "
                             f"one column per source word; got {_checks.shape_str(w.shape)}")
        checked.append((w, list(source), list(written)))
    rows = max(len(s) for _, s, _ in checked)
    fig, axes = new_figure(1, len(checked), height=0.9 + 0.24 * rows)
    axes = np.atleast_1d(axes)
    image: Any = None
    for ax, (w, source, written) in zip(axes, checked, strict=True):
        image = ax.imshow(w.T, cmap=SEQUENTIAL, vmin=0.0, vmax=1.0, aspect="auto",
                          interpolation="nearest")
        ax.grid(False)
        ax.set_yticks(range(len(source)), source)
        ax.set_xticks(range(len(written)), written)
        ax.tick_params(length=0)
        ax.set_xlabel("written")
    axes[0].set_ylabel("source")
    fig.colorbar(image, ax=list(axes), label=r"weight $\alpha_{t,s}$", shrink=0.8)
    return fig


def training_with_and_without_teacher(curves: Mapping[str, Curve], *,
                                      ylabel: str = "exact match (greedy)") -> BookFigure:
    """A score measured during training against the step, one line per way of training.

    Parameters
    ----------
    curves : mapping of str to (steps, values)
        For each way of training, by its name in the legend, the steps at which the score was
        measured and the scores (``History.metrics`` of :func:`rnnbook.train.fit`); at most seven.
    ylabel : str, default "exact match (greedy)"

    Returns
    -------
    BookFigure
        The score against the training step, each curve with its own colour, line style and
        marker.
    """
    if not curves or len(curves) > len(SERIES):
        raise ValueError(f"curves must hold between 1 and {len(SERIES)} curves; got {len(curves)}")
    fig, ax = new_figure(height=3.0)
    for n, (name, curve) in enumerate(curves.items()):
        steps, values = as_curve(curve, f"curves[{name!r}]")
        ax.plot(steps, values, label=name, markersize=5, **series(n))
    ax.set(xlabel="training step", ylabel=ylabel, ylim=(-0.03, 1.03))
    ax.legend(loc="upper left", frameon=False)
    return fig
