"""One pytest item per bundled case and expectation, e.g. ``life_health_split[b=joint]``.

Every case file under ``cases/`` must load, and every expectation in it must hold.
A case without expectations fails: a case in the corpus says what it shows.
The items and the check are those of ``pyreasoner test`` (:mod:`pyreasoner.testing`).
"""

from __future__ import annotations

from collections import Counter

import pytest

from pyreasoner import Reasoner
from pyreasoner.case import find_case_files, load_case
from pyreasoner.testing import collect, run_tests

from conftest import CASES  # tests/ is on sys.path (rootdir-relative, no __init__.py)

_REASONER = Reasoner()
_VOCAB = _REASONER.vocabulary


@pytest.mark.parametrize("item", [pytest.param(i, id=i.name) for i in collect([CASES], _REASONER,
                                                                               require_expectation=True)])
def test_case_expectation(reasoner, item):
    [outcome] = run_tests(reasoner, [item], require_expectation=True)
    note = item.expectation.note if item.expectation else ""
    assert outcome.status == "pass", f"{item.file}: {note}\n  " + "\n  ".join(outcome.failures)


def test_case_ids_are_unique():
    ids = Counter(load_case(p, _VOCAB).id for p in find_case_files([CASES]))
    assert [i for i, n in ids.items() if n > 1] == []
