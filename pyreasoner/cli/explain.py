"""``pyreasoner explain``: :mod:`pyreasoner.explain` on one case (derivation and why-not
trees, ``--brief``, ``--contrast``, ``--relevance``), printed as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import UsageError
from ..explain import (
    DEFAULT_DEPTH,
    contrast,
    explain,
    explanation_json,
    relevance,
    render_brief,
    render_contrast,
    render_relevance,
    render_text,
)
from ..explain.json_out import _provisions_json
from ..explain.trees import _Answer
from ._common import add_solving_options, make_reasoner

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner explain``."""
    p = sub.add_parser("explain", help="explain outcomes: why, why not, where views part, which unknown fact matters")
    p.add_argument("case", metavar="CASE", help="a case file")
    add_solving_options(p)
    p.add_argument("--outcome", metavar="ATOM", help="explain this atom or pattern (with _), e.g. "
                   "'outcome(civil, p, joint_several(m), _)'; why not where it does not hold")
    p.add_argument("--contrast", action="append", default=[], metavar="ISSUE=VIEW",
                   help="contrast the --view selection with this one (repeatable)")
    p.add_argument("--relevance", action="store_true", help="which unknown facts would change an outcome")
    p.add_argument("--depth", type=int, default=DEFAULT_DEPTH, help="depth of why-not trees (default %(default)s)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("en", "zh"), default="en")
    detail = p.add_mutually_exclusive_group()
    detail.add_argument("--brief", action="store_true", help="per outcome about ten lines: the provision with its "
                        "text, the views adopted with their source, the decisive facts with status and burden")
    detail.add_argument("--full", action="store_true", help="the whole derivation tree of each outcome (the default)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.depth < 0:
        raise UsageError("--depth", str(args.depth), "expected a number >= 0")
    reasoner = make_reasoner(args)
    case = reasoner.load(args.case)
    rb = reasoner.rulebase
    if args.contrast:
        if not args.view:
            raise UsageError("--contrast", " ".join(args.contrast), "needs --view for the other side, e.g. "
                             "--view b=joint --contrast b=supplementary")
        cs = contrast(reasoner, case, args.view, args.contrast, include_rejected=args.include_rejected)
        if args.format == "json":
            print(json.dumps({"contrast": [c.to_json() for c in cs],
                              "provisions": _provisions_json({p for c in cs for n in c.parting_a + c.parting_b
                                                              + c.chains_a + c.chains_b for p in n.provisions_cited()},
                                                             rb)}, ensure_ascii=False, indent=2))
        else:
            print(render_contrast(cs, rb, args.lang))
        return 0
    kept: list[_Answer] = []
    ex = explain(reasoner, case, views=args.view, include_rejected=args.include_rejected, explore=args.explore,
                 target=args.outcome, depth=args.depth, _keep=kept)
    rel = relevance(reasoner, case, views=args.view, include_rejected=args.include_rejected,
                    _answers_of=None if args.explore else kept) if args.relevance and ex.consistent else ()
    if args.format == "json":
        out = explanation_json(ex, rb)
        if args.relevance:
            out["relevance"] = [r.to_json() for r in rel]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(render_brief(ex, rb, args.lang) if args.brief else render_text(ex, rb, args.lang))
        if args.relevance:
            print()
            print(render_relevance(rel, rb, args.lang))
    sys.stdout.flush()
    return 0 if ex.consistent else 1
