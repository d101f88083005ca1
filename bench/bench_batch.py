"""Benchmark of batch runs (issue 6), all on one generated corpus, printed in one run.

    python bench/bench_batch.py [--n 6000] [--seed 1] [--rss 10000 100000] [--baseline-n 40] [--control-n 300]

Prints, for the same corpus:

- cases/s for plain ``clingo`` run as a separate process per case (``python -m
  clingo`` on the program ``pyreasoner program`` prints; measured on the first
  ``--baseline-n`` cases, the slowest baseline);
- cases/s for a fresh ``clingo.Control`` per case (load the encodings, add the
  case's facts, ground, solve: clingo alone, no pyreasoner; on the first
  ``--control-n`` cases);
- cases/s for ``pyreasoner batch`` with 1 and 2 workers on the whole corpus (wall
  time of ``run_batch``: starting the workers, reading, validating, grounding,
  solving and writing records);
- pyreasoner's wall time over clingo's own ground + solve time: the time spent in
  clingo's ``ground`` and ``solve`` calls, summed from the timings sidecar (a chunk's
  ground time shared among its cases), with the time spent adding the facts to
  clingo's backend shown apart;
- peak RSS (main process and the largest worker) of ``pyreasoner batch
  --workers 2`` at each ``--rss`` corpus size.

The machine is printed first: the figures mean nothing without it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import clingo  # noqa: E402  (the baseline talks to clingo directly, on purpose)

from pyreasoner import Reasoner  # noqa: E402
from pyreasoner.batch import BatchConfig, run_batch  # noqa: E402
from pyreasoner.case import case_from_data  # noqa: E402
from pyreasoner.generate import write_corpus  # noqa: E402


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        pass
    load = ", load %.1f %.1f %.1f" % os.getloadavg() if hasattr(os, "getloadavg") else ""
    return (f"{cpu}, {os.cpu_count()} cores{mem}{load}; Python {platform.python_version()}, "
            f"clingo {clingo.__version__}, {platform.system()} {platform.release()}")


def per_process(reasoner: Reasoner, docs: list[dict]) -> float:
    """cases/s: one ``python -m clingo`` process per case."""
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for d in docs:
            case = case_from_data(d, reasoner.vocabulary, file="<bench>")
            f = Path(tmp) / f"{d['id']}.lp"
            f.write_text(reasoner.program(case), encoding="utf-8")
            files.append(f)
        t0 = time.perf_counter()
        for f in files:
            subprocess.run([sys.executable, "-m", "clingo", str(f), "0", "--project=show", "--outf=3"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return len(files) / (time.perf_counter() - t0)


def fresh_control(reasoner: Reasoner, docs: list[dict]) -> tuple[float, float]:
    """cases/s with a fresh Control per case, and clingo's own ground+solve seconds."""
    texts = []
    for d in docs:
        case = case_from_data(d, reasoner.vocabulary, file="<bench>")
        lines = reasoner.program(case).splitlines()
        texts.append("\n".join(l for l in lines if not l.startswith("#include")))
    master = str(reasoner.rulebase.master)
    inner = 0.0
    t0 = time.perf_counter()
    for text in texts:
        ctl = clingo.Control(["0", "--project=show", "--warn=none"])
        ctl.load(master)
        ctl.add("base", [], text)
        t1 = time.perf_counter()
        ctl.ground([("base", [])])
        ctl.solve(on_model=lambda m: m.symbols(shown=True))
        inner += time.perf_counter() - t1
    return len(texts) / (time.perf_counter() - t0), inner


