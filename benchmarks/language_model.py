"""Table 4: characters per second of one language-model training step, against min-char-rnn.

One step is what training repeats: read a chunk of T = 25 characters per stream, forward, softmax
cross-entropy at every step, BPTT, clip, Adagrad update. Sizes are min-char-rnn's: H = 100 hidden
units, V = 65 characters (tiny Shakespeare's), 25-step chunks. Rows: the min-char-rnn-style loop
(``benchmarks.min_char_rnn``, one sequence), then rnnbook's plain language model
(:func:`rnnbook.lm.loss_and_grads`) and its fast path (:func:`rnnbook.fast.lm.loss_and_grads`),
each at batch 1 and at batch 32, all timed in turns in one run (:func:`rnnbook.measure.interleaved`,
CPU time). The goal (issue 11): rnnbook no slower than min-char-rnn at batch 1, and at least 10
times its characters per second at batch 32.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks import min_char_rnn
from benchmarks._common import Table
from rnnbook import lm, optim, streams
from rnnbook.fast import lm as fast_lm
from rnnbook.measure import interleaved

GOALS = {"batch 1": 1.0, "batch 32": 10.0}
"""Characters per second relative to min-char-rnn's loop."""


def _min_char_step(V: int, H: int, T: int, text: Any) -> Callable[[], None]:
    w = min_char_rnn.init(V, H, np.random.default_rng(0))
    memory = {name: np.zeros_like(a) for name, a in w.items()}
    run = {"h": np.zeros((H, 1)), "at": 0}

    def step() -> None:
        at = run["at"] if run["at"] + T + 1 < len(text) else 0
        _, g, run["h"] = min_char_rnn.loss_and_grads(w, text[at: at + T],
                                                     text[at + 1: at + T + 1], run["h"])
        min_char_rnn.adagrad(w, g, memory)
        run["at"] = at + T

    return step


def _rnnbook_step(loss: Callable[..., Any], V: int, H: int, T: int, B: int,
                  text: Any) -> Callable[[], None]:
    opt = optim.Adagrad(lr=0.1)
    model = lm.init(V, H, seed=0)
    run: dict[str, Any] = {"model": model, "opt": opt.init(model), "state": None}
    chunks = streams.chunks(text, B, T)

    def step() -> None:
        _, grads, run["state"] = loss(run["model"], *next(chunks), run["state"])
        grads = lm.clip_elementwise(grads, 5.0 / T)        # min-char-rnn's clip, on the mean
        run["model"], run["opt"] = opt.update(run["model"], grads, run["opt"])

    return step


def table(V: int = 65, H: int = 100, T: int = 25, batch: int = 32, *, repeats: int = 20,
          budget: float = 1.0) -> Table:
    """Time one training step of each implementation, in turns; ``budget`` is CPU s each."""
    text = np.random.default_rng(0).integers(V, size=max(200_000, 2 * batch * T + 1))
    fns = {("min-char-rnn loop", 1): _min_char_step(V, H, T, text)}
    for name, loss in (("rnnbook lm (plain)", lm.loss_and_grads),
                       ("rnnbook fast.lm", fast_lm.loss_and_grads)):
        for B in (1, batch):
            fns[(name, B)] = _rnnbook_step(loss, V, H, T, B, text)
    times = interleaved({f"{name} B={B}": fn for (name, B), fn in fns.items()},
                        repeats=repeats, budget=budget)
    t = Table("4_language_model", f"Table 4: one language-model training step, H={H}, V={V}, "
              f"T={T} (forward, softmax loss, BPTT, clip, Adagrad)",
              ["implementation", "B", "ms/step", "chars/s", "vs min-char-rnn", "runs"],
              formats={"ms/step": ".3f", "chars/s": ",.0f", "vs min-char-rnn": ".2f"})
    base = T / times["min-char-rnn loop B=1"].cpu
    for (name, B) in fns:
        timing = times[f"{name} B={B}"]
        rate = B * T / timing.cpu
        t.add(name, B, 1e3 * timing.cpu, rate, rate / base, timing.runs)
    t.notes.append("ms/step: median CPU time of one training step, every implementation run in "
                   "turns in one process; chars/s = B T / that time.")
    t.notes.append(f"goals: rnnbook at batch 1 >= {GOALS['batch 1']:.0f}x min-char-rnn's "
                   f"characters per second, at batch {batch} >= {GOALS['batch 32']:.0f}x.")
    return t
