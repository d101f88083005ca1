"""``--lang zh`` on ``pyreasoner test`` and ``pyreasoner diff``: the words they print (the
label of each test, the closing line, diff's headings and marks) are Chinese; what stays in
Latin letters is data: case ids, view selections, atoms, paths (see ``test_lang.py``)."""

from __future__ import annotations

import re

from pyreasoner.cli import main

from conftest import CASES, english_words

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_test_in_chinese(capsys):
    assert main(["test", str(CASES / "civil" / "both_intentional.yaml"), str(CASES / "criminal"), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert all(line.startswith("通过 ") for line in lines[:-1])
    assert re.fullmatch(r"\d+ 项通过，0 项失败", lines[-1])
    assert "PASS" not in out and "passed" not in out
    assert english_words(out) == []


def test_test_in_chinese_names_failures_and_expected_failures(capsys, tmp_path):
    """A failing expectation and an expected failure get their Chinese labels, and the
    closing line counts them in Chinese; the failures' own text (from the case file and the
    expectation's check) is not part of the word table."""
    case = tmp_path / "wrong_count.yaml"
    case.write_text("id: wrong_count\nfacts: []\nexpect:\n  - count: 2\n", encoding="utf-8")
    xfail = CASES / "judgments" / "he_v_huajiao_bic_2019.yaml"
    assert main(["test", str(case), str(xfail), "--lang", "zh"]) == 1
    out = capsys.readouterr().out
    heads = [line for line in out.splitlines() if not line.startswith(" ")]
    assert heads[0].startswith("失败 wrong_count[")
    assert any(h.startswith("预期失败 he_v_huajiao_bic_2019[") for h in heads)
    assert "     预期失败的原因: " in out
    assert heads[-1] == "1 项通过，1 项失败，1 项预期失败"
    assert english_words("\n".join(heads)) == []


def test_test_in_english_is_unchanged(capsys):
    assert main(["test", str(CASES / "civil" / "both_intentional.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PASS both_intentional[") and re.search(r"^\d+ passed, 0 failed$", out, re.M)


def test_diff_in_chinese(capsys):
    argv = ["diff", str(CASES / "civil"), "--old-view", "b=joint", "--new-view", "b=proportional"]
    assert main([*argv, "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert CJK.search(out)
    for heading in ("按条文", "按观点", "案件：", "个结论有变化", "（固定 b=joint）", "电子商务法第38条第2款"):
        assert heading in out, heading
    assert "by provision" not in out and "read with" not in out
    # the rule base is named by its folder, `encodings`: a path, not a word
    assert english_words(out, {"encodings"}, options=True) == []
    # the same report in English names the same cases and atoms
    assert main(argv) == 0
    en = capsys.readouterr().out
    assert "by provision (cases where an outcome on it appears or vanishes):" in en
    atoms = re.compile(r"[-+] (outcome\(\S+\))")
    assert atoms.findall(out) == atoms.findall(en)
