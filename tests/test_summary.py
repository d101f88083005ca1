"""Corpus statistics (issue 6): outcome distribution per view, disagreement per issue,
most divergent cases, DataFrames and charts."""

from __future__ import annotations

import json

import pytest
from pyreasoner.errors import CaseError
from pyreasoner.summary import NO_OUTCOME, answers_frame, distinguishing, plot, summarise


def _outcome(kind, party, form, basis, args=()):
    return {"kind": kind, "party": party, "form": form, "args": list(args), "basis": list(basis),
            "atom": f"outcome({kind},{party},{form},{'+'.join(basis)})"}


JOINT = _outcome("civil", "p", "joint_several", ["ecl_38_2", "cc_1168"], ["m"])
SUPP = _outcome("civil", "p", "supplementary", ["ecl_38_2", "cc_1198_2"], ["m"])
FINE = _outcome("administrative", "p", "fine", ["ecl_83"])


def _record(index, case, answers):
    return {"index": index, "case": case, "source": f"x:{index + 1}", "consistent": True, "selection": {},
            "answers": [{"views": v, "outcomes": o, "displaced": []} for v, o in answers], "in_all": [], "in_some": []}


@pytest.fixture()
def results(tmp_path):
    records = [
        # views of b disagree; c is raised but its views agree
        _record(0, "split", [({"b": "joint", "c": "ordinary"}, [JOINT]), ({"b": "joint", "c": "reversed"}, [JOINT]),
                             ({"b": "supplementary", "c": "ordinary"}, [SUPP]),
                             ({"b": "supplementary", "c": "reversed"}, [SUPP])]),
        # b raised, views agree (both give the fine only)
        _record(1, "agree", [({"b": "joint"}, [FINE]), ({"b": "supplementary"}, [FINE])]),
        # no issue raised, one answer without outcomes
        _record(2, "quiet", [({}, [])]),
        {"index": 3, "case": "bad", "source": "x:4", "error": {"kind": "invalid", "message": "..."}},
        {"index": 4, "case": "contra", "source": "x:5", "error": {"kind": "inconsistent", "message": "...", "core": []}},
        # three distinct outcome sets: the most divergent case
        _record(5, "wide", [({"b": "joint"}, [JOINT]), ({"b": "supplementary"}, [SUPP]),
                            ({"b": "proportional"}, [FINE])]),
    ]
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + '{"index": 6, "ca', encoding="utf-8")
    return path


def test_distribution_disagreement_and_divergence(results):
    s = summarise(results, top=2)
    assert (s.cases, s.consistent, s.errors) == (6, 4, {"invalid": 1, "inconsistent": 1})
    joint = s.outcomes[("b", "joint")]
    assert joint == {"civil joint_several [ecl_38_2+cc_1168]": 3, "administrative fine [ecl_83]": 1}
    assert s.adoption[("b", "joint")] == (4, 3)  # 4 answers in 3 cases
    assert s.adoption[("c", "reversed")] == (2, 1)
    # b raised in split, agree, wide; its views disagree in split and wide
    assert s.disagreement["b"] == (3, 2) and s.disagreement_rate("b") == pytest.approx(2 / 3)
    # c raised in split only, where ordinary and reversed give the same outcomes
    assert s.disagreement["c"] == (1, 0)
    assert [(n, c) for n, _, _, c in s.divergent] == [(3, "wide"), (2, "split")]
    text = s.render()
    assert "b: 2/3 cases (66.7%)" in text and "#5 wide: 3 outcome sets in 3 answers" in text
    assert json.loads(json.dumps(s.to_json()))["disagreement"]["b"] == {"raised": 3, "disagree": 2, "rate": 0.6667}


def test_an_outcome_form_counts_once_per_answer(tmp_path):
    """Two parties held jointly in one answer: the view's share stays at most 100%."""
    other = dict(JOINT, party="q", atom="outcome(civil,q,joint_several,ecl_38_2+cc_1168)")
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(_record(0, "x", [({"b": "joint"}, [JOINT, other])])) + "\n")
    s = summarise(path)
    assert s.outcomes[("b", "joint")] == {"civil joint_several [ecl_38_2+cc_1168]": 1}
    assert "100.0%" in s.render() and "200.0%" not in s.render()


def test_answer_without_outcome_is_counted(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(_record(0, "x", [({"b": "staged_fault"}, [])])) + "\n")
    assert summarise(path).outcomes[("b", "staged_fault")] == {NO_OUTCOME: 1}


