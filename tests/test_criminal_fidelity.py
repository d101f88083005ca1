"""Art. 286-1 as the Art. 286-1 paper and the law state it: when Issues K and M are raised,
which provisions are cited in time, concurrence with offences outside the model, the
directly responsible person of Art. 287-2(2), and the form and addressee of an order.

Each test changes one fact and checks the basis the answer gives, not only the result.
"""

from __future__ import annotations

import pytest

from test_criminal_helpers import CRIME, REGULATOR, atoms_in_all, atoms_in_any, make_case, order_facts, provider


def solve(reasoner, established, **kw):
    return reasoner.solve(make_case(reasoner.vocabulary, established), **kw)


def red_flag_provider(x: str, date: int = 20200301, deadline: int = 20200331, **kw) -> list[str]:
    """Every element but the knowledge: the videos were obvious, not proven known (on an online
    shopping service: the red-flag test is the paper's test for e-commerce platforms)."""
    return ([f"party({x}, person)", f"legal_form({x}, natural_person)", f"provides_service({x}, online_shopping)"]
            + order_facts(x, f"o_{x}", "illegal_information", date=date, deadline=deadline, **kw)
            + [f"hosted_illegal({x}, obscene)", f"illegal_obvious({x}, obscene)", f"failed_to_remove({x}, obscene)",
               f"disseminated({x}, video_files, 800)"])


# ------------------------------------------------------------- Issues K and M raised only where they matter
def test_issue_k_is_raised_where_the_red_flag_decides(reasoner):
    result = solve(reasoner, REGULATOR + red_flag_provider("x"))
    assert sorted(dict(a.views)["k"] for a in result.answers) == ["actual_knowledge", "red_flag"]
    assert CRIME.format(x="x") in atoms_in_any(result)


def test_issue_k_is_raised_only_for_an_e_commerce_platform(reasoner):
    """The red-flag test is the paper's test for e-commerce platforms (the Art. 286-1 paper §3:
    "与电子商务平台情况相似的公众"), as Issue M is its question about them: for another provider no
    knowledge view is offered and "know" is actual knowledge, so the obvious videos alone make no
    breach and no crime (a fidelity audit: the own label stood on an information-publishing service)."""
    other = [f.replace("online_shopping", "information_publishing") for f in REGULATOR + red_flag_provider("x")]
    result = solve(reasoner, other)
    assert len(result.answers) == 1 and not result.answers[0].views
    assert CRIME.format(x="x") not in atoms_in_any(result)
    assert "element_missing(crl_286_1_1,x,duty)" in atoms_in_all(result)
    booking = [f.replace("online_shopping", "online_booking") for f in REGULATOR + red_flag_provider("x")]
    assert sorted(dict(a.views)["k"] for a in solve(reasoner, booking).answers) == ["actual_knowledge", "red_flag"]
    # beside an e-commerce platform that raises the issue, the other provider is still judged on
    # actual knowledge: the red flag reaches only the platform (review of this session's change)
    both = REGULATOR + red_flag_provider("x") + [f.replace("online_shopping", "information_publishing")
                                                 for f in red_flag_provider("y")]
    red = next(a for a in solve(reasoner, both).answers if dict(a.views).get("k") == "red_flag")
    assert CRIME.format(x="x") in red.atoms and CRIME.format(x="y") not in red.atoms


def test_issue_k_is_not_raised_when_art_286_1_is_time_barred(reasoner):
    # the same facts in 2014: the conduct ended before Amendment IX, no view can make it a crime
    result = solve(reasoner, REGULATOR + red_flag_provider("x", date=20140301, deadline=20140331))
    assert len(result.answers) == 1 and not result.answers[0].views
    atoms = atoms_in_all(result)
    assert CRIME.format(x="x") not in atoms and "element_missing(crl_286_1_1,x,duty)" in atoms
    # with the knowledge proven the same facts meet every element and Art. 12 gives the reason
    proven = atoms_in_all(solve(reasoner, REGULATOR + red_flag_provider("x", date=20140301, deadline=20140331)
                                + ["knew_illegal(x, obscene)"]))
    assert "not_punishable(x,crl_286_1_1,before_in_force)" in proven


