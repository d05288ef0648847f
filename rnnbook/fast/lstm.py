r"""The LSTM's forward pass and BPTT, fast: what :mod:`rnnbook.lstm` computes, sooner.

Same arguments, same results (to rounding: the tests hold them equal to 1e-12), the same
:class:`rnnbook.lstm.Cache`, so the two mix freely (``fast.lstm.backward`` on the cache of
``lstm.forward`` and the other way round). Where the plain code spends its time, and what is done
about it here:

- the four gates' input terms :math:`W_{x\cdot} x_t + b_\cdot` do not depend on the state: one
  matrix product for all T steps and all four gates before the loop, with the weights stacked
  into one (4H, D) matrix;
- the four recurrent products :math:`W_{h\cdot} h_{t-1}` are one (B, H) x (H, 4H) product per
  step, into a buffer reused at every step;
- inside, every array of a step is feature-major, (H, B) rather than (B, H): one gate of one step
  is then a contiguous block of memory, and every elementwise operation of the loop runs over
  contiguous memory (the cache holds transposed views, of the shapes the plain code gives);
- the gates are stacked in the order i, f, o, g, so that the three sigmoids sit side by side;
  with their weights halved (exact in floating point), one ``tanh`` over all 4H columns gives
  :math:`g_t` and :math:`\tanh(a/2)`, and :math:`\sigma(a) = (1 + \tanh(a/2))/2`;
- backward writes every factor of the gates' :math:`\delta` that does not depend on the incoming
  gradient (:math:`g_t\, i_t (1 - i_t)`, :math:`c_{t-1} f_t (1 - f_t)`, ...) for all steps at
  once, so that each step of the backward sweep is a handful of array operations and one
  (B, 4H) x (4H, H) product;
- the weight gradients are one product each over all steps and gates.

Table 1 of ``make bench`` compares it with PyTorch; the tests compare it with the plain code.
"""

from __future__ import annotations

import numpy as np

from rnnbook import _checks, _gated_checks
from rnnbook.lstm import Cache, Params
from rnnbook.types import Array

_FORWARD_ORDER = ("i", "f", "o", "g")   # the sigmoid gates first, side by side
_BACKWARD_ORDER = ("i", "f", "g", "o")  # the gates whose δ is carried by ∂L/∂c_t first


def _stack(p: Params, kind: str, order: tuple[str, ...], dtype: np.dtype) -> Array:
    """The weights of kind ``"W_x"``, ``"W_h"`` or ``"b_"`` of all gates, stacked in ``order``."""
    return np.concatenate([getattr(p, kind + n) for n in order]).astype(dtype, copy=False)


