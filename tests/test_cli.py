"""The command line: verbs, output formats, exit codes, and no traceback for user errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import BAD_CASES, CASES, ROOT, find_case


def run(*args, input=None):
    return subprocess.run([sys.executable, "-m", "pyreasoner", *args], capture_output=True, text=True,
                          cwd=ROOT, input=input, timeout=300)


def test_solve_text_names_views_outcomes_and_basis():
    path = find_case("life_health_split").path
    proc = run("solve", path, "--include-rejected")  # the joint view is rejected by the paper: off by default
    assert proc.returncode == 0, proc.stderr
    headers = [line for line in proc.stdout.splitlines() if line.startswith("  answer ")]
    assert any("b=by_merchant_fault" in h for h in headers) and any("b=joint" in h for h in headers)
    default = run("solve", path)
    assert default.returncode == 0 and "b=joint" not in default.stdout
    joint = [line for line in proc.stdout.splitlines()
             if line.lstrip().startswith("civil") and "joint_several(m)" in line]
    assert joint and all(line.rstrip().endswith("E-Commerce Law Art. 38(2) read with Civil Code Art. 1168")
                         for line in joint)


def test_solve_json_with_fixed_view():
    path = find_case("life_health_split").path
    proc = run("solve", path, "--view", "b=joint", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["selection"] == {"b": "joint"}
    assert record["answers"] and all(a["views"]["b"] == "joint" for a in record["answers"])
    assert "outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))" in record["in_all"]
    joint = [o for o in record["answers"][0]["outcomes"] if o["form"] == "joint_several"]
    assert [o["basis"] for o in joint] == [["ecl_38_2", "cc_1168"]]


def test_solve_reports_inconsistency_with_the_core():
    proc = run("solve", find_case("contradictory_weights").path)
    assert proc.returncode == 0
    assert "NO CONSISTENT OUTCOME" in proc.stdout and "established(causal_weight(p,30))" in proc.stdout


def test_solve_the_whole_corpus_is_deterministic():
    first = run("solve", "cases", "--format", "json")
    second = run("solve", "cases", "--format", "json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and first.stdout.count("\n") >= 3


def test_bad_case_exit_1_one_line_no_traceback_and_others_still_solved(tmp_path):
    good = find_case("life_health_split").path
    proc = run("solve", str(BAD_CASES / "unknown_predicate.yaml"), good)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"pyreasoner: error: {BAD_CASES / 'unknown_predicate.yaml'}: line 5: facts.established[0]: "
        "unknown predicate 'sol' (did you mean 'sold'?)"]
    assert "case life_health_split: " in proc.stdout


@pytest.mark.parametrize("args", [("solve", "cases", "--view", "b=jont"), ("solve", "cases", "--view", "z=joint"),
                                  ("solve", "cases", "--view", "bjoint")])
def test_bad_view_is_a_usage_error(args):
    proc = run(*args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("pyreasoner: error: --view")


def test_usage_errors_exit_2():
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("solve", "--format", "xml", "cases").returncode == 2


def test_missing_file_exit_1():
    proc = run("solve", "no/such/case.yaml")
    assert proc.returncode == 1 and "no such file or folder" in proc.stderr and "Traceback" not in proc.stderr


def test_views_vocab_schema():
    views = run("views", "--format", "json")
    assert views.returncode == 0
    b = {i["id"]: i for i in json.loads(views.stdout)}["b"]
    assert {v["status"] for v in b["views"]} == {"own", "named", "rejected", "reading"}
    assert {v["id"]: v["status"] for v in b["views"]}["joint"] == "rejected"  # Qin 2025 §4.1.1
    assert all(v["source"] for v in b["views"])
    vocab = run("vocab")
    assert vocab.returncode == 0 and "sold(MERCHANT, GOODS, CONSUMER)" in vocab.stdout
    assert "平台内经营者" in run("vocab", "--lang", "zh").stdout
    schema = json.loads(run("schema").stdout)
    assert schema["$schema"].endswith("2020-12/schema")


def test_check_validates_only():
    proc = run("check", str(CASES))
    assert proc.returncode == 0 or "--validate-only" in run("check", "--help").stdout


def test_program_verb_prints_facts_for_plain_clingo():
    path = find_case("red_flag_38_1").path
    proc = run("program", path)
    assert proc.returncode == 0
    assert "established(red_flag(p,m))." in proc.stdout and "#include" in proc.stdout


def test_console_script_and_module_agree():
    import shutil

    exe = shutil.which("pyreasoner", path=str(ROOT.parent / ".venv" / "bin")) or shutil.which("pyreasoner")
    if exe is None:
        pytest.skip("the pyreasoner console script is not installed in this environment")
    proc = subprocess.run([exe, "views"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout == run("views").stdout


def test_batch_errors_name_the_parameter_in_python_and_the_flag_on_the_command_line(tmp_path):
    from pyreasoner.batch import BatchConfig, run_batch
    from pyreasoner.errors import UsageError

    for kwargs, name in (({"chunk_size": 0}, "chunk_size"), ({"workers": -1}, "workers"),
                         ({"config": BatchConfig(timeout=-1.0)}, "config.timeout")):
        with pytest.raises(UsageError) as exc:
            run_batch(CASES / "civil", tmp_path / "r.jsonl", **kwargs)
        assert str(exc.value).startswith(f"{name}: ") and "--" not in str(exc.value).split(":")[0]
    proc = run("batch", str(CASES / "civil"), "--out", str(tmp_path / "r.jsonl"), "--chunk-size", "0")
    assert proc.returncode == 2 and proc.stderr.startswith("pyreasoner: error: --chunk-size: 0: ")


def test_encodings_on_a_symlink_loop_is_one_line_naming_it(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for args in (("--encodings", str(loop), "solve", find_case("life_health_split").path),
                 ("--encodings", str(loop), "coverage", str(CASES / "civil"))):
        proc = run(*args)
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr
        assert "cannot resolve the path" in proc.stderr and str(loop) in proc.stderr


@pytest.mark.parametrize(("args", "shown"), [
    (("verify", "--invariant", "no_38_2_without_damage", "--quiet", "--out", "{file}/x"), "--out: {file}/x: "),
    (("test", "{case}", "--junit-xml", "{tmp}/missing/r.xml"), "--junit-xml: {tmp}/missing/r.xml: no such folder"),
    (("diff", "{case}", "--new-view", "b=joint", "--out", "{tmp}/missing/x.jsonl"), "--out: {tmp}/missing/x.jsonl: "),
    (("test", "{case}", "--junit-xml", "{tmp}"), "--junit-xml: {tmp}: is a folder"),
])
def test_a_bad_output_path_fails_before_the_work_naming_the_option(tmp_path, args, shown):
    """An output written at the end (verify's counterexamples, a JUnit report, diff's detail) is
    checked first: the run used to end, after all its work, with 'cannot write the output'."""
    file = tmp_path / "afile"
    file.write_text("")
    fill = {"file": str(file), "tmp": str(tmp_path), "case": find_case("life_health_split").path}
    proc = run(*(a.format(**fill) for a in args))
    assert proc.returncode == 2, proc.stderr
    assert shown.format(**fill) in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", ["explain", "program"])
def test_a_folder_where_one_case_file_is_wanted_is_named_so(command):
    proc = run(command, str(CASES / "civil"))
    assert proc.returncode != 0
    assert "is a folder; expected one case file" in proc.stderr
