"""The character-level language model: loss over a chunk, carried state, perplexity, sampling.

References, each independent of ``rnnbook.lm``'s code: closed forms (the uniform model's
perplexity is V; a model whose prediction ignores its input samples from a known distribution);
one long forward pass over a whole stream, against the same stream read chunk by chunk; central
finite differences; and a plain loop over ``step`` with an explicit softmax.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from rnnbook import gradcheck, gru, lm, lstm, perplexity, readout, rnn, sampling, streams

V, H = 6, 5
CELLS = ("rnn", "lstm", "gru")


def model(cell: str, seed: int = 0, scale: float = 1.0) -> lm.Model:
    m = lm.init(V, H, cell=cell, seed=seed)
    return dataclasses.replace(m, out=readout.Params(scale * m.out.W_hy, m.out.b_y + 0.1))


def text(n: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).integers(V, size=n)


def zero_readout(m: lm.Model, b_y: np.ndarray | None = None) -> lm.Model:
    """The same cell, a readout that ignores the state: logits = b_y at every step."""
    return dataclasses.replace(m, out=readout.Params(np.zeros((V, H)),
                                                     np.zeros(V) if b_y is None else b_y))


@pytest.mark.parametrize("cell", CELLS)
def test_uniform_model_has_perplexity_equal_to_vocabulary_size(cell: str) -> None:
    uniform = zero_readout(model(cell))
    nats = perplexity.cross_entropy(uniform, text(500), batch_size=3, steps=7)
    assert perplexity.perplexity(nats) == pytest.approx(V, rel=1e-12)
    assert perplexity.bits_per_character(nats) == pytest.approx(np.log2(V), rel=1e-12)
    loss, _, _ = lm.loss_and_grads(uniform, text(20).reshape(5, 4), text(20, 2).reshape(5, 4))
    assert loss == pytest.approx(np.log(V), rel=1e-12)


def test_loss_is_the_mean_negative_log_likelihood_of_the_next_characters() -> None:
    m = model("rnn")
    inputs, targets = text(12).reshape(4, 3), text(12, 5).reshape(4, 3)
    h0 = np.random.default_rng(3).normal(size=(3, H))
    total, h = 0.0, h0
    for t in range(4):                                       # a plain loop over rnn.step
        h = rnn.step(m.cell, np.eye(V)[inputs[t]], h)
        y = h @ m.out.W_hy.T + m.out.b_y
        p = np.exp(y) / np.exp(y).sum(axis=1, keepdims=True)
        total -= np.log(p[np.arange(3), targets[t]]).sum()
    loss, _, (h_T,) = lm.loss_and_grads(m, inputs, targets, state=(h0,))
    assert loss == pytest.approx(total / 12, rel=1e-12)
    np.testing.assert_allclose(h_T, h, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("cell", CELLS)
def test_carried_state_over_chunks_equals_one_long_forward_pass(cell: str) -> None:
    m = model(cell)
    ids = text(3 * 40 + 1)
    whole = streams.parallel(ids, 3)                          # (41, 3): one chunk of 40 steps
    long_loss, _, long_state = lm.loss_and_grads(m, whole[:-1], whole[1:])
    losses, state = [], None
    for chunk in streams.chunks(ids, 3, steps=8, epochs=1):   # five chunks of 8 steps
        loss, _, state = lm.loss_and_grads(m, chunk.inputs, chunk.targets, chunk.reset, state)
        losses.append(loss)
    assert len(losses) == 5
    assert np.mean(losses) == pytest.approx(long_loss, rel=1e-12)
    for carried, direct in zip(state, long_state, strict=True):
        np.testing.assert_allclose(carried, direct, rtol=1e-12, atol=1e-14)
    # cross_entropy reads the same text the same way, whatever its chunk length
    for steps in (1, 8, 13, 40):
        assert perplexity.cross_entropy(m, ids, batch_size=3, steps=steps) == \
            pytest.approx(long_loss, rel=1e-12)


@pytest.mark.parametrize("cell", CELLS)
def test_resetting_the_state_is_starting_each_chunk_from_zeros(cell: str) -> None:
    m = model(cell)
    ids = text(2 * 24 + 1)
    carried = perplexity.cross_entropy(m, ids, batch_size=2, steps=6, carry=True)
    reset = perplexity.cross_entropy(m, ids, batch_size=2, steps=6, carry=False)
    one_by_one = []
    for chunk in streams.chunks(ids, 2, steps=6, carry=False, epochs=1):
        assert chunk.reset
        state = (np.full((2, H), 0.7),) * (2 if cell == "lstm" else 1)  # ignored: reset
        one_by_one.append(lm.loss_and_grads(m, chunk.inputs, chunk.targets, True, state)[0])
    assert reset == pytest.approx(np.mean(one_by_one), rel=1e-12)
    assert reset != pytest.approx(carried, rel=1e-6)


@pytest.mark.parametrize("cell", CELLS)
def test_chunk_loss_gradient_matches_finite_differences(cell: str) -> None:
    m = model(cell, scale=3.0)
    rng = np.random.default_rng(4)
    inputs, targets = text(15).reshape(5, 3), text(15, 6).reshape(5, 3)
    state = tuple(rng.normal(0, 0.5, (3, H)) for _ in range(2 if cell == "lstm" else 1))
    _, grads, _ = lm.loss_and_grads(m, inputs, targets, state=state)
    report = gradcheck.check(lambda p: lm.loss_and_grads(p, inputs, targets, state=state)[0],
                             m, grads)
    assert report.passed, report


def test_the_gradient_check_fails_for_a_perturbed_gradient() -> None:
    m = model("rnn", scale=3.0)
    inputs, targets = text(15).reshape(5, 3), text(15, 6).reshape(5, 3)
    _, grads, _ = lm.loss_and_grads(m, inputs, targets)
    wrong = dataclasses.replace(grads, cell=dataclasses.replace(
        grads.cell, W_hh=grads.cell.W_hh * 1.001))
    report = gradcheck.check(lambda p: lm.loss_and_grads(p, inputs, targets)[0], m, wrong)
    assert not report.passed


def test_sampling_is_reproducible_by_seed() -> None:
    m = model("lstm", scale=3.0)
    a = sampling.sample(m, np.array([1, 2]), 50, temperature=1.0, seed=7)
    b = sampling.sample(m, np.array([1, 2]), 50, temperature=1.0, seed=7)
    c = sampling.sample(m, np.array([1, 2]), 50, temperature=1.0, seed=8)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (50,) and a.dtype == np.int64 and not np.array_equal(a, c)
    g = np.random.default_rng(7)                              # a generator is used as is
    np.testing.assert_array_equal(sampling.sample(m, np.array([1, 2]), 50, seed=g), a)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0])
def test_samples_follow_the_softmax_of_the_logits_over_the_temperature(temperature: float
                                                                       ) -> None:
    logits = np.log(np.array([0.5, 0.2, 0.1, 0.1, 0.05, 0.05]))
    m = zero_readout(model("rnn"), b_y=logits)               # the same prediction at every step
    written = sampling.sample(m, np.array([0]), 5000, temperature=temperature, seed=0)
    p = np.exp(logits / temperature) / np.exp(logits / temperature).sum()
    freq = np.bincount(written, minlength=V) / len(written)
    # within 5 standard errors of a binomial proportion
    assert np.all(np.abs(freq - p) <= 5 * np.sqrt(p * (1 - p) / len(written)) + 1e-12)


def test_a_low_temperature_writes_the_most_likely_character_every_time() -> None:
    m = model("rnn", scale=3.0)
    written = sampling.sample(m, np.array([3]), 30, temperature=1e-4, seed=0)
    h, c = np.zeros((1, H)), 3                                 # greedy decoding by hand
    for t in range(30):
        h = rnn.step(m.cell, np.eye(V)[[c]], h)
        c = int(np.argmax(h @ m.out.W_hy.T + m.out.b_y))
        assert written[t] == c


def test_with_temperature_is_the_softmax_of_the_logits_over_tau() -> None:
    y = np.array([[2.0, 1.0, -1.0], [1e4, 0.0, 1e4 - 1.0]])
    for tau in (0.25, 1.0, 3.0):
        p = sampling.with_temperature(y, tau)
        z = y / tau
        by_hand = np.exp(z - z.max(axis=1, keepdims=True))
        # scores of 4e4 (1e4 / 0.25) leave about 4e4 * 2.2e-16 of relative rounding
        np.testing.assert_allclose(p, by_hand / by_hand.sum(axis=1, keepdims=True), rtol=1e-10)
    assert sampling.with_temperature(y, 1e-3)[0].argmax() == 0          # towards greedy
    np.testing.assert_allclose(sampling.with_temperature(y[:1], 1e6), np.full((1, 3), 1 / 3),
                               rtol=1e-5)                               # towards uniform


@pytest.mark.parametrize("carry", [True, False])
def test_loss_by_position_averages_to_the_cross_entropy_when_every_chunk_is_full(carry: bool
                                                                                ) -> None:
    m = model("gru")
    ids = text(4 * 30 + 1)                                   # L = 30: three full chunks of 10
    by_position = perplexity.cross_entropy_by_position(m, ids, batch_size=4, steps=10,
                                                       carry=carry)
    assert by_position.shape == (10,)
    assert by_position.mean() == pytest.approx(
        perplexity.cross_entropy(m, ids, batch_size=4, steps=10, carry=carry), rel=1e-12)
    if not carry:                                            # a reset chunk starts blind:
        first = perplexity.cross_entropy(m, ids[:2], batch_size=1, steps=1)
        assert by_position[0] != pytest.approx(by_position[5])
        assert np.isfinite(first)


def test_clip_elementwise_bounds_every_entry_and_keeps_the_small_ones() -> None:
    _, grads, _ = lm.loss_and_grads(model("gru", scale=30.0), text(15).reshape(5, 3),
                                    text(15, 6).reshape(5, 3))
    clipped = lm.clip_elementwise(grads, 0.01)
    for (_, g), (_, c) in zip(dataclasses.asdict(grads.cell).items(),
                              dataclasses.asdict(clipped.cell).items(), strict=True):
        if isinstance(g, np.ndarray):
            assert np.abs(c).max() <= 0.01
            small = np.abs(g) <= 0.01
            np.testing.assert_array_equal(c[small], g[small])
    assert type(clipped.cell) is gru.Params


def test_chunks_tile_each_stream_with_targets_one_step_ahead() -> None:
    ids = np.arange(3 * 20 + 2)                               # 2 characters left over
    got = list(streams.chunks(ids, 3, steps=6, epochs=2))
    assert len(got) == 2 * 3                                  # 3 chunks of 6 in L = 20 steps
    assert [c.reset for c in got] == [True, False, False] * 2
    inputs = np.concatenate([c.inputs for c in got[:3]])     # (18, 3)
    targets = np.concatenate([c.targets for c in got[:3]])
    np.testing.assert_array_equal(inputs, np.arange(18)[:, None] + 20 * np.arange(3))
    np.testing.assert_array_equal(targets, inputs + 1)
    assert all(c.reset for c in streams.chunks(ids, 3, steps=6, carry=False, epochs=1))
    endless = streams.chunks(ids, 3, steps=6)
    assert len([next(endless) for _ in range(100)]) == 100


def test_init_builds_each_cell_reading_and_writing_v_characters() -> None:
    for name, params in (("rnn", rnn.Params), ("lstm", lstm.Params), ("gru", gru.Params)):
        m = lm.init(V, H, cell=name, seed=0)
        assert isinstance(m.cell, params) and m.vocab_size == V
        assert m.out.W_hy.shape == (V, H)


IDS = np.arange(12).reshape(4, 3) % V
BAD = [
    (lambda: lm.init(0, H), ValueError, "vocab_size"),
    (lambda: lm.init(V, H, cell="transformer"), ValueError, "cell"),
    (lambda: lm.Model(rnn.init(V, H, seed=0), readout.init(H, V + 1, seed=0)), ValueError,
     "out.W_hy"),
    (lambda: lm.Model("rnn", readout.init(H, V, seed=0)), TypeError, "cell"),
    (lambda: lm.loss_and_grads("model", IDS, IDS), TypeError, "model"),
    (lambda: lm.loss_and_grads(model("rnn"), IDS.astype(float), IDS), TypeError, "inputs"),
    (lambda: lm.loss_and_grads(model("rnn"), IDS + V, IDS), ValueError, "inputs"),
    (lambda: lm.loss_and_grads(model("rnn"), IDS, IDS[:2]), ValueError, "targets"),
    (lambda: lm.loss_and_grads(model("rnn"), IDS, IDS, state=np.zeros((3, H))), TypeError,
     "state"),
    (lambda: lm.loss_and_grads(model("lstm"), IDS, IDS, state=(np.zeros((3, H)),)), TypeError,
     "state"),
    (lambda: lm.loss_and_grads(model("rnn"), IDS, IDS, state=(np.zeros((2, H)),)), ValueError,
     "state h"),
    (lambda: perplexity.cross_entropy(model("rnn"), np.arange(20) + V, batch_size=2),
     ValueError, "ids"),
    (lambda: perplexity.cross_entropy(model("rnn"), np.arange(20) % V, steps=0),
     ValueError, "steps"),
    (lambda: sampling.sample(model("rnn"), np.array([], int), 5), TypeError, "prime"),
    (lambda: sampling.sample(model("rnn"), np.array([1]), 0), ValueError, "length"),
    (lambda: sampling.sample(model("rnn"), np.array([1]), 5, temperature=0.0), ValueError,
     "temperature"),
    (lambda: perplexity.perplexity(np.inf), ValueError, "nats"),
    (lambda: lm.clip_elementwise(model("rnn"), -1.0), ValueError, "limit"),
    (lambda: streams.parallel(np.arange(5), 5), ValueError, "ids"),
    (lambda: streams.parallel(np.arange(5.0), 2), TypeError, "ids"),
    (lambda: streams.parallel(np.arange(5), 0), ValueError, "batch_size"),
    (lambda: streams.chunks(np.arange(20), 2, steps=10), ValueError, "steps"),
    (lambda: streams.chunks(np.arange(20), 2, steps=3, carry=1), TypeError, "carry"),
    (lambda: streams.chunks(np.arange(20), 2, steps=3, epochs=0), ValueError, "epochs"),
]


@pytest.mark.parametrize(("call", "error", "name"), BAD)
def test_bad_input_raises_a_clear_error_naming_the_argument(call, error: type[Exception],
                                                            name: str) -> None:
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error
    assert str(info.value).startswith(name), str(info.value)
