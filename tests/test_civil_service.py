"""Unit tests for service platforms (issue #13, point 3): the ride-hailing platform's carrier liability
(Interim Measures Art. 16 with CC 823(1) / Contract Law 302(1)), the hitch-ride platform under Issue S
(intermediary / operator), and the safety-assurance duty of other service platforms to users and third parties."""

from __future__ import annotations

from conftest import outcomes, solve


def by_view(result, issue):
    return {dict(a.views).get(issue): {o.atom for o in a.outcomes} for a in result.answers}


def ride(kind, date, extra=()):
    return ["party(p, platform)", "party(d, user)", "party(v, consumer)", f"service(p, trip, d, {kind})",
            "service_user(v, trip)", f"service_date(trip, {date})", "harmed_in(v, trip, serious)",
            "loss(v, trip, 30000, " + str(date) + ")"] + list(extra)


def test_ride_hailing_platform_is_the_carrier(reasoner):
    assert outcomes(solve(reasoner, ride("ride_hailing", 20220301))) == {"outcome(civil,p,carrier_liable(v),(im2016_16,cc_823_1))"}
    assert "outcome(civil,p,carrier_liable(v),(im2016_16,cl_302_1))" in outcomes(solve(reasoner, ride("ride_hailing", 20190301)))
    assert outcomes(solve(reasoner, ride("ride_hailing", 20161031))) == set()      # before the Interim Measures
    assert outcomes(solve(reasoner, ride("ride_hailing", 20220301, ["victim_own_fault(v, trip)"]))) == set()
    assert reasoner.rulebase.params["im2016_in_force"] == (20161101, "im2016_16")


def test_hitch_ride_passenger_splits_issue_s(reasoner):
    facts = ride("hitch_ride", 20180824, ["provider_caused(d, trip)", "prior_complaint(p, d, 20180823)"])
    r = solve(reasoner, facts, refuted=["acted_on_complaint(p, d)"])
    views = by_view(r, "s")
    # Tort Law 37(2) for a ride of 2018 (CC 1198(2) from 2021): the driver who caused the harm is
    # liable first, the platform supplementarily, with recourse (法释〔2003〕20号 Art. 6(2) then)
    assert views["intermediary"] == {"outcome(civil,d,first_in_order,(im2016_38,tl_37_2))",
                                     "outcome(civil,p,supplementary(d),(im2016_38,tl_37_2))",
                                     "outcome(civil,p,recourse_against(d),(im2016_38,ji2003_20_6_2))"}
    assert views["operator"] == {"outcome(civil,p,carrier_liable(v),cl_302_1)"}


def test_intermediary_needs_a_proven_breach(reasoner):
    """Silence on the platform's duties (vetting, warning, acting on complaints) proves no breach; a complaint
    after the service does not count; under `operator` the platform answers whatever its fault."""
    facts = ride("hitch_ride", 20200601, ["provider_caused(d, trip)", "prior_complaint(p, d, 20200602)"])
    r = solve(reasoner, facts, refuted=["acted_on_complaint(p, d)"])
    views = by_view(r, "s")
    assert views["intermediary"] == set()
    assert "outcome(civil,p,carrier_liable(v),cl_302_1)" in views["operator"]
    r = solve(reasoner, facts, refuted=["vetted_provider(p, d)"])
    assert by_view(r, "s")["intermediary"] == {"outcome(civil,d,first_in_order,(im2016_38,tl_37_2))",
                                               "outcome(civil,p,supplementary(d),(im2016_38,tl_37_2))",
                                               "outcome(civil,p,recourse_against(d),(im2016_38,ji2003_20_6_2))"}


def test_third_party_harmed_by_a_delivery_rider(reasoner):
    facts = ["party(p, platform)", "party(rider, user)", "party(t, third_party)", "service(p, order, rider, delivery)",
             "service_date(order, 20230505)", "harmed_in(t, order, minor)", "provider_caused(rider, order)"]
    assert outcomes(solve(reasoner, facts)) == set()
    r = solve(reasoner, facts, refuted=["vetted_provider(p, rider)"])
    assert outcomes(r) == {"outcome(civil,rider,first_in_order,cc_1198_2)", "outcome(civil,p,supplementary(rider),cc_1198_2)",
                           "outcome(civil,p,recourse_against(rider),cc_1198_2)"}
    assert all("s" not in dict(a.views) for a in r.answers)


def test_undated_service_gets_every_period(reasoner):
    facts = [f for f in ride("ride_hailing", 20220301) if not f.startswith("service_date")]
    r = solve(reasoner, facts)
    assert len(r.answers) == 3
    assert {"outcome(civil,p,carrier_liable(v),(im2016_16,cl_302_1))", "outcome(civil,p,carrier_liable(v),(im2016_16,cc_823_1))"} <= outcomes(r)


def test_a_platform_that_provides_the_service_itself_is_no_third_party(reasoner):
    """CC 1198(2) needs a third party who caused the harm: a platform that delivered the order
    itself bears no supplementary liability for itself (found by verify: it was liable first and
    supplementarily at once)."""
    facts = ["party(p, platform)", "party(t, third_party)", "service(p, order, p, delivery)",
             "service_date(order, 20230505)", "harmed_in(t, order, minor)", "provider_caused(p, order)"]
    r = solve(reasoner, facts, refuted=["vetted_provider(p, p)"])
    assert not any("supplementary(" in o or "first_in_order" in o for o in outcomes(r))
