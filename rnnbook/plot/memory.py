r"""Figures of chapter 1 (why networks need memory): learning curves against chance, and the state.

:func:`memory_learning_curves` draws the training loss and the test accuracy of several networks
on one task, with the chance level of the task drawn in both panels. :func:`final_states` shows
what a recurrent network's last state :math:`h_T` holds: each sequence's :math:`h_T` as a point
(its two principal components), marked by the class it should answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from rnnbook import _checks, patterns, rnn, train
from rnnbook.data.memory import SYMBOLS
from rnnbook.plot.style import LINES, PALETTE, BookFigure, new_figure, smoothed
from rnnbook.types import Array

_MARKERS = (("blue", "o"), ("orange", "s"), ("green", "^"), ("vermillion", "D"), ("sky", "v"),
            ("purple", "P"), ("black", "X"))


def memory_learning_curves(histories: Mapping[str, train.History], *, symbols: int,
                           metric: str = "accuracy", smooth: int = 10) -> BookFigure:
    r"""Training loss and test accuracy of several networks against the step, with chance drawn.

    Parameters
    ----------
    histories : mapping of str to History
        One :class:`rnnbook.train.History` per network, by the name to show in the legend (at
        most four). Each must hold the test accuracy in ``history.metrics[metric]``.
    symbols : int
        V, the number of classes, all equally likely: the chance accuracy is :math:`1/V` and the
        cross-entropy of a guess that gives every class probability :math:`1/V` is :math:`\ln V`.
    metric : str, default "accuracy"
        The name under which ``evaluate`` recorded the test accuracy.
    smooth : int, default 10
        The loss is averaged over a sliding window of this many steps (1 draws the raw loss).

    Returns
    -------
    BookFigure
        Left: cross-entropy of the training batches (smoothed) against the step, with
        :math:`\ln V` dashed. Right: test accuracy at the evaluation steps, with :math:`1/V`
        dashed. Each network has its own colour, line style and marker.
    """
    if not histories or len(histories) > len(LINES):
        raise ValueError(f"histories must hold between 1 and {len(LINES)} training records; "
                         f"got {len(histories)}")
    V = _checks.positive_int(symbols, "symbols")
    if V < 2:
        raise ValueError(f"symbols must be at least 2; got {symbols}")
    w = _checks.positive_int(smooth, "smooth")
    fig, (left, right) = new_figure(1, 2, width=7.5, height=3.2)
    for (name, history), (colour, style, marker) in zip(histories.items(), LINES, strict=False):
        _checks.instance(history, f"histories[{name!r}]", train.History, "a train.History")
        if metric not in history.metrics:
            raise ValueError(f"histories[{name!r}] has no metric {metric!r}: pass evaluate= to "
                             f"train.fit returning {{{metric!r}: ...}}; it has "
                             f"{sorted(history.metrics)}")
        left.plot(*smoothed(history.loss, w), color=PALETTE[colour], linestyle=style,
                  label=name)
        right.plot(history.eval_steps, history.metrics[metric], color=PALETTE[colour],
                   linestyle=style, marker=marker, markersize=3, label=name)
    chance = dict(color=PALETTE["black"], linestyle=(0, (2, 2)), linewidth=1.0)
    left.axhline(np.log(V), **chance, label=f"chance, ln {V} = {np.log(V):.2f}")
    right.axhline(1.0 / V, **chance, label=f"chance, 1/{V} = {1.0 / V:.2f}")
    left.set(xlabel="training step", ylabel="cross-entropy (training batch)", ylim=(0.0, None))
    right.set(xlabel="training step", ylabel="accuracy (test sequences)", ylim=(0.0, 1.05))
    left.legend(frameon=False, fontsize="small")
    right.legend(frameon=False, fontsize="small", loc="center right")
    return fig


def principal_components(points: ArrayLike, k: int = 2) -> Array:
    r"""Coordinates of points along their ``k`` directions of largest variance (PCA).

    Parameters
    ----------
    points : ndarray of shape (N, H)
    k : int, default 2
        The number of components, at most H.

    Returns
    -------
    ndarray of shape (N, k)
        :math:`(P - \bar P)\, U_k`, with :math:`U_k` the first ``k`` right singular vectors of
        the centred points :math:`P - \bar P`, each signed so that its largest entry is positive.

    Examples
    --------
    >>> principal_components(np.array([[0.0, 1.0], [0.0, 3.0]]), k=1)   # spread along axis 2
    array([[-1.],
           [ 1.]])
    """
    P = _checks.float_array(points, "points", ndim=2, layout="(N, H)")
    k = _checks.positive_int(k, "k")
    if k > P.shape[1]:
        raise ValueError(f"k must be at most H={P.shape[1]}, the columns of points; got {k}")
    centred = P - P.mean(axis=0)                                        # (N, H)
    _, _, Vt = np.linalg.svd(centred, full_matrices=False)              # Vt: (min(N, H), H)
    U = np.zeros((P.shape[1], k))                                       # (H, k)
    n = min(k, Vt.shape[0])
    U[:, :n] = Vt[:n].T
    signs = np.sign(U[np.argmax(np.abs(U), axis=0), np.arange(k)])      # (k,)
    U *= np.where(signs == 0, 1.0, signs)
    coords: Array = centred @ U                                         # (N, k)
    return coords


def final_states(models: Mapping[str, patterns.Model], xs: ArrayLike, targets: ArrayLike, *,
                 names: Sequence[str] = SYMBOLS) -> BookFigure:
    r"""Where each sequence's last state :math:`h_T` lies, marked by its target: one panel a model.

    Parameters
    ----------
    models : mapping of str to patterns.Model
        Networks to compare (at most three), by panel title, for instance the same network before
        and after training. Their states come from :func:`rnnbook.rnn.forward`.
    xs : ndarray of shape (T, B, D)
        Input sequences.
    targets : integer ndarray of shape (B,)
        The class of each sequence (at most seven classes), which sets its marker.
    names : sequence of str, default ``rnnbook.data.memory.SYMBOLS``
        The name of each class, for the legend.

    Returns
    -------
    BookFigure
        For each model, the states :math:`h_T` of all B sequences projected on their first two
        principal components (:func:`principal_components`), one colour and marker per target.
    """
    if not models or len(models) > 3:
        raise ValueError(f"models must hold between 1 and 3 networks; got {len(models)}")
    x = _checks.float_array(xs, "xs", ndim=3, layout="(T, B, D)")
    c = np.asarray(targets)
    if c.dtype.kind not in "iu" or c.shape != (x.shape[1],):
        raise ValueError(f"targets must be integer classes of shape (B,) = ({x.shape[1]},); "
                         f"got dtype {c.dtype}, shape {_checks.shape_str(c.shape)}")
    classes = np.unique(c)
    if classes.min() < 0 or len(classes) > len(_MARKERS) or classes.max() >= len(names):
        raise ValueError(f"targets must be classes in [0, {min(len(names), len(_MARKERS))}) with "
                         f"a name each; got classes {classes.tolist()}")
    fig, axes = new_figure(1, len(models), width=3.4 * len(models) + 0.9, height=3.4)
    axes = np.atleast_1d(axes)
    for ax, (title, model) in zip(axes, models.items(), strict=True):
        if not isinstance(model, patterns.Model):
            raise TypeError(f"models[{title!r}] must be a patterns.Model; "
                            f"got {type(model).__name__}")
        hs, _ = rnn.forward(model.cell, x)                              # (T, B, H)
        pcs = principal_components(hs[-1], k=2)                         # (B, 2)
        for cls in classes:
            colour, marker = _MARKERS[cls]
            mine = c == cls
            ax.scatter(pcs[mine, 0], pcs[mine, 1], s=14, color=PALETTE[colour], marker=marker,
                       alpha=0.6, linewidths=0, label=f"first symbol {names[cls]}")
        ax.set(title=title, xlabel="principal component 1 of $h_T$",
               ylabel="principal component 2 of $h_T$", aspect="equal", adjustable="datalim")
    axes[-1].legend(frameon=False, fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0),
                    markerscale=1.5)
    return fig
