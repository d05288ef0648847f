"""Gradient-norm clipping: the global norm is the norm of all arrays as one vector; clipping
rescales them together, keeps the direction and leaves the input untouched.

Reference: numpy's norm of the concatenated arrays.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from rnnbook import clipping, gru, lstm, rnn


def gradient_container(rng: np.random.Generator) -> rnn.Params:
    return rnn.Params(rng.normal(size=(3, 2)), rng.normal(size=(3, 3)), rng.normal(size=3))


def concatenated(g: rnn.Params) -> np.ndarray:
    return np.concatenate([g.W_xh.ravel(), g.W_hh.ravel(), g.b_h.ravel()])


def test_global_norm_is_the_norm_of_all_gradients_concatenated() -> None:
    g = gradient_container(np.random.default_rng(6))
    assert clipping.global_norm(g) == pytest.approx(np.linalg.norm(concatenated(g)), rel=1e-14)


def test_clip_by_norm_below_the_threshold_returns_the_same_gradients() -> None:
    g = gradient_container(np.random.default_rng(7))
    norm = np.linalg.norm(concatenated(g))
    clipped, reported = clipping.clip_by_norm(g, max_norm=norm * 1.01)
    assert clipped is g
    assert reported == pytest.approx(norm, rel=1e-14)


def test_clip_by_norm_above_the_threshold_keeps_the_direction_and_sets_the_norm() -> None:
    g = gradient_container(np.random.default_rng(8))
    original = concatenated(g).copy()
    norm = np.linalg.norm(original)
    clipped, reported = clipping.clip_by_norm(g, max_norm=0.5)
    assert reported == pytest.approx(norm, rel=1e-14)
    assert np.linalg.norm(concatenated(clipped)) == pytest.approx(0.5, rel=1e-14)
    np.testing.assert_allclose(concatenated(clipped), original * (0.5 / norm), rtol=1e-14)
    assert np.array_equal(concatenated(g), original)             # the input is untouched


@pytest.mark.parametrize("cell", [lstm, gru], ids=["lstm", "gru"])
def test_clip_by_norm_treats_a_gated_cells_params_as_one_vector(cell: Any) -> None:
    g = cell.init(input_size=2, hidden_size=3, seed=9)
    names = [f.name for f in dataclasses.fields(g) if isinstance(getattr(g, f.name), np.ndarray)]

    def flat(params: Any) -> np.ndarray:
        return np.concatenate([np.ravel(getattr(params, name)) for name in names])

    norm = np.linalg.norm(flat(g))
    clipped, reported = clipping.clip_by_norm(g, max_norm=norm / 4)
    assert reported == pytest.approx(norm, rel=1e-14)
    assert type(clipped) is type(g)
    np.testing.assert_allclose(flat(clipped), flat(g) / 4, rtol=1e-14)
