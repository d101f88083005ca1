"""Case validation: every kind of error, with its exact one-line message, before grounding."""

from __future__ import annotations

import json

import pytest
from pyreasoner import CaseError
from pyreasoner._engine import Text
from pyreasoner.case import case_from_data, load_case, load_cases

from conftest import BAD_CASES

#: Each malformed case under tests/bad_cases/ and the exact error it must produce
#: (after "<file>: ").
EXPECTED = {
    "unknown_predicate.yaml": "line 5: facts.established[0]: unknown predicate 'sol' (did you mean 'sold'?)",
    "wrong_arity.yaml": "line 4: facts.established[0]: 'sold' takes 3 argument(s) (sold(MERCHANT, GOODS, CONSUMER)), got 2",
    "outside_closed_set.yaml": "line 4: facts.established[0]: argument 2 (role) of 'party' must be one of "
                               "{consumer, merchant, person, platform, regulator, right_holder, third_party, user}, got 'platfrom' (did you mean 'platform'?)",
    "wrong_type_integer.yaml": "line 4: facts.established[0]: argument 2 (weight) of 'causal_weight' must be a whole "
                               "number (>= 0) below 4,000,000 (clingo computes in 32-bit integers), got 'thirty'",
    "wrong_type_entity.yaml": "line 4: facts.established[0]: argument 1 (goods) of 'unsafe' must be a constant "
                              "(lower-case letter, then letters, digits, _) or a name in Chinese (e.g. 淘宝), got 42",
    "two_statuses.yaml": "line 6: facts.refuted[0]: the fact damage(c,g) is both established and refuted",
    "yaml_syntax.yaml": "line 5: YAML syntax error: did not find expected ',' or ']'",
    "json_syntax.json": "line 1, column 67: JSON syntax error: Expecting value",
    "unknown_status.yaml": "line 3: facts.establised: unknown status 'establised' (did you mean 'established'?); "
                           "expected one of established, refuted, unknown",
    "unknown_key.yaml": "line 2: fact: unknown key 'fact' (did you mean 'facts'?); expected one of id, title, source, "
                        "notes, facts, expect",
    "rule_in_lp.lp": "line 2: a .lp case holds facts only; rules, constraints and directives (#...) are not allowed",
    "include_in_lp.lp": "line 1: a .lp case holds facts only; rules, constraints and directives (#...) are not allowed",
    "script_in_lp.lp": "line 1: a .lp case holds facts only; rules, constraints and directives (#...) are not allowed",
    "const_in_lp.lp": "line 1: a .lp case holds facts only; rules, constraints and directives (#...) are not allowed",
    "injection_string.yaml": "line 4: facts.established[0]: unexpected character '.' at column 13 in "
                             "'damage(c, g). :- party(p, platform)'",
    "missing_expect_note.yaml": "line 5: expect[0]: every expectation needs a 'note' saying why",
}


