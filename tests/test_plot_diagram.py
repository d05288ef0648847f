"""Diagram primitives: nodes that differ in shape, arrows clipped to outlines, loops."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from rnnbook.plot import diagram
from rnnbook.plot.diagram import arrow, new_diagram, node, self_loop


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def arrows(ax, dashed: bool | None = None) -> list[FancyArrowPatch]:
    """The arrows drawn on ``ax``; their ends (before clipping) are in ``_posA_posB``."""
    found = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    if dashed is None:
        return found
    return [p for p in found if (p.get_linestyle() == "--") == dashed]


def test_node_kinds_differ_in_shape_not_only_in_colour():
    _, ax = new_diagram()
    shapes = {kind: type(node(ax, (0, 0), kind, kind=kind).patch) for kind in diagram.KINDS}
    assert shapes["input"] is shapes["output"] is Circle
    assert shapes["state"] is FancyBboxPatch
    initial = node(ax, (0, 0), "$h_0$", kind="initial")
    assert initial.patch.get_linestyle() == "--"


def test_node_rejects_an_unknown_kind():
    _, ax = new_diagram()
    with pytest.raises(ValueError, match="kind must be one of"):
        node(ax, (0, 0), "x", kind="cell")


@pytest.mark.parametrize("offset", [0.1, -0.15])
def test_offset_arrow_ends_on_the_outlines_of_its_nodes(offset):
    # Closed form: a horizontal arrow between boxes of width w centred at 0 and 2 runs, shifted
    # by `offset`, from x = w/2 to x = 2 - w/2 at height offset (left of travel = up).
    _, ax = new_diagram()
    a, b = node(ax, (0, 0), "a"), node(ax, (2, 0), "b")
    path = arrow(ax, a, b, offset=offset)
    (x0, y0), (x1, y1) = path._posA_posB
    assert (x0, x1) == pytest.approx((a.width / 2, 2 - b.width / 2))
    assert (y0, y1) == pytest.approx((offset, offset))


def test_offset_arrow_into_a_circle_ends_on_the_circle():
    _, ax = new_diagram()
    x, h = node(ax, (0, -2), "x", kind="input"), node(ax, (0, 0), "h")
    (x0, y0), _ = arrow(ax, x, h, offset=0.2)._posA_posB
    assert np.hypot(x0 - 0, y0 + 2) == pytest.approx(x.width / 2)
    assert x0 == pytest.approx(-0.2)  # left of upward travel


def test_backward_arrows_are_dashed_in_the_gradient_colour():
    _, ax = new_diagram()
    a, b = node(ax, (0, 0), "a"), node(ax, (2, 0), "b")
    p = arrow(ax, b, a, backward=True)
    assert p.get_linestyle() == "--"
    assert np.allclose(p.get_edgecolor()[:3], to_rgb(diagram.GRADIENT_COLOUR))


def test_arrow_label_sits_beside_the_arrow():
    _, ax = new_diagram()
    arrow(ax, node(ax, (0, 0), "a"), node(ax, (2, 0), "b"), label="above")
    arrow(ax, node(ax, (0, -3), "c"), node(ax, (2, -3), "d"), label="below", label_offset=-0.1)
    label = {t.get_text(): t for t in ax.texts}
    assert label["above"].get_position()[1] > 0 and label["above"].get_va() == "bottom"
    assert label["below"].get_position()[1] < -3 and label["below"].get_va() == "top"


@pytest.mark.parametrize("side", ["top", "bottom", "left", "right"])
def test_self_loop_starts_and_ends_on_the_chosen_side(side):
    _, ax = new_diagram()
    h = node(ax, (1.0, 2.0), "$h$")
    loop = self_loop(ax, h, side=side, label="$W$")
    verts = loop._path_original.vertices  # the Bezier curve as given, in data coordinates
    u = np.array({"top": (0, 1), "bottom": (0, -1), "left": (-1, 0), "right": (1, 0)}[side])
    edge = abs(u @ (h.width, h.height)) / 2   # centre to the node's edge on that side
    beyond = (verts - h.xy) @ u
    assert beyond[[0, -1]] == pytest.approx([edge, edge])  # leaves and returns on that side
    assert (beyond[1:-1] > edge + 0.3).all()               # and reaches out beyond it
    assert not np.allclose(verts[0], verts[-1])
    assert "$W$" in texts(ax)
