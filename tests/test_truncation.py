"""rnnbook.truncation: the truncation error against a per-term reference, the work by counting.

The count of products is checked on the real backward passes, plain and fast, by a W_hh that
counts the blocks multiplied into it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from references import Problem, truncated_bptt_by_loops

from rnnbook import rnn, truncation
from rnnbook.fast import rnn as fast_rnn

# --- an independent reference: truncated BPTT one loss term at a time ---------------------------


def per_term_truncated_grads(p: rnn.Params, xs: np.ndarray, dhs: np.ndarray,
                             k: int | None) -> np.ndarray:
    """W_xh, W_hh, b_h gradients (stacked) when each loss term s flows back k updates.

    From the definition, one loss term at a time (``references.truncated_bptt_by_loops``, from
    h_0 = 0): term s reaches the pre-activations a_s, a_{s-1}, ..., a_{s-k+1}.
    """
    T, B, _ = xs.shape
    prob = Problem(p, xs, np.zeros((B, p.hidden_size)), dhs)
    g, _, _ = truncated_bptt_by_loops(prob, T if k is None else k)
    return np.concatenate([g.W_xh.ravel(), g.W_hh.ravel(), g.b_h.ravel()])


def problem(T: int, B: int, D: int, H: int, activation: str = "tanh", rho: float = 0.9,
            seed: int = 0) -> tuple[rnn.Params, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = rnn.init(D, H, seed=rng, activation=activation, spectral_radius=rho)
    return p, rng.standard_normal((T, B, D)), rng.standard_normal((T, B, H))


# --- truncation_error ----------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["tanh", "identity"])
def test_truncation_error_matches_per_term_reference(activation):
    p, xs, dhs = problem(T=7, B=2, D=3, H=4, activation=activation)
    ks = [1, 2, 3, 5, 6, 7, 9]
    full = per_term_truncated_grads(p, xs, dhs, None)
    expected = [np.linalg.norm(per_term_truncated_grads(p, xs, dhs, k) - full)
                / np.linalg.norm(full) for k in ks]
    np.testing.assert_allclose(truncation.truncation_error(p, xs, dhs, ks), expected,
                               rtol=1e-9, atol=1e-14)


@given(T=st.integers(1, 6), B=st.integers(1, 2), H=st.integers(1, 3), k=st.integers(1, 7),
       seed=st.integers(0, 2**16))
def test_truncation_error_matches_reference_on_small_shapes(T, B, H, k, seed):
    p, xs, dhs = problem(T=T, B=B, D=2, H=H, rho=1.1, seed=seed)
    full = per_term_truncated_grads(p, xs, dhs, None)
    want = np.linalg.norm(per_term_truncated_grads(p, xs, dhs, k) - full) / np.linalg.norm(full)
    got = truncation.truncation_error(p, xs, dhs, [k])[0]
    assert got == pytest.approx(want, rel=1e-8, abs=1e-13)


def test_truncation_error_is_zero_once_k_reaches_the_length():
    p, xs, dhs = problem(T=5, B=3, D=2, H=4)
    err = truncation.truncation_error(p, xs, dhs, [5, 6, 100])
    assert err.tolist() == [0.0, 0.0, 0.0]


def test_truncation_error_decays_faster_when_gradients_vanish():
    # A linear network forgets at the rate rho: with rho = 0.3 the gradient terms k steps back
    # are ~0.3^k of the first, with rho = 0.95 they are not.
    _, xs, dhs = problem(T=30, B=2, D=2, H=6)
    errs = {rho: truncation.truncation_error(
        rnn.init(2, 6, seed=1, activation="identity", recurrent="orthogonal",
                 spectral_radius=rho), xs, dhs, [5, 10]) for rho in (0.3, 0.95)}
    assert errs[0.3][1] < 1e-4 < errs[0.95][1]
    assert errs[0.3][1] < errs[0.3][0]


def test_truncation_error_of_a_zero_gradient_is_zero():
    p, xs, _ = problem(T=4, B=1, D=2, H=3)
    assert truncation.truncation_error(p, xs, np.zeros((4, 1, 3)), [1, 2]).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("ks, error, match", [([], ValueError, "ks"),
                                               ([0], ValueError, r"ks\[i\]"),
                                               ([1.5], TypeError, r"ks\[i\]")])
def test_truncation_error_rejects_bad_ks(ks, error, match):
    p, xs, dhs = problem(T=4, B=1, D=2, H=3)
    with pytest.raises(error, match=match):
        truncation.truncation_error(p, xs, dhs, ks)


# --- backward_work: counted on the real backward pass -----------------------------------


class CountingMatrix(np.ndarray):
    """W_hh that counts the (B, H) blocks multiplied into it from the left."""

    blocks = 0

    def __rmatmul__(self, left):
        CountingMatrix.blocks += int(np.prod(np.shape(left)[:-1])) // self.batch
        return np.asarray(left) @ np.asarray(self)


@pytest.mark.parametrize("cell", [rnn, fast_rnn], ids=["plain", "fast"])
@pytest.mark.parametrize("T, k", [(1, None), (6, None), (6, 1), (6, 2), (6, 5), (6, 6), (9, 4),
                                  (9, 20)])
def test_backward_work_counts_the_products_backward_performs(T, k, cell):
    B = 3
    p, xs, dhs = problem(T=T, B=B, D=2, H=4)
    _, cache = rnn.forward(p, xs)
    W = p.W_hh.copy().view(CountingMatrix)
    W.batch = B
    CountingMatrix.blocks = 0
    spy = rnn.Params(p.W_xh, W, p.b_h)
    grads, _, _ = cell.backward(spy, cache, dhs, truncate=k)
    assert CountingMatrix.blocks == truncation.backward_work(T, k)
    reference, _, _ = cell.backward(p, cache, dhs, truncate=k)   # the spy changed nothing
    np.testing.assert_allclose(np.asarray(grads.W_hh), reference.W_hh, rtol=1e-12)


def test_backward_work_closed_form():
    assert truncation.backward_work(50) == 50
    # Term s travels min(k, s) updates on its own; k >= T is one sweep of T.
    assert [truncation.backward_work(5, k) for k in range(1, 7)] == [5, 9, 12, 14, 5, 5]
    for T, k in [(5, 3), (40, 7), (100, 99)]:
        assert truncation.backward_work(T, k) == sum(min(k, s) for s in range(1, T + 1))


@pytest.mark.parametrize("kwargs, error, match", [(dict(T=0), ValueError, "T"),
                                                  (dict(T=3, truncate=0), ValueError, "truncate")])
def test_backward_work_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        truncation.backward_work(**kwargs)
