"""rnnbook's LSTM and GRU against ``torch.nn.LSTM`` and ``torch.nn.GRU`` in float64.

PyTorch's forward pass and autograd share no code with rnnbook: outputs, final states and every
gradient must agree within ``atol=1e-10`` (rtol=0; every compared quantity is of order 1), full
BPTT and truncated BPTT alike. Truncated BPTT is computed in PyTorch from its definition: each
loss term recomputed from the states k steps before it, detached. Also here: ``rnnbook.interop``
both ways, for weights and for gradients.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from gated_references import fields, random_gru, random_lstm
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import gru, interop, lstm, rnn

ATOL = 1e-10


def close(ours: np.ndarray, theirs: np.ndarray, what: str) -> None:
    np.testing.assert_allclose(ours, theirs, rtol=0.0, atol=ATOL, err_msg=what)


def torch_run(torch, module, xs, h0, c0, w, wc, k):
    """Outputs, final states and gradients of L = Σ w·hs (+ wc·c_T), truncated to k updates."""
    is_lstm = isinstance(module, torch.nn.LSTM)
    T = len(xs)
    xs_t = torch.tensor(xs, requires_grad=True)
    h0_t = torch.tensor(h0[None], requires_grad=True)
    c0_t = torch.tensor(c0[None], requires_grad=True) if is_lstm else None

    def run(x, state):
        return module(x, state if is_lstm else state[0])

    module.zero_grad()
    with torch.no_grad():                                   # every state, for the detached windows
        states = [(h0_t, c0_t)]
        for t in range(T):
            _, s = run(xs_t[t:t + 1], states[-1])
            states.append(s if is_lstm else (s, None))
    total = 0
    for t in range(1, T + 1):
        start = max(t - k, 0)
        state = (h0_t, c0_t) if start == 0 else tuple(
            None if s is None else s.detach() for s in states[start])
        out, s = run(xs_t[start:t], state)
        total = total + (out[-1] * torch.tensor(w[t - 1])).sum()
        if is_lstm and t == T:
            total = total + (s[1][0] * torch.tensor(wc)).sum()
    total.backward()
    out, s = module(xs_t.detach(), (h0_t.detach(), c0_t.detach()) if is_lstm else h0_t.detach())
    result = {"hs": out.detach().numpy(), "h_T": (s[0] if is_lstm else s).detach().numpy()[0],
              "dxs": xs_t.grad.numpy(), "dh0": h0_t.grad.numpy()[0],
              "grads": interop.from_torch_grads(module)}
    if is_lstm:
        result |= {"c_T": s[1].detach().numpy()[0], "dc0": c0_t.grad.numpy()[0]}
    return result


@st.composite
def cases(draw: st.DrawFn) -> dict:
    T, B, D, H = (draw(st.integers(1, n)) for n in (5, 3, 3, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return {"rng": rng, "T": T, "B": B, "D": D, "H": H, "xs": rng.normal(size=(T, B, D)),
            "h0": rng.normal(0, 0.5, (B, H)) if draw(st.booleans()) else None,
            "c0": rng.normal(0, 1.0, (B, H)) if draw(st.booleans()) else None,
            "wc": rng.normal(size=(B, H)) if draw(st.booleans()) else None,
            "w": rng.normal(size=(T, B, H)),
            "truncate": draw(st.one_of(st.none(), st.integers(1, T)))}


@pytest.mark.torch
@given(case=cases())
def test_lstm_forward_and_bptt_match_torch(torch, case: dict) -> None:
    B, H, k = case["B"], case["H"], case["truncate"]
    p = random_lstm(case["rng"], case["D"], H)
    zeros = np.zeros((B, H))
    theirs = torch_run(torch, interop.to_torch(p), case["xs"],
                       zeros if case["h0"] is None else case["h0"],
                       zeros if case["c0"] is None else case["c0"], case["w"],
                       zeros if case["wc"] is None else case["wc"], k or case["T"])
    hs, cache = lstm.forward(p, case["xs"], case["h0"], case["c0"])
    grads, dxs, dh0, dc0 = lstm.backward(p, cache, case["w"], dc_last=case["wc"], truncate=k)
    close(hs, theirs["hs"], "lstm hs")
    close(hs[-1], theirs["h_T"], "lstm h_T")
    close(cache.cells[-1], theirs["c_T"], "lstm c_T")
    for name, g in fields(grads).items():
        close(g, getattr(theirs["grads"], name), f"lstm d{name}")
    close(dxs, theirs["dxs"], "lstm dxs")
    close(dh0, theirs["dh0"], "lstm dh0")
    close(dc0, theirs["dc0"], "lstm dc0")


@pytest.mark.torch
@given(case=cases())
def test_gru_forward_and_bptt_match_torch(torch, case: dict) -> None:
    B, H, k = case["B"], case["H"], case["truncate"]
    q = random_gru(case["rng"], case["D"], H)
    theirs = torch_run(torch, interop.to_torch(q), case["xs"],
                       np.zeros((B, H)) if case["h0"] is None else case["h0"], None,
                       case["w"], None, k or case["T"])
    hs, cache = gru.forward(q, case["xs"], case["h0"])
    grads, dxs, dh0 = gru.backward(q, cache, case["w"], truncate=k)
    close(hs, theirs["hs"], "gru hs")
    close(hs[-1], theirs["h_T"], "gru h_T")
    for name, g in fields(grads).items():
        close(g, getattr(theirs["grads"], name), f"gru d{name}")
    close(dxs, theirs["dxs"], "gru dxs")
    close(dh0, theirs["dh0"], "gru dh0")


# --- interop ------------------------------------------------------------------------------------

def torch_initialised(torch, kind: str, D: int, H: int, seed: int, **options):
    """A module with PyTorch's own initialiser on every tensor, both biases non-zero."""
    module = getattr(torch.nn, kind)(D, H, dtype=torch.float64, **options)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for tensor in module.parameters():
            torch.nn.init.uniform_(tensor, -H**-0.5, H**-0.5, generator=gen)
    return module


