"""rnnbook.packing: the packed layout of a padded batch, against its definition and against
torch.nn.utils.rnn (pack_padded_sequence, pad_packed_sequence) in float64."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import interop, packing, rnn

lengths_lists = st.lists(st.integers(1, 6), min_size=1, max_size=5)


def padded(lengths: list[int], D: int = 2, seed: int = 0) -> np.ndarray:
    """A batch with random real steps and NaN-free junk after each end (to be ignored)."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(max(lengths), len(lengths), D))


@given(lengths_lists)
def test_batch_sizes_count_the_sequences_still_running(lengths: list[int]) -> None:
    sizes = packing.batch_sizes(lengths)
    assert sizes.tolist() == [sum(L > t for L in lengths) for t in range(max(lengths))]
    assert sizes.sum() == sum(lengths) and np.all(np.diff(sizes) <= 0)


@given(lengths_lists)
def test_pack_keeps_exactly_the_real_steps_time_major_longest_first(lengths: list[int]) -> None:
    xs = padded(lengths)
    p = packing.pack(xs, lengths)
    assert sorted(lengths, reverse=True) == [lengths[b] for b in p.sorted_indices]
    expected = [xs[t, b] for t in range(max(lengths)) for b in p.sorted_indices if lengths[b] > t]
    np.testing.assert_array_equal(p.data, np.array(expected))
    np.testing.assert_array_equal(p.sorted_indices[p.unsorted_indices], np.arange(len(lengths)))
    assert p.offsets[0] == 0 and np.all(np.diff(p.offsets) == p.batch_sizes[:-1])


@given(lengths_lists)
def test_unpack_restores_the_batch_with_zeros_after_each_end(lengths: list[int]) -> None:
    xs = padded(lengths)
    back, found = packing.unpack(packing.pack(xs, lengths), total_length=max(lengths) + 1)
    assert found.tolist() == lengths and back.shape == (max(lengths) + 1, *xs.shape[1:])
    for b, L in enumerate(lengths):
        np.testing.assert_array_equal(back[:L, b], xs[:L, b])
        assert not back[L:, b].any()


def test_ties_keep_the_batch_order() -> None:
    assert packing.pack(padded([2, 3, 2, 3]), [2, 3, 2, 3]).sorted_indices.tolist() == [1, 3, 0, 2]


@pytest.mark.torch
@pytest.mark.parametrize("lengths", [[5, 2, 4], [1], [3, 3, 1, 2], [1, 6, 2, 6, 4]])
def test_pack_and_unpack_equal_pytorch(torch: ModuleType, lengths: list[int]) -> None:
    utils = torch.nn.utils.rnn
    xs = padded(lengths, D=3, seed=len(lengths))
    ours = packing.pack(xs, lengths)
    theirs = utils.pack_padded_sequence(torch.from_numpy(xs), torch.tensor(lengths),
                                        enforce_sorted=False)
    np.testing.assert_array_equal(ours.batch_sizes, theirs.batch_sizes.numpy())
    # Ties may be sorted either way by torch.sort: compare what each sorted slot holds.
    assert [lengths[b] for b in ours.sorted_indices] == \
        [lengths[b] for b in theirs.sorted_indices.numpy()]
    if len(set(lengths)) == len(lengths):
        np.testing.assert_array_equal(ours.data, theirs.data.numpy())
    back, found = utils.pad_packed_sequence(theirs)
    mine, my_lengths = packing.unpack(ours)
    np.testing.assert_array_equal(mine, back.numpy())
    np.testing.assert_array_equal(my_lengths, found.numpy())


@pytest.mark.torch
def test_an_rnn_on_a_packed_batch_ends_each_sequence_at_its_own_last_step(
        torch: ModuleType) -> None:
    # What the packed layout is for: torch's final state of each sequence is the state after
    # its last real step, as rnnbook computes it on that sequence alone.
    lengths = [5, 2, 4]
    xs = padded(lengths, D=3)
    p = rnn.init(3, 4, seed=0)
    module = interop.to_torch(p)
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.from_numpy(xs), torch.tensor(lengths),
                                                     enforce_sorted=False)
    _, h_n = module(packed)
    for b, L in enumerate(lengths):
        hs, _ = rnn.forward(p, xs[:L, b:b + 1])
        np.testing.assert_allclose(h_n[0, b].detach().numpy(), hs[-1, 0], rtol=0, atol=1e-12)


@pytest.mark.parametrize(("xs", "lengths", "error", "match"), [
    (np.zeros((3, 2, 1)), [1, 2, 3], ValueError, r"shape \(B,\) = \(2,\)"),
    (np.zeros((3, 2, 1)), [0, 2], ValueError, r"\[1, T\] = \[1, 3\]; got 0"),
    (np.zeros((3, 2, 1)), [4, 2], ValueError, r"got 4"),
    (np.zeros((3, 2, 1)), [1.0, 2.0], TypeError, "integer"),
    (np.zeros((3, 2)), [1, 2], ValueError, r"\(T, B, D\)"),
])
def test_bad_arguments_are_named(xs: np.ndarray, lengths: object, error: type,
                                 match: str) -> None:
    with pytest.raises(error, match=match):
        packing.pack(xs, lengths)


def test_unpack_refuses_a_total_length_shorter_than_the_longest() -> None:
    with pytest.raises(ValueError, match="total_length must be at least the longest length, 3"):
        packing.unpack(packing.pack(np.zeros((3, 1, 1)), [3]), total_length=2)
    with pytest.raises(TypeError, match=r"packing\.Packed"):
        packing.unpack((1, 2))  # type: ignore[arg-type]
