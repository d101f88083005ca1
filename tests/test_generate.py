"""Synthetic corpora (issue 6): valid, deterministic, driven by the declarations, and
exercising every provision the encodings can reach from them and every view."""

from __future__ import annotations

import dataclasses
import json

import pytest
from pyreasoner.case import case_from_data
from pyreasoner.generate import coverage, generate_cases, targeted_case, targeted_view_case, write_corpus

#: Cases the coverage test solves; enough for seed COVERAGE_SEED to reach everything. Measured
#: on 2026-12-07 (after Issue M was scoped to online-shopping providers and an order's written
#: form became an element the prosecution proves): 120 cases of seeds 1, 4 and 5 reach every
#: view and every reachable provision; seed 2 misses cc_1168 and cc_1195_3, seed 3 cc_1195_3
#: (and seed 3 at 160 cases too). The seed is not otherwise special. Re-measured the same day, seventh
#: session, after c/ordinary became a default view (a generator target) and the Tort Law articles
#: were added: seed 1 misses only Tort Law articles whose Civil Code counterpart fires (not missed,
#: Coverage.missed_provisions), seed 3 also cc_1195_3, seed 4 cc_1168; 160 and 200 cases of seed 1 make
#: more provisions reachable (cc_1171, cc_1195_3) without firing them. Eighth session: with two provisions
#: of the law of the time added, seed 1 misses cc_1168 (and tl_8), which a case directed at it fires.
COVERAGE_N = 120
COVERAGE_SEED = 1


def test_deterministic_for_a_seed_and_stable_prefix(reasoner):
    a = list(generate_cases(reasoner.rulebase, n=5, seed=3))
    assert a == list(generate_cases(reasoner.rulebase, n=5, seed=3))
    assert a[:3] == list(generate_cases(reasoner.rulebase, n=3, seed=3))
    assert a != list(generate_cases(reasoner.rulebase, n=5, seed=4))
    assert list(generate_cases(reasoner.rulebase, n=2, seed=3, start=3)) == a[3:]


def test_every_generated_case_is_valid_and_they_vary(reasoner, generated):
    docs = generated(40, 8)
    seen_preds = set()
    shapes = set()
    for doc in docs:
        case = case_from_data(doc, reasoner.vocabulary, file=doc["id"])  # raises on anything invalid
        seen_preds |= {f.predicate for f in case.facts}
        shapes.add(frozenset(f.atom for f in case.facts))
        assert {f.status for f in case.facts} <= {"established", "refuted", "unknown"}
    assert len(shapes) == len(docs), "two generated cases are identical"
    # every input predicate of the vocabulary (whatever it is today) shows up
    assert seen_preds == set(reasoner.vocabulary)


def test_numbers_come_from_the_params(reasoner):
    """Every integer param of the rule base (a threshold, a date of entry into force)
    appears one below, at and one above in the values the generator draws from."""
    from pyreasoner.generate import _World
    from pyreasoner.vocabulary import is_date, shift_date

    world = _World(reasoner.rulebase)
    for name, (value, _) in reasoner.rulebase.params.items():
        if not isinstance(value, int):
            continue
        if is_date(value):
            assert {shift_date(value, -1), value, shift_date(value, 1)} <= set(world.dates), name
        else:
            assert {value - 1, value, value + 1} - {-1} <= set(world.integers) & set(world.yuan), name


@pytest.fixture(scope="module")
def cov(reasoner, generated):
    return coverage(reasoner, generated(COVERAGE_N, COVERAGE_SEED))


def test_every_reachable_provision_fires(reasoner, cov):
    """The coverage check of docs/batch.md: a provision is *reachable* when the encodings
    ground an outcome or displacement citing it from some generated case's facts, each
    left open; every reachable provision must fire in an actual answer: of the corpus, or,
    where the corpus misses it, of a case directed at it first (``targeted_case``), so
    that the check does not hang on the order in which one seed's directed cases try their
    targets (a provision added anywhere shifts it: on 2026-12-07 two new provisions of the
    law of the time left seed 1's corpus without cc_1168, which a case directed at it fires)."""
    missed = cov.missed_provisions
    assert len(missed) <= 3, f"the corpus misses many reachable provisions: {missed}"
    topped = cov
    # a Civil Code article first: a Tort Law article is covered by the one it stands for
    for pid in sorted(missed, key=lambda p: any(old == p for old, _ in cov.stands_for)):
        if pid not in topped.missed_provisions:
            continue
        doc = targeted_case(reasoner.rulebase, pid, seed=COVERAGE_SEED)
        assert doc is not None, f"{pid} is reachable but no case directed at it reaches it"
        topped = dataclasses.replace(topped, fired=topped.fired | coverage(reasoner, [doc]).fired)
        assert pid in topped.fired, f"{pid}: the case directed at it ({doc['id']}) reaches it but no answer cites it"
    assert len(cov.fired) >= 10
    assert {("tl_12", "cc_1172"), ("tl_37_2", "cc_1198_2"), ("tl_6_1", "cc_1165_1")} <= set(cov.stands_for)


