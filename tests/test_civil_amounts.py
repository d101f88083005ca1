"""Amounts under each form of liability (issue #13, point 5; Civil Code Art. 1179 with the form's own basis)
and the 38(2) complaint timeline from dates (issue #13, point 4: prologue/timeline.lp)."""

from __future__ import annotations

from conftest import outcomes, solve

BASE = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)", "sold(m, g, c)",
        "concerns_life_health(g)", "fault_degree(m, negligent)"]


def test_amounts_of_the_forms_for_the_whole_damage(reasoner):
    """The merchant who pays first owes the whole proven loss; a share is left as the share the outcome states
    (its product with every possible loss does not ground in verify's bounded space)."""
    facts = BASE + ["causal_weight(p, 30)", "causal_weight(m, 70)", "loss(c, g, 10000, 20211220)", "loss(c, g, 5000, 20220110)"]
    supp = outcomes(solve(reasoner, facts, refuted=["reviewed_qualification(p, m)"], views={"a": "civil_only", "b": "supplementary"}))
    assert {"outcome(civil,m,owes(15000),(ecl_38_2,cc_1198_2))", "outcome(civil,p,supplementary(m,3,10),(ecl_38_2,cc_1198_2))"} <= supp
    assert not any("owes" in o and ",p," in o for o in supp)
    prop = outcomes(solve(reasoner, facts, refuted=["reviewed_qualification(p, m)"], views={"a": "civil_only", "b": "proportional"}))
    assert "outcome(civil,p,share(m,3,10),(ecl_38_2,cc_1172))" in prop and not any("owes" in o for o in prop)


def test_enlarged_after_the_complaint_from_dates(reasoner):
    """A dated complaint and dated losses: the loss after the complaint is the enlarged damage (no
    enlarged_damage/2 typed in), and under staged_fault the platform owes at most that part."""
    facts = BASE + ["reviewed_qualification(p, m)", "monitored_listing(p, g)", "complained_on(c, p, g, 20220101)",
                    "loss(c, g, 10000, 20211220)", "loss(c, g, 5000, 20220110)", "caused_damage(p, c, g)"]
    r = outcomes(solve(reasoner, facts, refuted=["handled_complaint(p, c, g)"], views={"a": "civil_only", "b": "staged_fault"}))
    assert {"outcome(civil,p,enlarged_damage_only(m),ecl_38_2)", "outcome(civil,p,owes_up_to(5000),ecl_38_2)"} <= r
    before = [f.replace("20220110", "20211231") for f in facts]
    r = outcomes(solve(reasoner, before, refuted=["handled_complaint(p, c, g)"], views={"a": "civil_only", "b": "staged_fault"}))
    assert not any("ecl_38_2" in o for o in r)


def test_dated_knowledge_is_knowledge(reasoner):
    facts = BASE + ["unsafe(g)", "knew_on(p, m, 20220101)", "damage(c, g)"]
    r = outcomes(solve(reasoner, facts, refuted=["took_necessary_measures(p, m)"]))
    assert "outcome(civil,p,joint_several(m),ecl_38_1)" in r
