"""Initialisers: orthogonality, spectral radius, bounds, seeding, and rnn.init's options."""

from __future__ import annotations

import re

import numpy as np
import pytest

from rnnbook import initializers, rnn
from rnnbook.types import as_generator


@pytest.mark.parametrize("n", [1, 2, 5, 8])
@pytest.mark.parametrize("gain", [1.0, 0.5, 3.0])
def test_orthogonal_is_orthogonal_times_gain(n: int, gain: float) -> None:
    Q = initializers.orthogonal(n, gain=gain, seed=n)
    np.testing.assert_allclose(Q.T @ Q, gain**2 * np.eye(n), atol=1e-13)
    np.testing.assert_allclose(Q @ Q.T, gain**2 * np.eye(n), atol=1e-13)
    np.testing.assert_allclose(np.linalg.svd(Q, compute_uv=False), gain, rtol=1e-13)


def test_orthogonal_draws_differ_between_seeds_and_signs_vary() -> None:
    # Haar-distributed: not the same matrix every time, and not always a positive diagonal.
    Qs = [initializers.orthogonal(3, seed=s) for s in range(20)]
    assert not np.allclose(Qs[0], Qs[1])
    assert len({tuple(np.sign(np.diag(Q))) for Q in Qs}) > 1


def test_scale_to_spectral_radius_hits_the_target() -> None:
    # W = S diag(3, -1, 0.5) S^-1 has spectral radius 3 by construction.
    rng = np.random.default_rng(0)
    S = rng.normal(size=(3, 3))
    W = S @ np.diag([3.0, -1.0, 0.5]) @ np.linalg.inv(S)
    scaled = initializers.scale_to_spectral_radius(W, 0.9)
    np.testing.assert_allclose(scaled, W * (0.9 / 3.0), rtol=1e-10)
    assert np.max(np.abs(np.linalg.eigvals(scaled))) == pytest.approx(0.9, rel=1e-10)


def test_spectral_radius_counts_complex_eigenvalues() -> None:
    # A rotation by 90 degrees scaled by 2 has eigenvalues +-2i: radius 2, though no real one.
    assert initializers.spectral_radius(np.array([[0.0, -2.0], [2.0, 0.0]])) == pytest.approx(2.0)


def test_scaling_a_nilpotent_matrix_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^W has spectral radius 0"):
        initializers.scale_to_spectral_radius(np.array([[0.0, 1.0], [0.0, 0.0]]), 1.0)


def test_uniform_draws_from_the_generator_it_is_given() -> None:
    expected = np.random.default_rng(5).uniform(-0.5, 0.5, size=(2, 3))
    rng = np.random.default_rng(5)
    assert np.array_equal(initializers.uniform((2, 3), 0.5, seed=rng), expected)
    assert np.array_equal(initializers.uniform((2, 3), 0.5, seed=5), expected)


def test_a_generator_seed_is_used_not_copied() -> None:
    rng = np.random.default_rng(6)
    assert as_generator(rng) is rng
    first = initializers.uniform((4,), 1.0, seed=rng)
    second = initializers.uniform((4,), 1.0, seed=rng)
    assert not np.array_equal(first, second)


def test_glorot_uniform_stays_within_its_bound() -> None:
    W = initializers.glorot_uniform(30, 20, seed=7)
    bound = np.sqrt(6.0 / 50)
    assert W.shape == (30, 20)
    assert np.all(np.abs(W) <= bound)
    assert np.abs(W).max() > 0.9 * bound                 # and actually uses its range


def test_identity_is_gain_times_the_identity() -> None:
    assert np.array_equal(initializers.identity(3, gain=0.5), 0.5 * np.eye(3))


def test_same_seed_gives_the_same_arrays_and_another_seed_does_not() -> None:
    for recurrent in ("uniform", "orthogonal"):
        a, b = (rnn.init(3, 4, seed=7, recurrent=recurrent) for _ in range(2))
        c = rnn.init(3, 4, seed=8, recurrent=recurrent)
        for name in ("W_xh", "W_hh", "b_h"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), (recurrent, name)
        assert not np.array_equal(a.W_hh, c.W_hh)


def test_init_does_not_touch_numpys_global_random_state() -> None:
    # Reading the legacy global state is the point here: it must be left untouched.
    before = np.random.get_state(legacy=False)  # noqa: NPY002
    rnn.init(3, 4, seed=None)
    rnn.init(3, 4, seed=1, recurrent="orthogonal", spectral_radius=0.9)
    initializers.glorot_uniform(2, 2, seed=2)
    after = np.random.get_state(legacy=False)  # noqa: NPY002
    assert np.array_equal(before["state"]["key"], after["state"]["key"])
    assert before["state"]["pos"] == after["state"]["pos"]


@pytest.mark.parametrize("seed", [1.5, "0", True, [0], np.float64(1.0)],
                         ids=["float", "str", "bool", "list", "numpy-float"])
def test_bad_seed_types_raise_type_error(seed) -> None:
    with pytest.raises(TypeError, match=r"^seed must be None, a non-negative int or a "
                                        r"numpy\.random\.Generator; got "):
        rnn.init(2, 3, seed=seed)


def test_a_negative_seed_raises_value_error() -> None:
    with pytest.raises(ValueError, match=re.escape("seed must be a non-negative integer; got -1")):
        as_generator(-1)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rnn_init_shapes_dtypes_and_ranges(dtype: type) -> None:
    p = rnn.init(input_size=3, hidden_size=5, seed=0, dtype=dtype)
    assert (p.W_xh.shape, p.W_hh.shape, p.b_h.shape) == ((5, 3), (5, 5), (5,))
    assert (p.input_size, p.hidden_size) == (3, 5)
    assert {p.W_xh.dtype, p.W_hh.dtype, p.b_h.dtype} == {np.dtype(dtype)}
    assert np.all(np.abs(p.W_xh) <= 1 / np.sqrt(5)) and np.all(np.abs(p.W_hh) <= 1 / np.sqrt(5))
    assert np.array_equal(p.b_h, np.zeros(5))
    assert p.activation == "tanh"


def test_rnn_init_recurrent_identity_is_the_irnn() -> None:
    p = rnn.init(2, 4, seed=0, recurrent="identity", activation="relu")
    assert np.array_equal(p.W_hh, np.eye(4))
    assert p.activation == "relu"


def test_rnn_init_recurrent_orthogonal_is_orthogonal() -> None:
    p = rnn.init(2, 4, seed=0, recurrent="orthogonal")
    np.testing.assert_allclose(p.W_hh.T @ p.W_hh, np.eye(4), atol=1e-13)


@pytest.mark.parametrize("recurrent", ["uniform", "orthogonal", "identity"])
@pytest.mark.parametrize("rho", [0.5, 1.0, 1.7])
def test_rnn_init_spectral_radius_option(recurrent: str, rho: float) -> None:
    p = rnn.init(2, 6, seed=3, recurrent=recurrent, spectral_radius=rho)
    assert np.max(np.abs(np.linalg.eigvals(p.W_hh))) == pytest.approx(rho, rel=1e-10)


@pytest.mark.parametrize("rho", [0.0, -1.0])
def test_rnn_init_refuses_a_non_positive_spectral_radius_naming_it(rho: float) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(f"spectral_radius must be a finite "
                                                         f"number > 0; got {rho!r}")):
        rnn.init(2, 3, seed=0, spectral_radius=rho)
