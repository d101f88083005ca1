"""Explanations as text: derivation / why-not trees, contrasts and relevance, in English or Chinese.

>>> from pyreasoner import Reasoner
>>> render_relevance((), Reasoner().rulebase, "zh")
'无真伪不明的事实'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .model import AnswerExplanation, CaseExplanation, Contrast, FactRelevance, Node

if TYPE_CHECKING:
    from ..rulebase import RuleBase


# --------------------------------------------------------------- rendering
_WORDS = {
    "en": {"holds": "holds", "not": "does NOT hold", "answer": "answer", "views": "views", "none": "no contested issue raised",
           "established": "established", "refuted": "refuted", "unknown": "unknown", "not_stated": "not stated (not established)",
           "counts_t": "counts as true", "counts_f": "counts as false", "claimant": "claimant", "defendant": "defendant (platform)",
           "open": "open (explore)", "burden": "burden", "view": "view", "not_adopted": "not adopted",
           "provisions": "Provisions cited", "no_outcome": "no liability outcome", "rule": "rule",
           "parting": "where they part", "only": "only under", "common": "under both",
           "relevant": "CHANGES the outcome", "irrelevant": "changes nothing", "if": "if", "gains": "gains",
           "loses": "loses", "inconsistent": "the case becomes inconsistent", "see_above": "see above",
           "why": "why", "why_not": "why not", "declared": "declared in the rule base", "given": "input",
           "fact": "fact", "failed": "could follow from", "now": "now counts as",
           "leading": "leading to the outcomes", "case": "case", "fixed": "fixed",
           "conflict": "NO CONSISTENT OUTCOME; these facts conflict"},
    "zh": {"holds": "成立", "not": "不成立", "answer": "答案集", "views": "观点", "none": "未涉及争议问题",
           "established": "已证明", "refuted": "已被否定", "unknown": "真伪不明", "not_stated": "未主张（未证明）",
           "counts_t": "视为真", "counts_f": "视为假", "claimant": "原告（主张方）", "defendant": "被告（平台）",
           "open": "开放（探索模式）", "burden": "举证责任", "view": "观点", "not_adopted": "未采纳",
           "provisions": "所引条文", "no_outcome": "无责任结论", "rule": "规则",
           "parting": "分歧所在", "only": "仅在", "common": "两者皆有",
           "relevant": "会改变结论", "irrelevant": "不改变结论", "if": "若", "gains": "新增",
           "loses": "失去", "inconsistent": "案件将自相矛盾", "see_above": "见上",
           "why": "理由", "why_not": "为何不成立", "declared": "规则库声明", "given": "输入",
           "fact": "事实", "failed": "可由下列规则得出", "now": "现视为",
           "leading": "由此得出的结论", "duty": "义务履行", "proven": "已证明", "unproven": "未证明",
           "b_claimant": "主张方", "b_defendant": "抗辩方", "case": "案件", "fixed": "已固定",
           "conflict": "无一致结论；下列事实相互冲突"},
}


def _burden_word(burden: str | None, w: Mapping[str, str]) -> str:
    """The burden class in the output language (``duty``, ``claimant``, ``defendant``)."""
    return w.get("b_" + (burden or ""), w.get(burden or "", burden or ""))


def _cite(pid: str | None, rulebase: RuleBase, lang: str) -> str:
    if not pid:
        return ""
    p = rulebase.provisions.get(pid)
    return p.cite(lang) if p else pid


def _view_label(issue: str, view: str, rulebase: RuleBase, lang: str) -> str:
    try:
        v = rulebase.issues[issue].view(view)
    except KeyError:
        return f"{issue}={view}"
    return f"{issue}={view} ({v.label_zh if lang == 'zh' else v.label_en})"


def _node_line(n: Node, rulebase: RuleBase, lang: str) -> str:
    w = _WORDS[lang]
    if n.kind == "fact":
        status = w.get(n.status or "", n.status or "")
        s = f"{w['fact']} {n.atom}: {status}, {w['counts_t'] if n.counted else w['counts_f']}"
        if n.burden:
            s += f"; {w['burden']}: {_burden_word(n.burden, w)} -> {w.get(n.bearer or '', n.bearer)}"
        if n.note and lang == "en":
            s += f" ({n.note})"
        return s
    if n.kind == "view":
        m = re.match(r"adopt\((\w+),(\w+)\)", n.atom)
        label = _view_label(m.group(1), m.group(2), rulebase, lang) if m else n.atom
        return f"{w['view']} {label}" + ("" if n.holds else f": {w['not_adopted']}")
    if n.kind == "condition":
        return f"{n.atom}" + ("" if n.holds else f"  [{w['not']}]")
    where = []
    if n.rule:
        cites = [_cite(n.rule.provision, rulebase, lang)] if n.rule.provision else []
        cites += [_cite(b, rulebase, lang) for b in n.basis if b != n.rule.provision]
        if n.rule.view:
            cites.append(_view_label(*n.rule.view, rulebase, lang))
        where.append("; ".join(c for c in cites if c))
        where.append(n.rule.id)
    elif n.basis:
        where.append("; ".join(_cite(b, rulebase, lang) for b in n.basis))
    tail = "  [" + " | ".join(x for x in where if x) + "]" if any(where) else ""
    if n.kind == "repeat":
        return f"{n.atom}  ({w['see_above']})"
    if n.kind == "absent":
        return f"{n.atom}: {w['not']}" + (f" ({n.note})" if n.note and lang == "en" else "") + tail
    if n.kind == "rule":
        return f"{w['rule']} {n.rule.id if n.rule else ''} -> {n.atom}" + (
            f"  [{_cite(n.rule.provision, rulebase, lang)}]" if n.rule and n.rule.provision else "") + (
            f"  [{_view_label(*n.rule.view, rulebase, lang)}]" if n.rule and n.rule.view else "")
    if n.kind in ("declared", "given"):
        return f"{n.atom}  ({w[n.kind]}{', ' + n.rule.id if n.rule else ''})"
    note = f"  -- {n.note}" if n.note and lang == "en" else ""
    return f"{n.atom}{tail}{note}"


def _render_tree(n: Node, rulebase: RuleBase, lang: str, prefix: str = "", last: bool = True, top: bool = True
                 ) -> list[str]:
    line = _node_line(n, rulebase, lang)
    lines = [line if top else prefix + ("└─ " if last else "├─ ") + line]
    child_prefix = "" if top else prefix + ("   " if last else "│  ")
    for i, c in enumerate(n.children):
        lines += _render_tree(c, rulebase, lang, child_prefix + ("  " if top else ""), i == len(n.children) - 1, False)
    return lines


def _deviations(nodes: Iterable[Node]) -> dict[str, str]:
    """Provision id -> the ``%% Deviation:`` line of its citation block, from the rules used."""
    out: dict[str, str] = {}
    for root in nodes:
        for n in root.walk():
            if n.rule and n.rule.provision and n.rule.deviation and n.rule.deviation.lower() not in ("none", "none."):
                out.setdefault(n.rule.provision, n.rule.deviation)
    return out


def _render_provisions(ids: Iterable[str], rulebase: RuleBase, lang: str, deviations: Mapping[str, str] | None = None
                       ) -> list[str]:
    w = _WORDS[lang]
    ids = sorted(set(ids))
    if not ids:
        return []
    lines = [f"{w['provisions']}:"]
    for pid in ids:
        p = rulebase.provisions.get(pid)
        if p is None:
            lines.append(f"  [{pid}]")
            continue
        lines.append(f"  [{pid}] {p.cite(lang)}")
        if p.text_zh:
            lines.append(f"      {p.text_zh}")
        if p.text_en and lang == "en":
            lines.append(f"      {p.text_en}")
        if lang == "en" and deviations and pid in deviations:
            lines.append(f"      Deviation of the encoding: {deviations[pid]}")
    return lines


def header_lines(ex: CaseExplanation, lang: str) -> list[str]:
    """The first line of an explanation (the case, the views fixed) and, for a case with
    no consistent outcome, the facts in conflict (``render_text`` and ``render_brief``)."""
    w = _WORDS[lang]
    sel = ", ".join(f"{i}={v}" for i, v in ex.selection)
    lines = [f"{w['case']} {ex.case_id}" + (f" ({w['fixed']}: {sel})" if sel else "")]
    if not ex.consistent:
        lines.append(f"  {w['conflict']}: " + ", ".join(ex.core))
    return lines


def answer_lines(k: int, answer: AnswerExplanation, views: str, lang: str) -> list[str]:
    """The head of the ``k``-th answer of an explanation: its views (``views`` as the caller
    writes them), the completion it assumes, or that it has no outcome (``render_text`` and
    ``render_brief``)."""
    w = _WORDS[lang]
    lines = [f"{w['answer']} {k} [{views or w['none']}]"]
    if answer.completion:
        lines.append("  " + ", ".join(f"{f} {w.get(s, s)}" for f, s in answer.completion))
    if not answer.explanations:
        lines.append(f"  {w['no_outcome']}")
    return lines


def render_text(ex: CaseExplanation, rulebase: RuleBase, lang: str = "en") -> str:
    """A readable derivation / why-not tree for each answer, then the provisions cited
    with their Chinese text (and English reading with ``lang="en"``)."""
    w = _WORDS[lang]
    lines = header_lines(ex, lang)
    if not ex.consistent:
        return "\n".join(lines)
    for k, a in enumerate(ex.answers, 1):
        lines += answer_lines(k, a, ", ".join(_view_label(i, v, rulebase, lang) for i, v in a.views), lang)
        for e in a.explanations:
            lines.append(f"  {w['why'] if e.holds else w['why_not']}: {e.target} {w['holds'] if e.holds else w['not']}")
            lines += ["    " + ln for ln in _render_tree(e.tree, rulebase, lang)]
    trees = [e.tree for a in ex.answers for e in a.explanations]
    lines += _render_provisions(ex.provisions_cited(), rulebase, lang, _deviations(trees))
    return "\n".join(lines)


def render_contrast(cs: Sequence[Contrast], rulebase: RuleBase, lang: str = "en") -> str:
    w = _WORDS[lang]
    lines: list[str] = []
    ids: set[str] = set()
    for c in cs:
        la = ", ".join(f"{i}={v}" for i, v in c.a) or "-"
        lb = ", ".join(f"{i}={v}" for i, v in c.b) or "-"
        lines.append(f"contrast [{la}] vs [{lb}]")
        lines.append(f"  {w['only']} {la}: " + (", ".join(c.only_a) or "-"))
        lines.append(f"  {w['only']} {lb}: " + (", ".join(c.only_b) or "-"))
        lines.append(f"  {w['common']}: " + (", ".join(c.common) or "-"))
        for label, nodes, chains in ((la, c.parting_a, c.chains_a), (lb, c.parting_b, c.chains_b)):
            lines.append(f"  {w['parting']} ({w['only']} {label}):")
            for n in nodes:
                lines += ["    " + ln for ln in _render_tree(n, rulebase, lang)]
                ids |= n.provisions_cited()
            if chains:
                lines.append(f"  {w['leading']} ({w['only']} {label}):")
            for n in chains:
                lines += ["    " + ln for ln in _render_tree(n, rulebase, lang)]
                ids |= n.provisions_cited()
    lines += _render_provisions(ids, rulebase, lang)
    return "\n".join(lines)


def render_relevance(rs: Sequence[FactRelevance], rulebase: RuleBase, lang: str = "en") -> str:
    w = _WORDS[lang]
    if not rs:
        return "no unknown facts" if lang == "en" else "无真伪不明的事实"
    lines = []
    for r in rs:
        views = ", ".join(f"{i}={v}" for i, v in r.views) or "-"
        head = (f"[{views}] {r.fact}: {w['now']} {w.get(r.default, r.default)} ({w['burden']}: "
                f"{_burden_word(r.burden, w)} -> {w.get(r.bearer, r.bearer)}); "
                f"{w['if']} {w.get(r.flipped, r.flipped)}: {w['relevant'] if r.relevant else w['irrelevant']}")
        lines.append(head)
        if not r.changes:
            lines.append(f"    {w['inconsistent']}")
        for v, gained, lost in r.changes:
            if gained or lost:
                vv = ", ".join(f"{i}={x}" for i, x in v) or "-"
                lines.append(f"    [{vv}] {w['gains']}: {', '.join(gained) or '-'}; {w['loses']}: {', '.join(lost) or '-'}")
    return "\n".join(lines)
