"""``python -m benchmarks``: measure, print the three tables, write them as CSV."""

from __future__ import annotations

import argparse
import platform
import sys
import time

import numpy as np

from benchmarks import book, gated_vs_torch, language_model, plain_vs_fast, scaling, vs_torch
from benchmarks._common import RESULTS, Table, import_torch, set_threads


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="rnnbook's benchmarks: Table 1 rnnbook vs torch.nn.RNN, Table 1b the "
                    "plain code vs the fast path, Table 1c the LSTM and GRU vs PyTorch's, "
                    "Table 2 scaling, Table 3 the book build, Table 4 the language model's "
                    "training step against min-char-rnn. "
                    f"Tables are printed and written as CSV to {RESULTS}.")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run in seconds: tiny sizes, few repeats, no book build")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for numpy's BLAS and for PyTorch alike (default 1: "
                             "reproducible on a shared machine, and no idle BLAS or OpenMP "
                             "threads spinning while the other library runs)")
    parser.add_argument("--tables", default="1,1b,1c,2,3,4",
                        help="which tables to run, e.g. 1,1b (default 1,1b,1c,2,3,4)")
    parser.add_argument("--no-csv", action="store_true", help="print only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    wanted = {s.strip() for s in args.tables.split(",")}
    torch = import_torch()
    threads, restore_threads = set_threads(args.threads, torch)
    if args.threads > 1:
        threads += (" (with more than one thread, the idle threads of one library spin while "
                    "the other runs and are counted in CPU time; on a loaded machine, "
                    "oversubscribed threads make every time erratic)")
    print(f"rnnbook benchmarks{' (--quick)' if args.quick else ''}: Python "
          f"{platform.python_version()}, numpy {np.__version__}, torch "
          f"{torch.__version__ if torch is not None else 'not installed'}; {threads}\n")
    started = time.perf_counter()
    tables: list[Table] = []

    def show(t: Table) -> None:
        tables.append(t)
        print(t.render() + "\n", flush=True)
        if not args.no_csv:
            t.write_csv()

    if "1" in wanted:
        if args.quick:
            show(vs_torch.table(torch, sizes=((20, 4, 3, 8), (50, 1, 2, 4)), repeats=3,
                                budget=0.0, threads_note=threads))
        else:
            show(vs_torch.table(torch, threads_note=threads))
    if "1b" in wanted:
        if args.quick:
            show(plain_vs_fast.table(scaling.Sizes.quick(), ((20, 4, 3, 8), (50, 1, 2, 4)),
                                     repeats=3, budget=0.0))
        else:
            show(plain_vs_fast.table())
    if "1c" in wanted:
        if args.quick:
            show(gated_vs_torch.table(torch, sizes=((20, 4, 3, 8), (50, 1, 2, 4)), repeats=3,
                                      budget=0.0, threads_note=threads))
        else:
            show(gated_vs_torch.table(torch, threads_note=threads))
    if "2" in wanted:
        for t in scaling.tables(scaling.Sizes.quick() if args.quick else scaling.Sizes()):
            show(t)
    if "4" in wanted:
        show(language_model.table(repeats=3, budget=0.0) if args.quick
             else language_model.table())
    if "3" in wanted:
        show(book.skipped("--quick (the book build takes a minute or more)") if args.quick
             else book.table())
    restore_threads()
    print(f"{len(tables)} tables in {time.perf_counter() - started:.0f} s"
          + ("" if args.no_csv else f"; CSV files in {RESULTS}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
