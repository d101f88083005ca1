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
