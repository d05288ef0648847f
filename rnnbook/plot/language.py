r"""Figures of chapter 9 (a character-level language model): learning, context, temperature.

:func:`language_learning_curves` draws the bits per character of several runs against the
training step, with the n-gram baselines as dotted lines;
:func:`loss_by_position` the loss at each position of a chunk, with and without the carried
state; :func:`next_character` the distribution of the next character at several temperatures.
Each draws what the chapter computed with :mod:`rnnbook.perplexity`, :mod:`rnnbook.ngram` and
:mod:`rnnbook.sampling`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from rnnbook import _checks
from rnnbook.plot.figure import BookFigure, new_figure
from rnnbook.plot.style import PALETTE, SERIES, Curve, as_curve, reference, series

_SHOWN = {" ": "␣", "\n": "↵", "\t": "⇥"}
"""How the characters that print as nothing are shown on an axis."""


def _check_baselines(baselines: Mapping[str, float]) -> dict[str, float]:
    return {name: _checks.finite_float(v, f"baselines[{name!r}]") for name, v in baselines.items()}


def language_learning_curves(panels: Mapping[str, Mapping[str, Curve]], *,
                             baselines: Mapping[str, float]) -> BookFigure:
    r"""Bits per character of several runs against the training step, one panel per group.

    Parameters
    ----------
    panels : mapping of str to mapping of str to (steps, values)
        One or two panels, by title; in each, up to seven curves by their name in the panel's
        legend: bits per character at the steps given (for instance the validation text at
        ``history.eval_steps``, or a training loss smoothed with
        :func:`rnnbook.smoothing.moving_average`, divided by ln 2).
    baselines : mapping of str to float
        Bits per character of the baselines (``{"bigram": 3.5}``), each a dotted horizontal
        line in every panel, labelled at its right end.

    Returns
    -------
    BookFigure
        The panels side by side, each with its own vertical scale and its legend below it.
    """
    if not panels or len(panels) > 2:
        raise ValueError(f"panels must hold one or two panels; got {len(panels)}")
    levels = _check_baselines(baselines)
    fig, axes = new_figure(1, len(panels), height=4.6)
    axes = np.atleast_1d(axes)
    for ax, (title, curves) in zip(axes, panels.items(), strict=True):
        if not curves or len(curves) > len(SERIES):
            raise ValueError(f"panels[{title!r}] must hold between 1 and {len(SERIES)} curves; "
                             f"got {len(curves)}")
        for n, (name, curve) in enumerate(curves.items()):
            steps, values = as_curve(curve, f"panels[{title!r}][{name!r}]")
            many = len(steps) > 20                         # a training record: a plain line
            ax.plot(steps, values, label=name, markersize=4,
                    **series(n, marker=not many))
        right = ax.get_xlim()[1]
        for name, level in levels.items():
            ax.axhline(level, **reference())
            ax.annotate(name, (right, level), xytext=(-2, 2), textcoords="offset points",
                        ha="right", va="bottom", color=PALETTE["black"])
        ax.set(title=title, xlabel="training step", xlim=(None, right))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False)
    axes[0].set(ylabel="bits per character")
    return fig


def loss_by_position(bits: Mapping[str, ArrayLike]) -> BookFigure:
    r"""Bits per character at each position of a chunk, one line per way of reading the text.

    Parameters
    ----------
    bits : mapping of str to ndarray of shape (T,)
        For each line, by its name in the legend (at most seven), the mean loss in bits of the
        characters predicted at steps 1, ..., T of their chunk
        (:func:`rnnbook.perplexity.cross_entropy_by_position`, divided by ln 2).

    Returns
    -------
    BookFigure
        One panel: bits per character against the position in the chunk.
    """
    if not bits or len(bits) > len(SERIES):
        raise ValueError(f"bits must hold between 1 and {len(SERIES)} lines; got {len(bits)}")
    lines = {name: _checks.float_array(v, f"bits[{name!r}]", ndim=1, layout="(T,)")
             for name, v in bits.items()}
    fig, ax = new_figure(1, 1, height=3.0)
    for n, (name, y) in enumerate(lines.items()):
        ax.plot(np.arange(1, len(y) + 1), y, label=name, markersize=4, **series(n))
    ax.set(xlabel="position in the chunk (step $t$)", ylabel="bits per character")
    ax.legend(frameon=False)
    return fig


def next_character(probs: Mapping[str, ArrayLike], symbols: str, *, context: str,
                   top: int = 12) -> BookFigure:
    r"""The distribution of the next character at several temperatures, as bars.

    Parameters
    ----------
    probs : mapping of str to ndarray of shape (V,)
        For each panel, by its title (at most four, for instance ``"τ = 0.5"``), a distribution
        over the V characters (:func:`rnnbook.sampling.with_temperature`).
    symbols : str
        The V characters, in the order of ``probs``.
    context : str
        The text read before, shown in the title (its last 30 characters).
    top : int, default 12
        How many characters to show: the likeliest in the first panel, in the same order in
        every panel.

    Returns
    -------
    BookFigure
        One panel per temperature, side by side, with the same characters and the same vertical
        scale; a space is drawn ␣ and a line break ↵.
    """
    if not probs or len(probs) > 4:
        raise ValueError(f"probs must hold between 1 and 4 panels; got {len(probs)}")
    V = len(symbols)
    dists = {title: _checks.float_array(p, f"probs[{title!r}]", ndim=1, layout="(V,)")
             for title, p in probs.items()}
    for title, p in dists.items():
        _checks.expect_shape(p, f"probs[{title!r}]", (V,), "(V,)", "(one per symbol)")
    k = min(_checks.positive_int(top, "top"), V)
    order = np.argsort(-next(iter(dists.values())), kind="stable")[:k]   # (k,)
    labels: Sequence[str] = [_SHOWN.get(symbols[i], symbols[i]) for i in order]
    ceiling = min(1.0, 1.1 * max(float(p[order].max()) for p in dists.values()))
    fig, axes = new_figure(1, len(dists), height=3.0)
    axes = np.atleast_1d(axes)
    for n, (ax, (title, p)) in enumerate(zip(axes, dists.items(), strict=True)):
        ax.bar(np.arange(k), p[order], color=PALETTE[SERIES[n][0]], width=0.75)
        ax.set_xticks(np.arange(k), labels)
        ax.set(title=title, xlabel="next character", ylim=(0.0, ceiling))
    axes[0].set(ylabel="probability")
    shown = context[-30:].replace("\n", "↵")
    fig.suptitle(f"after “{shown}”")
    return fig
