"""Benchmark of the core (issue 2): the bundled cases repeated to a corpus, printed in one run.

    python bench/bench_core.py [--repeat 10] [--baseline-n 40]

Prints cases/s for plain ``clingo`` run as a separate process per case, a fresh
``clingo.Control`` per case, :meth:`pyreasoner.Reasoner.solve` case by case, and
``pyreasoner batch`` (one worker process; a chunk of cases is grounded at once).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pyreasoner import Reasoner  # noqa: E402
from pyreasoner.case import Case, case_from_data, find_case_files, load_case  # noqa: E402

from bench_batch import batch, fresh_control, machine, native_clingo, per_process  # noqa: E402


def _doc(case: Case, i: int) -> dict[str, object]:
    facts: dict[str, list[str]] = {}
    for f in case.facts:
        facts.setdefault(f.status, []).append(f.atom)
    return {"id": f"{case.id}-{i}", "facts": facts}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=10, help="times the bundled corpus is repeated")
    ap.add_argument("--baseline-n", type=int, default=40, help="cases for the process-per-case baseline")
    args = ap.parse_args()
    print("machine:", machine())
    reasoner = Reasoner()
    cases = [load_case(p, reasoner.vocabulary) for p in find_case_files([ROOT / "cases"])]
    docs = [_doc(c, i) for i in range(args.repeat) for c in cases]
    print(f"corpus: {len(cases)} bundled cases x {args.repeat} = {len(docs)} cases")
    # per_process and fresh_control take cases (since bench_batch measures the native clingo)
    repeated = [case_from_data(d, reasoner.vocabulary, file="<bench>") for d in docs]
    native = native_clingo()
    pp = per_process(reasoner, repeated[:args.baseline_n], native[0]) if native else None
    print(f"clingo, one process per case:   {pp:8.1f} cases/s  (first {args.baseline_n} cases)" if pp else
          "clingo, one process per case:   native clingo not found, skipped (e.g. apt-get install gringo)")
    fc, _ = fresh_control(reasoner, repeated)
    print(f"clingo, fresh Control per case: {fc:8.1f} cases/s")
    t0 = time.perf_counter()
    for c in [c for _ in range(args.repeat) for c in cases]:
        reasoner.solve(c)
    rs = len(docs) / (time.perf_counter() - t0)
    print(f"pyreasoner Reasoner.solve:      {rs:8.1f} cases/s  ("
          + (f"{rs / pp:.1f}x per-process, " if pp else "") + f"{rs / fc:.2f}x fresh Control)")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        one, _, _ = batch(corpus, Path(tmp) / "out.jsonl", 1)
    print(f"pyreasoner batch, 1 worker:     {one:8.1f} cases/s  ("
          + (f"{one / pp:.1f}x per-process, " if pp else "") + f"{one / fc:.2f}x fresh Control)")


if __name__ == "__main__":
    main()
