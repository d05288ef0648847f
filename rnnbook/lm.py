r"""A character-level language model: a cell and a readout that predict the next character.

At step t the cell reads the one-hot vector :math:`x_t` of character :math:`c_t`, and the readout
turns its state into a distribution over the V characters that may come next,
equation :eq:`eq-lm-next`:

.. math::
    \begin{aligned}
    &p(c_{t+1} \mid c_1, \dots, c_t) \\
    &\quad = \operatorname{softmax}(W_{hy} h_t + b_y)_{c_{t+1}} .
    \end{aligned}

The loss of a chunk of T steps of B streams is the mean negative log-likelihood of the characters
that did come next, in nats per character (:eq:`eq-lm-loss`); :mod:`rnnbook.perplexity` scores
held-out text the same way, and :mod:`rnnbook.sampling` writes new text. The cell is any of
:mod:`rnnbook.rnn`, :mod:`rnnbook.lstm` and :mod:`rnnbook.gru`, used through their public
``forward`` and ``backward``; a *state* is the tuple of arrays a cell carries, ``(h,)`` or, for
the LSTM, ``(h, c)``, and ``None`` means zeros. Chunks of parallel streams come from
:mod:`rnnbook.streams`; the reference design is Karpathy's min-char-rnn (2015).

Letters: T steps, B streams, H hidden units, V characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks, _tree, gru, losses, lstm, readout, rnn
from rnnbook.data import one_hot
from rnnbook.types import Array, Seed, as_generator

Cell = rnn.Params | lstm.Params | gru.Params
"""The parameters of any of the three cells."""

State = tuple[Array, ...]
"""What a cell carries from one step to the next: ``(h,)``, or ``(h, c)`` for the LSTM."""

CELLS: dict[type, ModuleType] = {rnn.Params: rnn, lstm.Params: lstm, gru.Params: gru}
"""The module that runs each kind of cell, found from the type of its parameters."""


@dataclass(frozen=True, eq=False)  # arrays have no single truth value: compare fields
class Model:
    """A cell that reads characters and a readout that predicts the next one.

    Parameters
    ----------
    cell : rnn.Params, lstm.Params or gru.Params
        Reads one-hot characters: its input size is V.
    out : readout.Params
        :math:`W_{hy}` of shape (V, H): a score for each of the V characters.
    """

    cell: Cell
    out: readout.Params

    def __post_init__(self) -> None:
        if type(self.cell) not in CELLS:
            raise TypeError(f"cell must be an rnn.Params, lstm.Params or gru.Params; "
                            f"got {type(self.cell).__name__}")
        _checks.instance(self.out, "out", readout.Params, "a readout.Params")
        V, H = self.cell.input_size, self.cell.hidden_size
        _checks.expect_shape(self.out.W_hy, "out.W_hy", (V, H), "(V, H)",
                             f"(V={V} characters read by cell, H={H} its hidden size)")

    @property
    def vocab_size(self) -> int:
        """V, the number of characters the model reads and predicts."""
        return self.cell.input_size


def init(vocab_size: int, hidden_size: int, *, cell: str = "rnn", seed: Seed = None) -> Model:
    """A language model with a fresh cell and readout, as their own ``init`` draws them.

    Parameters
    ----------
    vocab_size : int
        V.
    hidden_size : int
        H.
    cell : {"rnn", "lstm", "gru"}, default "rnn"
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Model
    """
    V = _checks.positive_int(vocab_size, "vocab_size")
    _checks.choice(cell, "cell", ("rnn", "lstm", "gru"))
    rng = as_generator(seed)
    module = {"rnn": rnn, "lstm": lstm, "gru": gru}[cell]
    return Model(module.init(V, hidden_size, seed=rng), readout.init(hidden_size, V, seed=rng))


def final_state(cell: Cell, hs: Array, cache: Any) -> State:
    """The state a cell ends in after ``forward``, to start the next chunk from.

    Parameters
    ----------
    cell : rnn.Params, lstm.Params or gru.Params
    hs : ndarray of shape (T, B, H)
        The states ``forward`` returned.
    cache
        The cache ``forward`` returned (the LSTM's holds the cell states).

    Returns
    -------
    tuple of ndarray of shape (B, H)
        :math:`(h_T,)`, or :math:`(h_T, c_T)` for the LSTM.
    """
    if isinstance(cell, lstm.Params):
        return hs[-1], cache.cells[-1]
    return (hs[-1],)


def loss_and_grads(model: Model, inputs: NDArray[np.integer[Any]],
                   targets: NDArray[np.integer[Any]], reset: bool = False,
                   state: State | None = None) -> tuple[float, Model, State]:
    r"""The loss of a chunk, its gradient, and the state to carry to the next chunk.

    Parameters
    ----------
    model : Model
    inputs, targets : integer ndarray of shape (T, B)
        The characters read, :math:`c_t`, and those that came next, :math:`c_{t+1}`
        (a :class:`rnnbook.streams.Chunk`).
    reset : bool, default False
        Start from zeros, whatever ``state`` is (the chunk's ``reset`` flag).
    state : tuple of ndarray of shape (B, H), optional
        Where the previous chunk ended; ``None`` means zeros.

    Returns
    -------
    loss : float
        :eq:`eq-lm-loss`, the mean over the T·B characters of
        :math:`-\log p(c_{t+1} \mid c_1, \dots, c_t)`, in nats.
    grads : Model
        Its gradient, by BPTT within the chunk: none flows into ``state``.
    state : tuple of ndarray of shape (B, H)
        The state at the end of the chunk.

    Examples
    --------
    >>> m = init(vocab_size=5, hidden_size=8, seed=0)
    >>> loss, grads, state = loss_and_grads(m, np.zeros((4, 2), int), np.ones((4, 2), int))
    >>> grads.cell.W_hh.shape, grads.out.W_hy.shape, state[0].shape
    ((8, 8), (5, 8), (2, 8))
    """
    inputs, targets, state = check_chunk(model, inputs, targets, state)
    cell = CELLS[type(model.cell)]
    xs = one_hot(inputs, model.vocab_size)                           # (T, B, V): x_t
    start = () if reset or state is None else state                  # () : zeros
    hs, cache = cell.forward(model.cell, xs, *start)                 # (T, B, H): h_t
    logits = readout.forward(model.out, hs)                          # (T, B, V): y_t
    loss, dlogits = losses.softmax_cross_entropy(logits, targets)    # mean over T·B
    g_out, dhs = readout.backward(model.out, hs, dlogits)            # (T, B, H)
    g_cell = cell.backward(model.cell, cache, dhs)[0]                # BPTT
    return loss, Model(g_cell, g_out), final_state(model.cell, hs, cache)


def clip_elementwise(grads: Model, limit: float) -> Model:
    r"""min-char-rnn's clipping: every entry of every gradient into :math:`[-c, c]`.

    Unlike :func:`rnnbook.clipping.clip_by_norm`, which the book prefers, it changes the
    direction of the gradient whenever one entry is clipped.

    Parameters
    ----------
    grads : Model
    limit : float
        :math:`c > 0`.

    Returns
    -------
    Model
    """
    _checks.instance(grads, "grads", Model, "an lm.Model")
    c = _checks.positive_float(limit, "limit")
    return _tree.map_arrays(lambda g: np.clip(g, -c, c), grads)


def check_chunk(model: object, inputs: object, targets: object, state: object
                ) -> tuple[NDArray[np.int64], NDArray[np.int64], State | None]:
    """Check the arguments of :func:`loss_and_grads` (and of its fast path) and return them.

    Raises a ``TypeError`` or ``ValueError`` naming the argument: ``model`` not an
    :class:`Model`, ``inputs`` or ``targets`` not integer arrays of one shape (T, B) with
    entries in [0, V), ``state`` not ``None`` nor the tuple the cell carries, of shape (B, H).
    """
    m = _checks.instance(model, "model", Model, "an lm.Model")
    tokens = _check_tokens(inputs, "inputs", m.vocab_size)
    return (tokens, _check_tokens(targets, "targets", m.vocab_size, like=tokens),
            _check_state(state, m, tokens.shape[1]))


def _check_tokens(value: object, name: str, V: int,
                  like: NDArray[np.int64] | None = None) -> NDArray[np.int64]:
    """Validate a (T, B) array of character indices in [0, V)."""
    arr = np.asarray(value)
    if arr.ndim != 2 or arr.dtype.kind not in "iu" or arr.size == 0:
        raise TypeError(f"{name} must be a non-empty integer array of shape (T, B) of character "
                        f"indices; got dtype {arr.dtype} and shape {_checks.shape_str(arr.shape)}")
    if like is not None and arr.shape != like.shape:
        raise ValueError(f"{name} must have the shape of inputs, "
                         f"{_checks.shape_str(like.shape)}; got {_checks.shape_str(arr.shape)}")
    if arr.min() < 0 or arr.max() >= V:
        bad = arr.min() if arr.min() < 0 else arr.max()
        raise ValueError(f"{name} must lie in [0, V) = [0, {V}); got {bad}")
    return arr.astype(np.int64, copy=False)


def _check_state(state: object, model: Model, batch: int) -> State | None:
    """Validate a carried state: a tuple of (B, H) arrays, one per state of the cell."""
    if state is None:
        return None
    want = 2 if isinstance(model.cell, lstm.Params) else 1
    what = "(h, c)" if want == 2 else "(h,)"
    if not isinstance(state, tuple) or len(state) != want:
        raise TypeError(f"state must be None or the tuple {what} returned by the previous "
                        f"chunk; got {type(state).__name__}")
    shape = (batch, model.cell.hidden_size)
    for name, s in zip(what.strip("(,)").split(", "), state, strict=True):
        arr = _checks.float_array(s, f"state {name}", ndim=2, layout="(B, H)")
        _checks.expect_shape(arr, f"state {name}", shape, "(B, H)",
                             "(B from inputs, H from the cell)")
    return state
