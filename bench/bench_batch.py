"""Benchmark of batch runs (issue 6), all on one generated corpus, printed in one run.

    python bench/bench_batch.py [--n 6000 | --corpus FILE.jsonl] [--seed 1] [--baseline-n 40] [--control-n 300]
    python bench/bench_batch.py --rss [10000 100000] [--stream 1000000] [--base FILE.jsonl] [--recycle N] [--every S]

Prints, for the same corpus (generated), and again for the bundled corpus:

- cases/s for the NATIVE ``clingo`` executable run as a separate process per case on
  the program ``pyreasoner program`` prints (the ``clingo`` found on PATH, e.g. Debian's
  ``gringo`` package; its path and version are printed; "not found, skipped" when there
  is none; measured on the first ``--baseline-n`` cases);
- cases/s for a fresh ``clingo.Control`` per case (load the encodings, add the
  case's facts, ground, solve: clingo alone, no pyreasoner; on the first
  ``--control-n`` cases), and for ``Reasoner.solve`` in a loop and
  ``Reasoner.solve_many`` on the same cases (``solve_many`` after the one-time rewrite of
  the encodings that the first call of a ``Reasoner`` makes, whose seconds are printed
  with the rate it gives on these cases when counted in: some 0.5 s when it is made, some
  0.05 s when it is read back from pyreasoner's cache folder, printed at the top, which a
  run before this one filled; ``PYREASONER_CACHE_DIR=off`` turns it off); each of these in a fresh
  process (see :func:`fresh`), as the batch's workers are;
- cases/s for ``pyreasoner batch`` with 1, 2, ... workers (up to the cores) on the whole
  corpus (wall time of ``run_batch``: starting the workers, reading, validating,
  grounding, solving and writing records): the scaling curve;
- the share of a 1-worker batch's wall time spent outside clingo's ``ground`` and
  ``solve`` calls (summed from the timings sidecar: a chunk's ground time and its joint
  solve calls shared among its cases), with the time spent adding the facts to clingo's
  backend, the Python of each case (its result and record) and the time outside any case
  (reading and checking the cases, each chunk's control built and freed, the worker's
  start, passing chunks between processes) shown apart;
- for the fifth of the generated corpus with the most facts, one worker's batch against
  a fresh Control per case on the same cases;

The two baselines (the native binary, a fresh Control) are measured before the batches and
again after them, and the batches' ratios are against both (their harmonic mean: all the
cases over all the time; each figure is printed): on a shared machine a baseline moved by a
fifth between runs of one hour, and one measured only before the batches would count that
drift as the batch's speed, either way. ``solve_many`` is compared with the fresh Control
measured just before it, ``Reasoner.solve`` with one run case by case in turn with it.

With ``--rss`` (sizes; 10^4 and 10^5 when none are given) and/or ``--stream N`` it measures
memory instead: the RSS of the whole process tree of ``pyreasoner batch - --workers 2``
(main process, workers, multiprocessing's helpers), summed over the tree and sampled
every 0.2 s (``--every``), at each size, with what explains its peak at each tenth of the
cases fed and at the end: the peak of each role (main, fork server, resource tracker, the
largest worker), so far and since the last tenth; the tree at the moment of its peak (each
process with its role); the most workers alive at once, and the tree's peak among the
samples with 0, 1, 2, ... workers alive; the peaks of the workers gone since the last tenth
(a worker's RSS over its life). The cases are streamed into the batch's standard input, never
written to a file: the documents of a base corpus (``--base FILE``, else ``--n`` cases
generated) over and over, each pass with new case ids (``ID-rP``) and, the base being no
multiple of the chunk size (an odd number of cases), each case at another slot of its chunk (so its atoms are new
symbols to clingo). The records go to ``/dev/null`` (through a symbolic link: a 10^5
run's records are gigabytes). Not for CI: 10^5 cases take minutes, 10^6 hours.

The machine is printed first: the figures mean nothing without it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple, TypeVar, cast

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
sys.path.insert(0, str(ROOT))

import clingo  # noqa: E402  (the baseline talks to clingo directly, on purpose)
from pyreasoner import Reasoner, cache  # noqa: E402
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
        del ctl  # freed inside the timing, as Reasoner.solve's control is
    return len(texts) / (time.perf_counter() - t0), inner


def reasoner_loop(reasoner: Reasoner, cases: list[Case]) -> float:
    """cases/s of ``Reasoner.solve`` in a loop (what a notebook does)."""
    t0 = time.perf_counter()
    for case in cases:
        reasoner.solve(case)
    return len(cases) / (time.perf_counter() - t0)


def control_and_loop(reasoner: Reasoner, cases: list[Case]) -> tuple[float, float, float]:
    """:func:`fresh_control` and :func:`reasoner_loop` case by case in turn (the fresh
    Control on a case, then ``Reasoner.solve`` on it, then the next case), so that the
    ratio of the two meets the same machine: run one after the other, on a shared
    machine, they differed by up to a third between runs. Returns the fresh Control's
    cases/s, its ground+solve seconds, and ``Reasoner.solve``'s cases/s."""
    fc = inner = loop = 0.0
    for case in cases:
        rate, case_inner = fresh_control(reasoner, [case])
        fc += 1 / rate
        inner += case_inner
        loop += 1 / reasoner_loop(reasoner, [case])
    return len(cases) / fc, inner, len(cases) / loop


