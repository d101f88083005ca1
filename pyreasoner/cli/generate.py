"""``pyreasoner generate``: :func:`pyreasoner.generate.write_corpus`. It reads the
declarations of the encodings (the vocabulary and parameters) and solves nothing."""

from __future__ import annotations

import argparse

from ..errors import UsageError
from ..generate import write_corpus
from ._common import make_rulebase

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner generate``."""
    p = sub.add_parser("generate", help="write a synthetic corpus of valid, varied cases",
                       description="Write N generated cases over the input vocabulary (JSON Lines on stdout, "
                       "a .jsonl file, or a folder of YAML files); deterministic for a seed.")
    p.add_argument("--n", type=int, required=True, metavar="N", help="number of cases")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    p.add_argument("--out", metavar="PATH", help="a .jsonl file or a folder (default: stdout)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.n < 0:
        raise UsageError("--n", str(args.n), "expected a number of cases >= 0")
    write_corpus(make_rulebase(args), args.out, n=args.n, seed=args.seed)
    return 0
