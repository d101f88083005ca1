"""The law of the time for ECL 38 matters and service matters (法释〔2020〕15号 Art. 1,
statutes/ji2020_15.lp): the Civil Code articles that ECL 38(2) and the safety-assurance duty
are read with conclude only under the Civil Code; for a matter under the Tort Law the articles
that stood for them (tl_6, tl_8, tl_11, tl_12, tl_29, tl_37) conclude, each from its own file,
and the recourse, which Tort Law Art. 37(2) does not give, cites 法释〔2003〕20号 Art. 6(2)."""

from __future__ import annotations

import pytest

from conftest import atoms, outcomes, solve

BASE = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)",
        "sold(m, g, c)", "concerns_life_health(g)", "damage(c, g)", "caused_damage(p, c, g)"]
FAILED_REVIEW = ["reviewed_qualification(p, m)"]

#: (view of Issue B, extra facts) -> the Civil Code article cited today and the Tort Law's before 2021
CASES = [
    ("supplementary", [], "cc_1198_2", "tl_37_2"),
    ("proportional", [], "cc_1172", "tl_12"),
    ("proportional_joint", [], "cc_1172", "tl_12"),
    ("staged_fault", [], "cc_1165_1", "tl_6_1"),
    ("joint", [], "cc_1168", "tl_8"),
    ("proportional", ["sufficient_alone(p, c, g)", "sufficient_alone(m, c, g)"], "cc_1171", "tl_11"),
]


def _bases(result):
    return {o.basis for a in result.answers for o in a.outcomes}


