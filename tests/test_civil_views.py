"""House rules of the civil rule base, checked on the files themselves: every rule of a view
file is guarded by the adoption of its own view; every view declares label, status and
source; every civil provision has its citation block and text; and on one case every
Issue B view gives an answer no other view gives (a project reading of Qin 2025 §3.2-§4.1)."""

from __future__ import annotations

import re

import pytest
from pyreasoner.case import _lp_statements
from pyreasoner.views import VIEW_STATUSES

from conftest import ROOT, find_case, solve

ENC = ROOT / "encodings"
VIEW_DIRS = {"a": ENC / "views" / "a_scope", "b": ENC / "views" / "b_form", "c": ENC / "views" / "c_burden",
             "d": ENC / "views" / "d_concurrence"}
CIVIL_STATUTES = sorted(p for p in (ENC / "statutes").glob("*.lp") if p.name.split("_")[0] in ("ecl", "cc", "fsl", "crpl"))
DECLARATIONS = ("view(", "view_label(", "view_status(", "view_source(", "view_in_force(", "counterpoint(", "issue(", "#show", "#defined")


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
    assert view.label_zh and view.label_en and view.source and view.source_zh
    assert view.status in VIEW_STATUSES
    text = path.read_text(encoding="utf-8")
    assert "%% Status:" in text and "%% Claim:" in text
    if issue in "abd":
        assert "%% Source:" in text, f"{issue}/{path.stem}: no Source: line"
    for source in (view.source, view.source_zh):
        assert re.search(r"§\d", source), f"{issue}/{path.stem}: the source names no section of the paper"


def test_view_statuses_follow_the_paper(reasoner):
    status = {(i.id, v.id): v.status for i in reasoner.issues.values() for v in i.views if i.id in "abcd"}
    assert [k for k, s in status.items() if s == "own"] == [("a", "civil_only"), ("b", "staged_fault"), ("c", "reversed")]
    # Qin 2025 §4.1.1 rejects the joint view; §5.3 the no-fault principle; §4.3 and §5.4 the
    # ordinary burden where the reversal reaches ("如依旧遵循此类做法却明显会对消费者的维权造成阻碍").
    assert [k for k, s in status.items() if s == "rejected"] == [("b", "joint"), ("c", "no_fault"), ("c", "ordinary")]
    # Not stated in the paper's text: proportional joint liability (only the title of its ref. [2]),
    # and both readings of Issue D (the paper names neither FSL 131 nor CRPL 44).
    assert [k for k, s in status.items() if s == "reading"] == [("b", "proportional_joint"), ("d", "concurrent"), ("d", "displace")]


def test_only_the_ordinary_burden_is_a_rejected_view_in_force(reasoner):
    """The paper rejects the ordinary burden for the cases Issue C is raised in (Qin 2025 §4.3,
    §5.4), but it is the rule of the law in force (CPL Art. 67(1)), so it stays on by default;
    the other rejected views (joint, no_fault) are no rule of the law in force and stay off."""
    views = [v for i in reasoner.issues.values() for v in i.views]
    assert [(v.issue, v.id) for v in views if v.in_force] == [("c", "ordinary")]
    ordinary = reasoner.issues["c"].view("ordinary")
    assert "Art. 67(1)" in ordinary.in_force and "第六十七条第一款" in ordinary.in_force_zh
    assert [(v.issue, v.id) for v in views if v.off_by_default] == [("b", "joint"), ("c", "no_fault")]
    assert all(v.off_by_default == (v.status == "rejected" and not v.in_force) for v in views)


def test_by_default_an_issue_c_case_has_the_law_in_force_beside_the_papers_reversal(reasoner):
    case = find_case("burden_reversed_in_scope")
    result = reasoner.solve(case)
    by_view = {}
    for answer in result.answers:
        by_view.setdefault(dict(answer.views)["c"], []).append(answer)
    assert sorted(by_view) == ["ordinary", "reversed"]  # no_fault: rejected, not the law in force
    (ordinary,) = by_view["ordinary"]
    assert ordinary.outcomes == ()  # the consumer did not prove the breach of the review
    assert all(a.outcomes for a in by_view["reversed"])
    # the same answers through the batch engine
    (many,) = reasoner.solve_many([case])
    assert sorted(a.views for a in many.answers) == sorted(a.views for a in result.answers)


