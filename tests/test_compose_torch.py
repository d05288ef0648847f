"""Stacked and bidirectional networks against ``torch.nn.RNN/LSTM/GRU`` in float64.

``num_layers=2`` and ``bidirectional=True``, each and together, for every cell, over shapes down
to T=1, B=1, H=1. PyTorch's forward pass and autograd share no code with rnnbook. The loss sums
weighted outputs at the real steps and weighted final states of the top layer; outputs, every
layer's final states (h_n, and c_n for the LSTM), the gradient of every weight and of the inputs
must agree within ``atol=1e-10`` (rtol=0, every quantity is of order 1).

Sequences of different lengths go to PyTorch packed (``pack_padded_sequence``), which runs each
sequence to its own end and starts the backward direction there: the independent check that
rnnbook's padding, masks and reversal within a length do the same.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rnnbook import _tree, bidirectional, cells, interop, masking, stack

ATOL = 1e-10
worst: dict[str, float] = {}   # the largest difference seen, per cell and composition


def close(ours: np.ndarray, theirs: np.ndarray, what: str, key: str) -> None:
    np.testing.assert_allclose(ours, theirs, rtol=0.0, atol=ATOL, err_msg=what)
    worst[key] = max(worst.get(key, 0.0), float(np.max(np.abs(ours - theirs), initial=0.0)))


def random_module(torch, kind: str, D: int, H: int, layers: int, both: bool, seed: int):
    """A module with every tensor drawn from U(-0.8, 0.8), both biases non-zero."""
    module = getattr(torch.nn, kind)(D, H, num_layers=layers, bidirectional=both,
                                     dtype=torch.float64)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for tensor in module.parameters():
            torch.nn.init.uniform_(tensor, -0.8, 0.8, generator=gen)
    return module


def as_stack(params) -> stack.Params:
    """What from_torch returns (a cell, a pair, a stack) as a stack."""
    return params if isinstance(params, stack.Params) else stack.Params((params,))


def layer_finals(layer_cache, lengths: np.ndarray, which: str) -> list[np.ndarray]:
    """A layer's final states, as PyTorch orders them in h_n (c_n): forward, then reverse."""
    b = np.arange(len(lengths))
    caches = [layer_cache.fwd, layer_cache.bwd] if isinstance(layer_cache, bidirectional.Cache) \
        else [layer_cache]
    return [getattr(c, which)[lengths, b] for c in caches]   # states[n_b] = h after step n_b


def make_case(T: int, B: int, D: int, H: int, layers: int, both: bool, variable: bool,
              seed: int) -> dict:
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, T + 1, B) if variable else np.full(B, T)
    lengths[rng.integers(B)] = T                 # the batch is as long as its longest sequence
    return {"T": T, "B": B, "D": D, "H": H, "layers": layers, "both": both,
            "lengths": lengths, "seed": int(rng.integers(2**31)),
            "xs": rng.normal(size=(T, B, D)), "w": rng.normal(size=(T, B, (1 + both) * H)),
            "v": rng.normal(size=(B, (1 + both) * H))}


@st.composite
def shapes(draw: st.DrawFn) -> tuple[int, int, int, int, bool, int]:
    """T, B, D, H, whether the lengths differ, and a seed."""
    T, B, D, H = (draw(st.integers(1, n)) for n in (5, 3, 3, 3))
    return T, B, D, H, draw(st.booleans()), draw(st.integers(0, 2**32 - 1))


def torch_run(torch, module, case: dict) -> dict:
    """Outputs, h_n (c_n) and gradients of L = Σ w·out (real steps) + Σ v·(top layer's h_n)."""
    pack = torch.nn.utils.rnn
    xs_t = torch.tensor(case["xs"], requires_grad=True)
    packed = pack.pack_padded_sequence(xs_t, torch.tensor(case["lengths"]),
                                       enforce_sorted=False)
    module.zero_grad()
    out, state = module(packed)
    out, _ = pack.pad_packed_sequence(out, total_length=case["T"])  # zeros at padded steps
    h_n, c_n = state if isinstance(state, tuple) else (state, None)
    top = h_n[-2:] if case["both"] else h_n[-1:]                    # (dirs, B, H)
    top = torch.cat(list(top), dim=-1)                              # (B, dirs H): →h, ←h
    loss = (out * torch.tensor(case["w"])).sum() + (top * torch.tensor(case["v"])).sum()
    loss.backward()
    return {"hs": out.detach().numpy(), "h_n": h_n.detach().numpy(),
            "c_n": None if c_n is None else c_n.detach().numpy(),
            "dxs": xs_t.grad.numpy(), "grads": interop.from_torch_grads(module)}


@pytest.mark.torch
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize(("layers", "both"), [(2, False), (1, True), (2, True)],
                         ids=["stacked", "bidirectional", "stacked-bidirectional"])
