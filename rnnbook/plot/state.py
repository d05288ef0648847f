"""Figures of the state update (chapter 2): the activations, the state over time, its range."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from rnnbook import _checks, activations, rnn
from rnnbook.plot.style import DIVERGING, LINES, PALETTE, BookFigure, new_figure
from rnnbook.types import Array


def activation_functions(a_max: float = 4.0) -> BookFigure:
    r"""The four activations :math:`f(a)` and their derivatives :math:`f'(a)`, side by side.

    Parameters
    ----------
    a_max : float, default 4.0
        The pre-activation axis spans :math:`[-a_{max}, a_{max}]`.

    Returns
    -------
    BookFigure
        Left: :math:`f(a)`; right: :math:`f'(a)`, with :math:`\gamma = \sup|f'|` marked.
    """
    a = np.linspace(-a_max, a_max, 801)
    fig, (left, right) = new_figure(1, 2, width=7.5, height=3.0)
    for name in activations.NAMES:
        act = activations.get(name)
        left.plot(a, act.f(a), label=name)
        right.plot(a, act.df(a), label=f"{name} (γ = {act.gamma:g})")
    left.set(xlabel="pre-activation $a$", ylabel="$f(a)$", title="activation",
             ylim=(-1.5, 2.5))
    right.set(xlabel="pre-activation $a$", ylabel="$f'(a)$", title="derivative",
              ylim=(-0.1, 1.15))
    left.legend(frameon=False)
    right.legend(frameon=False, fontsize="small")
    return fig


RANGES: dict[str, tuple[float, float]] = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0),
                                          "relu": (0.0, np.inf), "identity": (-np.inf, np.inf)}
"""The range of each activation, the interval a state computed with it can take."""



def _one_sequence(params: rnn.Params, xs: object, h0: object | None) -> tuple[Array, Array]:
    """Validate one input sequence ``xs`` (T, D) and return it with its states (T, H)."""
    x = _checks.float_array(xs, "xs", ndim=2, layout="(T, D)")
    start = None if h0 is None else _checks.float_array(h0, "h0", ndim=1, layout="(H,)")[None]
    hs, _ = rnn.forward(params, x[:, None, :], start)            # (T, 1, H)
    return x, hs[:, 0]                                           # (T, D), (T, H)


def state_heatmap(params: rnn.Params | None = None, xs: ArrayLike | None = None, *,
                  states: ArrayLike | None = None, h0: ArrayLike | None = None) -> BookFigure:
    r"""The hidden state of one sequence over time as a heatmap, under the inputs that drive it.

    Either give ``params`` and ``xs`` (the states are computed with :func:`rnnbook.rnn.forward`)
    or give ``states`` directly (then ``xs``, if given, is only drawn).

    Parameters
    ----------
    params : rnn.Params, optional
    xs : ndarray of shape (T, D), optional
        One input sequence; drawn in a strip above the heatmap, one line per feature.
    states : ndarray of shape (T, H), optional
        :math:`h_1, \dots, h_T` of one sequence, instead of ``params``.
    h0 : ndarray of shape (H,), optional
        Initial state when ``params`` is given; ``None`` means zeros.

    Returns
    -------
    BookFigure
        Unit i (row) against time step t (column), coloured by :math:`h_{t,i}` with the diverging
        colour map centred on 0, and a colour bar.

    Examples
    --------
    >>> p = rnn.init(input_size=1, hidden_size=4, seed=0)
    >>> fig = state_heatmap(p, np.eye(6, 1))          # a single pulse at t = 1, then zeros
    >>> [ax.get_ylabel() for ax in fig.axes[:2]]
    ['input $x_t$', 'hidden unit $i$']
    """
    if (params is None) == (states is None):
        raise ValueError("give either params (with xs) or states, not both and not neither")
    x: Array | None
    if params is not None:
        if xs is None:
            raise ValueError("xs is required with params: the inputs of shape (T, D)")
        x, hs = _one_sequence(params, xs, h0)
    else:
        hs = _checks.float_array(states, "states", ndim=2, layout="(T, H)")
        x = None if xs is None else _checks.float_array(xs, "xs", ndim=2, layout="(T, D)")
        if x is not None and len(x) != len(hs):
            raise ValueError(f"xs must have T={len(hs)} rows like states; got {len(x)}")
    return _draw_heatmap(hs, x)


def _draw_heatmap(hs: Array, x: Array | None) -> BookFigure:
    T, H = hs.shape
    fig, axes = new_figure(1 if x is None else 2, 1, width=7.0, height=3.4 if x is None else 4.4)
    heat = axes if x is None else axes[1]
    if x is not None:
        axes[0].get_gridspec().set_height_ratios([1, 3])
        for d in range(x.shape[1]):
            colour, style, _ = LINES[d % len(LINES)]
            axes[0].plot(np.arange(1, T + 1), x[:, d], color=PALETTE[colour], linestyle=style,
                         drawstyle="steps-mid", label=f"feature {d + 1}")
        axes[0].set(xlabel="time step $t$", ylabel="input $x_t$", xlim=(0.5, T + 0.5))
        if x.shape[1] > 1:
            axes[0].legend(frameon=False, fontsize="small", ncols=min(x.shape[1], 4))
    vmax = float(np.abs(hs).max()) or 1.0
    image = heat.imshow(hs.T, aspect="auto", cmap=DIVERGING, vmin=-vmax, vmax=vmax,
                        interpolation="nearest", extent=(0.5, T + 0.5, H + 0.5, 0.5))
    heat.grid(False)
    heat.set(xlabel="time step $t$", ylabel="hidden unit $i$")
    heat.yaxis.get_major_locator().set_params(integer=True)
    cax = heat.inset_axes((1.02, 0.0, 0.025, 1.0))    # beside the heatmap, keeping it aligned
    fig.colorbar(image, cax=cax, label="state $h_{t,i}$")
    return fig


def activation_ranges(params: rnn.Params, xs: ArrayLike, *, unit: int = 0) -> BookFigure:
    r"""The states the same weights produce under each activation: one trajectory, and all values.

    For every activation in :data:`rnnbook.activations.NAMES`, runs :func:`rnnbook.rnn.forward`
    with ``params``' weights and that activation on the same inputs.

    Parameters
    ----------
    params : rnn.Params
        The weights; their own activation is ignored.
    xs : ndarray of shape (T, B, D)
        Input sequences.
    unit : int, default 0
        Which hidden unit of the first sequence the left panel follows (a 0-based index; the
        figure labels it :math:`i` = ``unit + 1``, counting from 1 as the book does).

    Returns
    -------
    BookFigure
        Left: :math:`h_{t,i}` of unit ``unit`` against t, one line per activation. Right: the
        spread of every state value (all times, sequences and units) per activation, over a
        grey band marking the activation's range (``rnnbook.plot.state.RANGES``).
    """
    _checks.instance(params, "params", rnn.Params, "an rnn.Params")
    x = _checks.float_array(xs, "xs", ndim=3, layout="(T, B, D)")
    if not isinstance(unit, int) or not 0 <= unit < params.hidden_size:
        raise ValueError(f"unit must be an int in [0, {params.hidden_size}); got {unit!r}")
    runs = {name: rnn.forward(replace(params, activation=name), x)[0]   # (T, B, H) each
            for name in activations.NAMES}
    fig, (left, right) = new_figure(1, 2, width=7.5, height=3.2)
    t = np.arange(1, len(x) + 1)
    for (name, hs), (colour, style, marker) in zip(runs.items(), LINES, strict=True):
        left.plot(t, hs[:, 0, unit], color=PALETTE[colour], linestyle=style, marker=marker,
                  markersize=3, label=name)
    left.set(xlabel="time step $t$", ylabel=f"state of unit {unit + 1}, $h_{{t,{unit + 1}}}$")
    left.legend(frameon=False, fontsize="small")
    _ranges_panel(right, runs)
    return fig


def _ranges_panel(ax: Axes, runs: dict[str, Array]) -> None:
    """Violins of every state value per activation, over bands marking each range."""
    values = [hs.ravel() for hs in runs.values()]
    lo = min(float(v.min()) for v in values)
    hi = max(float(v.max()) for v in values)
    pad = 0.08 * (hi - lo)
    for k, name in enumerate(runs):
        a, b = max(RANGES[name][0], lo - pad), min(RANGES[name][1], hi + pad)
        ax.bar(k, b - a, bottom=a, width=0.75, color="#e8e8e8", zorder=0,
               label="range of $f$" if k == 0 else None)
    parts = ax.violinplot(values, positions=range(len(values)), widths=0.6,
                          showextrema=True)
    bodies: Any = parts["bodies"]
    for k, body in enumerate(bodies):
        colour = LINES[k][0]
        body.set(facecolor=PALETTE[colour], edgecolor=PALETTE[colour], alpha=0.6)
    parts["cbars"].set_color("#555555")
    parts["cmins"].set_color("#555555")
    parts["cmaxes"].set_color("#555555")
    ax.set(xticks=range(len(runs)), xticklabels=list(runs), ylim=(lo - pad, hi + pad),
           xlabel="activation $f$", ylabel="state values $h_{t,i}$")
    ax.legend(frameon=False, fontsize="small", loc="upper left")
