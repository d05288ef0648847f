"""Compositions of cells (rnnbook.cells, .bidirectional, .stack) against their definitions.

- a bidirectional layer is the forward cell on the sequence and the backward cell on the
  sequence read from its end; a stack is its layers applied one after the other;
- their BPTT agrees with finite differences, for every cell, with sequences of different
  lengths;
- the fast cells give the same results (1e-12);
- parameter containers with a tuple of layers work with the optimisers and gradient checks.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from compose_references import random_cell, random_stack

from rnnbook import _tree, bidirectional, cells, gradcheck, gru, lstm, optim, rnn, stack

KINDS = ["rnn", "lstm", "gru"]


@pytest.mark.parametrize("kind", KINDS)
def test_cells_run_the_cell_of_the_params(kind: str) -> None:
    p = cells.init(kind, 2, 3, seed=0)
    module = {"rnn": rnn, "lstm": lstm, "gru": gru}[kind]
    assert cells.kind(p) == kind and cells.module(p) is module
    xs = np.random.default_rng(0).normal(size=(4, 2, 2))
    hs, cache = cells.forward(p, xs)
    np.testing.assert_array_equal(hs, module.forward(p, xs)[0])
    grads, dxs = cells.backward(p, cache, np.ones_like(hs))
    expected = module.backward(p, cache, np.ones_like(hs))
    np.testing.assert_array_equal(dxs, expected[1])
    for (_, a), (_, b) in zip(_tree.named_arrays(grads), _tree.named_arrays(expected[0]),
                              strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kind", KINDS)
def test_bidirectional_is_the_forward_cell_and_the_backward_cell_on_the_reversed_sequence(
        kind: str) -> None:
    rng = np.random.default_rng(1)
    p = bidirectional.Params(random_cell(kind, rng, 2, 3), random_cell(kind, rng, 2, 3))
    xs, lengths = rng.normal(size=(5, 3, 2)), np.array([5, 2, 4])
    hs, _ = bidirectional.forward(p, xs, lengths)
    for b, n in enumerate(lengths):                       # each sequence alone, by definition
        alone = xs[:n, b:b + 1]
        np.testing.assert_allclose(hs[:n, b, :3], cells.forward(p.fwd, alone)[0][:, 0],
                                   rtol=0, atol=1e-14)
        backwards = cells.forward(p.bwd, alone[::-1])[0][::-1]          # read from the end
        np.testing.assert_allclose(hs[:n, b, 3:], backwards[:, 0], rtol=0, atol=1e-14)


@pytest.mark.parametrize("kind", KINDS)
def test_a_stack_applies_its_layers_one_after_the_other(kind: str) -> None:
    rng = np.random.default_rng(2)
    net = random_stack(kind, rng, 2, 3, layers=3, both=False)
    xs = rng.normal(size=(4, 2, 2))
    hs = xs
    for layer in net.layers:
        hs = cells.forward(layer, hs)[0]
    np.testing.assert_array_equal(stack.forward(net, xs)[0], hs)
    one = stack.Params((net.layers[0],))                  # a stack of one layer is the cell
    np.testing.assert_array_equal(stack.forward(one, xs)[0], cells.forward(net.layers[0], xs)[0])


def summed_loss(net: stack.Params, xs: np.ndarray, lengths: np.ndarray, w: np.ndarray,
                v: np.ndarray) -> float:
    """Σ w·h at the real steps of the top layer + Σ v·(the summary at each real end)."""
    hs, _ = stack.forward(net, xs, lengths)
    real = (np.arange(len(xs))[:, None] < lengths)[..., None]
    return float(np.sum(w * hs * real) + np.sum(v * stack.final(net, hs, lengths)))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("layers", "both"), [(1, True), (2, False), (2, True)],
                         ids=["bidirectional", "stacked", "stacked-bidirectional"])
def test_bptt_through_compositions_matches_finite_differences(kind: str, layers: int,
                                                              both: bool) -> None:
    rng = np.random.default_rng(3)
    T, B, D, H = 4, 3, 2, 2
    net = random_stack(kind, rng, D, H, layers, both)
    xs, lengths = rng.normal(size=(T, B, D)), np.array([4, 1, 3])
    w, v = rng.normal(size=(T, B, H * (1 + both))), rng.normal(size=(B, H * (1 + both)))
    _, cache = stack.forward(net, xs, lengths)
    real = (np.arange(T)[:, None] < lengths)[..., None]
    dhs = w * real + stack.final_backward(net, v, lengths, T)
    grads, dxs = stack.backward(net, cache, dhs)
    # tol 1e-6: the gradients of the bottom layer of a deep LSTM are small, and the rounding
    # error of their finite differences (about 1e-10) is a relative 1e-7 of them; a wrong
    # gradient is off by far more (torch, in test_compose_torch, checks them to 1e-10).
    report = gradcheck.check(lambda p: summed_loss(p, xs, lengths, w, v), net, grads, tol=1e-6)
    assert report.passed, str(report)
    numeric_dxs = gradcheck.numerical_gradient(lambda x: summed_loss(net, x, lengths, w, v), xs)
    assert gradcheck.relative_error(dxs, numeric_dxs) < 1e-7


@pytest.mark.parametrize("kind", KINDS)
def test_the_fast_cells_give_the_same_compositions(kind: str) -> None:
    rng = np.random.default_rng(4)
    net = random_stack(kind, rng, 3, 4, layers=2, both=True)
    xs, lengths = rng.normal(size=(6, 3, 3)), np.array([6, 2, 5])
    plain, fast = (stack.forward(net, xs, lengths, fast=f) for f in (False, True))
    np.testing.assert_allclose(fast[0], plain[0], rtol=0, atol=1e-12)
    dhs = rng.normal(size=plain[0].shape)
    g_plain, dx_plain = stack.backward(net, plain[1], dhs)
    g_fast, dx_fast = stack.backward(net, fast[1], dhs, fast=True)
    np.testing.assert_allclose(dx_fast, dx_plain, rtol=0, atol=1e-12)
    for (name, a), (_, b) in zip(_tree.named_arrays(g_fast), _tree.named_arrays(g_plain),
                                 strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, err_msg=name)


def test_final_backward_is_the_transpose_of_final() -> None:
    rng = np.random.default_rng(5)
    hs, lengths, d = rng.normal(size=(5, 3, 4)), np.array([5, 1, 3]), rng.normal(size=(3, 4))
    inner = np.sum(bidirectional.final(hs, lengths) * d)
    assert np.isclose(inner, np.sum(hs * bidirectional.final_backward(d, lengths, 5)),
                      rtol=1e-12)


def test_init_builds_layers_whose_sizes_chain() -> None:
    net = stack.init("lstm", 5, 3, layers=3, bidirectional=True, seed=0)
    assert [layer.input_size for layer in net.layers] == [5, 6, 6]
    assert net.input_size == 5 and net.output_size == 6
    assert isinstance(net.layers[1], bidirectional.Params)
    assert stack.init("gru", 5, 3, layers=1, seed=0).output_size == 3


def test_optimisers_update_every_layer_of_a_stack() -> None:
    net = stack.init("gru", 2, 3, layers=2, bidirectional=True, seed=0)
    grads = _tree.map_arrays(np.ones_like, net)
    opt = optim.Adam(lr=0.1)
    new, _ = opt.update(net, grads, opt.init(net))
    before, after = _tree.named_arrays(net), _tree.named_arrays(new)
    assert len(after) == 2 * 2 * 10 and "layers.1.bwd.W_hn" in dict(after)
    assert all(np.allclose(a - b, -0.1) for (_, a), (_, b) in zip(after, before, strict=True))
    deeper = stack.init("gru", 2, 3, layers=3, seed=0)
    with pytest.raises((TypeError, ValueError), match="grads"):
        opt.update(net, deeper, opt.init(net))


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: bidirectional.Params(rnn.init(2, 3, seed=0), gru.init(2, 3, seed=0)), TypeError,
     "bwd must be the same kind of cell as fwd, rnn; got gru"),
    (lambda: bidirectional.Params(rnn.init(2, 3, seed=0), rnn.init(2, 4, seed=0)), ValueError,
     "bwd must have input_size=2, hidden_size=3 as fwd; got input_size=2, hidden_size=4"),
    (lambda: stack.Params((rnn.init(2, 3, seed=0), rnn.init(4, 3, seed=0))), ValueError,
     "layers[1] must have input_size=3, the output size of layers[0]; got input_size=4"),
    (lambda: stack.Params(()), TypeError, "layers must be a non-empty tuple of layers"),
    (lambda: stack.Params([rnn.init(2, 3, seed=0)]), TypeError,   # type: ignore[arg-type]
     "layers must be a non-empty tuple of layers"),
    (lambda: stack.Params(("cell",)), TypeError,                  # type: ignore[arg-type]
     "layers[0] must be an rnn.Params, lstm.Params or gru.Params; got str"),
    (lambda: cells.init("elman", 2, 3), ValueError, "kind must be one of 'rnn', 'lstm', 'gru'"),
    (lambda: stack.init("rnn", 2, 3, layers=0), ValueError, "layers must be a positive integer"),
    (lambda: bidirectional.forward(stack.init("rnn", 2, 3), np.ones((2, 1, 2))), TypeError,
     "params must be a bidirectional.Params; got stack.Params"),
    (lambda: bidirectional.final(np.ones((2, 1, 3))), ValueError, "hs must have 2H columns"),
    (lambda: stack.forward(stack.init("rnn", 2, 3), np.ones((3, 2, 2)), [1, 4]), ValueError,
     "lengths must lie in 1..T = 1..3; got 4"),
])
def test_bad_arguments_are_refused_by_name(call, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match="^" + re.escape(message)):
        call()
