"""``pyreasoner test``: the ``expect`` blocks of case files (:mod:`pyreasoner.testing`), one
line per test and a closing line, in the words of ``--lang``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..report import TEST_WORDS
from ..testing import TestOutcome, collect, run_tests, summary_line, write_junit
from ._common import add_lang, make_reasoner

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner test``."""
    p = sub.add_parser("test", help="run the expect blocks of case files or folders",
                       description="Solve every case under each expectation's view selection and check "
                       "it: one line per expectation, then 'N passed, M failed'; exit 1 on a failure.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="case files or folders")
    p.add_argument("--junit-xml", metavar="FILE", help="also write a JUnit XML report to FILE ('-': stdout)")
    p.add_argument("--require-expectation", action="store_true",
                   help="a case without an expectation fails instead of being skipped")
    p.add_argument("-q", "--quiet", action="store_true", help="print only failures and the closing line")
    add_lang(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    reasoner = make_reasoner(args)
    w = TEST_WORDS[args.lang]
    items = collect(args.paths, reasoner, require_expectation=args.require_expectation)
    outcomes: list[TestOutcome] = []
    for o in run_tests(reasoner, items, require_expectation=args.require_expectation):
        outcomes.append(o)
        if o.status == "pass" and args.quiet:
            continue
        print(f"{w[o.status]} {o.item.name}  ({_relative(o.item.file)})")
        if o.status == "xfail" and o.item.expectation is not None:
            print(f"     {w['expected_to_fail']}: {o.item.expectation.xfail}")
        if o.status == "fail":
            for line in o.failures:
                print(f"     {line}")
            if o.item.expectation is not None and o.item.expectation.note:
                print(f"     {w['note']}: {o.item.expectation.note}")
        sys.stdout.flush()
    print(summary_line(outcomes, args.lang))
    if args.junit_xml:
        write_junit(outcomes, args.junit_xml)
    return 1 if any(o.status == "fail" for o in outcomes) else 0


def _relative(file: str) -> str:
    try:
        return str(Path(file).resolve().relative_to(Path.cwd()))
    except ValueError:
        return file
