"""``--lang zh`` translates every word of the output, not only the citations (#16).

What stays in Latin letters is data, not words: atoms and identifiers (``sold(m,pills,c)``,
``b=proportional``, ``statutes/ecl_38.lp:87``), case ids and command-line options. The test
removes those and asserts that no English word is left.
"""

from __future__ import annotations

import re

import pytest
from pyreasoner.cli import main

from conftest import CASES, english_words

CASE = CASES / "civil" / "both_intentional.yaml"
CRIMINAL = CASES / "criminal" / "kuaibo_as_decided.yaml"


@pytest.mark.parametrize("argv", [
    ["solve", str(CASE)],
    ["solve", str(CRIMINAL)],
    ["views"],
    ["vocab"],
    ["explain", str(CASE), "--brief", "--view", "b=proportional"],
    ["explain", str(CASE), "--full", "--view", "b=proportional"],
], ids=lambda a: " ".join(x if "/" not in x else x.rsplit("/", 1)[1] for x in a))
def test_zh_output_has_no_english_word(argv, capsys, reasoner):
    assert main([*argv, "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"[\u4e00-\u9fff]", out)
    # a party the case names is data; so are the vocabulary's identifiers that a case file
    # writes (argument roles and the values of a set), which `vocab` lists as they are written
    allowed = {"pills", "kuaibo"}
    if argv[0] == "vocab":
        for pred in reasoner.vocabulary.values():
            for arg in pred.arguments:
                allowed |= {arg.role, arg.role.upper(), *map(str, arg.values or ())}
    assert english_words(out, allowed, options=True, placeholders=argv[0] == "vocab") == []


def test_the_filter_sees_an_untranslated_word():
    """The check above would catch an English word left in running text."""
    assert english_words("案件 x (fixed: b=proportional)") == ["fixed"]
    assert english_words("民事  p  share(m,1,4)  电子商务法第38条第2款") == []
    assert english_words("b=proportional_joint  按份责任说  [论文提及的观点]") == []
    assert english_words("覃玉娟 2025 §2 (“综合责任说”, not attributed to an author)") == ["not", "attributed", "author"]
    # options and placeholders are data only where the caller says so
    assert english_words("见 --full 与 MIN") == ["--full", "MIN"]
    assert english_words("见 --full 与 MIN", options=True, placeholders=True) == []