@given(shape=shapes())
@example(shape=(1, 1, 1, 1, False, 0))          # T = B = D = H = 1
@example(shape=(4, 3, 2, 1, True, 1))           # H = 1, lengths that differ
def test_stacked_and_bidirectional_match_torch(torch, kind: str, layers: int, both: bool,
                                               shape: tuple) -> None:
    T, B, D, H, variable, seed = shape
    case = make_case(T, B, D, H, layers, both, variable, seed)
    module = random_module(torch, kind, case["D"], case["H"], case["layers"], case["both"],
                           case["seed"])
    theirs = torch_run(torch, module, case)
    p = interop.from_torch(module)
    net, lengths, T = as_stack(p), case["lengths"], case["T"]
    real = masking.mask(lengths, T)[..., None]                      # (T, B, 1)
    hs, cache = stack.forward(net, case["xs"], lengths)
    dhs = case["w"] * real + stack.final_backward(net, case["v"], lengths, T)
    grads, dxs = stack.backward(net, cache, dhs)
    key = f"{kind}, {case['layers']} layer{'s' * (case['layers'] > 1)}" + \
        (", bidirectional" if case["both"] else "")
    close(hs * real, theirs["hs"], "outputs at the real steps", key)
    h_n = [h for c in cache.layers for h in layer_finals(c, lengths, "states")]
    close(np.stack(h_n), theirs["h_n"], "h_n", key)
    if kind == "LSTM":
        c_n = [c for layer in cache.layers for c in layer_finals(layer, lengths, "cells")]
        close(np.stack(c_n), theirs["c_n"], "c_n", key)
    close(stack.final(net, hs, lengths),
          np.concatenate(list(theirs["h_n"][-(1 + case["both"]):]), axis=-1), "final", key)
    close(dxs, theirs["dxs"], "dxs", key)
    ours = dict(_tree.named_arrays(as_stack(grads)))
    for name, g in _tree.named_arrays(as_stack(theirs["grads"])):
        close(ours[name], g, f"d{name}", key)


# --- interop for several layers and both directions ---------------------------------------------

@pytest.mark.torch
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize(("layers", "both", "expected"), [
    (1, False, None), (1, True, bidirectional.Params), (3, False, stack.Params),
    (2, True, stack.Params)])
def test_from_torch_then_to_torch_gives_back_every_tensor(torch, kind: str, layers: int,
                                                          both: bool, expected) -> None:
    module = random_module(torch, kind, 2, 3, layers, both, seed=7)
    p = interop.from_torch(module)
    if expected is not None:
        assert isinstance(p, expected)
    back = interop.to_torch(p)
    assert (back.num_layers, back.bidirectional) == (layers, both)
    xs = torch.tensor(np.random.default_rng(7).normal(size=(4, 2, 2)))
    with torch.no_grad():
        np.testing.assert_allclose(back(xs)[0].numpy(), module(xs)[0].numpy(), rtol=0,
                                   atol=ATOL)
    for name, tensor in module.named_parameters():   # biases summed into bias_ih: same sums
        if name.startswith("weight"):
            assert torch.equal(getattr(back, name), tensor), name


@pytest.mark.torch
def test_to_torch_grads_puts_a_stacks_gradients_where_autograd_puts_its_own(torch) -> None:
    module = random_module(torch, "LSTM", 2, 3, 2, True, seed=8)
    rng = np.random.default_rng(8)
    xs, w = rng.normal(size=(4, 2, 2)), rng.normal(size=(4, 2, 6))
    out, _ = module(torch.tensor(xs))
    (out * torch.tensor(w)).sum().backward()
    autograd = {name: t.grad.clone() for name, t in module.named_parameters()}
    net = interop.from_torch(module)
    _, cache = stack.forward(net, xs)
    grads, _ = stack.backward(net, cache, w)
    module.zero_grad()
    interop.to_torch_grads(grads, module)
    for name, t in module.named_parameters():
        np.testing.assert_allclose(t.grad.numpy(), autograd[name].numpy(), rtol=0, atol=ATOL,
                                   err_msg=name)


MIXED = [
    ("mixed-directions", lambda: stack.Params((bidirectional.init("rnn", 2, 3, seed=0),
                                               cells.init("rnn", 6, 3, seed=0))), ValueError,
     "params.layers[1] must be a bidirectional pair as the first layer: torch.nn.RNN has one "
     "bidirectional flag"),
    ("mixed-cells", lambda: stack.Params((cells.init("rnn", 2, 3, seed=0),
                                          cells.init("gru", 3, 3, seed=0))), ValueError,
     "params must have cells of one kind, hidden size and activation"),
    ("mixed-sizes", lambda: stack.Params((cells.init("gru", 2, 3, seed=0),
                                          cells.init("gru", 3, 4, seed=0))), ValueError,
     "params must have cells of one kind, hidden size and activation"),
    ("relu-then-tanh", lambda: stack.Params((cells.init("rnn", 2, 3, seed=0, activation="relu"),
                                             cells.init("rnn", 3, 3, seed=0))), ValueError,
     "params must have cells of one kind, hidden size and activation"),
    ("sigmoid-in-a-pair", lambda: bidirectional.init("rnn", 2, 3, seed=0, activation="sigmoid"),
     ValueError, "params.activation must be 'tanh' or 'relu' for torch.nn.RNN"),
]


@pytest.mark.torch
@pytest.mark.parametrize(("make", "error", "message"), [m[1:] for m in MIXED],
                         ids=[m[0] for m in MIXED])
def test_to_torch_refuses_networks_no_torch_module_holds(torch, make, error, message) -> None:
    with pytest.raises(error, match="^" + re.escape(message)):
        interop.to_torch(make())


@pytest.mark.torch
def test_to_torch_grads_refuses_a_module_of_another_shape(torch) -> None:
    grads = stack.init("gru", 2, 3, layers=2, seed=0)
    with pytest.raises(ValueError, match=re.escape("grads must have input_size=2, hidden_size=3, "
                                                   "num_layers=1, bidirectional=True")):
        interop.to_torch_grads(grads, torch.nn.GRU(2, 3, bidirectional=True))


def test_report_the_worst_differences_seen() -> None:
    """Runs last in this file: prints the worst absolute difference per cell and composition."""
    for key, value in sorted(worst.items()):
        print(f"worst |rnnbook - torch| {key}: {value:.2e}")
    assert all(v <= ATOL for v in worst.values())
