"""Figures of the state update (chapter 2): the activations and the state's range."""

from __future__ import annotations

import numpy as np

from rnnbook import activations
from rnnbook.plot.style import BookFigure, new_figure


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