@pytest.mark.torch
@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_from_torch_of_a_torch_initialised_module_gives_the_same_outputs(torch, kind) -> None:
    module = torch_initialised(torch, kind, 3, 4, seed=1)
    assert torch.all(module.bias_hh_l0 != 0)
    rng = np.random.default_rng(1)
    xs, h0, c0 = rng.normal(size=(6, 2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    p = interop.from_torch(module)
    with torch.no_grad():
        if kind == "LSTM":
            out, (h_n, c_n) = module(torch.tensor(xs), (torch.tensor(h0[None]),
                                                        torch.tensor(c0[None])))
            hs, cache = lstm.forward(p, xs, h0, c0)
            close(cache.cells[-1], c_n.numpy()[0], "from_torch c_T")
        else:
            out, h_n = module(torch.tensor(xs), torch.tensor(h0[None]))
            hs, _ = gru.forward(p, xs, h0)
    close(hs, out.numpy(), f"from_torch {kind} hs")
    close(hs[-1], h_n.numpy()[0], f"from_torch {kind} h_T")


@pytest.mark.torch
@pytest.mark.parametrize("make", [lambda: random_lstm(np.random.default_rng(2), 3, 4),
                                  lambda: random_gru(np.random.default_rng(2), 3, 4)],
                         ids=["lstm", "gru"])
def test_to_torch_then_from_torch_gives_back_the_same_params(torch, make) -> None:
    p = make()
    module = interop.to_torch(p)
    assert module.weight_ih_l0.dtype == torch.float64
    back = interop.from_torch(module)
    assert type(back) is type(p)
    for name, a in fields(p).items():
        assert np.array_equal(getattr(back, name), a), name


@pytest.mark.torch
def test_gate_blocks_follow_pytorch_order(torch) -> None:
    p = lstm.init(2, 3, seed=3)
    module = interop.to_torch(p)
    assert np.array_equal(module.weight_hh_l0.detach().numpy()[6:9], p.W_hg)      # i, f, g, o
    q = gru.init(2, 3, seed=3)
    module = interop.to_torch(dataclasses.replace(q, b_hn=np.arange(3.0)))
    assert np.array_equal(module.weight_ih_l0.detach().numpy()[3:6], q.W_xz)      # r, z, n
    assert np.array_equal(module.bias_hh_l0.detach().numpy(), [0, 0, 0, 0, 0, 0, 0, 1, 2])


@pytest.mark.torch
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_to_torch_grads_puts_rnnbook_gradients_where_autograd_puts_its_own(torch, kind) -> None:
    rng = np.random.default_rng(4)
    module = torch_initialised(torch, kind, 2, 3, seed=4)
    xs, w = rng.normal(size=(4, 2, 2)), rng.normal(size=(4, 2, 3))
    out, _ = module(torch.tensor(xs))
    (out * torch.tensor(w)).sum().backward()
    autograd = {name: t.grad.clone() for name, t in module.named_parameters()}
    cell = {"RNN": rnn, "LSTM": lstm, "GRU": gru}[kind]
    p = interop.from_torch(module)
    _, cache = cell.forward(p, xs)
    grads = cell.backward(p, cache, w)[0]
    module.zero_grad()
    interop.to_torch_grads(grads, module)
    for name, t in module.named_parameters():
        close(t.grad.numpy(), autograd[name].numpy(), f"to_torch_grads {kind} {name}")
        assert t.grad.dtype == t.dtype
    back = interop.from_torch_grads(module)
    for name, g in fields(grads).items():
        assert np.array_equal(getattr(back, name), g), name


@pytest.mark.torch
@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_modules_without_biases_give_zero_biases(torch, kind) -> None:
    module = getattr(torch.nn, kind)(2, 3, bias=False, dtype=torch.float64)
    xs = np.random.default_rng(5).normal(size=(5, 2, 2))
    with torch.no_grad():
        out, _ = module(torch.tensor(xs))
    cell = lstm if kind == "LSTM" else gru
    p = interop.from_torch(module)
    assert all(not a.any() for name, a in fields(p).items() if name.startswith("b"))
    hs, cache = cell.forward(p, xs)
    close(hs, out.numpy(), "bias=False hs")
    interop.to_torch_grads(cell.backward(p, cache, np.ones_like(hs))[0], module)
    assert module.weight_hh_l0.grad is not None           # the bias gradients are dropped


@pytest.mark.torch
def test_float32_params_give_float32_modules_and_back(torch) -> None:
    p = lstm.init(2, 3, seed=6, dtype=np.float32)
    module = interop.to_torch(p)
    assert module.weight_hh_l0.dtype == torch.float32
    assert interop.from_torch(module).W_hf.dtype == np.float32


BAD = [
    ("cho", lambda nn: interop.to_torch(gru.init(2, 3, seed=0, reset="cho")), ValueError,
     "params.reset must be 'pytorch' for torch.nn.GRU"),
    ("not-params", lambda nn: interop.to_torch({"W": 1}), TypeError,
     "params must be an rnn.Params, lstm.Params, gru.Params, bidirectional.Params or "
     "stack.Params; got dict"),
    ("lstm-proj", lambda nn: interop.from_torch(nn.LSTM(2, 3, proj_size=2)), ValueError,
     "module must be a time-major torch.nn.LSTM without projection or dropout; got "
     "proj_size=2"),
    ("grads-other-cell", lambda nn: interop.to_torch_grads(lstm.init(2, 3, seed=0), nn.GRU(2, 3)),
     TypeError, "grads must be the gradients of a torch.nn.GRU's cell; got a lstm.Params"),
    ("grads-other-size", lambda nn: interop.to_torch_grads(gru.init(2, 4, seed=0), nn.GRU(2, 3)),
     ValueError, "grads must have input_size=2, hidden_size=3, num_layers=1, bidirectional=False "
                 "as the module; got input_size=2, hidden_size=4, num_layers=1, "
                 "bidirectional=False"),
    ("grads-missing", lambda nn: interop.from_torch_grads(nn.LSTM(2, 3)), ValueError,
     "module.weight_ih_l0.grad must hold a gradient; got None"),
]


@pytest.mark.torch
@pytest.mark.parametrize(("call", "error", "message"), [b[1:] for b in BAD],
                         ids=[b[0] for b in BAD])
def test_interop_refuses_what_it_cannot_map(torch, call, error, message: str) -> None:
    with pytest.raises(error, match="^" + re.escape(message)):
        call(torch.nn)



# --- without torch: these run everywhere ------------------------------------------------------

@pytest.mark.parametrize("convert", [
    lambda: interop.to_torch(lstm.init(2, 3, seed=0)),
    lambda: interop.from_torch(object()),
    lambda: interop.from_torch_grads(object()),
    lambda: interop.to_torch_grads(gru.init(2, 3, seed=0), object()),
], ids=["to_torch", "from_torch", "from_torch_grads", "to_torch_grads"])
def test_gated_interop_without_torch_says_how_to_install_it(monkeypatch, convert) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "torch", None)   # makes `import torch` raise ImportError
    with pytest.raises(ImportError, match=re.escape("pip install torch==2.13.0")):
        convert()
