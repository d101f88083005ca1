"""``pyreasoner test``: one line per expectation, the closing count, the exit status, JUnit XML."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

from pyreasoner.testing import collect, run_tests, summary_line

from conftest import BAD_CASES, CASES, ROOT, find_case

_CASE = """\
id: split_probe
title: the life-health case with one true and one false expectation
source: test
facts:
  established:
    - party(p, platform)
    - party(m, merchant)
    - party(c, consumer)
    - on_platform(m, p)
    - sold(m, g, c)
    - concerns_life_health(g)
    - damage(c, g)
    - caused_damage(p, c, g)
  refuted:
    - reviewed_qualification(p, m)
expect:
  - views: {b: joint}
    all: ["outcome(civil, p, joint_several(m), (ecl_38_2, cc_1168))"]
    note: the joint view gives joint and several liability under CC 1168.
  - views: {b: joint}
    all: ["outcome(civil, p, supplementary(m), _)"]
    note: deliberately false, the joint view never gives supplementary liability.
"""


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pyreasoner", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def _corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "probe.yaml").write_text(_CASE, encoding="utf-8")
    shutil.copy(find_case("life_health_split").path, folder / "life_health_split.yaml")
    shutil.copy(BAD_CASES / "unknown_key.yaml", folder / "zz_broken.yaml")
    return folder


def test_one_line_per_expectation_closing_count_and_exit_status(tmp_path):
    folder = _corpus(tmp_path)
    proc = run("test", str(folder), "--junit-xml", str(tmp_path / "report.xml"))
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    heads = [line for line in lines if line[:5] in ("PASS ", "FAIL ", "SKIP ")]
    n_life = len(find_case("life_health_split").expect)
    assert len(heads) == n_life + 2 + 1  # the bundled case's, the probe's two, the broken file
    assert any(h.startswith("PASS split_probe[b=joint]") for h in heads)
    assert any(h.startswith("FAIL split_probe[b=joint#2]") for h in heads)
    assert any(h.startswith("FAIL zz_broken[load]") for h in heads)
    # the failure says what is missing, and the note says why the expectation was written
    fail_at = lines.index(next(h for h in heads if h.startswith("FAIL split_probe")))
    assert "outcome(civil, p, supplementary(m), _) is missing" in lines[fail_at + 1]
    assert "note: deliberately false" in proc.stdout
    assert lines[-1] == f"{n_life + 1} passed, 2 failed"
    root = ET.parse(tmp_path / "report.xml").getroot()
    suite = root.find("testsuite")
    assert suite.get("tests") == str(n_life + 3) and suite.get("failures") == "2"
    failed = [tc.get("name") for tc in suite.iter("testcase") if tc.find("failure") is not None]
    assert failed == ["split_probe[b=joint#2]", "zz_broken[load]"]
    assert "unknown key" in suite.find(".//testcase[@name='zz_broken[load]']/failure").get("message")


def test_passing_corpus_exits_zero_and_missing_path_is_one_line_error(tmp_path):
    proc = run("test", str(CASES / "criminal"), "-q")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1].endswith(" passed, 0 failed")
    assert not any(line.startswith("PASS") for line in proc.stdout.splitlines())  # -q: failures only
    proc = run("test", str(tmp_path / "nowhere"))
    assert proc.returncode != 0 and proc.stderr.startswith("pyreasoner: error: ") and "Traceback" not in proc.stderr


def test_case_without_expectation_is_skipped_unless_required(reasoner, tmp_path):
    (tmp_path / "bare.yaml").write_text("id: bare\nfacts: {established: ['party(p, platform)']}\n", encoding="utf-8")
    items = collect([tmp_path], reasoner)
    assert [o.status for o in run_tests(reasoner, items)] == ["skip"]
    required = list(run_tests(reasoner, collect([tmp_path], reasoner, require_expectation=True),
                              require_expectation=True))
    assert [o.status for o in required] == ["fail"]
    assert summary_line(required) == "0 passed, 1 failed"


# ------------------------------------------------------------------ count per selection
_COUNTED = _CASE.split("expect:\n")[0].replace("id: split_probe", "id: count_probe") + """\
expect:
  - count: {"a=civil_only,b=supplementary": 1, "a=comprehensive,b=staged_fault": 1, b=joint: 0}
    note: one answer per pair of views; the rejected joint view is off by default.
  - views: {a: civil_only}
    count: {b=staged_fault: 1}
    note: with issue A fixed, one answer per view of issue B.
  - count: 10
    note: two views of issue A times the five of issue B on by default.
