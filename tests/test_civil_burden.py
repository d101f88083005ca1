"""Issue C (views/c_burden/) and the burden of proof of prologue/facts.lp: every element has a
burden class; the reversal holds only when all its conditions hold, each missing in turn
defeats it; explore mode leaves unknowns open and each completion gives its own outcomes."""

from __future__ import annotations

import pytest
from pyreasoner import _engine

from conftest import solve

BASE = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)", "sold(m, g, c)",
        "concerns_life_health(g)", "damage(c, g)", "caused_damage(p, c, g)", "monitored_listing(p, g)"]
IN_SCOPE = BASE + ["injury(c, g, serious)", "prima_facie_evidence(c, p, g)"]
UNKNOWN_REVIEW = ["reviewed_qualification(p, m)"]
LIABLE = "outcome(civil,p,direct_tort(m),(ecl_38_2,cc_1165_1))"


def liable(result):
    return [LIABLE in a.atoms for a in result.answers]


def test_every_element_has_a_burden_class(reasoner):
    rows = _engine.ground_facts(reasoner.rulebase.program, [("element", 2)])[("element", 2)]
    assert rows, "the civil statutes declare their elements"
    missing = sorted({str(pred) for _, pred in rows if pred not in reasoner.vocabulary})
    assert missing == []
    assert {reasoner.vocabulary[str(pred)].burden for _, pred in rows} == {"claimant", "defendant", "duty"}
    assert reasoner.vocabulary["reviewed_qualification"].burden == "duty"
    assert reasoner.vocabulary["third_party_act"].burden == "defendant"


def test_reversal_in_scope_flips_the_unknown_review(reasoner):
    ordinary = solve(reasoner, IN_SCOPE, unknown=UNKNOWN_REVIEW, views={"c": "ordinary", "b": "staged_fault"})
    reversed_ = solve(reasoner, IN_SCOPE, unknown=UNKNOWN_REVIEW, views={"c": "reversed", "b": "staged_fault"})
    assert liable(ordinary) == [False]
    assert liable(reversed_) == [True, True]  # two answers: Issue A's views
    assert all("reversed_on(reviewed_qualification(p,m),health)" in a.atoms for a in reversed_.answers)


@pytest.mark.parametrize(("change", "why"), [
    (lambda f: [x for x in f if not x.startswith(("prima_facie", "caused_damage"))], "no showing, no link"),
    (lambda f: f + ["third_party_act(g)"], "uncontrollable third-party act"),
    (lambda f: f + ["force_majeure(g)"], "force majeure"),
    (lambda f: [x for x in f if not x.startswith("injury")], "out of scope: no harm to life or health"),
])
def test_each_missing_condition_defeats_the_reversal(reasoner, change, why):
    r = solve(reasoner, change(IN_SCOPE), unknown=UNKNOWN_REVIEW, views={"c": "reversed"})
    assert r.answers and not any(a.outcomes for a in r.answers), why
    assert not any(x.startswith("reversed_on") for a in r.answers for x in a.atoms), why


def test_a_proven_link_makes_the_prima_facie_showing(reasoner):
    """Qin 2025 §5.4.2: the consumer shows that the damage may be linked to the platform; a case that proves
    the link (caused_damage/3) has made that showing, stated or not. The showing alone, without the link,
    starts nothing that decides: causation stays with the consumer (CC 1165(2), a presumption of fault)."""
    no_showing = [x for x in IN_SCOPE if not x.startswith("prima_facie")]
    r = solve(reasoner, no_showing, unknown=UNKNOWN_REVIEW, views={"c": "reversed", "b": "staged_fault"})
    assert liable(r) == [True, True]
    assert all("reversed_on(reviewed_qualification(p,m),health)" in a.atoms for a in r.answers)
    showing_only = [x for x in IN_SCOPE if not x.startswith("caused_damage")]
    r = solve(reasoner, showing_only, unknown=UNKNOWN_REVIEW, views={"c": "reversed"})
    assert r.answers and not any(a.outcomes for a in r.answers)


