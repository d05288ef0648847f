"""rnnbook.fast.lm computes what the plain language model computes, to 1e-12."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnbook import lm, readout
from rnnbook.fast import lm as fast_lm


def assert_same(a: tuple, b: tuple) -> None:
    (loss_a, grads_a, state_a), (loss_b, grads_b, state_b) = a, b
    assert loss_a == pytest.approx(loss_b, rel=1e-12, abs=0)
    for name in ("cell", "out"):
        for field in dataclasses.fields(getattr(grads_b, name)):
            x, y = getattr(getattr(grads_a, name), field.name), getattr(getattr(grads_b, name),
                                                                        field.name)
            if isinstance(y, np.ndarray):
                np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12 * np.abs(y).max(),
                                           err_msg=f"{name}.{field.name}")
    for x, y in zip(state_a, state_b, strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-15)


@settings(max_examples=30, deadline=None)
@given(cell=st.sampled_from(["rnn", "lstm", "gru"]), T=st.integers(1, 6), B=st.integers(1, 4),
       V=st.integers(1, 7), H=st.integers(1, 5), seed=st.integers(0, 2**31),
       carried=st.booleans(), reset=st.booleans())
def test_fast_chunk_loss_equals_the_plain_one(cell: str, T: int, B: int, V: int, H: int,
                                              seed: int, carried: bool, reset: bool) -> None:
    rng = np.random.default_rng(seed)
    m = lm.init(V, H, cell=cell, seed=rng)
    m = dataclasses.replace(m, out=readout.Params(3 * m.out.W_hy, rng.normal(size=V)))
    inputs, targets = rng.integers(V, size=(T, B)), rng.integers(V, size=(T, B))
    state = (tuple(rng.normal(0, 0.5, (B, H)) for _ in range(2 if cell == "lstm" else 1))
             if carried else None)
    assert_same(fast_lm.loss_and_grads(m, inputs, targets, reset, state),
                lm.loss_and_grads(m, inputs, targets, reset, state))


def test_fast_path_does_not_change_its_arguments() -> None:
    m = lm.init(5, 4, seed=0)
    inputs, state = np.array([[1, 2], [3, 4]]), (np.full((2, 4), 0.3),)
    before = [a.copy() for a in (inputs, state[0], m.cell.W_xh, m.cell.W_hh)]
    _, _, new_state = fast_lm.loss_and_grads(m, inputs, inputs, False, state)
    new_state[0][:] = 9.0                            # the returned state is the caller's own
    for a, b in zip(before, (inputs, state[0], m.cell.W_xh, m.cell.W_hh), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(("args", "error", "name"), [
    (("model", np.zeros((2, 2), int), np.zeros((2, 2), int)), TypeError, "model"),
    ((lm.init(3, 2, seed=0), np.zeros((2, 2)), np.zeros((2, 2), int)), TypeError, "inputs"),
    ((lm.init(3, 2, seed=0), np.zeros((2, 2), int), np.full((2, 2), 3)), ValueError, "targets"),
])
def test_fast_path_checks_its_arguments_like_the_plain_one(args, error, name: str) -> None:
    with pytest.raises(error, match=f"^{name}"):
        fast_lm.loss_and_grads(*args)
