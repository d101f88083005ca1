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
...     ("concerns_life_health", ("g",)), ("damage", ("c", "g")),
...     ("caused_damage", ("p", "c", "g"))]]
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

from .brief import render_brief
from .compare import contrast, relevance
from .json_out import explain_all, explanation_json
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
