"""The structure of the rule base: every .lp file is included by the master file, and
every file and the Python layer follow the one-module-talks-to-clingo rule."""

from __future__ import annotations

import re

from pyreasoner import Reasoner

from conftest import ROOT

ENC = ROOT / "encodings"


def test_every_lp_file_is_included_by_the_master_file():
    included = {p.resolve() for p in Reasoner().rulebase.files}
    on_disk = {p.resolve() for p in ENC.rglob("*.lp") if "invariants" not in p.relative_to(ENC).parts}
    assert sorted(map(str, on_disk - included)) == []


def test_only_the_private_module_imports_clingo():
    offenders = [p.name for p in (ROOT / "pyreasoner").rglob("*.py")
                 if "_engine" not in p.parts and re.search(r"^\s*(import clingo|from clingo)", p.read_text(), re.M)]
    assert offenders == []


def test_public_api_is_sorted_and_has_no_clingo_types():
    import pyreasoner

    assert pyreasoner.__all__ == sorted(pyreasoner.__all__)
    for name in pyreasoner.__all__:
        assert "clingo" not in getattr(pyreasoner, name).__module__


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = readme[readme.index("```sh") + 1:readme.index("```sh") + 3]
    assert len(commands) == 2 and commands[1].endswith("python -m pytest")
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert commands[1] in ci
