"""Table 4 (the language model's training step) runs, and its min-char-rnn loop is the model.

The min-char-rnn-style loop of the benchmark sums the loss over the steps of one sequence with
column vectors; rnnbook averages it over steps and streams with rows. The same weights must give
the same loss (times T) and the same gradients (times T), which makes each a check of the other.
No time is compared with a threshold here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: `benchmarks`

from benchmarks import language_model, min_char_rnn
from rnnbook import lm, readout, rnn


def test_min_char_rnn_loop_computes_what_the_language_model_computes() -> None:
    V, H, T = 7, 5, 25
    rng = np.random.default_rng(0)
    w = min_char_rnn.init(V, H, rng)
    w = {name: 30 * a for name, a in w.items()}                 # large enough to matter
    w["bh"], w["by"] = rng.normal(size=(H, 1)), rng.normal(size=(V, 1))
    model = lm.Model(rnn.Params(w["Wxh"], w["Whh"], w["bh"][:, 0]),
                     readout.Params(w["Why"], w["by"][:, 0]))
    text = rng.integers(V, size=T + 1)
    h0 = rng.normal(0, 0.5, (H, 1))
    total, g, h_T = min_char_rnn.loss_and_grads(w, text[:-1], text[1:], h0)
    mean, grads, (h,) = lm.loss_and_grads(model, text[:-1, None], text[1:, None], state=(h0.T,))
    assert total == pytest.approx(T * mean, rel=1e-12)
    np.testing.assert_allclose(h_T.T, h, rtol=1e-12)
    clip = lm.clip_elementwise(grads, 5.0 / T)                  # the same clip, on the mean
    for name, mine in (("Wxh", clip.cell.W_xh), ("Whh", clip.cell.W_hh), ("Why", clip.out.W_hy),
                       ("bh", clip.cell.b_h[:, None]), ("by", clip.out.b_y[:, None])):
        np.testing.assert_allclose(g[name], T * mine, rtol=1e-10, atol=1e-12, err_msg=name)
    assert max(np.abs(a).max() for a in g.values()) == pytest.approx(5.0)   # the clip did bite


def test_table_4_times_every_implementation_at_batch_1_and_32() -> None:
    t = language_model.table(V=5, H=3, T=4, batch=3, repeats=1, budget=0.0)
    assert [tuple(row[:2]) for row in t.rows] == [
        ("min-char-rnn loop", 1), ("rnnbook lm (plain)", 1), ("rnnbook lm (plain)", 3),
        ("rnnbook fast.lm", 1), ("rnnbook fast.lm", 3)]
    for row in t.rows:
        r = dict(zip(t.columns, row, strict=True))
        assert r["chars/s"] == pytest.approx(r["B"] * 4 / (r["ms/step"] / 1e3))
    assert t.rows[0][t.columns.index("vs min-char-rnn")] == pytest.approx(1.0)
    assert any(note.startswith("goals:") for note in t.notes)
