"""Unit tests for the notice-and-takedown rules (issue #13): E-Commerce Law Arts. 42, 43, 45 on the
right holder's matter, Civil Code Arts. 1194, 1195, 1197, Tort Law Art. 36 with 法释〔2014〕11号 Art. 5,
the law in force at the time (法释〔2020〕15号 Art. 1) and the day arithmetic of prologue/timeline.lp."""

from __future__ import annotations

import datetime

from conftest import atoms, outcomes, solve

BASE = ["party(r, right_holder)", "party(p, platform)", "hosts(p, u, i)"]


def notice_case(date, role="user", kind="personality", qualified=("evidence", "identity", "locates"), extra=()):
    facts = BASE + [f"party(u, {role})", f"infringes(u, i, r, {kind})", f"notice(r, p, i, {date})"]
    facts += [f"notice_{q}(r, p, i)" for q in qualified]
    return facts + list(extra)


def test_period_decides_the_basis(reasoner):
    """The notice's date places the matter: Tort Law before 2021, the Civil Code from 2021, the E-Commerce
    Law for a merchant's IP listing from 2019 (法释〔2020〕15号 Art. 1; ECL 89; CC 1260; TL 92)."""
    late = ["no_measures(p, i)"]
    assert "outcome(civil,p,joint_enlarged(u),tl_36_2)" in outcomes(solve(reasoner, notice_case(20150101, extra=late)))
    assert "outcome(civil,p,joint_enlarged(u),cc_1195_2)" in outcomes(solve(reasoner, notice_case(20210101, extra=late)))
    assert "outcome(civil,p,joint_enlarged(u),tl_36_2)" in outcomes(solve(reasoner, notice_case(20201231, extra=late)))
    ip = notice_case(20190101, role="merchant", kind="ip", extra=late)
    assert "outcome(civil,p,joint_enlarged(u),ecl_42_2)" in outcomes(solve(reasoner, ip))
    ip_2018 = notice_case(20181231, role="merchant", kind="ip", extra=late)
    assert "outcome(civil,p,joint_enlarged(u),tl_36_2)" in outcomes(solve(reasoner, ip_2018))
    before_tl = solve(reasoner, notice_case(20100630, extra=late))
    assert outcomes(before_tl) == set() and "before_encoded_law(r,p,u,i)" in atoms(before_tl)
    params = reasoner.rulebase.params
    assert params["tl_in_force"] == (20100701, "tl_92") and params["cc_in_force"] == (20210101, "cc_1260")


def test_qualified_notice_per_law(reasoner):
    """ECL 42(1): prima facie evidence; CC 1195(1): evidence and identity; Tort Law period: the three items of
    法释〔2014〕11号 Art. 5. An unqualified notice gives no liability and says which provision it failed."""
    late = ["no_measures(p, i)"]
    r = solve(reasoner, notice_case(20210601, qualified=("evidence", "locates"), extra=late))
    assert not any("cc_1195_2" in o for o in outcomes(r))
    assert "unqualified_notice(r,p,i,cc_1195_1)" in atoms(r)
    r = solve(reasoner, notice_case(20150601, qualified=("evidence", "identity"), extra=late))
    assert "unqualified_notice(r,p,i,ji2014_11_5)" in atoms(r)
    r = solve(reasoner, notice_case(20200601, role="merchant", kind="ip", qualified=("evidence",), extra=late))
    assert "outcome(civil,p,joint_enlarged(u),ecl_42_2)" in outcomes(r)


def test_timeliness_from_dates(reasoner):
    """Measures within the reasonable period are timely; after it they are late; dated measures without a
    period are not proven late (the right holder's burden); silence on measures is no breach."""
    period = ["reasonable_period(p, i, 5)"]
    on_time = solve(reasoner, notice_case(20210301, extra=period + ["measures(p, i, 20210306)"]))
    assert not any("joint" in o for o in outcomes(on_time))
    late = solve(reasoner, notice_case(20210301, extra=period + ["measures(p, i, 20210307)"]))
    assert "outcome(civil,p,joint_enlarged(u),cc_1195_2)" in outcomes(late)
    no_period = solve(reasoner, notice_case(20210301, extra=["measures(p, i, 20211231)"]))
    assert not any("joint" in o for o in outcomes(no_period))
    silent = solve(reasoner, notice_case(20210301, extra=period))
    assert not any("joint" in o for o in outcomes(silent))


