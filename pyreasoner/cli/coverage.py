"""``pyreasoner coverage``: :mod:`pyreasoner.coverage` over a corpus (which needs a
Reasoner) and/or the bounded space of cases (which reads the master file itself)."""

from __future__ import annotations

import argparse
import json

from ..coverage import corpus_coverage, space_coverage
from ..errors import UsageError
from ._common import make_reasoner, master_path
from .verify import parse_bounds, parse_numbers

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner coverage``."""
    p = sub.add_parser("coverage", help="rules and provisions a corpus never fires; with --space, dead rules "
                       "and unreachable outcomes across the bounded space of cases")
    p.add_argument("cases", nargs="*", metavar="CASE", help="case files, folders or JSON Lines files (.jsonl: a case a line)")
    p.add_argument("--space", action="store_true", help="also search the bounded space of cases (as verify does)")
    p.add_argument("--bound", action="append", default=[], metavar="ROLE=N", help="parties per role (see verify)")
    p.add_argument("--numbers", default="0,1,2", metavar="LIST|params", help="integer values of the universe")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per rule in the --space search (default 10)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out: dict[str, dict[str, object]] = {}
    lines: list[str] = []
    if args.cases:
        cov = corpus_coverage(args.cases, make_reasoner(args))
        out["corpus"] = cov.to_json()
        lines.append(f"corpus: {cov.cases} case(s) fire {cov.fired} of {cov.rules} rules ({cov.seconds:.1f} s)")
        lines.append(f"provisions never fired: {', '.join(cov.provisions_never_fired) or '-'}")
        lines.append(f"provisions without rules (declared or cited only): {', '.join(cov.provisions_without_rules) or '-'}")
        lines.append("rules never fired:")
        lines += [f"  {r}" for r in cov.never_fired]
    if args.space:
        sp = space_coverage(master_path(args), bounds=parse_bounds(args.bound), numbers=parse_numbers(args.numbers),
                            timeout=args.timeout)
        out["space"] = sp.to_json()
        lines.append(f"space: {sp.candidates} candidate facts; {sp.rules - len(sp.dead)} of {sp.rules} rules can fire; "
                     f"{sp.reachable_outcomes} outcome atoms reachable ({sp.seconds:.1f} s)")
        lines.append("dead rules (no case in the bounded space fires them):")
        lines += [f"  {r}" for r in sp.dead] or ["  -"]
        lines.append("unreachable outcomes:")
        lines += [f"  {r}" for r in sp.unreachable_outcomes] or ["  -"]
        if sp.undecided:
            lines.append(f"undecided within {args.timeout:g} s per rule:")
            lines += [f"  {r}" for r in sp.undecided]
    if not args.cases and not args.space:
        raise UsageError("coverage", None, "give case files or folders, or --space")
    if args.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print("\n".join(lines))
    return 0
