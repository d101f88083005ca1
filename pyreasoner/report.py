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

__all__ = ["DIFF_WORDS", "TEST_WORDS", "WORDS", "render_basis", "render_result", "render_views"]

#: Every word the text output uses, per language (``--lang``).
WORDS = {
    "en": {"case": "case", "answer": "answer", "answers": "answers", "fixed": "fixed",
           "none_raised": "no contested issue raised", "assuming": "assuming", "law_of": "undated: decided under the law of", "no_outcome": "no liability outcome",
           "displaced": "displaced", "by": "by", "in_all": "in every answer", "in_some": "in some answers",
           "inconsistent": "NO CONSISTENT OUTCOME",
           "conflict": "the case facts contradict the encodings; these facts conflict:",
           "issue": "issue", "source": "source", "against": "against", "read_with": " read with ",
           "proven": "proven", "unproven": "unproven",
           "own": "the paper's own position", "named": "named in the paper", "rejected": "rejected by the paper",
           "reading": "a reading the encoding offers; the paper's text does not state it",
           "in_force": "the law in force", "off": "off unless asked for (--include-rejected)",
           "concurrent": "concurrent", "beside": "beside", "either": "the claimant may rely on either",
           "cut_answers": "the limit on answers (--max-answers)", "cut_time": "the time limit (--time-limit)",
           "cut": "CUT SHORT by {why}: these are {n} of more answers, and 'in every answer' holds for these only"},
    "zh": {"case": "案件", "answer": "答案集", "answers": "个答案集", "fixed": "已固定",
           "none_raised": "未涉及争议问题", "assuming": "假定", "law_of": "未载明日期：假定适用该时期法律", "no_outcome": "无责任结论",
           "displaced": "被排除", "by": "排除依据", "in_all": "所有答案集共有", "in_some": "部分答案集才有",
           "inconsistent": "无一致结论",
           "conflict": "案件事实与规则相矛盾；下列事实相互冲突：",
           "issue": "争议问题", "source": "出处", "against": "反对意见", "read_with": "，结合",
           "proven": "已证明", "unproven": "未证明",
           "own": "论文本身的立场", "named": "论文提及的观点", "rejected": "论文反对的观点",
           "reading": "本编码提出的解读，论文正文未表述",
           "in_force": "现行法", "off": "默认不采用，须明确要求",
           "civil": "民事", "administrative": "行政", "criminal": "刑事", "procedural": "程序",
           "concurrent": "竞合", "beside": "与", "either": "请求权人可择一主张",
           "cut_answers": "答案集数量上限（--max-answers）", "cut_time": "时间上限（--time-limit）",
           "cut": "因{why}而中止：以上仅为 {n} 个答案集，并非全部；“所有答案集共有”仅就这些答案集而言"},
}


#: The words ``pyreasoner test`` prints, per language (``--lang``): the label of each test
#: and the closing line. Case ids, view selections and paths stay as they are.
TEST_WORDS = {
    "en": {"pass": "PASS", "fail": "FAIL", "skip": "SKIP", "xfail": "XFAIL", "expected_to_fail": "expected to fail",
           "note": "note", "passed": "{n} passed", "failed": "{n} failed", "skipped": "{n} skipped",
           "xfailed": "{n} expected failures", "sep": ", "},
    "zh": {"pass": "通过", "fail": "失败", "skip": "跳过", "xfail": "预期失败", "expected_to_fail": "预期失败的原因",
           "note": "说明", "passed": "{n} 项通过", "failed": "{n} 项失败", "skipped": "{n} 项跳过",
           "xfailed": "{n} 项预期失败", "sep": "，"},
}

#: The words ``pyreasoner diff`` prints, per language (``--lang``): headings, counts and the
#: marks of a change. Case ids, atoms, view selections and paths stay as they are.
DIFF_WORDS = {
    "en": {"head": "diff over {corpus}: old = {old}, new = {new}", "change": "{n} of {total} case(s) change",
           "unsolved": "; {n} could not be solved",
           "by_provision": "by provision (cases where an outcome on it appears or vanishes):",
           "by_view": "by view (cases with a change under it):", "cases": "cases:",
           "no_side": "(no consistent outcome on one side)",
           "no_outcome": "(an answer with no outcome appears or vanishes)",
           "lost": "consistent -> NO CONSISTENT OUTCOME (conflict: {core})",
           "gained": "NO CONSISTENT OUTCOME -> consistent", "no_issue": "no contested issue", "assuming": "assuming",
           "none_before": "(no such answer before)", "none_after": "(no such answer after)",
           "more": "... {n} more (see --out)", "more_ids": " (+{n} more)", "not_solved": "not solved: {message}",
           "working_tree": " (working tree)", "with": " with {views}", "detail": "detail: {n} record(s) written to {out}"},
    "zh": {"head": "差异（{corpus}）：旧 = {old}，新 = {new}", "change": "{total} 个案件中 {n} 个结论有变化",
           "unsolved": "；{n} 个无法求解",
           "by_provision": "按条文（该条文下有结论出现或消失的案件）：",
           "by_view": "按观点（该观点下有变化的案件）：", "cases": "案件：",
           "no_side": "（一方无一致结论）",
           "no_outcome": "（无责任结论的答案集出现或消失）",
           "lost": "一致 -> 无一致结论（冲突：{core}）",
           "gained": "无一致结论 -> 一致", "no_issue": "未涉及争议问题", "assuming": "假定",
           "none_before": "（此前无此答案集）", "none_after": "（此后无此答案集）",
           "more": "…… 另有 {n} 项（见 --out）", "more_ids": "（另有 {n} 个）", "not_solved": "未求解：{message}",
           "working_tree": "（工作区）", "with": "（固定 {views}）", "detail": "明细：{n} 条记录已写入 {out}"},
}


