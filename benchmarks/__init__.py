"""rnnbook's benchmarks: speed and memory, printed as tables, never timed tests.

Run them with ``make bench`` (or ``python -m benchmarks``; ``--help`` lists the options):

1. rnnbook (its fast path, :mod:`rnnbook.fast.rnn`) against ``torch.nn.RNN`` on the CPU,
   forward + full BPTT (:mod:`benchmarks.vs_torch`); 1b. the plain code the book shows against
   that fast path, at the sizes of Tables 1 and 2 (:mod:`benchmarks.plain_vs_fast`);
2. how forward + BPTT scale with T, H and the truncation k (:mod:`benchmarks.scaling`);
3. the book: clean build, unchanged rebuild, each chapter's execution (:mod:`benchmarks.book`).

Each table is printed and written as CSV to ``benchmarks/results/``. Timing and memory come from
:mod:`rnnbook.measure`, the harness the book uses.
"""