@pytest.mark.parametrize("drop", ["able_to_comply(x, o_x)", "tolerated_consequence(x, o_x)",
                                  "disseminated(x, video_files, 800)", "order_cites_law(o_x)"])
def test_issue_k_is_not_raised_when_another_element_fails(reasoner, drop):
    facts = [f for f in REGULATOR + red_flag_provider("x") if f != drop]
    result = solve(reasoner, facts)
    assert len(result.answers) == 1 and not result.answers[0].views
    assert CRIME.format(x="x") not in atoms_in_any(result)


def test_issue_k_is_not_raised_when_actual_knowledge_settles_the_duty(reasoner):
    result = solve(reasoner, REGULATOR + red_flag_provider("x") + ["knew_illegal(x, obscene)"])
    assert len(result.answers) == 1 and not result.answers[0].views
    assert CRIME.format(x="x") in atoms_in_all(result)


def test_issue_m_is_raised_only_where_an_active_duty_decides(reasoner):
    """... and only for an e-commerce platform (a provider of online shopping or booking): the
    paper's holding (§3) is about e-commerce platforms; another provider reads the passive duty only."""
    base = [f for f in REGULATOR + red_flag_provider("x") if not f.startswith("illegal_obvious")]
    assert not any(a.views for a in solve(reasoner, base).answers)
    other = [f.replace("online_shopping", "information_publishing") for f in base]
    assert not any(a.views for a in solve(reasoner, other + ["no_content_review(x)"]).answers)
    booking = [f.replace("online_shopping", "online_booking") for f in base]
    assert sorted(dict(a.views)["m"] for a in solve(reasoner, booking + ["no_content_review(x)"]).answers) == [
        "active", "passive_only"]
    result = solve(reasoner, base + ["no_content_review(x)"])
    assert sorted(dict(a.views)["m"] for a in result.answers) == ["active", "passive_only"]
    active = next(a for a in result.answers if dict(a.views)["m"] == "active")
    assert "element_basis(x,duty(illegal_information,obscene,active),csl_47)" in active.atoms


# ------------------------------------------------------------- the 2019 interpretation in time
@pytest.mark.parametrize(("ended", "judged", "cites", "later"), [
    (20180331, 20180615, False, False),   # judged before it: the article alone
    (20180331, 20200615, True, True),     # judged after, conduct before: applied as a later interpretation
    (20200331, 20200615, True, False),    # conduct and judgment after it
])
def test_the_interpretation_is_cited_only_where_it_governs(reasoner, ended, judged, cites, later):
    facts = REGULATOR + provider("x", date=ended - 30, deadline=ended) + [
        f"judged_on(x, {judged})", "leak_harm(x, major_economic_loss)"]
    atoms = atoms_in_all(solve(reasoner, facts))
    bases = {a for a in atoms if a.startswith("element_basis(x,")}
    assert CRIME.format(x="x") in atoms
    assert any(b.endswith(",ji2019_15_1)") for b in bases) is cites
    assert any("ji2019_15" in b for b in bases) is cites
    if not cites:
        assert "element_basis(x,subject(network_service_provider),crl_286_1_1)" in bases
        assert "element_basis(x,order(o_x),crl_286_1_1)" in bases
        assert "element_basis(x,consequence(user_information_leak,finding),crl_286_1_1)" in bases
    assert ("later_interpretation(x,ji2019_15_20)" in atoms) is later


# ------------------------------------------------------------- concurrence (Art. 286-1(3))
def _other(x: str, c: str, kinds: list[str], term: tuple[int, int] | None, fine: str) -> list[str]:
    facts = [f"other_offence({x}, {c})", f'other_offence_article({c}, "000")']
    facts += [f"other_offence_penalty({c}, {k})" for k in kinds]
    if term:
        facts.append(f"other_offence_term({c}, {term[0]}, {term[1]})")
    return facts + [f"other_offence_fine({c}, {fine})"]


