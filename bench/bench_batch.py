"""Benchmark of batch runs (issue 6), all on one generated corpus, printed in one run.

    python bench/bench_batch.py [--n 6000] [--seed 1] [--rss 10000 100000] [--baseline-n 40] [--control-n 300]

Prints, for the same corpus (generated), and again for the bundled corpus:

- cases/s for the NATIVE ``clingo`` executable run as a separate process per case on
  the program ``pyreasoner program`` prints (the ``clingo`` found on PATH, e.g. Debian's
  ``gringo`` package; its path and version are printed; "not found, skipped" when there
  is none; measured on the first ``--baseline-n`` cases);
- cases/s for a fresh ``clingo.Control`` per case (load the encodings, add the
  case's facts, ground, solve: clingo alone, no pyreasoner; on the first
  ``--control-n`` cases), and for ``Reasoner.solve`` in a loop and
  ``Reasoner.solve_many`` on the same cases;
- cases/s for ``pyreasoner batch`` with 1, 2, ... workers (up to the cores) on the whole
  corpus (wall time of ``run_batch``: starting the workers, reading, validating,
  grounding, solving and writing records): the scaling curve;
- the share of a 1-worker batch's wall time spent outside clingo's ``ground`` and
  ``solve`` calls (summed from the timings sidecar: a chunk's ground time and its joint
  solve calls shared among its cases), with the time spent adding the facts to clingo's
  backend shown apart;
- peak RSS (main process and the largest worker) of ``pyreasoner batch
  --workers 2`` at each ``--rss`` corpus size.

The machine is printed first: the figures mean nothing without it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
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
from pyreasoner.case import Case, case_from_data, find_case_files, load_case  # noqa: E402
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
        kb = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        pass
    load = ", load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
    return (f"{cpu}, {os.cpu_count()} cores{mem}{load}; Python {platform.python_version()}, "
            f"clingo {clingo.__version__}, {platform.system()} {platform.release()}")


def native_clingo() -> tuple[str, str] | None:
    """The native ``clingo`` executable on PATH and its version line, or None (a Python
    entry point named clingo, which starts an interpreter per case, does not count)."""
    path = shutil.which("clingo")
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            if fh.read(2) == b"#!":
                return None  # a script (pip's entry point), not the binary
        version = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return path, version.splitlines()[0] if version else "?"


def per_process(reasoner: Reasoner, cases: list[Case], clingo_exe: str) -> float:
    """cases/s: one native ``clingo`` process per case."""
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, case in enumerate(cases):
            f = Path(tmp) / f"{i}.lp"
            f.write_text(reasoner.program(case), encoding="utf-8")
            files.append(f)
        t0 = time.perf_counter()
        for f in files:
            subprocess.run([clingo_exe, str(f), "0", "--project=show", "--outf=3", "--warn=none"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return len(files) / (time.perf_counter() - t0)


def fresh_control(reasoner: Reasoner, cases: list[Case]) -> tuple[float, float]:
    """cases/s with a fresh Control per case, and clingo's own ground+solve seconds."""
    texts = []
    for case in cases:
        lines = reasoner.program(case).splitlines()
        texts.append("\n".join(ln for ln in lines if not ln.startswith("#include")))
    master = str(reasoner.rulebase.master)
    inner = 0.0
    t0 = time.perf_counter()
    for text in texts:
        ctl = clingo.Control(["0", "--project=show", "--warn=none"])
        ctl.load(master)
        ctl.add("base", [], text)
        t1 = time.perf_counter()
        ctl.ground([("base", [])])
        # the callback returns the symbols, not None/bool, as it always has: clingo reads a
        # falsy return (an empty model) as "stop", which only an empty show would meet
        ctl.solve(on_model=lambda m: m.symbols(shown=True))  # type: ignore[arg-type, return-value]
        inner += time.perf_counter() - t1
    return len(texts) / (time.perf_counter() - t0), inner


def reasoner_loop(reasoner: Reasoner, cases: list[Case]) -> float:
    """cases/s of ``Reasoner.solve`` in a loop (what a notebook does)."""
    t0 = time.perf_counter()
    for case in cases:
        reasoner.solve(case)
    return len(cases) / (time.perf_counter() - t0)


def solve_many(reasoner: Reasoner, cases: list[Case]) -> float:
    """cases/s of ``Reasoner.solve_many`` (the chunk engine in this process)."""
    t0 = time.perf_counter()
    for _ in reasoner.solve_many(cases):
        pass
    return len(cases) / (time.perf_counter() - t0)


def batch(corpus: Path, out: Path, workers: int) -> tuple[float, dict[str, float], int]:
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


