"""Unit tests for encodings/statutes/crpl_44.lp: Art. 44(1) (platform answers in the seller's
place, recourse, promises) and Art. 44(2) (joint liability, also before the E-Commerce Law)."""

from __future__ import annotations

from conftest import outcomes, solve

BASE = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)", "sold(m, g, c)",
        "damage(c, g)"]


def test_44_1_identity_not_provided(reasoner):
    r = solve(reasoner, BASE + ["identity_not_provided(p, m, c)"])
    assert outcomes(r) == {"outcome(civil,p,liable_in_place_of(m),crpl_44_1)",
                           "outcome(civil,p,recourse_against(m),crpl_44_1)"}
    assert outcomes(solve(reasoner, BASE, unknown=["identity_not_provided(p, m, c)"])) == set()


def test_44_1_promise_binds(reasoner):
    assert outcomes(solve(reasoner, BASE + ["promised_more(p, c, g)"])) == {
        "outcome(civil,p,honour_promise(g),crpl_44_1)"}


def test_44_2_before_and_after_its_entry_into_force(reasoner):
    facts = BASE + ["unsafe(g)", "knew(p, m)"]
    in_2018 = solve(reasoner, facts + ["transaction_date(c, g, 20180101)"], refuted=["took_necessary_measures(p, m)"])
    assert outcomes(in_2018) == {"outcome(civil,p,joint_several(m),crpl_44_2)"}
    in_2013 = solve(reasoner, facts + ["transaction_date(c, g, 20131231)"], refuted=["took_necessary_measures(p, m)"])
    assert outcomes(in_2013) == set()
    assert reasoner.rulebase.params["crpl_44_in_force"] == (20140315, "crpl_44_1")
