"""Unit tests for service platforms (issue #13, point 3): the ride-hailing platform's carrier liability
(Interim Measures Art. 16 with CC 823(1) / Contract Law 302(1)), the hitch-ride platform under Issue S
(intermediary / operator), and the safety-assurance duty of other service platforms to users and third parties."""

from __future__ import annotations

from conftest import atoms, outcomes, solve


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
    facts = ride("hitch_ride", 20180824, ["provider_caused(d, trip)", "prior_complaint(p, d, 20180823)",
                                          "platform_contributed(p, v, trip)"])
    r = solve(reasoner, facts, refuted=["acted_on_complaint(p, d)"])
    views = by_view(r, "s")
    # Tort Law 37(2) for a ride of 2018 (CC 1198(2) from 2021): the driver who caused the harm is
    # liable first, the platform supplementarily, with recourse (法释〔2003〕20号 Art. 6(2) then)
    assert views["intermediary"] == {"outcome(civil,d,first_in_order,(im2016_38,tl_37_2))",
                                     "outcome(civil,p,supplementary(d),(im2016_38,tl_37_2))",
                                     "outcome(civil,p,recourse_against(d),(im2016_38,ji2003_20_6_2))"}
    assert views["operator"] == {"outcome(civil,p,carrier_liable(v),cl_302_1)"}


def test_a_hitch_ride_before_the_interim_measures_cites_the_general_law_alone(reasoner):
    """Interim Measures Art. 38 is in force from 2016-11-01: an earlier hitch-ride is judged under Tort Law
    Art. 37(2) by analogy without it, a later one with it (the day before and the day of entry into force)."""
    extra = ["provider_caused(d, trip)", "platform_contributed(p, v, trip)"]
    before = by_view(solve(reasoner, ride("hitch_ride", 20161031, extra), refuted=["vetted_provider(p, d)"]), "s")
    on = by_view(solve(reasoner, ride("hitch_ride", 20161101, extra), refuted=["vetted_provider(p, d)"]), "s")
    assert before["intermediary"] == {"outcome(civil,d,first_in_order,tl_37_2)",
                                      "outcome(civil,p,supplementary(d),tl_37_2)",
                                      "outcome(civil,p,recourse_against(d),ji2003_20_6_2)"}
    assert on["intermediary"] == {"outcome(civil,d,first_in_order,(im2016_38,tl_37_2))",
                                  "outcome(civil,p,supplementary(d),(im2016_38,tl_37_2))",
                                  "outcome(civil,p,recourse_against(d),(im2016_38,ji2003_20_6_2))"}


def test_intermediary_needs_a_proven_breach(reasoner):
    """Silence on the platform's duties (vetting, warning, acting on complaints) proves no breach; a complaint
    after the service does not count; under `operator` the platform answers whatever its fault."""
    facts = ride("hitch_ride", 20200601, ["provider_caused(d, trip)", "prior_complaint(p, d, 20200602)",
                                          "platform_contributed(p, v, trip)"])
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
             "service_date(order, 20230505)", "harmed_in(t, order, minor)", "provider_caused(rider, order)",
             "platform_contributed(p, t, order)"]
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
             "service_date(order, 20230505)", "harmed_in(t, order, minor)", "provider_caused(p, order)",
             "platform_contributed(p, t, order)"]
    r = solve(reasoner, facts, refuted=["vetted_provider(p, p)"])
    assert not any("supplementary(" in o or "first_in_order" in o for o in outcomes(r))


RIDER = ["party(p, platform)", "party(rider, user)", "party(t, third_party)", "service(p, order, rider, delivery)",
         "service_date(order, 20230505)", "harmed_in(t, order, serious)", "provider_caused(rider, order)"]
SUPPLEMENTARY = {"outcome(civil,rider,first_in_order,cc_1198_2)", "outcome(civil,p,supplementary(rider),cc_1198_2)",
                 "outcome(civil,p,recourse_against(rider),cc_1198_2)"}


def unlinked(result, *shown):
    """A consistent result with answers, none of which holds an outcome, and each of which shows ``shown``: the
    platform's breach is found and is no ground of liability for want of its link to the harm."""
    assert result.consistent and result.answers
    assert outcomes(result) == set()
    return all(set(shown) <= {str(x) for x in a.atoms} for a in result.answers)


