"""``pyreasoner verify``: the invariants of :mod:`pyreasoner.verify`. It reads the encodings
itself (from the master file), so no Reasoner is built here."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import UsageError
from ..lint import display_path
from ..verify import (
    DEFAULT_BOUNDS,
    DEFAULT_LEFT_OUT,
    DEFAULT_TIMEOUT,
    bound_text,
    invariants_dir,
    load_invariants,
    replay,
    verify,
)
from ._common import add_solving_options, master_path

__all__ = ["parse_bounds", "parse_numbers", "register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner verify``."""
    p = sub.add_parser("verify", help="search the bounded space of cases for counterexamples to the invariants")
    p.add_argument("--invariant", action="append", default=[], metavar="ID", help="check only this invariant (repeatable)")
    p.add_argument("--bound", action="append", default=[], metavar="ROLE=N",
                   help="parties per role (default merchant=2, others 1; 'things=N' for goods, orders, …)")
    p.add_argument("--numbers", default="0,1,2", metavar="LIST|params",
                   help="integer values of the universe (default 0,1,2); 'params' brackets every parameter "
                        "(value-1, value, value+1): thorough but may not ground in reasonable time")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=f"the solver's seconds per invariant, in CPU time (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--all-inputs", action="store_true",
                   help="put back the input predicates the default universe leaves out ("
                        + ", ".join(DEFAULT_LEFT_OUT) + "): the universe may then not ground in reasonable time")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument("--out", metavar="DIR", help="write each counterexample to DIR/counterexample_<id>.yaml")
    p.add_argument("--list", action="store_true", help="list the invariants and exit")
    p.add_argument("--replay", metavar="CASE", help="run a case file and name the invariants it violates")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_solving_options(p)
    p.set_defaults(run=run)


def parse_bounds(items: Sequence[str]) -> dict[str, int] | None:
    """``--bound ROLE=N`` (repeatable) over the default bounds; None when none is given."""
    if not items:
        return None
    out = dict(DEFAULT_BOUNDS)
    for item in items:
        role, _, n = item.partition("=")
        if not n.isdigit() or not role:
            raise UsageError("--bound", item, "expected ROLE=N, e.g. merchant=2")
        out[role.strip()] = int(n)
    return out


def parse_numbers(text: str) -> tuple[int, ...] | None:
    """``--numbers 0,1,2``, or None for ``params``."""
    if text.strip() == "params":
        return None
    try:
        return tuple(sorted({int(x) for x in text.split(",") if x.strip()}))
    except ValueError:
        raise UsageError("--numbers", text, "expected integers separated by commas, or 'params'") from None


def _progress(line: str) -> None:
    print(f"verify: {line}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    master = master_path(args)
    if args.replay:
        names = replay(args.replay, master, include_rejected=args.include_rejected)
        if args.format == "json":
            print(json.dumps({"case": args.replay, "violates": list(names)}))
        else:
            print(f"{args.replay}: " + (f"violates {', '.join(names)}" if names else "violates no invariant"))
        return 1 if names else 0
    if args.list:
        for inv in load_invariants(invariants_dir(master)):
            print(f"{inv.id}: {inv.title} ({display_path(inv.file, master.parent)}:{inv.line})")
        return 0
    left_out: tuple[str, ...] = () if args.all_inputs else DEFAULT_LEFT_OUT
    bound = bound_text(parse_bounds(args.bound), parse_numbers(args.numbers), left_out)
    results = verify(master, only=args.invariant, bounds=parse_bounds(args.bound), include_rejected=args.include_rejected,
                     timeout=args.timeout, numbers=parse_numbers(args.numbers), views=args.view, explore=args.explore,
                     progress=None if args.quiet else _progress, left_out=left_out)
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
    for r in results:
        if r.counterexample is not None and args.out:
            path = Path(args.out) / f"counterexample_{r.invariant.id}.yaml"
            path.write_text(r.counterexample.yaml(r.invariant), encoding="utf-8")
    if args.format == "json":
        print(json.dumps({"bound": bound, "results": [r.to_json() for r in results]}, ensure_ascii=False, indent=2))
    else:
        print(bound)
        for r in results:
            line = f"{r.status:8} {r.invariant.id}: {r.invariant.title}"
            if r.status == "skipped":
                line = f"skipped  {r.invariant.id}: {r.detail}"
            elif r.detail:
                line += f" [{r.detail}]"
            print(line + f" ({r.seconds:.2f} s, {r.cpu_seconds:.2f} s CPU)")
            if r.counterexample is not None:
                if args.out:
                    print(f"         counterexample: {Path(args.out) / f'counterexample_{r.invariant.id}.yaml'}")
                else:
                    print("         counterexample (a ready-to-run case file):")
                    for ln in r.counterexample.yaml(r.invariant).splitlines():
                        print("           " + ln)
        counts = {s: sum(r.status == s for r in results) for s in ("holds", "violated", "skipped", "timeout")}
        print(", ".join(f"{n} {s}" for s, n in counts.items()))
    sys.stdout.flush()
    return 1 if any(r.status in ("violated", "timeout") for r in results) else 0
