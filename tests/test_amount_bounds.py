"""clingo computes in 32-bit integers and wraps without a word (ten times 300,000,000 is
-1,294,967,296 to it), so a ``yuan`` amount, the sum of one predicate's amounts over the same
entities, and an ``integer`` (a causal weight) are bounded on input: below the bounds every
amount and share the rules compute is exact, above them the case is refused with its key."""

from __future__ import annotations

import math

import pytest
from pyreasoner.case import case_from_data
from pyreasoner.errors import CaseError
from pyreasoner.vocabulary import INTEGER_LIMIT, YUAN_LIMIT, YUAN_MULTIPLE_MAX

SALE = ["party(m, merchant)", "party(c, consumer)", "sold(m, tea, c)", "transaction_date(c, tea, 20210315)",
        "substandard_food(tea)", "knowingly_sold(m, tea)"]
SPLIT = ["party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)", "sold(m, g, c)",
         "concerns_life_health(g)", "damage(c, g)", "monitored_listing(p, g)", "fault_degree(m, negligent)"]


def _case(reasoner, established, refuted=(), case_id="bounds"):
    facts = {"established": established, **({"refuted": list(refuted)} if refuted else {})}
    return case_from_data({"id": case_id, "facts": facts}, reasoner.vocabulary, file=f"<{case_id}>")


def test_no_rule_multiplies_an_amount_by_more_than_the_bound_assumes(reasoner):
    multiples = {k: v for k, (v, _) in reasoner.rulebase.params.items() if k.endswith("_multiple")}
    assert multiples, "the encodings' multiples are params named *_multiple"
    assert max(multiples.values()) <= YUAN_MULTIPLE_MAX, multiples


def test_the_largest_price_gives_an_exact_tenfold_sum(reasoner):
    price = YUAN_LIMIT - 1
    atoms = {a for ans in reasoner.solve(_case(reasoner, [*SALE, f"price(c, tea, {price})"])).answers
             for a in ans.atoms}
    assert f"outcome(civil,m,punitive(c,{price * 10}),fsl_148_2)" in atoms
    assert price * 10 < 2 ** 31


def test_a_price_at_the_bound_is_refused_with_its_key(reasoner):
    with pytest.raises(CaseError) as err:
        _case(reasoner, [*SALE, f"price(c, tea, {YUAN_LIMIT})"])
    assert err.value.where == "facts.established[6]"
    assert f"below {YUAN_LIMIT:,}" in err.value.message


def test_losses_adding_up_past_the_bound_are_refused_at_the_fact_that_crosses_it(reasoner):
    half = YUAN_LIMIT // 2 + 1
    losses = [f"loss(c, tea, {half}, 20210401)", f"loss(c, other, {half}, 20210401)",
              f"loss(c, tea, {half}, 20210402)"]
    with pytest.raises(CaseError) as err:
        _case(reasoner, [*SALE, "price(c, tea, 100)", *losses])
    assert err.value.where == "facts.established[9]"  # the second loss on tea, not the one on other goods
    assert "the amounts of 'loss' for (c, tea) add up to" in err.value.message
    _case(reasoner, [*SALE, "price(c, tea, 100)", *losses[:2]])  # each item's sum within the bound


def test_the_largest_weights_give_exact_shares(reasoner):
    wp, wm = INTEGER_LIMIT - 1, (INTEGER_LIMIT - 1) // 2
    # the platform's percentage at its largest (cc_1172.lp): two further failed stages (+50), a
    # large comprehensive platform (+20), minimal safeguard investment (+20)
    facts = [*SPLIT, f"causal_weight(p, {wp})", f"causal_weight(m, {wm})", "platform_type(p, large_comprehensive)",
             "safeguard_investment(p, minimal)"]
    result = reasoner.solve(_case(reasoner, facts, ["reviewed_qualification(p, m)"]),
                            views={"b": "proportional", "a": "civil_only"})
    shares = {a for ans in result.answers for a in ans.atoms if a.startswith("outcome(civil,p,share(")}
    n, d = wp * 140, wp * 140 + wm * 100  # one failed stage here: 100 + 20 + 20
    g = math.gcd(n, d)
    assert shares == {f"outcome(civil,p,share(m,{n // g},{d // g}),(ecl_38_2,cc_1172))"}
    assert wp * 190 + wm * 100 < 2 ** 31  # the largest percentage too


def test_a_weight_at_the_bound_is_refused(reasoner):
    with pytest.raises(CaseError) as err:
        _case(reasoner, [*SPLIT, f"causal_weight(p, {INTEGER_LIMIT})"])
    assert f"below {INTEGER_LIMIT:,}" in err.value.message
