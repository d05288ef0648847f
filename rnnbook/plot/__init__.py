"""Every figure of the book: each a function that computes with rnnbook and returns a Figure.

The figures are :class:`matplotlib.figure.Figure` objects built without pyplot, so nothing here
touches global plotting state; in Jupyter they display themselves as PNG. Save one with
``fig.savefig("name.png")``. Colours come from one colour-blind-safe palette (:data:`rnnbook.plot.style.PALETTE`).
"""

from rnnbook.plot.style import BookFigure, to_png
from rnnbook.plot.state import activation_functions

__all__ = [
    "BookFigure",
    "activation_functions",
    "to_png",
]
