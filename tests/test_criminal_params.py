"""Every number of the criminal rule base is read from its param/3 fact.

For each parameter, a copy of the encodings with only that fact changed must change
the result of a bundled case in the way the parameter's meaning predicts (a threshold
raised by one loses the case that sat exactly at it, a date moved past a case's date
takes the case out of the provision, a penalty maximum changes the penalty shown).
A static check adds that no rule body of the criminal files holds a number of its own.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pyreasoner import Reasoner
from pyreasoner.lint import lint
from pyreasoner.rulebase import encodings_dir

from conftest import CASES
from test_criminal_helpers import CRIME

CRIMINAL = CASES / "criminal"
UNIT = "outcome(criminal,{x},unit_crime(refusal_network_security_duty),crl_286_1_2)"
PEN_286 = ("outcome(criminal,zhang_san,penalty(fixed_term_max_months({m}),alternatives(criminal_detention,"
           "public_surveillance),fine(cumulative_or_alone)),crl_286_1_1)")
PEN_363 = "outcome(criminal,wang_xin,penalty(fixed_term_months({a},{b}),no_alternative,fine(mandatory)),(crl_366,crl_363_1))"
PEN_287 = ("outcome(criminal,host_co,penalty(fixed_term_max_months({m}),alternatives(criminal_detention),"
           "fine(cumulative_or_alone)),crl_287_2_1)")

WITHIN = "outcome(criminal,{x},sentence_within_range(crl_286_1_1),crl_61)"
OUTSIDE = "outcome(criminal,{x},sentence_outside_range(crl_286_1_1,{r}),crl_61)"

#: (parameter, new value, case, views, atom before, atom after): ``before`` holds in every
#: answer with the shipped value and in none with the new one; ``after`` the other way round.
CHANGES = [
    ("ji2019_15_3_video_files", 201, "ji3_video_files_threshold", {}, CRIME.format(x="p_200"), None),
    ("ji2019_15_3_other_items", 2001, "ji3_other_items_threshold", {}, CRIME.format(x="p_2000"), None),
    ("ji2019_15_3_user_accounts", 2001, "ji3_reach_thresholds", {}, CRIME.format(x="p_user_accounts_at"), None),
    ("ji2019_15_3_group_members", 3001, "ji3_reach_thresholds", {}, CRIME.format(x="p_group_members_at"), None),
    ("ji2019_15_3_follower_accounts", 30001, "ji3_reach_thresholds", {}, CRIME.format(x="p_follower_accounts_at"), None),
    ("ji2019_15_3_clicks", 50001, "ji3_reach_thresholds", {}, CRIME.format(x="p_clicks_at"), None),
    # conversion reads the thresholds too: 100/200 + 999/1000 >= 1 once item (2) is 1,000
    ("ji2019_15_3_other_items", 1000, "ji3_proportional_conversion", {}, None, CRIME.format(x="conv_just_short")),
    # and with 201 videos as item (1) the common multiple is 402,000 (gcd 1): 100/201 + 1000/2000 < 1
    ("ji2019_15_3_video_files", 201, "ji3_proportional_conversion", {}, CRIME.format(x="conv_half_half"), None),
    ("ji2019_15_4_sensitive_items", 501, "ji4_leak_thresholds", {}, CRIME.format(x="p_sensitive_at"), None),
    ("ji2019_15_4_important_items", 5001, "ji4_leak_thresholds", {}, CRIME.format(x="p_important_at"), None),
    ("ji2019_15_4_ordinary_items", 50001, "ji4_leak_thresholds", {}, CRIME.format(x="p_ordinary_at"), None),
    # 250/500 + 24999/49998 = 1 exactly (the lcm of 500, 5000 and 49998 is 124,995,000)
    ("ji2019_15_4_ordinary_items", 49998, "ji4_proportional_conversion", {}, None, CRIME.format(x="leak_mixed_short")),
    ("ji2019_15_5_repeated_times_min", 4, "ji5_evidence_loss", {}, CRIME.format(x="ev_thrice"), None),
    ("ji2019_15_6_repeated_orders_min", 4, "ji6_other_serious_circumstances", {}, CRIME.format(x="rep_in_window"), None),
    ("ji2019_15_6_repeated_orders_min", 2, "ji6_other_serious_circumstances", {}, None, CRIME.format(x="rep_twice")),
    ("ji2019_15_6_window_years", 1, "ji6_other_serious_circumstances", {}, CRIME.format(x="rep_in_window"), None),
    ("crl_am9_in_force", 20160401, "conduct_across_amendment_ix", {}, CRIME.format(x="went_on"),
     "not_punishable(went_on,crl_286_1_1,before_in_force)"),
    ("ji2019_15_in_force", 20200701, "judged_before_interpretation", {}, CRIME.format(x="judged_2020"), None),
    ("ecl_in_force", 20190701, "ip_infringing_before_and_after_ecl", {}, UNIT.format(x="shop_2019"), None),
    ("csl_in_force", 20200701, "m_split_active_monitoring", {"m": "active"}, UNIT.format(x="mall"), None),
    ("crl_286_1_1_max_months", 48, "unit_versus_individual", {}, PEN_286.format(m=36), PEN_286.format(m=48)),
    # the general limits of the principal penalties, read by the check of an imposed sentence (crl_61.lp)
    ("crl_42_max_months", 5, "sentence_against_the_range", {}, WITHIN.format(x="s_detention_6"),
     OUTSIDE.format(x="s_detention_6", r="above_maximum(criminal_detention,5)")),
    ("crl_42_min_months", 2, "sentence_against_the_range", {}, WITHIN.format(x="s_detention_1"),
     OUTSIDE.format(x="s_detention_1", r="below_minimum(criminal_detention,2)")),
    ("crl_38_max_months", 23, "sentence_against_the_range", {}, WITHIN.format(x="s_surveillance_24"),
     OUTSIDE.format(x="s_surveillance_24", r="above_maximum(public_surveillance,23)")),
    ("crl_38_min_months", 4, "sentence_against_the_range", {}, WITHIN.format(x="s_surveillance_3"),
     OUTSIDE.format(x="s_surveillance_3", r="below_minimum(public_surveillance,4)")),
    ("crl_45_min_months", 7, "sentence_against_the_range", {}, WITHIN.format(x="s_term_6"),
     OUTSIDE.format(x="s_term_6", r="below_minimum(fixed_term,7)")),
    ("crl_45_max_months", 179, "sentence_against_the_range", {},
     "outcome(criminal,s_obscene,sentence_within_range(crl_363_1),crl_61)",
     "outcome(criminal,s_obscene,sentence_outside_range(crl_363_1,above_maximum(fixed_term,179)),crl_61)"),
    ("crl_363_1_serious_max_months", 121, "kuaibo_as_decided", {}, PEN_363.format(a=36, b=120), PEN_363.format(a=36, b=121)),
    ("crl_363_1_serious_min_months", 37, "kuaibo_as_decided", {}, PEN_363.format(a=36, b=120), PEN_363.format(a=37, b=120)),
    ("crl_287_2_1_max_months", 48, "concurrence_with_287_2", {}, PEN_287.format(m=36), PEN_287.format(m=48)),
    # YYYYMMDD: a year is 10000; with 5000 the two-year window of Art. 6(2) shrinks to one
    ("date_years_factor", 5000, "ji6_other_serious_circumstances", {}, CRIME.format(x="rep_in_window"), None),
]


def _with_param(tmp: Path, name: str, value: int) -> Path:
    """A copy of the encodings in which only param(name, _, _) has a new value."""
    target = tmp / "encodings"
    shutil.copytree(encodings_dir(), target)
    pattern = re.compile(rf"(param\(\s*{re.escape(name)}\s*,\s*)-?\d+(\s*,)")
    hits = 0
    for lp in target.rglob("*.lp"):
        text = lp.read_text(encoding="utf-8")
        new, n = pattern.subn(rf"\g<1>{value}\g<2>", text)
        if n:
            hits += n
            lp.write_text(new, encoding="utf-8")
    assert hits == 1, f"param {name} is declared {hits} times"
    return target / "main.lp"


def _atoms(reasoner: Reasoner, case_id: str, views: dict) -> tuple[set[str], set[str]]:
    case = reasoner.load(CRIMINAL / f"{case_id}.yaml")
    result = reasoner.solve(case, views=views)
    assert result.consistent and result.answers
    every = set(result.answers[0].atoms)
    for a in result.answers[1:]:
        every &= set(a.atoms)
    return every, {x for a in result.answers for x in a.atoms}


@pytest.mark.parametrize(("name", "value", "case_id", "views", "before", "after"), CHANGES,
                         ids=[f"{c[0]}={c[1]}:{c[2]}" for c in CHANGES])
def test_changing_the_parameter_changes_the_result(reasoner, tmp_path, name, value, case_id, views, before, after):
    assert name in reasoner.rulebase.params, f"no param {name}"
    assert reasoner.rulebase.params[name][0] != value
    every, _ = _atoms(reasoner, case_id, views)
    if before:
        assert before in every, f"{before} should hold with the shipped {name}"
    if after:
        assert after not in every
    changed = Reasoner(_with_param(tmp_path, name, value))
    every2, some2 = _atoms(changed, case_id, views)
    if before:
        assert before not in some2, f"{before} still holds with {name} = {value}"
    if after:
        assert after in every2, f"{after} does not hold with {name} = {value}"


def test_every_criminal_param_is_exercised(reasoner):
    ours = {n for n, (_, p) in reasoner.rulebase.params.items()
            if p.startswith(("crl_", "ji2019_15_"))}
    tested = {c[0] for c in CHANGES}
    # the basic and especially-serious grades of Art. 363 occur in no bundled case; their
    # penalty forms are checked in test_criminal_provisions.test_crl_363_1_penalty_follows_the_grade.
    untested = ours - tested - {"crl_363_1_basic_max_months", "crl_363_1_especially_min_months"}
    assert untested == set()


CRIMINAL_FILES = re.compile(r"(statutes/(crl_|ji2019_15)|views/(k_knowledge|m_monitoring)/|vocabulary/criminal\.lp)")


def test_lint_finds_nothing_in_the_criminal_files():
    findings = [f for f in lint() if CRIMINAL_FILES.search(f.file.replace("\\", "/"))]
    assert findings == []
