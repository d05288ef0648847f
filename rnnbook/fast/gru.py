r"""The GRU's forward pass and BPTT, fast: what :mod:`rnnbook.gru` computes, sooner.

Same arguments, same results (to rounding: the tests hold them equal to 1e-12), the same
:class:`rnnbook.gru.Cache`, so the two mix freely. Both reset-gate placements
(``Params.reset``) are supported. What is done for speed:

- the input terms of the three gates, :math:`W_{x\cdot} x_t` and their biases, are one matrix
  product for all T steps before the loop, with the weights stacked into one (3H, D) matrix;
- the recurrent products are one (B, H) x (H, 3H) product per step with PyTorch's placement (Cho's
  needs a second one, since its candidate multiplies :math:`r_t \odot h_{t-1}`), into buffers
  reused at every step;
- inside, every array of a step is feature-major, (H, B) rather than (B, H), so that one gate of
  one step is a contiguous block of memory (the cache holds transposed views, of the shapes the
  plain code gives);
- the two sigmoid gates sit side by side; with their weights halved (exact in floating point)
  :math:`\sigma(a) = (1 + \tanh(a/2))/2`;
- with PyTorch's placement every :math:`\delta` of a step is the incoming gradient
  :math:`\partial L/\partial h_t` times a factor that does not depend on it, so backward computes
  those factors for a block of steps at a time and each step of the sweep is one multiplication,
  one (B, 3H) x (3H, H) product and the direct path :math:`z_t \odot \partial L/\partial h_t`;
- the weight gradients are one product each over all steps.
"""

from __future__ import annotations

import numpy as np

from rnnbook import _checks, _gated_checks
from rnnbook.gru import Cache, Params
from rnnbook.types import Array

CHUNK_BYTES = 1 << 20
"""Backward computes its factors for a block of steps at a time, about this many bytes of them
(1 MiB), so that they are still in the CPU's cache when the sweep reads them."""

# The δs of a step are stored side by side in the order u, r, z, n (u: the term inside the
# reset, W_hn h_{t-1} + b_hn): u, r, z multiply h_{t-1} and r, z, n multiply x_t, so each
# weight gradient is one product over a contiguous block of columns.
U, R, Z, N = range(4)


