"""``--lang zh`` translates every word of the output, not only the citations (#16).

What stays in Latin letters is data, not words: atoms and identifiers (``sold(m,pills,c)``,
``b=proportional``, ``statutes/ecl_38.lp:87``), case ids and command-line options. The test
removes those and asserts that no English word is left.
"""

from __future__ import annotations

import re

import pytest
from pyreasoner.cli import main

from conftest import CASES

#: a character that makes a token data: no English word of running text holds one
_DATA_CHARS = set("_()=/[]|<>+0123456789")
_WORD = re.compile(r"[A-Za-z]{3,}")


def english_words(text: str, allowed: set[str]) -> list[str]:
    words = []
    for token in re.split(r"[\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+", text):
        bare = token.strip(",.:;'\"!?()[]")
        if not bare or _DATA_CHARS & set(bare) or "." in bare or "," in bare or bare.startswith("-"):
            continue
        # an all-capital word is an argument's placeholder (``MIN`` of ``other_offence_term``)
        words += [w for w in _WORD.findall(bare) if w not in allowed and not w.isupper()]
    return words


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
    assert english_words(out, allowed) == []


def test_the_filter_sees_an_untranslated_word():
    """The check above would catch an English word left in running text."""
    assert english_words("案件 x (fixed: b=proportional)", set()) == ["fixed"]
    assert english_words("民事  p  share(m,1,4)  电子商务法第38条第2款", set()) == []
