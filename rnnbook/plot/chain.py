r"""The unrolled chain :math:`h_0 \to h_1 \to \dots \to h_T`, drawn from the diagram primitives.

:func:`unrolled_chain` draws the states in a row with the inputs and outputs you ask for (time
runs left to right, inputs below their state, outputs above), labels the weights on the arrows,
optionally adds the gradients flowing backwards, and returns its nodes (a :class:`Chain`) so that
a figure can add to it. Chapters 2, 3 and 4 build their diagrams on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from matplotlib.axes import Axes

from rnnbook import _checks
from rnnbook.plot.diagram import WEIGHT_COLOURS, Node, arrow, finish, node

SELECTIONS: tuple[str, ...] = ("all", "none", "first", "last")
"""Named choices of the time steps that have an input or an output in :func:`unrolled_chain`."""


@dataclass(frozen=True)
class Chain:
    """The nodes of an unrolled chain drawn by :func:`unrolled_chain`.

    Attributes
    ----------
    states : list of Node
        :math:`h_1, \\dots, h_T`; ``states[t - 1]`` is :math:`h_t`.
    h0 : Node or None
        :math:`h_0`, when drawn.
    inputs, outputs : dict of int to Node
        The input and output nodes present, keyed by time step t (1-based).
    """

    states: list[Node]
    h0: Node | None = None
    inputs: dict[int, Node] = field(default_factory=dict)
    outputs: dict[int, Node] = field(default_factory=dict)



def _steps(which: str | Iterable[int], T: int, name: str) -> list[int]:
    """The time steps (1-based, sorted) that ``which`` selects among 1..T."""
    if isinstance(which, str):
        _checks.choice(which, name, SELECTIONS)
        return {"all": list(range(1, T + 1)), "none": [], "first": [1], "last": [T]}[which]
    steps = sorted({int(t) for t in which})
    if any(t < 1 or t > T for t in steps):
        raise ValueError(f"{name} must select time steps between 1 and T={T}; got {steps}")
    return steps


def _per_arrow(labels: str | Sequence[str | None] | None, n: int,
               name: str) -> list[str | None]:
    """One label per arrow: a single string repeated, a sequence of ``n``, or no labels."""
    if labels is None or isinstance(labels, str):
        return [labels] * n
    if len(labels) != n:
        raise ValueError(f"{name} must be one string or a sequence of {n} labels, one per "
                         f"arrow; got {len(labels)}")
    return list(labels)


def unrolled_chain(ax: Axes, T: int, *, inputs: str | Iterable[int] = "all",
                   outputs: str | Iterable[int] = "none", h0: bool = True,
                   state_labels: Sequence[str] | None = None,
                   input_labels: Sequence[str] | None = None,
                   output_labels: Sequence[str] | None = None,
                   state_kinds: Sequence[str] | None = None,
                   xh_label: str | Sequence[str | None] | None = "$W_{xh}$",
                   hh_label: str | Sequence[str | None] | None = "$W_{hh}$",
                   hy_label: str | Sequence[str | None] | None = "$W_{hy}$",
                   gradients: bool = False, origin: tuple[float, float] = (0.0, 0.0),
                   spacing: float = 1.6, rise: float = 1.4, size: float = 0.8,
                   fontsize: float = 11.0) -> Chain:
    r"""Draw the unrolled chain :math:`h_0 \to h_1 \to \dots \to h_T` with its inputs and outputs.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    T : int
        Number of time steps, >= 1.
    inputs, outputs : {"all", "none", "first", "last"} or iterable of int
        The steps t (1-based) that receive an input :math:`x_t` (drawn below :math:`h_t`) or emit
        an output :math:`y_t` (drawn above). Defaults: an input at every step, no outputs.
    h0 : bool, default True
        Draw the initial state :math:`h_0` (dashed) and its arrow into :math:`h_1`.
    state_labels : sequence of T str, optional
        Default ``$h_1$ .. $h_T$``.
    input_labels, output_labels : sequence of str, optional
        One per selected input / output, in time order. Defaults ``$x_t$`` and ``$y_t$``.
    state_kinds : sequence of T str, optional
        :data:`~rnnbook.plot.diagram.KINDS` of the states, e.g. ``["state"] * 3 + ["state2"] * 2``
        for an encoder and a decoder. Default all ``"state"``.
    xh_label, hh_label, hy_label : str, sequence of str or None, or None
        Labels of the input, recurrent and output arrows: one string for all (the default weight
        names, showing that every step shares them), one per arrow in time order, or ``None``.
    gradients : bool, default False
        Also draw the gradients flowing backwards as dashed arrows: from each output down to its
        state and from each state back to the one before, each beside its forward arrow.
    origin : tuple of float, default (0, 0)
        Centre of :math:`h_0` (or of where it would be).
    spacing, rise : float
        Horizontal distance between states; vertical distance from a state to its input/output.
    size, fontsize : float, default 0.8 and 11.0
        The size of every node and of its label (:func:`rnnbook.plot.diagram.node`).

    Returns
    -------
    Chain
        The nodes, for adding more (call :func:`~rnnbook.plot.diagram.finish` again afterwards).

    Examples
    --------
    Many-to-one, with the gradient of a loss on the last output flowing back:

    >>> from rnnbook.plot.diagram import new_diagram
    >>> fig, ax = new_diagram()
    >>> chain = unrolled_chain(ax, 3, outputs="last", gradients=True)
    >>> len(chain.states), sorted(chain.inputs), sorted(chain.outputs)
    (3, [1, 2, 3], [3])
    """
    T = _checks.positive_int(T, "T")
    x_steps, y_steps = _steps(inputs, T, "inputs"), _steps(outputs, T, "outputs")
    s_labels = list(state_labels) if state_labels is not None else \
        [f"$h_{{{t}}}$" for t in range(1, T + 1)]
    x_labels = list(input_labels) if input_labels is not None else \
        [f"$x_{{{t}}}$" for t in x_steps]
    y_labels = list(output_labels) if output_labels is not None else \
        [f"$y_{{{t}}}$" for t in y_steps]
    kinds = list(state_kinds) if state_kinds is not None else ["state"] * T
    for got, want, name in [(s_labels, T, "state_labels"), (x_labels, len(x_steps), "input_labels"),
                            (y_labels, len(y_steps), "output_labels"), (kinds, T, "state_kinds")]:
        if len(got) != want:
            raise ValueError(f"{name} must have {want} entries; got {len(got)}")
    ox, oy = float(origin[0]), float(origin[1])
    look = dict(size=size, fontsize=fontsize)
    chain = Chain([node(ax, (ox + t * spacing, oy), s_labels[t - 1], kind=kinds[t - 1], **look)
                   for t in range(1, T + 1)],
                  node(ax, (ox, oy), "$h_0$", kind="initial", **look) if h0 else None)
    chain.inputs.update({t: node(ax, (ox + t * spacing, oy - rise), lab, kind="input", **look)
                         for t, lab in zip(x_steps, x_labels, strict=True)})
    chain.outputs.update({t: node(ax, (ox + t * spacing, oy + rise), lab, kind="output", **look)
                          for t, lab in zip(y_steps, y_labels, strict=True)})
    _chain_arrows(ax, chain, xh_label, hh_label, hy_label, gradients)
    finish(ax)
    return chain


def _chain_arrows(ax: Axes, chain: Chain, xh_label: str | Sequence[str | None] | None,
                  hh_label: str | Sequence[str | None] | None,
                  hy_label: str | Sequence[str | None] | None, gradients: bool) -> None:
    """The forward arrows of a chain and, with ``gradients``, the backward ones beside them."""
    states = ([chain.h0] if chain.h0 is not None else []) + chain.states
    links = list(pairwise(states))
    side = 0.1 if gradients else 0.0          # forward above/right, backward below/left
    for (a, b), lab in zip(links, _per_arrow(hh_label, len(links), "hh_label"), strict=True):
        arrow(ax, a, b, label=lab, colour=WEIGHT_COLOURS["hh"], offset=side)
        if gradients:
            arrow(ax, b, a, backward=True, offset=side)
    xs = chain.inputs.items()
    for (t, x), lab in zip(xs, _per_arrow(xh_label, len(xs), "xh_label"), strict=True):
        arrow(ax, x, chain.states[t - 1], label=lab, colour=WEIGHT_COLOURS["xh"],
              label_offset=-0.1)
    ys = chain.outputs.items()
    for (t, y), lab in zip(ys, _per_arrow(hy_label, len(ys), "hy_label"), strict=True):
        arrow(ax, chain.states[t - 1], y, label=lab, colour=WEIGHT_COLOURS["hy"],
              offset=-side, label_offset=-0.1)
        if gradients:
            arrow(ax, y, chain.states[t - 1], backward=True, offset=-side)
