"""The worker's hot path (issue 17, item 3): a batch record written as text from memoised
pieces, answers read through a memo by term object, facts read through a memo by text.
Each fast path must give what the plain one gives: the same characters, the same answers,
the same errors."""

from __future__ import annotations

import dataclasses
import json

import pytest
from pyreasoner import Reasoner, _engine, terms
from pyreasoner.batch.records import _dumps, _result_record
from pyreasoner.case import case_from_data, load_cases
from pyreasoner.errors import CaseError
from pyreasoner.query import Query, _answer
from pyreasoner.result import Answer, Outcome, Result
from pyreasoner.terms import Text

from conftest import CASES


@pytest.fixture(scope="module")
def reasoner() -> Reasoner:
    return Reasoner()


def _plain_record(index: int, source: str, result: Result) -> str:
    """The record as written before the text path: the dict of to_json, dumped."""
    body = result.to_json()
    record = {"index": index, "case": body.pop("case"), "source": source}
    record.update(body)
    return _dumps(record)


def _outcome(party: str, *args: terms.Raw, basis: tuple[str, ...] = ("ecl_38_2",)) -> Outcome:
    return Outcome(kind="civil", party=party, form="share" if args else "joint_several", args=args, basis=basis)


def test_records_of_the_bundled_corpus_are_the_dumped_dicts(reasoner: Reasoner) -> None:
    cases = [c for c in load_cases([CASES], reasoner.vocabulary) if not isinstance(c, CaseError)]
    assert len(cases) > 50
    written = 0
    for k, case in enumerate(cases):
        for views in ({}, {"b": "joint"}):
            result = reasoner.solve(case, views=views)
            if result.consistent:
                record, status = _result_record(k, str(case.path), result)
                assert status == "ok"
                assert record == _plain_record(k, str(case.path), result), case.id
                written += 1
    assert written > 100


@pytest.mark.parametrize("text", ["淘宝", 'a "quoted" name', "back\\slash \\u0041", "line\nbreak\ttab\x01",
                                  "\u2028 and \U0001f600", ""])
def test_a_record_with_awkward_text_is_the_dumped_dict(text: str) -> None:
    """Non-ASCII, quotes, backslashes, control characters and astral characters in every
    place a record writes text: json.dumps escapes them, the text path must too."""
    odd = _outcome(text or "p", Text(text), ("", (1, 2)), basis=(text or "x", "cc_1168"))
    answers = (
        Answer(views=(("a", text),), outcomes=(odd, _outcome("p")), displaced=((text, "cc_1168"),),
               completion=((f"unknown({text})", "proven"),), atoms=(f"assumed_period({text})", "z")),
        Answer(views=(("a", "civil_only"),), outcomes=(_outcome("p"),), atoms=("a", "assumed_period(x)")),
    )
    result = Result(case_id=f"case-{text}", consistent=True, answers=answers, selection=(("a", text),), cut="answers")
    record, _ = _result_record(3, f"dir/{text}.jsonl:4", result)
    assert record == _plain_record(3, f"dir/{text}.jsonl:4", result)
    assert json.loads(record)["answers"][0]["outcomes"][0]["args"] == [terms.show(Text(text)), "(1,2)"]


def test_outcomes_split_by_equality_when_one_atom_is_two_objects() -> None:
    """in_all / in_some compare outcomes by equality: an equal outcome built twice (not the
    one object the solver's memo hands out) is the same outcome."""
    a, b, c = _outcome("p"), _outcome("q"), _outcome("r")
    a2 = _outcome("p")
    assert a2 == a and a2 is not a
    result = Result(case_id="x", consistent=True,
                    answers=(Answer(views=(), outcomes=(a, b)), Answer(views=(), outcomes=(a2, c))))
    assert [o.atom for o in result.in_all] == [a.atom]
    assert [o.atom for o in result.in_some] == sorted([b.atom, c.atom])
    one = Result(case_id="x", consistent=True,
                 answers=(Answer(views=(), outcomes=(a, b)), Answer(views=(), outcomes=(a, c))))
    assert (one.in_all, one.in_some) == (result.in_all, result.in_some)
    assert one._split() == one._split_equal()


def test_assumed_reads_unsorted_atoms_one_by_one() -> None:
    """An answer built by hand may list its atoms in any order: the assumed periods are
    still every one of them (the solver's answers, sorted, are read by bisection)."""
    atoms = ("z", "assumed_period(b)", "a", "assumed_period(a)")
    assert Answer(views=(), outcomes=(), atoms=atoms).assumed == ("assumed_period(b)", "assumed_period(a)")
    assert Answer(views=(), outcomes=(), atoms=tuple(sorted(atoms))).assumed == ("assumed_period(a)",
                                                                                    "assumed_period(b)")
    assert Answer(views=(), outcomes=(), atoms=("assumed_period", "assumed_period)", "b")).assumed == ()