def forward(params: Params, xs: Array, h0: Array | None = None) -> tuple[Array, Cache]:
    r"""Run the cell over a batch of sequences: :func:`rnnbook.gru.forward`, faster.

    Parameters
    ----------
    params : rnnbook.gru.Params
    xs : ndarray of shape (T, B, D)
        Inputs, time-major.
    h0 : ndarray of shape (B, H), optional
        The initial state; ``None`` means zeros.

    Returns
    -------
    hs : ndarray of shape (T, B, H)
        :math:`h_1, \dots, h_T` (a read-only view of ``cache.states``).
    cache : rnnbook.gru.Cache
        What :func:`backward` (or :func:`rnnbook.gru.backward`) needs: read-only views of the
        shapes the plain code gives, on feature-major arrays (its gates are views of one
        (T, 3H, B) array).

    Examples
    --------
    >>> from rnnbook import gru
    >>> q = gru.init(input_size=3, hidden_size=8, seed=0)
    >>> xs = np.ones((5, 2, 3))
    >>> hs, _ = forward(q, xs)
    >>> bool(np.allclose(hs, gru.forward(q, xs)[0], rtol=1e-12, atol=1e-15))
    True
    """
    p = _checks.instance(params, "params", Params, "a gru.Params")
    xs = _gated_checks.inputs(xs, "xs", "(T, B, D)", p.input_size, "W_xr", p.W_xr.shape)
    T, B, _ = xs.shape
    H = p.hidden_size
    h0 = None if h0 is None else _gated_checks.state(h0, "h0", B, H)
    dtype = np.result_type(p.W_xr, xs, *(() if h0 is None else (h0,)))
    xs = xs.astype(dtype, copy=True)                      # (T, B, D): the cache's own copy
    cho = p.reset == "cho"
    half = np.repeat(np.array([0.5, 0.5, 1.0], dtype), H)[:, None]  # (3H, 1): σ via tanh
    W_x = np.concatenate([p.W_xr, p.W_xz, p.W_xn]).astype(dtype) * half            # (3H, D)
    b_x = np.concatenate([p.b_r, p.b_z, p.b_xn + p.b_hn if cho else p.b_xn]).astype(dtype)
    W_h = np.concatenate([p.W_hr, p.W_hz] if cho else [p.W_hr, p.W_hz, p.W_hn]).astype(dtype)
    W_h = W_h * half[:len(W_h)]                           # (2H, H) Cho, (3H, H) PyTorch
    W_hn = p.W_hn.astype(dtype)                           # (H, H)
    b_hn = p.b_hn.astype(dtype)[:, None]                  # (H, 1)
    acts = np.empty((T, 3 * H, B), dtype)                 # pre-activations, then r, z, n
    np.matmul(W_x, xs.transpose(0, 2, 1), out=acts)       # W_x x_t for every t
    acts += b_x[:, None] * half
    states = np.empty((T + 1, H, B), dtype)               # h_0 .. h_T, feature-major
    states[0] = 0.0 if h0 is None else h0.T
    rec = np.empty((len(W_h), B), dtype)                  # W_h h_{t-1}, one buffer for all t
    tmp, rec_n = np.empty((H, B), dtype), np.empty((H, B), dtype)
    for t in range(T):
        a, h_prev = acts[t], states[t]                    # (3H, B), (H, B)
        np.matmul(W_h, h_prev, out=rec)
        rz = a[:2 * H]
        rz += rec[:2 * H]
        np.tanh(rz, out=rz)
        rz *= 0.5
        rz += 0.5                                         # r_t, z_t = σ(...)
        r, z, n = a[:H], a[H:2 * H], a[2 * H:]
        if cho:                                           # W_hn (r_t ⊙ h_{t-1})
            n += np.matmul(W_hn, np.multiply(r, h_prev, out=tmp), out=rec_n)
        else:                                             # r_t ⊙ (W_hn h_{t-1} + b_hn)
            u = rec[2 * H:]
            u += b_hn
            n += np.multiply(r, u, out=tmp)
        np.tanh(n, out=n)                                 # n_t
        h = states[t + 1]
        np.subtract(h_prev, n, out=h)
        h *= z
        h += n                                            # h_t = n_t + z_t ⊙ (h_{t-1} - n_t)
    r, z, n = (acts[:, k * H:(k + 1) * H].transpose(0, 2, 1) for k in range(3))  # (T, B, H)
    cache = Cache(xs, states.transpose(0, 2, 1), r, z, n)
    for array in (*cache, acts, states):
        array.flags.writeable = False                     # nothing may change what backward reads
    return cache.states[1:], cache