def test_bad_results_file_names_the_line(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(_record(0, "x", [])) + "\nnot json\n")
    with pytest.raises(CaseError, match="line 2"):
        summarise(path)


@pytest.mark.parametrize(("change", "key"), [
    (lambda r: {**r, "answers": "x"}, "answers"),
    (lambda r: {**r, "answers": None}, "answers"),
    (lambda r: {**r, "answers": [1]}, "answers[0]"),
    (lambda r: {**r, "answers": [{**r["answers"][0], "outcomes": "x"}]}, "answers[0].outcomes"),
    (lambda r: {**r, "answers": [{**r["answers"][0], "outcomes": [5]}]}, "answers[0].outcomes[0]"),
    (lambda r: {**r, "answers": [{**r["answers"][0], "views": [1]}]}, "answers[0].views"),
    (lambda r: {**r, "answers": [{**r["answers"][0], "outcomes": [{**JOINT, "basis": "x"}]}]},
     "answers[0].outcomes[0].basis"),
    (lambda r: {"index": 0, "case": "x", "error": "boom"}, "error"),
    (lambda r: {**r, "index": "0"}, "index"),
])
def test_a_malformed_record_is_refused_at_its_line_and_key(tmp_path, change, key):
    """A damaged or foreign results file is refused naming the line and the key, never a traceback
    from inside the counting (found by a robustness audit)."""
    good = _record(0, "ok", [({"b": "joint"}, [JOINT])])
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(change(good)) + "\n", encoding="utf-8")
    for read in (summarise, answers_frame) if _has_pandas() else (summarise,):
        with pytest.raises(CaseError) as err:
            read(path)
        assert err.value.where == f"line 2: {key}"


def test_a_file_without_records_is_refused(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(CaseError, match="no records"):
        summarise(path)


def _has_pandas() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def test_dataframes(results):
    pytest.importorskip("pandas")
    s = summarise(results)
    df = s.outcome_frame()
    row = df[(df.view == "joint") & (df.outcome == "civil joint_several [ecl_38_2+cc_1168]")]
    assert int(row.answers.iloc[0]) == 3 and float(row.share.iloc[0]) == pytest.approx(0.75)
    rows = answers_frame(results)
    ok = rows[rows.status == "ok"]
    assert len(ok) == 4 + 2 + 1 + 3  # one row per outcome, one for the answer without outcomes
    # the cases without answers are kept, with the kind of their error record
    assert dict(zip(rows[rows.status != "ok"].case, rows[rows.status != "ok"].status, strict=True)) == {
        "bad": "invalid", "contra": "inconsistent"}
    assert set(rows[rows.case == "split"].view_c) == {"ordinary", "reversed"}


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_plot(results, tmp_path, suffix, magic):
    pytest.importorskip("matplotlib")
    out = tmp_path / f"chart{suffix}"
    plot(summarise(results), out)
    assert out.read_bytes().startswith(magic)
    if suffix == ".svg":
        text = out.read_text()
        assert "b=joint" in text and "civil joint_several" in text and "issue b" in text


def test_plot_shows_every_outcome_that_differs_between_views_as_a_share(results):
    panels = distinguishing(summarise(results))
    views, labels, matrix = panels["b"]
    assert views == ["joint", "proportional", "supplementary"]
    # every outcome whose share differs between the views of b is a row, none folded away
    assert set(labels) == {"civil joint_several [ecl_38_2+cc_1168]", "civil supplementary [ecl_38_2+cc_1198_2]",
                           "administrative fine [ecl_83]"}
    assert all(0.0 <= x <= 1.0 for row in matrix for x in row)  # shares, never stacked past 1
    joint = matrix[labels.index("civil joint_several [ecl_38_2+cc_1168]")]
    assert joint == pytest.approx([3 / 4, 0.0, 0.0])
    # c's views agree in every case that raises it: nothing distinguishes them
    assert panels["c"][1] == []


def test_cli_summary(results, tmp_path, capsys):
    from pyreasoner.cli import main

    assert main(["summary", str(results), "--format", "json", "--top", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["divergent"] == [{"index": 5, "case": "wide", "outcome_sets": 3, "answers": 3}]
    assert main(["summary", str(results), "--plot", str(tmp_path / "x.gif")]) == 2
    assert "expected one of .png, .svg, .pdf" in capsys.readouterr().err