def test_an_earlier_article_counts_as_covered_only_by_the_one_it_stands_for():
    from pyreasoner.generate import Coverage

    c = Coverage(reachable=frozenset({"cc_1172", "tl_12", "tl_8", "ecl_83"}), fired=frozenset({"cc_1172"}),
                 views=frozenset(), all_views=frozenset(), stands_for=(("tl_12", "cc_1172"), ("tl_8", "cc_1168")))
    assert c.missed_provisions == ("ecl_83", "tl_8")


@pytest.fixture(scope="module")
def cov_views(cov, reasoner):
    """The corpus's coverage with each view it misses topped up by a case directed at that view
    alone (``targeted_view_case``): as for provisions, so that the check does not hang on one
    seed's order of targets (on 2026-12-07 the new input order_names/2 shifted it, and seed 1's
    120 cases stopped raising Issue K; with the rule that reads the input disabled too). At most
    two views may need it."""
    assert len(cov.missed_views) <= 2, cov.missed_views
    topped = cov
    for issue, view in cov.missed_views:
        doc = targeted_view_case(reasoner.rulebase, issue, view, seed=COVERAGE_SEED, tries=80)
        assert doc is not None, f"{issue}/{view} is declared but no case directed at it adopts it"
        more = coverage(reasoner, [doc])
        topped = dataclasses.replace(topped, views=topped.views | more.views)
    return topped


@pytest.mark.parametrize("issue", ["b", "c", "k", "m"])
def test_corpus_adopts_the_views_of(cov_views, reasoner, issue):
    """Every view adopted by default (c/ordinary too: rejected, but the law in force)."""
    assert {v for i, v in cov_views.views if i == issue} == {
        v.id for v in reasoner.issues[issue].views if not v.off_by_default}
    assert {v for i, v in cov_views.all_views if i == issue} == {v for i, v in cov_views.views if i == issue}


def test_corpus_adopts_every_view(cov_views):
    """Issues A, B and C included: C needs a life/health claim whose platform's duty is
    unknown or not stated where the burden decides, K and M a valid content order and a
    consequence; the generator's directed cases (a complete world whose statuses clingo
    chooses to reach a target) give them, topped up by cases directed at a view alone."""
    assert cov_views.missed_views == ()


def test_write_corpus_jsonl_and_folder(reasoner, tmp_path):
    out = tmp_path / "c.jsonl"
    assert write_corpus(reasoner.rulebase, out, n=3, seed=1) == 3
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["gen1-000000", "gen1-000001", "gen1-000002"]
    folder = tmp_path / "cases"
    write_corpus(reasoner.rulebase, folder, n=2, seed=1)
    assert sorted(p.name for p in folder.iterdir()) == ["gen1-000000.yaml", "gen1-000001.yaml"]
    assert reasoner.load(folder / "gen1-000001.yaml").id == "gen1-000001"


def test_cli_generate(capsys):
    from pyreasoner.cli import main

    assert main(["generate", "--n", "2", "--seed", "9"]) == 0
    docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["id"] for d in docs] == ["gen9-000000", "gen9-000001"]
    assert main(["generate", "--n", "-1"]) == 2
    assert "expected a number of cases >= 0" in capsys.readouterr().err


def _declared_pair_case(reasoner, first: tuple[str, dict[int, object]], second: tuple[str, dict[int, object]]) -> dict:
    """A case establishing one fact of each of two input predicates of the same entities
    (``e1``, ``e2``, … in order), each argument given in ``fixed`` or else a plain value."""
    plain = {"integer": 5, "yuan": 5, "count": 5, "amount": 5, "date": 20200601}
    facts = []
    for name, fixed in (first, second):
        pred = reasoner.vocabulary[name]
        args, n = [], 0
        for a in pred.arguments:
            if a.position in fixed:
                args.append(fixed[a.position])
            elif a.type == "entity":
                n += 1
                args.append(f"e{n}")
            elif a.type == "string":
                args.append('"x"')
            else:
                args.append(a.values[0] if a.values else plain[a.type])
        facts.append(f"{name}({', '.join(str(x) for x in args)})")
    return {"id": "pair", "facts": {"established": facts}}


def test_every_declared_exclusion_is_a_constraint_of_the_encodings(reasoner):
    """excludes(P, Q): a case establishing both of the same arguments is inconsistent, and
    its core names the two facts; either alone is consistent."""
    assert reasoner.rulebase.excludes, "no excludes/2 declaration to check"
    for p, q in reasoner.rulebase.excludes:
        doc = _declared_pair_case(reasoner, (p, {}), (q, {}))
        result = reasoner.solve(case_from_data(doc, reasoner.vocabulary, file="pair"))
        assert not result.consistent, (p, q)
        assert {c.split("(", 2)[1] for c in result.core} == {p, q}, result.core
        for one in doc["facts"]["established"]:
            alone = {"id": "one", "facts": {"established": [one]}}
            assert reasoner.solve(case_from_data(alone, reasoner.vocabulary, file="one")).consistent, one