def batch(corpus: Path, out: Path, workers: int) -> tuple[float, dict, int]:
    """cases/s of pyreasoner batch (default chunk size), and the summed clingo times
    (input, ground, solve) from the sidecar."""
    t0 = time.perf_counter()
    stats = run_batch(corpus, out, config=BatchConfig(), workers=workers)
    wall = time.perf_counter() - t0
    sums = {"input": 0.0, "ground": 0.0, "solve": 0.0}
    with open(str(out) + ".timings", encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            for k in sums:
                sums[k] += t.get(k, 0.0)
    return stats.cases / wall, sums, stats.cases


def search_share(reasoner: Reasoner, docs: list[dict], n: int = 256) -> tuple[float, float]:
    """Seconds per case of the ``solve`` calls (our timer) and of the search inside them
    as clingo's statistics count it (``summary.times.solve``), on the first ``n`` cases
    grounded in chunks of 64 as the batch does."""
    from pyreasoner import _clingo
    from pyreasoner.batch import ChunkSolver

    solver = ChunkSolver(BatchConfig(), reasoner)
    cases = [case_from_data(d, reasoner.vocabulary, file="<bench>") for d in docs[:n]]
    calls = search = 0.0
    for start in range(0, len(cases), 64):
        chunk = cases[start:start + 64]
        ground = _clingo.ChunkGround(solver.tagged, [[(f.status, f.term, f.predicate) for f in c.facts]
                                                     for c in chunk], ["allow_rejected"])
        for k in range(len(chunk)):
            calls += ground.solve(k, solver.denied).solve_seconds
            search += ground._ctl.statistics["summary"]["times"]["solve"]
    return calls / len(cases), search / len(cases)


def peak_rss(corpus: Path, out: Path) -> tuple[float, float]:
    """Peak RSS (MiB) of the main process and of the largest worker of a 2-worker batch,
    in a fresh interpreter so that nothing else counts. The main process's peak is its
    VmHWM (``ru_maxrss`` would keep this bench's own peak: it survives fork and exec)."""
    code = ("import resource, sys; sys.path.insert(0, %r)\n"
            "from pyreasoner.batch import run_batch\n"
            "run_batch(%r, %r, workers=2, timings=False)\n"
            "hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
            "print(hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)") % (str(ROOT), str(corpus), str(out))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    main_kb, child_kb = map(int, done.stdout.split())
    return main_kb / 1024, child_kb / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=6000, help="cases in the throughput corpus")
    ap.add_argument("--baseline-n", type=int, default=40, help="cases for the process-per-case baseline")
    ap.add_argument("--control-n", type=int, default=300, help="cases for the fresh-Control baseline")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rss", type=int, nargs="*", default=[10_000, 100_000], help="corpus sizes for peak RSS")
    args = ap.parse_args()

    print("machine:", machine())
    reasoner = Reasoner()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        write_corpus(reasoner.rulebase, corpus, n=args.n, seed=args.seed)
        docs = [json.loads(l) for l in corpus.read_text(encoding="utf-8").splitlines()]
        print(f"corpus: {args.n} generated cases (seed {args.seed}), "
              f"{sum(sum(len(v) for v in d['facts'].values()) for d in docs) / len(docs):.0f} facts per case")

        pp = per_process(reasoner, docs[:args.baseline_n])
        print(f"clingo, one process per case:        {pp:8.1f} cases/s  (first {args.baseline_n} cases)")
        fc, fc_inner = fresh_control(reasoner, docs[:args.control_n])
        print(f"clingo, fresh Control per case:      {fc:8.1f} cases/s  (first {min(args.control_n, len(docs))} cases)")
        one, sums, n = batch(corpus, tmp / "one.jsonl", 1)
        print(f"pyreasoner batch, 1 worker:          {one:8.1f} cases/s  "
              f"({one / pp:.1f}x per-process, {one / fc:.2f}x fresh Control)")
        two, _, _ = batch(corpus, tmp / "two.jsonl", 2)
        same = (tmp / "one.jsonl").read_bytes() == (tmp / "two.jsonl").read_bytes()
        print(f"pyreasoner batch, 2 workers:         {two:8.1f} cases/s  ({two / one:.2f}x one worker; "
              f"output {'identical' if same else 'DIFFERENT'})")
        wall = n / one
        print(f"pyreasoner time / clingo's own ground+solve time (1 worker): {wall / (sums['ground'] + sums['solve']):.2f}")
        print(f"  (per case: wall {1000 * wall / n:.2f} ms = ground {1000 * sums['ground'] / n:.2f} + solve "
              f"{1000 * sums['solve'] / n:.2f} + adding facts to clingo {1000 * sums['input'] / n:.2f} + the rest; "
              f"fresh Control baseline: wall / ground+solve = {(min(args.control_n, len(docs)) / fc) / fc_inner:.2f})")
        calls, search = search_share(reasoner, docs)
        print(f"  (clingo's statistics count {1000 * search:.2f} ms of search (summary.times.solve) in the "
              f"{1000 * calls:.2f} ms of each solve call; they have no grounding time. With that search time in place "
              f"of the solve calls the ratio would be {wall / (sums['ground'] + search * n):.2f})")
        for size in args.rss:
            big = tmp / f"rss{size}.jsonl"
            write_corpus(reasoner.rulebase, big, n=size, seed=args.seed)
            t0 = time.perf_counter()
            main_mb, worker_mb = peak_rss(big, tmp / f"rss{size}.out.jsonl")
            print(f"peak RSS at {size} cases (2 workers): main {main_mb:.0f} MiB, largest worker {worker_mb:.0f} MiB "
                  f"({size / (time.perf_counter() - t0):.1f} cases/s)")
            big.unlink()


if __name__ == "__main__":
    main()