def solve_many(reasoner: Reasoner, cases: list[Case]) -> tuple[float, float]:
    """cases/s of ``Reasoner.solve_many`` (the chunk engine in this process), after the
    rewrite of the encodings its first call makes (once per Reasoner), and that rewrite's
    seconds."""
    t0 = time.perf_counter()
    reasoner._tagged()  # what the first solve_many of a Reasoner does first
    rewrite = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in reasoner.solve_many(cases):
        pass
    return len(cases) / (time.perf_counter() - t0), rewrite


def _fresh_run(measure: Callable[[Reasoner, list[Case]], T], cases: list[Case]) -> T:
    """In a fresh process: ``measure`` (a measuring function of this module) on ``cases``
    with a new ``Reasoner``."""
    return measure(Reasoner(), cases)


def fresh(measure: Callable[[Reasoner, list[Case]], T], cases: list[Case]) -> T:
    """``measure(Reasoner(), cases)`` in a fresh interpreter (``spawn``): a process that has
    already solved cases is slower at the next ones, clingo's fresh Control too (on 60
    bundled cases: 24.7 cases/s first, 13.4 after ``solve_many`` on 100 generated cases, in
    one process, 2026-12-06; clingo keeps every symbol it made and the C heap is left
    fragmented), so each in-process measurement starts from the same clean state, as each
    worker of a batch does."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_fresh_run, measure, cases).result()


def batch(corpus: Path, out: Path, workers: int) -> tuple[float, dict[str, float], int]:
    """cases/s of pyreasoner batch (default chunk size), and the summed clingo times
    (input, ground, solve) from the sidecar."""
    t0 = time.perf_counter()
    stats = run_batch(corpus, out, config=BatchConfig(), workers=workers)
    wall = time.perf_counter() - t0
    sums = {"input": 0.0, "ground": 0.0, "solve": 0.0, "seconds": 0.0}
    with open(str(out) + ".timings", encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            for k in sums:
                sums[k] += t.get(k, 0.0)
    return stats.cases / wall, sums, stats.cases


def stream_docs(base: list[str], n: int) -> Iterator[bytes]:
    """``n`` case documents (JSON Lines) from the ``base`` documents, cycled: pass P >= 1
    renames each case id ``ID`` to ``ID-rP`` (ids are unique within a batch)."""
    docs = [json.loads(line) for line in base]
    for i in range(n):
        p, doc = divmod(i, len(docs))
        d = docs[doc]
        yield (json.dumps(d if p == 0 else {**d, "id": f"{d['id']}-r{p}"}, ensure_ascii=False) + "\n").encode("utf-8")


class _Proc(NamedTuple):
    """One process of the tree at one sample."""

    rss: int  # KiB (0: gone, or a zombie)
    ppid: int
    name: str


def _tree(root: int) -> dict[int, _Proc]:
    """The processes under ``root`` (itself included), parents before their children."""
    children: dict[int, list[int]] = {}
    procs: dict[int, tuple[int, str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        children.setdefault(int(rest[1]), []).append(int(entry))
        procs[int(entry)] = (int(rest[1]), name)
    out: dict[int, _Proc] = {}
    todo = [root]
    while todo:
        pid = todo.pop(0)
        try:
            rss = next(int(ln.split()[1]) for ln in Path(f"/proc/{pid}/status").read_text().splitlines()
                       if ln.startswith("VmRSS:"))
        except (OSError, StopIteration):  # gone, or a zombie (no VmRSS)
            rss = 0
        ppid, name = procs.get(pid, (0, "?"))
        out[pid] = _Proc(rss, ppid, name)
        todo += children.get(pid, [])
    return out


def _tree_pss(root: int) -> tuple[int, int, int]:
    """The tree under ``root`` now, from ``/proc/PID/smaps_rollup``: its summed RSS and its
    PSS in KiB (each shared page split among the processes that map it: the fork server's
    pages its workers still share, the libraries every process maps, counted once), and
    the number of processes read. Both sums from the same reads, so they describe one
    moment (a sample of :class:`TreeRss` is another: a worker may be replaced in between).
    A walk of each process's page tables: read at each tenth of the cases fed, not sampled."""
    rss = pss = n = 0
    for pid in _tree(root):
        with contextlib.suppress(OSError):
            fields = dict(ln.split(":", 1) for ln in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
                          if ln.startswith(("Rss:", "Pss:")))
            if len(fields) == 2:
                rss += int(fields["Rss"].split()[0])
                pss += int(fields["Pss"].split()[0])
                n += 1
    return rss, pss, n