def test_an_answer_read_through_the_memo_is_the_fresh_one() -> None:
    """_answer memoises by term object: the same objects again, equal objects built anew,
    and every kind of shown atom give the answer read from scratch."""
    def model() -> tuple[terms.Raw, ...]:
        return (("adopt", ("b", "joint")), ("outcome", ("civil", "p", ("share", (1, 2)), ("", ("ecl_38_2", "cc_1168")))),
                ("displaced", ("cc_1165", "ecl_38_2")), ("completion", (("knew", ("p", "m")), "proven")),
                ("assumed_period", ("after_2021",)), "plain", 7, Text("t"))
    first = model()
    reads = [_answer(first), _answer(first), _answer(model())]
    assert reads[0] == reads[1] == reads[2]
    answer = reads[0]
    assert answer.views == (("b", "joint"),)
    assert [o.atom for o in answer.outcomes] == ["outcome(civil,p,share(1,2),(ecl_38_2,cc_1168))"]
    assert answer.displaced == (("cc_1165", "ecl_38_2"),)
    assert answer.completion == (("knew(p,m)", "proven"),)
    assert answer.atoms == tuple(sorted(terms.show(a) for a in first))
    assert answer.assumed == ("assumed_period(after_2021)",)


def test_query_result_through_the_memo_matches_a_fresh_read(reasoner: Reasoner) -> None:
    """Query.result gives the same answers from a warm memo, from an empty one, and from
    models of equal terms that are other objects."""
    from pyreasoner import query

    case = next(c for c in load_cases([CASES], reasoner.vocabulary) if not isinstance(c, CaseError))
    q = Query.of(reasoner.issues)
    facts, assumed = q.inputs(case)
    raw = _engine.solve(_engine.without_comments(reasoner.rulebase.program), facts, assumed, q.denied)
    assert raw.satisfiable and raw.models
    q.result(case.id, raw)
    warm = q.result(case.id, raw)
    query._READ.clear()
    query._OUTCOMES.clear()
    cold = q.result(case.id, raw)
    copied = dataclasses.replace(raw, models=tuple(tuple(terms.parse(terms.show(a)) for a in m) for m in raw.models))
    fresh = q.result(case.id, copied)
    assert warm == cold == fresh
    assert {a.atoms for a in warm.answers} == {tuple(sorted(terms.show(a) for a in m)) for m in raw.models}


def test_a_fact_read_from_the_memo_is_checked_per_document(reasoner: Reasoner) -> None:
    """A fact text memoised by one document is still a duplicate, a conflict or a clash of
    statuses in the next, with the same message as when read afresh."""
    vocab = reasoner.vocabulary
    ok = {"id": "a", "facts": {"established": ["party(p, platform)", "party(m, merchant)", "on_platform(m, p)"]}}
    first = case_from_data(ok, vocab, file="f")
    second = case_from_data(ok, vocab, file="f")
    assert first.facts == second.facts and [f.status for f in second.facts] == ["established"] * 3
    twice = {"id": "b", "facts": {"established": ["party(p, platform)", "party(p,platform)"]}}
    with pytest.raises(CaseError, match=r"facts\.established\[1\]: the fact party\(p,platform\) is listed twice"):
        case_from_data(twice, vocab, file="f")
    both = {"id": "c", "facts": {"established": ["party(p, platform)"], "refuted": ["party(p, platform)"]}}
    with pytest.raises(CaseError, match=r"facts\.refuted\[0\]: the fact party\(p,platform\) is both established "
                                        r"and refuted"):
        case_from_data(both, vocab, file="f")
    clash = {"id": "d", "facts": {"established": ["party(p, platform)"],
                                  "refuted": [], "unknown": ["party(m, consumer)", "on_platform(m, p)"]}}
    with pytest.raises(CaseError, match=r"^f: facts\.unknown\[1\]: argument 1 \(merchant\) of 'on_platform' must be "
                                        r"a merchant, but 'm' is declared a consumer"):
        case_from_data(clash, vocab, file="f")
    kinds = {"id": "e", "facts": {"established": ["food(g)"], "unknown": ["party(x, platform)", "on_platform(g, x)"]}}
    with pytest.raises(CaseError, match=r"facts\.unknown\[1\]: .*'g' is already goods or an order "
                                        r"\(facts\.established\[0\]\)"):
        case_from_data(kinds, vocab, file="f")


def test_duplicate_json_keys_name_the_first_repeated_key() -> None:
    from pyreasoner.case import load_json

    assert load_json('{"a": 1, "b": {"c": 2}}', "f") == {"a": 1, "b": {"c": 2}}
    with pytest.raises(CaseError, match=r"line 3: key 'b': duplicate key"):
        load_json('{"a": 1, "b": 2, "a": 3, "b": 4, "b": 5}'.replace('"a": 3, ', ""), "f", "line 3")
    with pytest.raises(CaseError, match=r"key 'a': duplicate key"):
        load_json('{"a": 1, "b": 2, "a": 3, "b": 4}', "f")
