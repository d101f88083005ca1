"""Shared fixtures: one Reasoner per test session (the encodings are parsed once)."""

from __future__ import annotations

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
