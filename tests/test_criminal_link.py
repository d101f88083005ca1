"""The link between the criminal rule base and Issue A (what ECL 38(2)'s
"corresponding liability" covers, views/a_scope/).

Contract (views/a_scope/issue.lp): under `comprehensive` every criminal outcome whose
party is a platform against which ECL 38(2) applies is also shown as
corresponding(criminal, X, F, B); under `civil_only` no criminal outcome is.
The case cases/criminal/platform_civil_and_criminal.yaml has a platform liable under
ECL 38(2) that also commits the Art. 286-1 unit crime.
"""

from __future__ import annotations

import pytest

from conftest import CASES

CASE = CASES / "criminal" / "platform_civil_and_criminal.yaml"


@pytest.fixture(scope="module")
def case(reasoner):
    if "a" not in reasoner.issues:  # pragma: no cover - only before the civil side lands Issue A
        pytest.xfail("Issue A (views/a_scope/) is not in the rule base yet")
    return reasoner.load(CASE)


def _criminal(answer, party):
    return {o.atom for o in answer.outcomes if o.kind == "criminal" and o.party == party}


def _corresponding_criminal(answer):
    return {a.replace("corresponding(", "outcome(", 1) for a in answer.atoms if a.startswith("corresponding(criminal,")}


def test_comprehensive_takes_in_every_criminal_outcome_of_the_platform(reasoner, case):
    result = reasoner.solve(case, views={"a": "comprehensive"})
    assert result.answers
    for answer in result.answers:
        crimes = _criminal(answer, "p")
        assert "outcome(criminal,p,unit_crime(refusal_network_security_duty),crl_286_1_2)" in crimes
        assert _corresponding_criminal(answer) == crimes


def test_civil_only_leaves_the_crime_apart(reasoner, case):
    result = reasoner.solve(case, views={"a": "civil_only"})
    assert result.answers
    for answer in result.answers:
        assert _criminal(answer, "p"), "the crime stands on Art. 286-1 under every view of Issue A"
        assert _corresponding_criminal(answer) == set()


def test_the_link_follows_art_286_1_not_the_platform_role(reasoner, case):
    """Without the refused order there is no crime, and nothing criminal is corresponding."""
    from pyreasoner.case import Case

    facts = tuple(f for f in case.facts if f.predicate != "failed_to_correct")
    result = reasoner.solve(Case(id="no_refusal", facts=facts), views={"a": "comprehensive"})
    for answer in result.answers:
        assert _criminal(answer, "p") == set()
        assert _corresponding_criminal(answer) == set()
