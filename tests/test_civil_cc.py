"""Unit tests for the Civil Code files (cc_178, cc_180, cc_1165, cc_1168, cc_1171, cc_1172, cc_1198):
shares are exact fractions computed from the case facts, equal when undeterminable; CC 1171
needs each tort to suffice alone; supplementary liability states its order and recourse;
force majeure (CC 180) and the fault principle's defence (CC 1165(1)) hold under every view
of the form of the liability."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import outcomes, solve

BASE = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)",
        "sold(m, g, c)", "concerns_life_health(g)", "damage(c, g)", "caused_damage(p, c, g)"]


ADJ = {"large_comprehensive": 20, "small_vertical": -20}
NATURE = {"for_profit": 0, "public_interest": -20}
INVEST = {"substantial": -20, "ordinary": 0, "minimal": 20}


@settings(max_examples=12, deadline=None)
@given(wp=st.integers(1, 120), wm=st.integers(0, 120), failed=st.integers(1, 3),
       ptype=st.sampled_from([None, *ADJ]), nature=st.sampled_from([None, *NATURE]),
       invest=st.sampled_from([None, *INVEST]))
def test_cc_1172_share_is_the_exact_fraction_of_the_adjusted_weights(reasoner, wp, wm, failed, ptype, nature, invest):
    facts = BASE + [f"causal_weight(p, {wp})", f"causal_weight(m, {wm})"]
    duties = ["reviewed_qualification(p, m)", "monitored_listing(p, g)"]
    refuted = duties[:min(failed, 2)]
    facts += duties[min(failed, 2):]
    if failed == 3:
        facts += ["complained(c, p, g)", "enlarged_damage(c, g)"]
        refuted.append("handled_complaint(p, c, g)")
    adj = 25 * (failed - 1)
    if ptype:
        facts.append(f"platform_type(p, {ptype})")
        adj += ADJ[ptype]
    if nature:
        facts.append(f"platform_nature(p, {nature})")
        adj += NATURE[nature]
    if invest:
        facts.append(f"safeguard_investment(p, {invest})")
        adj += INVEST[invest]
    weight_p = wp * max(0, 100 + adj)
    share_p = Fraction(weight_p, weight_p + wm * 100)
    share_m = 1 - share_p
    r = solve(reasoner, facts, refuted=refuted, views={"b": "proportional"})
    assert outcomes(r) == {
        f"outcome(civil,p,share(m,{share_p.numerator},{share_p.denominator}),(ecl_38_2,cc_1172))",
        f"outcome(civil,m,share(p,{share_m.numerator},{share_m.denominator}),(ecl_38_2,cc_1172))"}


def test_cc_1172_equal_shares_when_a_weight_is_missing(reasoner):
    r = solve(reasoner, BASE + ["causal_weight(p, 30)"], refuted=["reviewed_qualification(p, m)"],
              views={"b": "proportional"})
    assert outcomes(r) == {"outcome(civil,p,share(m,1,2),(ecl_38_2,cc_1172))",
                           "outcome(civil,m,share(p,1,2),(ecl_38_2,cc_1172))"}
    assert all("shares_equal(p,m)" in a.atoms for a in r.answers)


def test_cc_1171_needs_each_tort_to_suffice_alone(reasoner):
    both = solve(reasoner, BASE + ["sufficient_alone(p, c, g)", "sufficient_alone(m, c, g)"],
                 refuted=["reviewed_qualification(p, m)"], views={"b": "proportional"})
    assert outcomes(both) == {"outcome(civil,p,joint_several(m),(ecl_38_2,cc_1171))"}
    one = solve(reasoner, BASE + ["sufficient_alone(m, c, g)"], refuted=["reviewed_qualification(p, m)"],
                views={"b": "proportional"})
    assert all(o.basis == ("ecl_38_2", "cc_1172") for a in one.answers for o in a.outcomes)


def test_cc_1198_order_cap_and_recourse(reasoner):
    r = solve(reasoner, BASE + ["causal_weight(p, 1)", "causal_weight(m, 4)", "monitored_listing(p, g)"], refuted=["reviewed_qualification(p, m)"],
              views={"b": "supplementary"})
    assert outcomes(r) == {"outcome(civil,m,first_in_order,(ecl_38_2,cc_1198_2))",
                           "outcome(civil,p,supplementary(m,1,5),(ecl_38_2,cc_1198_2))",
                           "outcome(civil,p,recourse_against(m),(ecl_38_2,cc_1198_2))"}


def test_cc_1165_intent_must_be_proven(reasoner):
    proven = solve(reasoner, BASE + ["fault_degree(m, intentional)"], refuted=["reviewed_qualification(p, m)"],
                   views={"b": "by_merchant_fault"})
    unproven = solve(reasoner, BASE, refuted=["reviewed_qualification(p, m)"],
                     unknown=["fault_degree(m, intentional)"], views={"b": "by_merchant_fault"})
    assert "outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))" in outcomes(proven)
    assert "outcome(civil,p,supplementary(m,1,2),(ecl_38_2,cc_1198_2))" in outcomes(unproven)


def test_cc_178_3_and_the_deleted_draft_are_the_counterpoints_to_joint(reasoner):
    joint = reasoner.issues["b"].view("joint")
    provisions = [p for p, _ in joint.counterpoints]
    assert provisions == ["cc_178_3", "ecl_38_2", "ecl_38_2"]  # Qin 2025 §4.1.1: by law only; disproportion; the deleted draft
    assert any("三审稿" in text for _, text in joint.counterpoints_zh)
    assert any("third-reading draft" in text for _, text in joint.counterpoints)
    assert "cc_178_3" in reasoner.rulebase.provisions


def test_conflicting_platform_type_is_inconsistent(reasoner):
    r = solve(reasoner, BASE + ["platform_type(p, small_vertical)", "platform_type(p, large_comprehensive)"])
    assert not r.consistent
    assert set(r.core) == {"established(platform_type(p,small_vertical))", "established(platform_type(p,large_comprehensive))"}


B_VIEWS = ["joint", "supplementary", "proportional", "by_merchant_fault", "proportional_joint", "staged_fault"]


@pytest.mark.parametrize("view", B_VIEWS)
def test_cc_180_force_majeure_is_a_defence_under_every_view(reasoner, view):
    r = solve(reasoner, BASE + ["force_majeure(g)", "monitored_listing(p, g)", "fault_degree(m, intentional)"],
              refuted=["reviewed_qualification(p, m)"], views={"b": view}, include_rejected=True)
    assert r.answers
    for a in r.answers:
        assert {o.atom for o in a.outcomes} == {"outcome(civil,p,exempt,cc_180_1)"}
        assert "displaced(ecl_38_2,cc_180_1)" in a.atoms
        assert "b" not in dict(a.views), "a defeated 38(2) leaves no form to contest"


@pytest.mark.parametrize("view", B_VIEWS)
def test_cc_1165_no_fault_where_reasonable_measures_could_not_avoid_the_damage_under_every_view(reasoner, view):
    facts = BASE + ["reasonable_measures(p, g)", "unavoidable(g)", "monitored_listing(p, g)"]
    r = solve(reasoner, facts, refuted=["reviewed_qualification(p, m)"], views={"b": view}, include_rejected=True)
    for a in r.answers:
        assert {o.atom for o in a.outcomes} == {"outcome(civil,p,exempt,cc_1165_1)"}
        assert "displaced(ecl_38_2,cc_1165_1)" in a.atoms
    # both facts are needed: measures alone do not make the damage unavoidable
    only = solve(reasoner, BASE + ["reasonable_measures(p, g)", "monitored_listing(p, g)"],
                 refuted=["reviewed_qualification(p, m)"], views={"b": view}, include_rejected=True)
    assert only.answers and all("exempt" not in o.atom for a in only.answers for o in a.outcomes)


def test_cc_180_text_and_the_staged_view_no_longer_owns_the_exemptions(reasoner):
    prov = reasoner.rulebase.provisions["cc_180_1"]
    assert prov.text_zh == "因不可抗力不能履行民事义务的，不承担民事责任。法律另有规定的，依照其规定。"
    assert reasoner.rulebase.provisions["cc_180_2"].text_zh == "不可抗力是不能预见、不能避免且不能克服的客观情况。"
    from conftest import ROOT
    staged = (ROOT / "encodings" / "views" / "b_form" / "staged_fault.lp").read_text(encoding="utf-8")
    assert "force_majeure" not in staged.split("view(b, staged_fault).")[1]
    assert "reasonable_measures" not in staged.split("view(b, staged_fault).")[1]