@pytest.mark.parametrize(("fact", "branch"), [("platform_led(p, g, payment)", "platform_led"),
                                              ("platform_led(p, g, logistics)", "platform_led"),
                                              ("information_asymmetry(c, p)", "asymmetry")])
def test_other_scope_branches(reasoner, fact, branch):
    facts = [x for x in IN_SCOPE if not x.startswith("injury")] + [fact]
    r = solve(reasoner, facts, unknown=UNKNOWN_REVIEW, views={"c": "reversed", "b": "staged_fault"})
    assert all(LIABLE in a.atoms and f"reversed_on(reviewed_qualification(p,m),{branch})" in a.atoms
               for a in r.answers)


MONITORING_AT_ISSUE = [x for x in IN_SCOPE if x != "monitored_listing(p, g)"] + ["reviewed_qualification(p, m)"]
VICARIOUS = "outcome(civil,p,vicarious(m),ecl_38_2)"


@pytest.mark.parametrize("domain", ["transaction_anomaly", "information_security", "qualification_review"])
def test_the_monitoring_is_reversed_only_inside_the_papers_domains(reasoner, domain):
    # Qin 2025 §5.4.2: 资质审核、信息安全、交易异常监测 - listing monitoring as such is none of them
    outside = solve(reasoner, MONITORING_AT_ISSUE, unknown=["monitored_listing(p, g)"])
    assert len(outside.answers) == 1 and outside.answers[0].outcomes == () and "c" not in dict(outside.answers[0].views)
    inside = MONITORING_AT_ISSUE + [f"monitoring_domain(p, g, {domain})"]
    rev = solve(reasoner, inside, unknown=["monitored_listing(p, g)"], views={"c": "reversed", "b": "staged_fault"})
    assert rev.answers and all(VICARIOUS in a.atoms and "reversed_on(monitored_listing(p,g),health)" in a.atoms
                               for a in rev.answers)
    ordinary = solve(reasoner, inside, unknown=["monitored_listing(p, g)"], views={"c": "ordinary"})
    assert not any(a.outcomes for a in ordinary.answers)


def test_a_silent_duty_is_reversed_like_an_unknown_one(reasoner):
    # the case does not state the monitoring at all: under the reversal the platform had to prove it
    inside = MONITORING_AT_ISSUE + ["monitoring_domain(p, g, transaction_anomaly)"]
    rev = solve(reasoner, inside, views={"c": "reversed", "b": "staged_fault"})
    assert rev.answers and all(VICARIOUS in a.atoms and "reversed_on(monitored_listing(p,g),health)" in a.atoms
                               for a in rev.answers)
    assert not any(a.outcomes for a in solve(reasoner, inside, views={"c": "ordinary"}).answers)


def test_complaint_handling_is_never_reversed(reasoner):
    facts = MONITORING_AT_ISSUE + ["monitored_listing(p, g)", "complained(c, p, g)", "enlarged_damage(c, g)"]
    r = solve(reasoner, facts, unknown=["handled_complaint(p, c, g)"])
    assert len(r.answers) == 1 and r.answers[0].outcomes == () and r.answers[0].views == ()