def forward(params: Params, xs: Array, h0: Array | None = None,
            c0: Array | None = None) -> tuple[Array, Cache]:
    r"""Run the cell over a batch of sequences: :func:`rnnbook.lstm.forward`, faster.

    Parameters
    ----------
    params : rnnbook.lstm.Params
    xs : ndarray of shape (T, B, D)
        Inputs, time-major.
    h0, c0 : ndarray of shape (B, H), optional
        The initial hidden and cell states; ``None`` means zeros.

    Returns
    -------
    hs : ndarray of shape (T, B, H)
        :math:`h_1, \dots, h_T` (a read-only view of ``cache.states``).
    cache : rnnbook.lstm.Cache
        What :func:`backward` (or :func:`rnnbook.lstm.backward`) needs: read-only views of the
        shapes the plain code gives, on feature-major arrays (its gates are views of one
        (T, 4H, B) array).

    Examples
    --------
    >>> from rnnbook import lstm
    >>> p = lstm.init(input_size=3, hidden_size=8, seed=0)
    >>> xs = np.ones((5, 2, 3))
    >>> hs, _ = forward(p, xs)
    >>> bool(np.allclose(hs, lstm.forward(p, xs)[0], rtol=1e-12, atol=1e-15))
    True
    """
    p = _checks.instance(params, "params", Params, "an lstm.Params")
    xs = _gated_checks.inputs(xs, "xs", "(T, B, D)", p.input_size, "W_xi", p.W_xi.shape)
    T, B, _ = xs.shape
    H = p.hidden_size
    h0 = None if h0 is None else _gated_checks.state(h0, "h0", B, H)
    c0 = None if c0 is None else _gated_checks.state(c0, "c0", B, H)
    dtype = np.result_type(p.W_xi, xs, *(s for s in (h0, c0) if s is not None))
    xs = xs.astype(dtype, copy=True)                      # (T, B, D): the cache's own copy
    half = np.repeat(np.array([0.5, 0.5, 0.5, 1.0], dtype), H)[:, None]  # (4H, 1): σ via tanh
    W_x = _stack(p, "W_x", _FORWARD_ORDER, dtype) * half  # (4H, D)
    W_h = _stack(p, "W_h", _FORWARD_ORDER, dtype) * half  # (4H, H)
    b = _stack(p, "b_", _FORWARD_ORDER, dtype)[:, None] * half  # (4H, 1)
    acts = np.empty((T, 4 * H, B), dtype)                 # pre-activations, then the gates
    np.matmul(W_x, xs.transpose(0, 2, 1), out=acts)      # W_x x_t for every t
    acts += b
    states = np.empty((T + 1, H, B), dtype)               # h_0 .. h_T, feature-major
    cells = np.empty((T + 1, H, B), dtype)                # c_0 .. c_T
    states[0] = 0.0 if h0 is None else h0.T
    cells[0] = 0.0 if c0 is None else c0.T
    rec = np.empty((4 * H, B), dtype)                     # W_h h_{t-1}, one buffer for all t
    tmp = np.empty((H, B), dtype)
    for t in range(T):
        a = acts[t]                                       # (4H, B): halved pre-activations
        a += np.matmul(W_h, states[t], out=rec)
        np.tanh(a, out=a)                                 # tanh(a/2) for i, f, o; g itself
        sig = a[:3 * H]
        sig *= 0.5
        sig += 0.5                                        # σ(a) = (1 + tanh(a/2)) / 2
        c = cells[t + 1]
        np.multiply(a[H:2 * H], cells[t], out=c)          # f_t ⊙ c_{t-1}
        c += np.multiply(a[:H], a[3 * H:], out=tmp)       # + i_t ⊙ g_t
        np.multiply(a[2 * H:3 * H], np.tanh(c, out=tmp), out=states[t + 1])  # o_t ⊙ tanh c_t
    i, f, o, g = (acts[:, k * H:(k + 1) * H].transpose(0, 2, 1) for k in range(4))  # (T, B, H)
    cache = Cache(xs, states.transpose(0, 2, 1), cells.transpose(0, 2, 1), i, f, g, o)
    for array in (*cache, acts, states, cells):
        array.flags.writeable = False                     # nothing may change what backward reads
    return cache.states[1:], cache


