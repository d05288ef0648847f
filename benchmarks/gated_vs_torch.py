"""Table 1c: rnnbook's LSTM and GRU against ``torch.nn.LSTM`` / ``torch.nn.GRU``, forward + BPTT.

The same work as Table 1, for the gated cells: the states over a (T, B, D) batch from zero initial
states, then the gradients of a loss whose gradient on every hidden state is a given G (T, B, H):
every weight and bias gradient and the gradient on the inputs. rnnbook: the fast path,
``rnnbook.fast.lstm`` / ``rnnbook.fast.gru`` forward then backward; the plain code the book
shows (``rnnbook.lstm`` / ``rnnbook.gru``) is timed beside it. PyTorch: the module's forward, then
``torch.autograd.grad(out, [weights, biases, xs], G)``. All start from the same weights
(``rnnbook.interop.to_torch``) and their results are compared before timing.

The floor is the arithmetic no numpy implementation of the cell can avoid, done as fast as numpy
does it: the matrix products of forward and BPTT with the gates stacked ((B, H) x (H, 4H) per step
forward for the LSTM, (B, 4H) x (4H, H) back; 3H for the GRU; the input projection and the three
weight-gradient products over all steps at once), and ``np.tanh`` over every gate pre-activation
(and, for the LSTM, every cell state) in one call. It skips the elementwise work between the
products, which a gated cell has much more of than a vanilla one: a lower bound, not a target.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from benchmarks._common import Table
from benchmarks.vs_torch import SIZES
from rnnbook import gru, interop, lstm
from rnnbook.fast import gru as fast_gru
from rnnbook.fast import lstm as fast_lstm
from rnnbook.measure import interleaved

GOAL = 0.5
"""rnnbook's time as a fraction of PyTorch's that the issue asks for, where the floor allows it."""

FLOOR_SLACK = 1.15
"""How far above the floor the fast path may be, at most, by the issue's goal."""

CELLS: dict[str, tuple[Any, Any, int]] = {"LSTM": (lstm, fast_lstm, 4), "GRU": (gru, fast_gru, 3)}
"""Each cell's plain module, fast module and number of gate blocks G (the products are G H wide)."""

COLUMNS = ["cell", "dtype", "T", "B", "D", "H", "fast ms", "plain ms", "torch ms", "ratio",
           "floor ratio", "fast/floor", "plain/fast", "max rel diff", "runs"]


def problem(cell: str, T: int, B: int, D: int, H: int, dtype: type) -> tuple[Any, Any, Any]:
    rng = np.random.default_rng(0)
    p = CELLS[cell][0].init(D, H, seed=rng, dtype=dtype)
    xs = rng.standard_normal((T, B, D)).astype(dtype)      # (T, B, D)
    G = rng.standard_normal((T, B, H)).astype(dtype)       # (T, B, H): dL/dh_t for every t
    return p, xs, G


def _stacked(grads: Any, cell: str) -> list[Any]:
    """The gradients as PyTorch stacks them: weight_ih, weight_hh, bias_ih (gate rows)."""
    if cell == "LSTM":
        gates = lstm.GATES
        return [np.concatenate([getattr(grads, f"W_x{g}") for g in gates]),
                np.concatenate([getattr(grads, f"W_h{g}") for g in gates]),
                np.concatenate([getattr(grads, f"b_{g}") for g in gates])]
    return [np.concatenate([grads.W_xr, grads.W_xz, grads.W_xn]),
            np.concatenate([grads.W_hr, grads.W_hz, grads.W_hn]),
            np.concatenate([grads.b_r, grads.b_z, grads.b_xn])]


def ours(module: Any, cell: str, p: Any, xs: Any, G: Any) -> Any:
    """Forward + BPTT with ``module`` (plain or fast); returns the results to compare."""
    def run() -> list[Any]:
        hs, cache = module.forward(p, xs)
        grads, dxs, *_ = module.backward(p, cache, G)
        return [hs, *_stacked(grads, cell), dxs]

    return run


def torch_version(torch: Any, p: Any, xs: Any, G: Any) -> Any:
    """A function running the same forward + BPTT with ``torch.nn.LSTM`` or ``torch.nn.GRU``."""
    module = interop.to_torch(p)
    xs_t = torch.from_numpy(xs).requires_grad_()
    G_t = torch.from_numpy(G)
    wrt = [module.weight_ih_l0, module.weight_hh_l0, module.bias_ih_l0, xs_t]

    def theirs() -> list[Any]:
        out, _ = module(xs_t)
        dW_ih, dW_hh, db_ih, dxs = torch.autograd.grad(out, wrt, G_t)
        return [out, dW_ih, dW_hh, db_ih, dxs]

    return theirs


