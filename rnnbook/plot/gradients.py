r"""Figures of chapter 5: gradients through time, saturation, the error wall, clipping.

Every function computes what it draws with tested functions of :mod:`rnnbook.dynamics` (or takes
a :class:`rnnbook.train.History`) and returns a :class:`~rnnbook.plot.style.BookFigure`. Lines
differ in colour, line style and marker, so they can be told apart without colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

from rnnbook import _checks, activations, dynamics, rnn, single_unit, train
from rnnbook.plot.style import LINES, PALETTE, SEQUENTIAL, BookFigure, new_figure
from rnnbook.types import Array

_LINES = (*LINES, ("purple", "-", "v"), ("sky", "--", "P"), ("black", "-.", "X"))


def _style(n: int) -> dict[str, Any]:
    colour, linestyle, marker = _LINES[n % len(_LINES)]
    return {"color": PALETTE[colour], "linestyle": linestyle, "marker": marker}


def _one_sequence(xs: object, params: rnn.Params) -> Array:
    x = _checks.float_array(xs, "xs", ndim=3, layout="(T, 1, D)")
    if x.shape[1] != 1 or x.shape[2] != params.input_size:
        raise ValueError(f"xs must have shape (T, 1, D) with D={params.input_size}; got "
                         f"{_checks.shape_str(x.shape)}")
    return x


def gradient_norm_curves(panels: Mapping[str, Mapping[str, rnn.Params]], xs: ArrayLike, *,
                         bound: bool = True,
                         ylim: tuple[float, float] | None = None) -> BookFigure:
    r"""Measured :math:`\|\partial h_T / \partial h_{T-k}\|_2` against k, on a log scale.

    Parameters
    ----------
    panels : mapping of str to mapping of str to rnn.Params
        One panel per entry, titled by its key; in it one line per network, labelled by its key.
    xs : ndarray of shape (T, 1, D)
        The input sequence every network reads (:func:`rnnbook.dynamics.gradient_norms`).
    bound : bool, default True
        Also draw :math:`(\gamma\,\sigma_{\max}(W_{hh}))^k`
        (:func:`rnnbook.dynamics.gradient_bound`) as a thin dashed line of the network's colour.
    ylim : (float, float), optional
        Limits of the logarithmic y axis; by default matplotlib's, floored at 1e-16.

    Returns
    -------
    BookFigure
        One panel per entry of ``panels``, sharing the y axis.
    """
    if not panels:
        raise ValueError("panels must hold at least one panel")
    nets = [(_checks.instance(p, f"panels[{title!r}][{label!r}]", rnn.Params, "an rnn.Params"),
             title, label)
            for title, lines in panels.items() for label, p in lines.items()]
    x = _one_sequence(xs, nets[0][0])
    T = len(x)
    k: Any = np.arange(T)
    fig, axes = new_figure(1, len(panels), width=min(3.7 * len(panels) + 0.4, 7.8),
                           height=3.6)
    axes = np.atleast_1d(axes)
    same_labels = len({tuple(lines) for lines in panels.values()}) == 1
    for ax, (title, lines) in zip(axes, panels.items(), strict=True):
        for n, (label, p) in enumerate(lines.items()):
            norms = dynamics.gradient_norms(p, _one_sequence(x, p))
            style = _style(n)
            ax.plot(k, np.where(norms > 0, norms, np.nan), label=label,
                    markevery=max(T // 8, 1), markersize=4, **style)
            if bound:
                ax.plot(k, dynamics.gradient_bound(p, k), color=style["color"], linewidth=0.9,
                        linestyle=(0, (2, 2)), alpha=0.9)
        ax.set(yscale="log", title=title, xlabel="steps back in time $k$",
               ylabel=r"$\|\partial h_T / \partial h_{T-k}\|_2$", xlim=(0, T - 1))
        handles, labels = ax.get_legend_handles_labels()
        if bound:
            handles.append(Line2D([], [], color="#555555", linewidth=0.9,
                                  linestyle=(0, (2, 2))))
            labels.append(r"bound $(\gamma\,\sigma_{\max})^k$")
        if not (same_labels and len(panels) > 1):
            ax.legend(handles, labels, frameon=False, fontsize="small")
    if same_labels and len(panels) > 1:             # one legend for all panels, above them
        fig.legend(handles, labels, loc="outside upper center", frameon=False,
                   fontsize="small", ncols=min(len(labels), 6))
    if ylim is None:
        lows, highs = zip(*(ax.get_ylim() for ax in axes), strict=True)
        ylim = (max(min(lows), 1e-16), max(highs))
    for ax in axes:
        ax.set_ylim(ylim)
    return fig


def saturation(params: rnn.Params, xs: ArrayLike, scales: Sequence[float]) -> BookFigure:
    r"""How larger inputs saturate tanh units and make gradients vanish, whatever :math:`W_{hh}`.

    The network reads ``s * xs`` for every scale s in ``scales``.

    Parameters
    ----------
    params : rnn.Params
        A tanh network.
    xs : ndarray of shape (T, 1, D)
        One input sequence, scaled by each entry of ``scales``.
    scales : sequence of float
        Input scales, each >= 0.

    Returns
    -------
    BookFigure
        Left: the derivative :math:`f'(a) = 1 - \tanh^2 a` (black) over histograms of every
        pre-activation :math:`a_{t,i}` (:func:`rnnbook.dynamics.preactivations`), one per scale,
        with the mean :math:`f'` in the legend. Right: the gradient norms against k for each
        scale, with the bound :math:`(\gamma\,\sigma_{\max}(W_{hh}))^k` dashed.
    """
    p = _checks.instance(params, "params", rnn.Params, "an rnn.Params")
    if p.activation != "tanh":
        raise ValueError(f"params must be a tanh network; got activation {p.activation!r}")
    x = _one_sequence(xs, p)
    s_list = [_checks.positive_float(s, "scales entry", allow_zero=True) for s in scales]
    if not s_list:
        raise ValueError("scales must hold at least one input scale")
    T = len(x)
    k: Any = np.arange(T)
    runs = [(s, dynamics.preactivations(p, s * x).ravel(), dynamics.gradient_norms(p, s * x))
            for s in s_list]
    a_max = max(4.0, max(float(np.abs(a).max()) for _, a, _ in runs))
    fig, (left, right) = new_figure(1, 2, width=7.8, height=3.6)
    hist = left.twinx()
    edges = np.linspace(-a_max, a_max, 41)
    for n, (s, a, _) in enumerate(runs):
        style = _style(n)
        mean_df = float(np.mean(1.0 - np.tanh(a) ** 2))
        hist.hist(a, bins=edges, histtype="step", color=style["color"],
                  linestyle=style["linestyle"], linewidth=1.4,
                  weights=np.full(len(a), 1 / len(a)),
                  label=f"inputs × {s:g}: mean $f'$ = {mean_df:.2f}")
    grid = np.linspace(-a_max, a_max, 401)
    left.plot(grid, activations.get("tanh").df(grid), color="black", linewidth=2.0,
              label=r"$f'(a) = 1 - \tanh^2 a$")
    left.set(xlabel="pre-activation $a_{t,i}$", ylabel="derivative $f'(a)$", ylim=(0, 1.5),
             yticks=np.linspace(0, 1, 6), xlim=(-a_max, a_max))
    hist.set_ylim(0, 1.5 * hist.get_ylim()[1] / 1.05)
    hist.set(ylabel="share of pre-activations", xlabel="pre-activation $a_{t,i}$")
    hist.spines["right"].set_visible(True)
    hist.grid(False)
    handles = left.get_legend_handles_labels()[0] + [
        Line2D([], [], color=_style(n)["color"], linestyle=_style(n)["linestyle"])
        for n in range(len(runs))]
    labels = left.get_legend_handles_labels()[1] + hist.get_legend_handles_labels()[1]
    left.legend(handles, labels, frameon=False, fontsize="x-small", loc="upper left")
    for n, (s, _, norms) in enumerate(runs):
        right.plot(k, np.where(norms > 0, norms, np.nan), label=f"inputs × {s:g}",
                   markevery=max(T // 8, 1), markersize=4, **_style(n))
    right.plot(k, dynamics.gradient_bound(p, k), color="#555555", linewidth=0.9,
               linestyle=(0, (2, 2)), label=r"bound $(\gamma\,\sigma_{\max})^k$")
    right.set(yscale="log", xlabel="steps back in time $k$", xlim=(0, T - 1),
              ylabel=r"$\|\partial h_T / \partial h_{T-k}\|_2$")
    right.legend(frameon=False, fontsize="small")
    return fig


def error_wall(ws: ArrayLike, bs: ArrayLike, *, w_cut: float, cut_bs: ArrayLike,
               cut_Ts: Sequence[int], x0: float = 0.5, T: int = 20, target: float = 2.0,
               vmax: float | None = None) -> BookFigure:
    r"""The error surface of the single-unit network, its wall, and a cut across the wall.

    Parameters
    ----------
    ws, bs : ndarray of shape (M,) and (N,)
        The grid of :math:`(w, b)` of the map (:func:`rnnbook.single_unit.surface`).
    w_cut : float
        The :math:`w` of the cut, drawn as a dashed line on the map.
    cut_bs : ndarray of shape (C,)
        The values of :math:`b` along the cut (a fine grid: the wall is narrow).
    cut_Ts : sequence of int
        Sequence lengths of the cut's lines (``T`` itself is the map's).
    x0, T, target
        As in :func:`rnnbook.single_unit.loss`.
    vmax : float, optional
        Losses above ``vmax`` all get the top colour of the map; default: the 95th percentile.

    Returns
    -------
    BookFigure
        Left: :math:`L(w, b)` as a colour map. Top right: :math:`L` along the cut, one line per
        T. Bottom right: :math:`\|\nabla L\|` along the cut
        (:func:`rnnbook.single_unit.grads`), on a log scale.
    """
    w_grid = _checks.float_array(ws, "ws", ndim=1, layout="(M,)")
    b_grid = _checks.float_array(bs, "bs", ndim=1, layout="(N,)")
    b_cut = _checks.float_array(cut_bs, "cut_bs", ndim=1, layout="(C,)")
    Ts = [_checks.positive_int(t, "cut_Ts entry") for t in cut_Ts]
    if not Ts:
        raise ValueError("cut_Ts must hold at least one sequence length")
    surface = single_unit.surface(w_grid, b_grid, x0=x0, T=T, target=target)  # (N, M)
    top = float(np.percentile(surface, 95)) if vmax is None else float(vmax)
    fig, axes = new_figure(2, 2, width=7.8, height=5.6)
    for ax in axes[:, 0]:                             # the map takes the whole left column
        ax.remove()
    ax_map = fig.add_subplot(axes[0, 1].get_gridspec()[:, 0])
    ax_loss, ax_grad = axes[0, 1], axes[1, 1]
    mesh = ax_map.pcolormesh(w_grid, b_grid, surface, shading="nearest", cmap=SEQUENTIAL,
                             vmin=0.0, vmax=top, rasterized=True)
    ax_map.grid(False)
    ax_map.plot([w_cut, w_cut], [b_cut[0], b_cut[-1]], color="white", linestyle="--",
                linewidth=1.5)
    ax_map.set(xlabel="recurrent weight $w$", ylabel="bias $b$",
               title=f"error surface, T = {T}")
    fig.colorbar(mesh, ax=ax_map, label="loss $L(w, b)$", extend="max", location="bottom",
                 shrink=0.9)
    for n, t in enumerate(Ts):
        loss, dw, db = single_unit.grads(w_cut, b_cut, x0=x0, T=t, target=target)
        style = _style(n)
        style.pop("marker")
        ax_loss.plot(b_cut, loss, label=f"T = {t}", **style)
        ax_grad.plot(b_cut, np.hypot(dw, db), label=f"T = {t}", **style)
    ax_loss.set(xlabel="bias $b$", ylabel="$L(w, b)$", title=f"cut at $w$ = {w_cut:g}",
                xlim=(b_cut[0], b_cut[-1]))
    ax_grad.set(xlabel="bias $b$", ylabel=r"$\|\nabla L\|$", yscale="log",
                title=f"gradient norm at $w$ = {w_cut:g}", xlim=(b_cut[0], b_cut[-1]))
    ax_loss.legend(frameon=False, fontsize="small")
    ax_grad.legend(frameon=False, fontsize="small")
    return fig


def training_curves(histories: Mapping[str, train.History], *,
                    max_norm: float | None = None) -> BookFigure:
    r"""Training loss and gradient norm (before clipping) against the step, for several runs.

    Parameters
    ----------
    histories : mapping of str to train.History
        One run per entry, labelled by its key (from :func:`rnnbook.train.fit`).
    max_norm : float, optional
        The clipping threshold c, drawn as a horizontal line on the gradient-norm panel.

    Returns
    -------
    BookFigure
        Left: loss; right: :math:`\|g\|` as recorded by :func:`rnnbook.train.fit`; both on log
        scales. A run that diverged ends in a cross at the step it stopped.
    """
    if not histories:
        raise ValueError("histories must hold at least one run")
    fig, (ax_loss, ax_norm) = new_figure(1, 2, width=7.8, height=3.4)
    for n, (label, h) in enumerate(histories.items()):
        _checks.instance(h, f"histories[{label!r}]", train.History, "a train.History")
        style = _style(n)
        style.pop("marker")
        steps = np.arange(1, len(h.loss) + 1)
        for ax, values in ((ax_loss, h.loss), (ax_norm, h.grad_norm)):
            ax.plot(steps, values, label=label, linewidth=1.1, **style)
            if h.diverged_at is not None and len(values):
                ax.plot(steps[-1], values[-1], marker="X", markersize=9, color=style["color"],
                        linestyle="none", label=f"{label}: diverged")
    if max_norm is not None:
        c = _checks.positive_float(max_norm, "max_norm")
        ax_norm.axhline(c, color="#555555", linewidth=1.0, linestyle=(0, (2, 2)),
                        label=f"clipping threshold $c$ = {c:g}")
    ax_loss.set(xlabel="training step", ylabel="training loss", yscale="log")
    ax_norm.set(xlabel="training step", ylabel=r"gradient norm $\|g\|$ (before clipping)",
                yscale="log")
    handles, labels = ax_norm.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=min(len(labels), 4),
               frameon=False, fontsize="small")
    return fig
