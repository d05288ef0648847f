r"""Figures of the state update (chapter 2): the cell rolled and unrolled, the activations, the
state over time, and its range.

- :func:`rolled_and_unrolled`: the recurrent cell as a loop and as the unrolled chain;
- :func:`activation_functions`: the four activations and their derivatives (also on the
  notation page);
- :func:`state_heatmap`: the states of one sequence, unit by unit, over time;
- :func:`activation_ranges`: the states the same weights give under each activation.

Every function draws what it is given: the states come from :func:`rnnbook.rnn.forward`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from rnnbook import _checks, activations
from rnnbook.plot.chain import unrolled_chain
from rnnbook.plot.diagram import WEIGHT_COLOURS, arrow, finish, new_diagram, node, self_loop
from rnnbook.plot.figure import BookFigure, decorate, new_figure
from rnnbook.plot.style import DIVERGING, PALETTE, SERIES, series
from rnnbook.types import Array


def rolled_and_unrolled(T: int = 4) -> BookFigure:
    r"""The recurrent cell folded as a loop, and the same cell unrolled over T steps.

    Left: :math:`x_t \to h_t` with a loop on :math:`h_t` carrying :math:`W_{hh}`. Right: the chain
    :math:`h_0 \to h_1 \to \dots \to h_T` with the inputs :math:`x_1, \dots, x_T`, every input
    arrow labelled :math:`W_{xh}` and every recurrent arrow :math:`W_{hh}`: the same weights at
    every step.

    Parameters
    ----------
    T : int, default 4
        Number of unrolled steps, >= 1.

    Returns
    -------
    BookFigure
    """
    T = _checks.positive_int(T, "T")
    fig, ax = new_diagram(height=2.5)
    h = node(ax, (-3.0, 0.0), "$h_t$")
    arrow(ax, node(ax, (-3.0, -1.4), "$x_t$", kind="input"), h, label="$W_{xh}$",
          colour=WEIGHT_COLOURS["xh"], label_offset=-0.1)
    self_loop(ax, h, label="$W_{hh}$", colour=WEIGHT_COLOURS["hh"])
    arrow(ax, (-2.45, 0.0), (-0.6, 0.0), label="unroll", colour="#888888")
    unrolled_chain(ax, T)
    for x, text in [(-3.0, "folded"), (0.8 * (T + 1), f"unrolled: T = {T} steps, same weights")]:
        ax.text(x, 1.25, text, ha="center", va="bottom", fontsize=11)
        ax.update_datalim([(x, 1.6)])
    finish(ax)
    return fig


def activation_functions(a_max: float = 4.0) -> BookFigure:
    r"""The four activations :math:`f(a)` and their derivatives :math:`f'(a)`, side by side.

    Parameters
    ----------
    a_max : float, default 4.0
        The pre-activation axis spans :math:`[-a_{max}, a_{max}]`.

    Returns
    -------
    BookFigure
        Left: :math:`f(a)`; right: :math:`f'(a)`; one legend above both, giving each
        activation's :math:`\gamma = \sup|f'|`. Each activation has its own colour and line style.
    """
    a = np.linspace(-a_max, a_max, 801)
    fig, (left, right) = new_figure(1, 2, height=3.2)
    for n, name in enumerate(activations.NAMES):
        act = activations.get(name)
        look = dict(zorder=3 - 0.1 * n, **series(n, marker=False))   # identity under relu
        left.plot(a, act.f(a), label=f"{name} (γ = {act.gamma:g})", **look)
        right.plot(a, act.df(a), **look)
    left.set(xlabel="pre-activation $a$", ylabel="$f(a)$", title="activation", ylim=(-1.5, 2.5))
    right.set(xlabel="pre-activation $a$", ylabel="$f'(a)$", title="derivative",
              ylim=(-0.1, 1.15))
    fig.legend(loc="outside upper center", ncols=2, frameon=False)
    return fig


RANGES: dict[str, tuple[float, float]] = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0),
                                          "relu": (0.0, np.inf), "identity": (-np.inf, np.inf)}
"""The range of each activation, the interval a state computed with it can take."""


def state_heatmap(states: ArrayLike, xs: ArrayLike | None = None) -> BookFigure:
    r"""The hidden state of one sequence over time as a heatmap, under the inputs that drive it.

    Parameters
    ----------
    states : ndarray of shape (T, H)
        :math:`h_1, \dots, h_T` of one sequence, such as ``rnn.forward(params, xs)[0][:, 0]``.
    xs : ndarray of shape (T, D), optional
        The inputs of the sequence, drawn in a strip above the heatmap, one line per feature.

    Returns
    -------
    BookFigure
        Unit i (row) against time step t (column), coloured by :math:`h_{t,i}` with the diverging
        colour map centred on 0, and a colour bar.

    Examples
    --------
    >>> fig = state_heatmap(np.zeros((6, 4)), xs=np.eye(6, 1))   # a pulse at t = 1
    >>> [ax.get_ylabel() for ax in fig.axes[:2]]
    ['input $x_t$', 'hidden unit $i$']
    """
    hs = _checks.float_array(states, "states", ndim=2, layout="(T, H)")
    x = None if xs is None else _checks.float_array(xs, "xs", ndim=2, layout="(T, D)")
    if x is not None and len(x) != len(hs):
        raise ValueError(f"xs must have T={len(hs)} rows like states; got {len(x)}")
    T, H = hs.shape
    fig, axes = new_figure(1 if x is None else 2, 1, height=3.2 if x is None else 4.2)
    heat = axes if x is None else axes[1]
    if x is not None:
        axes[0].get_gridspec().set_height_ratios([1, 3])
        for d in range(x.shape[1]):
            axes[0].plot(np.arange(1, T + 1), x[:, d], drawstyle="steps-mid",
                         label=f"feature {d + 1}", **series(d, marker=False))
        axes[0].set(xlabel="time step $t$", ylabel="input $x_t$", xlim=(0.5, T + 0.5))
        if x.shape[1] > 1:
            axes[0].legend(frameon=False, ncols=min(x.shape[1], 4))
    vmax = float(np.abs(hs).max()) or 1.0
    image = heat.imshow(hs.T, aspect="auto", cmap=DIVERGING, vmin=-vmax, vmax=vmax,
                        interpolation="nearest", extent=(0.5, T + 0.5, H + 0.5, 0.5))
    heat.grid(False)
    heat.set(xlabel="time step $t$", ylabel="hidden unit $i$")
    heat.yaxis.get_major_locator().set_params(integer=True)
    cax = heat.inset_axes((1.02, 0.0, 0.025, 1.0))    # beside the heatmap, keeping it aligned
    fig.colorbar(image, cax=cax, label="state $h_{t,i}$")
    return fig


def activation_ranges(states: Mapping[str, ArrayLike], *, unit: int = 0) -> BookFigure:
    r"""The states the same weights produce under each activation: one unit's path, and all values.

    Parameters
    ----------
    states : mapping of str to ndarray of shape (T, B, H)
        For each activation of ``rnnbook.plot.state.RANGES``, by its name, the states of the same
        network and inputs computed with that activation (:func:`rnnbook.rnn.forward`); at most
        four.
    unit : int, default 0
        Which hidden unit of the first sequence the left panels follow (a 0-based index; the
        figure labels it :math:`i` = ``unit + 1``, counting from 1 as the book does).

    Returns
    -------
    BookFigure
        Left, one small panel per activation: :math:`h_{t,i}` of unit ``unit`` against t, over a
        grey band marking the activation's range, all panels on the same axes. Right: the spread
        of every state value (all times, sequences and units) per activation (a violin), over the
        same bands.
    """
    if not states or len(states) > 4:
        raise ValueError(f"states must hold between 1 and 4 activations; got {len(states)}")
    runs: dict[str, Array] = {}
    for name, hs in states.items():
        _checks.choice(name, "states key", tuple(RANGES))
        runs[name] = _checks.float_array(hs, f"states[{name!r}]", ndim=3, layout="(T, B, H)")
    shape = next(iter(runs.values())).shape
    for name, hs in runs.items():
        _checks.expect_shape(hs, f"states[{name!r}]", shape, "(T, B, H)", "(like the others)")
    if not isinstance(unit, int) or not 0 <= unit < shape[2]:
        raise ValueError(f"unit must be an int in [0, {shape[2]}); got {unit!r}")
    fig, (left, right) = new_figure(1, 2, height=3.6)
    lo, hi = _limits(runs)
    grid = left.get_subplotspec().subgridspec(2, 2, hspace=0.08, wspace=0.08)
    left.remove()
    t = np.arange(1, shape[0] + 1)
    paths: list[Axes] = []
    for k, (name, hs) in enumerate(runs.items()):
        ax = fig.add_subplot(grid[k // 2, k % 2], sharex=paths[0] if paths else None,
                             sharey=paths[0] if paths else None)
        decorate(ax)
        _band(ax, name, lo, hi, (0.5, shape[0] + 0.5))
        ax.plot(t, hs[:, 0, unit], color=PALETTE[SERIES[k][0]])    # one line a panel
        ax.text(0.04, 0.95, name, transform=ax.transAxes, ha="left", va="top",
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"))
        ax.label_outer()
        paths.append(ax)
    paths[0].set(ylim=(lo, hi), xlim=(0.5, shape[0] + 0.5))
    for ax in paths[-2:]:
        ax.set_xlabel("step $t$")
    for ax in paths[::2]:
        ax.set_ylabel(f"$h_{{t,{unit + 1}}}$")
    _ranges_panel(right, runs, lo, hi)
    return fig


def _limits(runs: dict[str, Array]) -> tuple[float, float]:
    """The y limits that show every state value, with a margin."""
    lo = min(float(hs.min()) for hs in runs.values())
    hi = max(float(hs.max()) for hs in runs.values())
    pad = 0.08 * (hi - lo) or 0.5
    return lo - pad, hi + pad


def _band(ax: Axes, name: str, lo: float, hi: float, span: tuple[float, float]) -> None:
    """A grey band over ``span`` marking the range of activation ``name``, within [lo, hi]."""
    a, b = max(RANGES[name][0], lo), min(RANGES[name][1], hi)
    ax.fill_between(span, a, b, color="#e8e8e8", linewidth=0, zorder=0)


def _ranges_panel(ax: Axes, runs: dict[str, Array], lo: float, hi: float) -> None:
    """Violins of every state value per activation, over bands marking each range."""
    for k, name in enumerate(runs):
        _band(ax, name, lo, hi, (k - 0.4, k + 0.4))
    parts = ax.violinplot([hs.ravel() for hs in runs.values()], positions=range(len(runs)),
                          widths=0.6, showextrema=True)
    bodies: Any = parts["bodies"]
    for k, body in enumerate(bodies):
        colour = PALETTE[SERIES[k][0]]
        body.set(facecolor=colour, edgecolor=colour, alpha=0.6)
    for key in ("cbars", "cmins", "cmaxes"):
        parts[key].set_color("#555555")
    ax.set(xticks=range(len(runs)), xticklabels=list(runs), ylim=(lo, hi),
           xlabel="activation $f$", ylabel="all state values $h_{t,i}$")
    ax.set_title("grey: the range of $f$", loc="left", fontsize=10, color="#555555")
