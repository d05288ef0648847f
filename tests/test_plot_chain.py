"""The unrolled chain: inputs below and outputs above their states, gradients going back."""

from __future__ import annotations

import pytest
from matplotlib.patches import FancyArrowPatch

from rnnbook.plot.chain import unrolled_chain
from rnnbook.plot.diagram import new_diagram


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def arrows(ax, dashed: bool | None = None) -> list[FancyArrowPatch]:
    """The arrows drawn on ``ax``; their ends (before clipping) are in ``_posA_posB``."""
    found = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    if dashed is None:
        return found
    return [p for p in found if (p.get_linestyle() == "--") == dashed]


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
