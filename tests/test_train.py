"""train.fit: a state carried from step to step, Ctrl-C, and a progress bar only where wanted."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from rnnbook import lm, optim, progress, streams, train
from rnnbook.fast import lm as fast_lm

V, H = 6, 4
IDS = np.random.default_rng(0).integers(V, size=400)


def chunks() -> Iterator[streams.Chunk]:
    return streams.chunks(IDS, 2, 5)


def interrupted_after(k: int, batches: Iterator[streams.Chunk]) -> Iterator[streams.Chunk]:
    """The batches, then a KeyboardInterrupt, as if Ctrl-C were pressed during step k + 1."""
    for _ in range(k):
        yield next(batches)
    raise KeyboardInterrupt


def fit(batches, steps: int = 12, **options):
    return train.fit(lm.init(V, H, cell="gru", seed=0), fast_lm.loss_and_grads, batches,
                     optim.Adam(lr=0.01), steps=steps, carry=True, **options)


def test_ctrl_c_returns_what_was_learned_so_far_with_its_history() -> None:
    evaluate = {"evaluate": lambda m: {"w": float(m.out.W_hy.sum())}, "eval_every": 3}
    stopped, history = fit(interrupted_after(7, chunks()), **evaluate)
    reference, full = fit(chunks(), steps=7, **evaluate)
    assert history.interrupted_at == 7 and full.interrupted_at is None
    np.testing.assert_array_equal(stopped.out.W_hy, reference.out.W_hy)
    np.testing.assert_array_equal(stopped.cell.W_hn, reference.cell.W_hn)
    np.testing.assert_array_equal(history.loss, full.loss)
    assert len(history.grad_norm) == 7
    # evaluations after steps 0, 3 and 6 were done; the one after step 7 (the last) was not
    assert history.eval_steps.tolist() == [0, 3, 6]
    assert len(history.metrics["w"]) == 3


def test_ctrl_c_during_an_evaluation_keeps_only_complete_records() -> None:
    calls = []

    def evaluate(m):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return {"a": 1.0, "b": 2.0}

    _, history = fit(chunks(), evaluate=evaluate, eval_every=2)
    assert history.interrupted_at == 4
    assert history.eval_steps.tolist() == [0, 2] and len(history.loss) == 4
    assert all(len(v) == 2 for v in history.metrics.values())


def test_carry_hands_each_state_to_the_next_step() -> None:
    received, returned = [], []

    def loss_and_grads(model, inputs, targets, reset, state):
        received.append(state)
        loss, grads, new = fast_lm.loss_and_grads(model, inputs, targets, reset, state)
        returned.append(new)
        return loss, grads, new

    train.fit(lm.init(V, H, seed=0), loss_and_grads, chunks(), optim.SGD(lr=0.1), steps=4,
              carry=True)
    assert received[0] is None
    assert all(received[i + 1] is returned[i] for i in range(3))


def test_no_progress_is_printed_under_pytest_or_when_switched_off(capsys, monkeypatch) -> None:
    fit(chunks(), steps=3)
    monkeypatch.setenv(progress.ENVIRONMENT_VARIABLE, "0")
    fit(chunks(), steps=3)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_a_progress_bar_shows_the_steps_the_loss_and_the_rate_when_asked(capsys) -> None:
    fit(chunks(), steps=3, progress=True)
    err = capsys.readouterr().err
    assert "3/3" in err and "loss=" in err and "step/s" in err


def test_auto_follows_the_environment_variable(monkeypatch) -> None:
    monkeypatch.setenv(progress.ENVIRONMENT_VARIABLE, "1")
    assert progress.wanted("auto")
    monkeypatch.setenv(progress.ENVIRONMENT_VARIABLE, "off")
    assert not progress.wanted("auto")
    monkeypatch.setenv(progress.ENVIRONMENT_VARIABLE, "maybe")
    with pytest.raises(ValueError, match=f"^{progress.ENVIRONMENT_VARIABLE}"):
        progress.wanted("auto")
    monkeypatch.delenv(progress.ENVIRONMENT_VARIABLE)
    assert not progress.wanted("auto")                        # pytest is running this test


@pytest.mark.parametrize(("options", "error", "name"), [
    ({"progress": "yes"}, ValueError, "progress"),
    ({"carry": 1}, TypeError, "carry"),
])
def test_bad_options_raise_a_clear_error_naming_them(options, error, name: str) -> None:
    with pytest.raises(error, match=f"^{name}"):
        train.fit(lm.init(V, H, seed=0), fast_lm.loss_and_grads, chunks(), optim.SGD(lr=0.1),
                  steps=2, **options)
