"""Readable text for results, views and provisions (what the CLI prints).

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import Case
>>> r = Reasoner()
>>> print(render_result(r.solve(Case(id="empty", facts=())), r.rulebase).splitlines()[0])
case empty: 1 answer
"""

from __future__ import annotations

from .result import Outcome, Result
from .rulebase import RuleBase
from .views import STATUS_LABELS

__all__ = ["render_basis", "render_result", "render_views"]


def render_basis(outcome: Outcome, rulebase: RuleBase, lang: str = "en") -> str:
    parts = []
    for pid in outcome.basis:
        prov = rulebase.provisions.get(pid)
        parts.append(prov.cite(lang) if prov else pid)
    return (" read with " if lang == "en" else "，结合").join(parts)


def render_result(result: Result, rulebase: RuleBase, lang: str = "en") -> str:
    """A case's answers: views adopted, outcomes with their basis, what was displaced."""
    lines = []
    if not result.consistent:
        lines.append(f"case {result.case_id}: NO CONSISTENT OUTCOME")
        lines.append("  the case facts contradict the encodings; these facts conflict:")
        lines += [f"    {c}" for c in result.core]
        return "\n".join(lines)
    n = len(result.answers)
    sel = ", ".join(f"{i}={v}" for i, v in result.selection)
    lines.append(f"case {result.case_id}: {n} answer{'s' if n != 1 else ''}" + (f" (fixed: {sel})" if sel else ""))
    for k, ans in enumerate(result.answers, 1):
        views = ", ".join(f"{i}={v}" for i, v in ans.views) or "no contested issue raised"
        lines.append(f"  answer {k} [{views}]")
        if ans.completion:
            lines.append("    assuming " + ", ".join(f"{f} {s}" for f, s in ans.completion))
        if not ans.outcomes:
            lines.append("    no liability outcome")
        for o in ans.outcomes:
            lines.append(f"    {o.kind:<14} {o.party:<10} {o.form_text:<28} {render_basis(o, rulebase, lang)}")
        for q, p in ans.displaced:
            lines.append(f"    displaced: {_cite(q, rulebase, lang)} by {_cite(p, rulebase, lang)}")
        for atom in sorted(a for a in ans.atoms if a.startswith("concurrent(")):
            q, p = atom[len("concurrent("):-1].split(",", 1)
            lines.append(f"    concurrent: {_cite(q, rulebase, lang)} beside {_cite(p, rulebase, lang)} (the claimant may rely on either)")
    if n > 1:
        lines.append("  in every answer: " + (", ".join(o.atom for o in result.in_all) or "-"))
        lines.append("  in some answers: " + (", ".join(o.atom for o in result.in_some) or "-"))
    return "\n".join(lines)


def _cite(pid: str, rulebase: RuleBase, lang: str) -> str:
    prov = rulebase.provisions.get(pid)
    return prov.cite(lang) if prov else pid


def render_views(rulebase: RuleBase, lang: str = "en") -> str:
    """The contested issues and their views with status and source (``pyreasoner views``)."""
    lines = []
    for issue in rulebase.issues.values():
        lines.append(f"issue {issue.id}: {issue.label_zh if lang == 'zh' else issue.label_en}")
        for v in issue.views:
            label = v.label_zh if lang == "zh" else v.label_en
            lines.append(f"  {issue.id}={v.id:<20} {label}  [{STATUS_LABELS[v.status]}]")
            lines.append(f"      source: {v.source}")
            for prov, text in v.counterpoints:
                lines.append(f"      against ({_cite(prov, rulebase, lang)}): {text}")
    return "\n".join(lines)
