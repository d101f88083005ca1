"""Explanations (issue 7): derivation trees, why-not, contrast, relevance, formats.

Two kinds of test:

* on a small rule base written here (``mini``), built on the conventions of
  docs/encodings.md, where the expected reasons are known exactly and where a rule
  can be changed to show that the explanation follows the rules (one source of truth);
* on every bundled case, properties any correct explanation has whatever the rule
  base grows into: trees are sound against the answer sets, rest on the provisions
  of the outcome's basis, reach case facts with their true status, and the shadow
  rules change no answer set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyreasoner import Reasoner, _engine
from pyreasoner.case import Case, Fact, find_case_files, load_case
from pyreasoner.cli import main
from pyreasoner.explain import (
    contrast,
    explain,
    explain_all,
    explanation_json,
    relevance,
    render_relevance,
    render_text,
)
from pyreasoner.query import Query, canonical

from conftest import CASES

# ------------------------------------------------------------- a mini rule base
PROLOGUE = """\
%% Prologue (the conventions of docs/encodings.md, in small).
#external explore.
#external allow_rejected.
true(F) :- established(F).
counts_true(F) :- unknown(F), fact_pred(F, P), burden(P, duty), not burden_reversed(F), not explore.
true(F) :- counts_true(F).
burden_bearer(F, defendant) :- unknown(F), fact_pred(F, P), burden(P, duty), burden_reversed(F), not explore.
burden_bearer(F, claimant) :- unknown(F), fact_pred(F, P), burden(P, duty), not burden_reversed(F), not explore.
burden_bearer(F, B) :- unknown(F), fact_pred(F, P), burden(P, B), B != duty, not explore.
{ true(F) } :- unknown(F), explore.
completion(F, proven)   :- unknown(F), explore, true(F).
completion(F, unproven) :- unknown(F), explore, not true(F).
1 { adopt(I, V) : view(I, V) } 1 :- raised(I).
:- adopt(I, V), view_status(I, V, rejected), not allow_rejected.
displaced(Q, P, M) :- applies(P, M), applies(Q, M), overrides(P, Q).
outcome(K, X, F, B) :- concludes(B, M, K, X, F), main_provision(B, Q), not displaced(Q, _, M).
main_provision(B, B) :- concludes(B, _, _, _, _), provision(B, _, _, _, _).
#defined burden_reversed/1.
#defined overrides/2.
#defined param/3.
#defined counterpoint/5.
value_set(role, "role", "身份").
value(role, platform).
value(role, consumer).
input(party, 2, "X has role R", "X 的身份为 R").
arg(party, 1, party, entity).
arg(party, 2, role, set(role)).
burden(party, claimant).
input(sold, 2, "platform P sold goods G", "平台 P 销售商品 G").
arg(sold, 1, platform, entity).
arg(sold, 2, goods, entity).
burden(sold, claimant).
input(checked, 2, "platform P checked goods G", "平台 P 检查了商品 G").
arg(checked, 1, platform, entity).
arg(checked, 2, goods, entity).
burden(checked, duty).
input(harm, 1, "goods G caused harm", "商品 G 致害").
arg(harm, 1, goods, entity).
burden(harm, claimant).
input(prima_facie, 1, "the consumer made a prima facie showing about G", "消费者就 G 初步举证").
arg(prima_facie, 1, goods, entity).
burden(prima_facie, claimant).
input(colour, 1, "G is red", "G 是红色").
arg(colour, 1, goods, entity).
burden(colour, claimant).
#show.
#show outcome/4.
#show adopt/2.
#show completion/2.
"""

LAW = """\
%% [tl_1] 测试法 第一条 / Test Law Art. 1
%% Reading: a platform that did not check goods that caused harm is liable.
%% Deviation: none.
provision(tl_1, "测试法", "Test Law", "1", "").
provision_text(tl_1, "平台未检查商品致害的，承担责任。", "A platform that did not check goods that caused harm is liable.").

