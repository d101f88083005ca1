"""The Python API refuses arguments of the wrong type with the project's own errors, naming the
parameter, as the command line does: a researcher's notebook gets a message, not an
AttributeError or TypeError from inside the engine (robustness audit)."""

from __future__ import annotations

import dataclasses

import pytest
from pyreasoner import load_case
from pyreasoner.batch import BatchConfig, run_batch
from pyreasoner.errors import CaseError, PyreasonerError, UsageError
from pyreasoner.summary import summarise

from conftest import CASES


@pytest.fixture(scope="module")
def case(reasoner):
    return load_case(CASES / "civil" / "life_health_split.yaml", reasoner.vocabulary)


@pytest.mark.parametrize(("call", "error", "named"), [
    (lambda r, c: r.solve(str(CASES / "civil" / "life_health_split.yaml")), UsageError, "case"),
    (lambda r, c: r.solve(None), UsageError, "case"),
    (lambda r, c: list(r.solve_many([c, None])), UsageError, "case"),
    (lambda r, c: r.solve(c, views=None), UsageError, "views"),
    (lambda r, c: r.solve(c, time_limit="5"), UsageError, "time_limit"),
    (lambda r, c: r.solve(dataclasses.replace(c, id="two words")), CaseError, "id"),
    (lambda r, c: r.solve(dataclasses.replace(c, id=None)), CaseError, "id"),
])
def test_solve_refuses_wrong_types_by_name(reasoner, case, call, error, named):
    with pytest.raises(error) as err:
        call(reasoner, case)
    assert named in (err.value.file, err.value.where)


def test_one_view_as_a_string_is_one_selection(reasoner, case):
    """views="b=joint" was read letter by letter ("'b': expected ISSUE=VIEW")."""
    result = reasoner.solve(case, views="b=joint", include_rejected=True)
    assert result.selection == (("b", "joint"),)


@pytest.mark.parametrize(("kw", "named"), [
    ({"workers": "2"}, "workers"),
    ({"chunk_size": 4.0}, "chunk_size"),
    ({"config": BatchConfig(timeout="5")}, "config.timeout"),  # type: ignore[arg-type]
])
def test_run_batch_refuses_wrong_types_by_name(tmp_path, kw, named):
    with pytest.raises(UsageError) as err:
        run_batch(CASES / "civil", tmp_path / "r.jsonl", **kw)
    assert err.value.file == named


def test_summarise_refuses_a_wrong_top(tmp_path):
    with pytest.raises(PyreasonerError, match="top"):
        summarise(tmp_path / "r.jsonl", top="3")