def backward(params: Params, cache: Cache, dhs: Array,
             truncate: int | None = None) -> tuple[Params, Array, Array]:
    r"""Backpropagation through time: :func:`rnnbook.gru.backward`, faster.

    Parameters
    ----------
    params : rnnbook.gru.Params
        The parameters ``cache`` was computed with.
    cache : rnnbook.gru.Cache
        From :func:`forward` or :func:`rnnbook.gru.forward`.
    dhs : ndarray of shape (T, B, H)
        :math:`\partial L / \partial h_t` as the loss sees it, for every step.
    truncate : int, optional
        Truncated BPTT, as in :func:`rnnbook.gru.backward`; ``None``, or any value >= T, is full
        BPTT.

    Returns
    -------
    grads : rnnbook.gru.Params
    dxs : ndarray of shape (T, B, D)
    dh0 : ndarray of shape (B, H)

    Examples
    --------
    >>> from rnnbook import gru
    >>> q = gru.init(input_size=3, hidden_size=8, seed=0)
    >>> hs, cache = gru.forward(q, np.ones((5, 2, 3)))
    >>> fast, plain = backward(q, cache, np.ones_like(hs)), gru.backward(q, cache, np.ones_like(hs))
    >>> bool(np.allclose(fast[0].W_hn, plain[0].W_hn, rtol=1e-12, atol=1e-15))
    True
    """
    p, cache, dhs, k = _gated_checks.backward_args(params, cache, dhs, truncate,
                                                 (Params, Cache), "gru")
    T, B, H = dhs.shape
    D = cache.xs.shape[2]
    dtype = dhs.dtype
    W = {n: getattr(p, n).astype(dtype, copy=False) for n in ("W_hr", "W_hz", "W_hn")}
    dhs_fm = np.array(dhs.transpose(0, 2, 1), order="C")  # (T, H, B): feature-major
    b_hn = p.b_hn.astype(dtype)[:, None]                  # (H, 1)
    if k is None or k >= T:
        deltas, dh0 = _sweep(p.reset, cache, W, b_hn, dhs_fm)
    else:
        deltas, dh0 = _sweep_truncated(p.reset, cache, W, b_hn, dhs_fm, k)
    d2 = deltas.reshape(T, 4 * H, B).transpose(0, 2, 1).reshape(T * B, 4 * H)  # a copy
    h_prev = cache.states[:-1].reshape(T * B, H)          # (T B, H)
    if p.reset == "pytorch":
        dW_h = d2[:, :3 * H].T @ h_prev                   # (3H, H): W_hn, W_hr, W_hz
    else:                                                 # W_hn multiplies r_t ⊙ h_{t-1}
        v = (cache.r * cache.states[:-1]).reshape(T * B, H)
        dW_h = np.concatenate([d2[:, :H].T @ v, d2[:, H:3 * H].T @ h_prev])
    dW_x = d2[:, H:].T @ cache.xs.reshape(T * B, D)       # (3H, D): W_xr, W_xz, W_xn
    db = d2.sum(axis=0)                                   # (4H,): b_hn, b_r, b_z, b_xn
    W_x = np.concatenate([p.W_xr, p.W_xz, p.W_xn]).astype(dtype, copy=False)  # (3H, D)
    dxs = (d2[:, H:] @ W_x).reshape(T, B, D)              # (T, B, D)

    def rows(a: Array, j: int) -> Array:
        return a[j * H:(j + 1) * H]

    grads = Params(W_xr=rows(dW_x, 0), W_hr=rows(dW_h, R), b_r=rows(db, R),
                   W_xz=rows(dW_x, 1), W_hz=rows(dW_h, Z), b_z=rows(db, Z),
                   W_xn=rows(dW_x, 2), W_hn=rows(dW_h, U), b_xn=rows(db, N),
                   b_hn=rows(db, U), reset=p.reset)
    return grads, dxs, np.ascontiguousarray(dh0.T)


def _feature_major(a: Array) -> Array:
    """(T, B, H) -> (T, H, B), a view: one gate of one step is then a contiguous block when the
    cache comes from :func:`forward`."""
    view: Array = a.transpose(0, 2, 1)
    return view


def _factors(reset: str, cache: Cache, W_hn: Array, b_hn: Array, t0: int, t1: int,
             K: Array) -> None:
    """Fill ``K`` (t1 - t0, 4, H, B) for steps t0 .. t1 - 1: what turns ∂L/∂h_t into the δs.

    PyTorch's placement, u_t = W_hn h_{t-1} + b_hn: δn = ∂L/∂h ⊙ (1 - z)(1 - n²),
    δz = ∂L/∂h ⊙ (h_{t-1} - n) z (1 - z), δr = δn ⊙ u r (1 - r), δu = δn ⊙ r. Cho's: the
    same δn and δz; its δr needs W_hnᵀ δn first, so entry r holds h_{t-1} r (1 - r) and entry u
    is unused.
    """
    r, z, n = (_feature_major(gate[t0:t1]) for gate in (cache.r, cache.z, cache.n))
    h_prev = _feature_major(cache.states[t0:t1])          # (n, H, B)
    kn, kz, kr, ku = K[:, N], K[:, Z], K[:, R], K[:, U]
    np.multiply(n, n, out=kn)
    np.subtract(1.0, kn, out=kn)
    np.subtract(1.0, z, out=ku)                           # (1 - z), u's slot as scratch
    kn *= ku                                              # (1 - z)(1 - n²)
    np.subtract(h_prev, n, out=kz)
    kz *= z
    kz *= ku                                              # (h_{t-1} - n) z (1 - z)
    np.subtract(1.0, r, out=kr)
    kr *= r                                               # r (1 - r)
    if reset == "pytorch":
        u = W_hn @ h_prev                                 # (n, H, B)
        u += b_hn                                         # u_t = W_hn h_{t-1} + b_hn
        kr *= u
        kr *= kn                                          # (1 - z)(1 - n²) u r (1 - r)
        np.multiply(kn, r, out=ku)                        # (1 - z)(1 - n²) r
    else:
        kr *= h_prev                                      # h_{t-1} r (1 - r)


