"""The command-line conventions and the Python API around the researcher's workflow (issue 16):
global options after the command, --version with the rule base's fingerprint (also in every batch
record), '-' for standard input, ISO dates, --lang zh, tables sized to their content, BatchConfig
with a mapping of views, run_batch from a script without a main guard."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import clingo
import pytest
from pyreasoner.batch import BatchConfig
from pyreasoner.case import case_from_data
from pyreasoner.rulebase import fingerprint

from conftest import ROOT, descendants, find_case, pool_workers, process_state


def run(*args, input=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pyreasoner", *args], capture_output=True, text=True, cwd=cwd,
                          input=input, timeout=300)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A copy of the encodings with an undefined body predicate planted in one statute."""
    root = tmp_path_factory.mktemp("rules") / "encodings"
    shutil.copytree(ROOT / "encodings", root)
    with (root / "statutes" / "cc_1172.lp").open("a", encoding="utf-8") as fh:
        fh.write("\nwf_probe(X) :- provision(X, _, _, _, _), wf_probe_tpyo(X).\n#show wf_probe/1.\n")
    return root


def test_global_options_after_the_command(planted):
    before = run("--encodings", str(planted), "lint")
    after = run("lint", "--encodings", str(planted))
    assert after.returncode == before.returncode == 1
    assert after.stdout == before.stdout and "wf_probe_tpyo/1" in after.stdout
    # the path is the file's place in the rule base, not where the copy happens to live
    assert "encodings/statutes/cc_1172.lp:" in after.stdout and str(planted) not in after.stdout
    assert run("lint").returncode == 0  # the bundled rules are untouched


def test_the_fingerprint_follows_includes_out_of_the_folder(tmp_path):
    """Every .lp file of the master's folder, and every file those #include from outside it
    (and theirs): editing any of them changes the fingerprint, which every record carries."""
    enc, lib = tmp_path / "enc", tmp_path / "lib"
    enc.mkdir()
    lib.mkdir()
    (lib / "a.lp").write_text('q :- established(y).\n#include "b.lp".\n', encoding="utf-8")
    (lib / "b.lp").write_text("r :- established(z).\n", encoding="utf-8")
    main = enc / "main.lp"
    main.write_text('#include "../lib/a.lp".\n#include <incmode>.\np :- established(x).\n', encoding="utf-8")
    before = fingerprint(main)
    assert fingerprint(main) == before  # the same files, the same fingerprint
    (lib / "b.lp").write_text("r :- established(w).\n", encoding="utf-8")  # two includes away
    after = fingerprint(main)
    assert after != before
    (lib / "unrelated.lp").write_text("s.\n", encoding="utf-8")  # not included: not counted
    assert fingerprint(main) == after


def test_version_names_clingo_and_the_fingerprint_of_the_rule_base(planted, tmp_path):
    proc = run("--version")
    assert proc.returncode == 0
    assert f"clingo {clingo.__version__}" in proc.stdout and fingerprint() in proc.stdout
    other = run("--encodings", str(planted), "--version")
    assert fingerprint(planted) in other.stdout and fingerprint(planted) != fingerprint()
    # every batch record carries the versions and the fingerprint
    out = tmp_path / "r.jsonl"
    batch = run("batch", "cases/criminal", "--out", str(out), "--workers", "0")
    assert batch.returncode == 0, batch.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records and all(r["provenance"] == {"pyreasoner": __import__("pyreasoner").__version__,
                                               "clingo": clingo.__version__, "rules": fingerprint()} for r in records)


def test_solve_reads_a_case_from_standard_input():
    path = find_case("life_health_split").path
    from_file = run("solve", path, "--view", "b=joint")
    from_stdin = run("solve", "-", "--view", "b=joint", input=Path(path).read_text(encoding="utf-8"))
    assert from_stdin.returncode == 0 and from_stdin.stdout == from_file.stdout
    bad = run("solve", "-", input="id: x\nfacts: {established: [sol(a)]}\n")
    assert bad.returncode == 1 and bad.stderr.startswith("pyreasoner: error: <stdin>: line 2: ")


def test_iso_dates_in_text_facts(reasoner):
    doc = {"id": "d", "facts": {"established": ["transaction_date(c, g, 2020-01-02)"]}}
    case = case_from_data(doc, reasoner.vocabulary, file="<doc>")
    assert case.facts[0].args == ("c", "g", 20200102)
    with pytest.raises(Exception, match="2020-02-30 is not a calendar date"):
        case_from_data({"id": "d", "facts": {"established": ["transaction_date(c, g, 2020-02-30)"]}},
                       reasoner.vocabulary, file="<doc>")


