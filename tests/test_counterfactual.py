"""verify's second world, copied at the ground level (pyreasoner/_engine/counterfactual.py).

The copy holds only the ground rules that depend on the dropped facts; every other atom is
shared by the two worlds. Checked here against its definition: on a toy program, every
answer of the two worlds together is a first world with the second world that the same case
without the dropped facts gives when solved on its own; and on the rule base, verify (ground
copy) and replay (the whole rule base copied, renamed) agree on a counterexample.
"""

from __future__ import annotations

import shutil
from itertools import product
from pathlib import Path

import clingo
import pytest
from pyreasoner import _engine
from pyreasoner.rulebase import encodings_dir
from pyreasoner.verify import replay, verify

from conftest import VERIFY_SMALL as SMALL

#: the toy's case: which facts are stated, and a choice shared by both worlds (rev)
_CHOICES = """
{ established(m(1)); established(m(2)); established(k) }.
{ refuted(m(X)) } :- X = 1..2, not established(m(X)).
{ rev }.
"""
#: the toy's rules: a duty fact (m) read under negation, its absence decided by a burden
#: (rev), a count over a cone atom and a constraint on it, and a rule the drop cannot reach
_RULES = """
true(F) :- established(F).
asked(m(1..2)).
unproven(F) :- asked(F), not established(F), not refuted(F).
true(F) :- unproven(F), rev.
liable(X) :- asked(m(X)), not true(m(X)), established(k).
n(N) :- N = #count { X : liable(X) }.
:- n(2), rev.
other :- established(k).
"""


def _alone(facts: list[str]) -> set[str] | None:
    """The one answer of the toy's rules over ``facts``, or None when inconsistent."""
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], _RULES + "".join(f + "." for f in facts))
    ctl.ground([("base", [])])
    models: list[set[str]] = []
    ctl.solve(on_model=lambda m: models.append({str(s) for s in m.symbols(atoms=True)
                                               if s.name in ("liable", "n", "other")}))
    assert len(models) <= 1
    return models[0] if models else None


def test_toy_second_world_equals_the_case_without_the_dropped_facts_solved_alone(tmp_path):
    master = tmp_path / "main.lp"
    master.write_text(_CHOICES + _RULES, encoding="utf-8")
    reads = "w_liable(X) :- cf_liable(X). w_n(N) :- cf_n(N). w_other :- cf_other. #defined cf_other/0.\n"
    session = _engine.Session(_engine.parse_program(master), counterfactual=_engine.Counterfactual(
        drop=("m",), duty=("m",), texts=(("<reads>", reads),)))
    assert session.copy is not None and session.copy.seeds == 4   # established and refuted of m(1), m(2)
    # the choices and 'other' do not depend on m: shared, not copied
    assert 0 < session.copy.copied_rules < session.copy.ground_rules
    got = set()
    for model in session.models(signatures=[("established", 1), ("refuted", 1), ("rev", 0), ("w_liable", 1),
                                            ("w_n", 1), ("w_other", 0)]):
        got.add(frozenset(_engine.symbol_of(a).__str__() for a in model))
    expected = set()
    for est_m1, est_m2, est_k, ref1, ref2, rev in product([False, True], repeat=6):
        if (est_m1 and ref1) or (est_m2 and ref2):
            continue
        first = [f for f, on in (("established(m(1))", est_m1), ("established(m(2))", est_m2),
                                 ("established(k)", est_k), ("refuted(m(1))", ref1), ("refuted(m(2))", ref2),
                                 ("rev", rev)) if on]
        if _alone(first) is None:
            continue
        # the second world: no m fact established; an established duty fact becomes refuted
        second = [f for f in first if not f.startswith("established(m(")]
        second += [f"refuted(m({i}))" for i, on in ((1, est_m1 or ref1), (2, est_m2 or ref2)) if on]
        answer = _alone(sorted(set(second)))
        if answer is None:   # the second world is inconsistent: no answer of the two together
            continue
        expected.add(frozenset(first + ["w_" + a for a in answer]))
    assert expected and got == expected


def test_toy_copy_refuses_a_dropped_fact_stated_as_a_fact(tmp_path):
    master = tmp_path / "main.lp"
    master.write_text("established(m(1)).\n{ refuted(m(2)) }.\n" + _RULES, encoding="utf-8")
    with pytest.raises(Exception, match="is a fact"):
        _engine.Session(_engine.parse_program(master),
                        counterfactual=_engine.Counterfactual(drop=("m",), duty=("m",)))


#: a deliberately broken rule: a platform that took the necessary measures is liable for them
_BROKEN = ("\nconcludes(ecl_38_1, K, civil, P, joint) :- claim(C, P, M, G), K = claim(C, P, M, G), "
           "true(took_necessary_measures(P, M)).\n")


def test_measures_invariant_holds_and_a_broken_rule_is_found_and_replayed(tmp_path):
    """The invariant the ground copy was built for holds on the rule base (small bound), and
    a rule that makes the measures create liability is found; the counterexample, replayed
    with the whole rule base copied (the other construction), breaks the invariant on the
    broken rule base only."""
    (ok,) = verify(only=["measures_never_increase_liability"], **SMALL)
    assert ok.status == "holds", ok.counterexample
    root = tmp_path / "encodings"
    shutil.copytree(encodings_dir(), root)
    ecl = root / "statutes" / "ecl_38.lp"
    ecl.write_text(ecl.read_text(encoding="utf-8") + _BROKEN, encoding="utf-8")
    (r,) = verify(root, only=["measures_never_increase_liability"], **SMALL)
    assert r.status == "violated"
    cex = r.counterexample
    assert any(f.startswith("took_necessary_measures(") for f in cex.established)
    path = tmp_path / "cex.yaml"
    path.write_text(cex.yaml(r.invariant), encoding="utf-8")
    assert "measures_never_increase_liability" in replay(path, root)
    assert "measures_never_increase_liability" not in replay(path, Path(encodings_dir()))