def test_every_bad_case_is_listed():
    assert sorted(p.name for p in BAD_CASES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_case_message(reasoner, name):
    path = BAD_CASES / name
    with pytest.raises(CaseError) as info:
        load_case(path, reasoner.vocabulary)
    assert str(info.value) == f"{path}: {EXPECTED[name]}"
    assert "\n" not in str(info.value)


def test_duplicate_case_id(reasoner, tmp_path):
    doc = {"id": "same", "facts": {"established": ["party(p, platform)"]}}
    (tmp_path / "a.json").write_text(json.dumps(doc))
    (tmp_path / "b.yaml").write_text("id: same\nfacts: {}\n")
    items = list(load_cases([tmp_path], reasoner.vocabulary))
    assert items[0].id == "same"
    assert isinstance(items[1], CaseError)
    assert str(items[1]) == f"{tmp_path / 'b.yaml'}: id: duplicate case id 'same' (first used in {tmp_path / 'a.json'})"


def test_duplicate_yaml_key_is_an_error(reasoner, tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("id: a\nid: b\nfacts: {}\n")
    with pytest.raises(CaseError, match=r"line 2: id: duplicate key"):
        load_case(path, reasoner.vocabulary)


def test_one_bad_file_does_not_stop_the_rest(reasoner, tmp_path):
    (tmp_path / "a_bad.yaml").write_text("id: x\nfacts: {established: [nope(1)]}\n")
    (tmp_path / "b_good.yaml").write_text("id: y\nfacts: {established: ['party(p, platform)']}\n")
    items = list(load_cases([tmp_path], reasoner.vocabulary))
    assert isinstance(items[0], CaseError) and items[1].id == "y"


@pytest.mark.parametrize("text", [
    'quote " inside', "back\\slash", "new\nline", "中文：电子商务平台", '"; :- a. #include "x".', "",
])
def test_strings_survive_unchanged(text):
    from pyreasoner import terms
    from pyreasoner._engine import symbol_of, value_of

    assert value_of(symbol_of(Text(text))) == Text(text)
    assert terms.parse(terms.show(Text(text))) == Text(text)


def test_both_fact_forms_and_json_agree(reasoner, tmp_path):
    y = tmp_path / "c.yaml"
    y.write_text("id: c\nfacts:\n  established:\n    - sold(m, g, c)\n    - {unsafe: g}\n  unknown:\n"
                 "    - reviewed_qualification: [p, m]\n")
    j = tmp_path / "c.json"
    j.write_text(json.dumps({"id": "c", "facts": {"established": [{"sold": ["m", "g", "c"]}, "unsafe(g)"],
                                                  "unknown": ["reviewed_qualification(p,m)"]}}))
    lp = tmp_path / "c.lp"
    lp.write_text("sold(m,g,c). unsafe(g).\nunknown(reviewed_qualification(p, m)).\n")
    cases = [load_case(p, reasoner.vocabulary) for p in (y, j, lp)]
    assert cases[0].facts == cases[1].facts == cases[2].facts
    assert [f.status for f in cases[0].facts] == ["established", "established", "unknown"]


def test_dates_are_checked(reasoner):
    from pyreasoner.vocabulary import Argument, Predicate, Vocabulary

    pred = Predicate(name="on", arity=1, description_en="", description_zh="", burden="claimant",
                     arguments=(Argument(position=1, role="day", type="date"),))
    vocab = Vocabulary({"on": pred}, {})
    assert vocab.check("on", ("2015-11-01",)) == (20151101,)
    assert vocab.check("on", (20151101,)) == (20151101,)
    for bad in (20151301, "2015-02-30", 1, True):
        with pytest.raises(ValueError, match="must be a date as YYYYMMDD"):
            vocab.check("on", (bad,))


def test_case_data_must_be_a_mapping(reasoner):
    with pytest.raises(CaseError, match="a case is a mapping"):
        case_from_data(["not", "a", "case"], reasoner.vocabulary, file="<doc>")


@pytest.mark.parametrize(("written", "value"), [("030", 30), ("0030", 30), ("30", 30), ("30:00", None), ("0x1E", None),
                                                 ("0b11", None), ("0o36", None), ("1_0", None), ("yes", None)])
def test_yaml_numbers_are_read_as_yaml_1_2(reasoner, tmp_path, written, value):
    """YAML 1.1 (PyYAML's) reads `030` as 24, `30:00` as 1800, `0x1E`, `0b11`, `1_0` as numbers and
    `yes` as a boolean: a number in a mapping fact meant something else than the same text in an
    atom. Decimal digits are read as decimal; any other form is refused with its key."""
    path = tmp_path / "n.yaml"
    path.write_text("id: n\nfacts:\n  established:\n    - {party: [p, platform]}\n"
                    f"    - {{causal_weight: [p, {written}]}}\n    - causal_weight(m, {written})\n"
                    if value is not None else
                    f"id: n\nfacts:\n  established:\n    - {{party: [p, platform]}}\n    - {{causal_weight: [p, {written}]}}\n",
                    encoding="utf-8")
    if value is None:
        with pytest.raises(CaseError) as err:
            load_case(path, reasoner.vocabulary)
        assert err.value.where == "line 5: facts.established[1]"
        assert "must be a whole number" in err.value.message
    else:
        case = load_case(path, reasoner.vocabulary)
        weights = {f.args[0]: f.args[1] for f in case.facts if f.predicate == "causal_weight"}
        assert weights == {"p": value, "m": value}  # the mapping and the atom agree


def test_load_cases_reads_a_json_lines_file_a_case_per_line(tmp_path):
    """``pyreasoner check``, ``solve`` and ``coverage`` read the JSON Lines corpora that
    ``generate`` writes and ``batch`` reads (they refused them: "unknown case file type
    '.jsonl'"). Each line is a case; a bad line is an error naming the file and its line, and
    the lines after it are still read; blank lines are skipped; an id used twice is an error on
    the second line."""
    from pyreasoner import Reasoner
    from pyreasoner.case import Case, load_cases

    vocab = Reasoner().vocabulary
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\ufeff" + "\n".join([
        '{"id": "a", "facts": {"established": ["party(p, platform)"]}}',
        '',
        '{"id": "b", "facts": {"established": ["sold(m)"]}}',
        '{broken',
        '{"id": "a", "facts": {}}',
        '{"id": "c", "facts": {"unknown": ["party(q, platform)"]}}',
    ]) + "\n", encoding="utf-8")
    out = list(load_cases([corpus], vocab))
    assert [c.id for c in out if isinstance(c, Case)] == ["a", "c"]
    errors = [str(e) for e in out if isinstance(e, CaseError)]
    assert len(errors) == 3
    assert errors[0].startswith(f"{corpus}: line 3: facts.established[0]: 'sold' takes 3 argument(s)")
    assert errors[1].startswith(f"{corpus}: line 4: column 2: JSON syntax error")
    assert errors[2] == f"{corpus}: line 5: id: duplicate case id 'a' (first used in {corpus}, line 1)"
