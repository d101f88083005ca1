"""pyreasoner verify: invariants hold on the bundled rule base (small bound), a
deliberately broken rule yields a counterexample that, run as a case, exhibits the
violation, and an invariant about a missing provision is skipped."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from pyreasoner import Reasoner
from pyreasoner.case import load_case
from pyreasoner.rulebase import RuleBase, encodings_dir
from pyreasoner.verify import DEFAULT_LEFT_OUT, bound_text, invariants_dir, load_invariants, replay, universe, verify

from conftest import VERIFY_SMALL as SMALL


def test_at_least_twelve_invariants_each_with_a_reason():
    invs = load_invariants(invariants_dir())
    assert len(invs) >= 12
    for inv in invs:
        assert inv.title and len(inv.reason) > 20, inv.id
        assert Path(inv.file).stem == inv.id


@pytest.mark.parametrize("invariant", [
    "one_view_per_raised_issue", "no_38_2_without_damage", "no_38_2_without_causation",
    "supplementary_merchant_first", "no_service_liability_without_causation",
])
def test_civil_invariants_hold_within_a_small_bound(invariant):
    (r,) = verify(only=[invariant], **SMALL)
    assert r.status == "holds", (r.detail, r.counterexample)


#: the rule verify found missing (CC 1198(2): the provider who caused the harm pays first)
_FIRST = "concludes(B, K, civil, X, first_in_order) :- svc_liable(K), svc_basis(K, B), K = svc(_, P, X, _)."


def test_verify_finds_the_service_platform_defect_quickly(tmp_path):
    """Without the rule that makes a service's provider liable first (statutes/im2016_38.lp),
    supplementary_merchant_first breaks; verify found that on the rule base and reduces the
    counterexample to a handful of facts (the Domain heuristic decides every fact absent first)
    well within the budget (before: the first answer stated 1,308 facts and their reduction by
    deletion, up to 5 s a fact, did not finish)."""
    root = tmp_path / "encodings"
    shutil.copytree(encodings_dir(), root)
    lp = root / "statutes" / "im2016_38.lp"
    text = lp.read_text(encoding="utf-8")
    assert _FIRST in text
    lp.write_text(text.replace(_FIRST, "% " + _FIRST), encoding="utf-8")
    (r,) = verify(root, only=["supplementary_merchant_first"], **SMALL)
    assert r.status == "violated" and r.cpu_seconds < SMALL["timeout"]
    cex = r.counterexample
    assert len(cex.established) + len(cex.refuted) <= 8
    # the legal reason: a supplementary liability under CC 1198(2) (Tort Law 37(2) for a service
    # before 2021) from a service, and no first payer
    supp = [o for o in cex.outcomes if "supplementary(" in o]
    assert supp and all("cc_1198_2" in o or "tl_37_2" in o for o in supp)
    assert any(f.startswith("service(") for f in cex.established)
    assert not any("first_in_order" in o for o in cex.outcomes)


def test_invariant_about_a_missing_provision_is_skipped(tmp_path):
    d = tmp_path / "invariants"
    shutil.copytree(invariants_dir(), d)
    (d / "zz_future.lp").write_text(
        '%% [inv:zz_future] probe\ninvariant(zz_future, "probe", "a provision that has not landed yet").\n'
        "requires(zz_future, zz_missing_1).\nviolation(zz_future) :- outcome(_, _, _, zz_missing_1).\n",
        encoding="utf-8")
    (r,) = verify(only=["zz_future"], directory=d, **SMALL)
    assert r.status == "skipped" and r.detail == "provision zz_missing_1 not in the rule base"


@pytest.fixture()
def broken(tmp_path) -> Path:
    root = tmp_path / "encodings"
    shutil.copytree(encodings_dir(), root)
    ecl = root / "statutes" / "ecl_38.lp"
    # the deliberately broken rule: ECL 38(2) applies to life/health goods without any damage
    ecl.write_text(ecl.read_text(encoding="utf-8").rstrip("\n") +
                   "\napplies(ecl_38_2, K) :- claim(C, P, M, G), K = claim(C, P, M, G), true(concerns_life_health(G)).\n",
                   encoding="utf-8")
    return root


def test_broken_rule_yields_a_counterexample_that_exhibits_the_violation(broken, tmp_path):
    (r,) = verify(broken, only=["no_38_2_without_damage"], **SMALL)
    assert r.status == "violated"
    cex = r.counterexample
    # the counterexample is a ready-to-run case file
    path = tmp_path / "cex.yaml"
    path.write_text(cex.yaml(r.invariant), encoding="utf-8")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["id"] == "counterexample_no_38_2_without_damage" and doc["expect"][0]["note"]
    reasoner = Reasoner(broken)
    case = load_case(path, reasoner.vocabulary)
    assert not any(f.predicate in ("damage", "injury") and f.status == "established" for f in case.facts)
    # run as a case, it exhibits the violation: an outcome resting on ECL 38(2) without damage ...
    result = reasoner.solve(case, views=dict(cex.views))
    assert any(o.basis[0] == "ecl_38_2" for a in result.answers for o in a.outcomes)
    for exp in case.expect:
        assert exp.failures(reasoner.solve(case, views=dict(exp.views))) == []
    # ... which the invariant names, while the unbroken rule base does not
    assert "no_38_2_without_damage" in replay(path, broken)
    assert "no_38_2_without_damage" not in replay(path)


#: ECL 38(2)'s causal element as the consumer's to prove (statutes/ecl_38.lp)
_CAUSATION = "damage_38_2(K) :- causation_proven_38_2(K), not causation_refuted_38_2(K)."


def test_presumed_causation_breaks_no_38_2_without_causation(tmp_path):
    """The rule base until 2026-12-06 presumed ECL 38(2)'s causal link from breach and damage (only
    a causal weight of 0 refuted it); verify finds that reading against the invariant, with a
    counterexample that states no causal link at all and still has a 38(2) outcome."""
    root = tmp_path / "encodings"
    shutil.copytree(encodings_dir(), root)
    lp = root / "statutes" / "ecl_38.lp"
    text = lp.read_text(encoding="utf-8")
    assert _CAUSATION in text
    presumed = "damage_38_2(K) :- life_health_damage(K), not causation_refuted_38_2(K)."
    lp.write_text(text.replace(_CAUSATION, presumed), encoding="utf-8")
    (r,) = verify(root, only=["no_38_2_without_causation"], **SMALL)
    assert r.status == "violated"
    cex = r.counterexample
    assert not any(f.startswith("caused_damage(") for f in cex.established)
    assert any("ecl_38_2" in o for o in cex.outcomes)


#: a service platform's liability: its breach and the proven link of that breach to the harm (statutes/im2016_38.lp)
_SERVICE_LINK = "svc_liable(K) :- safety_breach(K, _), svc_causal_link(K)."


def test_a_breach_without_its_link_breaks_no_service_liability_without_causation(tmp_path):
    """Until 2026-12-07 a service platform's breach of its safety duty alone gave its supplementary
    liability, with no link of the breach to the harm (Q87, docs/fidelity.md); verify finds that reading
    against the invariant, with a counterexample that states no link and still has the liability."""
    root = tmp_path / "encodings"
    shutil.copytree(encodings_dir(), root)
    lp = root / "statutes" / "im2016_38.lp"
    text = lp.read_text(encoding="utf-8")
    assert _SERVICE_LINK in text
    lp.write_text(text.replace(_SERVICE_LINK, "svc_liable(K) :- safety_breach(K, _)."), encoding="utf-8")
    (r,) = verify(root, only=["no_service_liability_without_causation"], **SMALL)
    assert r.status == "violated"
    cex = r.counterexample
    assert not any(f.startswith("platform_contributed(") for f in cex.established)
    assert any("supplementary(" in o for o in cex.outcomes)


def test_universe_offences_are_never_parties_and_the_left_out_inputs_are_a_stated_bound():
    rb = RuleBase(encodings_dir() / "main.lp")
    uni = universe(rb, bounds={"merchant": 1}, numbers=(0, 1))
    offence_values = set(re.findall(r"pyr_dom\(other_offence_penalty,1,([a-z]\w*)\)", uni.text))
    assert offence_values == {"offence1"}
    assert "pyr_dom(other_offence,1,platform1)" in uni.text  # a defendant may be any party
    # the inputs left out by default are read only with other_offence/2 (crl_286_1.lp) ...
    assert set(DEFAULT_LEFT_OUT) == {n for n in rb.vocabulary if n.startswith("other_offence")}
    left = universe(rb, bounds={"merchant": 1}, numbers=(0, 1),
                    inputs=set(rb.vocabulary) - set(DEFAULT_LEFT_OUT)).text
    assert "other_offence" not in left and "pyr_cand(party(" in left
    # ... and verify states them with its verdict
    assert bound_text().endswith("left out: " + ", ".join(sorted(DEFAULT_LEFT_OUT)))
    assert "left out" not in bound_text(left_out=())


def test_universe_goods_and_orders_never_take_a_partys_name():
    """A case cannot state a party as goods or an order (Vocabulary.entity_conflict), so neither may
    the universe: a counterexample with sold(m, consumer1, consumer1) was found and could not be
    loaded as a case (2026-12-07)."""
    from pyreasoner.vocabulary import THING_ROLES

    rb = RuleBase(encodings_dir() / "main.lp")
    uni = universe(rb, bounds={"merchant": 1}, numbers=(0, 1))
    slots = [(name, i) for name, pred in rb.vocabulary.items() for i, a in enumerate(pred.arguments, 1)
             if a.type == "entity" and a.role in THING_ROLES]
    assert ("sold", 2) in slots
    parties = {c for _, c in uni.parties}
    for name, i in slots:
        values = set(re.findall(rf"pyr_dom\({name},{i},(\w+)\)", uni.text))
        assert values and not values & parties, (name, i, values & parties)
    # ... while a loss may still be a loss from goods (CC 1179 amounts, the dating of a 38(2) matter)
    assert "pyr_dom(loss,2,goods1)" in uni.text and "pyr_dom(sold,2,goods1)" in uni.text


def test_counterfactual_worlds_decide_an_undated_matter_under_the_same_law(tmp_path):
    """An undated notice-and-takedown matter is decided under a chosen period of law
    (statutes/ji2020_15.lp). Without a tie the counterfactual world chose another period
    than the actual one, and the difference between the Civil Code (CC 1195(2): liable for
    the enlarged damage) and the Tort Law (not liable here) passed for an effect of the
    measures: a spurious counterexample to measures_never_increase_liability, with no
    took_necessary_measures fact at all."""
    case = {"id": "undated_takedown", "title": "undated notice, platform not timely", "source": "test_verify",
            "facts": {"established": [
                "party(platform1, platform)", "party(right_holder1, right_holder)", "party(user1, user)",
                "hosts(platform1, user1, item1)", "infringes(user1, item1, right_holder1, ip)",
                "notified(right_holder1, platform1, item1)", "notice_evidence(right_holder1, platform1, item1)",
                "notice_identity(right_holder1, platform1, item1)", "not_timely(platform1, item1)",
                # a measures fact that changes nothing here: the invariant compares only cases
                # that state one (its redundant constraint), and this one must not differ
                "party(merchant1, merchant)", "took_necessary_measures(platform1, merchant1)"]},
            "expect": [{"consistent": True, "note": "the case only feeds replay"}]}
    path = tmp_path / "undated_takedown.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # the case is liable under one period and not under another ...
    result = Reasoner().solve(load_case(path, Reasoner().vocabulary))
    liable = [any(o.party == "platform1" for o in a.outcomes) for a in result.answers]
    assert True in liable and False in liable
    # ... and the two worlds of the counterfactual invariant read it under the same one
    assert "measures_never_increase_liability" not in replay(path)


@pytest.mark.parametrize(("kw", "match"), [
    ({"timeout": -1.0}, "above 0"),
    ({"timeout": float("nan")}, "above 0"),
    ({"bounds": {"mercant": 3}}, "no such role"),
    ({"numbers": ()}, "at least one integer"),
])
def test_verify_refuses_options_that_would_make_its_verdict_meaningless(kw, match):
    """A typo in a role, an empty pool of numbers or a non-positive timeout used to be accepted
    and the invariants then 'held' (robustness audit)."""
    from pyreasoner.errors import UsageError
    from pyreasoner.verify import verify

    with pytest.raises(UsageError, match=match):
        verify(only=["no_38_2_without_damage"], **kw)


def test_verify_refuses_a_rule_base_without_invariants(tmp_path):
    from pyreasoner.errors import UsageError
    from pyreasoner.verify import verify

    (tmp_path / "main.lp").write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="no invariants found"):
        verify(tmp_path / "main.lp")
