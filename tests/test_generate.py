"""Synthetic corpora (issue 6): valid, deterministic, driven by the declarations, and
exercising every provision the encodings can reach from them and every view."""

from __future__ import annotations

import json

import pytest

from pyreasoner.case import case_from_data
from pyreasoner.generate import coverage, generate_cases, write_corpus

#: Cases the coverage test solves; enough for seed COVERAGE_SEED to reach everything.
COVERAGE_N = 120
COVERAGE_SEED = 3


def test_deterministic_for_a_seed_and_stable_prefix(reasoner):
    a = list(generate_cases(reasoner.rulebase, n=5, seed=3))
    assert a == list(generate_cases(reasoner.rulebase, n=5, seed=3))
    assert a[:3] == list(generate_cases(reasoner.rulebase, n=3, seed=3))
    assert a != list(generate_cases(reasoner.rulebase, n=5, seed=4))
    assert list(generate_cases(reasoner.rulebase, n=2, seed=3, start=3)) == a[3:]


def test_every_generated_case_is_valid_and_they_vary(reasoner):
    docs = list(generate_cases(reasoner.rulebase, n=40, seed=8))
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
def cov(reasoner):
    return coverage(reasoner, generate_cases(reasoner.rulebase, n=COVERAGE_N, seed=COVERAGE_SEED))


def test_corpus_fires_every_reachable_provision(cov):
    """The coverage check of docs/batch.md: a provision is *reachable* when the encodings
    ground an outcome or displacement citing it from some generated case's facts, each
    left open; every reachable provision must fire in an actual answer."""
    assert cov.missed_provisions == ()
    assert len(cov.fired) >= 10


@pytest.mark.parametrize("issue", ["b", "k", "m"])
def test_corpus_adopts_the_views_of(cov, reasoner, issue):
    assert {v for i, v in cov.views if i == issue} == {
        v.id for v in reasoner.issues[issue].views if v.status != "rejected"}


def test_corpus_adopts_every_view(cov):
    """Issues A, B and C included: C needs a life/health claim whose platform's duty is
    unknown or not shown breached, which the generator's full worlds (every role, nearly
    every fact) give."""
    assert cov.missed_views == ()


def test_write_corpus_jsonl_and_folder(reasoner, tmp_path):
    out = tmp_path / "c.jsonl"
    assert write_corpus(reasoner.rulebase, out, n=3, seed=1) == 3
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(l)["id"] for l in lines] == ["gen1-000000", "gen1-000001", "gen1-000002"]
    folder = tmp_path / "cases"
    write_corpus(reasoner.rulebase, folder, n=2, seed=1)
    assert sorted(p.name for p in folder.iterdir()) == ["gen1-000000.yaml", "gen1-000001.yaml"]
    assert reasoner.load(folder / "gen1-000001.yaml").id == "gen1-000001"


def test_cli_generate(capsys):
    from pyreasoner.cli import main

    assert main(["generate", "--n", "2", "--seed", "9"]) == 0
    docs = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert [d["id"] for d in docs] == ["gen9-000000", "gen9-000001"]
    assert main(["generate", "--n", "-1"]) == 2
    assert "expected a number of cases >= 0" in capsys.readouterr().err