def test_the_joint_view_is_rejected_with_the_papers_reasons(reasoner):
    joint = reasoner.issues["b"].view("joint")
    assert "§4.1.1" in joint.source and "并不符合立法原意" in joint.source_zh
    reasons = " ".join(text for _, text in joint.counterpoints_zh)
    assert "法律明文规定或当事人明确约定" in reasons and "三审稿" in reasons and "显失比例" in reasons
    assert all("§4.1.1" in text for _, text in joint.counterpoints + joint.counterpoints_zh)
    # the English reasons are the same reasons, in the same order
    assert [p for p, _ in joint.counterpoints] == [p for p, _ in joint.counterpoints_zh]
    assert "third-reading draft" in " ".join(text for _, text in joint.counterpoints)
    text = (VIEW_DIRS["b"] / "joint.lp").read_text(encoding="utf-8")
    assert "%% Status: rejected." in text and "亦难以成为通说" in text


def test_views_are_attributed_only_where_the_paper_attributes_them(reasoner):
    b = reasoner.issues["b"]
    # The paper reports these camps without naming their holders (有观点主张 / 有观点认为 / 另一种观点认为);
    # the works it cites in the same paragraphs are not the views' authors.
    for view, holder in ((reasoner.issues["a"].view("comprehensive"), "倪楠"), (b.view("supplementary"), "谢鸿飞"),
                         (b.view("joint"), "张义华"), (b.view("proportional"), "杨立新")):
        assert holder not in view.source_zh and holder not in view.source, view.id


def test_the_cc_1198_analogy_camp_is_two_views_as_the_paper_words_them(reasoner):
    ids = {v.id for v in reasoner.issues["b"].views}
    assert not ids & {"restricted_1198", "supplementary_only"}, "the paper reports two views of the camp, not three"
    first, second = reasoner.issues["b"].view("by_merchant_fault"), reasoner.issues["b"].view("supplementary")
    assert "§4.1.2" in first.source and "第一种观点" in first.source_zh and "first view" in first.source
    assert "§4.1.2" in second.source and "第二种观点" in second.source_zh and "second view" in second.source
    # the first view's rationale (a restricted CC 1198(2), both negligent -> CC 1172) is recorded as its tension
    assert any(p == "cc_1172" and "目的性限缩" in text for p, text in first.counterpoints_zh)
    # no uncapped supplementary liability: the paper has none
    for path in ENC.rglob("*.lp"):
        assert "supplementary_uncapped" not in path.read_text(encoding="utf-8"), path


def test_the_rejected_joint_view_is_off_by_default(reasoner):
    case = find_case("life_health_split")
    default = reasoner.solve(case)
    assert {dict(a.views)["b"] for a in default.answers} == {
        "supplementary", "proportional", "by_merchant_fault", "proportional_joint", "staged_fault"}
    asked = reasoner.solve(case, include_rejected=True)
    assert "joint" in {dict(a.views)["b"] for a in asked.answers}


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
    for name, (_value, pid) in reasoner.rulebase.params.items():
        assert pid in reasoner.rulebase.provisions, f"param {name} cites undeclared {pid}"


def test_each_issue_b_view_alone_gives_its_answer_on_one_case(reasoner):
    case = find_case("issue_b_views_one_case")
    result = reasoner.solve(case, views={"a": "civil_only"}, include_rejected=True)
    by_view = {dict(a.views)["b"]: frozenset(o.atom for o in a.outcomes) for a in result.answers}
    assert sorted(by_view) == sorted(v.id for v in reasoner.issues["b"].views)
    assert len(set(by_view.values())) == len(by_view), "two views of Issue B gave the same answer"
    for view, outs in by_view.items():
        assert outs, f"{view} gave no outcome"


# --------------------------------------------------------------------------- solving helpers
BASE = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)",
        "sold(m, g, c)", "concerns_life_health(g)", "damage(c, g)", "caused_damage(p, c, g)"]
B_VIEWS = ["joint", "supplementary", "proportional", "by_merchant_fault", "proportional_joint", "staged_fault"]


def outcomes(answer):
    return {o.atom for o in answer.outcomes}


