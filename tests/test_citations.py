"""One reader of citation blocks (pyreasoner.citations) for lint and explain: they agree on
the block of every rule, and a block's Deviation line is read the same way by both."""

from __future__ import annotations

from pathlib import Path

from pyreasoner import Reasoner, _engine, citations
from pyreasoner.explain.rules import _Meta
from pyreasoner.lint import Encodings, lint


def test_lint_and_explain_give_every_rule_the_same_provision() -> None:
    reasoner = Reasoner()
    meta = _Meta(_engine.rule_table(reasoner.rulebase.program))
    enc = Encodings()
    root = Path(reasoner.rulebase.master).resolve().parent
    checked = 0
    for info in meta.infos:
        group = enc.groups.get((str(root / info.file), info.line))
        if group is None or not group.startswith("provision:"):
            continue
        assert info.provision == group.removeprefix("provision:"), info.id
        checked += 1
    assert checked > 500  # the statute files' rules, not a handful


def test_a_block_is_read_alike_by_both(tmp_path: Path) -> None:
    master = tmp_path / "main.lp"
    statutes = tmp_path / "statutes"
    statutes.mkdir()
    (statutes / "x_1.lp").write_text(
        "%% [x_1] 某法 第一条 / Some Law Art. 1\n"
        "% an ordinary comment inside the block\n"
        "%% Reading: holds\n"
        "%% Deviation: the rule reads the article\n"
        "%%   narrowly\n"
        "provision(x_1, \"某法\", \"Some Law\", \"1\", \"\").\n"
        "a(1) :- provision(x_1, _).\n", encoding="utf-8")
    master.write_text('#include "statutes/x_1.lp".\n#show a/1.\n', encoding="utf-8")
    blocks, _ = citations.read_file(statutes / "x_1.lp")
    assert [(b.provision, b.line, b.cited, b.deviation) for b in blocks] == \
        [("x_1", 1, True, "the rule reads the article narrowly")]
    assert [f for f in lint(master) if f.code == "citation"] == []
    # without its Deviation line the same block is a finding
    text = (statutes / "x_1.lp").read_text(encoding="utf-8").replace("%% Deviation", "%% Note")
    (statutes / "x_1.lp").write_text(text, encoding="utf-8")
    assert [f.message for f in lint(master) if f.code == "citation"] == \
        ["citation block [x_1] lacks its '%% Deviation:' line"]
    assert citations.read_file(statutes / "x_1.lp")[0][0].deviation == ""
