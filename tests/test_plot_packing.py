"""Figure of chapter 13: the packed-sequence diagram draws the layout it is given, cell by cell."""

from __future__ import annotations

import numpy as np
import pytest

from rnnbook import packing, plot
from rnnbook.plot.packing import PADDING_COLOUR


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def test_every_real_step_is_drawn_twice_and_every_padding_step_once() -> None:
    lengths = [5, 2, 4]
    fig = plot.packed_sequence_diagram(lengths, packing.pack(np.zeros((5, 3, 1)), lengths))
    drawn = texts(fig)
    for b, name in enumerate("abc"):
        for t in range(1, 6):
            assert drawn.count(f"${name}_{{{t}}}$") == (2 if t <= lengths[b] else 0)
    assert drawn.count("0") == 3 * 5 - sum(lengths)                 # padding, in the batch only
    cells = fig.axes[0].patches
    assert sum(p.get_edgecolor()[:3] == pytest.approx((0.733, 0.733, 0.733), abs=1e-3)
               for p in cells) == 3 * 5 - sum(lengths)
    assert PADDING_COLOUR == "#BBBBBB"


def test_the_packed_row_follows_the_batch_sizes_longest_first() -> None:
    lengths = [1, 3, 2]
    fig = plot.packed_sequence_diagram(lengths, packing.pack(np.zeros((3, 3, 1)), lengths))
    drawn = texts(fig)
    # The packed row is drawn after the batch: its cells' labels come last, in packed order.
    packed_labels = [t for t in drawn if t.startswith("$")][-sum(lengths):]
    assert packed_labels == ["$b_{1}$", "$c_{1}$", "$a_{1}$", "$b_{2}$", "$c_{2}$", "$b_{3}$"]
    assert [t for t in drawn if t in ("1", "2", "3")][-3:] == ["3", "2", "1"]   # batch sizes


def test_a_layout_of_other_lengths_is_refused() -> None:
    with pytest.raises(ValueError, match=r"batch_sizes are \[2, 1\], the lengths give \[2, 2\]"):
        plot.packed_sequence_diagram([2, 2], packing.pack(np.zeros((2, 2, 1)), [2, 1]))
    with pytest.raises(ValueError, match="between 1 and 7 lengths"):
        plot.packed_sequence_diagram(list(range(1, 9)),
                                     packing.pack(np.zeros((8, 8, 1)), list(range(1, 9))))
