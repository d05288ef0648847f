r"""The language model's chunk loss, fast: what :func:`rnnbook.lm.loss_and_grads` computes, sooner.

Same arguments, same results (to rounding: the tests hold them equal to 1e-12). A language
model's inputs are one-hot vectors, and that is where the plain code spends time it need not:

- :math:`W_{xh} x_t` with a one-hot :math:`x_t` is column :math:`c_t` of :math:`W_{xh}`: a
  lookup, not a (T B, V) x (V, H) product (what libraries call an *embedding*);
- :math:`\partial L / \partial W_{xh} = \sum_t \delta_t x_t^\top` adds each :math:`\delta_t` to
  column :math:`c_t`: a sum per character, not a product with the one-hot matrix;
- the gradient with respect to the inputs, :math:`W_{xh}^\top \delta_t`, is never needed (the
  characters are not learned) and is not computed;
- the softmax and its cross-entropy are computed together, with one exponential.

The vanilla cell's recurrence and BPTT are then written here as :mod:`rnnbook.fast.rnn` writes
them (buffers reused, in place). The LSTM and GRU run their own ``forward`` and ``backward``
(their fast paths where the package has them) on the one-hot inputs.

Letters: T steps, B streams, H hidden units, V characters.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rnnbook import activations, gru, lm, lstm, readout, rnn
from rnnbook.data import one_hot
from rnnbook.types import Array

Tokens = NDArray[np.int64]


def _cell_module(cell: lm.Cell) -> ModuleType:
    """The fastest module that runs ``cell``: ``rnnbook.fast.<cell>`` if there is one."""
    name = {lstm.Params: "lstm", gru.Params: "gru"}[type(cell)]
    try:
        return importlib.import_module(f"rnnbook.fast.{name}")
    except ImportError:  # not (yet) in this version of the package: the plain cell
        return lm.CELLS[type(cell)]


def loss_and_grads(model: lm.Model, inputs: NDArray[np.integer[Any]],
                   targets: NDArray[np.integer[Any]], reset: bool = False,
                   state: lm.State | None = None) -> tuple[float, lm.Model, lm.State]:
    r"""The loss of a chunk, its gradient and the final state: :func:`rnnbook.lm.loss_and_grads`.

    Parameters
    ----------
    model : rnnbook.lm.Model
    inputs, targets : integer ndarray of shape (T, B)
    reset : bool, default False
    state : tuple of ndarray of shape (B, H), optional

    Returns
    -------
    loss : float
    grads : rnnbook.lm.Model
    state : tuple of ndarray of shape (B, H)

    Examples
    --------
    >>> from rnnbook import lm
    >>> m = lm.init(vocab_size=5, hidden_size=8, seed=0)
    >>> x, y = np.zeros((4, 2), int), np.ones((4, 2), int)
    >>> bool(np.isclose(loss_and_grads(m, x, y)[0], lm.loss_and_grads(m, x, y)[0], rtol=1e-12))
    True
    """
    inputs, targets, state = lm.check_chunk(model, inputs, targets, state)
    start = None if reset else state
    if isinstance(model.cell, rnn.Params):
        return _vanilla(model, inputs, targets, start)
    cell = _cell_module(model.cell)
    xs = one_hot(inputs, model.vocab_size)                           # (T, B, V)
    hs, cache = cell.forward(model.cell, xs, *(start or ()))         # (T, B, H)
    loss, dlogits = _softmax_cross_entropy(_readout(model.out, hs), targets)
    g_out, dhs = readout.backward(model.out, hs, dlogits)
    g_cell = cell.backward(model.cell, cache, dhs)[0]
    return loss, lm.Model(g_cell, g_out), lm.final_state(model.cell, hs, cache)


def logits(model: lm.Model, inputs: NDArray[np.integer[Any]],
           state: lm.State | None = None) -> tuple[Array, lm.State]:
    r"""The scores :math:`y_t` of every step of a chunk, and the state it ends in (no gradients).

    Parameters
    ----------
    model : rnnbook.lm.Model
    inputs : integer ndarray of shape (T, B)
    state : tuple of ndarray of shape (B, H), optional
        Where to start; ``None`` means zeros.

    Returns
    -------
    logits : ndarray of shape (T, B, V)
        :math:`y_t = W_{hy} h_t + b_y` of :eq:`eq-lm-next`.
    state : tuple of ndarray of shape (B, H)

    Examples
    --------
    >>> from rnnbook import lm
    >>> m = lm.init(vocab_size=5, hidden_size=8, seed=0)
    >>> y, (h,) = logits(m, np.zeros((4, 2), int))
    >>> y.shape, h.shape
    ((4, 2, 5), (2, 8))
    """
    inputs, _, state = lm.check_chunk(model, inputs, inputs, state)
    if isinstance(model.cell, rnn.Params):
        states = _vanilla_states(model.cell, inputs, state)
        return _readout(model.out, states[1:]), (states[-1].copy(),)
    cell = _cell_module(model.cell)
    hs, cache = cell.forward(model.cell, one_hot(inputs, model.vocab_size), *(state or ()))
    return _readout(model.out, hs), lm.final_state(model.cell, hs, cache)


def _readout(out: readout.Params, hs: Array) -> Array:
    ys: Array = hs @ out.W_hy.T                            # (T, B, V)
    ys += out.b_y
    return ys


def _vanilla_states(p: rnn.Params, inputs: Tokens, state: lm.State | None) -> Array:
    """h_0, ..., h_T of the vanilla cell, the input terms looked up, the loop in place."""
    act = activations.get(p.activation)
    T, B = inputs.shape
    H = p.hidden_size
    dtype = np.result_type(p.W_xh, *(state or ()))
    states = np.empty((T + 1, B, H), dtype)                # (T+1, B, H): h_0, ..., h_T
    states[0] = 0.0 if state is None else state[0]
    np.take(p.W_xh.T, inputs, axis=0, out=states[1:])      # (T, B, H): W_xh x_t, a lookup
    states[1:] += p.b_h
    W_hh_T = p.W_hh.T
    rec = np.empty((B, H), dtype)
    for t in range(1, T + 1):                              # a_t, then h_t = f(a_t), in place
        states[t] += np.matmul(states[t - 1], W_hh_T, out=rec)
        act.f_in_place(states[t])
    return states


def _vanilla(model: lm.Model, inputs: Tokens, targets: Tokens,
             state: lm.State | None) -> tuple[float, lm.Model, lm.State]:
    p, out = model.cell, model.out
    assert isinstance(p, rnn.Params)
    T, B = inputs.shape
    H = p.hidden_size
    states = _vanilla_states(p, inputs, state)             # (T+1, B, H)
    hs = states[1:]                                        # (T, B, H)
    loss, dlogits = _softmax_cross_entropy(_readout(out, hs), targets)
    dlogits_2d = dlogits.reshape(T * B, -1)                # (T*B, V)
    dW_hy = dlogits_2d.T @ hs.reshape(T * B, H)            # (V, H)
    db_y = dlogits_2d.sum(axis=0)                          # (V,)
    dhs = dlogits @ out.W_hy                               # (T, B, H)
    deltas = activations.get(p.activation).df_from_output(hs)   # (T, B, H): f'(a_t) -> δ_t
    dh = np.zeros((B, H), states.dtype)
    for t in range(T - 1, -1, -1):
        dh += dhs[t]                                       # ∂L/∂h_t
        deltas[t] *= dh                                    # δ_t
        dh = deltas[t] @ p.W_hh                            # W_hhᵀ δ_t
    deltas_2d = deltas.reshape(T * B, H)
    dW_hh = deltas_2d.T @ states[:-1].reshape(T * B, H)    # (H, H)
    db_h = deltas_2d.sum(axis=0)                           # (H,)
    dW_xh = _sum_by_character(deltas_2d, inputs.ravel(), p.input_size).T   # (H, V)
    grads = lm.Model(rnn.Params(dW_xh, dW_hh, db_h, p.activation), readout.Params(dW_hy, db_y))
    return loss, grads, (states[-1].copy(),)


def _sum_by_character(rows: Array, ids: Tokens, V: int) -> Array:
    """Row c of the result is the sum of the ``rows`` whose character is c: one-hotᵀ @ rows."""
    order = np.argsort(ids, kind="stable")                           # (N,)
    sorted_ids = ids[order]
    starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
    out = np.zeros((V, rows.shape[1]), rows.dtype)                    # (V, H)
    out[sorted_ids[starts]] = np.add.reduceat(rows[order], starts, axis=0)
    return out


def _softmax_cross_entropy(logits: Array, targets: Tokens) -> tuple[float, Array]:
    """The mean cross-entropy and its gradient (softmax - one-hot) / N, with one exponential.

    ``logits`` is overwritten: it becomes the gradient.
    """
    N, V = targets.size, logits.shape[-1]
    z = logits.reshape(N, V)                                          # (N, V): a view
    rows, ids = np.arange(N), targets.ravel()
    z -= z.max(axis=1, keepdims=True)                                 # every entry <= 0
    picked = z[rows, ids]                                             # (N,): z of the target
    np.exp(z, out=z)                                                  # e^z
    total = z.sum(axis=1)                                             # (N,)
    loss = float((np.log(total) - picked).sum() / N)
    z /= (total * N)[:, None]                                         # softmax / N
    z[rows, ids] -= 1.0 / N                                           # minus one-hot / N
    return loss, logits
