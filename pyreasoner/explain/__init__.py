"""Explanations a lawyer can read: why, why not, why under this view, and which unknown fact matters.

Everything here comes from the encodings themselves. Each rule of the rule base is
known by its place (``statutes/ecl_38.lp:26``) and by the citation block
``%% [provision_id] ...`` that heads its group (docs/encodings.md); a rule in a view
file is known by the ``adopt(I, V)`` in its body. An explanation run adds, for every
rule, a shadow rule that records the ground instances true in the answer set
(:func:`pyreasoner._engine.rule_table`); plain clingo still runs the encodings
unchanged. From those records:

* :func:`explain` gives, for each answer set, a derivation tree per outcome: each
  node a derived legal element with the rule and provision it rests on, down to the
  case facts with their status (established / refuted / unknown, and for an unknown
  who bore the burden of proof);
* for an atom that does not hold, a *why-not* tree: the rules that could conclude it
  and, for each, the conditions that fail (recursively, to a bounded depth);
* :func:`contrast` shows where two view selections part: the rule instances that
  fire under one and not the other although everything else they need holds under both;
* :func:`relevance` says which unknown facts would change an outcome if proven the
  other way (solved with clingo assumptions on one grounding), and to what.

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import Case, Fact
>>> facts = [Fact(predicate=p, args=a, status="established") for p, a in [
...     ("party", ("p", "platform")), ("party", ("m", "merchant")), ("party", ("c", "consumer")),
...     ("on_platform", ("m", "p")), ("sold", ("m", "g", "c")),
...     ("concerns_life_health", ("g",)), ("damage", ("c", "g"))]]
>>> facts.append(Fact(predicate="reviewed_qualification", args=("p", "m"), status="refuted"))
>>> r = Reasoner()
>>> ex = explain(r, Case(id="demo", facts=tuple(facts)), views={"b": "joint"})
>>> tree = ex.answers[0].explanations[0].tree
>>> tree.atom, tree.holds
('outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))', True)
>>> {"cc_1168", "ecl_38_2"} <= tree.grounds()
True
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from ..errors import UsageError
from .brief import render_brief
from .compare import contrast, relevance
from .json_out import _provisions_json, explain_all, explanation_json
from .model import (
    AnswerExplanation,
    CaseExplanation,
    Contrast,
    Explanation,
    FactRelevance,
    JSONObject,
    Node,
    RuleInfo,
)
from .runs import DEFAULT_DEPTH, explain
from .text import render_contrast, render_relevance, render_text
from .trees import _Answer

if TYPE_CHECKING:
    from ..reasoner import Reasoner

__all__ = [
    "DEFAULT_DEPTH",
    "AnswerExplanation",
    "CaseExplanation",
    "Contrast",
    "Explanation",
    "FactRelevance",
    "JSONObject",
    "Node",
    "RuleInfo",
    "contrast",
    "explain",
    "explain_all",
    "explanation_json",
    "register",
    "relevance",
    "render_brief",
    "render_contrast",
    "render_relevance",
    "render_text",
]


# ---------------------------------------------------------------------- CLI
def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner explain`` to the command line."""
    from ..cli import add_solving_options

    p = subparsers.add_parser("explain", help="explain outcomes: why, why not, where views part, which unknown fact matters")
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
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, reasoner: Reasoner) -> int:
    if args.depth < 0:
        raise UsageError("--depth", str(args.depth), "expected a number >= 0")
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
    ex = explain(reasoner, case, views=args.view,
 include_rejected=args.include_rejected, explore=args.explore,
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
