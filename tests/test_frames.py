"""Data out without loss: Result.to_frame and answers_frame keep inconsistent cases, give the
numbers of a form their own columns, in a stable documented order; Result and Case as HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyreasoner.batch import run_batch
from pyreasoner.result import FRAME_COLUMNS
from pyreasoner.summary import answers_frame

from conftest import find_case

pd = pytest.importorskip("pandas")


def _order(df):
    views = [c for c in df.columns if c.startswith("view_")]
    expected = []
    for c in FRAME_COLUMNS:
        expected += views if c == "view_*" else [c]
    return list(df.columns) == expected and views == sorted(views)


def test_shares_have_their_own_columns(reasoner):
    result = reasoner.solve(find_case("life_health_split"), views={"b": "proportional", "a": "civil_only"})
    df = result.to_frame()
    assert _order(df)
    share = df[(df.party == "p") & (df.form == "share")].iloc[0]
    assert (share.numerator, share.denominator) == (3, 10) and share.fraction == pytest.approx(0.3)
    assert share.args == "m,3,10" and share.basis == "ecl_38_2+cc_1172" and share.status == "ok"
    assert share.view_b == "proportional" and share.view_a == "civil_only"


def test_fine_ranges_have_low_high_and_unit(reasoner):
    df = reasoner.solve(find_case("food_platform_regulator")).to_frame()
    fines = df[df.form == "fine_range"]
    assert not fines.empty
    assert set(zip(fines.low, fines.high, strict=True)) >= {(50000, 200000)}
    assert set(fines.unit) == {"yuan"}
    assert fines.numerator.isna().all()


def test_inconsistent_case_is_one_row_with_its_core(reasoner):
    result = reasoner.solve(find_case("contradictory_weights"))
    assert not result.consistent
    df = result.to_frame()
    assert _order(df) and len(df) == 1
    row = df.iloc[0]
    assert row.status == "inconsistent" and "causal_weight(p,30)" in row.core and "causal_weight(p,40)" in row.core


def test_answers_frame_keeps_inconsistent_cases_in_the_same_columns(reasoner, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for cid in ("contradictory_weights", "life_health_split"):
        (folder / f"{cid}.yaml").write_text(Path(find_case(cid).path).read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "r.jsonl"
    run_batch(folder, out, workers=0, timings=False)
    df = answers_frame(out)
    assert _order(df)
    bad = df[df.case == "contradictory_weights"]
    assert list(bad.status) == ["inconsistent"] and "causal_weight(p,40)" in bad.core.iloc[0]
    # the same rows as Result.to_frame, but for the batch's index and source
    direct = reasoner.solve(find_case("life_health_split")).to_frame()
    mine = df[df.case == "life_health_split"].drop(columns=["index", "source"]).reset_index(drop=True)
    theirs = direct.drop(columns=["index", "source"])[mine.columns]
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)
    assert json.loads(out.read_text().splitlines()[0])["case"] == "contradictory_weights"


def test_html_tables(reasoner):
    case = find_case("life_health_split")
    html = reasoner.solve(case, views={"b": "joint"})._repr_html_()
    assert html.count("<tr>") == 1 + 2  # header, one row per answer (a=civil_only, a=comprehensive)
    assert "joint_several(m)" in html and "ecl_38_2 + cc_1168" in html
    assert "<table>" in case._repr_html_() and "concerns_life_health(g)" in case._repr_html_()
    assert "established" in case._repr_html_() and "refuted" in case._repr_html_()
    bad = reasoner.solve(find_case("contradictory_weights"))._repr_html_()
    assert "NO CONSISTENT OUTCOME" in bad and "causal_weight(p,40)" in bad


def test_the_period_of_an_undated_matter_has_its_column(reasoner):
    """An undated notice-and-takedown case has one answer per period whose law may govern it,
    with the same views: the `assumed` column tells them apart (no answer is lost to the frame)."""
    result = reasoner.solve(find_case("ntd_undated_knowledge"))
    df = result.to_frame()
    assert _order(df)
    periods = {a.assumed for a in result.answers}
    assert len(periods) == len(result.answers) > 1
    assert set(df.assumed) == {"; ".join(p) for p in periods}
    assert all(a.startswith("assumed_period(") for p in periods for a in p)