def test_lang_zh_and_columns_sized_to_content():
    path = find_case("life_health_split").path
    zh = run("solve", path, "--view", "b=proportional", "--lang", "zh").stdout
    for english in ("case ", "answer", " civil ", "read with", "in every answer", "fixed"):
        assert english not in zh
    assert "民事" in zh and "所有答案集共有" in zh
    vocab = run("vocab", "--lang", "zh").stdout
    assert "举证责任: 主张方" in vocab and ": 实体" in vocab
    assert not any(w in vocab for w in ("burden", "claimant", ": entity", ": integer"))
    views = run("views", "--lang", "zh").stdout
    assert "争议问题 b" in views and "出处" in views and "source" not in views
    en = run("solve", path, "--view", "b=proportional", "--view", "a=civil_only").stdout
    rows = [line for line in en.splitlines() if line.startswith("    civil")]
    assert rows == ["    civil  m  share(p,7,10)  E-Commerce Law Art. 38(2) read with Civil Code Art. 1172",
                    "    civil  p  share(m,3,10)  E-Commerce Law Art. 38(2) read with Civil Code Art. 1172"]


def test_batch_config_takes_views_as_solve_does():
    assert BatchConfig(views={"b": "joint"}) == BatchConfig(views=("b=joint",)) == BatchConfig(views=["b=joint"])
    assert hash(BatchConfig(views={"b": "joint", "a": "civil_only"})) == hash(BatchConfig(views=("a=civil_only",
                                                                                                  "b=joint")))


def test_run_batch_from_a_script_without_main_guard_says_so(tmp_path):
    script = tmp_path / "unguarded.py"
    script.write_text("from pyreasoner.batch import run_batch\n"
                      f"run_batch({str(ROOT / 'cases' / 'criminal')!r}, {str(tmp_path / 'o.jsonl')!r}, workers=1)\n",
                      encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode != 0
    assert "if __name__ == \"__main__\":" in proc.stderr and "workers=0" in proc.stderr
    assert "out of memory" not in proc.stderr and "--workers" not in proc.stderr


def _workers(pid: int) -> set[int]:
    """The worker processes under ``pid`` (spawned, or forked by the fork server)."""
    return pool_workers(descendants(pid))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_of_a_killed_batch_do_not_outlive_it(tmp_path):
    import os
    import signal
    import time

    out = tmp_path / "killed.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "pyreasoner", "batch", str(ROOT / "cases"), "--out", str(out),
                             "--workers", "1", "--chunk-size", "1"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while time.monotonic() < deadline and not (out.exists() and out.read_bytes().count(b"\n") >= 2):
        workers |= _workers(proc.pid)
        time.sleep(0.05)
    workers |= _workers(proc.pid)
    assert workers, "the batch started no worker process"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(process_state(w) not in "ZX" for w in workers):
        time.sleep(0.1)
    alive = [w for w in workers if process_state(w) not in "ZX"]
    for w in alive:  # do not leave them behind even when the test fails
        os.kill(w, signal.SIGKILL)
    assert alive == [], "a worker outlived its killed batch"


def test_python_errors_name_parameters_the_command_line_its_options(reasoner):
    from pyreasoner.errors import UsageError

    with pytest.raises(UsageError) as exc:
        reasoner.solve(find_case("life_health_split"), views={"b": "jont"})
    assert str(exc.value).startswith("views: b=jont: unknown view 'jont' of issue b") and "--" not in str(exc.value)
    proc = run("solve", find_case("life_health_split").path, "--view", "b=jont")
    assert proc.returncode == 2 and proc.stderr.startswith("pyreasoner: error: --view: b=jont: unknown view")
    from pyreasoner.explain import explain
    from pyreasoner.verify import verify

    with pytest.raises(UsageError) as exc:
        explain(reasoner, find_case("life_health_split"), target="outcome((")
    assert str(exc.value).startswith("target: outcome((: not an atom")
    with pytest.raises(UsageError) as exc:
        verify(only=["no_such_invariant"])
    assert str(exc.value).startswith("only: no_such_invariant: no such invariant among ") and "--" not in str(exc.value)
    proc = run("verify", "--invariant", "no_such_invariant")
    assert proc.returncode == 2 and proc.stderr.startswith("pyreasoner: error: --invariant: no_such_invariant: ")


def test_batch_out_dash_writes_the_records_to_standard_output(tmp_path):
    to_file = tmp_path / "r.jsonl"
    assert run("batch", "cases/criminal", "--out", str(to_file), "--workers", "0").returncode == 0
    proc = run("batch", "cases/criminal", "--out", "-", "--workers", "0")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == to_file.read_text(encoding="utf-8")
    assert "written to standard output" in proc.stderr
    assert run("batch", "cases/criminal", "--out", "-", "--resume").returncode == 2


def test_shell_completion_completes_commands_and_their_options(tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    proc = run("completion", "bash")
    assert proc.returncode == 0
    script = tmp_path / "c.sh"
    script.write_text(proc.stdout, encoding="utf-8")

    def complete(*words):
        cmd = (f"source {script}; COMP_WORDS=({' '.join(words)}); COMP_CWORD={len(words) - 1}; _pyreasoner; "
               'echo "${COMPREPLY[@]}"')
        return subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=30).stdout.split()

    assert complete("pyreasoner", "di") == ["diff"]
    assert complete("pyreasoner", "test", "--ju") == ["--junit-xml"]
    assert complete("pyreasoner", "--encodings", "x", "explain", "--br") == ["--brief"]
    assert "--new-view" in complete("pyreasoner", "diff", "--")
