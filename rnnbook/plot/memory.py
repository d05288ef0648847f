r"""Figures of chapter 1 (why networks need memory): learning curves against chance, and the state.

:func:`memory_learning_curves` draws the training loss and the test accuracy of several networks
on one task, with the chance level of the task drawn in both panels. :func:`final_states` shows
what a recurrent network's last state :math:`h_T` holds: each sequence's :math:`h_T` as a point
(its two principal components, :func:`rnnbook.pca.principal_components`), marked by the class it
should answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from rnnbook import _checks
from rnnbook.data.memory import SYMBOLS
from rnnbook.plot.figure import BookFigure, new_figure
from rnnbook.plot.style import PALETTE, SERIES, Curve, as_curve, reference, series

_MARKERS = (("blue", "o"), ("orange", "s"), ("green", "^"), ("vermillion", "D"), ("sky", "v"),
            ("purple", "P"), ("black", "X"))

def memory_learning_curves(loss: Mapping[str, Curve], accuracy: Mapping[str, Curve], *,
                           symbols: int) -> BookFigure:
    r"""Training loss and test accuracy of several networks against the step, with chance drawn.

    Parameters
    ----------
    loss : mapping of str to (steps, values)
        The training cross-entropy of each network, by the name to show in the legend (at most
        seven), for instance smoothed with :func:`rnnbook.smoothing.moving_average`.
    accuracy : mapping of str to (steps, values)
        The test accuracy of the same networks, under the same names, at the evaluation steps
        (``history.eval_steps, history.metrics["accuracy"]``).
    symbols : int
        V, the number of classes, all equally likely: the chance accuracy is :math:`1/V` and the
        cross-entropy of a guess that gives every class probability :math:`1/V` is :math:`\ln V`.

    Returns
    -------
    BookFigure
        Left: the loss against the step, with :math:`\ln V` as a dotted reference line. Right:
        the accuracy, with :math:`1/V` dotted. Each network has its own colour, line style and
        marker; one legend above both panels.
    """
    if not loss or len(loss) > len(SERIES):
        raise ValueError(f"loss must hold between 1 and {len(SERIES)} curves; got {len(loss)}")
    if list(accuracy) != list(loss):
        raise ValueError(f"accuracy must name the same networks as loss, in the same order; "
                         f"got {list(accuracy)} and {list(loss)}")
    V = _checks.positive_int(symbols, "symbols")
    if V < 2:
        raise ValueError(f"symbols must be at least 2; got {symbols}")
    fig, (left, right) = new_figure(1, 2, height=3.4)
    for n, name in enumerate(loss):
        steps, values = as_curve(loss[name], f"loss[{name!r}]")
        left.plot(steps, values, markevery=max(len(steps) // 6, 1), markersize=4, label=name,
                  **series(n))
        steps, values = as_curve(accuracy[name], f"accuracy[{name!r}]")
        right.plot(steps, values, markevery=max(len(steps) // 6, 1), markersize=4, **series(n))
    left.axhline(np.log(V), **reference(),
                 label=f"chance: ln {V} = {np.log(V):.2f} and 1/{V} = {1 / V:.2f}")
    right.axhline(1.0 / V, **reference())
    left.set(xlabel="training step", ylabel="training cross-entropy", ylim=(0.0, None))
    right.set(xlabel="training step", ylabel="test accuracy", ylim=(0.0, 1.05))
    fig.legend(loc="outside upper center", ncols=min(len(loss) + 1, 2), frameon=False)
    return fig


def final_states(points: Mapping[str, ArrayLike], targets: ArrayLike, *,
                 names: Sequence[str] = SYMBOLS) -> BookFigure:
    r"""Where each sequence's last state :math:`h_T` lies, marked by its target: one panel a model.

    Parameters
    ----------
    points : mapping of str to ndarray of shape (B, 2)
        For each panel, by its title (at most three, for instance the same network before and
        after training), the two principal components of the last states :math:`h_T` of B
        sequences (:func:`rnnbook.pca.principal_components`).
    targets : integer ndarray of shape (B,)
        The class of each sequence (at most seven classes), which sets its marker.
    names : sequence of str, default ``rnnbook.data.memory.SYMBOLS``
        The name of each class, for the legend.

    Returns
    -------
    BookFigure
        For each panel, the B points, one colour and marker per target, one legend below.
    """
    if not points or len(points) > 3:
        raise ValueError(f"points must hold between 1 and 3 panels; got {len(points)}")
    clouds = {title: _checks.float_array(p, f"points[{title!r}]", ndim=2, layout="(B, 2)")
              for title, p in points.items()}
    B = next(iter(clouds.values())).shape[0]
    for title, cloud in clouds.items():
        _checks.expect_shape(cloud, f"points[{title!r}]", (B, 2), "(B, 2)",
                             "(two components per sequence)")
    c = np.asarray(targets)
    if c.dtype.kind not in "iu" or c.shape != (B,):
        raise ValueError(f"targets must be integer classes of shape (B,) = ({B},); "
                         f"got dtype {c.dtype}, shape {_checks.shape_str(c.shape)}")
    classes = np.unique(c)
    if classes.min() < 0 or len(classes) > len(_MARKERS) or classes.max() >= len(names):
        raise ValueError(f"targets must be classes in [0, {min(len(names), len(_MARKERS))}) with "
                         f"a name each; got classes {classes.tolist()}")
    fig, axes = new_figure(1, len(clouds), height=3.6)
    axes = np.atleast_1d(axes)
    for ax, (title, pcs) in zip(axes, clouds.items(), strict=True):
        for cls in classes:
            colour, marker = _MARKERS[cls]
            mine = c == cls
            ax.scatter(pcs[mine, 0], pcs[mine, 1], s=14, color=PALETTE[colour], marker=marker,
                       alpha=0.6, linewidths=0, label=f"first symbol {names[cls]}")
        ax.set(title=title, xlabel="component 1 of $h_T$", ylabel="component 2 of $h_T$",
               aspect="equal", adjustable="datalim")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4),
               frameon=False, markerscale=1.5, columnspacing=1.0, handletextpad=0.2)
    return fig
