"""Issue C (views/c_burden/) and the burden of proof of prologue/facts.lp: every element has a
burden class; the reversal holds only when all its conditions hold, each missing in turn
defeats it; explore mode leaves unknowns open and each completion gives its own outcomes."""

from __future__ import annotations

import pytest

from pyreasoner import _clingo
from pyreasoner.case import case_from_data

BASE = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)", "sold(m, g, c)",
        "concerns_life_health(g)", "damage(c, g)", "monitored_listing(p, g)"]
IN_SCOPE = BASE + ["injury(c, g, serious)", "prima_facie_evidence(c, p, g)"]
UNKNOWN_REVIEW = ["reviewed_qualification(p, m)"]
LIABLE = "outcome(civil,p,direct_tort(m),(ecl_38_2,cc_1165_1))"


def solve(reasoner, established, refuted=(), unknown=(), **kw):
    doc = {"id": "t", "facts": {"established": list(established), "refuted": list(refuted), "unknown": list(unknown)}}
    return reasoner.solve(case_from_data(doc, reasoner.vocabulary, file="<test>"), **kw)


def liable(result):
    return [LIABLE in a.atoms for a in result.answers]


def test_every_element_has_a_burden_class(reasoner):
    rows = _clingo.ground_facts(reasoner.rulebase.program, [("element", 2)])[("element", 2)]
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
    (lambda f: [x for x in f if not x.startswith("prima_facie")], "no prima facie showing"),
    (lambda f: f + ["third_party_act(g)"], "uncontrollable third-party act"),
    (lambda f: f + ["force_majeure(g)"], "force majeure"),
    (lambda f: [x for x in f if not x.startswith("injury")], "out of scope: no harm to life or health"),
])
def test_each_missing_condition_defeats_the_reversal(reasoner, change, why):
    r = solve(reasoner, change(IN_SCOPE), unknown=UNKNOWN_REVIEW, views={"c": "reversed"})
    assert r.answers and not any(a.outcomes for a in r.answers), why
    assert not any(x.startswith("reversed_on") for a in r.answers for x in a.atoms), why


@pytest.mark.parametrize(("fact", "branch"), [("platform_led(p, g, payment)", "platform_led"),
                                              ("platform_led(p, g, logistics)", "platform_led"),
                                              ("information_asymmetry(c, p)", "asymmetry")])
def test_other_scope_branches(reasoner, fact, branch):
    facts = [x for x in IN_SCOPE if not x.startswith("injury")] + [fact]
    r = solve(reasoner, facts, unknown=UNKNOWN_REVIEW, views={"c": "reversed", "b": "staged_fault"})
    assert all(LIABLE in a.atoms and f"reversed_on(reviewed_qualification(p,m),{branch})" in a.atoms
               for a in r.answers)


@pytest.mark.parametrize("narrowing", ["platform_type(p, small_vertical)", "platform_nature(p, public_interest)"])
def test_type_and_scale_narrow_the_reversal_to_the_review(reasoner, narrowing):
    facts = [x for x in IN_SCOPE if x != "monitored_listing(p, g)"] + ["reviewed_qualification(p, m)"]
    wide = solve(reasoner, facts + ["platform_type(p, large_comprehensive)"] if "type" not in narrowing else facts,
                 unknown=["monitored_listing(p, g)"], views={"c": "reversed", "b": "staged_fault"})
    assert all("outcome(civil,p,vicarious(m),ecl_38_2)" in a.atoms for a in wide.answers)
    narrow = solve(reasoner, facts + [narrowing], unknown=["monitored_listing(p, g)"], views={"c": "reversed"})
    assert not any(a.outcomes for a in narrow.answers)
    review = solve(reasoner, IN_SCOPE + [narrowing], unknown=UNKNOWN_REVIEW, views={"c": "reversed", "b": "staged_fault"})
    assert all(LIABLE in a.atoms for a in review.answers)


def test_issue_c_not_raised_when_fault_is_established(reasoner):
    r = solve(reasoner, IN_SCOPE, refuted=UNKNOWN_REVIEW)
    assert not any("c" in dict(a.views) for a in r.answers)


def test_no_fault_is_rejected_and_off_by_default(reasoner):
    view = reasoner.issues["c"].view("no_fault")
    assert view.status == "rejected"
    facts = IN_SCOPE + ["reviewed_qualification(p, m)"]
    assert not any(a.outcomes for a in solve(reasoner, facts).answers)
    on = solve(reasoner, facts, include_rejected=True, views={"c": "no_fault", "b": "joint"})
    assert all("outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))" in a.atoms for a in on.answers)


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
