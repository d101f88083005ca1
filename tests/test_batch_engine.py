"""The batch engine's case tagging (issue 6), on small programs written for the purpose:
a chunk grounded once must give each case exactly the answers of the reference path
(`_clingo.solve`, one fresh ground per case), whatever the other cases of the chunk hold."""

from __future__ import annotations

import pytest

from pyreasoner import _clingo
from pyreasoner.errors import EncodingError

STATUSES = ("established", "refuted", "unknown")
INPUTS = [(s, 1) for s in STATUSES] + [("fact_pred", 2)]


def _program(tmp_path, text: str) -> _clingo.Program:
    path = tmp_path / "main.lp"
    path.write_text(text, encoding="utf-8")
    return _clingo.without_comments(_clingo.parse_program(path))


def _models(raw) -> tuple | None:
    """The answer sets as a sorted tuple of sorted tuples (engines differ in order only),
    or None when there is none."""
    return tuple(sorted(tuple(sorted(m, key=repr)) for m in raw.models)) if raw.satisfiable else None


def _reference(program, facts) -> tuple:
    """The answer sets of the reference path."""
    return _models(_clingo.solve(program, [("fact_pred", (t, p)) for _, t, p in facts],
                                 [(s, (t,)) for s, t, _ in facts], []))


def _chunk(program, cases) -> list:
    tagged = _clingo.tag_program(program, INPUTS, STATUSES)
    ground = _clingo.ChunkGround(tagged, cases, [])
    out = []
    for k in range(len(cases)):
        out.append(_models(ground.solve(k, [])))
    return out


# Rules in cycles through negation: an even loop (two answer sets per case) and an odd
# loop that leaves a case with odd(X) without any. Unguarded, the inactive copies of such
# rules would make every case of the chunk unsatisfiable.
LOOPS = """
a(X) :- established(n(X)), not b(X).
b(X) :- established(n(X)), not a(X).
c(X) :- established(n(X)), odd(X), not c(X).
big(X) :- established(n(X)), X > 10.
count(N) :- N = #count { X : established(n(X)) }.
odd(3). odd(5).
#show a/1.
#show b/1.
#show big/1.
#show count/1.
"""


def test_each_case_of_a_chunk_gets_the_reference_answers(tmp_path):
    program = _program(tmp_path, LOOPS)
    cases = [
        [("established", ("n", (1,)), "n")],
        [("established", ("n", (3,)), "n")],  # the odd loop: no answer set
        [("established", ("n", (2,)), "n"), ("established", ("n", (12,)), "n")],
        [],
        [("unknown", ("n", (4,)), "n")],
    ]
    got = _chunk(program, cases)
    want = [_reference(program, c) for c in cases]
    assert got == want
    assert want[1] is None and len(want[0]) == 2 and len(want[2]) == 4  # the program is what it claims
    assert ("count", (2,)) in want[2][0]  # the aggregate counts the case's own facts only


def test_rules_in_a_negative_cycle_are_guarded(tmp_path):
    tagged = _clingo.tag_program(_program(tmp_path, LOOPS), INPUTS, STATUSES)
    guarded = [str(s) for s in tagged.statements if "pyreasoner_active" in str(s) and "#show" not in str(s)]
    assert len(guarded) == 3 and all(s.split("(")[0] in ("a", "b", "c") for s in guarded)
    assert not any(str(s).startswith("big(") and "pyreasoner_active" in str(s) for s in tagged.statements)


def test_a_rule_that_needs_a_chosen_atom_is_not_guarded(tmp_path):
    """A negative cycle that passes through an atom only a choice defines is broken in
    every inactive copy (the choice is off there): its other rules stay unguarded, so
    the grounder still computes them."""
    program = _program(tmp_path, """
        { pick(X) } :- established(n(X)).
        high(X) :- established(n(X)), not low(X).
        low(X) :- pick(X), high(X).
        #show high/1.
        #show pick/1.
    """)
    tagged = _clingo.tag_program(program, INPUTS, STATUSES)
    assert tagged.guarded == 1  # the choice rule only
    cases = [[("established", ("n", (1,)), "n")], [("established", ("n", (2,)), "n")]]
    assert _chunk(program, cases) == [_reference(program, c) for c in cases]


@pytest.mark.parametrize("text, reason", [
    ("-p(X) :- established(X).\n#show p/1.", "cannot give a case index"),
    ("p(X) :- established(X).\np(1, 2).\n#show p/1.", "p/1 depends on case facts and p/2 exists too"),
    ("p(PyreasonerCase) :- established(PyreasonerCase).", "reserved by the batch engine"),
    ("#external q(X) : established(X).", "depends on case facts"),
])
def test_what_cannot_be_tagged_is_refused_by_name(tmp_path, text, reason):
    with pytest.raises(EncodingError, match=reason):
        _clingo.tag_program(_program(tmp_path, text), INPUTS, STATUSES)


def test_an_untaggable_rule_base_falls_back_to_the_reference_path(tmp_path, reasoner):
    """ChunkSolver keeps working (every case on its own) when the encodings cannot be
    tagged, and says why."""
    import json

    from pyreasoner.batch import BatchConfig, ChunkSolver

    solver = ChunkSolver(BatchConfig(), reasoner)
    assert solver.tagged is not None and solver.untaggable is None
    solver.tagged, solver.untaggable = None, "test"
    line = json.dumps({"id": "x", "facts": {"established": ["party(p, platform)"]}})
    record, timing = solver.solve_chunk([(0, "line", line, "<t>:1")])[0]
    assert timing["engine"] == "single" and json.loads(record)["consistent"] is True