#: The roles of the batch's processes, in the order they are printed.
ROLES = ("main", "fork server", "resource tracker", "worker", "other")


def _role(pid: int, proc: _Proc, root: int, roles: dict[int, str]) -> str:
    """What process ``pid`` of the batch's tree is: the main process (``root``), the fork
    server or the resource tracker (children of the main process, by their command line),
    a worker (a child of the fork server; with ``spawn``, any other child of the main
    process), or other. ``roles`` holds the roles already known (the parent's included)."""
    if pid == root:
        return "main"
    if proc.ppid == root:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            cmdline = b""
        if b"multiprocessing.forkserver" in cmdline:
            return "fork server"
        if b"multiprocessing.resource_tracker" in cmdline:
            return "resource tracker"
        return "worker"
    return "worker" if roles.get(proc.ppid) == "fork server" else "other"


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f}"


class TreeRss:
    """The RSS of a process tree, summed, sampled every ``every`` seconds in a thread; and
    what explains its peak: the peak of each role (:data:`ROLES`), the most workers alive
    at once, the tree at the moment of its peak (each process with its role), the peak of
    the tree among the samples with each number of workers alive, and each worker's peak
    (:meth:`report`)."""

    def __init__(self, root: int, every: float = 0.2) -> None:
        self.root, self.every = root, every
        self.t0 = time.perf_counter()
        self.peak = 0  # KiB, the tree's sum
        self.peak_at = 0.0  # seconds into the run
        self.peak_tree: list[tuple[str, int, int]] = []  # (role, pid, RSS KiB) at the peak
        self.role_peak = dict.fromkeys(ROLES, 0)  # KiB: the largest process of each role
        self.window_peak = dict.fromkeys(ROLES + ("tree",), 0)  # the same since the last report, and the tree's
        self.by_workers: dict[int, list[int]] = {}  # workers alive -> [samples, tree peak KiB]
        self.most_workers = 0
        self.processes: set[int] = set()
        self.samples: list[tuple[float, int]] = []  # (time, sum) of every sample
        self.worker_peak: dict[int, int] = {}  # the live workers' peaks so far (KiB)
        self.ended: list[int] = []  # the peaks of the workers gone since the last report
        self.workers_ended = 0
        self._roles: dict[int, str] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.every)

    def _sample(self) -> None:
        tree = _tree(self.root)
        roles: dict[int, str] = {}
        for pid, proc in tree.items():  # parents first
            roles[pid] = self._roles.get(pid) or _role(pid, proc, self.root, roles)
        self._roles = roles  # forget the processes gone (their pids may come back)
        total = sum(proc.rss for proc in tree.values())
        live = {pid: proc.rss for pid, proc in tree.items() if roles[pid] == "worker" and proc.rss}
        with self._lock:
            self.samples.append((time.perf_counter(), total))
            self.processes |= set(tree) - {self.root}
            for pid, proc in tree.items():
                self.role_peak[roles[pid]] = max(self.role_peak[roles[pid]], proc.rss)
                self.window_peak[roles[pid]] = max(self.window_peak[roles[pid]], proc.rss)
            self.window_peak["tree"] = max(self.window_peak["tree"], total)
            seen = self.by_workers.setdefault(len(live), [0, 0])
            seen[0] += 1
            seen[1] = max(seen[1], total)
            self.most_workers = max(self.most_workers, len(live))
            if total > self.peak:
                self.peak, self.peak_at = total, time.perf_counter() - self.t0
                self.peak_tree = [(roles[pid], pid, proc.rss) for pid, proc in tree.items() if proc.rss]
            for pid in set(self.worker_peak) - set(live):
                self.ended.append(self.worker_peak.pop(pid))
                self.workers_ended += 1
            for pid, rss in live.items():
                self.worker_peak[pid] = max(self.worker_peak.get(pid, 0), rss)

    def report(self, indent: str = "    ") -> str:
        """What explains the peak so far (MiB); the peaks of the tree and of each role since
        the last report (flat or growing over the run), and of the workers gone since then
        (a worker's RSS over its life: bounded by ``--recycle`` or growing)."""
        with self._lock:
            ended, self.ended = self.ended, []
            window, self.window_peak = self.window_peak, dict.fromkeys(self.window_peak, 0)
            roles = ", ".join(f"{role} {_mib(self.role_peak[role])}" for role in ROLES
                              if self.role_peak[role] or role in ("main", "worker"))
            recent = ", ".join(f"{role} {_mib(window[role])}" for role in ("tree",) + ROLES
                               if window[role] or role in ("main", "worker"))
            at_peak = ", ".join(f"{role} {_mib(rss)}" for role, _, rss in
                                sorted(self.peak_tree, key=lambda p: (ROLES.index(p[0]), -p[2])))
            by = "; ".join(f"{n} alive: {_mib(peak)} MiB in {count} samples"
                           for n, (count, peak) in sorted(self.by_workers.items()))
            lines = [f"peak of each role (the largest process of each): {roles}; since the last report: {recent}",
                     f"at the tree's peak ({_mib(self.peak)} MiB, {self.peak_at:.0f} s into the run): {at_peak}",
                     f"most workers alive at once: {self.most_workers}; the tree's peak among the samples with "
                     f"n workers alive: {by}"]
            if ended:
                ended.sort()
                lines.append(f"workers gone since the last report: {len(ended)} ({self.workers_ended} in all), "
                             f"their peaks {_mib(ended[0])}-{_mib(ended[-1])} MiB (median "
                             f"{_mib(ended[len(ended) // 2])})")
        return "\n".join(indent + line for line in lines)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def tree_rss(base: list[str], n: int, tmp: Path, workers: int = 2,
             extra: tuple[str, ...] = (), every: float = 0.2) -> tuple[TreeRss, float, int]:
    """Stream ``n`` cases (:func:`stream_docs`) into ``pyreasoner batch - --workers 2``, records
    to /dev/null; the tree RSS sampled every ``every`` seconds (what explains its peak printed
    at each tenth of the cases fed), the wall time and the exit status."""
    out = tmp / f"stream{n}.jsonl"
    out.unlink(missing_ok=True)
    out.symlink_to(os.devnull)
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    t0 = time.perf_counter()
    err_file = (tmp / "stderr.txt").open("w+b")  # not a pipe: nobody reads it while the batch runs
    proc = subprocess.Popen([sys.executable, "-m", "pyreasoner", "batch", "-", "--out", str(out), "--workers",
                             str(workers), "--no-timings", *extra], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=err_file, env=env, cwd=tmp)
    sampler = TreeRss(proc.pid, every)
    assert proc.stdin is not None
    step = max(n // 10, 1)
    try:
        for i, line in enumerate(stream_docs(base, n), 1):
            proc.stdin.write(line)
            if i % step == 0:  # the batch is at most a pipe's and a few chunks' worth of cases behind
                rss, pss, count = _tree_pss(proc.pid)
                print(f"  {i:>9} cases fed: tree now {sampler.samples[-1][1] // 1024 if sampler.samples else 0} MiB "
                      f"(read again from smaps_rollup: RSS {rss // 1024} MiB, PSS {pss // 1024} MiB, {count} processes), "
                      f"peak so far {sampler.peak // 1024} MiB\n{sampler.report()}", flush=True)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    status = proc.wait()
    sampler.stop()
    err_file.seek(0)
    err = err_file.read().decode("utf-8", "replace")
    err_file.close()
    if status not in (0, 3):
        print(f"  pyreasoner batch failed ({status}): {err.strip()[-500:]}")
    return sampler, time.perf_counter() - t0, status


def memory(args: argparse.Namespace, reasoner: Reasoner, tmp: Path) -> None:
    """Tree RSS at each size (``--rss``, ``--stream``), streamed from a base corpus."""
    if args.base:
        base = [ln for ln in Path(args.base).read_text(encoding="utf-8").splitlines() if ln.strip()]
        label = f"{args.base} ({len(base)} cases)"
    else:
        corpus = tmp / "base.jsonl"
        write_corpus(reasoner.rulebase, corpus, n=args.n, seed=args.seed)
        base = corpus.read_text(encoding="utf-8").splitlines()
        label = f"{len(base)} generated cases (seed {args.seed})"
    if len(base) % 2 == 0 and len(base) > 1:  # odd: each pass puts each case at another slot of its chunk
        base = base[:-1]
    print(f"memory: cases streamed from {label}, cycled with new ids; records to /dev/null; "
          f"--recycle {args.recycle if args.recycle is not None else 'default'}")
    for size in sorted(set((args.rss or []) + ([args.stream] if args.stream else []))):
        load = "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        sampler, wall, _ = tree_rss(base, size, tmp, extra=("--recycle", str(args.recycle)) if args.recycle is not None
                                    else (), every=args.every)
        print(f"tree RSS at {size} cases (2 workers): peak {sampler.peak / 1024:.0f} MiB "
              f"({sampler.peak * 1024 / 1e6:.0f} MB; {len(sampler.samples)} samples, one every {args.every:g} s; "
              f"{len(sampler.processes)} processes over the run; {size / wall:.1f} cases/s; {load} at the start)\n"
              + sampler.report(), flush=True)


