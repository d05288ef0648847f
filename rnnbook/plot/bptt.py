r"""Figures of backpropagation through time (chapter 4): the graph, truncation, time and memory.

- :func:`bptt_diagram`: the unrolled chain with a loss at every step and the gradients flowing
  back through it, each dashed arrow labelled with what it carries;
- :func:`truncation_error_curves`: the relative error of truncated BPTT against k
  (:func:`rnnbook.truncation.truncation_error`), one line per spectral radius of :math:`W_{hh}`;
- :func:`bptt_time_memory_curves`: time and peak memory of forward + backward against the sequence
  length (:func:`rnnbook.measure.measure_bptt`).
"""

from __future__ import annotations

from collections.abc import Mapping

from numpy.typing import ArrayLike

from rnnbook import _checks
from rnnbook.measure import BPTTMeasurement
from rnnbook.plot.diagram import (
    WEIGHT_COLOURS,
    arrow,
    finish,
    new_diagram,
    node,
)
from rnnbook.plot.figure import BookFigure, new_figure
from rnnbook.plot.style import reference, series


def bptt_diagram(T: int = 4) -> BookFigure:
    r"""The unrolled chain with a loss at every step, and the gradient flowing back through it.

    Forward (solid): :math:`x_t \to h_t \to y_t \to L_t` and :math:`h_{t-1} \to h_t`. Backward
    (dashed): each :math:`L_t` sends :math:`\partial L/\partial y_t` down to :math:`y_t`, the
    readout turns it into :math:`\bar h_t`, and each state sends
    :math:`W_{hh}^\top \delta_t` back to the one before, down to :math:`h_0`.

    Parameters
    ----------
    T : int, default 4
        Number of time steps, >= 1.

    Returns
    -------
    BookFigure
        One diagram axes (axis off).

    Examples
    --------
    >>> fig = bptt_diagram(3)
    >>> sum(t.get_text() == r"$W_{hh}^\top \delta_{3}$" for t in fig.axes[0].texts)
    1
    """
    T = _checks.positive_int(T, "T")
    spacing, rise = 2.2, 1.5
    fig, ax = new_diagram(height=3.7)
    states = [node(ax, (0.0, 0.0), "$h_0$", kind="initial")]
    for t in range(1, T + 1):
        x_pos = t * spacing
        h = node(ax, (x_pos, 0.0), f"$h_{{{t}}}$")
        x = node(ax, (x_pos, -rise), f"$x_{{{t}}}$", kind="input")
        y = node(ax, (x_pos, rise), f"$y_{{{t}}}$", kind="output")
        loss = node(ax, (x_pos, 2 * rise), f"$L_{{{t}}}$", kind="loss")
        arrow(ax, x, h, label="$W_{xh}$", colour=WEIGHT_COLOURS["xh"], label_offset=-0.1)
        arrow(ax, h, y, label="$W_{hy}$", colour=WEIGHT_COLOURS["hy"], offset=-0.12,
              label_offset=-0.1)
        arrow(ax, y, h, backward=True, offset=-0.12, label=rf"$\bar h_{{{t}}}$",
              label_offset=-0.1)
        arrow(ax, y, loss, offset=-0.12)
        arrow(ax, loss, y, backward=True, offset=-0.12,
              label=rf"$\partial L / \partial y_{{{t}}}$", label_offset=-0.1)
        arrow(ax, states[-1], h, label="$W_{hh}$", colour=WEIGHT_COLOURS["hh"], offset=0.1)
        arrow(ax, h, states[-1], backward=True, offset=0.1,
              label=rf"$W_{{hh}}^\top \delta_{{{t}}}$", label_offset=0.12)
        states.append(h)
    ax.text(0.0, 2 * rise, r"$L = \frac{1}{T} \sum_{t} L_t$", ha="center", va="center",
            fontsize=12)
    finish(ax)
    return fig


def truncation_error_curves(ks: ArrayLike, errors: Mapping[float, ArrayLike], *,
                            tol: float | None = None) -> BookFigure:
    r"""The relative error of truncated BPTT against the truncation length k, on a log scale.

    Parameters
    ----------
    ks : ndarray of shape (n,)
        Truncation lengths, >= 1.
    errors : mapping of float to ndarray of shape (n,)
        For each spectral radius :math:`\rho(W_{hh})`, the errors
        :math:`e(k)` of :func:`rnnbook.truncation.truncation_error` at ``ks``. Errors of
        exactly 0 (k >= T) cannot be drawn on a log scale and are left out.
    tol : float, optional
        Draw a dotted horizontal line at this error, labelled as the gradient-check tolerance
        (:data:`rnnbook.gradcheck.DEFAULT_TOL`).

    Returns
    -------
    BookFigure
        One line per spectral radius, with its own colour, line style and marker.

    Examples
    --------
    >>> fig = truncation_error_curves([1, 2, 3], {0.5: [0.3, 0.05, 0.0]})
    >>> fig.axes[0].get_xlabel()
    'truncation length $k$'
    """
    k = _checks.float_array(ks, "ks", ndim=1, layout="(n,)")
    if not errors:
        raise ValueError("errors must hold at least one spectral radius")
    fig, ax = new_figure(height=3.4)
    for i, (rho, err) in enumerate(errors.items()):
        e = _checks.float_array(err, f"errors[{rho}]", ndim=1, layout="(n,)")
        _checks.expect_shape(e, f"errors[{rho}]", k.shape, "(n,)", "(one error per k)")
        keep = e > 0
        ax.semilogy(k[keep], e[keep], markersize=4, markevery=max(1, int(keep.sum()) // 12),
                    label=rf"$\rho(W_{{hh}}) = {rho:g}$", **series(i))
    if tol is not None:
        tol = _checks.positive_float(tol, "tol")
        ax.axhline(tol, **reference(), label=f"gradient-check tolerance {tol:.0e}")
    ax.set(xlabel="truncation length $k$",
           ylabel=r"relative error $e(k)$")
    ax.legend(frameon=False)
    return fig


def bptt_time_memory_curves(measured: BPTTMeasurement) -> BookFigure:
    """Time and peak memory of forward + backward against the sequence length T.

    Parameters
    ----------
    measured : rnnbook.measure.BPTTMeasurement
        From :func:`rnnbook.measure.measure_bptt`.

    Returns
    -------
    BookFigure
        Left: median time in milliseconds; right: peak memory in MiB; one line per
        setting (full BPTT or truncation length k), with its own colour, line style and marker.
    """
    _checks.instance(measured, "measured", BPTTMeasurement,
                     "an rnnbook.measure.BPTTMeasurement (from measure_bptt)")
    fig, (left, right) = new_figure(1, 2, height=3.4)
    for i, k in enumerate(measured.truncate):
        look = dict(markersize=4, label=BPTTMeasurement.label(k), **series(i))
        left.plot(measured.T, 1e3 * measured.seconds[i], **look)
        right.plot(measured.T, measured.peak_bytes[i] / 2**20, **look)
    left.set(xlabel="sequence length $T$", ylabel="forward + backward (ms)",
             ylim=(0, None), xlim=(0, None))
    right.set(xlabel="sequence length $T$", ylabel="peak memory (MiB)", ylim=(0, None),
              xlim=(0, None))
    handles, labels = left.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=len(labels), frameon=False,
               title=f"B = {measured.B}, D = {measured.D}, H = {measured.H}:")
    return fig
