"""``pyreasoner check``: validation, then the consistency analysis of :mod:`pyreasoner.check`."""

from __future__ import annotations

import argparse
import json

from ..case import find_case_files, load_cases
from ..check import check_corpus, render_case
from ..errors import CaseError
from ._common import add_solving_options, err, make_reasoner

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner check``."""
    p = sub.add_parser("check", help="validate cases, then solve each under every combination of views "
                       "and report inconsistencies, contradictions and disagreeing views")
    p.add_argument("cases", nargs="+", metavar="CASE", help="case files, folders or JSON Lines files (.jsonl: a case a line, as generate writes)")
    p.add_argument("--validate-only", action="store_true", help="only validate the case files (no solving)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_solving_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    reasoner = make_reasoner(args)
    if args.validate_only:
        status = 0
        for item in load_cases(args.cases, reasoner.vocabulary):
            if isinstance(item, CaseError):
                err(str(item))
                status = 1
            else:
                print(f"ok {item.path}: {item.id} ({len(item.facts)} facts)")
        return status
    find_case_files(args.cases)
    report = check_corpus(args.cases, reasoner, include_rejected=args.include_rejected, views=args.view,
                          explore=args.explore)
    for e in report.errors:
        err(e)
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 1 if report.failed else 0
    for c in report.cases:
        print(render_case(c))
    per_issue = report.per_issue
    n_inc = sum(bool(c.inconsistencies) for c in report.cases)
    n_exp = sum(bool(c.inconsistencies) and c.expected_inconsistent for c in report.cases)
    print(f"\n{len(report.cases)} case(s); {n_inc} without a consistent outcome ({n_exp} expected by the case); "
          f"{sum(bool(c.contradictions) for c in report.cases)} with an outcome and its opposite; "
          f"{len(report.errors)} invalid")
    if per_issue:
        print("views disagree: " + "; ".join(f"issue {i} in {d} of {n} case(s)" for i, (d, n) in per_issue.items()))
    return 1 if report.failed else 0
