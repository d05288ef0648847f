r"""Figures of chapter 5: gradients through time, saturation, the error wall, clipping.

Every function draws what the chapter computed with :mod:`rnnbook.dynamics`,
:mod:`rnnbook.single_unit` or :func:`rnnbook.train.fit`, and returns a
:class:`~rnnbook.plot.figure.BookFigure`. Lines of data differ in colour, line style and marker,
so they can be told apart without colour; bounds and thresholds are dotted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

from rnnbook import _checks, activations, train
from rnnbook.plot.figure import BookFigure, decorate, new_figure
from rnnbook.plot.style import SEQUENTIAL, reference, series
from rnnbook.types import Array

_NORM = r"$\|\partial h_T / \partial h_{T-k}\|_2$"
_BOUND = r"bound $(\gamma\,\sigma_{\max})^k$"


def _lines(values: Mapping[str, ArrayLike], name: str, layout: str = "(T,)") -> dict[str, Array]:
    """Check a mapping of label to 1-d array, all of one length, and return it as floats."""
    if not values:
        raise ValueError(f"{name} must hold at least one line")
    out = {label: _checks.float_array(v, f"{name}[{label!r}]", ndim=1, layout=layout)
           for label, v in values.items()}
    first = next(iter(out.values())).shape
    for label, v in out.items():
        _checks.expect_shape(v, f"{name}[{label!r}]", first, layout, "(like the first line)")
    return out


def _norm_lines(ax: Axes, norms: Mapping[str, Array], bounds: Mapping[str, Array] | None) -> None:
    """One line per network of the norms against k, and its bound dotted in the same colour."""
    for n, (label, y) in enumerate(norms.items()):
        k = np.arange(len(y))
        look = series(n)
        ax.plot(k, np.where(y > 0, y, np.nan), label=label, markevery=max(len(y) // 8, 1),
                markersize=4, **look)
        if bounds is not None:
            ax.plot(k, bounds[label], **reference(look["color"], linewidth=1.0))
    ax.set(yscale="log", xlabel="steps back in time $k$", ylabel=_NORM, xlim=(0, len(y) - 1))


def gradient_norm_curves(norms: Mapping[str, Mapping[str, ArrayLike]], *,
                         bounds: Mapping[str, Mapping[str, ArrayLike]] | None = None,
                         ylim: tuple[float, float] | None = None) -> BookFigure:
    r"""Measured :math:`\|\partial h_T / \partial h_{T-k}\|_2` against k, on a log scale.

    Parameters
    ----------
    norms : mapping of str to mapping of str to ndarray of shape (T,)
        One panel per entry, titled by its key; in it one line per network, labelled by its key:
        the norms for :math:`k = 0, \dots, T-1` (:func:`rnnbook.dynamics.gradient_norms`).
    bounds : same layout as ``norms``, optional
        The bound :math:`(\gamma\,\sigma_{\max}(W_{hh}))^k` of each network
        (:func:`rnnbook.dynamics.gradient_bound`), drawn dotted in the network's colour.
    ylim : (float, float), optional
        Limits of the logarithmic y axis; by default matplotlib's, floored at 1e-16.

    Returns
    -------
    BookFigure
        One panel per entry of ``norms``, sharing the y axis; one legend above the panels when
        they hold the same networks.
    """
    if not norms:
        raise ValueError("norms must hold at least one panel")
    panels = {title: _lines(lines, f"norms[{title!r}]") for title, lines in norms.items()}
    limits = {title: _lines(bounds[title], f"bounds[{title!r}]") for title in panels} \
        if bounds is not None else None
    fig, axes = new_figure(1, len(panels), height=3.6 if len(panels) > 1 else 3.2)
    axes = np.atleast_1d(axes)
    same_labels = len(panels) > 1 and len({tuple(lines) for lines in panels.values()}) == 1
    for ax, (title, lines) in zip(axes, panels.items(), strict=True):
        _norm_lines(ax, lines, None if limits is None else limits[title])
        if len(panels) > 1:
            ax.set_title(title)
    handles, labels = axes[0].get_legend_handles_labels()
    if limits is not None:
        handles.append(Line2D([], [], **reference(linewidth=1.0)))
        labels.append(_BOUND)
    if same_labels:
        fig.legend(handles, labels, loc="outside upper center", frameon=False,
                   ncols=min(len(labels), 3))
    else:
        for ax in axes:
            ax.legend(frameon=False)
    if ylim is None:
        lows, highs = zip(*(ax.get_ylim() for ax in axes), strict=True)
        ylim = (max(min(lows), 1e-16), max(highs))
    for ax in axes:
        ax.set_ylim(ylim)
    return fig


def saturation(preactivations: Mapping[str, ArrayLike], norms: Mapping[str, ArrayLike], *,
               bound: ArrayLike | None = None) -> BookFigure:
    r"""How larger inputs saturate tanh units and make gradients vanish, whatever :math:`W_{hh}`.

    Parameters
    ----------
    preactivations : mapping of str to ndarray of any shape
        For each run of a tanh network, by its legend label, every pre-activation
        :math:`a_{t,i}` (:func:`rnnbook.dynamics.preactivations`).
    norms : mapping of str to ndarray of shape (T,)
        The gradient norms of the same runs, under the same labels
        (:func:`rnnbook.dynamics.gradient_norms`).
    bound : ndarray of shape (T,), optional
        The bound :math:`(\gamma\,\sigma_{\max}(W_{hh}))^k` of the network, drawn dotted.

    Returns
    -------
    BookFigure
        Top left: the derivative :math:`f'(a) = 1 - \tanh^2 a`. Bottom left, on the same
        pre-activation axis: where the pre-activations of each run fall (a histogram, the share
        of all :math:`a_{t,i}` per bin). Right: the gradient norms of each run against k, on a log
        scale. One legend above, one colour and line style per run.
    """
    runs = {label: _checks.float_array(a, f"preactivations[{label!r}]", ndim=None,
                                       layout="(T, B, H)").ravel()
            for label, a in preactivations.items()}
    if not runs:
        raise ValueError("preactivations must hold at least one run")
    lines = _lines(norms, "norms")
    if list(lines) != list(runs):
        raise ValueError(f"norms must name the same runs as preactivations, in the same order; "
                         f"got {list(lines)} and {list(runs)}")
    a_max = max(4.0, max(float(np.abs(a).max()) for a in runs.values()))
    fig, (left, right) = new_figure(1, 2, height=3.8)
    grid = left.get_subplotspec().subgridspec(2, 1, height_ratios=[1, 2], hspace=0.05)
    left.remove()
    slope = fig.add_subplot(grid[0])
    hist = fig.add_subplot(grid[1], sharex=slope)
    for ax in (slope, hist):
        decorate(ax)
    grid_a = np.linspace(-a_max, a_max, 401)
    slope.plot(grid_a, activations.get("tanh").df(grid_a), color="black", linewidth=1.8)
    slope.set(ylabel="$f'(a)$", ylim=(0, 1.1), yticks=[0, 0.5, 1], xlim=(-a_max, a_max))
    slope.tick_params(labelbottom=False)
    slope.set_title(r"$f'(a) = 1 - \tanh^2 a$", loc="left", fontsize=10)
    edges = np.linspace(-a_max, a_max, 41).tolist()
    for n, a in enumerate(runs.values()):
        look = series(n, marker=False)
        hist.hist(a, bins=edges, histtype="step", linewidth=1.4,
                  weights=np.full(len(a), 1 / len(a)), color=look["color"],
                  linestyle=look["linestyle"])
    hist.set(xlabel="pre-activation $a_{t,i}$", ylabel="share of $a_{t,i}$")
    for n, (label, y) in enumerate(lines.items()):
        k = np.arange(len(y))
        right.plot(k, np.where(y > 0, y, np.nan), label=label, markevery=max(len(y) // 8, 1),
                   markersize=4, **series(n))
    if bound is not None:
        b = _checks.float_array(bound, "bound", ndim=1, layout="(T,)")
        right.plot(np.arange(len(b)), b, label=_BOUND, **reference())
    right.set(yscale="log", xlabel="steps back in time $k$", xlim=(0, len(y) - 1), ylabel=_NORM)
    fig.legend(*right.get_legend_handles_labels(), loc="outside upper center", frameon=False,
               ncols=2)
    return fig


def error_wall(ws: ArrayLike, bs: ArrayLike, losses: ArrayLike, *, T: int, w_cut: float,
               cut_bs: ArrayLike, cut_losses: Mapping[str, ArrayLike],
               cut_norms: Mapping[str, ArrayLike], vmax: float | None = None) -> BookFigure:
    r"""The error surface of the single-unit network, its wall, and a cut across the wall.

    Parameters
    ----------
    ws, bs : ndarray of shape (M,) and (N,)
        The grid of :math:`(w, b)` of the map.
    losses : ndarray of shape (N, M)
        :math:`L(w, b)` on that grid (:func:`rnnbook.single_unit.surface`).
    T : int
        The sequence length of the map, for its title.
    w_cut : float
        The :math:`w` of the cut, drawn as a dashed white segment on the map.
    cut_bs : ndarray of shape (C,)
        The values of :math:`b` along the cut (a fine grid: the wall is narrow).
    cut_losses, cut_norms : mapping of str to ndarray of shape (C,)
        Along the cut, for each sequence length by its legend label (``"T = 10"``), the loss
        :math:`L` and the gradient norm :math:`\|\nabla L\|` (from
        :func:`rnnbook.single_unit.grads`).
    vmax : float, optional
        Losses above ``vmax`` all get the top colour of the map; default: the 95th percentile.

    Returns
    -------
    BookFigure
        Left: :math:`L(w, b)` as a colour map. Top right: :math:`L` along the cut, one line per
        sequence length. Bottom right: :math:`\|\nabla L\|` along the cut, on a log scale.
    """
    w_grid = _checks.float_array(ws, "ws", ndim=1, layout="(M,)")
    b_grid = _checks.float_array(bs, "bs", ndim=1, layout="(N,)")
    surface = _checks.float_array(losses, "losses", ndim=2, layout="(N, M)")
    _checks.expect_shape(surface, "losses", (len(b_grid), len(w_grid)), "(N, M)",
                         "(one loss per b and w)")
    b_cut = _checks.float_array(cut_bs, "cut_bs", ndim=1, layout="(C,)")
    along = _lines(cut_losses, "cut_losses", "(C,)")
    steep = _lines(cut_norms, "cut_norms", "(C,)")
    for name, values in (("cut_losses", along), ("cut_norms", steep)):
        _checks.expect_shape(next(iter(values.values())), name, b_cut.shape, "(C,)",
                             "(one value per b of the cut)")
    top = float(np.percentile(surface, 95)) if vmax is None else float(vmax)
    fig, axes = new_figure(2, 2, height=5.4)
    for ax in axes[:, 0]:                             # the map takes the whole left column
        ax.remove()
    ax_map = fig.add_subplot(axes[0, 1].get_gridspec()[:, 0])
    ax_loss, ax_grad = axes[0, 1], axes[1, 1]
    mesh = ax_map.pcolormesh(w_grid, b_grid, surface, shading="nearest", cmap=SEQUENTIAL,
                             vmin=0.0, vmax=top, rasterized=True)
    ax_map.plot([w_cut, w_cut], [b_cut[0], b_cut[-1]], color="white", linestyle="--",
                linewidth=1.5)
    ax_map.set(xlabel="recurrent weight $w$", ylabel="bias $b$", title=f"error surface, T = {T}")
    fig.colorbar(mesh, ax=ax_map, label="loss $L(w, b)$", extend="max", location="bottom",
                 shrink=0.9)
    for n, label in enumerate(along):
        ax_loss.plot(b_cut, along[label], label=label, **series(n, marker=False))
        ax_grad.plot(b_cut, steep[label], label=label, **series(n, marker=False))
    ax_loss.set(ylabel="$L(w, b)$", title=f"along the cut, $w$ = {w_cut:g}",
                xlim=(b_cut[0], b_cut[-1]))
    ax_loss.tick_params(labelbottom=False)
    ax_grad.set(xlabel="bias $b$", ylabel=r"$\|\nabla L\|$", yscale="log",
                xlim=(b_cut[0], b_cut[-1]))
    ax_loss.legend(frameon=False)
    return fig


def training_curves(histories: Mapping[str, train.History], *,
                    max_norm: float | None = None) -> BookFigure:
    r"""Training loss and gradient norm (before clipping) against the step, for several runs.

    Parameters
    ----------
    histories : mapping of str to train.History
        One run per entry, labelled by its key (from :func:`rnnbook.train.fit`).
    max_norm : float, optional
        The clipping threshold c, drawn as a dotted horizontal line on the gradient-norm panel.

    Returns
    -------
    BookFigure
        Left: loss; right: :math:`\|g\|` as recorded by :func:`rnnbook.train.fit`; both on log
        scales. A run that diverged ends in a cross at the step it stopped.
    """
    if not histories:
        raise ValueError("histories must hold at least one run")
    fig, (ax_loss, ax_norm) = new_figure(1, 2, height=3.4)
    for n, (label, h) in enumerate(histories.items()):
        _checks.instance(h, f"histories[{label!r}]", train.History, "a train.History")
        look: dict[str, Any] = series(n, marker=False)
        steps = np.arange(1, len(h.loss) + 1)
        for ax, values in ((ax_loss, h.loss), (ax_norm, h.grad_norm)):
            ax.plot(steps, values, label=label, linewidth=1.1, **look)
            if h.diverged_at is not None and len(values):
                ax.plot(steps[-1], values[-1], marker="X", markersize=9, color=look["color"],
                        linestyle="none", label=f"{label}: diverged")
    if max_norm is not None:
        c = _checks.positive_float(max_norm, "max_norm")
        ax_norm.axhline(c, **reference(), label=f"clipping threshold $c$ = {c:g}")
    ax_loss.set(xlabel="training step", ylabel="training loss", yscale="log")
    ax_norm.set(xlabel="training step", ylabel=r"$\|g\|$ before clipping", yscale="log")
    handles, labels = ax_norm.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=min(len(labels), 3),
               frameon=False)
    return fig
