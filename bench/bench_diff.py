"""Benchmark of ``pyreasoner diff`` (issue 16): the bundled corpus, the current rules against a
copy with one rule changed, printed in one run.

    python bench/bench_diff.py [--repeat 3]

The first ``diff`` figure is a run without the tagging cache (the batch engine rewrites
both rule bases; the shared statements once); the second a run with it (``diff`` keeps
the rewriting of each statement between runs, so a researcher who diffs an edited rule
base against the last commit again rewrites only the edited statements). Both sides of
the comparison start from the loaded cases and include building their
``Reasoner`` objects (parsing each rule base): the baseline solves every case twice with
:meth:`pyreasoner.Reasoner.solve` (once per rule base) and compares the results as
``diff`` does; ``diff`` is :func:`pyreasoner.diff.diff_cases` (the batch engine, in this
process: one worker). Each is run ``--repeat`` times and the best time kept. The two
must list the same changed cases. A last line times the whole command
(``diff_corpus``: reading the case files too) against the baseline that reads them too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyreasoner import Reasoner  # noqa: E402
from pyreasoner.case import Case, find_case_files, load_case  # noqa: E402
from pyreasoner.diff import Side, compare, diff_cases, diff_corpus  # noqa: E402

#: the rule changed in the copy: the joint view of Issue B no longer makes ECL 38(2) liability joint
#: (the view is rejected by Qin 2025 §4.1.1 and off by default: both sides let rejected views in)
RULE = "joint_38_2(K) :- adopt(b, joint), open_38_2(K)."


def changed_copy(tmp: Path) -> Path:
    src = ROOT / "encodings"
    dst = tmp / "encodings"
    shutil.copytree(src, dst)
    lp = dst / "views" / "b_form" / "joint.lp"
    text = lp.read_text(encoding="utf-8")
    assert RULE in text, f"{lp}: the benchmark's rule is gone: {RULE}"
    lp.write_text(text.replace(RULE, "% " + RULE), encoding="utf-8")
    return dst


T = TypeVar("T")


def baseline(old: Path, new: Path, cases: list[Case]) -> list[str]:
    r_old, r_new = Reasoner(old), Reasoner(new)
    changed: list[str] = []
    for c in cases:
        change = compare(c.id, c.path or "", r_old.solve(c, include_rejected=True),
                         r_new.solve(c, include_rejected=True), frozenset())
        if change is not None:
            changed.append(change.case_id)
    return changed


def with_diff(old: Path, new: Path, cases: list[Case], cache: bool) -> list[str]:
    report = diff_cases(cases, Side(Reasoner(old), include_rejected=True), Side(Reasoner(new), include_rejected=True),
                        cache=cache)
    return [c.case_id for c in report.changed]


def best(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    times: list[float] = []
    out: T | None = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), cast(T, out)  # min() raises unless fn ran: out is its value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each; the best is kept")
    args = ap.parse_args()
    old = ROOT / "encodings"
    with tempfile.TemporaryDirectory() as tmp:
        new = changed_copy(Path(tmp))
        paths = find_case_files([ROOT / "cases"])
        vocab = Reasoner(old).vocabulary
        cases = [load_case(p, vocab) for p in paths]
        print(f"corpus: {len(cases)} bundled cases; rule changed: {RULE}")
        t_base, base = best(lambda: baseline(old, new, cases), args.repeat)
        os.environ["PYREASONER_CACHE_DIR"] = str(Path(tmp) / "cache")  # a cache of this run's own
        t_cold, got = best(lambda: with_diff(old, new, cases, cache=False), args.repeat)
        assert got == base and got, f"diff lists {got}, the baseline {base}"
        with_diff(old, new, cases, cache=True)  # fills the cache, as an earlier run would
        t_warm, got = best(lambda: with_diff(old, new, cases, cache=True), args.repeat)
        assert got == base, f"diff (cached) lists {got}, the baseline {base}"
        print(f"changed cases: {', '.join(got)}")
        print(f"Reasoner.solve twice (one process):  {t_base:6.2f} s  ({2 * len(cases) / t_base:6.1f} solves/s)")
        print(f"pyreasoner diff, first run:          {t_cold:6.2f} s  ({2 * len(cases) / t_cold:6.1f} solves/s)  "
              f"{t_base / t_cold:.2f}x")
        print(f"pyreasoner diff, rewriting cached:   {t_warm:6.2f} s  ({2 * len(cases) / t_warm:6.1f} solves/s)  "
              f"{t_base / t_warm:.2f}x")
        vocab_paths: Callable[[], list[Case]] = lambda: [load_case(p, vocab) for p in paths]  # noqa: E731
        t_base_io, _ = best(lambda: baseline(old, new, vocab_paths()), 1)
        t_diff_io, _ = best(lambda: diff_corpus(ROOT / "cases", Side(Reasoner(old), include_rejected=True),
                                                          Side(Reasoner(new), include_rejected=True)), 1)
        print(f"reading the case files too (cached): baseline {t_base_io:.2f} s, diff {t_diff_io:.2f} s, "
              f"{t_base_io / t_diff_io:.2f}x")


if __name__ == "__main__":
    main()