def backward(params: Params, cache: Cache, dhs: Array, dc_last: Array | None = None,
             truncate: int | None = None) -> tuple[Params, Array, Array, Array]:
    r"""Backpropagation through time through both states: :func:`rnnbook.lstm.backward`, faster.

    Parameters
    ----------
    params : rnnbook.lstm.Params
        The parameters ``cache`` was computed with.
    cache : rnnbook.lstm.Cache
        From :func:`forward` or :func:`rnnbook.lstm.forward`.
    dhs : ndarray of shape (T, B, H)
        :math:`\partial L / \partial h_t` as the loss sees it, for every step.
    dc_last : ndarray of shape (B, H), optional
        :math:`\partial L / \partial c_T`; ``None`` means zeros.
    truncate : int, optional
        Truncated BPTT, as in :func:`rnnbook.lstm.backward`; ``None``, or any value >= T, is full
        BPTT.

    Returns
    -------
    grads : rnnbook.lstm.Params
    dxs : ndarray of shape (T, B, D)
    dh0, dc0 : ndarray of shape (B, H)

    Examples
    --------
    >>> from rnnbook import lstm
    >>> p = lstm.init(input_size=3, hidden_size=8, seed=0)
    >>> hs, cache = lstm.forward(p, np.ones((5, 2, 3)))
    >>> fast = backward(p, cache, np.ones_like(hs))
    >>> plain = lstm.backward(p, cache, np.ones_like(hs))
    >>> bool(np.allclose(fast[0].W_hf, plain[0].W_hf, rtol=1e-12, atol=1e-15))
    True
    """
    p, cache, dhs, k = _gated_checks.backward_args(params, cache, dhs, truncate,
                                                 (Params, Cache), "lstm")
    T, B, H = dhs.shape
    D = cache.xs.shape[2]
    dtype = dhs.dtype
    dc = np.zeros((H, B), dtype) if dc_last is None else np.array(
        _gated_checks.state(dc_last, "dc_last", B, H).T, dtype=dtype, order="C")  # (H, B)
    W_h_T = np.ascontiguousarray(_stack(p, "W_h", _BACKWARD_ORDER, dtype).T)   # (H, 4H)
    dhs_fm = np.array(dhs.transpose(0, 2, 1), order="C")  # (T, H, B): feature-major
    if k is None or k >= T:
        deltas, dh0, dc0 = _sweep(cache, W_h_T, dhs_fm, dc)
    else:
        deltas, dh0, dc0 = _sweep_truncated(cache, W_h_T, dhs_fm, dc, k)
    deltas_2d = deltas.reshape(T, 4 * H, B).transpose(0, 2, 1).reshape(T * B, 4 * H)  # a copy
    dW_x = deltas_2d.T @ cache.xs.reshape(T * B, D)       # (4H, D): Σ_t δ_t x_tᵀ
    dW_h = deltas_2d.T @ cache.states[:-1].reshape(T * B, H)  # (4H, H): Σ_t δ_t h_{t-1}ᵀ
    db = deltas_2d.sum(axis=0)                            # (4H,)
    dxs = (deltas_2d @ _stack(p, "W_x", _BACKWARD_ORDER, dtype)).reshape(T, B, D)
    grads: dict[str, Array] = {}
    for j, n in enumerate(_BACKWARD_ORDER):
        rows = slice(j * H, (j + 1) * H)
        grads[f"W_x{n}"], grads[f"W_h{n}"], grads[f"b_{n}"] = dW_x[rows], dW_h[rows], db[rows]
    return Params(**grads), dxs, np.ascontiguousarray(dh0.T), np.ascontiguousarray(dc0.T)


CHUNK_BYTES = 1 << 20
"""The backward sweep computes its factors for a block of steps at a time, about this many bytes
of them (1 MiB), so that they are still in the CPU's cache when the sweep reads them."""


def _feature_major(a: Array) -> Array:
    """(T, B, H) -> (T, H, B), a view: a gate of one step is then one contiguous block when the
    cache comes from :func:`forward`."""
    view: Array = a.transpose(0, 2, 1)
    return view


def _factors(cache: Cache, t0: int, t1: int, K: Array, hc: Array) -> None:
    """Fill ``K`` (t1 - t0, 4, H, B) and ``hc`` (t1 - t0, H, B) for steps t0 .. t1 - 1.

    ``K`` holds the factors that turn ∂L/∂c_t into the δ of i, f, g (entries 0-2) and ∂L/∂h_t
    into the δ of o (entry 3): g_t i_t (1 - i_t), c_{t-1} f_t (1 - f_t), i_t (1 - g_t²),
    tanh(c_t) o_t (1 - o_t). ``hc`` is o_t (1 - tanh² c_t), which carries ∂L/∂h_t into ∂L/∂c_t.
    """
    i, f, g, o = (_feature_major(gate[t0:t1]) for gate in (cache.i, cache.f, cache.g, cache.o))
    cells = _feature_major(cache.cells[t0:t1 + 1])       # (n + 1, H, B): c_{t0} .. c_{t1}
    tanh_c = np.tanh(cells[1:], out=hc)                   # (n, H, B), overwritten below
    for slot, gate, other in ((0, i, g), (1, f, cells[:-1]), (3, o, tanh_c)):
        k = K[:, slot]
        np.subtract(1.0, gate, out=k)
        k *= gate                                         # σ' = σ (1 - σ)
        k *= other                                        # g_t, c_{t-1}, tanh c_t
    k = K[:, 2]
    np.multiply(g, g, out=k)
    np.subtract(1.0, k, out=k)
    k *= i                                                # i_t (1 - g_t²)
    hc *= tanh_c
    np.subtract(1.0, hc, out=hc)
    hc *= o                                               # o_t (1 - tanh² c_t)


