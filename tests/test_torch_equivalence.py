"""rnnbook's cell against ``torch.nn.RNN`` in float64, through ``rnnbook.interop``.

PyTorch is the independent reference here: its forward pass and autograd share no code with
rnnbook. Agreement is judged by the largest *absolute* difference, ``atol=1e-10`` with
``rtol=0``; every compared quantity is of order 1 (states lie in (-1, 1) for tanh, weights and
inputs are O(1)), so this is also a relative agreement of about 1e-10.
"""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest
from conftest import require
from hypothesis import given
from hypothesis import strategies as st

from rnnbook import interop, rnn

ATOL = 1e-10


def close(ours: np.ndarray, theirs: np.ndarray, what: str) -> None:
    np.testing.assert_allclose(ours, theirs, rtol=0.0, atol=ATOL, err_msg=what)


def torch_run(torch, module, xs: np.ndarray, h0: np.ndarray, w: np.ndarray) -> dict:
    """Outputs, final state and every gradient of L = sum(w * hs), by torch autograd."""
    xs_t = torch.tensor(xs, requires_grad=True)
    h0_t = torch.tensor(h0[None], requires_grad=True)                    # (1, B, H)
    module.zero_grad()
    out, h_n = module(xs_t, h0_t)
    (out * torch.tensor(w)).sum().backward()

    def grad(name: str) -> np.ndarray:
        return getattr(module, name).grad.numpy()

    return {"hs": out.detach().numpy(), "h_T": h_n.detach().numpy()[0],
            "W_xh": grad("weight_ih_l0"), "W_hh": grad("weight_hh_l0"),
            "bias_ih": grad("bias_ih_l0"), "bias_hh": grad("bias_hh_l0"),
            "dxs": xs_t.grad.numpy(), "dh0": h0_t.grad.numpy()[0]}


def random_params(rng: np.random.Generator, D: int, H: int, activation: str) -> rnn.Params:
    return rnn.Params(rng.normal(0.0, 0.7, (H, D)), rng.normal(0.0, 0.7, (H, H)),
                      rng.normal(0.0, 0.5, H), activation)


@pytest.mark.torch
@pytest.mark.parametrize("activation", ["tanh", "relu"])
@given(T=st.integers(1, 5), B=st.integers(1, 3), D=st.integers(1, 3), H=st.integers(1, 4),
       seed=st.integers(0, 2**32 - 1))
