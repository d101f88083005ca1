"""`pyreasoner views --lang zh` says every word in Chinese, `--lang en` every word in English (issue 16):
each view's source (view_source/4) and each counterpoint (counterpoint/5) are written in both
languages, like the view's label (view_label/4)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT, english_words


def bare_chinese(text: str) -> list[str]:
    """Chinese of an English text that is neither in parentheses nor in quotation marks (a term after
    its English rendering, a quotation of a paper, a title) nor a docket number such as
    (2018)苏0205民初4746号.

    >>> bare_chinese("the comprehensive-liability view (综合责任说), affirming (2018)苏0205民初4746号")
    []
    >>> bare_chinese("覃玉娟 2025 §2, §5.1")
    ['覃玉娟']
    """
    text = re.sub(r"\(\d{4}\)[\u4e00-\u9fff\d]+号", "", text)
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"\([^()]*\)|“[^“”]*”|'[^']*'", "", text)
    return re.findall(r"[\u4e00-\u9fff]+", text)


def run(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "pyreasoner", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def views_json() -> list[dict]:
    return json.loads(run("views", "--format", "json"))


def test_views_in_chinese_have_no_english_word_outside_identifiers():
    text = run("views", "--lang", "zh")
    assert "出处" in text and "反对意见" in text and "b=joint" in text
    english = {line.strip(): english_words(line) for line in text.splitlines() if english_words(line)}
    assert not english, "English in the Chinese output:\n" + "\n".join(f"{w}: {line}" for line, w in english.items())
    # a reading is called so in Chinese too (it fell back to English)
    assert "[本编码提出的解读，论文正文未表述]" in text


def test_views_in_english_quote_chinese_only_after_its_english_rendering():
    text = run("views", "--lang", "en")
    assert "source: Qin 2025 §3.2.1" in text and "against (Civil Code Art. 178(3)): joint and several" in text
    bare = {line.strip(): bare_chinese(line) for line in text.splitlines() if bare_chinese(line)}
    assert not bare, "untranslated Chinese in the English output:\n" + "\n".join(f"{c}: {line}" for line, c in bare.items())


def _cited(text: str) -> tuple[list[str], list[str]]:
    """The sections and the years a text cites: what a translation must keep."""
    return sorted(re.findall(r"§[\d.–]+\d", text)), sorted(re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text))


def test_every_source_and_counterpoint_is_given_in_both_languages_citing_the_same(views_json, reasoner):
    pairs = []
    for issue in views_json:
        for v in issue["views"]:
            where = f"{issue['id']}={v['id']}"
            pairs.append((where, v["source_zh"], v["source"]))
            pairs += [(f"{where} against {c['provision']}", c["text_zh"], c["text"]) for c in v["counterpoints"]]
    views = [v for issue in reasoner.issues.values() for v in issue.views]
    assert len(pairs) == len(views) + sum(len(v.counterpoints_zh) for v in views) > 30
    for where, zh, en in pairs:
        assert zh and en and zh != en, where
        assert not english_words(zh), (where, zh)
        assert not bare_chinese(en), (where, en)
        assert _cited(zh) == _cited(en), f"{where}: the two languages cite different sections or years"


def test_the_english_reasons_are_the_chinese_ones_in_the_same_order(reasoner):
    joint = reasoner.issues["b"].view("joint")
    assert [p for p, _ in joint.counterpoints] == [p for p, _ in joint.counterpoints_zh] == \
        ["cc_178_3", "ecl_38_2", "ecl_38_2"]
    # Qin 2025 §4.1.1: joint liability only by law or agreement (CC 178(3)); out of proportion; the deleted draft
    for (_, en), (_, zh) in zip(joint.counterpoints, joint.counterpoints_zh, strict=True):
        for en_word, zh_word in (("by extensive interpretation", "扩张解释"), ("disproportionate", "显失比例"),
                                 ("third-reading draft", "三审稿")):
            assert (en_word in en) == (zh_word in zh), (en, zh)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_brief_explanation_names_a_reading_and_its_source_in_the_language_asked(reasoner, lang):
    """explain --brief under a view whose status is `reading` (it failed with KeyError: 'reading')."""
    view = reasoner.issues["b"].view("proportional_joint")
    text = run("explain", "cases/civil/food_platform_no_licence_check.yaml", "--brief",
               "--view", "b=proportional_joint", "--lang", lang)
    line = next(line for line in text.splitlines() if "b=proportional_joint (" in line)
    if lang == "zh":
        assert line.endswith(f"(比例连带责任说（解读）; 本编码提出的解读，论文正文未表述); 出处: {view.source_zh}")
        assert not english_words(line)
    else:
        assert line.endswith(f"; a reading the encoding offers; the paper's text does not state it); source: {view.source}")
        assert not bare_chinese(line)
