"""Unit tests for encodings/statutes/ecl_38.lp (and ecl_9.lp, ecl_89.lp, ecl_45.lp):
each element of ECL 38(1) and 38(2) is necessary, and every conclusion cites its basis."""

from __future__ import annotations

import pytest

from conftest import solve

BASE = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)",
        "sold(m, g, c)", "concerns_life_health(g)", "damage(c, g)", "caused_damage(p, c, g)",
        "monitored_listing(p, g)"]


def atoms(result):
    return [set(a.atoms) for a in result.answers]


# --------------------------------------------------------------- ECL 38(1)
RED_FLAG = BASE + ["unsafe(g)", "red_flag(p, m)"]


def test_38_1_joint_with_its_basis_and_displacement(reasoner):
    r = solve(reasoner, RED_FLAG, refuted=["took_necessary_measures(p, m)", "reviewed_qualification(p, m)"])
    for a in r.answers:
        assert "outcome(civil,p,joint_several(m),ecl_38_1)" in a.atoms
        assert ("ecl_38_2", "ecl_38_1") in a.displaced
        assert not any(i == "b" for i, _ in a.views)


@pytest.mark.parametrize("drop", ["unsafe(g)", "red_flag(p, m)"])
def test_38_1_needs_infringement_and_knowledge(reasoner, drop):
    facts = [f for f in RED_FLAG if f != drop]
    r = solve(reasoner, facts, refuted=["took_necessary_measures(p, m)"])
    assert all("ecl_38_1" not in x for a in atoms(r) for x in a if x.startswith("outcome"))


def test_38_1_knowledge_may_be_actual_and_infringement_other(reasoner):
    facts = BASE + ["knew(p, m)", "other_infringement(m, c)"]
    r = solve(reasoner, facts, refuted=["took_necessary_measures(p, m)"])
    assert all("outcome(civil,p,joint_several(m),ecl_38_1)" in a for a in atoms(r))


def test_38_1_measures_taken_defeat_it_and_unknown_measures_count_taken(reasoner):
    taken = solve(reasoner, RED_FLAG + ["took_necessary_measures(p, m)", "reviewed_qualification(p, m)"])
    unknown = solve(reasoner, RED_FLAG + ["reviewed_qualification(p, m)"], unknown=["took_necessary_measures(p, m)"])
    for r in (taken, unknown):
        assert all(not any("ecl_38_1" in x for x in a) for a in atoms(r))


# --------------------------------------------------------------- ECL 38(2)
def test_38_2_applies_with_each_stage_and_raises_b(reasoner):
    r = solve(reasoner, BASE, refuted=["reviewed_qualification(p, m)"], views={"b": "joint"})
    assert {o.atom for o in r.in_all} == {"outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))"}
    assert all(o.basis == ("ecl_38_2", "cc_1168") for o in r.in_all)


@pytest.mark.parametrize("drop", ["concerns_life_health(g)", "damage(c, g)", "sold(m, g, c)", "on_platform(m, p)",
                                  "caused_damage(p, c, g)"])
def test_38_2_each_element_is_necessary(reasoner, drop):
    facts = [f for f in BASE if f != drop]
    r = solve(reasoner, facts, refuted=["reviewed_qualification(p, m)"])
    assert r.answers and all(a.views == () and a.outcomes == () for a in r.answers)


def _has_38_2(result) -> bool:
    return any("ecl_38_2" in o.atom for a in result.answers for o in a.outcomes)


