"""One pytest item per bundled case and expectation, e.g. ``life_health_split[b=joint]``.

Every case file under ``cases/`` must load, and every expectation in it must hold.
A case without expectations fails: a case in the corpus says what it shows.
An expectation with ``xfail: <reason>`` states a holding the rule base cannot yet
reproduce; it runs as a strict expected failure (it must fail, and says why).
"""

from __future__ import annotations

from collections import Counter

import pytest

from pyreasoner import Reasoner
from pyreasoner.case import find_case_files, load_case

from conftest import CASES  # tests/ is on sys.path (rootdir-relative, no __init__.py)

_VOCAB = Reasoner().vocabulary


def _items():
    items = []
    for path in find_case_files([CASES]):
        case = load_case(path, _VOCAB)
        if not case.expect:
            items.append(pytest.param(case, None, id=f"{case.id}[no-expectation]", marks=[getattr(pytest.mark, path.parent.name)]))
        labels = Counter()
        for exp in case.expect:
            labels[exp.label] += 1
            suffix = f"#{labels[exp.label]}" if labels[exp.label] > 1 else ""
            # the corpus folder (civil, criminal, judgments) as a keyword: `pytest -k judgments`
            marks = [getattr(pytest.mark, path.parent.name)]
            if exp.xfail:
                marks.append(pytest.mark.xfail(reason=exp.xfail, strict=True))
            items.append(pytest.param(case, exp, id=f"{case.id}[{exp.label}{suffix}]", marks=marks))
    return items


@pytest.mark.parametrize(("case", "expectation"), _items())
def test_case_expectation(reasoner, case, expectation):
    assert expectation is not None, f"{case.path}: a bundled case needs at least one expectation"
    result = reasoner.solve(case, views=dict(expectation.views), include_rejected=expectation.include_rejected,
                            explore=expectation.explore)
    failures = expectation.failures(result)
    assert not failures, f"{case.path}: {expectation.note}\n  " + "\n  ".join(failures)


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