def floor_version(p: Any, xs: Any, G: Any, gates: int) -> Any:
    """The products and the nonlinearities of forward + BPTT alone, as fast as numpy does them."""
    T, B, D = xs.shape
    H, GH = G.shape[2], gates * G.shape[2]
    rng = np.random.default_rng(1)
    W_x = rng.standard_normal((GH, D)).astype(xs.dtype)
    W_h = rng.standard_normal((GH, H)).astype(xs.dtype)
    W_h_T = np.ascontiguousarray(W_h.T)
    x2 = xs.reshape(T * B, D)
    acts = np.empty((T, B, GH), dtype=xs.dtype)
    a2 = acts.reshape(T * B, GH)
    states = np.zeros((T + 1, B, H), dtype=xs.dtype)
    cells = np.zeros((T, B, H), dtype=xs.dtype)
    deltas = np.ones((T, B, GH), dtype=xs.dtype)
    d2 = deltas.reshape(T * B, GH)
    rec, back = np.empty((B, GH), dtype=xs.dtype), np.empty((B, H), dtype=xs.dtype)

    def floor() -> object:
        np.matmul(x2, W_x.T, out=a2)                   # input projection, all gates
        for t in range(T):
            np.matmul(states[t], W_h_T, out=rec)       # recurrence, forward
        np.tanh(acts, out=acts)                        # every gate (σ via tanh)
        if gates == 4:
            np.tanh(cells, out=cells)                  # tanh c_t
        for t in range(T):
            np.matmul(deltas[t], W_h, out=back)        # recurrence, backward
        return d2.T @ x2, d2.T @ states[:-1].reshape(T * B, H), d2 @ W_x

    return floor


def max_rel_diff(a: list[Any], b: list[Any]) -> float:
    """The largest relative difference (max norm) between corresponding results."""
    worst = 0.0
    for x, y in zip(a, b, strict=True):
        y = y.detach().numpy() if hasattr(y, "detach") else y
        worst = max(worst, float(np.abs(x - y).max() / max(np.abs(y).max(), 1e-300)))
    return worst


def table(torch: Any | None, *, sizes: tuple[tuple[int, int, int, int], ...] = SIZES,
          dtypes: tuple[type, ...] = (np.float64, np.float32), repeats: int = 5,
          budget: float = 0.5, threads_note: str = "") -> Table:
    """Measure every cell, size and dtype; ``budget`` is the CPU seconds to spend per function."""
    t = Table("1c_gated_vs_torch", "Table 1c: rnnbook's LSTM and GRU vs torch.nn.LSTM / GRU, "
              "forward + full BPTT (CPU)", COLUMNS,
              formats={"fast ms": ".2f", "plain ms": ".2f", "torch ms": ".2f", "ratio": ".2f",
                       "floor ratio": ".2f", "fast/floor": ".2f", "plain/fast": ".2f",
                       "max rel diff": ".1e"})
    for cell, (plain_module, fast_module, gates) in CELLS.items():
        for dtype in dtypes:
            for T, B, D, H in sizes:
                p, xs, G = problem(cell, T, B, D, H, dtype)
                fns = {"fast": ours(fast_module, cell, p, xs, G),
                       "plain": ours(plain_module, cell, p, xs, G),
                       "floor": floor_version(p, xs, G, gates)}
                reference = fns["plain"]()
                diff = max_rel_diff(fns["fast"](), reference)
                if torch is not None:
                    fns["torch"] = torch_version(torch, p, xs, G)
                    diff = max(diff, max_rel_diff(reference, fns["torch"]()))
                times = interleaved(fns, repeats=repeats,
                                    budget=budget if T * B * H <= 10**6 else 0.0)
                fast, plain, floor = times["fast"], times["plain"], times["floor"]
                row: list[object] = [cell, np.dtype(dtype).name, T, B, D, H, 1e3 * fast.cpu,
                                     1e3 * plain.cpu]
                if torch is not None:
                    theirs = times["torch"].cpu
                    row += [1e3 * theirs, fast.cpu / theirs, floor.cpu / theirs]
                else:
                    row += [None, None, None]
                row += [fast.cpu / floor.cpu, plain.cpu / fast.cpu, diff, fast.runs]
                t.add(*row)
    _notes(t, torch, threads_note)
    return t


def _notes(t: Table, torch: Any | None, threads_note: str) -> None:
    t.notes.append("ms: median CPU time of this process per forward + BPTT, the functions run in "
                   "turns in one process. fast: rnnbook.fast.lstm / gru; plain: rnnbook.lstm / "
                   "gru, the code the book shows; ratio = fast / torch (goal <= "
                   f"{GOAL} where the floor allows it); floor ratio = floor / torch.")
    t.notes.append("floor: the products of forward + BPTT with the gates stacked and one np.tanh "
                   "over all gate pre-activations (and cell states), nothing else: a lower bound "
                   f"for numpy; fast/floor is the fast path over it (goal <= {FLOOR_SLACK}).")
    t.notes.append("max rel diff: the largest difference between fast and plain and between "
                   "plain and torch, over hs, the three stacked weight gradients and dxs, "
                   "relative to each array's largest entry.")
    if threads_note:
        t.notes.append(threads_note)
    col = {name: t.columns.index(name) for name in ("ratio", "floor ratio", "fast/floor")}
    near = [r for r in t.rows if r[col["fast/floor"]] <= FLOOR_SLACK]  # type: ignore[operator]
    t.notes.append(f"within {FLOOR_SLACK:.2f} x the floor: {len(near)} of {len(t.rows)} rows.")
    if torch is None:
        t.notes.append("PyTorch is not installed: rnnbook's times only "
                       "(pip install torch to compare).")
        return
    allowed = [r for r in t.rows if r[col["floor ratio"]] <= GOAL]  # type: ignore[operator]
    met = [r for r in allowed if r[col["ratio"]] <= GOAL]  # type: ignore[operator]
    t.notes.append(f"goal ratio <= {GOAL}: the floor allows it at {len(allowed)} of {len(t.rows)} "
                   f"rows; met at {len(met)} of those, and at "
                   f"{sum(r[col['ratio']] <= GOAL for r in t.rows)} rows in all.")  # type: ignore[operator]
