"""Hostile input (issue 14): every kind of bad case file gives its one-line message, pinned
in ``tests/hostile_expected.json``, through the Python API, ``solve``, ``batch``, ``check``
and ``explain``, and never a traceback.

The inputs are listed (and partly drawn from the vocabulary) in ``tests/hostile_inputs.py``.
To re-pin after a deliberate change of wording: ``PYREASONER_REPIN=1 python -m pytest
tests/test_hostile.py -k pinned`` and review the diff of ``tests/hostile_expected.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pyreasoner import CaseError
from pyreasoner.batch import BatchConfig, ChunkSolver, run_batch
from pyreasoner.case import Case, Fact
from pyreasoner.cli import _parser, main
from pyreasoner.errors import PyreasonerError

from hostile_inputs import bad_inputs, bad_lines

EXPECTED_FILE = Path(__file__).resolve().parent / "hostile_expected.json"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, reasoner) -> tuple[Path, dict[str, Path]]:
    """Every bad input written to one folder; name -> path."""
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, filename, content in bad_inputs(reasoner.vocabulary):
        path = folder / filename
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        paths[name] = path
    return folder, paths


@pytest.fixture(scope="module")
def expected() -> dict[str, str]:
    return json.loads(EXPECTED_FILE.read_text(encoding="utf-8")) if EXPECTED_FILE.exists() else {}


def _message(exc: Exception, path: Path) -> str:
    text = str(exc)
    assert text.startswith(f"{path}: "), text
    return text[len(str(path)) + 2:]


def test_at_least_150_kinds_of_bad_input(reasoner):
    assert len(bad_inputs(reasoner.vocabulary)) + len(bad_lines()) >= 150


def test_every_bad_input_gives_its_pinned_one_line_message(corpus, expected, reasoner):
    _, paths = corpus
    got = {}
    for name, path in paths.items():
        with pytest.raises(CaseError) as info:
            reasoner.load(path)
        got[name] = _message(info.value, path)
        assert "\n" not in str(info.value) and len(str(info.value)) < 3 * 1000 + len(str(path)) + 20
    lines = {}
    solver = ChunkSolver(BatchConfig(), reasoner)
    for name, filename, content in bad_lines():
        lines[name] = _batch_line_message(solver, filename, content)
    got.update(lines)
    if os.environ.get("PYREASONER_REPIN"):
        EXPECTED_FILE.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                 encoding="utf-8")
    assert got == expected


def _batch_line_message(solver, filename: str, content: str | bytes) -> str:
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    item = (0, "line", text.rstrip("\n"), f"{filename}:1")
    [(record, timing)] = solver.solve_chunk([item])
    error = json.loads(record)["error"]
    assert error["kind"] == "invalid" and timing["status"] == "invalid"
    assert error["message"].startswith(f"{filename}: ")
    return error["message"][len(filename) + 2:]


def test_solve_prints_one_line_per_bad_file_and_no_traceback(corpus, expected, capsys):
    folder, paths = corpus
    assert main(["solve", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    lines = err.splitlines()
    assert sorted(lines) == sorted(f"pyreasoner: error: {p}: {expected[n]}" for n, p in paths.items())


def test_check_reports_every_bad_file(corpus, expected, capsys):
    folder, paths = corpus
    for extra in ([], ["--validate-only"]):
        assert main(["check", str(folder), *extra]) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert sorted(err.splitlines()) == sorted(f"pyreasoner: error: {p}: {expected[n]}" for n, p in paths.items())


def test_batch_gives_an_invalid_record_per_bad_file(corpus, expected, tmp_path):
    folder, paths = corpus
    out = tmp_path / "r.jsonl"
    stats = run_batch(folder, out, workers=0)
    assert stats.cases == len(paths) and dict(stats.kinds) == {"invalid": len(paths)}
    by_source = {json.loads(line)["source"]: json.loads(line)["error"] for line in out.read_text("utf-8").splitlines()}
    for name, path in paths.items():
        assert by_source[str(path)] == {"kind": "invalid", "message": f"{path}: {expected[name]}"}, name


def test_explain_refuses_every_bad_file_in_one_line(corpus, expected, reasoner, capsys, monkeypatch):
    _, paths = corpus
    # the command builds its Reasoner; here it gets the one already built (as before the CLI layer)
    monkeypatch.setattr("pyreasoner.cli.explain.make_reasoner", lambda args: reasoner)
    for name, path in paths.items():
        args = _parser().parse_args(["explain", str(path)])
        with pytest.raises(PyreasonerError) as info:
            args.run(args)
        assert str(info.value) == f"{path}: {expected[name]}", name


def test_the_python_api_refuses_bad_facts_in_one_line(reasoner):
    """A case built in Python is checked like a file: negative counts, wrong entity kinds,
    Chinese names accepted."""
    def case(*facts):
        return Case(id="api", facts=tuple(Fact(predicate=p, args=a, status="established") for p, a in facts))

    with pytest.raises(CaseError, match=r"^<case api>: facts\[0\]: argument 2 \(weight\) of 'causal_weight' must be a "
                                        r"whole number \(>= 0\)"):
        reasoner.solve(case(("causal_weight", ("p", -30))))
    with pytest.raises(CaseError, match=r"^<case api>: facts\[2\]: argument 2 \(platform\) of 'on_platform' must be "
                                        r"a platform, but 'c' is declared a consumer"):
        reasoner.solve(case(("party", ("c", "consumer")), ("party", ("m", "merchant")), ("on_platform", ("m", "c"))))
    # the failed review is stated (refuted): a duty the case is silent on is no proven breach
    chinese = case(("party", ("淘宝", "platform")), ("party", ("天猫店", "merchant")),
                   ("party", ("c", "consumer")), ("on_platform", ("天猫店", "淘宝")),
                   ("sold", ("天猫店", "g", "c")), ("concerns_life_health", ("g",)), ("damage", ("c", "g")),
                   ("caused_damage", ("淘宝", "c", "g")))
    chinese = Case(id="api", facts=chinese.facts + (Fact(predicate="reviewed_qualification", args=("淘宝", "天猫店"),
                                                          status="refuted"),))
    result = reasoner.solve(chinese, views={"b": "joint", "a": "civil_only"}, include_rejected=True)
    assert [o.atom for o in result.in_all] == ['outcome(civil,"淘宝",joint_several("天猫店"),(ecl_38_2,cc_1168))']


# ---------------------------------------------------------------- files that are no case files
def test_fifos_devices_and_link_loops_in_a_case_folder_neither_hang_nor_vanish(tmp_path, reasoner, capsys):
    folder = tmp_path / "cases"
    (folder / "sub").mkdir(parents=True)
    good = folder / "a.yaml"
    good.write_text("id: a\nfacts:\n  established:\n    - party(p, platform)\n", encoding="utf-8")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "zero.json").symlink_to("/dev/zero")
    (folder / "loop.lp").symlink_to("loop.lp")
    (folder / "sub" / "up").symlink_to("..")  # a folder loop: not followed
    expected = {
        folder / "fifo.yaml": "not a regular file (a folder, FIFO, socket or device); expected a case file",
        folder / "zero.json": "not a regular file (a folder, FIFO, socket or device); expected a case file",
        folder / "loop.lp": "cannot read: Too many levels of symbolic links",
    }
    assert main(["solve", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert "case a: 1 answer" in out
    assert sorted(err.splitlines()) == sorted(f"pyreasoner: error: {p}: {m}" for p, m in expected.items())
    stats = run_batch(folder, tmp_path / "r.jsonl", workers=0)
    records = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
    assert stats.cases == 4 and dict(stats.kinds) == {"invalid": 3}
    assert {r["source"]: r["error"]["message"] for r in records if "error" in r} == {
        str(p): f"{p}: {m}" for p, m in expected.items()}


def test_an_empty_folder_or_file_is_reported_not_solved_as_nothing(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a case")
    assert main(["solve", str(empty)]) == 1
    assert capsys.readouterr().err == f"pyreasoner: error: {empty}: no case files (.yaml, .yml, .json, .lp) in this folder\n"
    assert main(["batch", str(empty), "--out", str(tmp_path / "r.jsonl")]) == 2
    assert "no cases: no case files" in capsys.readouterr().err
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n")
    assert main(["batch", str(blank), "--out", str(tmp_path / "r.jsonl")]) == 2
    assert capsys.readouterr().err == f"pyreasoner: error: {blank}: no cases: the file holds no case\n"


# ---------------------------------------------------------------- options and outputs
@pytest.mark.parametrize("value", ["inf", "nan", "1e10", "0", "-1", "86401"])
def test_timeout_must_be_finite_positive_and_sane(tmp_path, capsys, value):
    case = tmp_path / "c.jsonl"
    case.write_text('{"id": "a", "facts": {"established": ["party(p, platform)"]}}\n')
    assert main(["batch", str(case), "--out", str(tmp_path / "r.jsonl"), "--timeout", value]) == 2
    assert capsys.readouterr().err.startswith(f"pyreasoner: error: --timeout: {float(value)}: expected a number of "
                                              "seconds above 0 and at most 86400")


def test_control_characters_in_options_are_escaped(tmp_path, capsys):
    case = tmp_path / "c.json"
    case.write_text('{"id": "a", "facts": {"established": ["party(p, platform)"]}}\n')
    assert main(["solve", str(case), "--view", "b=\x1b[2Jjoint"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[2Jjoint" in err and err.count("\n") == 1


def test_bad_output_paths_are_one_line_errors(tmp_path, capsys):
    import subprocess
    import sys

    case = tmp_path / "c.jsonl"
    case.write_text('{"id": "a", "facts": {"established": ["party(p, platform)"]}}\n')
    missing = tmp_path / "missing" / "x"
    assert main(["generate", "--n", "2", "--seed", "1", "--out", f"{missing}.jsonl"]) == 2
    assert capsys.readouterr().err == (f"pyreasoner: error: --out: {missing}.jsonl: cannot write: No such file or "
                                       "directory\n")
    assert main(["batch", str(case), "--out", f"{missing}.jsonl"]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["batch", str(case), "--out", str(tmp_path)]) == 2
    assert "is a folder; expected a file" in capsys.readouterr().err
    results = tmp_path / "r.jsonl"
    assert main(["batch", str(case), "--out", str(results), "--workers", "0"]) == 0
    capsys.readouterr()
    pytest.importorskip("matplotlib")
    assert main(["summary", str(results), "--plot", f"{missing}.png"]) == 2
    # checked before the statistics are computed (pyreasoner.cli._check_outputs)
    assert capsys.readouterr().err.endswith(f"--plot: {missing}.png: no such folder '{missing.parent}'\n")
    if Path("/dev/full").exists():
        for cmd in (["solve", str(case.parent)], ["explain", str(tmp_path / "a.yaml")]):
            (tmp_path / "a.yaml").write_text("id: a\nfacts:\n  established:\n    - party(p, platform)\n")
            with open("/dev/full", "w") as full:
                done = subprocess.run([sys.executable, "-m", "pyreasoner", *cmd], stdout=full, stderr=subprocess.PIPE,
                                      text=True, timeout=120, check=False)
            assert done.returncode == 1 and "Traceback" not in done.stderr and "Exception" not in done.stderr
            assert done.stderr == "pyreasoner: error: cannot write the output: No space left on device\n"


# ---------------------------------------------------------------- limits on enumeration
@pytest.fixture(scope="module")
def many_unknowns(reasoner) -> Case:
    """A claim with eleven unknown facts: --explore gives 2^11 completions per view."""
    vocab = reasoner.vocabulary
    established = [("party", ("p", "platform")), ("party", ("m", "merchant")), ("party", ("c", "consumer")),
                   ("on_platform", ("m", "p")), ("sold", ("m", "g", "c")), ("damage", ("c", "g"))]
    unknown = [(p.name, ("g",)) for p in vocab.values() if p.arity == 1 and p.arguments[0].role == "goods"][:4]
    unknown += [(p.name, ("p", "m")) for p in vocab.values()
                if p.arity == 2 and [a.role for a in p.arguments] == ["platform", "merchant"]][:8]
    unknown += [(p.name, ("p",)) for p in vocab.values() if p.arity == 1 and p.arguments[0].role == "platform"][:8]
    facts = [Fact(predicate=n, args=a, status="established") for n, a in established]
    facts += [Fact(predicate=n, args=a, status="unknown") for n, a in unknown]
    assert len(unknown) >= 10
    return Case(id="many_unknowns", facts=tuple(facts))


def test_explore_stops_at_the_limit_on_answers_and_says_so(reasoner, many_unknowns, capsys, tmp_path):
    from pyreasoner.reasoner import MAX_ANSWERS

    result = reasoner.solve(many_unknowns, explore=True)
    assert result.cut == "answers" and len(result.answers) == MAX_ANSWERS
    assert result.to_json()["cut"] == "answers"
    small = reasoner.solve(many_unknowns, explore=True, max_answers=5)
    assert small.cut == "answers" and len(small.answers) == 5
    whole = reasoner.solve(many_unknowns)  # without --explore: few answers, nothing cut
    assert whole.cut is None and "cut" not in whole.to_json() and len(whole.answers) < 50
    path = tmp_path / "many.lp"
    path.write_text("".join(f"{f.atom}.\n" if f.status == "established" else f"unknown({f.atom}).\n"
                            for f in many_unknowns.facts))
    assert main(["solve", str(path), "--explore", "--max-answers", "7"]) == 0
    out = capsys.readouterr().out
    assert "answer 7 [" in out and "answer 8 [" not in out
    assert out.rstrip().endswith("CUT SHORT by the limit on answers (--max-answers): these are 7 of more answers, "
                                 "and 'in every answer' holds for these only")


def test_the_time_limit_gives_the_answers_found_or_a_one_line_error(reasoner, many_unknowns):
    try:
        result = reasoner.solve(many_unknowns, explore=True, time_limit=0.02, max_answers=None)
    except CaseError as exc:
        assert str(exc) == "<case many_unknowns>: no answer within the time limit of 0.02 s (--time-limit)"
    else:
        assert result.cut == "time" and 0 < len(result.answers) < 2 ** 11


@pytest.mark.parametrize("option,value", [("time_limit", 0), ("time_limit", float("nan")),
                                          ("time_limit", float("inf")), ("max_answers", 0), ("max_answers", 1.5)])
def test_bad_limits_are_usage_errors(reasoner, many_unknowns, option, value):
    from pyreasoner.errors import UsageError

    with pytest.raises(UsageError, match=f"^{option}: "):
        reasoner.solve(many_unknowns, **{option: value})
