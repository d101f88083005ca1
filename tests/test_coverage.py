"""pyreasoner coverage: rules a corpus never fires, dead rules and unreachable outcomes."""

from __future__ import annotations

import shutil
from pathlib import Path

from pyreasoner import Reasoner
from pyreasoner.coverage import corpus_coverage, space_coverage
from pyreasoner.rulebase import encodings_dir

CASE = """id: cov_probe
facts:
  established:
    - party(p, platform)
    - party(m, merchant)
    - party(c, consumer)
    - on_platform(m, p)
    - sold(m, g, c)
    - concerns_life_health(g)
    - damage(c, g)
  refuted:
    - reviewed_qualification(p, m)
"""


def _broken(tmp_path) -> tuple[Path, int, int]:
    root = tmp_path / "encodings"
    shutil.copytree(encodings_dir(), root)
    f = root / "statutes" / "ecl_38.lp"
    text = f.read_text(encoding="utf-8").rstrip("\n") + "\n"
    dead_line = text.count("\n") + 1
    text += ("cov_probe_dead(K) :- applies(ecl_38_1, K), not applies(ecl_38_1, K).\n"
             "concludes(ecl_38_1, K, civil, P, cov_probe_form) :- cov_probe_dead(K), K = claim(_, P, _, _).\n")
    f.write_text(text + "#show cov_probe_dead/1.\n", encoding="utf-8")
    return root, dead_line, dead_line + 1


def test_corpus_and_space_coverage_find_the_dead_rule(tmp_path):
    root, dead, unreachable = _broken(tmp_path)
    case = tmp_path / "case.yaml"
    case.write_text(CASE, encoding="utf-8")
    cov = corpus_coverage([case], Reasoner(root))
    never = {(Path(r.file).name, r.line) for r in cov.never_fired}
    assert cov.cases == 1 and 0 < cov.fired < cov.rules
    assert ("ecl_38.lp", dead) in never and ("ecl_38.lp", unreachable) in never
    assert "ecl_38_2" not in cov.provisions_never_fired  # the case applies ECL 38(2)

    space = space_coverage(root, bounds={"merchant": 1}, numbers=(0, 1), domains=["civil"], timeout=20)
    dead_rules = {(Path(r.file).name, r.line) for r in space.dead}
    assert ("ecl_38.lp", dead) in dead_rules
    assert [(Path(r.file).name, r.line) for r in space.unreachable_outcomes if "cov_probe_form" in r.text] == \
        [("ecl_38.lp", unreachable)]
    assert space.reachable_outcomes > 0 and not space.undecided
