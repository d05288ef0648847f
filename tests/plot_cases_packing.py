"""A small call of chapter 13's figure (rnnbook.plot.packing), for plot_cases.CASES."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

from rnnbook import packing, plot


def _packed_sequence_diagram() -> Figure:
    lengths = [3, 1, 2, 3]
    return plot.packed_sequence_diagram(lengths, packing.pack(np.zeros((3, 4, 1)), lengths))


PACKING_CASES: dict[str, Callable[[], Figure]] = {
    "packed_sequence_diagram": _packed_sequence_diagram,
}
