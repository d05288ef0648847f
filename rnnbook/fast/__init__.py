"""Faster versions of the cells, for benchmarks and long training runs.

One module per cell, mirroring its names: :func:`rnnbook.fast.rnn.forward` and
:func:`rnnbook.fast.rnn.backward` take and return what :func:`rnnbook.rnn.forward` and
:func:`rnnbook.rnn.backward` do (the same :class:`rnnbook.rnn.Cache`), and the tests hold them
equal to the plain code to 1e-12; :mod:`rnnbook.fast.lstm` and :mod:`rnnbook.fast.gru` do the same
for the gated cells. The book shows and explains the plain code; these trade its readability for
speed (buffers reused, products batched), where the benchmarks show it pays.
"""

from rnnbook.fast import gru, lm, lstm, rnn

__all__ = ["gru", "lm", "lstm", "rnn"]