def _sweep(cache: Cache, W_h_T: Array, dhs: Array, dc_last: Array) -> tuple[Array, Array, Array]:
    """Full BPTT, one backward sweep, feature-major: the δs (T, 4, H, B), dh0 and dc0 (H, B)."""
    T, H, B = dhs.shape
    deltas = np.empty((T, 4, H, B), dhs.dtype)           # δ of i, f, g, o at every step
    n = max(1, min(T, CHUNK_BYTES // (B * 4 * H * dhs.itemsize)))  # steps per block
    K_buf, hc_buf = np.empty((n, 4, H, B), dhs.dtype), np.empty((n, H, B), dhs.dtype)
    dh = np.zeros((H, B), dhs.dtype)                      # ∂L/∂h_t from the steps after t
    dc = dc_last                                          # ∂L/∂c_t from the steps after t
    tmp = np.empty_like(dh)
    f = _feature_major(cache.f)
    for t1 in range(T, 0, -n):                            # blocks t0 .. t1 - 1, last first
        t0 = max(0, t1 - n)
        K, hc = K_buf[:t1 - t0], hc_buf[:t1 - t0]
        _factors(cache, t0, t1, K, hc)
        for t in range(t1 - 1, t0 - 1, -1):
            dh += dhs[t]                                  # total ∂L/∂h_t
            dc += np.multiply(dh, hc[t - t0], out=tmp)    # total ∂L/∂c_t
            d, k = deltas[t], K[t - t0]                   # (4, H, B)
            np.multiply(k[:3], dc, out=d[:3])             # δ of i, f, g
            np.multiply(k[3], dh, out=d[3])               # δ of o
            np.matmul(W_h_T, d.reshape(4 * H, B), out=dh)  # ∂L/∂h_{t-1}
            dc *= f[t]                                    # ∂L/∂c_{t-1}: the highway
    return deltas, dh, dc


def _sweep_truncated(cache: Cache, W_h_T: Array, dhs: Array, dc_last: Array,
                     k: int) -> tuple[Array, Array, Array]:
    """Truncated to ``k`` < T updates: all loss terms at once, one lag at a time (as in
    :mod:`rnnbook.lstm`): at lag j, position s holds loss term s + j's gradient on step s."""
    T, H, B = dhs.shape
    K, hc = np.empty((T, 4, H, B), dhs.dtype), np.empty((T, H, B), dhs.dtype)
    _factors(cache, 0, T, K, hc)
    f = _feature_major(cache.f)
    deltas = np.zeros_like(K)                             # (T, 4, H, B)
    dh0, dc0 = np.zeros((H, B), dhs.dtype), np.zeros((H, B), dhs.dtype)
    gh = dhs                                              # (T, H, B): each term's ∂/∂h
    gc = np.zeros_like(dhs)                               # (T, H, B): ... and ∂/∂c
    gc[-1] = dc_last                                      # ∂L/∂c_T is a term at time T
    for j in range(k):
        reach = T - j                                     # positions still within reach
        dc = gc + gh * hc[:reach]                         # (reach, H, B)
        d = np.empty((reach, 4, H, B), dhs.dtype)
        np.multiply(K[:reach, :3], dc[:, None], out=d[:, :3])
        np.multiply(K[:reach, 3], gh, out=d[:, 3])
        deltas[:reach] += d
        gh = W_h_T @ d.reshape(reach, 4 * H, B)           # (reach, H, B): ∂/∂h_{s-1}
        gc = dc * f[:reach]                               # (reach, H, B): ∂/∂c_{s-1}
        dh0 += gh[0]                                      # term j reaches h_0, c_0
        dc0 += gc[0]
        gh, gc = gh[1:], gc[1:]
    return deltas, dh0, dc0