@pytest.mark.parametrize(("kinds", "term", "fine", "winner"), [
    # same principal penalties as Art. 286-1 but no fine alone: heavier, because 286-1 allows 单处罚金
    (["fixed_term", "criminal_detention", "public_surveillance"], (0, 36), "no_fine", "c"),
    (["fixed_term", "criminal_detention", "public_surveillance"], (0, 36), "mandatory", "c"),
    # lighter maximum: Art. 286-1 is heavier
    (["fixed_term", "criminal_detention", "fine_only"], (0, 24), "cumulative_or_alone", "crl_286_1_1"),
    # a fine alone is lighter than any other penalty
    (["fine_only"], None, "cumulative_or_alone", "crl_286_1_1"),
    # exactly Art. 286-1's range: the tie goes to the other offence
    (["fixed_term", "criminal_detention", "public_surveillance", "fine_only"], (0, 36), "cumulative_or_alone", "c"),
    (["fixed_term"], (36, 84), "mandatory", "c"),
])
def test_the_heavier_provision_with_an_offence_outside_the_model(reasoner, kinds, term, fine, winner):
    atoms = atoms_in_all(solve(reasoner, REGULATOR + provider("x") + _other("x", "c", kinds, term, fine)))
    assert {a for a in atoms if "convicted_under" in a} == {f"outcome(criminal,x,convicted_under({winner}),crl_286_1_3)"}
    loser = "crl_286_1_1" if winner == "c" else "c"
    assert {a for a in atoms if a.startswith("displaced(")} == {f"displaced({loser},{winner})"}
    assert (CRIME.format(x="x") in atoms) is (winner == "crl_286_1_1")


def test_an_offence_outside_the_model_needs_its_article(reasoner):
    facts = REGULATOR + provider("x") + [f for f in _other("x", "c", ["fixed_term"], (36, 84), "mandatory")
                                         if not f.startswith("other_offence_article")]
    atoms = atoms_in_all(solve(reasoner, facts))
    assert "outcome(criminal,x,convicted_under(crl_286_1_1),crl_286_1_1)" in atoms
    assert not any(a.startswith("displaced(") for a in atoms)


def test_an_offence_outside_the_model_alone_convicts_of_nothing(reasoner):
    facts = REGULATOR + [f for f in provider("x") if not f.startswith("leaked_user_information")]
    facts += _other("x", "c", ["fixed_term"], (36, 84), "mandatory")
    atoms = atoms_in_all(solve(reasoner, facts))
    assert not any(a.startswith("outcome(criminal,x,") for a in atoms)


# ------------------------------------------------------------- Art. 287-2(2): the person who left
@pytest.mark.parametrize(("ended", "punished"), [(20150930, False), (20151101, True)])
def test_crl_287_2_2_a_person_is_judged_on_their_own_part(reasoner, ended, punished):
    facts = ["party(co, platform)", "legal_form(co, unit)", "party(boss, person)", "directly_responsible(boss, co)",
             f"conduct_ended(boss, {ended})", "knew_crime_use(co)", "provided_support(co, payment_settlement)",
             "helping_serious(co)", "conduct_ended(co, 20170101)"]
    atoms = atoms_in_all(solve(reasoner, facts))
    assert "outcome(criminal,co,unit_crime(assisting_network_crime),crl_287_2_2)" in atoms
    assert ("outcome(criminal,boss,crime(assisting_network_crime),(crl_287_2_2,crl_287_2_1))" in atoms) is punished
    assert ("outcome(criminal,boss,no_crime(crl_287_2_1,before_in_force),(crl_12_1,crl_am9_52))" in atoms) is not punished


def test_crl_286_1_2_a_person_without_dates_follows_the_unit(reasoner):
    facts = REGULATOR + [f.replace("party(x, person)", "party(x, platform)").replace("natural_person", "unit")
                         for f in provider("x")] + ["party(boss, person)", "directly_responsible(boss, x)"]
    atoms = atoms_in_all(solve(reasoner, facts))
    assert "outcome(criminal,boss,crime(refusal_network_security_duty),(crl_286_1_2,crl_286_1_1))" in atoms
    left = atoms_in_all(solve(reasoner, facts + ["conduct_ended(boss, 20150101)"]))
    assert "outcome(criminal,boss,no_crime(crl_286_1_1,before_in_force),(crl_12_1,crl_am9_52))" in left
    assert "outcome(criminal,x,unit_crime(refusal_network_security_duty),crl_286_1_2)" in left