def _both(before: float, after: float) -> float:
    """A baseline's rate over both its measurements (the same cases before and after the
    batches): the harmonic mean, i.e. all the cases over all the time."""
    return 2 / (1 / before + 1 / after)


def compare(label: str, reasoner: Reasoner, corpus: Path, cases: list[Case], tmp: Path, args: argparse.Namespace,
            native: tuple[str, str] | None) -> None:
    """Every path on one corpus, ratios measured in this run. The batches' ratios are against
    the baselines measured before the batches and again after them (both together): a shared
    machine drifts over a run (the same baseline moved by a fifth between runs of one hour), and
    a baseline measured only before the batches would take that drift for the batch's speed.
    ``solve_many`` is measured in a fresh process just after the fresh Control before the
    batches, and compared with it; ``Reasoner.solve`` with a fresh Control run case by case in
    turn with it (:func:`control_and_loop`). Each fresh Control is measured in a fresh process
    of its own (:func:`fresh`)."""
    print(f"-- {label}: {len(cases)} cases, "
          f"{sum(len(c.facts) for c in cases) / len(cases):.0f} facts per case")
    some = cases[:args.control_n]
    first = cases[:args.baseline_n]
    pp_before = per_process(reasoner, first, native[0]) if native is not None else None
    fc_before, fc_inner = fresh(fresh_control, some)
    many, rewrite = fresh(solve_many, some)
    fc_turn, _, loop = fresh(control_and_loop, some)
    rates: dict[int, float] = {}
    same: dict[int, bool] = {}
    for w in range(1, max(2, os.cpu_count() or 1) + 1):
        rate, sums, n = batch(corpus, tmp / f"{label}-{w}.jsonl", w)
        rates[w] = rate
        if w == 1:
            one_sums, one_n = sums, n
        same[w] = (tmp / f"{label}-{w}.jsonl").read_bytes() == (tmp / f"{label}-1.jsonl").read_bytes()
    pp_after = per_process(reasoner, first, native[0]) if native is not None else None
    fc_after, _ = fresh(fresh_control, some)
    fc = _both(fc_before, fc_after)
    pp = _both(pp_before, pp_after) if pp_before is not None and pp_after is not None else None
    if pp is None:
        print("native clingo, one process per case:   not found, skipped (e.g. apt-get install gringo)")
    else:
        print(f"native clingo, one process per case:   {pp:8.1f} cases/s  (first {len(first)} cases; "
              f"{pp_before:.1f} before the batches, {pp_after:.1f} after)")
    print(f"clingo, fresh Control per case:        {fc:8.1f} cases/s  (first {len(some)} cases; {fc_before:.1f} "
          f"before the batches, {fc_after:.1f} after)")
    print(f"Reasoner.solve in a loop:              {loop:8.1f} cases/s  ({loop / fc_turn:.2f}x a fresh Control run case "
          f"by case in turn with it, {fc_turn:.1f} cases/s)")
    print(f"Reasoner.solve_many:                   {many:8.1f} cases/s  ({many / fc_before:.2f}x the fresh Control "
          f"before the batches; same cases; after the one-time rewrite of the encodings, {rewrite:.2f} s per Reasoner: "
          f"with it {len(some) / (len(some) / many + rewrite):.1f} cases/s on these {len(some)} cases)")

    def vs(rate: float) -> str:
        return (f"{rate / pp:.1f}x native clingo, " if pp else "") + f"{rate / fc:.2f}x fresh Control"

    for w, rate in rates.items():
        print(f"pyreasoner batch, {w} worker{'s' if w > 1 else ' '}:          {rate:8.1f} cases/s  ({vs(rate)}"
              + (f"; {rate / rates[1]:.2f}x one worker; output {'identical' if same[w] else 'DIFFERENT'}" if w > 1 else "")
              + ")")
    print("scaling curve (workers: cases/s, x one worker): "
          + ", ".join(f"{w}: {r:.1f} ({r / rates[1]:.2f}x)" for w, r in rates.items()))
    wall = one_n / rates[1]
    inside = one_sums["ground"] + one_sums["solve"]
    print(f"time outside clingo's ground/solve calls (1 worker): {100 * (1 - inside / wall):.0f} % of wall time "
          f"(per case: wall {1000 * wall / one_n:.2f} ms = ground {1000 * one_sums['ground'] / one_n:.2f} + solve "
          f"{1000 * one_sums['solve'] / one_n:.2f} + adding facts to clingo {1000 * one_sums['input'] / one_n:.2f} "
          f"+ Python on each case (results, records) "
          f"{1000 * (one_sums['seconds'] - inside - one_sums['input']) / one_n:.2f} "
          f"+ outside any case (reading and checking cases, building and freeing each chunk's control, starting "
          f"the worker, passing chunks) {1000 * (wall - one_sums['seconds']) / one_n:.2f}; "
          f"fresh Control: {100 * (1 - fc_inner / (len(some) / fc_before)):.0f} % outside)")