def test_forward_and_bptt_match_torch_rnn(torch, activation: str, T: int, B: int, D: int,
                                          H: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    p = random_params(rng, D, H, activation)
    xs, h0, w = rng.normal(size=(T, B, D)), rng.normal(size=(B, H)), rng.normal(size=(T, B, H))

    theirs = torch_run(torch, interop.to_torch(p), xs, h0, w)
    hs, cache = rnn.forward(p, xs, h0)
    grads, dxs, dh0 = rnn.backward(p, cache, w)

    close(hs, theirs["hs"], "hs")
    close(hs[-1], theirs["h_T"], "final state")
    close(grads.W_xh, theirs["W_xh"], "W_xh vs weight_ih_l0")
    close(grads.W_hh, theirs["W_hh"], "W_hh vs weight_hh_l0")
    # b_h = b_ih + b_hh, so dL/db_h equals the gradient of either of torch's biases.
    close(grads.b_h, theirs["bias_ih"], "b_h vs bias_ih_l0")
    close(grads.b_h, theirs["bias_hh"], "b_h vs bias_hh_l0")
    close(dxs, theirs["dxs"], "dxs")
    close(dh0, theirs["dh0"], "dh0")


@pytest.mark.torch
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_to_torch_then_from_torch_gives_back_the_same_params(torch, activation: str) -> None:
    p = random_params(np.random.default_rng(1), 3, 4, activation)
    module = interop.to_torch(p)
    assert module.weight_ih_l0.dtype == torch.float64
    back = interop.from_torch(module)
    assert back.activation == activation
    for name in ("W_xh", "W_hh", "b_h"):
        assert getattr(back, name).dtype == np.float64
        assert np.array_equal(getattr(back, name), getattr(p, name)), name
    assert np.all(module.bias_hh_l0.detach().numpy() == 0.0)


@pytest.mark.torch
def test_float32_params_give_a_float32_module(torch) -> None:
    p = rnn.init(2, 3, seed=2, dtype=np.float32)
    module = interop.to_torch(p)
    assert module.weight_hh_l0.dtype == torch.float32
    back = interop.from_torch(module)
    assert back.W_hh.dtype == np.float32
    assert np.array_equal(back.W_hh, p.W_hh)


@pytest.mark.torch
@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_from_torch_of_a_torch_initialised_module_gives_the_same_outputs(
        torch, nonlinearity: str) -> None:
    H, D = 4, 3
    module = torch.nn.RNN(D, H, nonlinearity=nonlinearity, dtype=torch.float64)
    # torch's own initialiser, U(-1/sqrt(H), 1/sqrt(H)) for every tensor, both biases included,
    # drawn from a local generator rather than torch's global one.
    gen = torch.Generator().manual_seed(3)
    with torch.no_grad():
        for tensor in module.parameters():
            torch.nn.init.uniform_(tensor, -H**-0.5, H**-0.5, generator=gen)
    assert torch.all(module.bias_ih_l0 != 0) and torch.all(module.bias_hh_l0 != 0)

    rng = np.random.default_rng(3)
    xs, h0 = rng.normal(size=(6, 2, D)), rng.normal(size=(2, H))
    with torch.no_grad():
        out, h_n = module(torch.tensor(xs), torch.tensor(h0[None]))
    p = interop.from_torch(module)
    hs, _ = rnn.forward(p, xs, h0)
    assert p.activation == nonlinearity
    close(hs, out.numpy(), "hs")
    close(hs[-1], h_n.numpy()[0], "final state")


@pytest.mark.torch
def test_from_torch_without_biases_gives_zero_b_h_and_the_same_outputs(torch) -> None:
    module = torch.nn.RNN(2, 3, bias=False, dtype=torch.float64)
    xs = np.random.default_rng(4).normal(size=(5, 2, 2))
    with torch.no_grad():
        out, _ = module(torch.tensor(xs))
    p = interop.from_torch(module)
    assert np.array_equal(p.b_h, np.zeros(3))
    close(rnn.forward(p, xs)[0], out.numpy(), "hs")


@pytest.mark.torch
def test_to_torch_accepts_read_only_and_reversed_arrays(torch) -> None:
    rng = np.random.default_rng(5)
    W_xh = rng.normal(size=(3, 2))
    W_xh.flags.writeable = False                       # e.g. a view of forward's read-only cache
    W_hh = rng.normal(size=(3, 3))[::-1]               # negative strides
    p = rnn.Params(W_xh, W_hh, rng.normal(size=3))
    module = interop.to_torch(p)                       # no warning, no error
    assert np.array_equal(module.weight_ih_l0.detach().numpy(), W_xh)
    assert np.array_equal(module.weight_hh_l0.detach().numpy(), W_hh)


UNSUPPORTED = [  # several layers and both directions map to rnnbook.stack, .bidirectional
    pytest.param(lambda nn: nn.RNN(2, 3, num_layers=2, dropout=0.5), ValueError,
                 "dropout=0.5 (expected 0)", id="dropout"),
    pytest.param(lambda nn: nn.RNN(2, 3, batch_first=True), ValueError,
                 "batch_first=True (expected False", id="batch-first"),
    pytest.param(lambda nn: nn.LSTMCell(2, 3), TypeError,
                 "module must be a torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU; got LSTMCell",
                 id="lstm-cell"),
    pytest.param(lambda nn: nn.Linear(2, 3), TypeError,
                 "module must be a torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU; got Linear",
                 id="linear"),
]


@pytest.mark.torch
@pytest.mark.parametrize(("make", "error", "message"), UNSUPPORTED)
def test_from_torch_refuses_unsupported_modules(torch, make, error, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)) as info:
        interop.from_torch(make(torch.nn))
    assert str(info.value).startswith("module must be")


@pytest.mark.torch
@pytest.mark.parametrize("activation", ["sigmoid", "identity"])
def test_to_torch_refuses_activations_torch_rnn_lacks(torch, activation: str) -> None:
    p = rnn.init(2, 3, seed=0, activation=activation)
    expected = f"params.activation must be 'tanh' or 'relu' for torch.nn.RNN; got '{activation}'"
    with pytest.raises(ValueError, match=re.escape(expected)):
        interop.to_torch(p)


# --- without torch: these run everywhere ------------------------------------------------------

@pytest.mark.parametrize("convert", [interop.to_torch, interop.from_torch],
                         ids=["to_torch", "from_torch"])
def test_interop_without_torch_says_how_to_install_it(monkeypatch, convert) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)   # makes `import torch` raise ImportError
    with pytest.raises(ImportError, match=re.escape("pip install torch==2.13.0")):
        convert(rnn.init(2, 3, seed=0))


MISSING = "rnnbook_test_no_such_module"


def test_require_skips_a_missing_module(monkeypatch) -> None:
    monkeypatch.delenv("RNNBOOK_REQUIRE_X", raising=False)
    with pytest.raises(pytest.skip.Exception, match="install x"):
        require(MISSING, "install x", "RNNBOOK_REQUIRE_X")


def test_require_fails_a_missing_module_when_its_env_var_is_set(monkeypatch) -> None:
    monkeypatch.setenv("RNNBOOK_REQUIRE_X", "1")
    with pytest.raises(pytest.fail.Exception, match="install x"):
        require(MISSING, "install x", "RNNBOOK_REQUIRE_X")


def test_require_returns_an_installed_module(monkeypatch) -> None:
    monkeypatch.setenv("RNNBOOK_REQUIRE_X", "1")
    assert require("json", "never shown", "RNNBOOK_REQUIRE_X") is sys.modules["json"]