# --------------------------------------------------------------------------- the paper's conditional positions
def test_supplementary_only_for_an_indirect_tort_with_a_minor_role(reasoner):
    """Qin 2025 §3.2.2: the monitoring stage (indirect tort, §5.2.2) with the platform's causal
    weight below the merchant's gives supplementary liability; without the minor role, vicarious."""
    facts = BASE + ["reviewed_qualification(p, m)"]
    minor = solve(reasoner, facts + ["causal_weight(p, 1)", "causal_weight(m, 3)"], refuted=["monitored_listing(p, g)"],
                  views={"b": "staged_fault", "a": "civil_only"})
    (a,) = minor.answers
    assert "outcome(civil,p,supplementary(m,1,4),(ecl_38_2,cc_1198_2))" in outcomes(a)
    assert "staged_basis(p,m,monitoring,indirect_tort_minor_role)" in a.atoms
    major = solve(reasoner, facts + ["causal_weight(p, 3)", "causal_weight(m, 1)"], refuted=["monitored_listing(p, g)"],
                  views={"b": "staged_fault", "a": "civil_only"})
    (b,) = major.answers
    assert outcomes(b) == {"outcome(civil,p,vicarious(m),ecl_38_2)"}
    assert "staged_basis(p,m,monitoring,indirect_tort)" in b.atoms


def test_proportional_where_the_platforms_causal_force_is_weak(reasoner):
    """Qin 2025 §3.2.3: the platform's own (review-stage) tort with weak causal force gives shares
    (CC 1172); with the stronger causal force, the direct tort of §5.2.1."""
    facts = BASE + ["monitored_listing(p, g)"]
    weak = solve(reasoner, facts + ["causal_weight(p, 1)", "causal_weight(m, 4)"], refuted=["reviewed_qualification(p, m)"],
                 views={"b": "staged_fault", "a": "civil_only"})
    (a,) = weak.answers
    assert outcomes(a) == {"outcome(civil,p,share(m,1,5),(ecl_38_2,cc_1172))", "outcome(civil,m,share(p,4,5),(ecl_38_2,cc_1172))"}
    assert "staged_basis(p,m,review,weak_causal_force)" in a.atoms
    strong = solve(reasoner, facts + ["causal_weight(p, 4)", "causal_weight(m, 1)"], refuted=["reviewed_qualification(p, m)"],
                   views={"b": "staged_fault", "a": "civil_only"})
    (b,) = strong.answers
    assert outcomes(b) == {"outcome(civil,p,direct_tort(m),(ecl_38_2,cc_1165_1))"}


def test_assisting_the_consumers_claim_is_a_remedy_of_the_complaint_stage(reasoner):
    """Qin 2025 §5.2.3: "赔偿损失或协助消费者维权的相应责任" - only where the complaint stage failed."""
    complaint = BASE + ["reviewed_qualification(p, m)", "monitored_listing(p, g)", "complained(c, p, g)", "enlarged_damage(c, g)"]
    r = solve(reasoner, complaint, refuted=["handled_complaint(p, c, g)"], views={"b": "staged_fault", "a": "civil_only"})
    (a,) = r.answers
    assert outcomes(a) == {"outcome(civil,p,assist_consumer_claim(c),ecl_38_2)", "outcome(civil,p,enlarged_damage_only(m),ecl_38_2)"}
    review = solve(reasoner, BASE + ["monitored_listing(p, g)"], refuted=["reviewed_qualification(p, m)"], views={"b": "staged_fault", "a": "civil_only"})
    assert not any("assist_consumer_claim" in o for a in review.answers for o in outcomes(a))


# --------------------------------------------------------------------------- causation by stage, every view
@pytest.mark.parametrize("view", B_VIEWS)
def test_a_complaint_stage_breach_reaches_only_the_enlarged_damage_under_every_view(reasoner, view):
    complaint = BASE + ["reviewed_qualification(p, m)", "monitored_listing(p, g)", "complained(c, p, g)", "enlarged_damage(c, g)"]
    r = solve(reasoner, complaint, refuted=["handled_complaint(p, c, g)"], views={"b": view, "c": "ordinary"}, include_rejected=True)
    assert r.answers
    for a in r.answers:
        assert "outcome(civil,p,enlarged_damage_only(m),ecl_38_2)" in outcomes(a), (view, outcomes(a))
    # a breach at an earlier stage reaches the whole damage: no such limit
    both = solve(reasoner, [f for f in complaint if not f.startswith("reviewed")],
                 refuted=["handled_complaint(p, c, g)", "reviewed_qualification(p, m)"],
                 views={"b": view, "c": "ordinary"}, include_rejected=True)
    assert both.answers and all("enlarged_damage_only" not in o for a in both.answers for o in outcomes(a))
    # without enlarged damage the failed complaint caused nothing: 38(2) does not apply (Issue C is
    # fixed to the ordinary rule: the rejected no-fault view needs no breach at all)
    none = solve(reasoner, [f for f in complaint if not f.startswith("enlarged")], refuted=["handled_complaint(p, c, g)"],
                 views={"b": view, "c": "ordinary"}, include_rejected=True)
    assert all(not outcomes(a) for a in none.answers)


