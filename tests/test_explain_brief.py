"""``explain --brief``: per outcome about ten lines a lawyer reads; ``--full`` keeps the tree."""

from __future__ import annotations

import pytest
from pyreasoner.cli import main

from conftest import find_case

VIEWS = ["--view", "a=civil_only", "--view", "b=proportional"]


def _explain(capsys, *args):
    code = main(["explain", find_case("burden_reversed_in_scope").path, *VIEWS, *args])
    return code, capsys.readouterr().out


def _blocks(text: str) -> list[list[str]]:
    """The lines of each outcome (an outcome line and the indented lines below it)."""
    blocks: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("  outcome("):
            blocks.append([line])
        elif line.startswith("    ") and blocks:
            blocks[-1].append(line)
    return blocks


def test_brief_gives_provision_text_view_source_and_decisive_facts_with_burden(reasoner, capsys):
    code, out = _explain(capsys, "--brief")
    assert code == 0
    blocks = _blocks(out)
    assert [b[0].strip() for b in blocks] == ["outcome(civil,m,share(p,1,2),(ecl_38_2,cc_1172))",
                                              "outcome(civil,p,share(m,1,2),(ecl_38_2,cc_1172))"]
    rb = reasoner.rulebase
    view = rb.issues["b"].view("proportional")
    for block in blocks:
        assert len(block) <= 10, "\n".join(block)
        text = "\n".join(block)
        # the provisions the outcome rests on, each with its text
        assert f"provision: Civil Code Art. 1172: {rb.provisions['cc_1172'].text_en}" in text
        assert f"provision: E-Commerce Law Art. 38(2): {rb.provisions['ecl_38_2'].text_en}" in text
        # the view adopted, its status and its source
        assert f"view: b=proportional ({view.label_en}; named in the paper); source: {view.source}" in text
        # the unknown duty fact within the reversal domains (the qualification review, Qin 2025
        # §5.4.2): the platform bore the burden (reversed, issue c), so it counts as false; the
        # unknown listing monitoring is outside them and decides nothing here
        assert "view: c=reversed" in text
        assert "unknown: reviewed_qualification(p,m); burden of proof: defendant (platform) (duty), so it counts as " \
            "false" in text
        assert "monitored_listing" not in text
        assert "damage(c,g)" in [f.strip(", ") for f in text.split("established: ")[1].split("\n")[0].split(", ")]
    # no rule ids or helper predicates of the derivation
    assert "statutes/" not in out and "open_38_2" not in out


def test_full_is_the_tree_and_the_default(capsys):
    _, default = _explain(capsys)
    _, full = _explain(capsys, "--full")
    _, brief = _explain(capsys, "--brief")
    assert full == default and "└─ " in full and "open_38_2" in full
    assert len(brief.splitlines()) * 3 < len(full.splitlines())


def test_brief_in_chinese(capsys):
    _, out = _explain(capsys, "--brief", "--lang", "zh")
    assert "条文: 民法典第1172条: 二人以上分别实施侵权行为" in out
    assert "真伪不明: reviewed_qualification(p,m); 举证责任：被告（平台）" in out
    assert "provision" not in out and "unknown" not in out


def test_brief_and_full_together_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        _explain(capsys, "--brief", "--full")
    assert exc.value.code == 2