@pytest.mark.parametrize(("view", "extra", "cc", "tl"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_the_article_cited_follows_the_date_of_the_transaction(reasoner, view, extra, cc, tl):
    def run(dates):
        return solve(reasoner, BASE + extra + dates, refuted=FAILED_REVIEW, views={"b": view}, include_rejected=True)

    undated, before, after = run([]), run(["transaction_date(c, g, 20200301)"]), run(["transaction_date(c, g, 20210301)"])
    assert ("ecl_38_2", cc) in _bases(undated) and ("ecl_38_2", cc) in _bases(after)
    assert ("ecl_38_2", tl) in _bases(before)
    assert not any(p.startswith("cc_") for b in _bases(before) for p in b), "no Civil Code article for facts of 2020"
    assert not any(tl in b for b in _bases(undated) | _bases(after))
    # the same outcomes apart from the article
    strip = {o.replace(tl, cc).replace("ji2003_20_6_2", "cc_1198_2") for o in outcomes(before)}
    assert strip == outcomes(after)


def test_the_recourse_before_2021_cites_the_2003_interpretation(reasoner):
    r = solve(reasoner, BASE + ["transaction_date(c, g, 20190601)"], refuted=FAILED_REVIEW, views={"b": "supplementary"})
    assert {o for o in outcomes(r) if "recourse_against" in o} == {
        "outcome(civil,p,recourse_against(m),(ecl_38_2,ji2003_20_6_2))"}
    assert "可以向第三人追偿" in reasoner.rulebase.provisions["ji2003_20_6_2"].text_zh
    assert "追偿" not in reasoner.rulebase.provisions["tl_37_2"].text_zh


def _law(reasoner, dates):
    """The Civil Code or Tort Law article a supplementary 38(2) answer cites on these dates."""
    r = solve(reasoner, BASE + dates, refuted=FAILED_REVIEW, views={"b": "supplementary"})
    cited = {p for b in _bases(r) for p in b if p != "ecl_38_2"}
    return "cc" if cited == {"cc_1198_2"} else "tl" if cited == {"tl_37_2", "ji2003_20_6_2"} else cited


@pytest.mark.parametrize(("dates", "law"), [
    (["transaction_date(c, g, 20201231)"], "tl"),
    (["transaction_date(c, g, 20210101)"], "cc"),
    (["transaction_date(c, g, 20190101)"], "tl"),
    # two purchases of the same goods: the earliest dates the matter
    (["transaction_date(c, g, 20200301)", "transaction_date(c, g, 20210301)"], "tl"),
    # no transaction date: the earliest loss dates it (the purchase came no later)
    (["loss(c, g, 100, 20200301)"], "tl"),
    (["loss(c, g, 100, 20210301)"], "cc"),
    # a tort is complete only with its damage: every loss after 2020 puts it under the Civil Code ...
    (["transaction_date(c, g, 20201201)", "loss(c, g, 100, 20210115)"], "cc"),
    # ... but a loss after 2020 of a harm that began before does not move it
    (["transaction_date(c, g, 20201201)", "loss(c, g, 100, 20201215)", "loss(c, g, 50, 20210115)"], "tl"),
    ([], "cc"),  # no date at all: the law of today, as the E-Commerce Law's own date is read
], ids=["2020-12-31", "2021-01-01", "2019-01-01", "two-purchases", "loss-2020", "loss-2021",
        "every-loss-after", "loss-before-and-after", "undated"])
def test_the_period_of_an_ecl_38_matter(reasoner, dates, law):
    assert _law(reasoner, dates) == law


@pytest.mark.parametrize("date", ["transaction_date(c, g, 20181231)", "loss(c, g, 100, 20150301)"])
def test_before_the_e_commerce_law_nothing_is_cited_under_38_2(reasoner, date):
    """A matter dated only by a loss is dated so for the laws' own dates too (ECL 89): a 2015 loss
    means a purchase no later (until 2026-12-07 such a matter was undated for ECL 89 and FSL 154
    while the Tort Law was cited for it)."""
    r = solve(reasoner, BASE + [date], refuted=FAILED_REVIEW)
    assert not any("ecl_38_2" in b for b in _bases(r))
    assert all("a" not in dict(a.views) and "b" not in dict(a.views) for a in r.answers)


def test_a_food_matter_dated_by_a_loss_before_the_2015_food_safety_law_gets_no_fsl_131(reasoner):
    facts = BASE + ["food(g)", "loss(c, g, 100, 20120301)"]
    r = solve(reasoner, facts, refuted=FAILED_REVIEW)
    assert not any(o.basis == "fsl_131_1" or "fsl_131_1" in o.basis for a in r.answers for o in a.outcomes)
    later = solve(reasoner, BASE + ["food(g)", "loss(c, g, 100, 20200301)"], refuted=FAILED_REVIEW)
    assert any("fsl_131_1" in (o.basis if isinstance(o.basis, tuple) else (o.basis,)) for a in later.answers
               for o in a.outcomes)


@pytest.mark.parametrize(("fact", "cc", "tl"), [("force_majeure(g)", "cc_180_1", "tl_29"),
                                                ("unavoidable(g)", "cc_1165_1", "tl_6_1")])
def test_the_defences_before_2021_are_the_tort_laws(reasoner, fact, cc, tl):
    facts = BASE + [fact, "reasonable_measures(p, g)"]
    r = solve(reasoner, facts + ["transaction_date(c, g, 20200301)"], refuted=FAILED_REVIEW)
    assert outcomes(r) == {f"outcome(civil,p,exempt,{tl})"}
    assert all(f"displaced(ecl_38_2,{tl})" in a.atoms for a in r.answers)
    today = solve(reasoner, facts, refuted=FAILED_REVIEW)
    assert outcomes(today) == {f"outcome(civil,p,exempt,{cc})"}


def test_a_service_before_2021_cites_tort_law_37_2(reasoner):
    facts = ["party(p, platform)", "party(d, user)", "party(v, third_party)", "service(p, s1, d, delivery)",
             "harmed_in(v, s1, serious)", "provider_caused(d, s1)", "platform_contributed(p, v, s1)"]
    old = solve(reasoner, facts + ["service_date(s1, 20200301)"], refuted=["vetted_provider(p, d)"])
    new = solve(reasoner, facts + ["service_date(s1, 20210301)"], refuted=["vetted_provider(p, d)"])
    assert outcomes(old) == {"outcome(civil,d,first_in_order,tl_37_2)", "outcome(civil,p,supplementary(d),tl_37_2)",
                             "outcome(civil,p,recourse_against(d),ji2003_20_6_2)"}
    assert outcomes(new) == {"outcome(civil,d,first_in_order,cc_1198_2)", "outcome(civil,p,supplementary(d),cc_1198_2)",
                             "outcome(civil,p,recourse_against(d),cc_1198_2)"}


def test_each_tort_law_article_stands_for_one_civil_code_article(reasoner):
    from pyreasoner import _engine
    from pyreasoner.contract import ANALOGUE

    pairs = _engine.ground_facts(reasoner.rulebase.program, [ANALOGUE])[ANALOGUE]
    assert sorted(pairs) == sorted([("cc_1165_1", "tl_6_1"), ("cc_1168", "tl_8"), ("cc_1171", "tl_11"),
                                    ("cc_1172", "tl_12"), ("cc_180_1", "tl_29"), ("cc_1198_2", "tl_37_2")])
    provisions = reasoner.rulebase.provisions
    for _, pid in pairs:
        assert provisions[pid].law_en == "Tort Law" and provisions[pid].text_zh, pid
    assert provisions["tl_12"].text_zh.endswith("平均承担赔偿责任。")  # CC 1172: "平均承担责任"


def test_a_tort_law_article_is_credited_by_corpus_coverage(reasoner, tmp_path):
    """The Tort Law's rules live in its files: coverage credits the article an answer cites."""
    from pyreasoner.coverage import corpus_coverage

    (tmp_path / "c.yaml").write_text(
        "id: c\nfacts:\n  established:\n" + "".join(f"    - {f}\n" for f in BASE + ["transaction_date(c, g, 20200301)"])
        + "  refuted:\n    - reviewed_qualification(p, m)\n", encoding="utf-8")
    cov = corpus_coverage([tmp_path], reasoner)
    never = set(cov.provisions_never_fired)
    assert "tl_37_2" not in never and "ji2003_20_6_2" not in never
    assert not {"tl_37_2", "ji2003_20_6_2", "tl_12"} & set(cov.provisions_without_rules)


def test_art_24_of_the_2020_provisions_is_cited_with_its_text(reasoner):
    """A tort before the Civil Code whose damage appears after it is governed by the Civil Code
    (法释〔2020〕15号 Art. 24, the rule the `every-loss-after` case above follows)."""
    art = reasoner.rulebase.provisions["ji2020_15_24"]
    assert art.article == "24" and "损害后果出现在民法典施行后" in art.text_zh and "适用民法典的规定" in art.text_zh
    assert _law(reasoner, ["transaction_date(c, g, 20201201)", "loss(c, g, 100, 20210115)"]) == "cc"


def test_an_answer_shows_why_a_claim_before_2021_is_under_the_civil_code(reasoner):
    """Art. 24's continuation is shown (claim_continues_into_cc/4): a 2020 purchase whose every dated loss falls in
    2021 cites CC 1198(2), and the answer says so; a loss still in 2020 keeps the Tort Law and shows nothing."""
    shown = "claim_continues_into_cc(c,p,m,g)"
    later = solve(reasoner, BASE + ["transaction_date(c, g, 20201201)", "loss(c, g, 100, 20210115)"],
                  refuted=FAILED_REVIEW, views={"b": "supplementary"})
    assert later.answers and all(shown in {str(x) for x in a.atoms} for a in later.answers)
    earlier = solve(reasoner, BASE + ["transaction_date(c, g, 20201201)", "loss(c, g, 100, 20201215)",
                                      "loss(c, g, 100, 20210115)"], refuted=FAILED_REVIEW, views={"b": "supplementary"})
    assert earlier.answers and shown not in atoms(earlier)
