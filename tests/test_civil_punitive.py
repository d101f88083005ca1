"""Unit tests for the amounts of issue #13: Food Safety Law Art. 148(1)-(2) and Consumer Rights Protection
Law Art. 55(1)-(2), computed exactly from price/3 and loss/4, each with the way it was computed."""

from __future__ import annotations

from conftest import atoms, outcomes, solve

BASE = ["party(m, merchant)", "party(c, consumer)", "sold(m, g, c)"]


FOOD = BASE + ["substandard_food(g)", "knowingly_sold(m, g)"]


def test_fsl_148_ten_times_price_or_three_times_loss_at_least_1000(reasoner):
    r = solve(reasoner, FOOD + ["price(c, g, 100)", "loss(c, g, 2000, 20220101)"])
    assert outcomes(r) == {"outcome(civil,m,punitive(c,6000),fsl_148_2)", "outcome(civil,m,compensate(c,2000),fsl_148_1)"}
    assert "punitive_basis(c,g,loss_times,6000)" in atoms(r)
    r = solve(reasoner, FOOD + ["price(c, g, 300)", "loss(c, g, 500, 20220101)"])
    assert "outcome(civil,m,punitive(c,3000),fsl_148_2)" in outcomes(r)
    assert "punitive_basis(c,g,price_times,3000)" in atoms(r)
    r = solve(reasoner, FOOD + ["price(c, g, 50)"])
    assert outcomes(r) == {"outcome(civil,m,punitive(c,1000),fsl_148_2)"}
    assert "punitive_basis(c,g,minimum,1000)" in atoms(r)
    params = reasoner.rulebase.params
    assert params["fsl_148_price_multiple"] == (10, "fsl_148_2") and params["fsl_148_minimum"] == (1000, "fsl_148_2")


def test_fsl_148_needs_producer_or_knowledge_and_not_a_label_flaw(reasoner):
    seller_unaware = BASE + ["substandard_food(g)", "price(c, g, 100)"]
    assert outcomes(solve(reasoner, seller_unaware, unknown=["knowingly_sold(m, g)"])) == set()
    assert "outcome(civil,m,punitive(c,1000),fsl_148_2)" in outcomes(solve(reasoner, seller_unaware + ["produced(m, g)"]))
    assert outcomes(solve(reasoner, FOOD + ["price(c, g, 100)", "label_flaw_only(g)"])) == set()
    before = FOOD + ["price(c, g, 100)", "transaction_date(c, g, 20150930)"]
    assert outcomes(solve(reasoner, before)) == set()


def test_crpl_55_three_times_at_least_500(reasoner):
    fraud = BASE + ["fraud(m, c, g)"]
    assert outcomes(solve(reasoner, fraud + ["price(c, g, 1000)"])) == {"outcome(civil,m,punitive(c,3000),crpl_55_1)"}
    r = solve(reasoner, fraud + ["price(c, g, 100)"])
    assert outcomes(r) == {"outcome(civil,m,punitive(c,500),crpl_55_1)"}
    assert "punitive_basis(c,g,minimum,500)" in atoms(r)
    assert outcomes(solve(reasoner, fraud + ["price(c, g, 1000)", "transaction_date(c, g, 20140314)"])) == set()


def test_food_law_displaces_crpl_55_for_food(reasoner):
    r = solve(reasoner, FOOD + ["fraud(m, c, g)", "price(c, g, 200)"])
    assert outcomes(r) == {"outcome(civil,m,punitive(c,2000),fsl_148_2)"}
    assert "displaced(crpl_55_1,fsl_148_2)" in atoms(r)


def test_crpl_55_2_up_to_twice_the_loss(reasoner):
    facts = BASE + ["knew_defect(m, g)", "injury(c, g, serious)", "loss(c, g, 40000, 20200101)"]
    assert outcomes(solve(reasoner, facts)) == {"outcome(civil,m,punitive_up_to(c,80000),crpl_55_2)"}
    minor = [f.replace("serious", "minor") for f in facts]
    assert outcomes(solve(reasoner, minor)) == set()