def render_basis(outcome: Outcome, rulebase: RuleBase, lang: str = "en") -> str:
    parts = []
    for pid in outcome.basis:
        prov = rulebase.provisions.get(pid)
        parts.append(prov.cite(lang) if prov else pid)
    return WORDS[lang]["read_with"].join(parts)


def render_result(result: Result, rulebase: RuleBase, lang: str = "en") -> str:
    """A case's answers: views adopted, outcomes with their basis, what was displaced.
    The columns of the outcome table are as wide as their widest entry."""
    w = WORDS[lang]
    lines = []
    if not result.consistent:
        lines.append(f"{w['case']} {result.case_id}: {w['inconsistent']}")
        lines.append(f"  {w['conflict']}")
        lines += [f"    {c}" for c in result.core]
        return "\n".join(lines)
    n = len(result.answers)
    sel = ", ".join(f"{i}={v}" for i, v in result.selection)
    count = (f"{n} {w['answer']}" + ("s" if n != 1 else "")) if lang == "en" else f"{n} {w['answers']}"
    lines.append(f"{w['case']} {result.case_id}: {count}" + (f" ({w['fixed']}: {sel})" if sel else ""))
    outcomes = [o for a in result.answers for o in a.outcomes]
    kind = {o.kind: w.get(o.kind, o.kind) for o in outcomes}
    wk = max((_width(k) for k in kind.values()), default=0)
    wp = max((len(o.party) for o in outcomes), default=0)
    wf = max((len(o.form_text) for o in outcomes), default=0)
    for k, ans in enumerate(result.answers, 1):
        views = ", ".join(f"{i}={v}" for i, v in ans.views) or w["none_raised"]
        lines.append(f"  {w['answer']} {k} [{views}]")
        if ans.completion:
            lines.append(f"    {w['assuming']} " + ", ".join(f"{f} {w.get(s, s)}" for f, s in ans.completion))
        for atom in ans.assumed:
            *_, period = atom[len("assumed_period("):-1].split(",")
            lines.append(f"    {w['law_of']} {period} ({atom})")
        if not ans.outcomes:
            lines.append(f"    {w['no_outcome']}")
        for o in ans.outcomes:
            pad = " " * (wk - _width(kind[o.kind]))
            lines.append(f"    {kind[o.kind]}{pad}  {o.party:<{wp}}  {o.form_text:<{wf}}  {render_basis(o, rulebase, lang)}")
        for q, p in ans.displaced:
            lines.append(f"    {w['displaced']}: {_cite(q, rulebase, lang)} {w['by']} {_cite(p, rulebase, lang)}")
        for atom in sorted(a for a in ans.atoms if a.startswith("concurrent(")):
            q, p = atom[len("concurrent("):-1].split(",", 1)
            lines.append(f"    {w['concurrent']}: {_cite(q, rulebase, lang)} {w['beside']} {_cite(p, rulebase, lang)} ({w['either']})")
    if n > 1:
        lines.append(f"  {w['in_all']}: " + (", ".join(o.atom for o in result.in_all) or "-"))
        lines.append(f"  {w['in_some']}: " + (", ".join(o.atom for o in result.in_some) or "-"))
    if result.cut:
        why = w["cut_answers"] if result.cut == "answers" else w["cut_time"]
        lines.append("  " + w["cut"].format(why=why, n=n))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns a text takes on a terminal (a CJK character takes two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cite(pid: str, rulebase: RuleBase, lang: str) -> str:
    prov = rulebase.provisions.get(pid)
    return prov.cite(lang) if prov else pid


def render_views(rulebase: RuleBase, lang: str = "en") -> str:
    """The contested issues and their views with status and source (``pyreasoner views``)."""
    w = WORDS[lang]
    lines = []
    width = max((len(v.id) for i in rulebase.issues.values() for v in i.views), default=0)
    for issue in rulebase.issues.values():
        lines.append(f"{w['issue']} {issue.id}: {issue.label_zh if lang == 'zh' else issue.label_en}")
        for v in issue.views:
            label = v.label_zh if lang == "zh" else v.label_en
            status = w.get(v.status, STATUS_LABELS[v.status]) + (("；" if lang == "zh" else "; ") + w["off"] if v.off_by_default else "")
            lines.append(f"  {issue.id}={v.id:<{width}}  {label}  [{status}]")
            lines.append(f"      {w['source']}: {v.source_zh if lang == 'zh' else v.source}")
            if v.in_force:
                lines.append(f"      {w['in_force']}: {v.in_force_zh if lang == 'zh' else v.in_force}")
            for prov, text in (v.counterpoints_zh if lang == "zh" else v.counterpoints):
                lines.append(f"      {w['against']} ({_cite(prov, rulebase, lang)}): {text}")
    return "\n".join(lines)
