"""House rules of the civil rule base, checked on the files themselves: every rule of a view
file is guarded by the adoption of its own view; every view declares label, status and
source; every civil provision has its citation block and text; and on one case every
Issue B view gives an answer no other view gives (a project reading of Qin 2025 §3.2-§4.1)."""

from __future__ import annotations

import re

import pytest

from pyreasoner.case import _lp_statements

from conftest import ROOT, find_case

ENC = ROOT / "encodings"
VIEW_DIRS = {"a": ENC / "views" / "a_scope", "b": ENC / "views" / "b_form", "c": ENC / "views" / "c_burden"}
CIVIL_STATUTES = sorted(p for p in (ENC / "statutes").glob("*.lp") if p.name.split("_")[0] in ("ecl", "cc", "fsl", "crpl"))
DECLARATIONS = ("view(", "view_label(", "view_status(", "view_source(", "counterpoint(", "issue(", "#show", "#defined")


def statements(text: str) -> list[str]:
    """The statements of .lp text, comments dropped, white space folded (the case
    loader's own splitter)."""
    return [" ".join(stmt.split()) for _, stmt in _lp_statements(text, "<view file>")]


VIEW_FILES = [(issue, p) for issue, d in VIEW_DIRS.items() for p in sorted(d.glob("*.lp")) if p.name != "issue.lp"]


@pytest.mark.parametrize(("issue", "path"), VIEW_FILES, ids=[f"{i}/{p.stem}" for i, p in VIEW_FILES])
def test_every_rule_of_a_view_is_guarded_by_its_own_adoption(issue, path):
    guard = re.compile(rf"\badopt\(\s*{issue}\s*,\s*{path.stem}\s*\)")
    bad = [s for s in statements(path.read_text(encoding="utf-8"))
           if not s.startswith(DECLARATIONS) and ":-" in s and not guard.search(s.split(":-", 1)[1])]
    assert bad == []
    facts = [s for s in statements(path.read_text(encoding="utf-8")) if ":-" not in s and not s.startswith(DECLARATIONS)]
    assert facts == [], "a view file states no facts beyond its declarations"


@pytest.mark.parametrize(("issue", "path"), VIEW_FILES, ids=[f"{i}/{p.stem}" for i, p in VIEW_FILES])
def test_every_view_declares_label_status_and_source(reasoner, issue, path):
    view = reasoner.issues[issue].view(path.stem)
    assert view.label_zh and view.label_en and view.source
    assert view.status in ("own", "named", "rejected")
    text = path.read_text(encoding="utf-8")
    assert "%% Status:" in text and "%% Claim:" in text


def test_view_statuses_follow_the_paper(reasoner):
    status = {(i.id, v.id): v.status for i in reasoner.issues.values() for v in i.views if i.id in "abc"}
    assert [k for k, s in status.items() if s == "own"] == [("a", "civil_only"), ("b", "staged_fault"), ("c", "reversed")]
    assert [k for k, s in status.items() if s == "rejected"] == [("c", "no_fault")]


@pytest.mark.parametrize("path", CIVIL_STATUTES, ids=[p.stem for p in CIVIL_STATUTES])
def test_every_civil_provision_has_its_citation_block_and_text(reasoner, path):
    text = path.read_text(encoding="utf-8")
    ids = re.findall(r"^provision\((\w+),", text, re.M)
    assert ids, f"{path.name} declares no provision"
    for pid in ids:
        block = re.search(rf"^%% \[{pid}\] .+ / .+\n%% Reading: .+(\n%%.*)*?\n%% Deviation: ", text, re.M)
        assert block, f"{path.name}: {pid} lacks its citation block ([id] zh / en, Reading:, Deviation:)"
        prov = reasoner.rulebase.provisions[pid]
        assert prov.text_zh and prov.text_en, f"{pid} lacks provision_text/3"
        assert prov.text_zh in text


def test_params_name_declared_provisions(reasoner):
    for name, (value, pid) in reasoner.rulebase.params.items():
        assert pid in reasoner.rulebase.provisions, f"param {name} cites undeclared {pid}"


def test_each_issue_b_view_alone_gives_its_answer_on_one_case(reasoner):
    case = find_case("eight_views_one_case")
    result = reasoner.solve(case, views={"a": "civil_only"})
    by_view = {dict(a.views)["b"]: frozenset(o.atom for o in a.outcomes) for a in result.answers}
    assert sorted(by_view) == sorted(v.id for v in reasoner.issues["b"].views)
    assert len(set(by_view.values())) == len(by_view), "two views of Issue B gave the same answer"
    for view, outs in by_view.items():
        assert outs, f"{view} gave no outcome"