unchecked(P, G) :- true(sold(P, G)), true(party(P, platform)), not true(checked(P, G)).
applies(tl_1, m(P, G)) :- unchecked(P, G), true(harm(G)).
raised(f) :- applies(tl_1, _).
concludes(tl_1, K, civil, P, full) :- form_full(K), K = m(P, _).
concludes(tl_1, K, civil, P, half) :- form_half(K), K = m(P, _).

%% [tl_2] 测试法 第二条 / Test Law Art. 2
%% Reading: after a prima facie showing the burden of the check may be reversed (Issue c).
%% Deviation: none.
provision(tl_2, "测试法", "Test Law", "2", "").
provision_text(tl_2, "消费者初步举证的，由平台证明其已尽检查义务。", "After a prima facie showing, the platform must prove it checked.").
raised(c) :- true(prima_facie(_)).
"""

VIEWS = """\
%% Issue f (form), Issue c (burden); test views.
issue(f, "责任形态", "form of liability").
view(f, full).
view_label(f, full, "全部责任说", "full liability").
view_status(f, full, named).
view_source(f, full, "测试", "test").
view(f, half).
view_label(f, half, "一半责任说", "half liability").
view_status(f, half, own).
view_source(f, half, "测试", "test").
form_full(K) :- adopt(f, full), applies(tl_1, K).
form_half(K) :- adopt(f, half), applies(tl_1, K).
issue(c, "举证责任", "burden of proof").
view(c, ordinary).
view_label(c, ordinary, "谁主张谁举证", "ordinary").
view_status(c, ordinary, named).
view_source(c, ordinary, "测试", "test").
view(c, reversed).
view_label(c, reversed, "举证责任倒置", "reversed").
view_status(c, reversed, own).
view_source(c, reversed, "测试", "test").
burden_reversed(checked(P, G)) :- adopt(c, reversed), true(prima_facie(G)), unknown(checked(P, G)).
"""


def _write(root: Path, law: str = LAW) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "prologue.lp").write_text(PROLOGUE, encoding="utf-8")
    (root / "law.lp").write_text(law, encoding="utf-8")
    (root / "views.lp").write_text(VIEWS, encoding="utf-8")
    (root / "main.lp").write_text('#include "prologue.lp".\n#include "law.lp".\n#include "views.lp".\n',
                                  encoding="utf-8")
    return root / "main.lp"


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> Reasoner:
    return Reasoner(_write(tmp_path_factory.mktemp("mini")))


def _case(**by_status) -> Case:
    facts = []
    for status, atoms in by_status.items():
        for pred, args in atoms:
            facts.append(Fact(predicate=pred, args=args, status=status))
    return Case(id="t", facts=tuple(facts))


BASE = [("party", ("p", "platform")), ("sold", ("p", "g")), ("harm", ("g",))]


def _facts(node):
    return {n.atom: n for n in node.walk() if n.kind == "fact"}


# ------------------------------------------------------------------ why
def test_tree_goes_from_outcome_through_cited_rules_to_facts(mini):
    ex = explain(mini, _case(established=BASE, refuted=[("checked", ("p", "g"))]), views={"f": "full"})
    (ans,) = ex.answers
    (e,) = ans.explanations
    assert e.target == "outcome(civil,p,full,tl_1)" and e.holds
    tree = e.tree
    # the basis and the citation block of every rule used: tl_1, never tl_2
    assert tree.provisions_cited() == tree.grounds() == {"tl_1"}
    # the rule that decided the form is the view's, located in views.lp with the view named
    view_nodes = [n for n in tree.walk() if n.rule and n.rule.view]
    assert [(n.atom, n.rule.view, n.rule.file) for n in view_nodes] == [("form_full(m(p,g))", ("f", "full"), "views.lp")]
    # the refuted duty is where liability comes from: a negative condition, refuted, counted false
    facts = _facts(tree)
    assert facts["checked(p,g)"].status == "refuted" and facts["checked(p,g)"].counted is False
    assert facts["harm(g)"].status == "established" and facts["harm(g)"].counted is True
    # rules are known by file:line, the line of the rule in law.lp
    unchecked = next(n for n in tree.walk() if n.atom == "unchecked(p,g)")
    assert unchecked.rule.id == "law.lp:7" and unchecked.rule.provision == "tl_1"
    assert unchecked.rule.deviation == "none."  # the citation block's Deviation line travels with the rule


def test_unknown_duty_fact_names_the_burden_and_who_bore_it(mini):
    case = _case(established=BASE + [("prima_facie", ("g",))], unknown=[("checked", ("p", "g"))])
    ex = explain(mini, case, views={"f": "full", "c": "reversed"})
    (ans,) = ex.answers
    (e,) = ans.explanations
    leaf = _facts(e.tree)["checked(p,g)"]
    assert (leaf.status, leaf.burden, leaf.bearer, leaf.counted) == ("unknown", "duty", "defendant", False)
    # under the ordinary rule the same unknown counts as performed: no outcome at all
    ex2 = explain(mini, case, views={"f": "full", "c": "ordinary"}, target="outcome(civil, p, full, _)")
    (ans2,) = ex2.answers
    (why_not,) = ans2.explanations
    assert not why_not.holds
    leaf2 = [n for n in why_not.tree.walk() if n.kind == "fact" and n.atom == "checked(p,g)"]
    assert leaf2 and (leaf2[0].status, leaf2[0].bearer, leaf2[0].counted) == ("unknown", "claimant", True)
    assert "not" in leaf2[0].note and "it holds, and the rule requires that it does not" in leaf2[0].note



def test_bearer_is_read_from_the_encodings_not_decided_again(tmp_path):
    # a rule base whose prologue derives another bearer for the unknown check: the explanation
    # (tree and relevance) shows what burden_bearer/2 says, the burden class stays the vocabulary's
    prologue = PROLOGUE.replace("burden_bearer(F, claimant) :- unknown(F), fact_pred(F, P), burden(P, duty),",
                                "burden_bearer(F, defendant) :- unknown(F), fact_pred(F, P), burden(P, duty),")
    assert prologue != PROLOGUE
    main_lp = _write(tmp_path)
    (tmp_path / "prologue.lp").write_text(prologue, encoding="utf-8")
    case = _case(established=BASE + [("prima_facie", ("g",))], unknown=[("checked", ("p", "g"))])
    ex = explain(Reasoner(main_lp), case, views={"c": "ordinary"}, target="outcome(civil, p, full, _)")
    leaf = next(n for n in ex.answers[0].explanations[0].tree.walk() if n.atom == "checked(p,g)")
    assert (leaf.burden, leaf.bearer, leaf.counted) == ("duty", "defendant", True)
    assert "burden reversed" in leaf.note
    (r,) = [r for r in relevance(Reasoner(main_lp), case) if r.views == (("c", "ordinary"),)]
    assert (r.burden, r.bearer) == ("duty", "defendant")


# -------------------------------------------------------------- why not
def test_why_not_under_another_view_stops_at_the_view_not_adopted(mini):
    case = _case(established=BASE, refuted=[("checked", ("p", "g"))])
    ex = explain(mini, case, views={"f": "half"}, target="outcome(civil, p, full, _)")
    (ans,) = ex.answers
    (e,) = ans.explanations
    assert not e.holds and not e.tree.holds
    views = [n for n in e.tree.walk() if n.kind == "view"]
    assert [(n.atom, n.holds) for n in views] == [("adopt(f,full)", False)]
    assert "f=half" in views[0].note
    rules = [n.rule.id for n in e.tree.walk() if n.kind == "rule"]
    assert "law.lp:10" in rules and "views.lp:11" in rules


def test_why_not_reaches_the_missing_fact(mini):
    case = _case(established=[("party", ("p", "platform")), ("sold", ("p", "g"))], refuted=[("checked", ("p", "g"))])
    ex = explain(mini, case, target="applies(tl_1, _)")
    (e,) = ex.answers[0].explanations
    missing = [n for n in e.tree.walk() if n.kind == "fact"]
    assert [(n.atom, n.status, n.holds) for n in missing] == [("harm(g)", "not_stated", False)]


def test_contrast_parts_at_the_view_rules(mini):
    case = _case(established=BASE, refuted=[("checked", ("p", "g"))])
    (c,) = contrast(mini, case, {"f": "full"}, {"f": "half"})
    assert c.only_a == ("outcome(civil,p,full,tl_1)",) and c.only_b == ("outcome(civil,p,half,tl_1)",)
    assert [(n.atom, n.rule.view) for n in c.parting_a] == [("form_full(m(p,g))", ("f", "full"))]
    assert [(n.atom, n.rule.view) for n in c.parting_b] == [("form_half(m(p,g))", ("f", "half"))]
    # the chain from the parting point to the outcome holds only on its side
    assert {n.atom for n in c.chains_a[0].walk()} >= {"outcome(civil,p,full,tl_1)", "form_full(m(p,g))"}
    assert "applies(tl_1,m(p,g))" not in {n.atom for n in c.chains_a[0].walk()}


# ------------------------------------------------------------- relevance
def test_relevance_flags_the_fact_that_matters_and_matches_resolving(mini):
    case = _case(established=BASE + [("prima_facie", ("g",))],
                 unknown=[("checked", ("p", "g")), ("colour", ("g",))])
    rel = relevance(mini, case, views={"f": "full"})
    by = {(r.fact, r.views): r for r in rel}
    # c=ordinary: Issue f is not raised (the unknown check counts as done), so the views are c only
    ordinary = by[("checked(p,g)", (("c", "ordinary"),))]
    assert (ordinary.default, ordinary.flipped, ordinary.bearer) == ("proven", "unproven", "claimant")
    assert ordinary.relevant and ordinary.changes == (((("c", "ordinary"), ("f", "full")), ("outcome(civil,p,full,tl_1)",), ()),)
    reversed_ = by[("checked(p,g)", (("c", "reversed"), ("f", "full")))]
    assert (reversed_.default, reversed_.bearer) == ("unproven", "defendant")
    assert reversed_.changes == (((("c", "reversed"),), (), ("outcome(civil,p,full,tl_1)",)),)
    for r in rel:
        if r.fact == "colour(g)":
            assert not r.relevant and r.default == "unproven"
    # an independent check: re-solve with the fact settled the other way
    settled = _case(established=BASE + [("prima_facie", ("g",))], refuted=[("checked", ("p", "g"))],
                    unknown=[("colour", ("g",))])
    res = mini.solve(settled, views={"f": "full", "c": "ordinary"})
    assert {o.atom for o in res.in_all} == set(ordinary.changes[0][1])
    assert "CHANGES" in render_relevance(rel, mini.rulebase)


# -------------------------------------------------------- one source of truth
def test_changing_a_rule_changes_its_explanation(tmp_path):
    case = _case(established=BASE + [("colour", ("g",))], refuted=[("checked", ("p", "g"))])
    before = explain(Reasoner(_write(tmp_path / "a")), case, views={"f": "full"}).answers[0].explanations[0].tree
    assert "colour(g)" not in _facts(before)
    changed = LAW.replace("applies(tl_1, m(P, G)) :- unchecked(P, G), true(harm(G)).",
                          "\n%% [tl_2] moved\napplies(tl_1, m(P, G)) :- unchecked(P, G), true(harm(G)), true(colour(G)).")
    assert changed != LAW
    after = explain(Reasoner(_write(tmp_path / "b", changed)), case, views={"f": "full"}).answers[0].explanations[0].tree
    node = next(n for n in after.walk() if n.atom == "applies(tl_1,m(p,g))")
    assert "colour(g)" in _facts(after) and _facts(after)["colour(g)"].status == "established"
    assert node.rule.id == "law.lp:10" and node.rule.provision == "tl_2"  # new place, new citation block
    old = next(n for n in before.walk() if n.atom == "applies(tl_1,m(p,g))")
    assert old.rule.id == "law.lp:8" and old.rule.provision == "tl_1"


# ------------------------------------------------------------------ formats
def test_json_and_text_carry_stable_ids_and_the_chinese_text(mini):
    case = _case(established=BASE, refuted=[("checked", ("p", "g"))])
    ex = explain(mini, case, views={"f": "full"})
    doc = json.loads(json.dumps(explanation_json(ex, mini.rulebase), ensure_ascii=False))
    assert doc["provisions"]["tl_1"]["text"]["zh"] == "平台未检查商品致害的，承担责任。"
    assert doc["provisions"]["tl_1"]["cite"] == {"en": "Test Law Art. 1", "zh": "测试法第1条"}
    tree = doc["answers"][0]["explanations"][0]["tree"]
    assert tree["rule"] in doc["rules"] and tree["basis"] == ["tl_1"]
    zh = render_text(ex, mini.rulebase, "zh")
    assert "平台未检查商品致害的" in zh and "已被否定" in zh and "A platform that" not in zh
    en = render_text(ex, mini.rulebase, "en")
    assert "A platform that did not check" in en and "refuted" in en


def test_explain_all_is_json_ready_and_adds_relevance_for_unknowns(mini):
    case = _case(established=BASE + [("prima_facie", ("g",))], unknown=[("checked", ("p", "g"))])
    result = mini.solve(case)
    doc = explain_all(mini, case, result)
    json.dumps(doc)
    assert len(doc["answers"]) == len(result.answers)
    assert {f["fact"] for f in doc["relevance"]} == {"checked(p,g)"}
    outcomes = {o for a in doc["answers"] for o in a["outcomes"]}
    assert outcomes == {o.atom for a in result.answers for o in a.outcomes}


# ------------------------------------------------------- the bundled cases
def _bundled():
    vocab = Reasoner().vocabulary
    out = []
    for path in find_case_files([CASES]):
        try:
            out.append(load_case(path, vocab))
        except Exception:  # a case another engineer is editing: test_cases reports it
            continue
    return out


#: every bundled case, or an even sample of 40 once the corpus is larger (a time budget for CI)
BUNDLED = _bundled()
BUNDLED = BUNDLED[::max(1, -(-len(BUNDLED) // 40))]


@pytest.mark.parametrize("case", BUNDLED, ids=[c.id for c in BUNDLED])
def test_bundled_trees_are_sound(reasoner, case):
    result = reasoner.solve(case)
    ex = explain(reasoner, case)
    assert ex.consistent == result.consistent
    if not result.consistent:
        assert ex.core == result.core
        return
    assert [(a.views, a.outcomes) for a in ex.answers] == [(a.views, tuple(o.atom for o in a.outcomes))
                                                           for a in result.answers]
    status = {f.atom: f.status for f in case.facts}
    for ans, res in zip(ex.answers, result.answers, strict=True):
        basis = {o.atom: set(o.basis) for o in res.outcomes}
        for e in ans.explanations:
            assert e.holds and e.tree.holds and e.tree.kind == "derived"
            assert basis[e.target] <= e.tree.grounds() <= e.tree.provisions_cited(), e.target
            for n in e.tree.walk():
                if n.kind != "fact":
                    continue
                # a fact that counts as true is established or an unknown the burden lets count
                if n.counted:
                    assert status.get(n.atom) in ("established", "unknown"), n.atom
                else:
                    assert status.get(n.atom, "not_stated") != "established", n.atom
                    assert n.status == status.get(n.atom, "not_stated")


#: the shadow-rule check re-solves each case twice; a fixed sample keeps it fast
SAMPLE = sorted(BUNDLED, key=lambda c: c.id)[::max(1, len(BUNDLED) // 8)]


@pytest.mark.parametrize("case", SAMPLE, ids=[c.id for c in SAMPLE])
def test_shadow_rules_change_no_answer_set(reasoner, case):
    case = canonical(case, reasoner.vocabulary)
    query = Query.of(reasoner.issues)
    denied = query.denied
    facts, assumed = query.inputs(case)
    plain = _engine.solve(reasoner.rulebase.program, facts, assumed, denied)
    table = _engine.rule_table(reasoner.rulebase.program)
    shadow = _engine.solve_explained(table, facts, assumed, denied)
    assert sorted(m.shown for m in shadow) == sorted(plain.models)
    # every fired instance is true in its answer set, head and body
    for m in shadow:
        for _idx, head, pos, neg, _ in m.fired:
            assert head in m.atoms and all(a in m.atoms for a in pos)
            assert all(a not in m.atoms for a in neg if _engine.ANY not in repr(a))


# ------------------------------------------------------------------ the CLI
def test_cli_explain_json_text_and_errors(tmp_path, capsys, mini):
    main_lp = mini.rulebase.master
    case = tmp_path / "c.yaml"
    case.write_text("id: c\nfacts:\n  established: ['party(p, platform)', 'sold(p, g)', 'harm(g)']\n"
                    "  refuted: ['checked(p, g)']\n", encoding="utf-8")
    assert main(["--encodings", str(main_lp), "explain", str(case), "--view", "f=full", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["answers"][0]["outcomes"] == ["outcome(civil,p,full,tl_1)"]
    assert main(["--encodings", str(main_lp), "explain", str(case), "--view", "f=full", "--contrast", "f=half",
                 "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "分歧所在" in out and "form_half(m(p,g))" in out
    assert main(["--encodings", str(main_lp), "explain", str(case), "--outcome", "outcome(civil, p, half, _)",
                 "--view", "f=full"]) == 0
    assert "why not: outcome(civil,p,half,_) does NOT hold" in capsys.readouterr().out
    assert main(["--encodings", str(main_lp), "explain", str(case), "--outcome", "outcome(("]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pyreasoner: error: --outcome") and "Traceback" not in err
    assert main(["--encodings", str(main_lp), "explain", str(case), "--contrast", "f=half"]) == 2


def test_batch_explain_attaches_explanations(tmp_path, mini):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: a\nfacts:\n  established: ['party(p, platform)', 'sold(p, g)', 'harm(g)']\n"
                                   "  refuted: ['checked(p, g)']\n", encoding="utf-8")
    (folder / "b.yaml").write_text("id: b\nfacts:\n  established: ['party(p, platform)', 'sold(p, g)', 'harm(g)',"
                                   " 'prima_facie(g)']\n  unknown: ['checked(p, g)']\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    argv = ["--encodings", str(mini.rulebase.master), "batch", str(folder), "--out", str(out), "--workers", "1",
            "--no-timings"]
    assert main(argv + ["--explain"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["case"] for r in records] == ["a", "b"]
    for r in records:
        ex = r["explanation"]
        assert [a["outcomes"] for a in ex["answers"]] == [[o["atom"] for o in a["outcomes"]] for a in r["answers"]]
        for a in ex["answers"]:
            assert [e["target"] for e in a["explanations"]] == a["outcomes"]
    assert records[0]["explanation"]["answers"][0]["explanations"][0]["tree"]["basis"] == ["tl_1"]
    assert {f["fact"] for f in records[1]["explanation"]["relevance"]} == {"checked(p,g)"}
    assert main(argv) == 0  # without --explain: no explanation
    assert all("explanation" not in json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())
