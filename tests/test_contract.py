"""The names Python reads or writes (``pyreasoner/contract.py``) are in the encodings, each with
its arity: a predicate renamed or re-shaped there fails here, not silently in Python."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from pyreasoner import contract
from pyreasoner.lint import Encodings
from pyreasoner.rulebase import encodings_dir

PKG = Path(contract.__file__).resolve().parent
PREDICATES = {n: p for n, p in vars(contract).items() if isinstance(p, contract.Predicate)}


def _signatures(master: Path) -> set[tuple[str, int]]:
    """Every signature the rule base (invariants included) defines, declares, shows or reads in a body."""
    enc = Encodings(master)
    sigs = set(enc.defined()) | enc.defined_pragmas() | enc.shown()
    for s in list(enc.statements) + list(enc.invariant_statements):
        sigs.update(s.heads)
        sigs.update((lit.name, lit.arity) for lit in s.body)
    return sigs


def missing(master: Path) -> list[str]:
    sigs = _signatures(master)
    return sorted(f"contract.{n}: {p.name}/{p.arity}" for n, p in PREDICATES.items() if tuple(p) not in sigs)


def test_every_predicate_python_names_is_in_the_encodings():
    assert len(PREDICATES) > 40
    assert missing(encodings_dir() / "main.lp") == []


def test_a_predicate_renamed_in_the_encodings_fails(tmp_path):
    root = tmp_path / "encodings"
    shutil.copytree(encodings_dir(), root)
    facts = root / "prologue" / "facts.lp"
    text = facts.read_text(encoding="utf-8")
    assert "burden_bearer(" in text
    facts.write_text(text.replace("burden_bearer(", "bearer_of_burden("), encoding="utf-8")
    assert missing(root / "main.lp") == ["contract.BURDEN_BEARER: burden_bearer/2"]


def test_every_name_of_the_contract_is_used_by_the_package():
    """No dead entry: each name (or a group holding it, such as ``FACT_WRAPPERS``) is read
    or written somewhere outside contract.py."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in PKG.rglob("*.py") if p.name != "contract.py")
    used = {n for n in contract.__all__ if re.search(rf"\b{n}\b", text)}
    groups = {n: g for n, g in vars(contract).items() if isinstance(g, tuple) and not isinstance(g, contract.Predicate)}
    in_used_group = {n for n, p in PREDICATES.items() for g in used & set(groups) if p in groups[g]}
    unused = sorted(set(contract.__all__) - used - in_used_group - {"Predicate"})
    assert unused == []


def test_the_package_names_no_contract_predicate_by_a_literal_signature():
    """``("outcome", 4)`` and the like are written once, in contract.py."""
    pattern = re.compile(r"""\(\s*["']([a-z_]+)["']\s*,\s*(\d)\s*\)""")
    sigs = {tuple(p) for p in PREDICATES.values()}
    found = [f"{p.relative_to(PKG)}: ({m.group(1)!r}, {m.group(2)})" for p in sorted(PKG.rglob("*.py"))
             if p.name != "contract.py"
             for m in pattern.finditer(p.read_text(encoding="utf-8")) if (m.group(1), int(m.group(2))) in sigs]
    assert found == []
