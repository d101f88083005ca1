"""Explanations as JSON, with the rules and provisions they cite (by stable id).

:func:`explain_all` is what ``batch --explain`` attaches to each solved record.

>>> from pyreasoner import Reasoner
>>> list(_provisions_json(["no_such_provision"], Reasoner().rulebase).items())
[('no_such_provision', None)]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..case import Case
from ..result import Result
from .compare import relevance
from .model import CaseExplanation, JSONObject
from .runs import explain
from .trees import _Answer

if TYPE_CHECKING:
    from ..reasoner import Reasoner
    from ..rulebase import RuleBase


def explain_all(reasoner: Reasoner, case: Case, result: Result) -> JSONObject:
    """JSON-ready explanations of every outcome of every answer in ``result`` (solved
    with the same selection), plus, when the case has unknown facts, their relevance.
    Used by ``batch --explain``."""
    views = dict(result.selection)
    kept: list[_Answer] = []
    ex = explain(reasoner, case, views=views, include_rejected=result.include_rejected, explore=result.explore,
                 _keep=kept)
    out = explanation_json(ex, reasoner.rulebase)
    if any(f.status == "unknown" for f in case.facts) and ex.consistent and not result.explore:
        out["relevance"] = [r.to_json() for r in relevance(reasoner, case, views=views,
                                                           include_rejected=result.include_rejected,
                                                           _answers_of=kept)]
    return out


def explanation_json(ex: CaseExplanation, rulebase: RuleBase) -> JSONObject:
    """A case explanation as JSON, with the rules and provisions it cites (by stable id)."""
    rules: dict[str, JSONObject] = {}
    for a in ex.answers:
        for e in a.explanations:
            for n in e.tree.walk():
                if n.rule and n.rule.id not in rules:
                    rules[n.rule.id] = n.rule.to_json()
    return {"case": ex.case_id, "consistent": ex.consistent, "selection": dict(ex.selection),
            "answers": [a.to_json() for a in ex.answers],
            **({"core": list(ex.core)} if not ex.consistent else {}),
            "rules": dict(sorted(rules.items())),
            "provisions": _provisions_json(ex.provisions_cited() | {r["provision"] for r in rules.values()
                                                                   if r["provision"]}, rulebase)}


def _provisions_json(ids: Iterable[str], rulebase: RuleBase) -> dict[str, JSONObject | None]:
    out: dict[str, JSONObject | None] = {}
    for pid in sorted(ids):
        p = rulebase.provisions.get(pid)
        if p is None:
            out[pid] = None
            continue
        out[pid] = {"cite": {"en": p.cite("en"), "zh": p.cite("zh")}, "text": {"zh": p.text_zh, "en": p.text_en}}
    return out