@pytest.mark.parametrize("options", [{}, {"include_rejected": True}, {"views": {"c": "reversed"}}])
def test_38_2_causation_is_the_consumers_to_prove(reasoner, options):
    """ECL 38(2) "造成消费者损害", Qin 2025 §5.2.1 "且与损害后果之间具有因果关系": the link between the
    platform's failure and the damage is an element the consumer proves (Qin 2025 §4.3, 谁主张谁举证),
    under every view of Issue C - the reversal of §5.4 is of fault, the no-fault view (rejected) of
    fault too. A case silent on it, or leaving it unknown, or refuting it, has no 38(2) outcome; a
    positive causal weight of the platform (原因力) proves it; a weight of 0 refutes it."""
    silent = [f for f in BASE if f != "caused_damage(p, c, g)"]
    failed = {"refuted": ["reviewed_qualification(p, m)"]}
    with_link = solve(reasoner, BASE, **failed, **options)
    assert with_link.answers and all(any("ecl_38_2" in o.atom for o in a.outcomes) for a in with_link.answers)
    for r in (solve(reasoner, silent, **failed, **options),
              solve(reasoner, silent, unknown=["caused_damage(p, c, g)"], **failed, **options),
              solve(reasoner, silent, refuted=["reviewed_qualification(p, m)", "caused_damage(p, c, g)"], **options),
              solve(reasoner, silent + ["causal_weight(p, 0)", "causal_weight(m, 100)"], **failed, **options)):
        assert r.answers and not _has_38_2(r)
        assert all(a.views == () for a in r.answers)  # nothing left for Issues A, B or C to decide
    weighted = solve(reasoner, silent + ["causal_weight(p, 30)", "causal_weight(m, 70)"], **failed, **options)
    assert weighted.answers and all(any("ecl_38_2" in o.atom for o in a.outcomes) for a in weighted.answers)
    # a merchant's positive weight says nothing of the platform's link
    merchant_only = solve(reasoner, silent + ["causal_weight(m, 100)"], **failed, **options)
    assert not _has_38_2(merchant_only)


def test_38_2_unknown_causation_is_lost_by_the_consumer_and_open_in_explore_mode(reasoner):
    silent = [f for f in BASE if f != "caused_damage(p, c, g)"]
    r = solve(reasoner, silent, refuted=["reviewed_qualification(p, m)"], unknown=["caused_damage(p, c, g)"])
    assert not _has_38_2(r)
    explored = solve(reasoner, silent, refuted=["reviewed_qualification(p, m)"], unknown=["caused_damage(p, c, g)"],
                     explore=True)
    proven = [a for a in explored.answers if "completion(caused_damage(p,c,g),proven)" in a.atoms]
    unproven = [a for a in explored.answers if "completion(caused_damage(p,c,g),unproven)" in a.atoms]
    assert proven and unproven
    assert all(any("ecl_38_2" in o.atom for o in a.outcomes) for a in proven)
    assert not any(o for a in unproven for o in a.outcomes)


def test_38_2_link_and_zero_weight_contradict(reasoner):
    r = solve(reasoner, BASE + ["causal_weight(p, 0)"], refuted=["reviewed_qualification(p, m)"])
    assert not r.consistent


def test_38_2_no_breach_no_liability(reasoner):
    r = solve(reasoner, BASE + ["reviewed_qualification(p, m)"])
    # every duty proven performed: nothing is left for the burden of proof to decide, so Issue C is
    # not raised - one answer (not one per view of Issue C), no liability
    assert len(r.answers) == 1 and r.answers[0].outcomes == ()
    assert "c" not in dict(r.answers[0].views)


def test_38_2_failed_complaint_needs_enlarged_damage(reasoner):
    facts = BASE + ["reviewed_qualification(p, m)", "complained(c, p, g)"]
    without = solve(reasoner, facts, refuted=["handled_complaint(p, c, g)"])
    assert all(a.outcomes == () for a in without.answers)
    grown = solve(reasoner, facts + ["enlarged_damage(c, g)"], refuted=["handled_complaint(p, c, g)"],
                  views={"b": "staged_fault"})
    assert {o.atom for o in grown.in_all} == {"outcome(civil,p,enlarged_damage_only(m),ecl_38_2)",
                                              "outcome(civil,p,assist_consumer_claim(c),ecl_38_2)"}  # Qin 2025 §5.2.3


def test_food_counts_as_life_and_health(reasoner):
    facts = [f for f in BASE if f not in ("concerns_life_health(g)", "monitored_listing(p, g)")]
    facts += ["food(g)", "registered_real_name(p, m)", "reviewed_qualification(p, m)"]
    r = solve(reasoner, facts, refuted=["monitored_listing(p, g)"], views={"b": "staged_fault"})
    assert {o.atom for o in r.in_all} == {"outcome(civil,p,vicarious(m),ecl_38_2)"}


