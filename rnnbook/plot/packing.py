r"""Figure of chapter 13 (from rnnbook to PyTorch): a padded batch and the same batch packed.

:func:`packed_sequence_diagram` draws the layout :func:`rnnbook.packing.pack` computes, which
is PyTorch's ``pack_padded_sequence``: above, the padded batch, one row per sequence and one
column per step, the padding in grey; below, the packed ``data``, the real steps only, step by
step and longest sequence first, each step's group labelled with its batch size.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike

from rnnbook import _checks, packing
from rnnbook.plot.diagram import finish, new_diagram
from rnnbook.plot.figure import BookFigure
from rnnbook.plot.style import CYCLE

PADDING_COLOUR = "#BBBBBB"
"""Edge colour of a padding cell (its face is a paler grey)."""

_GAP = 0.35          # between the groups of two steps in the packed row
_ROW = 1.25          # from one row of the padded batch to the next


def _cell(ax: Axes, x: float, y: float, text: str, colour: str | None) -> None:
    """A unit square at (x, y) (lower left) with ``text``; grey padding if ``colour`` is None."""
    edge = PADDING_COLOUR if colour is None else colour
    face = (0.93, 0.93, 0.93) if colour is None else \
        tuple(0.2 * c + 0.8 for c in to_rgb(colour))
    ax.add_patch(Rectangle((x, y), 1.0, 1.0, facecolor=face, edgecolor=edge, linewidth=1.4))
    ax.text(x + 0.5, y + 0.5, text, ha="center", va="center", fontsize=11,
            color="#777777" if colour is None else "black")


def packed_sequence_diagram(lengths: ArrayLike, packed: packing.Packed, *,
                            names: Sequence[str] = "abcdefg") -> BookFigure:
    r"""A padded batch and the packed sequence that holds the same steps.

    Parameters
    ----------
    lengths : integer array_like of shape (B,)
        The length of each sequence, at most 7 of them.
    packed : rnnbook.packing.Packed
        ``packing.pack(xs, lengths)``: its ``batch_sizes`` and ``sorted_indices`` are drawn.
    names : sequence of str, default "abcdefg"
        A letter for each sequence: step t of sequence a is drawn :math:`a_t`.

    Returns
    -------
    BookFigure
        The padded batch above (a row per sequence, a column per step, padding grey with a 0),
        the packed data below (a group per step, longest sequence first, its batch size under
        it); each sequence in its own colour in both.
    """
    L = np.asarray(lengths)
    _checks.instance(packed, "packed", packing.Packed, "a packing.Packed")
    if L.ndim != 1 or not 1 <= len(L) <= min(len(CYCLE), len(names)):
        raise ValueError(f"lengths must hold between 1 and {min(len(CYCLE), len(names))} "
                         f"lengths; got shape {L.shape}")
    if not np.array_equal(packing.batch_sizes(L), packed.batch_sizes):
        raise ValueError("packed must be the packing of sequences of these lengths: its "
                         f"batch_sizes are {packed.batch_sizes.tolist()}, the lengths give "
                         f"{packing.batch_sizes(L).tolist()}")
    T, B = len(packed.batch_sizes), len(L)
    fig, ax = new_diagram(height=1.25 + 0.42 * B)
    colour = dict(enumerate(CYCLE))
    top = 2.6                                           # the padded batch sits above this line
    for b in range(B):                                  # the padded batch: rows of T cells
        y = top + (B - 1 - b) * _ROW
        ax.text(-0.3, y + 0.5, f"{names[b]}: {L[b]} steps", ha="right", va="center",
                fontsize=11)
        for t in range(T):
            real = t < L[b]
            _cell(ax, 1.1 * t, y, f"${names[b]}_{{{t + 1}}}$" if real else "0",
                  colour[b] if real else None)
    left = -4.5                                         # where the two titles start
    header = top + B * _ROW + 0.1
    ax.text(left, header, "padded", ha="left", va="bottom", fontsize=11, fontweight="bold")
    ax.text(-0.3, header, "step t", ha="right", va="bottom", fontsize=10)
    for t in range(T):
        ax.text(1.1 * t + 0.5, header, str(t + 1), ha="center", va="bottom", fontsize=10)
    ax.text(left, 1.45, "packed", ha="left", va="bottom", fontsize=11, fontweight="bold")
    x0 = left
    for t, n in enumerate(packed.batch_sizes):          # one group per step
        start = x0
        for b in packed.sorted_indices[:n]:
            _cell(ax, x0, 0.0, f"${names[b]}_{{{t + 1}}}$", colour[int(b)])
            x0 += 1.0
        ax.plot([start + 0.05, x0 - 0.05], [-0.25, -0.25], color="black", linewidth=1.2)
        ax.text((start + x0) / 2, -0.35, str(n), ha="center", va="top", fontsize=10)
        x0 += _GAP
    ax.text(x0 - _GAP, -0.35, "batch size", ha="left", va="top", fontsize=10)
    finish(ax, margin=0.1)
    return fig
