"""pyreasoner check: inconsistencies with their core and provisions, outcome-and-opposite,
disagreeing views, and the CLI (including --validate-only)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pyreasoner import Reasoner
from pyreasoner.case import Case, Fact
from pyreasoner.check import check_case, check_corpus
from pyreasoner.cli import main
from pyreasoner.rulebase import encodings_dir

BASE = [("party", ("p", "platform")), ("party", ("m", "merchant")), ("party", ("c", "consumer")),
        ("on_platform", ("m", "p")), ("sold", ("m", "g", "c")), ("concerns_life_health", ("g",)),
        ("damage", ("c", "g")), ("caused_damage", ("p", "c", "g"))]


def _case(extra=(), refuted=(), cid="probe") -> Case:
    facts = [Fact(predicate=p, args=a, status="established") for p, a in BASE + list(extra)]
    facts += [Fact(predicate=p, args=a, status="refuted") for p, a in refuted]
    return Case(id=cid, facts=tuple(facts))


def test_inconsistent_case_names_the_conflicting_facts_and_the_provision(reasoner):
    report = check_case(reasoner, _case([("causal_weight", ("p", 30)), ("causal_weight", ("p", 40))]))
    assert report.answers == 0 and not report.consistent and report.failed
    (inc,) = report.inconsistencies
    assert inc.views == ()
    assert inc.core == ("established(causal_weight(p,30))", "established(causal_weight(p,40))")
    assert "cc_1172" in inc.provisions  # the one-weight-per-party constraint sits under CC 1172
    assert any("cc_1172.lp" in r for r in inc.rules)


def test_views_of_issue_b_disagree_on_one_case(reasoner):
    report = check_case(reasoner, _case([("fault_degree", ("m", "negligent"))],
                                        refuted=[("reviewed_qualification", ("p", "m"))]))
    assert report.consistent and report.answers > 1
    b = {i: (n, d) for i, n, d in report.disagreements}["b"]
    assert b[0] == len(reasoner.issues["b"].views) - sum(v.status == "rejected" for v in reasoner.issues["b"].views)
    assert b[1] > 1


@pytest.fixture()
def broken(tmp_path) -> Path:
    root = tmp_path / "encodings"
    shutil.copytree(encodings_dir(), root)
    return root


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")


def test_outcome_and_its_opposite_are_reported(broken):
    # a deliberately wrong rule: ECL 38(1) also "exempts" the platform it makes jointly liable
    _append(broken / "statutes" / "ecl_38.lp",
            "concludes(ecl_38_1, K, civil, P, exempt) :- applies(ecl_38_1, K), K = claim(_, P, _, _).\n")
    r = Reasoner(broken)
    report = check_case(r, _case([("unsafe", ("g",)), ("knew", ("p", "m"))],
                                 refuted=[("took_necessary_measures", ("p", "m"))]))
    assert report.contradictions
    assert any("p has exempt (ecl_38_1) and joint_several(m) (ecl_38_1)" in c for c in report.contradictions)
    assert all(" has exempt (ecl_38_1) and " in c for c in report.contradictions)


def test_inconsistency_under_one_view_only(broken):
    # a deliberately wrong view rule: the joint view contradicts every case with damage
    _append(broken / "views" / "b_form" / "joint.lp", ":- adopt(b, joint), true(damage(C, G)).\n")
    r = Reasoner(broken)
    # the joint view is rejected by the paper (off by default): its inconsistency shows when rejected views are in
    report = check_case(r, _case(refuted=[("reviewed_qualification", ("p", "m"))]), include_rejected=True)
    assert report.answers > 0 and report.failed
    bad = [inc for inc in report.inconsistencies if ("b", "joint") in inc.views]
    assert bad and all(("b", "joint") in inc.views for inc in report.inconsistencies)
    assert "established(damage(c,g))" in bad[0].core
    assert "view b/joint" in bad[0].provisions


def test_cli_check_corpus_text_json_and_validate_only(tmp_path, capsys):
    case = tmp_path / "bad.yaml"
    case.write_text("id: bad\nfacts:\n  established:\n    - causal_weight(p, 1)\n    - causal_weight(p, 2)\n",
                    encoding="utf-8")
    assert main(["check", str(case)]) == 1  # no consistent outcome, not announced by the case
    out = capsys.readouterr().out
    assert "INCONSISTENT under every view" in out and "causal_weight(p,1)" in out
    assert main(["check", "--format", "json", str(case)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["unexpected"] == 1 and doc["cases"][0]["inconsistencies"][0]["provisions"]
    assert main(["check", "--validate-only", str(case)]) == 0
    assert capsys.readouterr().out.strip() == f"ok {case}: bad (2 facts)"


def test_expected_inconsistency_does_not_fail(tmp_path):
    case = tmp_path / "announced.yaml"
    case.write_text("id: announced\nfacts:\n  established:\n    - causal_weight(p, 1)\n    - causal_weight(p, 2)\n"
                    "expect:\n  - consistent: false\n    note: two weights for one party contradict (CC 1172)\n",
                    encoding="utf-8")
    report = check_corpus([case])
    assert report.cases[0].inconsistencies and not report.failed


def test_fixed_view_restricts_the_analysis(reasoner):
    report = check_case(reasoner, _case(refuted=[("reviewed_qualification", ("p", "m"))]), views={"b": "joint"})
    assert {i: n for i, n, _ in report.disagreements}["b"] == 1
    assert report.consistent
