"""One conduct, one live conviction and one penalty per person (Criminal Law Arts. 286-1(3),
287-2(3), 366; inv:one_live_conviction_per_person).

Each case here is one that ``pyreasoner verify`` found breaking the invariant before the rule
it tests was written (encodings/statutes/crl_363.lp, crl_366.lp, crl_286_1.lp).
"""

from __future__ import annotations

from conftest import solve

UNIT_DISSEMINATES = ["legal_form(u, unit)", "disseminated_obscene_for_profit(u)", "directly_responsible(y, u)"]
HELPS = ["knew_crime_use(y)", "provided_support(y, network_storage)", "helping_serious(y)",
         "conduct_ended(y, 20200101)"]  # the time of the help is the prosecution's to prove (Art. 287-2, Amendment IX)


def _of(answer, party):
    return [o for o in answer.outcomes if o.party == party]


def test_helping_alone_and_disseminating_through_a_unit_is_one_conviction_under_the_heavier(reasoner):
    """The person helps a network crime alone (Art. 287-2(1)) and is responsible for the unit's
    dissemination at the especially serious grade (Arts. 366, 363(1)); the same person also
    disseminated alone. Art. 287-2(3): one conviction, under the heavier Art. 363(1), the
    assisting crime displaced; the person's own dissemination is the unit's (one grade)."""
    r = solve(reasoner, UNIT_DISSEMINATES + HELPS + ["disseminated_obscene_for_profit(y)",
                                                    "obscene_grade(u, especially_serious)"])
    assert r.consistent and r.answers
    for a in r.answers:
        mine = _of(a, "y")
        convicted = [o for o in mine if o.form == "convicted_under"]
        assert [o.args[0] for o in convicted] == ["crl_363_1"]
        assert convicted[0].basis == ("crl_287_2_3",)  # the concurrence clause decides
        crimes = [o for o in mine if o.form == "crime"]
        assert [o.args[0] for o in crimes] == ["disseminating_obscene_for_profit"]
        assert crimes[0].basis == ("crl_366", "crl_363_1")  # through the unit
        penalties = [o for o in mine if o.form == "penalty"]
        assert len(penalties) == 1 and "fixed_term_min_months(120)" in penalties[0].atom  # the unit's grade
        assert ("crl_287_2_1", "crl_363_1") in a.displaced


def test_responsible_in_two_units_is_punished_once_at_the_more_serious_grade(reasoner):
    """Art. 366: a person directly responsible in two units that disseminated, found at the
    basic and the serious grade, gets one penalty, the serious grade's, not one per unit."""
    facts = ["legal_form(u1, unit)", "legal_form(u2, unit)", "disseminated_obscene_for_profit(u1)",
             "disseminated_obscene_for_profit(u2)", "obscene_grade(u2, serious)",
             "directly_responsible(y, u1)", "directly_responsible(y, u2)"]
    r = solve(reasoner, facts)
    assert r.consistent and r.answers
    for a in r.answers:
        penalties = [o for o in _of(a, "y") if o.form == "penalty"]
        assert len(penalties) == 1
        assert "fixed_term_months(36,120)" in penalties[0].atom  # Art. 363(1), serious: 3-10 years
        assert [o.args[0] for o in _of(a, "y") if o.form == "convicted_under"] == ["crl_363_1"]
    # the basic grade alone, for contrast: the test would pass trivially if grades were ignored
    basic = solve(reasoner, ["legal_form(u1, unit)", "disseminated_obscene_for_profit(u1)", "directly_responsible(y, u1)"])
    assert all("fixed_term_max_months(36)" in o.atom
               for a in basic.answers for o in _of(a, "y") if o.form == "penalty")


def test_a_unit_is_not_a_directly_responsible_person(reasoner):
    """Arts. 286-1(2), 287-2(2), 366 punish natural persons beside the unit: a unit stated as
    directly responsible (here for itself) is a contradiction whose core names both facts."""
    r = solve(reasoner, ["legal_form(u, unit)", "directly_responsible(u, u)"] + [h.replace("(y", "(u") for h in HELPS])
    assert not r.consistent
    assert set(r.core) == {"established(legal_form(u,unit))", "established(directly_responsible(u,u))"}
    person = solve(reasoner, ["legal_form(u, unit)", "directly_responsible(y, u)"] + [h.replace("(y", "(u") for h in HELPS])
    assert person.consistent