def test_every_declared_bound_is_a_constraint_of_the_encodings(reasoner):
    """at_most(P, I, Q, J) (with its at_most_when/3 restrictions): P's value one above Q's
    of the same entities is inconsistent, the core names both facts; equal is consistent;
    and where a restriction of P does not hold the bound binds nothing."""
    from pyreasoner.vocabulary import shift_date

    assert reasoner.rulebase.at_most, "no at_most/4 declaration to check"

    def solve(doc):
        return reasoner.solve(case_from_data(doc, reasoner.vocabulary, file="pair"))

    for b in reasoner.rulebase.at_most:
        kind = reasoner.vocabulary[b.lower].arguments[b.lower_pos - 1].type
        low, high = (20200601, shift_date(20200601, 1)) if kind == "date" else (3000, 3001)
        when = dict(b.when)
        over = _declared_pair_case(reasoner, (b.lower, {**when, b.lower_pos: high}), (b.upper, {b.upper_pos: low}))
        result = solve(over)
        assert not result.consistent, b
        assert {c.split("(", 2)[1] for c in result.core} == {b.lower, b.upper}, result.core
        assert solve(_declared_pair_case(reasoner, (b.lower, {**when, b.lower_pos: low}),
                                         (b.upper, {b.upper_pos: low}))).consistent, b
        for k, v in b.when:  # another value of a restricted argument: no bound
            other = next(x for x in reasoner.vocabulary[b.lower].arguments[k - 1].values if x != v)
            assert solve(_declared_pair_case(reasoner, (b.lower, {**when, k: other, b.lower_pos: high}),
                                             (b.upper, {b.upper_pos: low}))).consistent, (b, other)


def test_generated_cases_keep_the_declared_bounds(reasoner):
    """No generated world (random or complete, the facts a directed case chooses among)
    states a value past a declared bound (at_most/4) of another stated fact of the same
    entities; they do state both sides of each bound."""
    from pyreasoner.generate import _random_case, _World

    world = _World(reasoner.rulebase)
    both = set()
    for doc in (_random_case(world, 5, i, complete=i % 2 == 1) for i in range(200)):
        case = case_from_data(doc, reasoner.vocabulary, file=doc["id"])
        for b in reasoner.rulebase.at_most:
            def ents(f):
                return tuple(x for a, x in zip(world.vocab[f.predicate].arguments, f.args, strict=True) if a.type == "entity")
            lows = [f for f in case.facts if f.predicate == b.lower and all(f.args[k - 1] == v for k, v in b.when)]
            ups = [f for f in case.facts if f.predicate == b.upper]
            for lo in lows:
                for up in ups:
                    if ents(lo) == ents(up):
                        both.add(b)
                        assert lo.args[b.lower_pos - 1] <= up.args[b.upper_pos - 1], (doc["id"], lo.atom, up.atom)
    assert both == set(reasoner.rulebase.at_most)


def test_generated_cases_are_consistent_and_directed_ones_reach_a_target(reasoner, generated):
    """Every generated case is consistent (no declared pair, no bound broken; a directed case
    by construction), and a directed case (odd index) is not its random world: it states a
    chosen subset of a complete world, and its answers cite a provision or adopt a view."""
    from pyreasoner.generate import _random_case, _World

    world = _World(reasoner.rulebase)
    for i, doc in enumerate(generated(16, 8)):
        result = reasoner.solve(case_from_data(doc, reasoner.vocabulary, file=doc["id"]))
        assert result.consistent, (doc["id"], result.core)
        if i % 2 == 1:
            complete = _random_case(world, 8, i, complete=True)
            stated = {t for v in doc["facts"].values() for t in v}
            assert stated < {t for v in complete["facts"].values() for t in v}, doc["id"]
            assert any(a.outcomes or a.views or a.displaced for a in result.answers), doc["id"]


def test_a_targeted_case_cites_its_provision(reasoner):
    """The case directed at Civil Code Art. 1168 (which needs b/by_merchant_fault and an intentional
    merchant, rarely kept beside other targets) has an answer citing it, and is deterministic."""
    doc = targeted_case(reasoner.rulebase, "cc_1168", seed=1)
    assert doc is not None and "cc_1168" in coverage(reasoner, [doc]).fired
    assert targeted_case(reasoner.rulebase, "cc_1168", seed=1) == doc


def test_a_targeted_case_names_an_unknown_provision(reasoner):
    with pytest.raises(ValueError, match="no_such_article"):
        targeted_case(reasoner.rulebase, "no_such_article")
