"""Reasoner.solve_many (issue 17): the batch engine behind the Python API, equal to
Reasoner.solve on every case, in input order, lazily."""

from __future__ import annotations

import itertools

import pytest
from pyreasoner.case import Case, Fact, case_from_data, find_case_files, load_case
from pyreasoner.errors import CaseError, UsageError

from conftest import CASES


@pytest.fixture(scope="module")
def bundled(reasoner):
    return [load_case(p, reasoner.vocabulary) for p in find_case_files([CASES])]


def _same(reasoner, cases, **options):
    got = list(reasoner.solve_many(cases, chunk_size=16, **options))
    assert [r.case_id for r in got] == [c.id for c in cases]
    for case, result in zip(cases, got, strict=True):
        want = reasoner.solve(case, **options)
        assert result == want, case.id  # answers (views, outcomes with basis, atoms), core, selection, modes
    return got


def test_solve_many_equals_solve_on_the_bundled_corpus(reasoner, bundled):
    got = _same(reasoner, bundled)
    inconsistent = [r for r in got if not r.consistent]
    assert inconsistent and all(r.core for r in inconsistent), "an inconsistent case must come with its core"
    assert any(len(r.answers) > 1 for r in got), "some bundled case branches on an open view"


def test_solve_many_equals_solve_on_generated_cases(reasoner, generated):
    docs = generated(40, 17)
    cases = [case_from_data(d, reasoner.vocabulary, file="<gen>") for d in docs]
    _same(reasoner, cases + cases[:5])  # the same case twice in a run, in another chunk


@pytest.mark.parametrize("options", [
    {"views": {"b": "joint", "c": "reversed"}},
    {"views": ["b=proportional"], "include_rejected": True},
    {"explore": True},
])
def test_solve_many_under_views_and_modes(reasoner, bundled, options):
    cases = [c for c in bundled if not options.get("explore") or len(c.facts_with("unknown")) <= 6]
    got = _same(reasoner, cases, **options)
    if options.get("explore"):
        assert any(a.completion for r in got for a in r.answers)


def test_solve_many_is_lazy_and_raises_at_the_invalid_case(reasoner, bundled):
    bad = Case(id="bad", facts=(Fact(predicate="sol", args=("m", "g", "c"), status="established"),))
    results = reasoner.solve_many([bundled[0], bad, bundled[1]])
    assert next(results).case_id == bundled[0].id
    with pytest.raises(CaseError, match="sol"):
        next(results)
    # lazy: an endless input gives its first results
    first = list(itertools.islice(reasoner.solve_many(itertools.cycle(bundled[:2])), 3))
    assert [r.case_id for r in first] == [bundled[0].id, bundled[1].id, bundled[0].id]


def test_solve_many_without_the_chunk_engine_solves_each_case_alone(reasoner, bundled, monkeypatch):
    monkeypatch.setattr(type(reasoner), "_tagged", lambda self: None)
    cases = bundled[:6]
    assert list(reasoner.solve_many(cases)) == [reasoner.solve(c) for c in cases]
    with pytest.raises(UsageError, match="chunk_size"):
        next(reasoner.solve_many(cases, chunk_size=0))


def test_solve_many_takes_the_limits_of_solve(reasoner, bundled):
    """max_answers and time_limit are solve()'s, per case: a case with more answers than
    allowed gets solve()'s first ones and cut == "answers"."""
    cases = bundled[:24]
    got = list(reasoner.solve_many(cases, max_answers=2, time_limit=30, chunk_size=8))
    assert got == [reasoner.solve(c, max_answers=2, time_limit=30) for c in cases]
    assert any(r.cut == "answers" for r in got) and all(len(r.answers) <= 2 for r in got)
    for bad in ({"max_answers": 0}, {"time_limit": -1}, {"time_limit": float("nan")}):
        with pytest.raises(UsageError, match=next(iter(bad))):
            next(reasoner.solve_many(cases, **bad))


def _answers(raw) -> list:
    return sorted(sorted(map(repr, m)) for m in raw.models)


def test_a_chunk_solves_all_its_cases_in_one_call(reasoner, generated, monkeypatch):
    """Issue 17: one solve call over the whole chunk gives every case its answers, those of
    the reference path, whether it has one or many; its time is shared among the cases."""
    import time

    from pyreasoner import _engine
    from pyreasoner._engine import chunk
    from pyreasoner.query import Query, canonical

    docs = generated(32, 23)
    cases = [canonical(case_from_data(d, reasoner.vocabulary, file="<gen>"), reasoner.vocabulary) for d in docs]
    query = Query.of(reasoner.issues)
    denied = query.denied
    ground = _engine.ChunkGround(reasoner._tagged(), [[(f.status, f.term, f.predicate) for f in c.facts]
                                                      for c in cases], ["allow_rejected"])
    clingo_calls: list[float] = []  # the time of each solve call the chunk makes
    run = chunk._run

    def timed_run(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return run(*args, **kwargs)
        finally:
            clingo_calls.append(time.perf_counter() - t0)

    monkeypatch.setattr(chunk, "_run", timed_run)
    got = [ground.solve(k, denied) for k in range(len(cases))]
    monkeypatch.undo()
    branching = 0
    for case, raw in zip(cases, got, strict=True):
        facts, assumed = query.inputs(case)
        want = _engine.solve(reasoner.rulebase.solver_program, facts, assumed, denied)
        assert _answers(raw) == _answers(want), case.id
        branching += len(want.models) > 1
    # (the generator's directed cases branch more than its random ones: about 20 of 32 here)
    assert 0 < branching < len(cases), "the corpus should mix single-answer and branching cases"
    assert ground.solve_calls == len(clingo_calls) == 1
    # the call's time is shared among all the cases it was made for, so that the cases' solve
    # times (the timings sidecar) sum to the time of the call, not less
    assert sum(raw.solve_seconds for raw in got) >= 0.999 * sum(clingo_calls)


def test_cases_that_share_a_choice_are_solved_together_each_with_its_answers(tmp_path):
    """An untagged choice belongs to every case, and one case's constraint cuts it in that
    case's answers only: each answer set of the chunk has one case active. The encodings
    show an untagged atom, so the answers are read from the models' shown symbols."""
    from pyreasoner import _engine
    from pyreasoner.case import STATUSES

    (tmp_path / "main.lp").write_text("{ x }.\nq :- established(a).\n:- x, q.\n#show x/0.\n#show q/0.\n")
    program = _engine.without_comments(_engine.parse_program(tmp_path / "main.lp"))
    tagged = _engine.tag_program(program, [(s, 1) for s in STATUSES] + [("fact_pred", 2)], STATUSES)
    assert not tagged.shows_only_tagged
    ground = _engine.ChunkGround(tagged, [[], [("established", "a", "a")]], [])
    assert _answers(ground.solve(0, [])) == [[], ["'x'"]]  # x free when a is not established
    assert _answers(ground.solve(1, [])) == [["'q'"]]
    assert ground.solve_calls == 1


