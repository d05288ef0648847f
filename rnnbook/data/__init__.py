"""Toy sequence tasks and small corpora, generated or shipped with the package (no downloads).

Every generator takes a ``seed`` (int or ``numpy.random.Generator``) and returns time-major
arrays: inputs ``xs`` of shape (T, B, D) and targets whose shape the task's docstring gives.
Generated tasks have unlimited data: draw a fresh batch for every training step and a fixed one,
with its own seed, for testing.
"""

from rnnbook.data import toys
from rnnbook.data.encoding import one_hot
from rnnbook.data.gradients import sign_memory
from rnnbook.data.memory import memoryless_accuracy, recall_first
from rnnbook.data.toys import (
    Batch,
    Seq2SeqBatch,
    bar_captions,
    bars,
    encode,
    reverse_translation,
    sentiment,
    stream,
    tagging,
    to_text,
)

__all__ = [
    "Batch",
    "Seq2SeqBatch",
    "bar_captions",
    "bars",
    "encode",
    "memoryless_accuracy",
    "one_hot",
    "recall_first",
    "reverse_translation",
    "sentiment",
    "sign_memory",
    "stream",
    "tagging",
    "to_text",
    "toys",
]
