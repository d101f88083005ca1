"""One pytest item per bundled case and expectation, e.g. ``life_health_split[b=joint]``.

Every case file under ``cases/`` must load, and every expectation in it must hold.
A case without expectations fails: a case in the corpus says what it shows.
The items and the check are those of ``pyreasoner test`` (:mod:`pyreasoner.testing`).
An expectation with ``xfail: <reason>`` states a holding the rule base cannot yet
reproduce; it runs as a strict expected failure (it must fail, and says why).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from pyreasoner import Reasoner
from pyreasoner.case import find_case_files, load_case
from pyreasoner.testing import collect, run_tests

from conftest import CASES  # tests/ is on sys.path (rootdir-relative, no __init__.py)

_REASONER = Reasoner()
_VOCAB = _REASONER.vocabulary


def _param(item):
    # the corpus folder (civil, criminal, judgments) as a keyword: `pytest -k judgments`
    marks = [getattr(pytest.mark, Path(item.file).parent.name)]
    if item.expectation is not None and item.expectation.xfail:
        marks.append(pytest.mark.xfail(reason=item.expectation.xfail, strict=True))
    return pytest.param(item, id=item.name, marks=marks)


@pytest.mark.parametrize("item", [_param(i) for i in collect([CASES], _REASONER, require_expectation=True)])
def test_case_expectation(reasoner, item):
    [outcome] = run_tests(reasoner, [item], require_expectation=True)
    note = item.expectation.note if item.expectation else ""
    if item.expectation is not None and item.expectation.xfail:
        # a holding the rule base cannot reproduce yet: failing is what the strict mark expects;
        # returning (it holds) is an XPASS, which fails the run
        if outcome.status == "xfail":
            pytest.fail(f"{item.file}: {item.expectation.xfail}\n  " + "\n  ".join(outcome.failures))
        return
    assert outcome.status == "pass", f"{item.file}: {note}\n  " + "\n  ".join(outcome.failures)


def test_case_ids_are_unique():
    ids = Counter(load_case(p, _VOCAB).id for p in find_case_files([CASES]))
    assert [i for i, n in ids.items() if n > 1] == []


def test_xfail_states_its_reason():
    from pyreasoner.expect import expectation_from_data

    exp = expectation_from_data({"all": ["outcome(civil, p, joint_enlarged(u), tl_36_2)"], "xfail": "no dated notice",
                                 "note": "the court's holding"})
    assert exp.xfail == "no dated notice"
    with pytest.raises(ValueError, match="'xfail' must be the reason"):
        expectation_from_data({"xfail": "  ", "note": "n"})
    with pytest.raises(ValueError, match="'xfail' must be the reason"):
        expectation_from_data({"xfail": True, "note": "n"})
