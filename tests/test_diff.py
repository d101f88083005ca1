"""``pyreasoner diff``: the cases a rule change (or a change of views) moves, and nothing else."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from pyreasoner import Reasoner
from pyreasoner.case import find_case_files, load_case
from pyreasoner.diff import Side, diff_cases, diff_corpus

from conftest import CASES, ROOT

#: the rule the tests change: the joint view of Issue B no longer makes ECL 38(2) liability joint
RULE = "joint_38_2(K) :- adopt(b, joint), open_38_2(K)."


@pytest.fixture(scope="module")
def changed_rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules") / "encodings"
    shutil.copytree(ROOT / "encodings", folder)
    lp = folder / "views" / "b_form" / "joint.lp"
    text = lp.read_text(encoding="utf-8")
    assert RULE in text
    lp.write_text(text.replace(RULE, "% " + RULE), encoding="utf-8")
    return folder


def _moves(before, after) -> bool:
    """Whether the outcomes differ, computed here from Reasoner.solve's answers (independently of
    pyreasoner.diff): consistency changes, or an answer and its partner have different outcomes,
    or an answer has no partner. The partner is the answer with the same views and assumptions;
    failing that (an issue may stop being raised), every answer that agrees on the issues both raise."""
    if before.consistent != after.consistent:
        return True

    def agree(x, y):
        # the period of an undated matter (and an explore completion) is part of an answer's
        # identity: the tl2010 answer is compared with the tl2010 answer only
        if (x.completion, x.assumed) != (y.completion, y.assumed):
            return False
        vx = dict(x.views)
        return all(vx.get(i, v) == v for i, v in y.views)

    def key(x):
        return x.views, x.completion, x.assumed

    for xs, ys in ((before.answers, after.answers), (after.answers, before.answers)):
        for x in xs:
            # the answer of the same key; failing that, every answer that agrees with it
            partners = [y for y in ys if key(y) == key(x)] or [y for y in ys if agree(x, y)]
            if not partners or any(set(x.outcomes) != set(y.outcomes) for y in partners):
                return True
    return False


def _by_views(result):
    out: dict = {}
    for a in result.answers:
        out.setdefault(a.views, set()).update(o.atom for o in a.outcomes)
    return out


def test_a_rejected_view_moves_nothing_by_default(reasoner, changed_rules):
    """The joint view is rejected by the paper (Qin 2025 §4.1.1) and off by default: a change
    to its rule moves no case unless rejected views are let in."""
    new = Reasoner(changed_rules)
    report = diff_corpus(CASES / "civil", Side(reasoner), Side(new), cache=False)
    assert report.total > 0 and report.changed == ()


def test_lists_exactly_the_cases_the_rule_moves(reasoner, changed_rules):
    new = Reasoner(changed_rules)
    cases = [load_case(p, reasoner.vocabulary) for p in find_case_files([CASES])]
    # each case solved once on either side, for the expected set and for the changes below
    solved = {c.id: (reasoner.solve(c, include_rejected=True), new.solve(c, include_rejected=True)) for c in cases}
    expected = {c.id for c in cases if _moves(*solved[c.id])}
    assert expected  # the change moves something, or the test would prove nothing
    assert len(expected) < len(cases)
    report = diff_corpus(CASES, Side(reasoner, include_rejected=True), Side(new, include_rejected=True), cache=False)
    assert report.total == len(cases) and not report.invalid
    assert {c.case_id for c in report.changed} == expected
    # each change is what Reasoner.solve gives on either side, and cites the outcome's basis
    for change in report.changed:
        before, after = (_by_views(r) for r in solved[change.case_id])
        for ch in change.changes:
            old = set().union(*[v for k, v in before.items() if set(k) <= set(ch.views)])
            now = set().union(*[v for k, v in after.items() if set(k) <= set(ch.views)])
            assert set(ch.removed) == old - now and set(ch.added) == now - old
            assert ch.bases
    # only answers under the joint view move, and the outcomes that vanish are the joint
    # liability of ECL 38(2) read with CC 1168
    assert all(("b", "joint") in ch.views for c in report.changed for ch in c.changes)
    assert set(report.by_view()["b=joint"]) == expected
    assert set(report.by_provision()[("ecl_38_2", "cc_1168")]) == expected
    assert all(any(a.startswith("outcome(civil,") and ",joint_several(" in a and a.endswith("(ecl_38_2,cc_1168))")
                   for ch in c.changes for a in ch.removed)
               for c in report.changed)


def test_two_view_selections_compare_answers_view_by_view(reasoner):
    report = diff_corpus(CASES / "civil", Side(reasoner, views={"b": "joint"}),
                         Side(reasoner, views={"b": "proportional"}), cache=False)
    change = next(c for c in report.changed if c.case_id == "life_health_split")
    # the keys drop the fixed issue b: a=civil_only under joint is compared with a=civil_only under proportional
    civil_only = next(ch for ch in change.changes if ch.views == (("a", "civil_only"),))
    assert civil_only.removed == ("outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))",)
    assert "outcome(civil,p,share(m,3,10),(ecl_38_2,cc_1172))" in civil_only.added
    assert ("ecl_38_2", "cc_1168") in civil_only.bases and ("ecl_38_2", "cc_1172") in civil_only.bases
    # a case that raises no issue B does not change
    same = diff_cases([load_case(find_case_files([CASES / "criminal"])[0], reasoner.vocabulary)],
                      Side(reasoner, views={"b": "joint"}), Side(reasoner, views={"b": "proportional"}), cache=False)
    assert same.changed == ()


def test_cache_gives_the_same_report(reasoner, changed_rules, tmp_path, monkeypatch):
    monkeypatch.setenv("PYREASONER_CACHE_DIR", str(tmp_path / "cache"))
    new = Reasoner(changed_rules)
    cases = [load_case(p, reasoner.vocabulary) for p in find_case_files([CASES / "civil"])]
    plain = diff_cases(cases, Side(reasoner), Side(new), cache=False)
    first = diff_cases(cases, Side(reasoner), Side(new))
    assert (tmp_path / "cache" / "tagging.json").is_file()
    second = diff_cases(cases, Side(reasoner), Side(new))
    assert plain.changed == first.changed == second.changed


def run(*args):
    return subprocess.run([sys.executable, "-m", "pyreasoner", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, env={**__import__("os").environ, "PYREASONER_CACHE_DIR": "off"})


def test_cli_prints_groups_and_writes_json_lines(changed_rules, tmp_path):
    out = tmp_path / "diff.jsonl"
    proc = run("diff", "cases", "--new", str(changed_rules), "--include-rejected", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    n = len(records)
    assert n > 0 and f"{n} of {len(find_case_files([CASES]))} case(s) change" in proc.stdout
    assert "by provision" in proc.stdout and "E-Commerce Law Art. 38(2)" in proc.stdout
    assert "by view" in proc.stdout
    for r in records:
        assert r["case"] in proc.stdout and r["changes"] and r["provisions"]
    stdout = run("diff", "cases", "--new", str(changed_rules), "--include-rejected", "--out", "-")
    assert [json.loads(line) for line in stdout.stdout.splitlines()] == records


def test_cli_git_revision_and_bad_revision():
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    proc = run("diff", "cases/civil", "--old", "HEAD", "--view", "b=joint")
    assert proc.returncode == 0, proc.stderr
    assert "old = encodings@HEAD" in proc.stdout
    bad = run("diff", "cases/civil", "--old", "no-such-revision-xyz")
    assert bad.returncode != 0 and bad.stderr.startswith("pyreasoner: error: no-such-revision-xyz: ")
    assert "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_diff_exits_1_when_a_case_could_not_be_solved(tmp_path):
    """A comparison with cases that could not be solved on a side is incomplete: exit 1 (it was 0,
    with '16 could not be solved' in the report; robustness audit). A change alone is exit 0."""
    bad = run("diff", str(ROOT / "tests" / "bad_cases"), "--new-view", "b=joint")
    assert bad.returncode == 1, bad.stderr
    assert "Traceback" not in bad.stderr
    good = run("diff", str(ROOT / "cases" / "civil" / "life_health_split.yaml"), "--new-view", "b=joint",
               "--include-rejected")
    assert good.returncode == 0, good.stderr


def test_a_case_listed_twice_is_compared_once_and_named(reasoner, changed_rules, tmp_path):
    """The same case read twice (a file given twice, or two files with one id) was compared
    and counted twice (robustness audit). As in a batch, its id is taken once: the second is
    named as an invalid entry, and the diff exits 1 (the corpus is not what was meant)."""
    new = Reasoner(changed_rules)
    once = diff_corpus(CASES / "civil", Side(reasoner, include_rejected=True), Side(new, include_rejected=True),
                       cache=False)
    twice = diff_corpus([CASES / "civil", CASES / "civil"], Side(reasoner, include_rejected=True),
                        Side(new, include_rejected=True), cache=False)
    assert [c.case_id for c in twice.changed] == [c.case_id for c in once.changed] and once.changed
    assert twice.total == 2 * once.total and len(twice.invalid) == once.total
    _, message = twice.invalid[0]
    assert "is already the id of the case read from" in message and "the same file listed twice" in message


def test_a_rule_base_without_inputs_is_named_not_the_case(tmp_path):
    """``--old`` an empty file: every case was reported with 'unknown predicate', as if the
    case were wrong (robustness audit). The message says that the rule base declares no case
    inputs."""
    empty = tmp_path / "empty.lp"
    empty.write_text("", encoding="utf-8")
    done = run("diff", str(ROOT / "cases" / "civil" / "life_health_split.yaml"), "--old", str(empty))
    assert done.returncode == 1, done.stderr
    assert "the rule base declares no case inputs at all" in done.stdout + done.stderr


def test_a_change_that_is_only_an_answer_without_outcomes_is_listed_and_printed(tmp_path):
    """A rule base in which c/ordinary is off by default (as it was until 2026-12-07) against
    the bundled one: on an Issue C case the new side adds an answer with no outcome. Until
    2026-12-07 this crashed the text report (no basis to group the case under)."""
    old = tmp_path / "encodings"
    shutil.copytree(ROOT / "encodings", old)
    lp = old / "views" / "c_burden" / "ordinary.lp"
    text = lp.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("view_in_force(c, ordinary,"))
    lp.write_text(text.replace(line, "% " + line), encoding="utf-8")
    case = ROOT / "cases" / "civil" / "burden_reversed_in_scope.yaml"
    proc = run("diff", str(case), "--old", str(old))
    assert proc.returncode == 0, proc.stderr
    assert "1 of 1 case(s) change" in proc.stdout
    assert "(an answer with no outcome appears or vanishes): burden_reversed_in_scope" in proc.stdout
    assert "[c=ordinary] (no such answer before) no liability outcome" in proc.stdout