def _sweep(reset: str, cache: Cache, W: dict[str, Array], b_hn: Array,
           dhs: Array) -> tuple[Array, Array]:
    """Full BPTT, one backward sweep, feature-major: the δs (T, 4, H, B) and dh0 (H, B)."""
    T, H, B = dhs.shape
    deltas = np.empty((T, 4, H, B), dhs.dtype)
    n = max(1, min(T, CHUNK_BYTES // (B * 4 * H * dhs.itemsize)))  # steps per block
    K_buf = np.empty((n, 4, H, B), dhs.dtype)
    W_hn_T = np.ascontiguousarray(W["W_hn"].T)                     # (H, H)
    W_urz_T = np.ascontiguousarray(np.concatenate([W["W_hn"], W["W_hr"], W["W_hz"]]).T)  # (H, 3H)
    W_rz_T = np.ascontiguousarray(W_urz_T[:, H:])                  # (H, 2H)
    dh = np.zeros((H, B), dhs.dtype)                      # ∂L/∂h_t from the steps after t
    tmp, d_rh = np.empty_like(dh), np.empty_like(dh)
    z, r = _feature_major(cache.z), _feature_major(cache.r)
    for t1 in range(T, 0, -n):                            # blocks t0 .. t1 - 1, last first
        t0 = max(0, t1 - n)
        K = K_buf[:t1 - t0]
        _factors(reset, cache, W["W_hn"], b_hn, t0, t1, K)
        for t in range(t1 - 1, t0 - 1, -1):
            dh += dhs[t]                                  # total ∂L/∂h_t
            d, k = deltas[t], K[t - t0]                   # (4, H, B)
            if reset == "pytorch":
                np.multiply(k, dh, out=d)                 # every δ
                np.matmul(W_urz_T, d[:3].reshape(3 * H, B), out=tmp)  # via u, r, z
            else:
                np.multiply(k[Z:], dh, out=d[Z:])         # δz, δn
                np.matmul(W_hn_T, d[N], out=d_rh)         # on r_t ⊙ h_{t-1}
                np.multiply(d_rh, k[R], out=d[R])         # δr
                d[U] = d[N]                               # δu = δn
                np.matmul(W_rz_T, d[R:N].reshape(2 * H, B), out=tmp)  # via r, z
                d_rh *= r[t]
                tmp += d_rh                               # ... and via r_t ⊙ h_{t-1}
            dh *= z[t]                                    # the direct path
            dh += tmp                                     # ∂L/∂h_{t-1}
    return deltas, dh


def _sweep_truncated(reset: str, cache: Cache, W: dict[str, Array], b_hn: Array, dhs: Array,
                     k: int) -> tuple[Array, Array]:
    """Truncated to ``k`` < T updates: all loss terms at once, one lag at a time (as in
    :mod:`rnnbook.gru`): at lag j, position s holds loss term s + j's gradient on h_{s+1}."""
    T, H, B = dhs.shape
    K = np.empty((T, 4, H, B), dhs.dtype)
    _factors(reset, cache, W["W_hn"], b_hn, 0, T, K)
    W_urz_T = np.concatenate([W["W_hn"], W["W_hr"], W["W_hz"]]).T  # (H, 3H)
    z, r = _feature_major(cache.z), _feature_major(cache.r)
    deltas = np.zeros((T, 4, H, B), dhs.dtype)
    dh0 = np.zeros((H, B), dhs.dtype)
    g = dhs                                               # (T, H, B) at lag 0
    for j in range(k):
        reach = T - j                                     # positions still within reach
        d = np.empty((reach, 4, H, B), dhs.dtype)
        if reset == "pytorch":
            np.multiply(K[:reach], g[:, None], out=d)
            back = W_urz_T @ d[:, :3].reshape(reach, 3 * H, B)
        else:
            np.multiply(K[:reach, Z:], g[:, None], out=d[:, Z:])
            d_rh = W["W_hn"].T @ d[:, N]                  # (reach, H, B)
            np.multiply(d_rh, K[:reach, R], out=d[:, R])
            d[:, U] = d[:, N]
            back = W_urz_T[:, H:] @ d[:, R:N].reshape(reach, 2 * H, B) + d_rh * r[:reach]
        deltas[:reach] += d
        g = g * z[:reach] + back                          # (reach, H, B): ∂/∂h_s
        dh0 += g[0]                                       # term j reaches h_0
        g = g[1:]
    return deltas, dh0
