"""Principal components against the eigenvectors of the covariance, computed independently."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import pca


@given(seed=st.integers(0, 2**32 - 1), N=st.integers(3, 12), H=st.integers(2, 5))
def test_principal_components_are_the_projections_on_the_covariance_eigenvectors(
        seed: int, N: int, H: int) -> None:
    rng = np.random.default_rng(seed)
    points = rng.standard_normal((N, H)) * np.arange(1, H + 1)        # distinct variances
    coords = pca.principal_components(points, k=2)                   # (N, 2)
    centred = points - points.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred)   # ascending
    for j in range(2):
        v = eigenvectors[:, -1 - j]
        expected = centred @ v
        assert np.allclose(np.abs(coords[:, j]), np.abs(expected), atol=1e-8)
        assert np.isclose(coords[:, j] @ coords[:, j], eigenvalues[-1 - j])
    assert np.isclose(coords[:, 0] @ coords[:, 1], 0.0, atol=1e-8)


def test_principal_components_with_every_component_keep_the_distances() -> None:
    points = np.random.default_rng(0).standard_normal((7, 3))
    coords = pca.principal_components(points, k=3)
    d = np.linalg.norm(points[:, None] - points[None], axis=-1)
    assert np.allclose(np.linalg.norm(coords[:, None] - coords[None], axis=-1), d)


def test_principal_components_sign_each_direction_by_its_largest_entry() -> None:
    points = np.array([[0.0, 1.0], [0.0, 3.0], [0.0, 2.0]])
    np.testing.assert_allclose(pca.principal_components(points, k=1)[:, 0], [-1.0, 1.0, 0.0])
    np.testing.assert_allclose(pca.principal_components(-points, k=1)[:, 0], [1.0, -1.0, 0.0])


def test_fewer_points_than_components_give_zero_columns() -> None:
    coords = pca.principal_components(np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]), k=3)
    assert coords.shape == (2, 3)
    np.testing.assert_allclose(coords[:, 1:], 0.0, atol=1e-12)   # one direction of spread


@pytest.mark.parametrize(("points", "k", "error", "match"), [
    (np.ones((4, 3)), 4, ValueError, "k must be at most H=3"),
    (np.ones(3), 1, ValueError, "points"),
    (np.ones((4, 3)), 0, ValueError, "k"),
])
def test_principal_components_name_the_bad_argument(points, k, error, match) -> None:
    with pytest.raises(error, match=match):
        pca.principal_components(points, k=k)
