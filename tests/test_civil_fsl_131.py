"""Unit tests for encodings/statutes/fsl_131.lp (and fsl_154.lp): each failed duty of an
online food platform gives joint liability that displaces ECL 38(2), and the fines."""

from __future__ import annotations

import pytest

from conftest import solve

BASE = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)", "sold(m, f, c)",
        "food(f)", "damage(c, f)", "caused_damage(p, c, f)", "monitored_listing(p, f)"]
DUTIES = ["registered_real_name(p, m)", "reviewed_qualification(p, m)"]


@pytest.mark.parametrize("failed", DUTIES)
def test_each_failed_duty_gives_joint_liability_and_displaces_38_2(reasoner, failed):
    # whether FSL 131 displaces ECL 38(2) is Issue D: here under its displace reading
    r = solve(reasoner, BASE + [d for d in DUTIES if d != failed], refuted=[failed], views={"d": "displace"})
    for a in r.answers:
        assert "outcome(civil,p,joint_several(m),fsl_131_1)" in a.atoms
        assert ("ecl_38_2", "fsl_131_1") in a.displaced if failed == "reviewed_qualification(p, m)" else True
        assert "b" not in dict(a.views)


def test_the_civil_joint_liability_needs_the_link_the_consumer_proves(reasoner):
    """FSL 131(1) "使消费者的合法权益受到损害的": the platform's breach must have harmed the consumer. A
    case silent on the link, or leaving it unknown, has no FSL 131 civil outcome (the consumer proves it);
    the fine for the breach itself (a regulator among the parties) does not depend on it."""
    silent = [f for f in BASE if f != "caused_damage(p, c, f)"] + ["registered_real_name(p, m)"]
    failed = {"refuted": ["reviewed_qualification(p, m)"]}
    for r in (solve(reasoner, silent, **failed), solve(reasoner, silent, unknown=["caused_damage(p, c, f)"], **failed)):
        assert r.answers and not any("fsl_131_1" in o.basis for a in r.answers for o in a.outcomes if o.kind == "civil")
    weighted = solve(reasoner, silent + ["causal_weight(p, 40)", "causal_weight(m, 60)"], **failed, views={"d": "displace"})
    assert all("outcome(civil,p,joint_several(m),fsl_131_1)" in a.atoms for a in weighted.answers)
    fined = solve(reasoner, silent + ["party(r, regulator)"], **failed)
    assert all(any(o.kind == "administrative" and "fsl_131_1" in o.atom for o in a.outcomes) for a in fined.answers)


def test_report_and_stop_duty_arises_on_knowledge(reasoner):
    r = solve(reasoner, BASE + DUTIES + ["knew(p, m)"], refuted=["stopped_service(p, m)"])
    assert all("outcome(civil,p,joint_several(m),fsl_131_1)" in a.atoms for a in r.answers)
    quiet = solve(reasoner, BASE + DUTIES, refuted=["stopped_service(p, m)"])
    assert not any("fsl_131_1" in x for a in quiet.answers for x in a.atoms)


def test_before_the_2015_revision_it_does_not_apply(reasoner):
    r = solve(reasoner, BASE + ["registered_real_name(p, m)", "transaction_date(c, f, 20150930)"],
              refuted=["reviewed_qualification(p, m)"])
    assert not any("fsl_131_1" in x for a in r.answers for x in a.atoms)
    assert reasoner.rulebase.params["fsl_in_force"] == (20151001, "fsl_154")


def test_administrative_fine_range_from_params(reasoner):
    r = solve(reasoner, BASE + ["registered_real_name(p, m)", "party(r, regulator)"],
              refuted=["reviewed_qualification(p, m)"])
    atoms = {o.atom for a in r.answers for o in a.outcomes if o.basis == ("fsl_131_1",) and o.kind == "administrative"}
    assert atoms == {"outcome(administrative,p,order_to_correct,fsl_131_1)",
                     "outcome(administrative,p,confiscate_illegal_gains,fsl_131_1)",
                     "outcome(administrative,p,fine_range(50000,200000),fsl_131_1)"}
