"""One small call of every figure of ``rnnbook.plot``, for the tests that every figure must pass.

Each case computes its inputs with rnnbook, as a chapter does, on sizes small enough to run in a
fraction of a second. ``test_plot_style`` checks that this table covers every public figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from matplotlib.figure import Figure

from rnnbook import (
    activations,
    data,
    dynamics,
    lstm,
    measure,
    pca,
    plot,
    rnn,
    single_unit,
    smoothing,
    train,
    truncation,
)


def history(seed: int, steps: int = 30) -> train.History:
    """A made-up training record: a falling, noisy loss and gradient norm, accuracy every 5."""
    rng = np.random.default_rng(seed)
    loss = np.exp(-np.arange(steps) / 10) + 0.05 * rng.random(steps)
    evals = np.arange(0, steps + 1, 5)
    return train.History(loss, 3 * loss, evals, {"accuracy": np.linspace(0.2, 1.0, len(evals))})


def measured_table() -> measure.BPTTMeasurement:
    """A table with made-up times (a measured one would differ from run to run)."""
    T = np.array([10, 20, 40])
    seconds = np.array([[1.0, 2.0, 4.0], [1.5, 3.0, 6.0]]) * 1e-3
    peak = np.array([[1, 2, 4], [2, 4, 8]], dtype=np.int64) * 2**20
    products = np.array([[truncation.backward_work(t, k) for t in T] for k in (None, 5)])
    return measure.BPTTMeasurement(T, (None, 5), seconds, peak, products, B=2, D=3, H=4)


def net(rho: float, activation: str = "tanh") -> rnn.Params:
    return rnn.init(3, 6, seed=1, activation=activation, recurrent="orthogonal",
                    spectral_radius=rho)


XS = np.random.default_rng(0).normal(size=(12, 1, 3))     # one sequence: T = 12, D = 3


def _memory_learning_curves() -> Figure:
    runs = {"a": history(0), "b": history(1)}
    return plot.memory_learning_curves(
        {n: smoothing.moving_average(h.loss, 5) for n, h in runs.items()},
        {n: (h.eval_steps, h.metrics["accuracy"]) for n, h in runs.items()}, symbols=4)


def _final_states() -> Figure:
    batch = data.recall_first(40, length=5, seed=0)
    hs, _ = rnn.forward(rnn.init(4, 6, seed=0), batch.xs)
    points = pca.principal_components(hs[-1])
    return plot.final_states({"before": points, "again": -points}, batch.targets)


def _activation_ranges() -> Figure:
    p = rnn.init(input_size=2, hidden_size=4, seed=0)
    xs = np.random.default_rng(0).standard_normal((10, 3, 2))
    return plot.activation_ranges({f: rnn.forward(replace(p, activation=f), xs)[0]
                                   for f in activations.NAMES})


def _state_heatmap() -> Figure:
    pulse = np.eye(8, 1)
    hs, _ = rnn.forward(rnn.init(1, 4, seed=0), pulse[:, None])
    return plot.state_heatmap(hs[:, 0], pulse)


def _truncation_error_curves() -> Figure:
    rng = np.random.default_rng(0)
    xs, dhs, ks = rng.standard_normal((12, 2, 2)), rng.standard_normal((12, 2, 5)), np.arange(1, 13)
    errors = {rho: truncation.truncation_error(rnn.init(2, 5, seed=0, spectral_radius=rho),
                                               xs, dhs, ks) for rho in (0.5, 1.2)}
    return plot.truncation_error_curves(ks, errors, tol=1e-7)


def _gradient_norm_curves() -> Figure:
    k = np.arange(len(XS))
    nets = {"linear": {"0.9": net(0.9, "identity"), "1.2": net(1.2, "identity")},
            "tanh": {"0.9": net(0.9), "1.2": net(1.2)}}
    return plot.gradient_norm_curves(
        {t: {n: dynamics.gradient_norms(p, XS) for n, p in ps.items()} for t, ps in nets.items()},
        bounds={t: {n: dynamics.gradient_bound(p, k) for n, p in ps.items()}
                for t, ps in nets.items()})


def _saturation() -> Figure:
    p = net(1.5)
    scales = {f"× {s}": s for s in (0.5, 4.0)}
    return plot.saturation({n: dynamics.preactivations(p, s * XS) for n, s in scales.items()},
                           {n: dynamics.gradient_norms(p, s * XS) for n, s in scales.items()},
                           bound=dynamics.gradient_bound(p, np.arange(len(XS))))


def _error_wall() -> Figure:
    ws, bs, cut = np.linspace(0, 10, 21), np.linspace(-8, 2, 23), np.linspace(-3.5, -3.0, 101)
    along, steep = {}, {}
    for T in (5, 10):
        along[f"T = {T}"], dw, db = single_unit.grads(6.0, cut, T=T)
        steep[f"T = {T}"] = np.hypot(dw, db)
    return plot.error_wall(ws, bs, single_unit.surface(ws, bs, T=10), T=10, w_cut=6.0,
                           cut_bs=cut, cut_losses=along, cut_norms=steep)


def _gate_heatmaps() -> Figure:
    batch = data.last_marked(1, length=8, marks=(2, 2), seed=0)
    _, cache = lstm.forward(lstm.init(5, 4, seed=0), batch.xs)
    return plot.gate_heatmaps({"$i_t$": cache.i[:, 0], "$f_t$": cache.f[:, 0],
                               "$c_t$": cache.cells[1:, 0]},
                              step_labels=list("ABCDABCD"), marked=batch.xs[:, 0, 4] == 1)


def _gated_curves() -> Figure:
    k = np.arange(len(XS))
    c_norms, h_norms = dynamics.lstm_gradient_norms(lstm.init(3, 4, seed=0), XS)
    runs = {"a": [(h.eval_steps, h.metrics["accuracy"]) for h in (history(0), history(1))]}
    return plot.curves({"along $c$": {"lstm": (k, c_norms)},
                        "along $h$": {"lstm": (k, h_norms), **runs}},
                       xlabel="steps back $k$", ylabel="norm", logy=True, reference=0.5,
                       reference_label="chance")


CASES: dict[str, Callable[[], Figure]] = {
    "memory_learning_curves": _memory_learning_curves,
    "final_states": _final_states,
    "rolled_and_unrolled": lambda: plot.rolled_and_unrolled(4),
    "activation_functions": plot.activation_functions,
    "state_heatmap": _state_heatmap,
    "activation_ranges": _activation_ranges,
    "pattern_diagrams": plot.pattern_diagrams,
    "bar_images": lambda: plot.bar_images(data.bars(4, seed=0).xs[0],
                                          ["horizontal", "vertical\nbar", "?", "last"]),
    "pattern_learning_curves": lambda: plot.pattern_learning_curves(
        {"bars": smoothing.moving_average(history(0).loss, 5),
         "tagging": smoothing.moving_average(history(1).loss, 5)}),
    "bptt_diagram": lambda: plot.bptt_diagram(4),
    "truncation_error_curves": _truncation_error_curves,
    "bptt_time_memory_curves": lambda: plot.bptt_time_memory_curves(measured_table()),
    "gradient_norm_curves": _gradient_norm_curves,
    "saturation": _saturation,
    "error_wall": _error_wall,
    "training_curves": lambda: plot.training_curves({"free": history(0), "clipped": history(1)},
                                                    max_norm=1.0),
    "solved_against_length": lambda: plot.solved_against_length(
        {"adding": {"vanilla": ([10, 25, 100], [0.15, 1.2, 1.0]),
                    "LSTM": ([10, 25, 100], [0.004, 0.02, 1.0])},
         "recall": {"vanilla": ([5, 10], [0.007, 1.0]), "LSTM": ([5, 10], [0.006, 0.08])}},
        solved_below=0.1),
    "long_range_curves": lambda: plot.long_range_curves(
        {f"T = {T}": {"vanilla": (history(T).eval_steps, 1 + history(T).metrics["accuracy"]),
                      "GRU": (history(T).eval_steps, 1.2 - history(T).metrics["accuracy"])}
         for T in (10, 25, 100)}, solved_below=0.1),
    "lstm_cell_diagram": plot.lstm_cell_diagram,
    "gru_cell_diagram": plot.gru_cell_diagram,
    "gate_heatmaps": _gate_heatmaps,
    "seed_dots": lambda: plot.seed_dots({"LSTM": [0.9, 1.0], "GRU": [0.25, 0.5]}, chance=0.25),
    "curves": _gated_curves,
}
"""Every figure function of ``rnnbook.plot``, by name, with a call that draws it."""

from plot_cases_language import LANGUAGE_CASES  # noqa: E402  (chapter 9's figures, kept apart)

CASES.update(LANGUAGE_CASES)

from plot_cases_classification import CLASSIFICATION_CASES  # noqa: E402  (chapter 10's figures)

CASES.update(CLASSIFICATION_CASES)
from plot_cases_seq2seq import SEQ2SEQ_CASES  # noqa: E402  (chapters 11 and 12's figures)

CASES.update(SEQ2SEQ_CASES)
from plot_cases_packing import PACKING_CASES  # noqa: E402  (chapter 13's figure, kept apart)

CASES.update(PACKING_CASES)
