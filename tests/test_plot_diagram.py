"""Diagram primitives: nodes, arrows clipped to outlines, the chain's layout, and the figure."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from rnnbook import plot
from rnnbook.plot import diagram
from rnnbook.plot.diagram import arrow, new_diagram, node, self_loop, unrolled_chain


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def arrows(ax, dashed: bool | None = None) -> list[FancyArrowPatch]:
    """The arrows drawn on ``ax``; their ends (before clipping) are in ``_posA_posB``."""
    found = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    if dashed is None:
        return found
    return [p for p in found if (p.get_linestyle() == "--") == dashed]


def test_rolled_and_unrolled_returns_a_figure_with_its_axis_off():
    fig = plot.rolled_and_unrolled()
    assert isinstance(fig, Figure)
    assert all(not ax.axison for ax in fig.axes)


def test_rolled_and_unrolled_labels_every_step_with_the_same_weights():
    # The folded cell carries W_xh and W_hh once; the chain repeats them at every step (h_0 -> h_1
    # included): the picture of parameter sharing.
    for T in (1, 3, 5):
        (ax,) = plot.rolled_and_unrolled(T).axes
        labels = texts(ax)
        assert labels.count("$W_{xh}$") == 1 + T
        assert labels.count("$W_{hh}$") == 1 + T
        assert "$h_0$" in labels
        assert [f"$x_{{{t}}}$" in labels for t in range(1, T + 1)] == [True] * T


def test_rolled_and_unrolled_png_bytes_repeat():
    assert plot.to_png(plot.rolled_and_unrolled(3)) == plot.to_png(plot.rolled_and_unrolled(3))


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


@pytest.mark.parametrize(("inputs", "outputs", "T", "x_steps", "y_steps"), [
    ("all", "all", 1, [1], [1]),            # one-to-one
    ("first", "all", 4, [1], [1, 2, 3, 4]),  # one-to-many
    ("all", "last", 4, [1, 2, 3, 4], [4]),   # many-to-one
    ("all", "all", 3, [1, 2, 3], [1, 2, 3]),  # many-to-many, aligned
    ([1, 2], [3, 4, 5], 5, [1, 2], [3, 4, 5]),  # encoder-decoder
    ("none", "none", 2, [], []),
])
def test_unrolled_chain_places_inputs_below_and_outputs_above_their_states(
        inputs, outputs, T, x_steps, y_steps):
    _, ax = new_diagram()
    chain = unrolled_chain(ax, T, inputs=inputs, outputs=outputs)
    assert len(chain.states) == T and chain.h0 is not None
    assert sorted(chain.inputs) == x_steps and sorted(chain.outputs) == y_steps
    assert all(chain.states[t].x < chain.states[t + 1].x for t in range(T - 1))
    for t, x in chain.inputs.items():
        assert x.x == chain.states[t - 1].x and x.y < chain.states[t - 1].y
    for t, y in chain.outputs.items():
        assert y.x == chain.states[t - 1].x and y.y > chain.states[t - 1].y
    # one arrow per link h_{t-1} -> h_t (h_0 included), per input and per output; none dashed
    assert len(arrows(ax, dashed=False)) == T + len(x_steps) + len(y_steps)
    assert not arrows(ax, dashed=True)


def test_unrolled_chain_gradients_go_back_along_every_link_and_from_every_output():
    _, ax = new_diagram()
    chain = unrolled_chain(ax, 4, outputs="last", gradients=True)
    back = arrows(ax, dashed=True)
    assert len(back) == 4 + 1  # h_4 -> h_3 -> ... -> h_0, and y_4 -> h_4
    starts = [p._posA_posB[0][0] for p in back]
    ends = [p._posA_posB[1][0] for p in back]
    assert sum(s > e for s, e in zip(starts, ends, strict=True)) == 4  # right to left in time
    assert chain.outputs[4].y > chain.states[3].y


def test_unrolled_chain_custom_labels_and_kinds():
    _, ax = new_diagram()
    chain = unrolled_chain(ax, 3, inputs="first", outputs=[2, 3], h0=False,
                           state_labels=["a", "b", "c"], input_labels=["in"],
                           output_labels=["o2", "o3"], state_kinds=["state", "state2", "state2"],
                           xh_label=None, hh_label=["$U$", "$V$"], hy_label="$W$")
    labels = texts(ax)
    assert chain.h0 is None
    assert {"a", "b", "c", "in", "o2", "o3", "$U$", "$V$"} <= set(labels)
    assert labels.count("$W$") == 2 and "$W_{xh}$" not in labels
    assert chain.states[1].patch.get_edgecolor() == chain.states[2].patch.get_edgecolor()
    assert chain.states[0].patch.get_edgecolor() != chain.states[1].patch.get_edgecolor()


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"inputs": [0, 1]}, "inputs must select time steps between 1 and T=3"),
    ({"outputs": "middle"}, "outputs must be one of"),
    ({"state_labels": ["a"]}, "state_labels must have 3 entries"),
    ({"hh_label": ["a", "b"]}, "hh_label must be one string or a sequence of 3 labels"),
])
def test_unrolled_chain_names_the_bad_argument(kwargs, match):
    _, ax = new_diagram()
    with pytest.raises(ValueError, match=match):
        unrolled_chain(ax, 3, **kwargs)


def test_unrolled_chain_fits_the_axes_to_the_drawing():
    _, ax = new_diagram()
    chain = unrolled_chain(ax, 3, outputs="all")
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    nodes = [chain.h0, *chain.states, *chain.inputs.values(), *chain.outputs.values()]
    assert all(x0 < n.x - n.width / 2 and n.x + n.width / 2 < x1 for n in nodes)
    assert all(y0 < n.y - n.height / 2 and n.y + n.height / 2 < y1 for n in nodes)
    assert not ax.axison
