"""Padding, the mask, reversal within a length, the last real state, and the masked loss.

Each against its definition written out here with plain loops, or against the unmasked
functions of rnnbook on the real steps alone.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import gradcheck, losses, masking


@st.composite
def padded(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """A batch (T, B, D) with lengths in 1..T, the longest equal to T."""
    T, B, D = draw(st.integers(1, 6)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    lengths = rng.integers(1, T + 1, B)
    lengths[rng.integers(B)] = T
    return rng.normal(size=(T, B, D)), lengths


def test_pad_puts_each_sequence_first_and_zeros_after_it() -> None:
    rng = np.random.default_rng(0)
    seqs = [rng.normal(size=(n, 3)) for n in (2, 5, 1)]
    xs, lengths = masking.pad(seqs)
    assert xs.shape == (5, 3, 3)
    assert list(lengths) == [2, 5, 1]
    for b, s in enumerate(seqs):
        np.testing.assert_array_equal(xs[:len(s), b], s)
        assert not xs[len(s):, b].any()
    assert masking.pad(seqs, length=7)[0].shape == (7, 3, 3)


@given(batch=padded())
def test_mask_is_one_exactly_at_the_real_steps(batch) -> None:
    xs, lengths = batch
    m = masking.mask(lengths, len(xs))
    for t in range(len(xs)):
        for b, n in enumerate(lengths):
            assert m[t, b] == (1.0 if t < n else 0.0)


@given(batch=padded())
def test_reverse_reverses_within_each_length_and_leaves_the_padding(batch) -> None:
    xs, lengths = batch
    out = masking.reverse(xs, lengths)
    for b, n in enumerate(lengths):
        np.testing.assert_array_equal(out[:n, b], xs[:n, b][::-1])
        np.testing.assert_array_equal(out[n:, b], xs[n:, b])
    np.testing.assert_array_equal(masking.reverse(out, lengths), xs)     # its own inverse


def test_reverse_at_full_length_is_flipping_time() -> None:
    xs = np.random.default_rng(1).normal(size=(4, 3, 2))
    np.testing.assert_array_equal(masking.reverse(xs, [4, 4, 4]), xs[::-1])


@given(batch=padded())
def test_last_reads_each_sequence_at_its_real_end(batch) -> None:
    hs, lengths = batch
    out = masking.last(hs, lengths)
    for b, n in enumerate(lengths):
        np.testing.assert_array_equal(out[b], hs[n - 1, b])


@given(batch=padded())
def test_last_backward_is_the_transpose_of_last(batch) -> None:
    # <last(hs), d> = <hs, last_backward(d)> for every hs and d: the gradient of a linear map.
    hs, lengths = batch
    d = np.random.default_rng(len(hs)).normal(size=hs.shape[1:])
    back = masking.last_backward(d, lengths, len(hs))
    assert np.isclose(np.sum(masking.last(hs, lengths) * d), np.sum(hs * back), rtol=1e-12)
    assert not back[masking.mask(lengths, len(hs)) == 0].any()


@given(batch=padded(), V=st.integers(2, 4))
def test_masked_cross_entropy_is_the_mean_over_the_real_steps(batch, V: int) -> None:
    xs, lengths = batch
    T, B, _ = xs.shape
    rng = np.random.default_rng(T * B * V)
    logits = rng.normal(size=(T, B, V))
    targets = np.where(masking.mask(lengths, T) > 0, rng.integers(0, V, (T, B)), -7)  # junk
    loss, dlogits = masking.cross_entropy(logits, targets, lengths)
    terms = [-(logits[t, b, targets[t, b]] - np.log(np.exp(logits[t, b]).sum()))
             for b in range(B) for t in range(lengths[b])]
    assert np.isclose(loss, np.mean(terms), rtol=1e-12)
    assert not dlogits[masking.mask(lengths, T) == 0].any()

    def loss_of(z: np.ndarray) -> float:
        return masking.cross_entropy(z, targets, lengths)[0]

    numeric = gradcheck.numerical_gradient(loss_of, logits)
    assert gradcheck.relative_error(dlogits, numeric) < 1e-7


def test_masked_cross_entropy_at_full_length_is_the_plain_loss() -> None:
    rng = np.random.default_rng(2)
    logits, targets = rng.normal(size=(3, 2, 4)), rng.integers(0, 4, (3, 2))
    ours = masking.cross_entropy(logits, targets, [3, 3])
    plain = losses.softmax_cross_entropy(logits, targets)
    assert ours[0] == pytest.approx(plain[0], rel=1e-14)
    np.testing.assert_allclose(ours[1], plain[1], rtol=1e-14)


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: masking.mask([0, 2], 3), ValueError, "lengths must lie in 1..T = 1..3; got 0"),
    (lambda: masking.mask([1, 4], 3), ValueError, "lengths must lie in 1..T = 1..3; got 4"),
    (lambda: masking.mask([1.0, 2.0], 3), TypeError, "lengths must be integers"),
    (lambda: masking.last(np.ones((3, 2, 1)), [1, 2, 3]), ValueError,
     "lengths must have shape (B,) = (2,)"),
    (lambda: masking.pad([]), ValueError, "sequences must hold at least one sequence"),
    (lambda: masking.pad([np.ones((2, 3)), np.ones((2, 2))]), ValueError,
     "sequences[1] must have shape (n_b, D) = (2, 3)"),
    (lambda: masking.pad([np.ones((4, 1))], length=3), ValueError,
     "length must be at least the longest sequence, 4"),
    (lambda: masking.reverse(np.ones(3), [1]), ValueError, "xs must have shape (T, B, ...)"),
    (lambda: masking.cross_entropy(np.ones((2, 1, 3)), np.ones((2, 2), int), [1]), ValueError,
     "targets must have shape (T, B) = (2, 1)"),
])
def test_bad_arguments_are_refused_by_name(call, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match="^" + re.escape(message)):
        call()
