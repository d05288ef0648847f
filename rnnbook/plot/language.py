r"""Figures of chapter 9 (a character-level language model): learning, context, temperature.

:func:`language_learning_curves` draws the held-out bits per character of several runs against
the training step and against the characters read, with the n-gram baselines as dotted lines;
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


def language_learning_curves(bits: Mapping[str, Curve], characters_per_step: Mapping[str, int],
                             *, baselines: Mapping[str, float]) -> BookFigure:
    r"""Held-out bits per character of several runs, by step and by characters read.

    Parameters
    ----------
    bits : mapping of str to (steps, values)
        For each run, by its name in the legend (at most seven), the bits per character of the
        validation text at the evaluation steps (``history.eval_steps`` and
        :func:`rnnbook.perplexity.bits_per_character` of ``history.metrics``).
    characters_per_step : mapping of str to int
        B T, the characters each step of a run reads, under the names of ``bits``.
    baselines : mapping of str to float
        Bits per character of the baselines on the same text (``{"bigram": 3.5}``), each a
        dotted horizontal line labelled at its right end.

    Returns
    -------
    BookFigure
        Left: against the training step, the baselines labelled at their right end. Right:
        against the characters read (steps times characters per step), on a log scale; step 0,
        before training, is left out there. Both panels have the same vertical scale.
    """
    if not bits or len(bits) > len(SERIES):
        raise ValueError(f"bits must hold between 1 and {len(SERIES)} runs; got {len(bits)}")
    if set(characters_per_step) != set(bits):
        raise ValueError(f"characters_per_step must name the runs of bits, {sorted(bits)}; "
                         f"got {sorted(characters_per_step)}")
    levels = _check_baselines(baselines)
    fig, (by_step, by_chars) = new_figure(1, 2, height=3.6)
    for n, (name, curve) in enumerate(bits.items()):
        steps, values = as_curve(curve, f"bits[{name!r}]")
        per_step = _checks.positive_int(characters_per_step[name],
                                        f"characters_per_step[{name!r}]")
        look = series(n)
        by_step.plot(steps, values, label=name, markersize=4, **look)
        read = steps > 0
        by_chars.plot(steps[read] * per_step, values[read], markersize=4, **look)
    for ax in (by_step, by_chars):
        for level in levels.values():
            ax.axhline(level, **reference())
    low = min(by_step.get_ylim()[0], by_chars.get_ylim()[0])
    high = max(by_step.get_ylim()[1], by_chars.get_ylim()[1])
    right = by_step.get_xlim()[1]
    for name, level in levels.items():
        by_step.annotate(name, (right, level), xytext=(-2, 2), textcoords="offset points",
                         ha="right", va="bottom", color=PALETTE["black"])
    by_step.set(xlabel="training step", ylabel="validation bits per character",
                ylim=(low, high), xlim=(None, right))
    by_chars.set(xlabel="characters read", xscale="log", ylim=(low, high))
    fig.legend(loc="outside upper center", ncols=min(len(bits), 3), frameon=False)
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
        One panel per temperature, side by side, with the same characters; a space is drawn
        ␣ and a line break ↵.
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
    fig, axes = new_figure(1, len(dists), height=3.0, sharey=True)
    axes = np.atleast_1d(axes)
    for n, (ax, (title, p)) in enumerate(zip(axes, dists.items(), strict=True)):
        ax.bar(np.arange(k), p[order], color=PALETTE[SERIES[n][0]], width=0.75)
        ax.set_xticks(np.arange(k), labels)
        ax.set(title=title, xlabel="next character", ylim=(0.0, 1.0))
    axes[0].set(ylabel="probability")
    shown = context[-30:].replace("\n", "↵")
    fig.suptitle(f"after “{shown}”")
    return fig
