"""Batch runs over case corpora: streaming, parallel, resumable, optionally on Dask.

``pyreasoner batch INPUT --out results.jsonl`` reads a folder of case files or a
JSON Lines file of cases (one case document per line) and writes one JSON record
per case, in input order. A record holds the case's answers (views and outcomes
with their basis) and the in-every-answer / in-some-answers split; a case that is
invalid, has no consistent answer, exceeds ``--timeout`` or breaks the solver gets
an error record instead, and the batch goes on.

Records carry no timings, so that the output is byte-identical between runs, for
every ``--workers N`` (0: in this process), for the Dask executor, and after a
``--resume``. Timings go to a sidecar file (``results.jsonl.timings``) keyed by the
record index.

Speed comes from grounding once and solving many: the cases of a chunk are grounded
together over the encodings rewritten so that every case-dependent atom carries the
case's index (one disjoint copy per case), and each case is solved by assumptions
(see :class:`ChunkSolver` and ``_engine.tag_program``). The results are those of
:meth:`pyreasoner.Reasoner.solve` on each case.

One job per module (import from this package, which re-exports what the rest of
pyreasoner, the tests and the benchmarks use):

- ``items``: the case stream (:func:`iter_items`: a folder or a JSON Lines file, in a fixed
  order, lazily) and its chunks.
- ``config``: :class:`BatchConfig`, the options every worker needs.
- ``memory``: the per-case memory bound (:func:`memory_bound`).
- ``records``: the record of a case (answers or error) and its timing line.
- ``solver``: :class:`ChunkSolver`, the per-chunk engine calls, and the workers' entry point
  :func:`solve_chunk`.
- ``ids``: the table of case ids already written (ids are unique within a batch).
- ``runfile``: the run file (``OUT.run``) and the resume point of an interrupted output.
- ``executors``: the local process pool's pieces and the Dask executor.
- ``runner``: :func:`run_batch`, the driver.

>>> import io, json
>>> from pyreasoner import Reasoner
>>> from pyreasoner.batch import BatchConfig, ChunkSolver
>>> line = json.dumps({"id": "demo", "facts": {"established": [
...     "party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)",
...     "sold(m, g, c)", "concerns_life_health(g)", "damage(c, g)"],
...     "refuted": ["reviewed_qualification(p, m)"]}})
>>> solver = ChunkSolver(BatchConfig(views=("b=joint",)), Reasoner())
>>> record, timing = solver.solve_chunk([(0, "line", line, "<doc>:1")])[0]
>>> json.loads(record)["in_all"]
['outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))']
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..reasoner import Reasoner
from .config import MAX_TIMEOUT, MEMORY_MB, BatchConfig
from .ids import _IdIndex as _IdIndex
from .items import JSONL_SUFFIXES, Item, iter_items
from .memory import memory_bound
from .records import ChunkOut, Timing
from .runfile import RUN_SUFFIX, RunHeader, run_header
from .runner import EXIT_ERROR_RECORDS, RECYCLE, BatchStats, run_batch
from .runner import _Progress as _Progress
from .solver import BIG_CASE_FACTS, ChunkSolver, solve_chunk

if TYPE_CHECKING:
    import argparse

__all__ = ["BIG_CASE_FACTS", "EXIT_ERROR_RECORDS", "JSONL_SUFFIXES", "MAX_TIMEOUT", "MEMORY_MB", "RECYCLE",
           "RUN_SUFFIX", "BatchConfig", "BatchStats", "ChunkOut", "ChunkSolver", "Item", "RunHeader", "Timing",
           "iter_items", "memory_bound", "run_batch", "run_header", "solve_chunk"]


# ------------------------------------------------------------------ CLI
def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner batch`` to the command line."""
    from ..cli import add_solving_options

    p = subparsers.add_parser("batch", help="solve a corpus of cases into a JSON Lines file of results",
                              description="Solve every case of a folder or a JSON Lines file; one record per case, "
                              "in input order, byte-identical for every number of workers and after --resume.")
    p.add_argument("input", metavar="INPUT", help="a folder of case files or a .jsonl file of case documents")
    p.add_argument("--out", required=True, metavar="FILE", help="the results file (JSON Lines; '-': standard output, "
                   "without the timings sidecar)")
    add_solving_options(p)
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS", help="time limit to solve one case")
    p.add_argument("--max-memory", type=int, default=MEMORY_MB, metavar="MB",
                   help=f"memory one case may take before it gets a 'memory' error record (default {MEMORY_MB}; "
                   "0: no bound)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores; 0 solves in this process)")
    p.add_argument("--recycle", type=int, default=RECYCLE, metavar="N",
                   help=f"cases a worker solves before a fresh one replaces it, keeping memory flat (default {RECYCLE}; "
                   "0: never)")
    p.add_argument("--executor", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --executor dask)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run into the same --out file")
    p.add_argument("--chunk-size", type=int, default=64, metavar="N", help="cases grounded together (default 64)")
    p.add_argument("--no-timings", action="store_true", help="do not write the OUT.timings sidecar")
    p.add_argument("--explain", action="store_true", help="attach explanations (derivation trees, relevance of "
                   "unknown facts) to every record; see docs/explain.md")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, reasoner: Reasoner) -> int:
    if args.timeout is not None and not 0 < args.timeout <= MAX_TIMEOUT:  # nan fails both comparisons
        raise UsageError("--timeout", str(args.timeout), f"expected a number of seconds above 0 and at most "
                         f"{MAX_TIMEOUT:g}")
    if args.max_memory < 0:
        raise UsageError("--max-memory", str(args.max_memory), "expected megabytes >= 0 (0: no bound)")
    reasoner._selection(args.view, args.include_rejected)  # a bad --view is a usage error before any work
    config = BatchConfig(encodings=str(reasoner.rulebase.master), views=tuple(args.view),
                         include_rejected=args.include_rejected, explore=args.explore, timeout=args.timeout,
                         explain=args.explain, memory=args.max_memory or None)
    if args.out == "-":  # the records to standard output (written to a file first: ids are checked by reading back)
        if args.resume:
            raise UsageError("--resume", "-", "cannot resume into standard output; give --out a file")
        import tempfile

        with tempfile.TemporaryDirectory(prefix="pyreasoner-batch-") as tmp:
            out = Path(tmp) / "results.jsonl"
            try:
                stats = run_batch(args.input, out, config=config, workers=args.workers, executor=args.executor,
                                  scheduler=args.scheduler, chunk_size=args.chunk_size, timings=False,
                                  progress=sys.stderr if sys.stderr.isatty() else None, recycle=args.recycle)
            except KeyboardInterrupt:
                print("\ninterrupted: nothing was written to standard output; run the command again", file=sys.stderr)
                return 130
            with out.open("rb") as fh:
                while block := fh.read(1 << 20):
                    sys.stdout.buffer.write(block)
            sys.stdout.flush()
        by_kind = ", ".join(f"{n} {kind}" for kind, n in stats.kinds)
        print(f"{stats.cases} cases written to standard output ({stats.errors} error records"
              + (f": {by_kind}" if by_kind else "") + f") in {stats.seconds:.1f} s", file=sys.stderr)
        return EXIT_ERROR_RECORDS if stats.failures else 0
    try:
        stats = run_batch(args.input, args.out, config=config, workers=args.workers, executor=args.executor,
                          scheduler=args.scheduler, resume=args.resume, chunk_size=args.chunk_size,
                          timings=not args.no_timings, progress=sys.stderr if sys.stderr.isatty() else None,
                          recycle=args.recycle)
    except KeyboardInterrupt:
        print(f"\ninterrupted: the complete records are kept in {args.out}; continue with the same command and "
              "--resume", file=sys.stderr)
        return 130
    by_kind = ", ".join(f"{n} {kind}" for kind, n in stats.kinds)
    print(f"{stats.cases} cases written to {args.out} ({stats.errors} error records" + (f": {by_kind}" if by_kind else "")
          + (f", {stats.skipped} kept from the previous run" if stats.skipped else "") + f") in {stats.seconds:.1f} s",
          file=sys.stderr)
    return EXIT_ERROR_RECORDS if stats.failures else 0