# --------------------------------------------------------------------------- Issue D: FSL 131 / CRPL 44(2)
FOOD = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)", "sold(m, meal, c)",
        "food(meal)", "damage(c, meal)", "caused_damage(p, c, meal)", "registered_real_name(p, m)", "monitored_listing(p, meal)"]


def test_fsl_131_displaces_38_2_only_under_the_displace_reading(reasoner):
    displace = solve(reasoner, FOOD, refuted=["reviewed_qualification(p, m)"], views={"d": "displace"})
    (a,) = displace.answers
    assert outcomes(a) == {"outcome(civil,p,joint_several(m),fsl_131_1)"}
    assert "displaced(ecl_38_2,fsl_131_1)" in a.atoms
    assert set(dict(a.views)) == {"d"}, "a displaced 38(2) raises neither Issue A nor Issue B"
    concurrent = solve(reasoner, FOOD, refuted=["reviewed_qualification(p, m)"], views={"d": "concurrent", "b": "staged_fault"})
    assert concurrent.answers
    for a in concurrent.answers:
        assert {"outcome(civil,p,joint_several(m),fsl_131_1)", "outcome(civil,p,direct_tort(m),(ecl_38_2,cc_1165_1))"} <= outcomes(a)
        assert "concurrent(fsl_131_1,ecl_38_2)" in a.atoms
        assert not any(x.startswith("displaced(") for x in a.atoms)


def test_the_displacement_of_38_2_by_fsl_131_and_crpl_44_is_contested_and_decided_only_by_issue_d():
    for name, pid in (("fsl_131.lp", "fsl_131_1"), ("crpl_44.lp", "crpl_44_2")):
        stmts = statements((ENC / "statutes" / name).read_text(encoding="utf-8"))
        assert f"overrides({pid}, ecl_38_2)" in stmts and f"contested_override({pid}, ecl_38_2)" in stmts, name
    displace = statements((VIEW_DIRS["d"] / "displace.lp").read_text(encoding="utf-8"))
    assert "override_holds(P, Q) :- adopt(d, displace), contested_override(P, Q)" in displace
    provisions = statements((ENC / "prologue" / "provisions.lp").read_text(encoding="utf-8"))
    assert ("displaced(Q, P, M) :- applies(P, M), applies(Q, M), overrides(P, Q), not contested_override(P, Q)"
            in provisions)


def test_issue_d_is_not_raised_where_a_fixed_rule_displaced_38_2(reasoner):
    """38(1) displaces 38(2) on its own terms: whether CRPL 44(2) would too changes nothing."""
    facts = BASE + ["unsafe(g)", "red_flag(p, m)"]
    r = solve(reasoner, facts, refuted=["took_necessary_measures(p, m)", "reviewed_qualification(p, m)"])
    (a,) = r.answers
    assert dict(a.views) == {}
    assert "displaced(ecl_38_2,ecl_38_1)" in a.atoms and "displaced(ecl_38_2,crpl_44_2)" not in a.atoms


# --------------------------------------------------------------------------- Issue A only where 38(2) is open
def test_issue_a_is_raised_only_where_38_2_applies_undisplaced(reasoner):
    open_ = solve(reasoner, BASE + ["monitored_listing(p, g)"], refuted=["reviewed_qualification(p, m)"])
    assert all("a" in dict(a.views) for a in open_.answers)
    displaced = solve(reasoner, BASE + ["force_majeure(g)", "monitored_listing(p, g)"], refuted=["reviewed_qualification(p, m)"])
    assert all("a" not in dict(a.views) for a in displaced.answers)
    text = (VIEW_DIRS["a"] / "issue.lp").read_text(encoding="utf-8")
    assert "raised(a) :- open_38_2(_)" in statements(text)