# ------------------------------------------------------------- the order as courts record it
@pytest.mark.parametrize(("extra", "defect"), [
    (["order_form(o_x, oral)"], "not_in_writing"),
    (["order_form(o_x, written)"], None),
    ([], "not_in_writing"),  # the form not stated: not proven, and the prosecution had to prove it
    (["order_form(o_x, written)", "party(someone, person)", "order_addressee(o_x, someone)"], "addressed_to_another"),
    (["order_form(o_x, written)", "order_addressee(o_x, x)"], None),
])
def test_ji2019_15_2_form_and_addressee_of_the_order(reasoner, extra, defect):
    """ji2019_15 Art. 2: an order "以责令整改通知书或者其他文书形式", proven by the prosecution."""
    base = [f for f in provider("x") if not f.startswith("order_form(")]
    atoms = atoms_in_all(solve(reasoner, REGULATOR + base + extra))
    defects = {a for a in atoms if a.startswith("order_defect(")}
    assert defects == ({f"order_defect(o_x,{defect})"} if defect else set())
    assert (CRIME.format(x="x") in atoms) is (defect is None)


def test_an_order_addressed_to_the_person_in_charge_reaches_the_unit(reasoner):
    facts = REGULATOR + [f.replace("party(x, person)", "party(x, platform)").replace("natural_person", "unit")
                         for f in provider("x")]
    facts += ["party(boss, person)", "directly_responsible(boss, x)", "order_addressee(o_x, boss)"]
    atoms = atoms_in_all(solve(reasoner, facts))
    assert not any(a.startswith("order_defect(") for a in atoms)
    assert "outcome(criminal,x,unit_crime(refusal_network_security_duty),crl_286_1_2)" in atoms


#: A provider that learns of the obscene videos only from a written order naming them, and refuses it
#: (the bundled case order_names_the_content, built with the shared builders).
ORDER_NAMES = REGULATOR + ["party(pub, person)", "legal_form(pub, natural_person)",
                           "provides_service(pub, information_publishing)",
                           *order_facts("pub", "o1", "illegal_information"), "order_names(o1, obscene)",
                           "hosted_illegal(pub, obscene)", "failed_to_remove(pub, obscene)",
                           "disseminated(pub, video_files, 5000)"]
ORDER_NAMES_DUTY = "element(crl_286_1_1,pub,duty(illegal_information,obscene,passive))"


@pytest.mark.parametrize(("change", "drop"), [
    ((), ("order_form(",)),                                   # an order not proven written is no order of Art. 2
    ((), ("received_order(",)),                               # an order never served told the provider nothing
    ((("order_names(o1, obscene)", "order_names(o1, fraud)"),), ()),  # it named another kind than the one hosted
])
def test_an_order_conveys_knowledge_only_if_valid_received_and_naming_the_hosted_content(reasoner, change, drop):
    """order_conveyed/3 (crl_286_1.lp): the knowledge a refused order gives rests on a valid order, served on
    the provider, that names the kind of illegal information it hosts; without any of these the provider's
    knowledge is not established and there is no breach of the passive duty, so no crime."""
    refuted = ["knew_illegal(pub, obscene)"]
    base = atoms_in_all(reasoner.solve(make_case(reasoner.vocabulary, ORDER_NAMES, refuted)))
    assert ORDER_NAMES_DUTY in base and CRIME.format(x="pub") in base
    facts = [dict(change).get(f, f) for f in ORDER_NAMES if not f.startswith(drop)]
    r = reasoner.solve(make_case(reasoner.vocabulary, facts, refuted))
    assert r.consistent and r.answers
    atoms = atoms_in_any(r)
    assert ORDER_NAMES_DUTY not in atoms
    assert CRIME.format(x="pub") not in atoms
