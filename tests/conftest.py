"""Shared fixtures: one Reasoner per test session (the encodings are parsed once)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyreasoner import Reasoner

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
BAD_CASES = Path(__file__).resolve().parent / "bad_cases"


@pytest.fixture(scope="session")
def reasoner() -> Reasoner:
    return Reasoner()


def find_case(case_id: str):
    """The bundled case with this id, wherever in cases/ it lives."""
    from pyreasoner.case import find_case_files, load_case

    global _VOCAB
    if _VOCAB is None:
        _VOCAB = Reasoner().vocabulary
    vocab = _VOCAB
    for path in find_case_files([CASES]):
        case = load_case(path, vocab)
        if case.id == case_id:
            return case
    raise LookupError(f"no bundled case with id {case_id!r}")


_VOCAB = None


# ---- helpers shared by the unit tests of the rule base (tests/test_civil_*.py, test_criminal_provisions.py)
def solve(reasoner, established, refuted=(), unknown=(), **kw):
    """Solve a case given as lists of fact strings by status."""
    from pyreasoner.case import case_from_data

    doc = {"id": "t", "facts": {"established": list(established), "refuted": list(refuted), "unknown": list(unknown)}}
    return reasoner.solve(case_from_data(doc, reasoner.vocabulary, file="<test>"), **kw)


def outcomes(result):
    """Every outcome atom of every answer."""
    return {o.atom for a in result.answers for o in a.outcomes}


def atoms(result):
    """Every shown atom of every answer."""
    return {str(x) for a in result.answers for x in a.atoms}


# ---- what a batch record must hold (tests/test_batch.py, test_batch_faults.py)
def expected_record(reasoner, doc) -> dict:
    """What a batch record of ``doc`` must hold, from Reasoner.solve on the same document."""
    from pyreasoner.case import case_from_data

    result = reasoner.solve(case_from_data(doc, reasoner.vocabulary, file="<doc>"))
    if not result.consistent:
        return {"core": list(result.core)}
    j = result.to_json()
    return {"answers": j["answers"], "in_all": j["in_all"], "in_some": j["in_some"]}


def record_answers(record: dict) -> dict:
    """The part of a batch record that :func:`expected_record` gives."""
    if "error" in record:
        return {"core": record["error"].get("core")}
    return {k: record[k] for k in ("answers", "in_all", "in_some")}


# ---- what a translated output may still hold in Latin letters (test_lang, test_cli_lang, test_views_zh)
#: CJK characters and the punctuation of Chinese text (full-width, quotation marks, title marks, dashes, §).
CJK_TEXT = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》…—–§"


def english_words(text: str, allowed: frozenset[str] | set[str] = frozenset(), *, options: bool = False,
                  placeholders: bool = False) -> list[str]:
    """The English words of a text: tokens (split at white space and at Chinese text) with a run
    of three or more ASCII letters, outside identifiers. A token is an identifier if, its outer
    brackets, braces and punctuation stripped, it holds one of ``_()=/[]|<>+`` or a digit: atoms
    (``sold(m,pills,c)``), view ids (``b=joint``), provision ids, paths, sections and years.
    ``allowed``: words that are data (a party's name). ``options``: command-line options
    (``--full``) are data too; ``placeholders``: so are all-capital words, an argument's
    placeholder in the vocabulary (``MIN`` of ``other_offence_term``)."""
    words = []
    for token in re.split(f"[\\s{CJK_TEXT}]+", text):
        core = token.strip("()[]{},.;:!?'\"")
        if re.search(r"[_()=/\[\]|<>+\d]", core) or not re.search(r"[A-Za-z]{3,}", core):
            continue
        if core in allowed or (options and core.startswith("--")) or (placeholders and core.isupper()):
            continue
        words.append(core)
    return words
