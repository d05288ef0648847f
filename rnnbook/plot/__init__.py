"""Every figure of the book: each a function that computes with rnnbook and returns a Figure.

The figures are :class:`matplotlib.figure.Figure` objects built without pyplot, so nothing here
touches global plotting state; in Jupyter they display themselves as PNG. Save one with
``fig.savefig("name.png")``. Colours come from one colour-blind-safe palette
(:data:`rnnbook.plot.style.PALETTE`).

One module per chapter: ``memory`` (1), ``state`` and ``diagram`` (2; the diagram primitives are
reused by 3 and 4), ``patterns`` (3), ``bptt`` (4), ``gradients`` (5).
"""

from rnnbook.plot.bptt import bptt_cost_curves, bptt_diagram, truncation_error_curves
from rnnbook.plot.diagram import rolled_and_unrolled
from rnnbook.plot.gradients import (
    error_wall,
    gradient_norm_curves,
    saturation,
    training_curves,
)
from rnnbook.plot.memory import final_states, memory_learning_curves, principal_components
from rnnbook.plot.patterns import bar_images, pattern_diagrams, pattern_learning_curves
from rnnbook.plot.state import activation_functions, activation_ranges, state_heatmap
from rnnbook.plot.style import BookFigure, to_png

__all__ = [
    "BookFigure",
    "activation_functions",
    "activation_ranges",
    "bar_images",
    "bptt_cost_curves",
    "bptt_diagram",
    "error_wall",
    "final_states",
    "gradient_norm_curves",
    "memory_learning_curves",
    "pattern_diagrams",
    "pattern_learning_curves",
    "principal_components",
    "rolled_and_unrolled",
    "saturation",
    "state_heatmap",
    "to_png",
    "training_curves",
    "truncation_error_curves",
]