# --------------------------------------------------------------------------- ECL 45: knew or should have known
@pytest.mark.parametrize("k", ["actual_knowledge", "red_flag"])
def test_ecl_45_reads_knew_or_should_have_known_under_every_knowledge_view(reasoner, k):
    facts = BASE + ["ip_infringing(m, g)", "red_flag(p, m)", "monitored_listing(p, g)"]
    r = solve(reasoner, facts, refuted=["took_necessary_measures(p, m)", "reviewed_qualification(p, m)"], views={"k": k})
    (a,) = r.answers
    assert outcomes(a) == {"outcome(civil,p,joint_several(m),ecl_45)"}
    assert "displaced(ecl_38_2,ecl_45)" in a.atoms


def test_ecl_45_does_not_depend_on_issue_k():
    stmts = statements((ENC / "statutes" / "ecl_45.lp").read_text(encoding="utf-8"))
    rules = [s for s in stmts if s.startswith("applies(ecl_45, K) :- ecl_governs")]
    assert rules and all("knows_or_should(P, M)" in s for s in rules)
    assert not any("adopt(k" in s or "knowledge_met" in s for s in stmts)
    ecl_38 = statements((ENC / "statutes" / "ecl_38.lp").read_text(encoding="utf-8"))
    kos = [s for s in ecl_38 if s.startswith("knows_or_should(")]
    assert len(kos) == 2 and not any("adopt(" in s for s in kos)


def test_the_text_report_names_which_rule_displaced_which_or_stands_beside_it(reasoner):
    from pyreasoner.report import render_result
    case = find_case("food_platform_no_licence_check")
    concurrent = render_result(reasoner.solve(case, views={"d": "concurrent", "a": "civil_only", "b": "staged_fault"}),
                               reasoner.rulebase)
    assert "concurrent: Food Safety Law Art. 131(1) beside E-Commerce Law Art. 38(2)" in concurrent
    displace = render_result(reasoner.solve(case, views={"d": "displace"}), reasoner.rulebase)
    assert "displaced: E-Commerce Law Art. 38(2) by Food Safety Law Art. 131(1)" in displace
    assert "concurrent:" not in displace


def test_python_and_the_encodings_agree_on_the_views_adopted_by_default(reasoner):
    """``Reasoner.solve`` denies the views Python holds off by default (Query.of); ``check``
    leaves it to the encodings' own constraint (prologue/views.lp, view_in_force/4). Both must
    give the same answers on every bundled case that raises Issue C."""
    from pyreasoner.case import find_case_files, load_case
    from pyreasoner.check import check_case

    from conftest import CASES

    raising = 0
    for path in find_case_files([CASES]):
        case = load_case(path, reasoner.vocabulary)
        result = reasoner.solve(case)
        if not any(dict(a.views).get("c") for a in result.answers):
            continue
        raising += 1
        assert check_case(reasoner, case).answers == len(result.answers), case.id
    assert raising >= 5


def test_views_show_the_law_in_force_and_what_is_off(reasoner):
    import json

    from pyreasoner.report import render_views

    text = render_views(reasoner.rulebase, "en").splitlines()
    at = next(n for n, line in enumerate(text) if line.strip().startswith("c=ordinary"))
    assert "off unless asked for" not in text[at]
    assert text[at + 2].strip().startswith("the law in force: Civil Procedure Law Art. 67(1)")
    assert "off unless asked for" in next(line for line in text if line.strip().startswith("c=no_fault"))
    assert "现行法: 民事诉讼法第六十七条第一款" in render_views(reasoner.rulebase, "zh")
    proc = __import__("subprocess").run([__import__("sys").executable, "-m", "pyreasoner", "views", "--format", "json"],
                                        capture_output=True, text=True, cwd=ROOT, check=True)
    views = {(i["id"], v["id"]): v for i in json.loads(proc.stdout) for v in i["views"]}
    assert views[("c", "ordinary")]["off_by_default"] is False and "67(1)" in views[("c", "ordinary")]["in_force"]
    assert views[("c", "no_fault")]["off_by_default"] is True and views[("c", "no_fault")]["in_force"] == ""


def test_a_view_in_force_without_its_citation_is_refused(tmp_path):
    import shutil

    from pyreasoner.errors import EncodingError
    from pyreasoner.rulebase import RuleBase

    folder = tmp_path / "encodings"
    shutil.copytree(ROOT / "encodings", folder)
    lp = folder / "views" / "c_burden" / "ordinary.lp"
    text = lp.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("view_in_force(c, ordinary,"))
    lp.write_text(text.replace(line, 'view_in_force(c, ordinary, "", "").'), encoding="utf-8")
    with pytest.raises(EncodingError, match=r"view_in_force\(c, ordinary"):
        RuleBase(folder / "main.lp")
