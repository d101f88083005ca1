"""``pyreasoner batch``: :func:`pyreasoner.batch.run_batch` over a folder or a JSON Lines
file, with the summary line and the interruption notice on standard error."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from ..batch import CHUNK_SIZE, EXIT_ERROR_RECORDS, MAX_TIMEOUT, MEMORY_MB, RECYCLE, BatchConfig, run_batch
from ..errors import UsageError
from ..query import Query
from ._common import add_solving_options, make_rulebase

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner batch``."""
    p = sub.add_parser("batch", help="solve a corpus of cases into a JSON Lines file of results",
                       description="Solve every case of a folder or a JSON Lines file; one record per case, "
                              "in input order, byte-identical for every number of workers and after --resume.")
    p.add_argument("input", metavar="INPUT", help="a folder of case files, a .jsonl file of case documents, or '-': "
                   "JSON Lines on standard input (e.g. from pyreasoner generate; no --resume)")
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
    p.add_argument("--overwrite", action="store_true",
                   help="replace an --out that holds an unfinished batch's records or is not a batch's output "
                        "(a finished batch's output is replaced without it)")
    p.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, metavar="N",
                   help=f"cases grounded together (default {CHUNK_SIZE})")
    p.add_argument("--no-timings", action="store_true", help="do not write the OUT.timings sidecar")
    p.add_argument("--explain", action="store_true", help="attach explanations (derivation trees, relevance of "
                   "unknown facts) to every record; see docs/explain.md")
    p.set_defaults(run=run)


def _config(args: argparse.Namespace) -> BatchConfig:
    """The batch's options, after checking ``--view`` against the rule base's issues (a bad
    view is a usage error before any work). The rule base is read here and dropped on
    return: the workers read their own, and the main process, which lives for the whole
    batch, keeps none (7 MiB of its RSS once its heap is trimmed, measured)."""
    rulebase = make_rulebase(args)
    Query.of(rulebase.issues, args.view, include_rejected=args.include_rejected)
    return BatchConfig(encodings=str(rulebase.master), views=tuple(args.view), include_rejected=args.include_rejected,
                       explore=args.explore, timeout=args.timeout, explain=args.explain,
                       memory=args.max_memory or None)


def run(args: argparse.Namespace) -> int:
    if args.timeout is not None and not 0 < args.timeout <= MAX_TIMEOUT:  # nan fails both comparisons
        raise UsageError("--timeout", str(args.timeout), f"expected a number of seconds above 0 and at most "
                         f"{MAX_TIMEOUT:g}")
    if args.max_memory < 0:
        raise UsageError("--max-memory", str(args.max_memory), "expected megabytes >= 0 (0: no bound)")
    config = _config(args)  # the rule base it read is garbage now: the main process of a long batch stays small
    terminated: list[int] = []

    def on_term(signum: int, frame: object) -> None:  # SIGTERM (kill, a scheduler's stop): as Ctrl-C
        terminated.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term) if hasattr(signal, "SIGTERM") else None
    try:
        return _run(args, config, terminated)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace, config: BatchConfig, terminated: list[int]) -> int:
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
                stopped = "terminated" if terminated else "interrupted"
                print(f"\n{stopped}: nothing was written to standard output; run the command again", file=sys.stderr)
                return 143 if terminated else 130
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
                          overwrite=args.overwrite,
                          timings=not args.no_timings, progress=sys.stderr if sys.stderr.isatty() else None,
                          recycle=args.recycle)
    except KeyboardInterrupt:
        stopped = "terminated" if terminated else "interrupted"
        print(f"\n{stopped}: the complete records are kept in {args.out}; continue with the same command and "
              "--resume", file=sys.stderr)
        return 143 if terminated else 130
    by_kind = ", ".join(f"{n} {kind}" for kind, n in stats.kinds)
    print(f"{stats.cases} cases written to {args.out} ({stats.errors} error records" + (f": {by_kind}" if by_kind else "")
          + (f", {stats.skipped} kept from the previous run" if stats.skipped else "") + f") in {stats.seconds:.1f} s",
          file=sys.stderr)
    return EXIT_ERROR_RECORDS if stats.failures else 0