def test_enlarged_amount_is_the_loss_between_due_day_and_measure(reasoner):
    extra = ["reasonable_period(p, i, 1)", "measures(p, i, 20240305)", "loss(r, i, 100, 20240302)",
             "loss(r, i, 200, 20240303)", "loss(r, i, 400, 20240305)", "loss(r, i, 800, 20240306)"]
    r = solve(reasoner, notice_case(20240229, extra=extra))  # leap day: due 2024-03-01
    assert "outcome(civil,p,joint_amount(u,700),cc_1195_2)" in outcomes(r)
    assert "enlarged_loss(r,i,200,20240303)" in atoms(r) and "enlarged_loss(r,i,400,20240305)" in atoms(r)
    assert "enlarged_loss(r,i,100,20240302)" in atoms(r) and "enlarged_loss(r,i,800,20240306)" not in atoms(r)


DATES = [20000228, 20000301, 19000228, 19000301, 20190228, 20190301, 20200101, 20210101, 20241231, 20250101,
         20100701, 20201231, 19991231]


def test_day_numbers_match_the_calendar():
    """Differences of the encoding's day numbers are calendar day differences (leap years of 4/100/400)."""
    import clingo
    from pyreasoner.rulebase import encodings_dir

    ctl = clingo.Control(["0"])
    ctl.load(str(encodings_dir() / "prologue" / "timeline.lp"))
    ctl.add("base", [], " ".join(f"date_value({d})." for d in DATES))
    ctl.ground([("base", [])])
    with ctl.solve(yield_=True) as handle:
        model = next(iter(handle))
        days = {s.arguments[0].number: s.arguments[1].number for s in model.symbols(atoms=True) if s.name == "day_number"}
    for d in DATES:
        ref = datetime.date(d // 10000, d // 100 % 100, d % 100).toordinal()
        assert days[d] - days[DATES[0]] == ref - datetime.date(2000, 2, 28).toordinal(), d


def test_wrongful_notice(reasoner):
    """ECL 42(3): a wrong notice makes the right holder liable for the merchant's loss, double if malicious;
    CC 1195(3) for others from 2021."""
    facts = BASE + ["party(u, merchant)", "non_infringing(u, i, r, ip)", "notice(r, p, i, 20220101)",
                    "measures(p, i, 20220102)", "loss(u, i, 300, 20220110)"]
    assert outcomes(solve(reasoner, facts)) == {"outcome(civil,r,wrongful_notice(u),ecl_42_3)",
                                                "outcome(civil,r,pay(u,300),ecl_42_3)"}
    assert outcomes(solve(reasoner, facts + ["notice_malicious(r, p, i)"])) == {
        "outcome(civil,r,double_compensation(u),ecl_42_3)", "outcome(civil,r,pay(u,600),ecl_42_3)"}
    user = [f.replace("party(u, merchant)", "party(u, user)").replace(", ip)", ", personality)") for f in facts]
    assert outcomes(solve(reasoner, user)) == {"outcome(civil,r,wrongful_notice(u),cc_1195_3)",
                                               "outcome(civil,r,pay(u,300),cc_1195_3)"}
    assert reasoner.rulebase.params["ecl_42_malice_multiple"] == (2, "ecl_42_3")


def test_counter_notice_fifteen_days(reasoner):
    """ECL 43(2): fifteen days after the declaration reached the right holder without word of a complaint or
    suit, the platform must end the measures."""
    facts = notice_case(20230101, role="merchant", kind="ip", extra=[
        "measures(p, i, 20230102)", "counter_notice(u, p, i, 20230105)", "counter_notice_evidence(u, p, i)",
        "declaration_reached(r, i, 20230106)"])
    assert "outcome(procedural,p,end_measures(i),ecl_43_2)" in outcomes(solve(reasoner, facts))
    in_time = facts + ["holder_acted(r, p, i, 20230121)"]
    assert "outcome(procedural,p,end_measures(i),ecl_43_2)" not in outcomes(solve(reasoner, in_time))
    too_late = facts + ["holder_acted(r, p, i, 20230122)"]
    assert "outcome(procedural,p,end_measures(i),ecl_43_2)" in outcomes(solve(reasoner, too_late))
    assert reasoner.rulebase.params["ecl_43_wait_days"] == (15, "ecl_43_2")


def test_knowledge_route(reasoner):
    """CC 1197 / TL 36(3) / ECL 45: knew or should have known, no measures: joint for the whole loss;
    knowledge followed by measures within the period is measures taken."""
    facts = BASE + ["party(u, user)", "infringes(u, i, r, personality)", "knew_on(p, u, 20210301)",
                    "loss(r, i, 500, 20210310)", "reasonable_period(p, i, 2)"]
    assert {"outcome(civil,p,joint_several(u),cc_1197)", "outcome(civil,p,joint_amount(u,500),cc_1197)"} <= outcomes(
        solve(reasoner, facts + ["measures(p, i, 20210304)"]))
    assert not any("cc_1197" in o for o in outcomes(solve(reasoner, facts + ["measures(p, i, 20210303)"])))
    ip = [f.replace("party(u, user)", "party(u, merchant)").replace("personality", "ip") for f in facts]
    assert "outcome(civil,p,joint_several(u),ecl_45)" in outcomes(solve(reasoner, ip + ["no_measures(p, i)"]))
    # silence on the measures (a duty fact) proves no breach; refuting them does
    assert not any("ecl_45" in o for o in outcomes(solve(reasoner, ip)))
    assert "outcome(civil,p,joint_several(u),ecl_45)" in outcomes(
        solve(reasoner, ip, refuted=["took_necessary_measures(p, u)"]))


def test_undated_matter_gets_every_period(reasoner):
    facts = BASE + ["party(u, user)", "infringes(u, i, r, personality)", "red_flag(p, u)"]
    r = solve(reasoner, facts, refuted=["took_necessary_measures(p, u)"])
    assert len(r.answers) == 3
    assert {x for x in atoms(r) if x.startswith("assumed_period")} == {
        "assumed_period(r,p,u,i,tl2010)", "assumed_period(r,p,u,i,tl2019)", "assumed_period(r,p,u,i,cc2021)"}
    assert {"outcome(civil,p,joint_several(u),tl_36_3)", "outcome(civil,p,joint_several(u),cc_1197)"} <= outcomes(r)


def test_undated_notice_and_the_courts_finding_of_delay(reasoner):
    """A judgment that records the notice but not its date (notified/3) and the court's finding that the
    platform was late (not_timely/2): the notice rule of each period fires, without an amount."""
    facts = BASE + ["party(u, user)", "infringes(u, i, r, personality)", "notified(r, p, i)",
                    "notice_evidence(r, p, i)", "notice_identity(r, p, i)", "notice_locates(r, p, i)", "not_timely(p, i)"]
    r = solve(reasoner, facts)
    assert len(r.answers) == 3
    assert {"outcome(civil,p,joint_enlarged(u),tl_36_2)", "outcome(civil,p,joint_enlarged(u),cc_1195_2)"} <= outcomes(r)
    assert not any("joint_amount" in o for o in outcomes(r))
    r = solve(reasoner, facts[:-1], refuted=["not_timely(p, i)"])
    assert not any("joint" in o for o in outcomes(r))


def test_damage_after_the_tort_law_took_effect_brings_an_earlier_tort_under_it(reasoner):
    """法发〔2010〕23号 item 二: a tort before 2010-07-01 whose damage appears after it is governed by
    the Tort Law; with its only loss before that date it stays before the encoded law (item 一)."""
    late = ["no_measures(p, i)"]
    after = solve(reasoner, notice_case(20100601, extra=late + ["loss(r, i, 100, 20100801)"]))
    assert "outcome(civil,p,joint_enlarged(u),tl_36_2)" in outcomes(after)
    assert "continues_into_tl(r,p,u,i)" in atoms(after), "the answer shows why the Tort Law governs"
    assert not any(a.startswith("before_encoded_law(") for a in atoms(after))
    before = solve(reasoner, notice_case(20100601, extra=late + ["loss(r, i, 100, 20100615)", "loss(r, i, 5, 20100801)"]))
    assert outcomes(before) == set() and "before_encoded_law(r,p,u,i)" in atoms(before)
    assert not any(a.startswith("continues_into_tl(") for a in atoms(before))
    item = reasoner.rulebase.provisions["nt2010_23_2"]
    assert "适用侵权责任法的规定" in item.text_zh
    assert (item.cite(), item.cite("zh")) == ("SPC Notice 2010 No. 23 item 2", "法发〔2010〕23号（二）")


def test_each_period_rule_is_credited_to_the_article_it_applies():
    """A rule belongs to the citation block above it: the period rules to 法释〔2020〕15号 Art. 1, the
    claim's continuation to its Art. 24, the Tort Law's continuation to 法发〔2010〕23号 item 二 (for a
    few hours on 2026-12-07 every period rule sat under Art. 24's block)."""
    from pyreasoner import citations
    from pyreasoner.rulebase import encodings_dir

    def owner(file, head):
        path = encodings_dir() / "statutes" / file
        blocks, lines = citations.read_file(path)
        found = {citations.at(blocks, n).provision for n, text in enumerate(lines, 1) if text.startswith(head)}
        assert found, f"no rule {head}… in {file}"
        return found

    assert owner("ji2020_15.lp", "law_period(") == {"ji2020_15_1"}
    assert owner("ji2020_15.lp", "general_law(") == {"ji2020_15_1"}
    assert owner("ji2020_15.lp", "continues_into_cc(K) :- claim_date") == {"ji2020_15_24"}
    assert owner("ji2020_15.lp", "continues_into_cc(K) :- net_start") == {"ji2020_15_1"}
    assert owner("nt2010_23.lp", "law_period(") == {"nt2010_23_2"}
