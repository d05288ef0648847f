"""Table 1: rnnbook against ``torch.nn.RNN`` on the CPU, forward + full BPTT.

The same work on both sides: the states of a tanh RNN over a (T, B, D) batch from h_0 = 0, then
the gradients of a loss whose gradient on every state is a given G (T, B, H) — all weight and
bias gradients, the gradient on the inputs and on h_0. rnnbook: its fast path,
``rnnbook.fast.rnn.forward`` then ``backward(p, cache, G)`` (Table 1b,
:mod:`benchmarks.plain_vs_fast`, compares it with the plain ``rnnbook.rnn`` the book shows).
PyTorch: the module's forward then ``torch.autograd.grad(out, [weights, biases, xs, h0], G)``,
which is ``out.backward(G)`` without accumulating into ``.grad``. Both start from the same weights
(``rnnbook.interop.to_torch``) and their gradients are compared before timing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from benchmarks._common import Table
from rnnbook import interop, rnn
from rnnbook.fast import rnn as fast_rnn
from rnnbook.measure import interleaved

SIZES: tuple[tuple[int, int, int, int], ...] = (
    (100, 32, 32, 128), (50, 64, 64, 256), (200, 1, 16, 32), (1000, 8, 8, 64),
)
"""(T, B, D, H) of the issue."""

GOAL = 0.5
"""rnnbook's time as a fraction of PyTorch's that the issue asks for, at most."""

COLUMNS = ["dtype", "T", "B", "D", "H", "rnnbook ms", "torch ms", "ratio", "wall ratio",
           "floor ratio", "rnnbook GFLOP/s", "torch GFLOP/s", "max rel diff", "runs"]


def flops(T: int, B: int, D: int, H: int) -> int:
    """Multiply-adds x 2 of forward + BPTT: three (T B, H) x (H, H) products (the recurrence
    forward and back, dW_hh) and three of D (the input projection, dW_xh, dxs)."""
    return 6 * T * B * H * (H + D)


def problem(T: int, B: int, D: int, H: int, dtype: type) -> tuple[rnn.Params, Any, Any]:
    rng = np.random.default_rng(0)
    p = rnn.init(input_size=D, hidden_size=H, seed=rng, dtype=dtype)
    xs = rng.standard_normal((T, B, D)).astype(dtype)      # (T, B, D)
    G = rng.standard_normal((T, B, H)).astype(dtype)       # (T, B, H): dL/dh_t for every t
    return p, xs, G


def ours(p: rnn.Params, xs: Any, G: Any) -> list[Any]:
    hs, cache = fast_rnn.forward(p, xs)
    grads, dxs, dh0 = fast_rnn.backward(p, cache, G)
    return [hs, grads.W_xh, grads.W_hh, grads.b_h, dxs, dh0]


def torch_version(torch: Any, p: rnn.Params, xs: Any, G: Any) -> Any:
    """A function running the same forward + BPTT with ``torch.nn.RNN``."""
    module = interop.to_torch(p)
    B = xs.shape[1]
    xs_t = torch.from_numpy(xs).requires_grad_()
    h0_t = torch.zeros((1, B, p.hidden_size), dtype=xs_t.dtype, requires_grad=True)
    G_t = torch.from_numpy(G)
    wrt = [module.weight_ih_l0, module.weight_hh_l0, module.bias_ih_l0, module.bias_hh_l0,
           xs_t, h0_t]

    def theirs() -> list[Any]:
        out, _ = module(xs_t, h0_t)
        dW_ih, dW_hh, db_ih, _, dxs, dh0 = torch.autograd.grad(out, wrt, G_t)
        return [out, dW_ih, dW_hh, db_ih, dxs, dh0[0]]

    return theirs


def floor_version(p: rnn.Params, xs: Any, G: Any) -> Any:
    """A function doing only the arithmetic no numpy implementation can avoid, as fast as numpy
    does it: the six matrix products of forward + BPTT (the per-step ones into preallocated
    buffers) and np.tanh over every state in one call. Not an RNN (it skips the elementwise
    steps between the products): a lower bound on rnnbook's time with this numpy and BLAS."""
    T, B, D = xs.shape
    H = p.hidden_size
    x2, g2 = xs.reshape(T * B, D), G.reshape(T * B, H)
    states = np.zeros((T + 1, B, H), dtype=xs.dtype)
    s2 = states[1:].reshape(T * B, H)
    step = np.empty((B, H), dtype=xs.dtype)
    W_hh_T, W_xh_T = p.W_hh.T, p.W_xh.T

    def floor() -> object:
        np.matmul(x2, W_xh_T, out=s2)                  # input projection
        for t in range(T):
            np.matmul(states[t], W_hh_T, out=step)     # recurrence, forward
        np.tanh(s2, out=s2)
        for t in range(T):
            np.matmul(G[t], p.W_hh, out=step)          # recurrence, backward
        return g2.T @ x2, g2.T @ states[:-1].reshape(T * B, H), g2 @ p.W_xh

    return floor


