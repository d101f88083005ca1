"""The lint: the bundled encodings lint clean, and each check finds a deliberately
planted defect at its file and line (on a copy of the encodings)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pyreasoner.cli import main
from pyreasoner.lint import Encodings, lint
from pyreasoner.rulebase import encodings_dir


def test_bundled_encodings_lint_clean():
    findings = lint()
    assert [str(f) for f in findings] == []


@pytest.fixture()
def enc(tmp_path) -> Path:
    root = tmp_path / "encodings"
    shutil.copytree(encodings_dir(), root)
    return root


def _append(path: Path, text: str) -> int:
    """Append text; return the line number of its first line."""
    before = path.read_text(encoding="utf-8")
    if not before.endswith("\n"):
        before += "\n"
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def _statute(root: Path) -> Path:
    return sorted((root / "statutes").glob("*.lp"))[0]


def _view_file(root: Path) -> tuple[Path, str, str]:
    e = Encodings(root / "main.lp")
    for f in sorted((root / "views").rglob("*.lp")):
        v = e.view_of(str(f.resolve()))
        if v:
            return f, v[0], v[1]
    raise AssertionError("no view file")


def _found(root: Path, code: str, file: Path, line: int) -> list[str]:
    return [f.message for f in lint(root / "main.lp")
            if f.code == code and f.file == f"{root.name}/{file.relative_to(root).as_posix()}" and f.line == line]


def test_undefined_body_predicate_is_found(enc):
    f = _statute(enc)
    line = _append(f, "lint_probe(X) :- provision(X, _, _, _, _), lint_probe_tpyo(X).\n#show lint_probe/1.\n")
    msgs = _found(enc, "undefined", f, line)
    assert msgs and "lint_probe_tpyo/1" in msgs[0]


def test_true_of_undeclared_input_is_found(enc):
    f = _statute(enc)
    line = _append(f, "lint_probe(X) :- true(sol(X, _, _)).\n#show lint_probe/1.\n")
    msgs = _found(enc, "undefined", f, line)
    assert msgs and "sol/3" in msgs[0] and "sold" in msgs[0]  # did-you-mean names the input


def test_arity_typo_names_the_defined_arity(enc):
    f = _statute(enc)
    line = _append(f, "lint_probe(X) :- provision(X, _, _, _).\n#show lint_probe/1.\n")
    msgs = _found(enc, "undefined", f, line)
    assert msgs and "arity 5" in msgs[0]


def test_unused_predicate_is_found(enc):
    f = _statute(enc)
    line = _append(f, "lint_unused_probe(X) :- provision(X, _, _, _, _).\n")
    assert _found(enc, "unused", f, line)


def test_unused_input_is_found(enc):
    f = enc / "vocabulary" / "core.lp"
    line = _append(f, 'input(probe_input, 1, "probe", "探针").\narg(probe_input, 1, party, entity).\n'
                      "burden(probe_input, claimant).\n")
    msgs = _found(enc, "unused-input", f, line)
    assert msgs and "probe_input/1" in msgs[0]


def test_rule_group_without_citation_block_is_found(enc):
    f = enc / "statutes" / "zz_probe.lp"
    f.write_text("%% a file with no citation block\nprobe_fact(1).\nprobe(X) :- probe_fact(X).\n#show probe/1.\n",
                 encoding="utf-8")
    _append(enc / "main.lp", '#include "statutes/zz_probe.lp".\n')
    assert _found(enc, "citation", f, 2) and _found(enc, "citation", f, 3)


def test_citation_block_without_deviation_or_provision_is_found(enc):
    f = enc / "statutes" / "zz_probe.lp"
    f.write_text("%% [zz_probe_1] 探针法 第一条 / Probe Law Art. 1\n%% Reading: a probe.\n"
                 "probe_fact(1).\n#show probe_fact/1.\n", encoding="utf-8")
    _append(enc / "main.lp", '#include "statutes/zz_probe.lp".\n')
    msgs = _found(enc, "citation", f, 1)
    assert any("Deviation" in m for m in msgs) and any("provision(zz_probe_1" in m for m in msgs)


def test_unguarded_view_rule_is_found(enc):
    f, issue, view = _view_file(enc)
    line = _append(f, "lint_probe(X) :- provision(X, _, _, _, _).\n#show lint_probe/1.\n")
    msgs = _found(enc, "view-guard", f, line)
    assert msgs and f"adopt({issue}, {view})" in msgs[0]
    guarded = _append(f, f"lint_probe2(X) :- adopt({issue}, {view}), provision(X, _, _, _, _).\n#show lint_probe2/1.\n")
    assert not _found(enc, "view-guard", f, guarded)


def test_statute_file_referring_to_views_is_found(enc):
    f = _statute(enc)
    line = _append(f, "lint_probe(I) :- adopt(I, _).\n#show lint_probe/1.\n")
    msgs = _found(enc, "statute-view", f, line)
    assert msgs and "adopt/2" in msgs[0]


def test_number_in_rule_body_is_found(enc):
    f = _statute(enc)
    line = _append(f, "lint_probe(X) :- provision(X, _, _, _, _), 20151101 > 0, 1 > 0.\n#show lint_probe/1.\n")
    msgs = _found(enc, "number", f, line)
    assert len(msgs) == 1 and "20151101" in msgs[0]  # 0 and 1 are allowed


def test_true_ordinary_of_a_non_duty_fact_is_found(enc):
    """true_ordinary/1 is derived for duty facts only: reading it of a claimant fact (sold/3)
    would find an established sale false; of a duty fact it is fine."""
    f = _statute(enc)
    line = _append(f, "lint_probe(X) :- provision(X, _, _, _, _), true_ordinary(sold(X, _, _)).\n"
                      "lint_probe(X) :- provision(X, _, _, _, _), true_ordinary(reviewed_qualification(X, _)).\n"
                      "#show lint_probe/1.\n")
    msgs = _found(enc, "ordinary-read", f, line)
    assert len(msgs) == 1 and "claimant" in msgs[0] and "read true(sold(X,_,_))" in msgs[0]
    assert _found(enc, "ordinary-read", f, line + 1) == []


def test_file_not_included_is_found_but_invariants_are_exempt(enc):
    orphan = enc / "statutes" / "zz_orphan.lp"
    orphan.write_text("%% nothing\n", encoding="utf-8")
    assert _found(enc, "not-included", orphan, 1)
    assert not [f for f in lint(enc / "main.lp") if f.code == "not-included" and "invariants" in f.file]


def test_cli_exit_code_and_output(enc, capsys):
    f = _statute(enc)
    line = _append(f, "lint_probe(X) :- provision(X, _, _, _, _), lint_probe_tpyo(X).\n#show lint_probe/1.\n")
    assert main(["--encodings", str(enc), "lint"]) == 1
    out = capsys.readouterr().out
    assert f"{line}: undefined: lint_probe_tpyo/1" in out


def test_non_utf8_bytes_are_a_finding_at_their_line_not_a_traceback(enc, capsys):
    """A comment saved in another encoding (GBK, say) is reported at its file and line;
    the includes after it are still followed (no file is then called not-included)."""
    f = _statute(enc)
    line = _append(f, "% placeholder\n")
    data = f.read_bytes().replace(b"% placeholder", "% 平台责任".encode("gbk"))
    f.write_bytes(data)
    msgs = _found(enc, "syntax", f, line)
    assert msgs and "not UTF-8" in msgs[0]
    # the one finding: the includes after it are followed, the file's citations still read
    assert [(x.code, x.line) for x in lint(enc / "main.lp")] == [("syntax", line)]
    assert main(["--encodings", str(enc), "lint"]) == 1
    out = capsys.readouterr().out
    assert f"{line}: syntax:" in out and "Traceback" not in out


def test_non_utf8_master_still_follows_its_includes(enc):
    master = enc / "main.lp"
    master.write_bytes(master.read_bytes() + "% 平台责任\n".encode("gbk"))
    findings = lint(master)
    assert [x.code for x in findings] == ["syntax"]


def test_non_utf8_bytes_in_a_statement_that_does_not_parse_are_a_finding(enc):
    """Bytes that are not UTF-8 inside a statement with a syntax error: clingo's message
    quotes them and its Python API aborts the whole process decoding it ("PANIC"). lint
    reports the bytes at their line, in a process that lives; solving says the same."""
    import subprocess
    import sys

    f = _statute(enc)
    line = _append(f, "lint_probe :- placeholder.\n")
    f.write_bytes(f.read_bytes().replace(b"placeholder", "平台责任".encode("gbk")))
    out = subprocess.run([sys.executable, "-m", "pyreasoner", "--encodings", str(enc), "lint"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr
    assert f"{f.name}:{line}: syntax: does not parse: byte 0xd4 is not UTF-8" in out.stdout
    assert "PANIC" not in out.stderr and "Traceback" not in out.stderr
    case = Path(__file__).resolve().parent.parent / "cases" / "civil" / "both_intentional.yaml"
    out = subprocess.run([sys.executable, "-m", "pyreasoner", "--encodings", str(enc), "solve", str(case)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "Traceback" not in out.stderr and "PANIC" not in out.stderr
    assert f"{f.name}: line {line}: byte 0xd4 is not UTF-8" in out.stderr


@pytest.mark.parametrize(("file", "text", "says"), [
    ("views/b_form/joint.lp", "view_status(b, joint, own).\n", "view_status(b, joint, …) is declared again"),
    ("statutes/cc_1260.lp", "param(cc_in_force, 20200101, cc_1260).\n", "param(cc_in_force, …) is declared again"),
    ("vocabulary/civil.lp", "arg(sold, 1, merchant, wrongtype).\n", "arg(sold, 1, …) is declared again"),
])
def test_declaration_declared_twice_with_other_values(enc, file, text, says):
    """Lint was clean while the Python layer silently used one of two view statuses or params
    (robustness audit); a second declaration with other values is now a finding at its line."""
    line = _append(enc / file, text)
    found = [f for f in lint(enc / "main.lp") if f.code == "declaration"]
    assert any(f.line == line and says in f.message for f in found), [str(f) for f in found]


def test_declaration_a_rule_base_that_does_not_load_is_a_finding(enc):
    """An unknown argument type made every command but lint fail."""
    _append(enc / "vocabulary" / "civil.lp", "arg(wrong_typed, 1, merchant, wrongtype).\n")
    found = [f for f in lint(enc / "main.lp") if f.code == "declaration"]
    assert any("does not load" in f.message and "unknown type 'wrongtype'" in f.message for f in found)
