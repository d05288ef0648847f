"""Faster versions of the cells, for benchmarks and long training runs.

One module per cell, mirroring its names: :func:`rnnbook.fast.rnn.forward` and
:func:`rnnbook.fast.rnn.backward` take and return what :func:`rnnbook.rnn.forward` and
:func:`rnnbook.rnn.backward` do (the same :class:`rnnbook.rnn.Cache`), and the tests hold them
equal to the plain code to 1e-12. The book shows and explains the plain code; these trade its
readability for speed (buffers reused, products batched), where the benchmarks show it pays.
"""

from rnnbook.fast import lm, rnn

__all__ = ["lm", "rnn"]
