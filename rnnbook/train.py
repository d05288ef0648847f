"""A plain training loop that records the loss and the gradient norm at every step.

Nothing clever: draw a batch, compute the loss and its gradients, optionally clip them, take an
optimiser step, write down what happened. The record (:class:`History`) is what the book's
learning curves are drawn from. The gradient norm is recorded *before* clipping, so a plot shows
the explosions that clipping contained.

If the loss or a gradient stops being a finite number (an exploding network), training stops and
the step is recorded in ``History.diverged_at`` instead of filling the record with NaN.

Where a person is watching (a terminal or a notebook), a progress bar shows the steps done, the
loss, the steps per second and the time left (:mod:`rnnbook.progress`); in the book's build and
in the tests nothing is printed. Ctrl-C stops training between two steps: :func:`fit` returns
the parameters learned so far and their record, with ``History.interrupted_at`` set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from rnnbook import _checks, clipping, optim
from rnnbook.progress import bar as progress_bar
from rnnbook.progress import wanted as progress_wanted

P = TypeVar("P")


@dataclass(frozen=True)
class History:
    """What happened during :func:`fit`.

    Attributes
    ----------
    loss : ndarray of shape (steps,)
        The training loss of the batch at each step.
    grad_norm : ndarray of shape (steps,)
        :func:`rnnbook.clipping.global_norm` of the gradients at each step, before clipping.
    eval_steps : ndarray of shape (E,)
        The steps after which ``evaluate`` was called.
    metrics : dict of str to ndarray of shape (E,)
        What ``evaluate`` returned at those steps, by name.
    diverged_at : int or None
        The step at which the loss or gradients stopped being finite, if they did.
    interrupted_at : int or None
        The number of steps done when training was stopped with Ctrl-C (a
        ``KeyboardInterrupt``), if it was; ``loss`` and ``grad_norm`` then hold those steps.
    """

    loss: NDArray[np.float64]
    grad_norm: NDArray[np.float64]
    eval_steps: NDArray[np.int64]
    metrics: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    diverged_at: int | None = None
    interrupted_at: int | None = None


def fit(params: P, loss_and_grads: Callable[..., tuple[Any, ...]], batches: Iterable[Any],
        optimizer: optim.Optimizer, *, steps: int, max_norm: float | None = None,
        evaluate: Callable[[P], dict[str, float]] | None = None,
        eval_every: int = 10, carry: bool = False,
        progress: bool | str = "auto") -> tuple[P, History]:
    """Train ``params`` for ``steps`` steps.

    Parameters
    ----------
    params : parameter container
        Where training starts (a :class:`rnnbook.patterns.Model`, an :class:`rnnbook.rnn.Params`).
    loss_and_grads : callable
        ``loss_and_grads(params, *batch) -> (loss, grads)`` (with ``carry``, see below).
    batches : iterable of tuples
        One tuple of arguments per step; it must yield at least ``steps`` of them.
    optimizer : SGD, Adagrad or Adam
    steps : int
        Number of optimisation steps, >= 1.
    max_norm : float, optional
        Clip the gradients to this global norm (:func:`rnnbook.clipping.clip_by_norm`).
    evaluate : callable, optional
        ``evaluate(params) -> {"name": value}``, called before the first step, every
        ``eval_every`` steps, and after the last.
    eval_every : int, default 10
    carry : bool, default False
        Carry a state from step to step, as a language model carries its hidden state along a
        stream of text (:mod:`rnnbook.streams`): ``loss_and_grads(params, *batch, state)``
        returns ``(loss, grads, state)``, and the next step receives that state; the first
        receives ``None``.
    progress : bool or "auto", default "auto"
        Show a progress bar (loss, steps per second, time left). ``"auto"`` shows it in a
        terminal or a notebook, never under pytest or when ``RNNBOOK_PROGRESS=0``
        (:func:`rnnbook.progress.wanted`).

    Returns
    -------
    params : parameter container
        The trained parameters: the last finite ones if training diverged, those of the last
        step done if it was stopped with Ctrl-C.
    history : History
    """
    steps = _checks.positive_int(steps, "steps")
    eval_every = _checks.positive_int(eval_every, "eval_every")
    if max_norm is not None:
        _checks.positive_float(max_norm, "max_norm")
    if not isinstance(carry, bool):
        raise TypeError(f"carry must be True or False; got {carry!r}")
    bar = progress_bar(steps, progress_wanted(progress))
    state: Any = optimizer.init(params)  # the state type that goes with this optimiser
    losses: list[float] = []
    norms: list[float] = []
    eval_steps: list[int] = []
    metrics: dict[str, list[float]] = {}

    def record(step: int) -> None:
        if evaluate is not None:
            eval_steps.append(step)
            for name, value in evaluate(params).items():
                metrics.setdefault(name, []).append(float(value))

    diverged_at = interrupted_at = None
    carried: Any = None
    done = 0                                # steps whose update is in ``params``
    try:
        record(0)
        batch_iter = iter(batches)
        for step in range(steps):
            batch = next(batch_iter, None)
            if batch is None:
                raise ValueError(f"batches ran out after {step} batches; steps={steps} were "
                                 f"asked for")
            try:
                with np.errstate(over="raise", invalid="raise", divide="raise"):
                    if carry:
                        loss, grads, carried = loss_and_grads(params, *batch, carried)
                    else:
                        loss, grads = loss_and_grads(params, *batch)
                    norm = clipping.global_norm(grads)
            except FloatingPointError:
                loss, norm = np.inf, np.inf
            if not (np.isfinite(loss) and np.isfinite(norm)):
                diverged_at = step
                break
            if max_norm is not None:
                grads, norm = clipping.clip_by_norm(grads, max_norm)
            new_params, new_state = optimizer.update(params, grads, state)
            losses.append(float(loss))
            norms.append(norm)
            # No call between these stores: a Ctrl-C lands before them or after, never between.
            params, state, done = new_params, new_state, step + 1
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{np.mean(losses[-10:]):.4g}", refresh=False)
            if (step + 1) % eval_every == 0 or step + 1 == steps:
                record(step + 1)
    except KeyboardInterrupt:
        interrupted_at = done               # keep the record of the steps done, and only those
        del losses[done:], norms[done:]
        complete = min([len(eval_steps), *(len(v) for v in metrics.values())])
        del eval_steps[complete:]
        for values in metrics.values():
            del values[complete:]
        if bar is not None:
            bar.write(f"stopped by Ctrl-C after {done} steps: returning what was learned so far")
    finally:
        if bar is not None:
            bar.close()
    history = History(np.array(losses), np.array(norms), np.array(eval_steps, dtype=np.int64),
                      {k: np.array(v) for k, v in metrics.items()}, diverged_at, interrupted_at)
    return params, history