def test_a_breach_without_a_proven_link_to_the_harm_grounds_no_liability(reasoner):
    """A service platform answers for harm its failure caused, if only indirectly (CC 1165(1), CC 1198(2) by
    analogy; Qin 2025 §3.2.3): a failed vetting the case does not link to the victim's harm is shown as a breach
    with no causal link, and the platform bears nothing, whether the link is unstated, unknown or refuted; the
    victim bears the burden of the link."""
    reason = ("safety_breach(p,rider,vetting)", "no_causal_link(p,t,order)")
    assert unlinked(solve(reasoner, RIDER, refuted=["vetted_provider(p, rider)"]), *reason)
    assert unlinked(solve(reasoner, RIDER, refuted=["vetted_provider(p, rider)"],
                          unknown=["platform_contributed(p, t, order)"]), *reason)
    assert unlinked(solve(reasoner, RIDER, refuted=["vetted_provider(p, rider)", "platform_contributed(p, t, order)"]),
                    *reason)
    linked = solve(reasoner, RIDER + ["platform_contributed(p, t, order)"], refuted=["vetted_provider(p, rider)"])
    assert linked.consistent and outcomes(linked) == SUPPLEMENTARY
    assert "safety_breach(p,rider,vetting)" in atoms(linked) and not any(x.startswith("no_causal_link(") for x in atoms(linked))


def test_the_link_is_of_one_victim_in_one_service(reasoner):
    """The link proven for one victim, or in one service, is no link for another: two victims of one order, only
    one linked, get one liability and one unlinked breach; a link stated for another order of the same rider
    proves nothing for this one."""
    two_victims = RIDER + ["party(u, third_party)", "harmed_in(u, order, minor)", "platform_contributed(p, t, order)"]
    r = solve(reasoner, two_victims, refuted=["vetted_provider(p, rider)"])
    assert r.consistent and r.answers
    assert outcomes(r) == SUPPLEMENTARY
    assert all("no_causal_link(p,u,order)" in {str(x) for x in a.atoms} and
               "no_causal_link(p,t,order)" not in {str(x) for x in a.atoms} for a in r.answers)
    other_service = RIDER + ["service(p, order2, rider, delivery)", "service_date(order2, 20230506)",
                             "platform_contributed(p, t, order2)"]
    assert unlinked(solve(reasoner, other_service, refuted=["vetted_provider(p, rider)"]),
                    "safety_breach(p,rider,vetting)", "no_causal_link(p,t,order)")


def test_a_causal_weight_is_no_link_of_a_service_matter(reasoner):
    """A causal weight (原因力) is stated per party, not per matter: the weight a goods claim states for the
    platform does not link its failure in an unrelated service to that service's victim."""
    goods = ["party(m, merchant)", "party(c, consumer)", "on_platform(m, p)", "sold(m, g, c)",
             "concerns_life_health(g)", "damage(c, g)", "causal_weight(p, 30)", "causal_weight(m, 70)"]
    r = solve(reasoner, RIDER + goods, refuted=["vetted_provider(p, rider)", "reviewed_qualification(p, m)"])
    assert any("ecl_38_2" in o for o in outcomes(r))  # the weight does link the goods claim (ECL 38(2))
    assert r.consistent and r.answers
    assert not any("supplementary(rider)" in o or "rider,first_in_order" in o for o in outcomes(r))
    assert all("no_causal_link(p,t,order)" in {str(x) for x in a.atoms} for a in r.answers)


def test_a_hitch_ride_without_the_link(reasoner):
    """Under s=intermediary the hitch-ride platform's breach needs its link too (here a 2018 ride: the Tort Law
    period); under s=operator the platform answers as a carrier, whatever its fault."""
    facts = ride("hitch_ride", 20180824, ["provider_caused(d, trip)", "prior_complaint(p, d, 20180823)"])
    views = by_view(solve(reasoner, facts, refuted=["acted_on_complaint(p, d)"]), "s")
    assert views["intermediary"] == set()
    assert views["operator"] == {"outcome(civil,p,carrier_liable(v),cl_302_1)"}
    r = solve(reasoner, facts, refuted=["acted_on_complaint(p, d)"], views={"s": "intermediary"})
    assert unlinked(r, "safety_breach(p,d,complaint)", "no_causal_link(p,v,trip)")