def largest(reasoner: Reasoner, docs: list[dict[str, object]], tmp: Path, args: argparse.Namespace) -> None:
    """The bucket of the largest generated cases (the fifth with the most facts): one
    worker's batch against a fresh Control per case on the same cases (issue 17: at least 5x)."""
    sized = sorted(docs, key=lambda d: sum(len(v) for v in cast(dict[str, list[object]], d["facts"]).values()))
    bucket = sized[len(sized) - max(1, len(sized) // 5):]
    corpus = tmp / "largest.jsonl"
    corpus.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in bucket), encoding="utf-8")
    cases = [case_from_data(d, reasoner.vocabulary, file="<bench>") for d in bucket]
    facts = [len(c.facts) for c in cases]
    fc_before, _ = fresh(fresh_control, cases[:args.control_n])
    rate, _, _ = batch(corpus, tmp / "largest-out.jsonl", 1)
    fc_after, _ = fresh(fresh_control, cases[:args.control_n])
    fc = _both(fc_before, fc_after)
    print(f"-- largest generated cases: {len(cases)} cases of {min(facts)}-{max(facts)} facts "
          f"({sum(facts) / len(facts):.0f} per case)")
    print(f"clingo, fresh Control per case:        {fc:8.1f} cases/s  (first {min(args.control_n, len(cases))} cases; "
          f"{fc_before:.1f} before the batch, {fc_after:.1f} after)")
    print(f"pyreasoner batch, 1 worker :          {rate:8.1f} cases/s  ({rate / fc:.2f}x fresh Control)")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=6000, help="cases in the throughput corpus")
    ap.add_argument("--baseline-n", type=int, default=40, help="cases for the process-per-case baseline")
    ap.add_argument("--control-n", type=int, default=300, help="cases for the fresh-Control baseline")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", default=None, metavar="FILE.jsonl", help="use these cases as the generated corpus "
                    "instead of generating --n (generating takes about 0.3 s a case)")
    ap.add_argument("--rss", type=int, nargs="*", default=None, metavar="N",
                    help="measure the tree's memory instead, at these sizes (none given: 10000 100000)")
    ap.add_argument("--stream", type=int, default=None, metavar="N", help="measure the tree's memory at N cases too "
                    "(e.g. 1000000: streamed, no file; hours)")
    ap.add_argument("--base", default=None, metavar="FILE.jsonl", help="the base corpus the memory runs cycle "
                    "(default: --n generated cases)")
    ap.add_argument("--recycle", type=int, default=None, metavar="N", help="--recycle of the memory runs' batch "
                    "(default: the batch's default)")
    ap.add_argument("--every", type=float, default=0.2, metavar="SECONDS", help="the memory runs sample the tree "
                    "every SECONDS (default 0.2; shorter catches briefer coincidences, at more CPU)")
    args = ap.parse_args(argv)
    if args.rss == []:
        args.rss = [10_000, 100_000]
    for name in ("n", "baseline_n", "control_n", "stream"):
        value = getattr(args, name)
        if value is not None and value < 1:
            ap.error(f"--{name.replace('_', '-')}: expected a positive number of cases, got {value}")
    if not args.every > 0:
        ap.error(f"--every: expected a positive number of seconds, got {args.every}")
    if any(size < 1 for size in args.rss or ()):
        ap.error("--rss: expected positive numbers of cases")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    print("machine:", machine())
    if args.rss or args.stream:
        with tempfile.TemporaryDirectory() as tmp_name:
            memory(args, Reasoner(), Path(tmp_name))
        return
    native = native_clingo()
    print("native clingo:", f"{native[0]} ({native[1]})" if native else "not found, skipped")
    folder = cache.cache_dir()  # the batch and solve_many read the rewriting of the encodings from it
    print("pyreasoner cache:", folder if folder is not None else "off (PYREASONER_CACHE_DIR=off)")
    reasoner = Reasoner()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.corpus:
            corpus, origin = Path(args.corpus), args.corpus
        else:
            corpus, origin = tmp / "corpus.jsonl", f"generated, seed {args.seed}"
            write_corpus(reasoner.rulebase, corpus, n=args.n, seed=args.seed)
        docs = [json.loads(ln) for ln in corpus.read_text(encoding="utf-8").splitlines() if ln.strip()]
        print(f"corpus: {len(docs)} cases ({origin}), "
              f"{sum(sum(len(v) for v in d['facts'].values()) for d in docs) / len(docs):.0f} facts per case")

        compare("generated", reasoner, corpus, [case_from_data(d, reasoner.vocabulary, file="<bench>") for d in docs],
                tmp, args, native)
        largest(reasoner, docs, tmp, args)
        bundled = [load_case(f, reasoner.vocabulary) for f in find_case_files([ROOT / "cases"])]
        compare("bundled", reasoner, ROOT / "cases", bundled, tmp, args, native)


if __name__ == "__main__":
    main()
