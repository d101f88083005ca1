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