@pytest.mark.parametrize("narrowing", ["platform_type(p, small_vertical)", "platform_nature(p, public_interest)"])
def test_type_and_scale_narrow_the_reversal_to_the_review(reasoner, narrowing):
    inside = MONITORING_AT_ISSUE + ["monitoring_domain(p, g, transaction_anomaly)"]
    wide = solve(reasoner, inside + ["platform_type(p, large_comprehensive)"] if "type" not in narrowing else inside,
                 unknown=["monitored_listing(p, g)"], views={"c": "reversed", "b": "staged_fault"})
    assert wide.answers and all(VICARIOUS in a.atoms for a in wide.answers)
    narrow = solve(reasoner, inside + [narrowing], unknown=["monitored_listing(p, g)"])
    assert len(narrow.answers) == 1 and not narrow.answers[0].outcomes  # nothing left to reverse: no Issue C
    # the in-process stage stays narrowed out when the case says it was a current qualification review
    # (Qin 2025 §5.2.2 puts that failure down to limited means): the narrowing is of the stage
    review_in_process = [f.replace("transaction_anomaly", "qualification_review") for f in inside]
    narrow = solve(reasoner, review_in_process + [narrowing], unknown=["monitored_listing(p, g)"])
    assert len(narrow.answers) == 1 and not narrow.answers[0].outcomes
    review = solve(reasoner, IN_SCOPE + [narrowing], unknown=UNKNOWN_REVIEW, views={"c": "reversed", "b": "staged_fault"})
    assert review.answers and all(LIABLE in a.atoms for a in review.answers)


def test_issue_c_not_raised_when_fault_is_established(reasoner):
    r = solve(reasoner, IN_SCOPE, refuted=UNKNOWN_REVIEW)
    assert r.answers and not any("c" in dict(a.views) for a in r.answers)


def test_issue_c_not_raised_when_every_duty_is_proven(reasoner):
    # no unproven duty fact decides anything: one answer, not one per view of Issue C
    r = solve(reasoner, IN_SCOPE + UNKNOWN_REVIEW)
    assert len(r.answers) == 1 and r.answers[0].views == () and r.answers[0].outcomes == ()


def test_issue_c_not_raised_where_38_2_is_displaced_anyway(reasoner):
    # ECL 38(1) applies whatever the burden of 38(2): the unknown review decides no outcome
    facts = IN_SCOPE + ["unsafe(g)", "knew(p, m)"]
    r = solve(reasoner, facts, unknown=UNKNOWN_REVIEW, refuted=["took_necessary_measures(p, m)"])
    assert r.answers and not any("c" in dict(a.views) for a in r.answers)
    assert all("outcome(civil,p,joint_several(m),ecl_38_1)" in a.atoms for a in r.answers)


def test_no_fault_is_rejected_and_off_by_default(reasoner):
    view = reasoner.issues["c"].view("no_fault")
    assert view.status == "rejected"
    facts = IN_SCOPE + ["reviewed_qualification(p, m)"]
    default = solve(reasoner, facts)
    assert len(default.answers) == 1 and not default.answers[0].outcomes
    on = solve(reasoner, facts, include_rejected=True, views={"c": "no_fault", "b": "joint"})
    with_view = [a for a in on.answers if dict(a.views).get("c") == "no_fault"]
    assert with_view and all("outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))" in a.atoms for a in with_view)
    # only adopting the rejected view raises Issue C here: the other answer has no Issue C and no liability
    assert [a.outcomes for a in on.answers if "c" not in dict(a.views)] == [()]


def test_explore_each_completion_gives_its_outcomes(reasoner):
    r = solve(reasoner, IN_SCOPE, unknown=UNKNOWN_REVIEW, explore=True, views={"b": "staged_fault"})
    assert r.explore and len(r.answers) == 3
    for a in r.answers:
        completion = dict(a.completion)["reviewed_qualification(p,m)"]
        assert (LIABLE in a.atoms) is (completion == "unproven")
        assert "c" not in dict(a.views)


def test_the_reversal_does_not_reach_administrative_penalties(reasoner):
    facts = IN_SCOPE + ["party(r, regulator)"]
    r = solve(reasoner, facts, unknown=UNKNOWN_REVIEW, views={"c": "reversed", "b": "staged_fault"})
    assert all(LIABLE in a.atoms for a in r.answers)
    assert not any(o.kind == "administrative" for a in r.answers for o in a.outcomes)
    refuted = solve(reasoner, facts, refuted=UNKNOWN_REVIEW, views={"b": "staged_fault"})
    assert all("outcome(administrative,p,order_to_correct,ecl_83)" in a.atoms for a in refuted.answers)


