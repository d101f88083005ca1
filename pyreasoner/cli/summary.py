"""``pyreasoner summary``: :mod:`pyreasoner.summary` over a results file. It reads that file
only: no encodings, no Reasoner."""

from __future__ import annotations

import argparse
import json
import sys

from ..summary import plot, summarise

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner summary``."""
    p = sub.add_parser("summary", help="statistics of a batch's results: outcomes per view, disagreement",
                       description="Outcome distribution per view, disagreement rate per issue and the "
                       "most divergent cases of a results file written by pyreasoner batch.")
    p.add_argument("results", metavar="RESULTS", help="the .jsonl file written by pyreasoner batch --out")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--top", type=int, default=10, metavar="K", help="how many divergent cases to list (default 10)")
    p.add_argument("--plot", metavar="FILE", help="save a heat map per contested issue of the outcomes that differ "
                   "between its views (.png, .svg or .pdf)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    summary = summarise(args.results, top=args.top)
    if args.format == "json":
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        print(summary.render())
    if args.plot:
        plot(summary, args.plot)
        print(f"chart saved to {args.plot}", file=sys.stderr)
    return 0
