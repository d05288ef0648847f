"""A network of any cell and a readout: its gradients are the exact gradients of its loss.

References: central finite differences of the loss (for every cell, both losses, both read-out
positions), and the plain cells composed by hand with the readout and the loss (so the fast path
the networks use is the plain code's arithmetic).
"""

from __future__ import annotations

import numpy as np
import pytest
from gated_references import assert_matches_finite_differences

from rnnbook import data, gradcheck, gru, losses, lstm, networks, optim, readout, rnn, train


def problem(cell: str, at: str, loss: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    T, B, D, H, K = 5, 3, 2, 4, 3
    net = networks.init(cell, D, H, K, seed=seed)
    xs = rng.normal(size=(T, B, D))
    shape = (B,) if at == "last" else (T, B)
    targets = rng.integers(0, K, size=shape) if loss == "cross_entropy" \
        else rng.normal(size=(*shape, K))
    return net, xs, targets


@pytest.mark.parametrize("cell", networks.CELLS)
@pytest.mark.parametrize(("at", "loss"), [("last", "mse"), ("all", "cross_entropy"),
                                          ("all", "mse"), ("last", "cross_entropy")])
def test_network_gradients_match_finite_differences(cell: str, at: str, loss: str) -> None:
    net, xs, targets = problem(cell, at, loss)
    value, grads = networks.loss_and_grads(net, xs, targets, at=at, loss=loss)
    assert value == pytest.approx(networks.evaluate(net, xs, targets, at=at, loss=loss),
                                  rel=1e-14)
    numeric = gradcheck.numerical_gradients(
        lambda n: networks.evaluate(n, xs, targets, at=at, loss=loss), net)
    analytic = {f"{part}.{k}": v for part in ("cell", "out")
                for k, v in vars(getattr(grads, part)).items() if isinstance(v, np.ndarray)}
    assert_matches_finite_differences(
        analytic, {name: getattr(getattr(numeric, name.split(".")[0]), name.split(".")[1])
                   for name in analytic}, (cell, at, loss))


@pytest.mark.parametrize("cell", networks.CELLS)
def test_network_gradients_equal_the_plain_cells_composed_by_hand(cell: str) -> None:
    net, xs, targets = problem(cell, "all", "cross_entropy", seed=1)
    plain = {"rnn": rnn, "lstm": lstm, "gru": gru}[cell]
    hs, cache = plain.forward(net.cell, xs)                      # type: ignore[attr-defined]
    logits = readout.forward(net.out, hs)
    _, dlogits = losses.softmax_cross_entropy(logits, targets)
    g_out, dhs = readout.backward(net.out, hs, dlogits)
    g_cell = plain.backward(net.cell, cache, dhs)[0]             # type: ignore[attr-defined]
    _, grads = networks.loss_and_grads(net, xs, targets, at="all", loss="cross_entropy")
    for name, value in vars(g_cell).items():
        if isinstance(value, np.ndarray):
            np.testing.assert_allclose(getattr(grads.cell, name), value, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grads.out.W_hy, g_out.W_hy, rtol=1e-12, atol=1e-14)


def test_init_builds_the_asked_cell_with_its_options() -> None:
    irnn = networks.init("rnn", 2, 5, 1, seed=0, activation="relu", recurrent="identity")
    assert irnn.kind == "rnn" and irnn.cell.activation == "relu"
    np.testing.assert_array_equal(irnn.cell.W_hh, np.eye(5))
    lstm_net = networks.init("lstm", 2, 5, 1, seed=0, forget_bias=0.0)
    assert lstm_net.kind == "lstm" and np.all(lstm_net.cell.b_f == 0.0)
    assert networks.init("gru", 2, 5, 1, seed=0, reset="cho").cell.reset == "cho"
    # the parameter count: 4 (H D + H H + H) for the LSTM, plus the readout's K H + K
    assert lstm_net.size == 4 * (5 * 2 + 5 * 5 + 5) + 5 + 1


def test_a_network_trains_with_the_common_loop() -> None:
    # The adding problem at T = 6 is easy: 300 Adam steps of a small GRU beat the baseline tenfold.
    net = networks.init("gru", 2, 8, 1, seed=0)
    test = data.adding(500, length=6, seed=1)
    net, history = train.fit(
        net, networks.loss_and_grads, data.stream(data.adding, 32, seed=2, length=6),
        optim.Adam(lr=1e-2), steps=300, max_norm=1.0,
        evaluate=lambda n: {"test": networks.evaluate(n, test.xs, test.targets)}, eval_every=100)
    assert history.metrics["test"][-1] < 0.1 * data.ADDING_BASELINE < history.metrics["test"][0]


def test_networks_reject_bad_arguments() -> None:
    net = networks.init("lstm", 2, 3, 1, seed=0)
    with pytest.raises(ValueError, match="cell must be one of"):
        networks.init("transformer", 2, 3, 1)
    with pytest.raises(TypeError, match=r"cell must be an rnn\.Params"):
        networks.Network(net.out, net.out)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"out\.W_hy must have shape"):
        networks.Network(net.cell, readout.init(4, 1, seed=0))
    with pytest.raises(ValueError, match="at must be one of"):
        networks.predict(net, np.ones((2, 1, 2)), at="first")
    with pytest.raises(ValueError, match="loss must be one of"):
        networks.loss_and_grads(net, np.ones((2, 1, 2)), np.ones((1, 1)), loss="hinge")
    with pytest.raises(TypeError, match=r"net must be a networks\.Network"):
        networks.predict(net.cell, np.ones((2, 1, 2)))  # type: ignore[arg-type]
