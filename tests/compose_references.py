"""Random networks for the tests of the compositions of cells (stacks, bidirectional pairs).

Every weight and bias drawn (non-zero biases: with zero biases a zero input keeps a zero state at
zero, which would hide a mistake made on padded steps). Imported as
``from compose_references import ...``.
"""

from __future__ import annotations

import numpy as np
from gated_references import random_gru, random_lstm

from rnnbook import bidirectional, cells, rnn, stack


def random_cell(kind: str, rng: np.random.Generator, D: int, H: int) -> cells.Cell:
    if kind == "lstm":
        return random_lstm(rng, D, H)
    if kind == "gru":
        return random_gru(rng, D, H)
    return rnn.Params(rng.normal(0, 0.7, (H, D)), rng.normal(0, 0.7, (H, H)), rng.normal(0, 0.5, H))


def random_stack(kind: str, rng: np.random.Generator, D: int, H: int, layers: int,
                 both: bool) -> stack.Params:
    built = []
    for _ in range(layers):
        if both:
            built.append(bidirectional.Params(random_cell(kind, rng, D, H),
                                              random_cell(kind, rng, D, H)))
        else:
            built.append(random_cell(kind, rng, D, H))
        D = H * (1 + both)
    return stack.Params(tuple(built))