# ------------------------------------------------------- ECL 9(2), ECL 89, ECL 45
def test_ecl_9_self_operated_goods_are_outside_the_platform_role(reasoner):
    r = solve(reasoner, BASE + ["self_operated(p, g)"], refuted=["reviewed_qualification(p, m)"])
    assert len(r.answers) == 1 and r.answers[0].outcomes == ()
    assert "outside_platform_role(p,g,ecl_9_2)" in r.answers[0].atoms


@pytest.mark.parametrize(("date", "governed"), [(20181231, False), (20190101, True)])
def test_ecl_89_entry_into_force_boundary(reasoner, date, governed):
    r = solve(reasoner, BASE + [f"transaction_date(c, g, {date})"], refuted=["reviewed_qualification(p, m)"],
              views={"b": "joint"})
    has = any(o.basis[0] == "ecl_38_2" for a in r.answers for o in a.outcomes)
    assert has is governed
    assert reasoner.rulebase.params["ecl_in_force"] == (20190101, "ecl_89")


def test_ecl_45_displaces_38_2_and_needs_knowledge(reasoner):
    facts = BASE + ["ip_infringing(m, g)"]
    r = solve(reasoner, facts + ["red_flag(p, m)"], refuted=["took_necessary_measures(p, m)", "reviewed_qualification(p, m)"])
    assert all("outcome(civil,p,joint_several(m),ecl_45)" in a.atoms and ("ecl_38_2", "ecl_45") in a.displaced
               for a in r.answers)
    r = solve(reasoner, facts, refuted=["took_necessary_measures(p, m)", "reviewed_qualification(p, m)"])
    assert not any(o.basis == ("ecl_45",) for a in r.answers for o in a.outcomes)
    assert any(dict(a.views).get("b") for a in r.answers)


def test_override_table_is_data_and_names_each_displacing_rule(reasoner):
    from pyreasoner import _engine

    facts = _engine.ground_facts(reasoner.rulebase.program, [("overrides", 2)])[("overrides", 2)]
    assert sorted(f for f in facts if f[1] == "ecl_38_2") == sorted([("cc_1165_1", "ecl_38_2"), ("cc_180_1", "ecl_38_2"), ("crpl_44_2", "ecl_38_2"),
                                    ("ecl_38_1", "ecl_38_2"), ("ecl_45", "ecl_38_2"), ("fsl_131_1", "ecl_38_2"),
                                    ("tl_29", "ecl_38_2"), ("tl_6_1", "ecl_38_2")])
    # the displacement by FSL 131(1) and CRPL 44(2) is contested (Issue D): data too
    contested = _engine.ground_facts(reasoner.rulebase.program, [("contested_override", 2)])[("contested_override", 2)]
    assert sorted(contested) == [("crpl_44_2", "ecl_38_2"), ("fsl_131_1", "ecl_38_2")]


def test_a_duty_the_case_does_not_state_is_no_breach(reasoner):
    # silent on the review and the monitoring: neither is a proven breach (谁主张谁举证), so 38(2) does
    # not apply - and stating the breach is what makes it apply
    silent = [f for f in BASE if f != "monitored_listing(p, g)"]
    r = solve(reasoner, silent)
    assert len(r.answers) == 1 and r.answers[0].outcomes == () and r.answers[0].views == ()
    proven = solve(reasoner, silent, refuted=["monitored_listing(p, g)"], views={"b": "staged_fault"})
    assert all("outcome(civil,p,vicarious(m),ecl_38_2)" in a.atoms for a in proven.answers)


def test_38_1_needs_the_measures_proven_not_taken(reasoner):
    silent = solve(reasoner, RED_FLAG + ["reviewed_qualification(p, m)"])
    assert not any(o.basis[0] in ("ecl_38_1", "crpl_44_2") for a in silent.answers for o in a.outcomes)
    proven = solve(reasoner, RED_FLAG + ["reviewed_qualification(p, m)"], refuted=["took_necessary_measures(p, m)"])
    assert all("outcome(civil,p,joint_several(m),ecl_38_1)" in a.atoms for a in proven.answers)
