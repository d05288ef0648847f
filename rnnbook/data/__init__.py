"""Toy sequence tasks and small corpora, generated or shipped with the package (no downloads).

Every generator takes a ``seed`` (int or ``numpy.random.Generator``) and returns time-major
arrays: inputs ``xs`` of shape (T, B, D) and targets whose shape the task's docstring gives.
Generated tasks have unlimited data: draw a fresh batch for every training step and a fixed one,
with its own seed, for testing.
"""

from rnnbook.data.encoding import one_hot

__all__ = [
    "one_hot",
]