def test_the_reversal_does_not_decide_fsl_131(reasoner):
    # Qin 2025 §5.4 proposes the reversal for ECL 38(2); no view extends it to the Food Safety Law
    facts = [x for x in IN_SCOPE if x != "concerns_life_health(g)"] + ["food(g)"]
    r = solve(reasoner, facts, unknown=UNKNOWN_REVIEW, views={"c": "reversed", "b": "staged_fault"})
    assert r.answers and all(LIABLE in a.atoms for a in r.answers)
    assert not any(o.basis[0] == "fsl_131_1" for a in r.answers for o in a.outcomes)
    refuted = solve(reasoner, facts, refuted=UNKNOWN_REVIEW)
    assert all(any(o.basis[0] == "fsl_131_1" for o in a.outcomes) for a in refuted.answers)


def test_the_silence_rule_is_written_once_in_the_prologue(reasoner):
    from pyreasoner.rulebase import encodings_dir
    text = (encodings_dir() / "prologue" / "facts.lp").read_text(encoding="utf-8")
    assert "谁主张谁举证" in text and "Qin 2025 §4.3" in text and "duty_asked(F)" in text
    # no statute reads a duty fact's absence as its breach: each duty it reads is declared asked
    rows = _engine.ground_facts(reasoner.rulebase.program, [("burden", 2)])[("burden", 2)]
    duties = {str(name) for name, cls in rows if str(cls) == "duty"}
    sources = {f.name: f.read_text(encoding="utf-8") for f in (encodings_dir() / "statutes").glob("*.lp")}
    asked = {d for d in duties if any(f"duty_asked({d}(" in src for src in sources.values())}
    read_negated = {(name, d) for name, src in sources.items() for d in duties
                    if f"not true({d}(" in src or f"not true_ordinary({d}(" in src}
    assert read_negated, "the statutes read breaches of duties"
    assert {(name, d) for name, d in read_negated if d not in asked} == set()


SILENT_CASES = ["silence_monitoring_ordinary", "silence_measures_38_1", "ecl_83_silent_breach"]
INVARIANT = "no_liability_from_unstated_duty"


def _cases_dir():
    from pathlib import Path
    return Path(__file__).resolve().parent.parent / "cases" / "civil"


def _only_this_invariant(tmp_path):
    import shutil

    from pyreasoner.verify import invariants_dir
    d = tmp_path / "invariants"
    d.mkdir()
    for f in invariants_dir().glob("*.lp"):
        if f.name.startswith("_") or f.stem == INVARIANT:
            shutil.copy(f, d / f.name)
    return d


def test_the_silence_invariant_holds_on_the_silent_cases(tmp_path):
    # (`pyreasoner verify --invariant no_liability_from_unstated_duty` searches the whole bounded space)
    from pyreasoner.verify import replay

    d = _only_this_invariant(tmp_path)
    for name in SILENT_CASES:
        assert replay(_cases_dir() / f"{name}.yaml", directory=d) == ()


def test_reverting_the_silence_rule_breaks_the_invariant(tmp_path):
    # the closed world of old: a duty fact the case does not state counts as not performed
    import shutil

    from pyreasoner.rulebase import encodings_dir
    from pyreasoner.verify import replay
    root = tmp_path / "encodings"
    shutil.copytree(encodings_dir(), root)
    facts = root / "prologue" / "facts.lp"
    rule = "duty_unproven(F) :- duty_asked(F), not established(F), not refuted(F), not unknown(F).\n"
    text = facts.read_text(encoding="utf-8")
    assert rule in text
    facts.write_text(text.replace(rule, ""), encoding="utf-8")
    d = _only_this_invariant(tmp_path)
    for name in SILENT_CASES:
        assert replay(_cases_dir() / f"{name}.yaml", root / "main.lp", directory=d) == (INVARIANT,), name
