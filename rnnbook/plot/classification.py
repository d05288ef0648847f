r"""Figures of chapter 10 (sequence classification): the digits as sequences, learning curves
against the baselines, the confusion matrix, and accuracy against the length of sequence read.

They draw what the chapter computed: images, training records, counts
(:func:`rnnbook.classifier.confusion_matrix`), accuracies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from rnnbook import _checks
from rnnbook.plot.figure import BookFigure, new_figure
from rnnbook.plot.style import SEQUENTIAL, SERIES, Curve, as_curve, reference, series


def digit_sequences(images: ArrayLike, titles: Sequence[str]) -> BookFigure:
    """Images drawn as the sequences a network reads: one row of pixels per time step.

    Parameters
    ----------
    images : ndarray of shape (N, R, C)
        N images of R rows and C columns (the 8 x 8 digits: N at most 6).
    titles : sequence of N str
        What to write above each image (its label, or the label and a prediction).

    Returns
    -------
    BookFigure
        One panel per image, side by side, darker for larger values; the rows numbered as the
        time steps t = 1..R that read them, top to bottom.
    """
    arr = _checks.float_array(images, "images", ndim=3, layout="(N, R, C)")
    N, R = arr.shape[:2]
    if N > 6:
        raise ValueError(f"images must hold at most 6 images (one row of panels); got {N}")
    if len(titles) != N:
        raise ValueError(f"titles must hold one string per image ({N}); got {len(titles)}")
    fig, axes = new_figure(1, N, height=2.2)
    axes = np.atleast_1d(axes)
    lo, hi = float(arr.min()), float(arr.max())
    for n, ax in enumerate(axes):
        ax.imshow(arr[n], cmap="Greys", vmin=lo, vmax=hi)
        ax.grid(False)
        ax.set_yticks([0, R - 1], ["1", str(R)])
        ax.set_xticks([])
        ax.tick_params(length=0)
        ax.set_title(titles[n], fontsize=11)
        ax.set_xlabel("row $x_t$")
        ax.spines[:].set_visible(True)
    axes[0].set_ylabel("step $t$")
    return fig


def learning_curves(loss: Mapping[str, Curve], accuracy: Mapping[str, Curve],
                    baselines: Mapping[str, float]) -> BookFigure:
    """Training loss and held-out accuracy of several classifiers, with the baselines drawn.

    Parameters
    ----------
    loss : mapping of str to (steps, values)
        The training cross-entropy of each classifier by its name (at most seven), for instance
        smoothed with :func:`rnnbook.smoothing.moving_average`.
    accuracy : mapping of str to (steps, values)
        Their accuracy on held-out data, the same names in the same order.
    baselines : mapping of str to float
        Accuracies to compare with (a non-recurrent model, chance), each drawn as a dotted
        reference line across the accuracy panel and labelled with its name at the end the
        curves leave free: the left end above one half (accuracies start low), the right end
        below.

    Returns
    -------
    BookFigure
        Left: the loss (logarithmic axis) against the step. Right: the accuracy against the
        step. Each classifier has its own colour, line style and marker; one legend above.
    """
    if not loss or len(loss) > len(SERIES):
        raise ValueError(f"loss must hold between 1 and {len(SERIES)} curves; got {len(loss)}")
    if list(accuracy) != list(loss):
        raise ValueError(f"accuracy must name the same classifiers as loss, in the same order; "
                         f"got {list(accuracy)} and {list(loss)}")
    fig, (left, right) = new_figure(1, 2, height=3.5)
    for n, name in enumerate(loss):
        steps, values = as_curve(loss[name], f"loss[{name!r}]")
        left.plot(steps, values, markevery=max(len(steps) // 5, 1), markersize=4, label=name,
                  **series(n))
        steps, values = as_curve(accuracy[name], f"accuracy[{name!r}]")
        right.plot(steps, values, markevery=max(len(steps) // 5, 1), markersize=4, **series(n))
    for name, value in baselines.items():
        level = _checks.finite_float(value, f"baselines[{name!r}]")
        right.axhline(level, **reference())
        at = (0.02, "left") if level > 0.5 else (1.0, "right")
        right.annotate(name, (at[0], level), xycoords=("axes fraction", "data"), ha=at[1],
                       va="bottom", fontsize=10, color="#444444")
    left.set(xlabel="training step", ylabel="training cross-entropy", yscale="log")
    right.set(xlabel="training step", ylabel="held-out accuracy", ylim=(0.0, 1.02))
    fig.legend(loc="outside upper center", ncols=min(len(loss), 4), frameon=False)
    return fig


def confusion_matrix(counts: ArrayLike, classes: Sequence[str]) -> BookFigure:
    """A confusion matrix: how often each true class (row) was predicted as each class (column).

    Parameters
    ----------
    counts : integer array_like of shape (K, K)
        From :func:`rnnbook.classifier.confusion_matrix`.
    classes : sequence of K str
        The class names, in the order of the rows.

    Returns
    -------
    BookFigure
        The counts as a grid of squares, darker for more, each square with its count written in
        it (empty squares left blank), the diagonal the right answers.
    """
    arr = np.asarray(counts)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.dtype.kind not in "iu":
        raise ValueError(f"counts must be a square integer array (K, K); got dtype {arr.dtype}, "
                         f"shape {_checks.shape_str(arr.shape)}")
    K = arr.shape[0]
    if len(classes) != K:
        raise ValueError(f"classes must name the {K} classes; got {len(classes)}")
    fig, ax = new_figure(height=5.0)
    ax.imshow(arr, cmap=SEQUENTIAL + "_r", vmin=0, vmax=max(int(arr.max()), 1))
    ax.grid(False)
    ax.set_xticks(range(K), classes)
    ax.set_yticks(range(K), classes)
    ax.tick_params(length=0)
    threshold = arr.max() / 2
    for i in range(K):
        for j in range(K):
            if arr[i, j]:
                ax.text(j, i, str(arr[i, j]), ha="center", va="center", fontsize=10,
                        color="white" if arr[i, j] > threshold else "black")
    ax.set(xlabel="predicted class", ylabel="true class")
    ax.spines[:].set_visible(True)
    return fig


def accuracy_by_length(lengths: ArrayLike, accuracy: Mapping[str, ArrayLike], *,
                       chance: float, xlabel: str) -> BookFigure:
    """Accuracy against the number of steps read, for several classifiers, with chance drawn.

    Parameters
    ----------
    lengths : array_like of shape (n,)
        The numbers of steps read.
    accuracy : mapping of str to array_like of shape (n,)
        Each classifier's accuracy after reading that many steps, by name (at most seven).
    chance : float
        The accuracy of a guess that reads nothing, drawn as a dotted reference line.
    xlabel : str
        What the steps are (``"rows read"``).

    Returns
    -------
    BookFigure
        One line per classifier, with its own colour, line style and marker; the legend above
        the axes.
    """
    x = _checks.float_array(lengths, "lengths", ndim=1, layout="(n,)")
    if not accuracy or len(accuracy) > len(SERIES):
        raise ValueError(f"accuracy must hold between 1 and {len(SERIES)} curves; "
                         f"got {len(accuracy)}")
    fig, ax = new_figure(height=3.8)
    for n, (name, values) in enumerate(accuracy.items()):
        _, y = as_curve((x, values), f"accuracy[{name!r}]")
        ax.plot(x, y, label=name, markersize=5, **series(n))
    level = _checks.finite_float(chance, "chance")
    ax.axhline(level, **reference(), label=f"chance, {level:.2f}")
    ax.set(xlabel=xlabel, ylabel="held-out accuracy", ylim=(0.0, 1.02))
    ax.set_xticks(x)
    fig.legend(loc="outside upper center", ncols=2, frameon=False)
    return fig
