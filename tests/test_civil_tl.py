"""The law of the time for ECL 38 matters and service matters (法释〔2020〕15号 Art. 1,
statutes/ji2020_15.lp): the Civil Code articles that ECL 38(2) and the safety-assurance duty
are read with are cited, for facts before 2021-01-01, as the Tort Law articles that stood for
them (tl_6, tl_8, tl_11, tl_12, tl_29, tl_37), and the recourse, which Tort Law Art. 37(2) does
not give, as 法释〔2003〕20号 Art. 6(2). The rules are one; only the article cited differs."""

from __future__ import annotations

import pytest

from conftest import outcomes, solve

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
    assert not any(cc in b for b in _bases(before)), "no Civil Code article for facts of 2020"
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


def test_a_loss_after_2020_carries_the_matter_into_the_civil_code(reasoner):
    """法释〔2020〕15号 Art. 1(3): a legal fact before the Civil Code that continues after it."""
    dated = ["transaction_date(c, g, 20201201)"]
    before = solve(reasoner, BASE + dated + ["loss(c, g, 100, 20201215)"], refuted=FAILED_REVIEW,
                   views={"b": "supplementary"})
    into = solve(reasoner, BASE + dated + ["loss(c, g, 100, 20210115)"], refuted=FAILED_REVIEW,
                 views={"b": "supplementary"})
    assert ("ecl_38_2", "tl_37_2") in _bases(before) and ("ecl_38_2", "cc_1198_2") in _bases(into)
    assert not any("tl_37_2" in b for b in _bases(into))


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
             "harmed_in(v, s1, serious)", "provider_caused(d, s1)"]
    old = solve(reasoner, facts + ["service_date(s1, 20200301)"], refuted=["vetted_provider(p, d)"])
    new = solve(reasoner, facts + ["service_date(s1, 20210301)"], refuted=["vetted_provider(p, d)"])
    assert outcomes(old) == {"outcome(civil,d,first_in_order,tl_37_2)", "outcome(civil,p,supplementary(d),tl_37_2)",
                             "outcome(civil,p,recourse_against(d),ji2003_20_6_2)"}
    assert outcomes(new) == {"outcome(civil,d,first_in_order,cc_1198_2)", "outcome(civil,p,supplementary(d),cc_1198_2)",
                             "outcome(civil,p,recourse_against(d),cc_1198_2)"}


def test_each_tort_law_article_stands_for_one_civil_code_article(reasoner):
    provisions = reasoner.rulebase.provisions
    for pid in ("tl_6_1", "tl_8", "tl_11", "tl_12", "tl_29", "tl_37_2", "ji2003_20_6_2"):
        assert provisions[pid].text_zh, pid
    assert provisions["tl_12"].text_zh.endswith("平均承担赔偿责任。")  # CC 1172: "平均承担责任"
