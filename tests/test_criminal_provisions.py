"""Unit tests per criminal provision, mirroring encodings/statutes/crl_*.lp and ji2019_15.lp.

Each test builds a small case through the API, changes one fact, and checks both the
result and the basis the rule base cites for it (element_basis/3, the basis of the
outcome, order_defect/2, not_punishable/3).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_criminal_helpers import CRIME, REGULATOR, atoms_in_all, atoms_in_any, make_case, order_facts, provider


def solve(reasoner, established, refuted=(), unknown=(), **kw):
    case = make_case(reasoner.vocabulary, established, refuted, unknown)
    return reasoner.solve(case, **kw)


# ------------------------------------------------------------- ji2019_15 Art. 1
def test_ji2019_15_1_every_listed_service_is_a_network_service_provider(reasoner):
    kinds = reasoner.vocabulary["provides_service"].arguments[1].values
    listed = [k for k in kinds if k != "offline_only"]
    facts = list(REGULATOR)
    for k in kinds:
        facts += provider(f"x_{k}", service=k)
    atoms = atoms_in_all(solve(reasoner, facts))
    for k in listed:
        assert f"element_basis(x_{k},subject(network_service_provider),ji2019_15_1)" in atoms
        assert CRIME.format(x=f"x_{k}") in atoms
    assert "element_missing(crl_286_1_1,x_offline_only,subject)" in atoms
    assert not any(a.startswith("outcome(criminal,x_offline_only,") for a in atoms)


# ------------------------------------------------------------- ji2019_15 Art. 2
@pytest.mark.parametrize(("change", "defect"), [
    ({"drop": "order_cites_law(o_x)"}, "no_legal_basis"),
    ({"drop": "order_measures_clear(o_x)"}, "measures_unclear"),
    ({"drop": "order_deadline(o_x, 20200331)"}, "no_deadline"),
    ({"kind": "without_mandate"}, "regulator_without_mandate"),
    ({"deadline": 20200229}, "deadline_before_order"),
])
def test_ji2019_15_2_each_defect_alone_defeats_the_order(reasoner, change, defect):
    kind = change.get("kind", "cyberspace")
    deadline = change.get("deadline", 20200331)
    facts = ["party(cac, regulator)", f"regulator_kind(cac, {kind})"] + provider("x", deadline=deadline)
    facts = [f for f in facts if f != change.get("drop")]
    atoms = atoms_in_all(solve(reasoner, facts))
    defects = {a for a in atoms if a.startswith("order_defect(")}
    assert defects == {f"order_defect(o_x,{defect})"}
    assert "element_missing(crl_286_1_1,x,order)" in atoms
    assert CRIME.format(x="x") not in atoms


def test_ji2019_15_2_a_valid_order_is_cited_to_the_interpretation(reasoner):
    atoms = atoms_in_all(solve(reasoner, REGULATOR + provider("x")))
    assert "element_basis(x,order(o_x),ji2019_15_2)" in atoms
    assert "element_basis(x,ability(o_x),ji2019_15_2)" in atoms
    assert not any(a.startswith("order_defect(") for a in atoms)


# ------------------------------------------------------------- Art. 286-1(1)
@pytest.mark.parametrize(("drop", "missing"), [
    ("provides_service(x, information_publishing)", "subject"),
    ("security_measure_missing(x, user_information)", "duty"),
    ("ordered_to_correct(cac, x, o_x)", "order"),
    ("failed_to_correct(x, o_x)", "refusal"),
    ("able_to_comply(x, o_x)", "ability"),
    ("received_order(x, o_x)", "intent"),
    ("leaked_user_information(x, sensitive, 600)", "consequence"),
])
def test_crl_286_1_1_every_element_is_necessary(reasoner, drop, missing):
    full = REGULATOR + provider("x")
    assert CRIME.format(x="x") in atoms_in_all(solve(reasoner, full))
    atoms = atoms_in_all(solve(reasoner, [f for f in full if f != drop]))
    assert CRIME.format(x="x") not in atoms
    assert f"element_missing(crl_286_1_1,x,{missing})" in atoms


def test_crl_286_1_1_elements_name_their_basis(reasoner):
    atoms = atoms_in_all(solve(reasoner, REGULATOR + provider("x")))
    assert {
        "element(crl_286_1_1,x,subject(network_service_provider))",
        "element_basis(x,duty(user_information,general,statutory),csl_42)",
        "element_basis(x,refusal(o_x),crl_286_1_1)",
        "element_basis(x,intent(o_x),crl_286_1_1)",
        "element_basis(x,consequence(user_information_leak,1),ji2019_15_4)",
    } <= atoms
    assert not any(a.startswith("element_missing(") for a in atoms)


def test_crl_286_1_1_penalty_range_is_the_outcome(reasoner):
    result = solve(reasoner, REGULATOR + provider("x"))
    outcomes = {o.atom: o for o in result.in_all}
    pen = ("outcome(criminal,x,penalty(fixed_term_max_months(36),alternatives(criminal_detention,public_surveillance),"
           "fine(cumulative_or_alone)),crl_286_1_1)")
    assert pen in outcomes
    assert outcomes[pen].basis == ("crl_286_1_1",)
    assert reasoner.rulebase.params["crl_286_1_1_max_months"] == (36, "crl_286_1_1")


def test_crl_286_1_1_order_must_concern_the_breached_duty(reasoner):
    facts = REGULATOR + provider("x", area="log_retention") + ["security_measure_missing(x, user_information)"]
    facts = [f for f in facts if f != "security_measure_missing(x, log_retention)"]
    atoms = atoms_in_all(solve(reasoner, facts))
    assert "element(crl_286_1_1,x,order(o_x))" in atoms
    assert "element_missing(crl_286_1_1,x,refusal)" in atoms
    assert CRIME.format(x="x") not in atoms


# ------------------------------------------------------------- Art. 286-1(2)
def test_crl_286_1_2_unit_fined_and_persons_punished_under_para_1(reasoner):
    facts = REGULATOR + provider("co", form="unit") + ["party(boss, person)", "directly_responsible(boss, co)"]
    result = solve(reasoner, facts)
    got = {o.atom: o.basis for o in result.in_all}
    assert got["outcome(criminal,co,unit_crime(refusal_network_security_duty),crl_286_1_2)"] == ("crl_286_1_2",)
    assert got["outcome(criminal,co,penalty(fine),crl_286_1_2)"] == ("crl_286_1_2",)
    assert got["outcome(criminal,boss,crime(refusal_network_security_duty),(crl_286_1_2,crl_286_1_1))"] == \
        ("crl_286_1_2", "crl_286_1_1")
    assert not any(a.startswith("outcome(criminal,co,penalty(fixed_term") for a in got)


def test_crl_286_1_2_a_platform_party_is_a_unit_unless_stated_otherwise(reasoner):
    facts = REGULATOR + [f.replace("party(x, person)", "party(x, platform)") for f in provider("x")
                         if not f.startswith("legal_form")]
    atoms = atoms_in_all(solve(reasoner, facts))
    assert "outcome(criminal,x,unit_crime(refusal_network_security_duty),crl_286_1_2)" in atoms


# ------------------------------------------------------------- Art. 286-1(3)
@pytest.mark.parametrize(("extra", "heavier", "rules"), [
    (["disseminated_obscene_for_profit(x)"], "crl_363_1", {"crl_286_1_3"}),
    (["disseminated_obscene_for_profit(x)", "obscene_grade(x, especially_serious)"], "crl_363_1", {"crl_286_1_3"}),
    # the time of the help is the prosecution's to prove (Art. 287-2 exists from Amendment IX)
    (["knew_crime_use(x)", "provided_support(x, payment_settlement)", "helping_serious(x)",
      "conduct_ended(x, 20200415)"], "crl_287_2_1", {"crl_286_1_3", "crl_287_2_3"}),
    (["knew_crime_use(x)", "provided_support(x, payment_settlement)", "helping_serious(x)",
      "conduct_ended(x, 20200415)", "disseminated_obscene_for_profit(x)", "obscene_grade(x, serious)"], "crl_363_1",
     {"crl_286_1_3", "crl_287_2_3"}),
])
def test_crl_286_1_3_conviction_follows_the_heavier_provision_and_the_absorbed_crime_is_displaced(
        reasoner, extra, heavier, rules):
    atoms = atoms_in_all(solve(reasoner, REGULATOR + provider("x") + extra))
    basis = next(iter(rules)) if len(rules) == 1 else "(" + ",".join(sorted(rules)) + ")"
    convicted = {a for a in atoms if a.startswith("outcome(criminal,x,convicted_under(")}
    assert convicted == {f"outcome(criminal,x,convicted_under({heavier}),{basis})"}
    # one conduct, one conviction: Art. 286-1 is made out (all its elements hold) but
    # displaced by the heavier provision, with its penalty; the heavier crime stays live
    assert "element_missing(crl_286_1_1,x,consequence)" not in atoms
    assert CRIME.format(x="x") not in atoms
    assert not any(a.startswith("outcome(criminal,x,penalty(") and a.endswith(",crl_286_1_1)") for a in atoms)
    assert f"displaced(crl_286_1_1,{heavier})" in atoms
    live = {a for a in atoms if a.startswith("outcome(criminal,x,crime(")}
    assert len(live) == 1


def test_crl_286_1_3_not_engaged_for_one_crime(reasoner):
    atoms = atoms_in_all(solve(reasoner, REGULATOR + provider("x")))
    assert {a for a in atoms if "convicted_under" in a} == {
        "outcome(criminal,x,convicted_under(crl_286_1_1),crl_286_1_1)"}


# ------------------------------------------------------------- Art. 12, Amendment IX
@pytest.mark.parametrize(("deadline", "punishable"), [(20151031, False), (20151101, True)])
def test_crl_12_1_conduct_before_amendment_ix_is_not_punishable(reasoner, deadline, punishable):
    facts = REGULATOR + provider("x", date=20151001, deadline=deadline, area="real_identity", leak=0)
    facts += ["serious_circumstance(x, no_logs_or_identity_majority)", "judged_on(x, 20200101)"]
    atoms = atoms_in_all(solve(reasoner, facts))
    assert (CRIME.format(x="x") in atoms) is punishable
    assert ("not_punishable(x,crl_286_1_1,before_in_force)" in atoms) is not punishable
    assert ("outcome(criminal,x,no_crime(crl_286_1_1,before_in_force),(crl_12_1,crl_am9_52))" in atoms) is not punishable
    assert ("from_old_and_lighter(x,crl_286_1_1,old_law_no_crime)" in atoms) is not punishable


def test_crl_12_1_duty_sources_must_be_in_force_on_the_order_date(reasoner):
    # 2016: the NPCSC Decision of 2012 binds, the Cybersecurity Law (2017-06-01) does not yet.
    facts = REGULATOR + provider("x", date=20160301, deadline=20160331)
    atoms = atoms_in_all(solve(reasoner, facts))
    assert "element_basis(x,duty(user_information,general,statutory),npcsc2012_4)" in atoms
    assert "element_basis(x,duty(user_information,general,statutory),csl_42)" not in atoms


@pytest.mark.parametrize(("first_date", "refused"), [(20180301, False), (20190301, True)])
def test_crl_286_1_1_a_refusal_rests_on_the_sources_in_force_on_its_own_order_date(reasoner, first_date, refused):
    # Infringing listings: the only source is E-Commerce Law Art. 45 (2019-01-01). A later
    # order (2020) dates the provider too; it must not make Art. 45 bind for the first one.
    facts = REGULATOR + ["party(shop, platform)", "legal_form(shop, unit)", "provides_service(shop, online_shopping)",
                         "hosted_illegal(shop, ip_infringing)", "knew_illegal(shop, ip_infringing)",
                         "failed_to_remove(shop, ip_infringing)", "disseminated(shop, other_items, 3000)"]
    facts += order_facts("shop", "o1", "illegal_information", date=first_date, deadline=first_date + 30)
    facts += order_facts("shop", "o2", "log_retention", date=20200301, deadline=20200331)
    atoms = atoms_in_all(solve(reasoner, facts))
    # the duty itself is breached either way (Art. 45 binds from the 2020 order on) ...
    assert "element_basis(shop,duty(illegal_information,ip_infringing,passive),ecl_45)" in atoms
    # ... but the 2018 order's refusal has no duty of its date behind it
    assert ("element(crl_286_1_1,shop,refusal(o1))" in atoms) is refused
    assert ("order_before_duty(shop,o1,illegal_information)" in atoms) is not refused
    assert ("outcome(criminal,shop,convicted_under(crl_286_1_1),crl_286_1_1)" in atoms) is refused


# ------------------------------------------------------------- Art. 363, 366
@pytest.mark.parametrize(("grade", "form"), [
    ("basic", "penalty(fixed_term_max_months(36),alternatives(criminal_detention,public_surveillance),fine(mandatory))"),
    ("serious", "penalty(fixed_term_months(36,120),no_alternative,fine(mandatory))"),
    ("especially_serious", "penalty(fixed_term_min_months(120),alternatives(life_imprisonment),fine_or_confiscation(mandatory))"),
])
def test_crl_363_1_penalty_follows_the_grade(reasoner, grade, form):
    facts = ["party(y, person)", "legal_form(y, natural_person)", "disseminated_obscene_for_profit(y)",
             f"obscene_grade(y, {grade})"]
    result = solve(reasoner, facts)
    assert {o.atom for o in result.in_all} == {
        "outcome(criminal,y,crime(disseminating_obscene_for_profit),crl_363_1)",
        f"outcome(criminal,y,{form},crl_363_1)",
        "outcome(criminal,y,convicted_under(crl_363_1),crl_363_1)"}


def test_crl_366_unit_and_persons(reasoner):
    facts = ["party(u, platform)", "legal_form(u, unit)", "disseminated_obscene_for_profit(u)",
             "party(y, person)", "directly_responsible(y, u)"]
    atoms = atoms_in_all(solve(reasoner, facts))
    assert "outcome(criminal,u,unit_crime(disseminating_obscene_for_profit),crl_366)" in atoms
    assert "outcome(criminal,y,crime(disseminating_obscene_for_profit),(crl_366,crl_363_1))" in atoms


# ------------------------------------------------------------- Art. 287-2
@pytest.mark.parametrize(("ended", "helps"), [(20151031, False), (20151101, True), (None, False)])
def test_crl_287_2_1_created_by_amendment_ix(reasoner, ended, helps):
    """Art. 287-2 exists from Amendment IX (2015-11-01): help that ended before is no crime under it, and
    help whose time the case does not state has not been shown to fall under it (the prosecution's to
    prove; until 2026-12-07, evening, it was taken as after the Amendment)."""
    facts = ["party(y, person)", "legal_form(y, natural_person)", "knew_crime_use(y)",
             "provided_support(y, server_hosting)", "helping_serious(y)"]
    if ended:
        facts.append(f"conduct_ended(y, {ended})")
    atoms = atoms_in_all(solve(reasoner, facts))
    assert ("outcome(criminal,y,crime(assisting_network_crime),crl_287_2_1)" in atoms) is helps
    assert ("not_punishable(y,crl_287_2_1,before_in_force)" in atoms) is (ended is not None and not helps)
    assert ("element_missing(crl_287_2_1,y,time)" in atoms) is (ended is None)


# ------------------------------------------------------------- ji2019_15 Arts. 3, 4: conversion
def _content_provider(x: str, counts: dict[str, int]) -> list[str]:
    facts = [f"party({x}, person)", f"legal_form({x}, natural_person)", f"provides_service({x}, live_streaming)"]
    facts += order_facts(x, f"o_{x}", "illegal_information")
    facts += [f"hosted_illegal({x}, obscene)", f"knew_illegal({x}, obscene)", f"failed_to_remove({x}, obscene)"]
    facts += [f"disseminated({x}, {m}, {n})" for m, n in counts.items() if n]
    return facts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(videos=st.integers(0, 260), items=st.integers(0, 2600))
def test_ji2019_15_3_conversion_is_exact_rational_arithmetic(reasoner, videos, items):
    facts = REGULATOR + _content_provider("x", {"video_files": videos, "other_items": items})
    atoms = atoms_in_any(solve(reasoner, facts, views={"k": "actual_knowledge", "m": "passive_only"}))
    single = videos >= 200 or items >= 2000
    converted = Fraction(videos, 200) + Fraction(items, 2000) >= 1
    assert ("element(crl_286_1_1,x,consequence(mass_dissemination,3))" in atoms) is (converted and not single)
    assert (CRIME.format(x="x") in atoms) is (converted or single)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sens=st.integers(0, 520), imp=st.integers(0, 5200), ordn=st.integers(0, 52000))
def test_ji2019_15_4_conversion_over_three_categories(reasoner, sens, imp, ordn):
    facts = REGULATOR + provider("x", leak=0)
    facts += [f"leaked_user_information(x, {c}, {n})" for c, n in
              (("sensitive", sens), ("important", imp), ("ordinary", ordn)) if n]
    atoms = atoms_in_any(solve(reasoner, facts))
    single = sens >= 500 or imp >= 5000 or ordn >= 50000
    converted = Fraction(sens, 500) + Fraction(imp, 5000) + Fraction(ordn, 50000) >= 1
    assert ("element(crl_286_1_1,x,consequence(user_information_leak,4))" in atoms) is (converted and not single)
    assert (CRIME.format(x="x") in atoms) is (converted or single)


@pytest.mark.parametrize(("counts", "item"), [
    ({"video_files": 100, "other_items": 1000}, 3),
    ({"video_files": 200, "other_items": 1000}, 1),
    ({"video_files": 0, "other_items": 2000}, 2),
    ({"video_files": 2_000_000_000, "other_items": 5}, 1),      # no overflow in the conversion
    ({"video_files": 150, "other_items": 2_000_000_000}, 2),
])
def test_ji2019_15_3_item_cited(reasoner, counts, item):
    atoms = atoms_in_all(solve(reasoner, REGULATOR + _content_provider("x", counts)))
    assert f"element_basis(x,consequence(mass_dissemination,{item}),ji2019_15_3)" in atoms
    items = {a for a in atoms if a.startswith("element(crl_286_1_1,x,consequence(")}
    assert items == {f"element(crl_286_1_1,x,consequence(mass_dissemination,{item}))"}


# ------------------------------------------------------------- ji2019_15 Art. 5, 6, 20
@pytest.mark.parametrize(("times", "met"), [(2, False), (3, True)])
def test_ji2019_15_5_repeatedly_means_three_times(reasoner, times, met):
    facts = REGULATOR + provider("x", area="log_retention", leak=0)
    facts += ["evidence_lost(x, other_case)", f"evidence_loss_times(x, {times})"]
    atoms = atoms_in_all(solve(reasoner, facts))
    assert ("element_basis(x,consequence(evidence_loss,3),ji2019_15_5)" in atoms) is met


@pytest.mark.parametrize(("judged", "numeric"), [(20191031, False), (20191101, True)])
def test_ji2019_15_20_thresholds_apply_to_judgments_from_its_entry_into_force(reasoner, judged, numeric):
    facts = REGULATOR + provider("x") + [f"judged_on(x, {judged})"]
    atoms = atoms_in_all(solve(reasoner, facts))
    assert (CRIME.format(x="x") in atoms) is numeric
    assert ("element_missing(crl_286_1_1,x,consequence)" in atoms) is not numeric


# ------------------------------------------------------------- declarations
def test_provisions_carry_chinese_text_and_english_reading(reasoner):
    provs = reasoner.rulebase.provisions
    ours = [p for p in provs if p.startswith(("crl_", "ji2019_15_"))]
    assert {"crl_286_1_1", "crl_286_1_2", "crl_286_1_3", "crl_12_1", "crl_363_1", "crl_366", "crl_287_2_1",
            "crl_am9_52", "ji2019_15_1", "ji2019_15_2", "ji2019_15_3", "ji2019_15_4", "ji2019_15_5",
            "ji2019_15_6", "ji2019_15_20"} <= set(ours)
    for pid in ours:
        assert provs[pid].text_zh and provs[pid].text_en, pid
    assert "经监管部门责令采取改正措施而拒不改正" in provs["crl_286_1_1"].text_zh
    assert provs["crl_286_1_1"].cite() == "Criminal Law Art. 286-1(1)"


def test_issues_k_and_m_declare_their_views(reasoner):
    issues = reasoner.issues
    k, m = issues["k"], issues["m"]
    assert {v.id: v.status for v in k.views} == {"actual_knowledge": "reading", "red_flag": "own"}
    assert {v.id: v.status for v in m.views} == {"passive_only": "own", "active": "named"}
    for v in k.views + m.views:
        assert v.source and v.label_zh and v.label_en


# ------------------------------------------------------------- no order, no crime
@pytest.mark.parametrize("case_id", ["kuaibo_hypothetical_after_am9", "m_split_active_monitoring", "k_split_red_flag",
                                     "ji6_other_serious_circumstances", "platform_civil_and_criminal"])
def test_no_order_no_crime_under_every_view(reasoner, case_id):
    """The Art. 286-1 paper §4.2 (no order, no crime): drop every order from a case that is a crime under some view;
    under every combination of the views of K and M (and rejected views allowed) no
    outcome rests on Art. 286-1."""
    import dataclasses
    import itertools

    from conftest import CASES

    case = reasoner.load(CASES / "criminal" / f"{case_id}.yaml")
    with_order = reasoner.solve(case, include_rejected=True)
    assert any("crl_286_1" in o.atom for a in with_order.answers for o in a.outcomes)
    no_order = dataclasses.replace(case, facts=tuple(f for f in case.facts if f.predicate != "ordered_to_correct"))
    for k, m in itertools.product(("actual_knowledge", "red_flag"), ("passive_only", "active")):
        result = reasoner.solve(no_order, views={"k": k, "m": m}, include_rejected=True)
        assert result.answers
        for answer in result.answers:
            assert not [o.atom for o in answer.outcomes
                        if o.kind == "criminal" and any(b.startswith("crl_286_1_") for b in o.basis)]


@pytest.mark.parametrize("own, unit, crime", [
    (["helping_serious(y)", "knew_crime_use(y)", "provided_support(y, network_storage)", "conduct_ended(y, 20200101)"],
     ["helping_serious(u)", "knew_crime_use(u)", "provided_support(u, network_storage)", "conduct_ended(u, 20200101)"],
     "assisting_network_crime"),
    (["disseminated_obscene_for_profit(y)"], ["disseminated_obscene_for_profit(u)"], "disseminating_obscene_for_profit"),
])
def test_a_person_punished_through_the_unit_is_not_convicted_again_alone(reasoner, own, unit, crime):
    """Arts. 287-2(2) and 366: the directly responsible person of a unit that committed the crime
    is punished under the article once, through the unit; the same conduct stated of the person
    gives no second conviction and penalty as an individual (found by verify:
    inv:one_live_conviction_per_person)."""
    facts = ["legal_form(u, unit)", "directly_responsible(y, u)"] + own + unit
    r = solve(reasoner, facts)
    for a in r.answers:
        crimes = [o for o in a.outcomes if o.party == "y" and o.form == "crime" and o.args[0] == crime]
        penalties = [o for o in a.outcomes if o.party == "y" and o.form == "penalty"]
        assert len(crimes) == 1 and len(penalties) == 1, a.outcomes
        assert crimes[0].basis[0] in ("crl_287_2_2", "crl_366")  # through the unit


def test_two_grades_of_art_363_for_one_defendant_contradict_each_other(reasoner):
    """The court finds one grade of circumstances; two stated for one defendant gave two live
    penalties (found by verify: inv:one_live_conviction_per_person) and are now a contradiction
    whose core names both findings."""
    r = solve(reasoner, ["disseminated_obscene_for_profit(d)", "obscene_grade(d, basic)",
                         "obscene_grade(d, especially_serious)"])
    assert not r.consistent
    assert set(r.core) == {"established(obscene_grade(d,basic))", "established(obscene_grade(d,especially_serious))"}
    one = solve(reasoner, ["disseminated_obscene_for_profit(d)", "obscene_grade(d, serious)"])
    assert one.consistent and all(sum(o.form == "penalty" for o in a.outcomes) == 1 for a in one.answers)