"""


def _write(folder, text):
    folder.mkdir(exist_ok=True)
    path = folder / "count_probe.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_count_per_selection_passes_and_survives_a_new_view(reasoner, tmp_path):
    """Issue 15: ``count: N`` counts every answer, so it breaks when a view is added; a count
    per selection counts the answers adopting the views it names (one of every issue the case
    raises, with the expectation's ``views``), and holds."""
    path = _write(tmp_path / "corpus", _COUNTED)
    assert [o.status for o in run_tests(reasoner, collect([path], reasoner))] == ["pass", "pass", "pass"]
    # a third view of issue A, on by default: the plain count of the case goes from 10 to 15
    from pyreasoner import Reasoner
    from pyreasoner.rulebase import encodings_dir

    enc = tmp_path / "encodings"
    shutil.copytree(encodings_dir(), enc)
    (enc / "views" / "a_scope" / "probe.lp").write_text(
        'view(a, probe).\nview_label(a, probe, "探针", "a probe").\nview_status(a, probe, reading).\n'
        'view_source(a, probe, "测试", "a test").\n', encoding="utf-8")
    main = enc / "main.lp"
    main.write_text(main.read_text(encoding="utf-8").replace(
        '#include "views/a_scope/civil_only.lp".',
        '#include "views/a_scope/civil_only.lp".\n#include "views/a_scope/probe.lp".'), encoding="utf-8")
    wider = Reasoner(enc)
    case = wider.load(path)
    assert len(wider.solve(case).answers) == 15
    outcomes = list(run_tests(wider, collect([path], wider)))
    assert [o.status for o in outcomes] == ["pass", "pass", "fail"]
    assert outcomes[2].failures == ("expected 10 answer(s), got 15",)


def test_a_wrong_count_per_selection_names_its_key(tmp_path):
    path = _write(tmp_path / "corpus", _COUNTED.replace('"a=comprehensive,b=staged_fault": 1', "b=staged_fault: 3"))
    proc = run("test", str(path))
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    fail_at = next(i for i, line in enumerate(lines) if line.startswith("FAIL count_probe[all-views]"))
    assert "count_probe.yaml" in lines[fail_at]
    assert lines[fail_at + 1].strip() == "count[b=staged_fault]: expected 3 answer(s) adopting b=staged_fault, got 2"
    assert lines[-1] == "2 passed, 1 failed"


def test_a_count_key_the_rule_base_lacks_or_cannot_read_is_one_line_naming_file_and_key(reasoner, tmp_path):
    path = _write(tmp_path / "typo", _COUNTED.replace("b=joint: 0", "b=jont: 0"))
    [first, _, _] = run_tests(reasoner, collect([path], reasoner))
    assert first.status == "fail"
    assert first.failures == (f"{path}: count[b=jont]: unknown view 'jont' of issue b (did you mean 'joint'?); views: "
                              + ", ".join(v.id for v in reasoner.issues["b"].views),)
    bad = {"bjoint: 0": "the key 'bjoint' is not a selection; expected ISSUE=VIEW or ISSUE=VIEW,ISSUE=VIEW",
           "b=joint: -1": "the value of 'b=joint' must be a whole number >= 0, got -1",
           "b=joint,a=civil_only: 0": "'b=joint' has no number (quote a key that names several views",
           '"a=comprehensive,b=joint": 0': "contradicts the expectation's views (a=comprehensive is not adopted "
                                           "under a=civil_only)"}
    for text, message in bad.items():
        doc = _COUNTED.replace("b=joint: 0", text)
        if "comprehensive" in text:  # a key against the expectation's own views: the second entry
            doc = _COUNTED.replace("count: {b=staged_fault: 1}", "count: {" + text + "}")
        [item] = collect([_write(tmp_path / "bad", doc)], reasoner)
        assert item.error is not None and "count_probe.yaml" in item.error and "expect[" in item.error, item.error
        assert message in item.error and "\n" not in item.error
