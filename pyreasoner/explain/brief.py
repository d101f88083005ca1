"""``--brief``: what a lawyer reads, about ten lines per outcome.

Each outcome with the provisions it rests on (and their text), the views adopted on
the way with their status and source, and the decisive case facts by status (for an
unknown fact, who bore the burden of proof and how it counts).

>>> facts, views = _decisive(Node(atom="adopt(b,joint)", kind="view", holds=True))
>>> facts, views
([], [('b', 'joint')])
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..report import WORDS
from .model import CaseExplanation, Node
from .text import _WORDS, _burden_word, _cite, answer_lines, header_lines

if TYPE_CHECKING:
    from ..rulebase import RuleBase


_BRIEF = {
    "en": {"provision": "provision", "view": "view", "source": "source", "facts": "decisive facts",
           "established": "established", "refuted": "refuted", "unknown": "unknown",
           "not_stated": "not stated (count as false)", "more": "more", "full": "--full shows the derivation",
           "burden_on": "burden of proof:", "so": "so it counts as", "true": "true", "false": "false",
           "no_view": "no contested view needed"},
    "zh": {"provision": "条文", "view": "观点", "source": "出处", "facts": "决定性事实",
           "established": "已证明", "refuted": "已被否定", "unknown": "真伪不明",
           "not_stated": "未主张（视为假）", "more": "项从略", "full": "--full 显示完整推导",
           "burden_on": "举证责任：", "so": "故视为", "true": "真", "false": "假",
           "no_view": "不取决于争议观点"},
}
# the view statuses read as the solve output reads them (one word table: report.WORDS)
for _lang, _words in _BRIEF.items():
    _words.update({k: WORDS[_lang][k] for k in ("own", "named", "rejected", "reading", "in_force")})
#: facts listed per status line of a brief explanation before "(+N more)"
_BRIEF_FACTS = 8
#: who is who: listed after the facts particular to the outcome
_ROLES = frozenset({"party", "on_platform"})


def _decisive(tree: Node) -> tuple[list[Node], list[tuple[str, str]]]:
    """The case facts a derivation rests on (facts under nodes that hold, not those of
    why-not branches), each once, and the views it adopts."""
    facts: dict[str, Node] = {}
    views: dict[tuple[str, str], None] = {}

    def walk(n: Node) -> None:
        if n.kind == "fact":
            facts.setdefault(n.atom, n)
            return
        if n.kind == "view" and n.holds:
            m = re.match(r"adopt\((\w+),(\w+)\)", n.atom)
            if m:
                views[(m.group(1), m.group(2))] = None
            return
        if not n.holds or n.kind in ("absent", "rule"):
            return
        if n.rule and n.rule.view:
            views[n.rule.view] = None
        for c in n.children:
            walk(c)

    walk(tree)
    return list(facts.values()), list(views)


def render_brief(ex: CaseExplanation, rulebase: RuleBase, lang: str = "en") -> str:
    """What a lawyer reads: per outcome at most about ten lines: the outcome, each
    provision it rests on with its text, the views adopted on the way with their status
    and source, and the decisive case facts by status (for an unknown fact, who bore the
    burden of proof and how it counts). The derivation trees are behind ``--full``."""
    w, b = _WORDS[lang], _BRIEF[lang]
    lines = header_lines(ex, lang)
    if not ex.consistent:
        return "\n".join(lines)
    for k, a in enumerate(ex.answers, 1):
        lines += answer_lines(k, a, ", ".join(f"{i}={v}" for i, v in a.views), lang)
        for e in a.explanations:
            lines.append(f"  {e.target}" + ("" if e.holds else f": {w['not']}"))
            if not e.holds:
                continue
            basis = e.tree.basis or tuple(sorted(e.tree.grounds()))
            for pid in basis:
                p = rulebase.provisions.get(pid)
                text = (p.text_zh if lang == "zh" else p.text_en) if p else ""
                lines.append(f"    {b['provision']}: {_cite(pid, rulebase, lang)}" + (f": {text}" if text else ""))
            facts, used = _decisive(e.tree)
            if any(f.status == "unknown" for f in facts):  # the burden of proof follows the views adopted too
                used += [v for v in a.views if v not in used]
            for issue, view in used:
                try:
                    v = rulebase.issues[issue].view(view)
                except KeyError:
                    lines.append(f"    {b['view']}: {issue}={view}")
                    continue
                label, source = (v.label_zh, v.source_zh) if lang == "zh" else (v.label_en, v.source)
                force = v.in_force_zh if lang == "zh" else v.in_force
                force = f"; {b['in_force']}: {force}" if force else ""
                lines.append(f"    {b['view']}: {issue}={view} ({label}; {b[v.status]}{force}); {b['source']}: {source}")
            if not used and a.views:
                lines.append(f"    {b['view']}: {b['no_view']}")
            by_status: dict[str, list[Node]] = {}
            for f in sorted(facts, key=lambda f: f.atom.split("(")[0] in _ROLES):
                by_status.setdefault(f.status or "not_stated", []).append(f)
            lines.append(f"    {b['facts']}:")
            for status in ("established", "refuted", "unknown", "not_stated"):
                group = by_status.get(status, [])
                if not group:
                    continue
                if status == "unknown":
                    for f in group:
                        bearer, burden = w.get(f.bearer or "", f.bearer or "?"), _burden_word(f.burden, w)
                        value = b["true"] if f.counted else b["false"]
                        lines.append(f"      {b['unknown']}: {f.atom}; " + (
                            f"{b['burden_on']}{bearer}（{burden}），{b['so']}{value}" if lang == "zh" else
                            f"{b['burden_on']} {bearer} ({burden}), {b['so']} {value}"))
                    continue
                shown = ", ".join(f.atom for f in group[:_BRIEF_FACTS])
                more = len(group) - _BRIEF_FACTS
                lines.append(f"      {b[status]}: {shown}" + (f" (+{more} {b['more']})" if more > 0 else ""))
    lines.append(f"({b['full']})")
    return "\n".join(lines)
