"""How long the consistency tools take: lint, check (bundled corpus), verify, coverage.

Run from the checkout: ``python bench/bench_tools.py [--quick]``. Prints one line per
tool with wall-clock seconds and what it found; ``--quick`` uses the small bound of
the tests (civil inputs, one merchant, integers 0 and 1) for verify and coverage.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyreasoner import Reasoner  # noqa: E402
from pyreasoner.check import check_corpus  # noqa: E402
from pyreasoner.coverage import corpus_coverage, space_coverage  # noqa: E402
from pyreasoner.lint import lint  # noqa: E402
from pyreasoner.verify import verify  # noqa: E402

T = TypeVar("T")


class _Bound(TypedDict, total=False):
    """The bound of the universe verify and coverage --space search (all of it: the default)."""

    bounds: dict[str, int]
    numbers: tuple[int, ...]
    domains: list[str]


def timed(label: str, fn: Callable[[], T]) -> tuple[T, float]:
    t0 = time.perf_counter()
    value = fn()
    dt = time.perf_counter() - t0
    return value, dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per invariant")
    args = ap.parse_args()
    small: _Bound = {"bounds": {"merchant": 1}, "numbers": (0, 1), "domains": ["civil"]} if args.quick else {}
    print(f"# pyreasoner consistency tools on {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}{' (quick bound)' if args.quick else ''}")
    reasoner = Reasoner()
    findings, dt = timed("lint", lint)
    print(f"lint              {dt:7.2f} s  {len(findings)} finding(s)")
    report, dt = timed("check", lambda: check_corpus([ROOT / "cases"], reasoner))
    print(f"check cases/      {dt:7.2f} s  {len(report.cases)} case(s), "
          f"{sum(bool(c.inconsistencies) for c in report.cases)} inconsistent, "
          f"{sum(bool(c.contradictions) for c in report.cases)} with contradictions")
    cov, dt = timed("coverage", lambda: corpus_coverage([ROOT / "cases"], reasoner))
    print(f"coverage cases/   {dt:7.2f} s  {cov.fired}/{cov.rules} rules fired")
    space_kw = small.copy()
    sp, dt = timed("space", lambda: space_coverage(**space_kw))
    print(f"coverage --space  {dt:7.2f} s  {len(sp.dead)} dead rule(s), {len(sp.undecided)} undecided, "
          f"{sp.candidates} candidate facts")
    results, dt = timed("verify", lambda: verify(timeout=args.timeout, **small))
    counts = {s: sum(r.status == s for r in results) for s in ("holds", "violated", "skipped", "timeout")}
    print(f"verify            {dt:7.2f} s  " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    for r in results:
        print(f"  {r.invariant.id:42} {r.status:8} {r.seconds:7.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
