"""Counts and amounts beyond clingo's 32-bit integers (types ``count`` and ``amount``).

A count reaches the program as the pair (H, L), N = H * COUNT_BASE + L; the thresholds
of 法释〔2019〕15号 are compared in the same form. These tests check that the comparison
is exact on both sides of every threshold for counts up to 10^18, that the base Python
uses is the one the encodings declare, that the plain-clingo path gives the same answers,
and that a bad number is a one-line error.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import clingo
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyreasoner.case import CaseError, load_case
from pyreasoner.rulebase import encodings_dir
from pyreasoner.vocabulary import COUNT_BASE, COUNT_LIMIT, count_term, count_value

from test_criminal_helpers import CRIME, REGULATOR, atoms_in_all, make_case, order_facts


def _content(x: str, measure: str, n: int) -> list[str]:
    return (REGULATOR + [f"party({x}, person)", f"legal_form({x}, natural_person)",
                         f"provides_service({x}, information_publishing)"]
            + order_facts(x, f"o_{x}", "illegal_information")
            + [f"hosted_illegal({x}, obscene)", f"knew_illegal({x}, obscene)", f"failed_to_remove({x}, obscene)",
               f"disseminated({x}, {measure}, {n})"])


def test_the_base_python_uses_is_the_one_the_encodings_declare():
    ctl = clingo.Control(["--warn=none"])
    ctl.load(str(Path(encodings_dir()) / "vocabulary" / "criminal.lp"))
    ctl.ground([("base", [])])
    declared = [s.symbol.arguments[0].number for s in ctl.symbolic_atoms.by_signature("count_base", 1)]
    assert declared == [COUNT_BASE]


@pytest.mark.parametrize("n", [0, 1, COUNT_BASE - 1, COUNT_BASE, 2 ** 31 - 1, 2 ** 31, 3 * 10 ** 9, 10 ** 12,
                               COUNT_LIMIT - 1])
def test_split_form_round_trips(n):
    term = count_term(n)
    assert count_value(term) == n
    high, low = term[1]
    assert 0 <= low < COUNT_BASE and high < 2 ** 31


@pytest.mark.parametrize(("n", "crime"), [(49_999, False), (50_000, True), (2 ** 31, True), (3_000_000_000, True),
                                          (10 ** 12, True), (COUNT_LIMIT - 1, True)])
def test_clicks_compare_exactly_with_the_threshold(reasoner, n, crime):
    case = make_case(reasoner.vocabulary, _content("x", "clicks", n))
    atoms = atoms_in_all(reasoner.solve(case))
    assert (CRIME.format(x="x") in atoms) is crime
    assert ("element_basis(x,consequence(mass_dissemination,6),ji2019_15_3)" in atoms) is crime


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.one_of(st.integers(0, 60_000), st.integers(2 ** 31 - 5, 10 ** 13)))
def test_split_comparison_agrees_with_python_integers(reasoner, n):
    case = make_case(reasoner.vocabulary, _content("x", "user_accounts", n))
    atoms = atoms_in_all(reasoner.solve(case))
    assert ("element(crl_286_1_1,x,consequence(mass_dissemination,4))" in atoms) is (n >= 2000)


def test_a_big_count_of_one_kind_is_its_own_item_not_a_conversion(reasoner):
    facts = _content("x", "other_items", 3_000_000_000) + ["disseminated(x, video_files, 100)"]
    atoms = atoms_in_all(reasoner.solve(make_case(reasoner.vocabulary, facts)))
    items = {a for a in atoms if a.startswith("element(crl_286_1_1,x,consequence(")}
    assert items == {"element(crl_286_1_1,x,consequence(mass_dissemination,2))"}


def test_more_accounts_reached_than_the_service_has_users_is_inconsistent(reasoner):
    facts = _content("x", "user_accounts", 3_000_000_000)
    ok = reasoner.solve(make_case(reasoner.vocabulary, facts + ["user_count(x, 3000000000)"]))
    assert ok.consistent
    bad = reasoner.solve(make_case(reasoner.vocabulary, facts + ["user_count(x, 2999999999)"]))
    assert not bad.consistent


def test_plain_clingo_reads_the_split_form(reasoner):
    case = make_case(reasoner.vocabulary, _content("x", "clicks", 3_000_000_000) + ["illegal_income(x, 2500000000000)"])
    program = reasoner.program(case)
    assert "(3,0)" in program and "3000000000" not in program
    proc = subprocess.run([sys.executable, "-m", "clingo", "-", "0", "--project=show", "--warn=none"],
                          input=program, capture_output=True, text=True, timeout=120)
    lines = proc.stdout.splitlines()
    answers = [sorted(lines[i + 1].split()) for i, line in enumerate(lines) if line.startswith("Answer:")]
    assert answers == [sorted(a.atoms) for a in reasoner.solve(case).answers]
    assert "outcome(criminal,x,recover_illegal_income((2500,0)),crl_64)" in answers[0]


@pytest.mark.parametrize(("fact", "message"), [
    ("disseminated(x, clicks, 1000000000000000000)", "must be a whole number from 0 to below 10^18"),
    ("disseminated(x, clicks, -1)", "must be a whole number from 0 to below 10^18"),
    ("illegal_income(x, -5)", "must be a whole number of yuan from 0 to below 10^18"),
    ("other_offence_term(c, 0, 3000000000)", "below 4,000,000 (clingo computes in 32-bit integers), got 3000000000"),
])
def test_a_bad_number_is_a_one_line_error(reasoner, tmp_path, fact, message):
    path = tmp_path / "bad.yaml"
    path.write_text(f"id: bad\nfacts:\n  established:\n    - \"{fact}\"\n", encoding="utf-8")
    with pytest.raises(CaseError) as err:
        load_case(path, reasoner.vocabulary)
    text = str(err.value)
    assert message in text and "\n" not in text and "bad.yaml" in text
