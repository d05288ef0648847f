r"""Additive attention (Bahdanau, Cho & Bengio 2015): a weighted look back at every encoder state.

For a query :math:`q_t` (a decoder state) and the encoder's states :math:`h_1, \dots, h_S`:

.. math::
    e_{t,s} &= v^\top \tanh(W_k h_s + W_q q_t), \\
    \alpha_{t,s} &= \frac{\exp e_{t,s}}{\sum_{s'} \exp e_{t,s'}}, \\
    \mathrm{ctx}_t &= \sum_s \alpha_{t,s} h_s .

The score :math:`e_{t,s}` says how well source position s matches what the decoder needs now;
the weights :math:`\alpha_{t,\cdot}`, the *alignment*, are a softmax over the source; the context
vector :math:`\mathrm{ctx}_t` is the average of the encoder states under those weights. Bahdanau
et al. write :math:`W_a, U_a, v_a` for :math:`W_q, W_k, v`; Luong, Pham & Manning (2015) call
this score *concat* and add the multiplicative ones, :math:`h_s^\top q_t` and
:math:`h_s^\top W q_t`.

:func:`forward` takes all T queries at once; a decoder that asks one at a time passes T = 1.
Padded source positions are left out through ``mask``. Letters: S source positions, T queries, B
sequences, H encoder units, Q query units, A attention units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from rnnbook import _checks, initializers
from rnnbook.types import Array, Seed, as_generator


@dataclass(frozen=True, eq=False, kw_only=True)  # arrays have no single truth value
class Params:
    r"""The weights of additive attention; also used for their gradients.

    Parameters
    ----------
    W_k : ndarray of shape (A, H)
        Projects each encoder state :math:`h_s` (a key).
    W_q : ndarray of shape (A, Q)
        Projects the query :math:`q_t`.
    v : ndarray of shape (A,)
        Turns :math:`\tanh(W_k h_s + W_q q_t)` into a score.
    """

    W_k: Array
    W_q: Array
    v: Array

    def __post_init__(self) -> None:
        W_k = _checks.float_array(self.W_k, "W_k", ndim=2, layout="(A, H)")
        A = W_k.shape[0]
        W_q = _checks.float_array(self.W_q, "W_q", ndim=2, layout="(A, Q)")
        _checks.expect_shape(W_q, "W_q", (A, W_q.shape[1]), "(A, Q)", f"(A={A} rows as W_k)")
        v = _checks.float_array(self.v, "v", ndim=1, layout="(A,)")
        _checks.expect_shape(v, "v", (A,), "(A,)", f"(A={A} as the rows of W_k)")
        dtype = np.result_type(W_k, W_q, v)
        for name, arr in (("W_k", W_k), ("W_q", W_q), ("v", v)):
            object.__setattr__(self, name, arr.astype(dtype, copy=False))


class Cache(NamedTuple):
    r"""What :func:`forward` keeps for :func:`backward`.

    Attributes
    ----------
    hs : ndarray of shape (S, B, H)
        The encoder states (keys and values).
    queries : ndarray of shape (T, B, Q)
    u : ndarray of shape (T, B, S, A)
        :math:`\tanh(W_k h_s + W_q q_t)` for every query and position.
    weights : ndarray of shape (T, B, S)
        :math:`\alpha_{t,s}`.
    """

    hs: Array
    queries: Array
    u: Array
    weights: Array


def init(key_size: int, query_size: int, attention_size: int, *, seed: Seed = None) -> Params:
    r"""Weights drawn from :math:`\mathcal{U}(-1/\sqrt{n}, 1/\sqrt{n})`, n the size they read.

    Parameters
    ----------
    key_size, query_size, attention_size : int
        H, Q and A.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    Params
    """
    H = _checks.positive_int(key_size, "key_size")
    Q = _checks.positive_int(query_size, "query_size")
    A = _checks.positive_int(attention_size, "attention_size")
    rng = as_generator(seed)
    return Params(W_k=initializers.uniform((A, H), 1 / np.sqrt(H), seed=rng),
                  W_q=initializers.uniform((A, Q), 1 / np.sqrt(Q), seed=rng),
                  v=initializers.uniform((A,), 1 / np.sqrt(A), seed=rng))


def forward(params: Params, hs: Array, queries: Array,
            mask: Array | None = None) -> tuple[Array, Array, Cache]:
    r"""The context vectors and the alignment of every query over the encoder states.

    Parameters
    ----------
    params : Params
    hs : ndarray of shape (S, B, H)
        The encoder states.
    queries : ndarray of shape (T, B, Q)
        One query per decoder step (T = 1 for a single step).
    mask : ndarray of shape (S, B), optional
        1 at the real positions of each source, 0 at its padding (which then gets no weight);
        ``None`` means every position is real.

    Returns
    -------
    contexts : ndarray of shape (T, B, H)
        :math:`\mathrm{ctx}_t` :eq:`eq-attention-context`.
    weights : ndarray of shape (T, B, S)
        :math:`\alpha_{t,s}` :eq:`eq-attention-weights`, summing to 1 over s.
    cache : Cache

    Examples
    --------
    >>> p = init(key_size=3, query_size=2, attention_size=4, seed=0)
    >>> contexts, weights, _ = forward(p, np.ones((5, 1, 3)), np.ones((2, 1, 2)))
    >>> contexts.shape, weights.shape, weights.sum(axis=-1)
    ((2, 1, 3), (2, 1, 5), array([[1.], [1.]]))
    """
    hs, queries, mask = _check(params, hs, queries, mask)
    k = hs.transpose(1, 0, 2) @ params.W_k.T               # (B, S, A): W_k h_s
    q = queries @ params.W_q.T                             # (T, B, A): W_q q_t
    u = np.tanh(k[None] + q[:, :, None])                   # (T, B, S, A)
    e = u @ params.v                                       # (T, B, S): the scores
    e = np.where(mask.T[None] > 0, e, -np.inf)             # padding: weight exp(-inf) = 0
    weights = np.exp(e - e.max(axis=-1, keepdims=True))    # (T, B, S)
    weights /= weights.sum(axis=-1, keepdims=True)         # the softmax over s
    contexts = np.einsum("tbs,sbh->tbh", weights, hs)      # (T, B, H): Σ_s α_ts h_s
    return contexts, weights, Cache(hs, queries, u, weights)


def backward(params: Params, cache: Cache, dcontexts: Array) -> tuple[Params, Array, Array]:
    r"""Gradients of attention, given :math:`\partial L/\partial \mathrm{ctx}_t` for every query.

    Parameters
    ----------
    params : Params
    cache : Cache
        From :func:`forward`.
    dcontexts : ndarray of shape (T, B, H)

    Returns
    -------
    grads : Params
        The gradients of :math:`W_k`, :math:`W_q` and :math:`v`.
    dhs : ndarray of shape (S, B, H)
        The gradient on each encoder state, as a value and as a key.
    dqueries : ndarray of shape (T, B, Q)
        The gradient on each query.

    Notes
    -----
    Backwards through :eq:`eq-attention-context`, the softmax :eq:`eq-attention-weights` and the
    score :eq:`eq-attention-score`, with :math:`u_{t,s} = \tanh(W_k h_s + W_q q_t)`:

    .. math::
        \bar\alpha_{t,s} &= \bar{\mathrm{ctx}}_t^\top h_s, \qquad
        \bar e_{t,s} = \alpha_{t,s} \big(\bar\alpha_{t,s}
                       - \textstyle\sum_{s'} \alpha_{t,s'} \bar\alpha_{t,s'}\big), \\
        \bar v &= \textstyle\sum_{t,s} \bar e_{t,s} u_{t,s}, \qquad
        \bar a_{t,s} = \bar e_{t,s}\, v \odot (1 - u_{t,s}^2), \\
        \bar W_k &= \textstyle\sum_{t,s} \bar a_{t,s} h_s^\top, \qquad
        \bar W_q = \textstyle\sum_{t,s} \bar a_{t,s} q_t^\top, \\
        \bar h_s &= \textstyle\sum_t \alpha_{t,s} \bar{\mathrm{ctx}}_t
                    + W_k^\top \sum_t \bar a_{t,s}, \qquad
        \bar q_t = W_q^\top \textstyle\sum_s \bar a_{t,s},

    where a bar is the gradient of the loss. Summing over the batch is implied.
    """
    _checks.instance(params, "params", Params, "an attention.Params")
    _checks.instance(cache, "cache", Cache, "the attention.Cache returned by forward")
    hs, queries, u, weights = cache
    dcontexts = _checks.float_array(dcontexts, "dcontexts", ndim=3, layout="(T, B, H)")
    _checks.expect_shape(dcontexts, "dcontexts", (len(queries), *hs.shape[1:]), "(T, B, H)",
                         "(the shape of the contexts of forward)")
    dweights = np.einsum("tbh,sbh->tbs", dcontexts, hs)                   # (T, B, S): ᾱ
    de = weights * (dweights - (weights * dweights).sum(-1, keepdims=True))  # (T, B, S): ē
    dv = np.einsum("tbs,tbsa->a", de, u)                                  # (A,)
    da = de[..., None] * params.v * (1 - u**2)                            # (T, B, S, A)
    dk = da.sum(axis=0).transpose(1, 0, 2)                                # (S, B, A): Σ_t
    dq = da.sum(axis=2)                                                   # (T, B, A): Σ_s
    dW_k = np.einsum("sba,sbh->ah", dk, hs)                               # (A, H)
    dW_q = np.einsum("tba,tbq->aq", dq, queries)                          # (A, Q)
    dhs = np.einsum("tbs,tbh->sbh", weights, dcontexts) + dk @ params.W_k  # (S, B, H)
    dqueries = dq @ params.W_q                                            # (T, B, Q)
    return Params(W_k=dW_k, W_q=dW_q, v=dv), dhs, dqueries


def _check(params: object, hs: object, queries: object,
           mask: object) -> tuple[Array, Array, Array]:
    p = _checks.instance(params, "params", Params, "an attention.Params")
    H = p.W_k.shape[1]
    hs_arr = _checks.float_array(hs, "hs", ndim=3, layout="(S, B, H)")
    S, B, _ = hs_arr.shape
    _checks.expect_shape(hs_arr, "hs", (S, B, H), "(S, B, H)", f"(H={H}, the columns of W_k)")
    q_arr = _checks.float_array(queries, "queries", ndim=3, layout="(T, B, Q)")
    Q = p.W_q.shape[1]
    _checks.expect_shape(q_arr, "queries", (len(q_arr), B, Q), "(T, B, Q)",
                         f"(B={B} as hs, Q={Q} the columns of W_q)")
    if mask is None:
        return hs_arr, q_arr, np.ones((S, B))
    m = _checks.float_array(mask, "mask", ndim=2, layout="(S, B)")
    _checks.expect_shape(m, "mask", (S, B), "(S, B)", "(a flag per position of hs)")
    if not np.isin(m, (0.0, 1.0)).all() or not m.any(axis=0).all():
        raise ValueError("mask must hold 0 or 1 only, with at least one 1 per sequence")
    return hs_arr, q_arr, m
