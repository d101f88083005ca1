"""``pyreasoner lint``: reads the encodings itself (:func:`pyreasoner.lint.lint`), so no
Reasoner is built, and a rule base whose declarations do not ground is still linted."""

from __future__ import annotations

import argparse
import json
import sys

from ..lint import lint
from ._common import master_path

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner lint``."""
    p = sub.add_parser("lint", help="lint the encodings (file:line and a reason per finding; exit 1 on findings)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    findings = lint(master_path(args))
    if args.format == "json":
        print(json.dumps({"findings": [f.to_json() for f in findings], "count": len(findings)},
                         ensure_ascii=False, indent=2))
    else:
        for f in findings:
            print(f)
        print(f"{len(findings)} finding(s)" if findings else "lint: clean", file=sys.stderr if findings else sys.stdout)
    return 1 if findings else 0