def max_rel_diff(a: list[Any], b: list[Any]) -> float:
    """The largest relative difference (in the max norm) between corresponding results."""
    worst = 0.0
    for x, y in zip(a, b, strict=True):
        y = y.detach().numpy()
        worst = max(worst, float(np.abs(x - y).max() / max(np.abs(y).max(), 1e-300)))
    return worst


def table(torch: Any | None, *, sizes: tuple[tuple[int, int, int, int], ...] = SIZES,
          dtypes: tuple[type, ...] = (np.float64, np.float32), repeats: int = 7,
          budget: float = 0.5, threads_note: str = "") -> Table:
    """Measure every size and dtype; ``budget`` is the CPU seconds to spend per function."""
    t = Table("1_vs_torch", "Table 1: rnnbook vs torch.nn.RNN, forward + full BPTT (CPU)",
              COLUMNS, formats={"rnnbook ms": ".2f", "torch ms": ".2f", "ratio": ".2f",
                                "wall ratio": ".2f", "floor ratio": ".2f", "rnnbook GFLOP/s": ".1f",
                                "torch GFLOP/s": ".1f", "max rel diff": ".1e"})
    for dtype in dtypes:
        for T, B, D, H in sizes:
            p, xs, G = problem(T, B, D, H, dtype)
            fns = {"rnnbook": lambda p=p, xs=xs, G=G: ours(p, xs, G)}
            if torch is not None:
                fns["torch"] = torch_version(torch, p, xs, G)
                fns["floor"] = floor_version(p, xs, G)
                diff: float | None = max_rel_diff(fns["rnnbook"](), fns["torch"]())
            else:
                diff = None
            times = interleaved(fns, repeats=repeats, budget=budget)
            mine = times["rnnbook"]
            work = flops(T, B, D, H) / 1e9
            if torch is not None:
                theirs = times["torch"]
                t.add(np.dtype(dtype).name, T, B, D, H, 1e3 * mine.cpu, 1e3 * theirs.cpu,
                      mine.cpu / theirs.cpu, mine.wall / theirs.wall,
                      times["floor"].cpu / theirs.cpu, work / mine.cpu, work / theirs.cpu, diff,
                      mine.runs)
            else:
                t.add(np.dtype(dtype).name, T, B, D, H, 1e3 * mine.cpu, None, None, None, None,
                      work / mine.cpu, None, None, mine.runs)
    t.notes.append("rnnbook: rnnbook.fast.rnn (Table 1b compares the plain rnnbook.rnn with it).")
    t.notes.append("ms: median CPU time of this process per forward + BPTT; ratio = rnnbook / "
                   f"torch on CPU time (goal: <= {GOAL}), wall ratio the same on wall-clock time;")
    t.notes.append("runs interleave rnnbook, torch and the floor in one process, in rotating "
                   "order. GFLOP/s counts 6 T B H (H + D) floating-point operations.")
    t.notes.append("floor ratio: the six matrix products of forward + BPTT and one np.tanh over "
                   "all states, nothing else, in numpy, over torch's time: a lower bound for any "
                   "numpy implementation of this arithmetic with this BLAS.")
    if threads_note:
        t.notes.append(threads_note)
    if torch is None:
        t.notes.append("PyTorch is not installed: rnnbook's times only "
                       "(pip install torch to compare).")
    else:
        ratio, floor = COLUMNS.index("ratio"), COLUMNS.index("floor ratio")
        misses = [r for r in t.rows if r[ratio] > GOAL]  # type: ignore[operator]
        t.notes.append(f"goal ratio <= {GOAL}: met at {len(t.rows) - len(misses)} of "
                       f"{len(t.rows)} sizes" + ("; missed at " + ", ".join(
                           f"{r[0]} {tuple(r[1:5])} ({r[ratio]:.2f}, floor {r[floor]:.2f})"
                           for r in misses) if misses else ""))
    return t
