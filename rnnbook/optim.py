r"""Optimisers: SGD with momentum, Adagrad and Adam, as pure functions of explicit state.

Each optimiser is a frozen dataclass of hyperparameters with two methods, in the style of optax::

    opt = Adam(lr=1e-2)
    state = opt.init(params)
    params, state = opt.update(params, grads, state)

``update`` returns new parameters and a new state and changes nothing in place, so no object
carries hidden state between calls. ``params`` can be any parameter container (a frozen
dataclass of arrays, such as :class:`rnnbook.rnn.Params`, possibly nested).

Left out: learning-rate schedules and weight decay, which the book does not need.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

import numpy as np

from rnnbook import _checks, _tree

P = TypeVar("P")


def _check_update(params: P, grads: P, state: Any, state_type: type[Any]) -> None:
    _tree.check_container(params, "params")
    _tree.check_same_structure(params, grads, "grads", "params")
    if not isinstance(state, state_type):
        raise TypeError(f"state must be the {state_type.__name__} returned by init; "
                        f"got {type(state).__name__}")
    for field, value in state._asdict().items():  # the moments must match params, leaf by leaf
        if _tree.is_container(value):
            _tree.check_same_structure(params, value, f"state.{field}", "params")


def _zeros(params: P) -> P:
    return _tree.map_arrays(np.zeros_like, params)


class SGDState(NamedTuple):
    """State of :class:`SGD`: the velocity :math:`v` (zeros when momentum is 0)."""

    velocity: Any


@dataclass(frozen=True)
class SGD:
    r"""Stochastic gradient descent with (heavy-ball) momentum.

    .. math:: v \leftarrow \mu v + g, \qquad \theta \leftarrow \theta - \eta v

    (PyTorch's convention; :math:`\mu = 0` is plain SGD, :math:`\theta \leftarrow \theta - \eta g`).

    Parameters
    ----------
    lr : float
        Learning rate :math:`\eta > 0`.
    momentum : float, default 0.0
        :math:`\mu \in [0, 1)`.
    """

    lr: float
    momentum: float = 0.0

    def __post_init__(self) -> None:
        _checks.positive_float(self.lr, "lr")
        if not 0.0 <= _checks.positive_float(self.momentum, "momentum", allow_zero=True) < 1.0:
            raise ValueError(f"momentum must lie in [0, 1); got {self.momentum!r}")

    def init(self, params: P) -> SGDState:
        """The initial state for ``params``: zero velocity."""
        _tree.check_container(params, "params")
        return SGDState(_zeros(params))

    def update(self, params: P, grads: P, state: SGDState) -> tuple[P, SGDState]:
        """One step: returns the new parameters and state."""
        _check_update(params, grads, state, SGDState)
        v = _tree.map_arrays(lambda v, g: self.momentum * v + g, state.velocity, grads)
        return _tree.map_arrays(lambda p, v: p - self.lr * v, params, v), SGDState(v)


class AdagradState(NamedTuple):
    """State of :class:`Adagrad`: the running sum of squared gradients :math:`G`."""

    sum_sq: Any


@dataclass(frozen=True)
class Adagrad:
    r"""Adagrad (Duchi, Hazan & Singer 2011): a learning rate per parameter.

    .. math::
        G \leftarrow G + g^2, \qquad
        \theta \leftarrow \theta - \eta\, g / (\sqrt{G} + \epsilon)

    min-char-rnn trains with it.

    Parameters
    ----------
    lr : float
        :math:`\eta > 0`.
    eps : float, default 1e-8
    """

    lr: float
    eps: float = 1e-8

    def __post_init__(self) -> None:
        _checks.positive_float(self.lr, "lr")
        _checks.positive_float(self.eps, "eps")

    def init(self, params: P) -> AdagradState:
        """The initial state for ``params``: :math:`G = 0`."""
        _tree.check_container(params, "params")
        return AdagradState(_zeros(params))

    def update(self, params: P, grads: P, state: AdagradState) -> tuple[P, AdagradState]:
        """One step: returns the new parameters and state."""
        _check_update(params, grads, state, AdagradState)
        G = _tree.map_arrays(lambda G, g: G + g * g, state.sum_sq, grads)
        new = _tree.map_arrays(lambda p, g, G: p - self.lr * g / (np.sqrt(G) + self.eps),
                               params, grads, G)
        return new, AdagradState(G)


class AdamState(NamedTuple):
    """State of :class:`Adam`: step count and the two moment estimates."""

    step: int
    m: Any
    v: Any


@dataclass(frozen=True)
class Adam:
    r"""Adam (Kingma & Ba 2015): momentum and a per-parameter scale, both bias-corrected.

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g, \quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2, \quad
        \theta \leftarrow \theta
            - \eta \frac{m / (1-\beta_1^t)}{\sqrt{v / (1-\beta_2^t)} + \epsilon}

    Parameters
    ----------
    lr : float, default 1e-3
        :math:`\eta > 0`.
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    eps : float, default 1e-8
    """

    lr: float = 1e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def __post_init__(self) -> None:
        _checks.positive_float(self.lr, "lr")
        _checks.positive_float(self.eps, "eps")
        for name in ("beta1", "beta2"):
            if not 0.0 <= _checks.positive_float(getattr(self, name), name, allow_zero=True) < 1:
                raise ValueError(f"{name} must lie in [0, 1); got {getattr(self, name)!r}")

    def init(self, params: P) -> AdamState:
        """The initial state for ``params``: step 0, zero moments."""
        _tree.check_container(params, "params")
        return AdamState(0, _zeros(params), _zeros(params))

    def update(self, params: P, grads: P, state: AdamState) -> tuple[P, AdamState]:
        """One step: returns the new parameters and state."""
        _check_update(params, grads, state, AdamState)
        t = state.step + 1
        b1, b2 = self.beta1, self.beta2
        m = _tree.map_arrays(lambda m, g: b1 * m + (1 - b1) * g, state.m, grads)
        v = _tree.map_arrays(lambda v, g: b2 * v + (1 - b2) * g * g, state.v, grads)
        c1, c2 = 1 - b1**t, 1 - b2**t

        def step(p: Any, m: Any, v: Any) -> Any:
            return p - self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)

        return _tree.map_arrays(step, params, m, v), AdamState(t, m, v)


Optimizer = SGD | Adagrad | Adam
"""Any of the optimisers above."""
