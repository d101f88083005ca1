"""Unit tests for encodings/statutes/ecl_83.lp and the Issue A contract (views/a_scope/):
fine ranges come from param/3, serious circumstances switch the range, administrative
liability needs a regulator, and only the comprehensive view counts it as corresponding."""

from __future__ import annotations

import pytest

from conftest import solve

BASE = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "party(r, regulator)", "on_platform(m, p)",
        "sold(m, g, c)", "concerns_life_health(g)", "monitored_listing(p, g)"]


def admin(result):
    return {o.atom for a in result.answers for o in a.outcomes if o.kind == "administrative"}


def test_params_carry_the_statutory_ranges(reasoner):
    p = reasoner.rulebase.params
    assert (p["ecl_83_fine_min"], p["ecl_83_fine_max"]) == ((50000, "ecl_83"), (500000, "ecl_83"))
    assert (p["ecl_83_serious_fine_min"], p["ecl_83_serious_fine_max"]) == ((500000, "ecl_83"), (2000000, "ecl_83"))


def test_breach_without_damage_is_punished(reasoner):
    r = solve(reasoner, BASE, refuted=["reviewed_qualification(p, m)"])
    assert admin(r) == {"outcome(administrative,p,order_to_correct,ecl_83)",
                        "outcome(administrative,p,fine_range(50000,500000),ecl_83)"}
    assert all(a.views == () for a in r.answers)  # no damage: 38(2) does not apply, Issue A not raised


@pytest.mark.parametrize("serious", ["injury(c, g, serious)", "injury(c, g, death)", "repeat_breach(p)"])
def test_serious_circumstances(reasoner, serious):
    r = solve(reasoner, BASE + ["damage(c, g)", "caused_damage(p, c, g)", serious], refuted=["reviewed_qualification(p, m)"])
    assert admin(r) == {"outcome(administrative,p,order_to_correct,ecl_83)",
                        "outcome(administrative,p,suspension,ecl_83)",
                        "outcome(administrative,p,fine_range(500000,2000000),ecl_83)"}


def test_minor_injury_is_not_serious(reasoner):
    r = solve(reasoner, BASE + ["damage(c, g)", "caused_damage(p, c, g)", "injury(c, g, minor)"], refuted=["reviewed_qualification(p, m)"])
    assert "outcome(administrative,p,fine_range(50000,500000),ecl_83)" in admin(r)
    assert "outcome(administrative,p,suspension,ecl_83)" not in admin(r)


def test_no_regulator_no_administrative_outcome(reasoner):
    facts = [f for f in BASE if f != "party(r, regulator)"] + ["damage(c, g)", "caused_damage(p, c, g)"]
    assert admin(solve(reasoner, facts, refuted=["reviewed_qualification(p, m)"])) == set()


def test_no_breach_no_administrative_outcome(reasoner):
    assert admin(solve(reasoner, BASE + ["reviewed_qualification(p, m)"])) == set()


def test_38_1_breach_is_punished_too(reasoner):
    facts = BASE + ["reviewed_qualification(p, m)", "unsafe(g)", "knew(p, m)"]
    r = solve(reasoner, facts, refuted=["took_necessary_measures(p, m)"])
    assert "outcome(administrative,p,order_to_correct,ecl_83)" in admin(r)


@pytest.mark.parametrize(("view", "expected"), [
    ("comprehensive", {"corresponding(civil,p,joint_several(m),(ecl_38_2,cc_1168))",
                       "corresponding(administrative,p,order_to_correct,ecl_83)",
                       "corresponding(administrative,p,fine_range(50000,500000),ecl_83)"}),
    ("civil_only", {"corresponding(civil,p,joint_several(m),(ecl_38_2,cc_1168))"}),
])
def test_issue_a_contract(reasoner, view, expected):
    r = solve(reasoner, BASE + ["damage(c, g)", "caused_damage(p, c, g)"], refuted=["reviewed_qualification(p, m)"],
              views={"a": view, "b": "joint"})
    assert r.answers
    for a in r.answers:
        assert {x for x in a.atoms if x.startswith("corresponding(")} == expected
        assert "outcome(administrative,p,order_to_correct,ecl_83)" in a.atoms


def test_issue_a_is_raised_exactly_when_38_2_applies(reasoner):
    with_damage = solve(reasoner, BASE + ["damage(c, g)", "caused_damage(p, c, g)"], refuted=["reviewed_qualification(p, m)"],
                        views={"b": "joint"})
    assert sorted(dict(a.views)["a"] for a in with_damage.answers) == ["civil_only", "comprehensive"]
    assert reasoner.issues["a"].view("civil_only").status == "own"