def peak_rss(corpus: Path, out: Path) -> tuple[float, float]:
    """Peak RSS (MiB) of the main process and of the largest worker of a 2-worker batch,
    in a fresh interpreter so that nothing else counts. The main process's peak is its
    VmHWM (``ru_maxrss`` would keep this bench's own peak: it survives fork and exec)."""
    code = (f"import resource, sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from pyreasoner.batch import run_batch\n"
            f"run_batch({str(corpus)!r}, {str(out)!r}, workers=2, timings=False)\n"
            "hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
            "print(hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    main_kb, child_kb = map(int, done.stdout.split())
    return main_kb / 1024, child_kb / 1024


def compare(label: str, reasoner: Reasoner, corpus: Path, cases: list[Case], tmp: Path, args: argparse.Namespace,
            native: tuple[str, str] | None) -> None:
    """Every path on one corpus, ratios measured in this run."""
    print(f"-- {label}: {len(cases)} cases, "
          f"{sum(len(c.facts) for c in cases) / len(cases):.0f} facts per case")
    some = cases[:args.control_n]
    pp = None
    if native is None:
        print("native clingo, one process per case:   not found, skipped (e.g. apt-get install gringo)")
    else:
        pp = per_process(reasoner, cases[:args.baseline_n], native[0])
        print(f"native clingo, one process per case:   {pp:8.1f} cases/s  (first {min(args.baseline_n, len(cases))} cases)")
    fc, fc_inner = fresh_control(reasoner, some)
    print(f"clingo, fresh Control per case:        {fc:8.1f} cases/s  (first {len(some)} cases)")
    loop = reasoner_loop(reasoner, some)
    print(f"Reasoner.solve in a loop:              {loop:8.1f} cases/s  ({loop / fc:.2f}x fresh Control; same cases)")
    many = solve_many(reasoner, some)
    print(f"Reasoner.solve_many:                   {many:8.1f} cases/s  ({many / fc:.2f}x fresh Control; same cases)")

    def vs(rate: float) -> str:
        return (f"{rate / pp:.1f}x native clingo, " if pp else "") + f"{rate / fc:.2f}x fresh Control"

    rates: dict[int, float] = {}
    for w in range(1, max(2, os.cpu_count() or 1) + 1):
        rate, sums, n = batch(corpus, tmp / f"{label}-{w}.jsonl", w)
        rates[w] = rate
        if w == 1:
            one_sums, one_n = sums, n
        same = (tmp / f"{label}-{w}.jsonl").read_bytes() == (tmp / f"{label}-1.jsonl").read_bytes()
        print(f"pyreasoner batch, {w} worker{'s' if w > 1 else ' '}:          {rate:8.1f} cases/s  ({vs(rate)}"
              + (f"; {rate / rates[1]:.2f}x one worker; output {'identical' if same else 'DIFFERENT'}" if w > 1 else "")
              + ")")
    print("scaling curve (workers: cases/s, x one worker): "
          + ", ".join(f"{w}: {r:.1f} ({r / rates[1]:.2f}x)" for w, r in rates.items()))
    wall = one_n / rates[1]
    inside = one_sums["ground"] + one_sums["solve"]
    print(f"time outside clingo's ground/solve calls (1 worker): {100 * (1 - inside / wall):.0f} % of wall time "
          f"(per case: wall {1000 * wall / one_n:.2f} ms = ground {1000 * one_sums['ground'] / one_n:.2f} + solve "
          f"{1000 * one_sums['solve'] / one_n:.2f} + adding facts to clingo {1000 * one_sums['input'] / one_n:.2f} "
          f"+ the rest; fresh Control: {100 * (1 - fc_inner / (len(some) / fc)):.0f} % outside)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=6000, help="cases in the throughput corpus")
    ap.add_argument("--baseline-n", type=int, default=40, help="cases for the process-per-case baseline")
    ap.add_argument("--control-n", type=int, default=300, help="cases for the fresh-Control baseline")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rss", type=int, nargs="*", default=[10_000, 100_000], help="corpus sizes for peak RSS")
    args = ap.parse_args()

    print("machine:", machine())
    native = native_clingo()
    print("native clingo:", f"{native[0]} ({native[1]})" if native else "not found, skipped")
    reasoner = Reasoner()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus.jsonl"
        write_corpus(reasoner.rulebase, corpus, n=args.n, seed=args.seed)
        docs = [json.loads(ln) for ln in corpus.read_text(encoding="utf-8").splitlines()]
        print(f"corpus: {args.n} generated cases (seed {args.seed}), "
              f"{sum(sum(len(v) for v in d['facts'].values()) for d in docs) / len(docs):.0f} facts per case")

        compare("generated", reasoner, corpus, [case_from_data(d, reasoner.vocabulary, file="<bench>") for d in docs],
                tmp, args, native)
        bundled = [load_case(f, reasoner.vocabulary) for f in find_case_files([ROOT / "cases"])]
        compare("bundled", reasoner, ROOT / "cases", bundled, tmp, args, native)
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
