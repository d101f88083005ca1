"""Coverage of the rule base: which rules and provisions fire.

Every rule with a body gets a companion ``pyr_fired(N) :- Body.`` (AST
instrumentation, :func:`pyreasoner._engine.instrument`); clingo's brave
consequences (``--enum-mode=brave``) then say which markers are true in *some*
answer set.

- For a corpus: the rules (file:line) and provisions that no case fires, under
  any view (rejected views included).
- Across the bounded space of cases (the universe of ``pyreasoner verify``): the
  rules that can never fire for any case (dead rules) and the outcomes that are
  unreachable (``concludes/5`` rules that never fire). Here one solve per rule not
  yet seen firing takes the rule's marker as an assumption (with a time limit);
  each model found marks every rule that fires in it, so few solves are needed.

A provision fires when a rule of its citation block fires; a provision whose
block holds declarations only (e.g. one cited as a counterpoint) is listed apart.

>>> from pyreasoner.coverage import corpus_coverage
>>> cov = corpus_coverage([])            # no case: nothing fires
>>> cov.fired, cov.rules > 0
(0, True)
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, cast

from . import _engine
from .case import find_case_files, load_cases
from .contract import ALLOW_REJECTED, EXPLORE, OUTCOME
from .errors import CaseError
from .lint import Encodings, display_path
from .query import Query, canonical
from .reasoner import Reasoner
from .verify import DEFAULT_NUMBERS, domain_inputs, universe

if TYPE_CHECKING:
    from .rulebase import RuleBase

__all__ = ["CorpusCoverage", "RuleRef", "SpaceCoverage", "corpus_coverage", "space_coverage"]

_SHOW = "#show pyr_fired/1."

#: An atom of a model (every signature read here has arguments): name and arguments.
Atom: TypeAlias = tuple[str, tuple[_engine.Raw, ...]]
#: A rule's marker ``pyr_fired(N)`` (N: the rule's number in the instrumentation index).
Fired: TypeAlias = tuple[str, tuple[int]]
#: The instrumentation index: rule number -> (file, line, text).
RuleIndex: TypeAlias = Mapping[int, tuple[str, int, str]]


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class RuleRef:
    """A rule of the encodings: where it is, its text, and its rule group."""

    file: str
    line: int
    text: str
    group: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text}"


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CorpusCoverage:
    """What a corpus of cases exercises."""

    cases: int
    rules: int
    fired: int
    never_fired: tuple[RuleRef, ...]
    provisions_never_fired: tuple[str, ...]
    provisions_without_rules: tuple[str, ...]
    seconds: float = dataclasses.field(default=0.0, compare=False)

    def to_json(self) -> dict[str, object]:
        return {"cases": self.cases, "rules": self.rules, "fired": self.fired,
                "never_fired": [dataclasses.asdict(r) for r in self.never_fired],
                "provisions_never_fired": list(self.provisions_never_fired),
                "provisions_without_rules": list(self.provisions_without_rules), "seconds": round(self.seconds, 3)}


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class SpaceCoverage:
    """What the bounded space of cases can reach."""

    rules: int
    dead: tuple[RuleRef, ...]
    unreachable_outcomes: tuple[RuleRef, ...]
    #: rules for which the search hit its time limit (neither fired nor proven dead)
    undecided: tuple[RuleRef, ...]
    reachable_outcomes: int
    candidates: int
    seconds: float = dataclasses.field(default=0.0, compare=False)

    def to_json(self) -> dict[str, object]:
        return {"rules": self.rules, "dead": [dataclasses.asdict(r) for r in self.dead],
                "unreachable_outcomes": [dataclasses.asdict(r) for r in self.unreachable_outcomes],
                "undecided": [dataclasses.asdict(r) for r in self.undecided],
                "reachable_outcomes": self.reachable_outcomes, "candidate_facts": self.candidates,
                "seconds": round(self.seconds, 3)}


def _refs(enc: Encodings, index: RuleIndex, ids: Iterable[int]) -> tuple[RuleRef, ...]:
    out: list[RuleRef] = []
    for n in ids:
        file, line, text = index[n]
        out.append(RuleRef(file=display_path(file, enc.root), line=line, text=text,
                           group=enc.groups.get((file, line), "")))
    return tuple(sorted(set(out), key=lambda r: (r.file, r.line, r.text)))


def _provision_labels(enc: Encodings, index: RuleIndex, fired: set[int]) -> set[str]:
    out: set[str] = set()
    for n in fired:
        file, line, _ = index[n]
        group = enc.groups.get((file, line), "")
        if group.startswith("provision:"):
            out.add(group.split(":", 1)[1])
    return out


def _instrumented(rb: RuleBase) -> tuple[_engine.Program, dict[int, tuple[str, int, str]]]:
    """The instrumented program and its rules (integrity constraints left out: they never fire)."""
    program, index = _engine.instrument(rb.program)
    return program, {n: v for n, v in index.items() if not v[2].startswith("#false")}


def corpus_coverage(paths: Iterable[str | Path], reasoner: Reasoner | None = None) -> CorpusCoverage:
    """The rules and provisions that no case under ``paths`` fires (any view)."""
    t0 = time.perf_counter()
    reasoner = reasoner or Reasoner()
    rb = reasoner.rulebase
    enc = Encodings(rb.master)
    program, index = _instrumented(rb)
    fired: set[int] = set()
    n = 0
    paths = list(paths)
    if paths:
        find_case_files(paths)
    for item in load_cases(paths, reasoner.vocabulary):
        if isinstance(item, CaseError):
            raise item
        case = canonical(item, reasoner.vocabulary)
        facts, assumed = Query.of(reasoner.issues).inputs(case)
        session = _engine.Session(program, texts=[("<show>", _SHOW)], facts=facts, externals=assumed)
        marks = cast(set[Fired], session.brave([("pyr_fired", 1)], [(a, True) for a in assumed]))
        fired |= {a[1][0] for a in marks}
        n += 1
    with_rules = _provision_labels(enc, index, set(index))
    hit = _provision_labels(enc, index, fired)
    return CorpusCoverage(cases=n, rules=len(index), fired=len(fired), never_fired=_refs(enc, index, set(index) - fired),
                          provisions_never_fired=tuple(sorted(with_rules - hit)),
                          provisions_without_rules=tuple(sorted(set(rb.provisions) - with_rules)),
                          seconds=time.perf_counter() - t0)


def space_coverage(master: str | Path | None = None, *, bounds: Mapping[str, int] | None = None,
                   numbers: Sequence[int] | None = DEFAULT_NUMBERS, timeout: float = 10.0,
                   domains: Sequence[str] | None = None) -> SpaceCoverage:
    """Dead rules and unreachable outcomes across the bounded space of cases
    (the universe of :func:`pyreasoner.verify.universe`; rejected views included).
    ``domains`` restricts the universe to the inputs of those vocabulary files."""
    t0 = time.perf_counter()
    reasoner = Reasoner(master)
    rb = reasoner.rulebase
    enc = Encodings(rb.master)
    body_numbers = {x for s in enc.statements if s.kind in ("rule", "constraint") for x in s.numbers}
    uni = universe(rb, bounds=bounds, body_numbers=body_numbers, numbers=numbers, inputs=domain_inputs(enc, domains or ()))
    program, index = _instrumented(rb)
    session = _engine.Session(program, texts=[("<universe>", uni.text + f"{{ {EXPLORE.name} }}.\n")], facts=[ALLOW_REJECTED.name])
    # One solve per rule not yet seen firing, the rule's marker as an assumption: a
    # model marks every rule that fires in it; no model means the rule is dead.
    fired: set[int] = set()
    outcomes: set[Atom] = set()
    dead_ids: set[int] = set()
    unknown_ids: set[int] = set()
    for n in sorted(index):
        if n in fired:
            continue
        got = session.models([(("pyr_fired", (n,)), True)], signatures=[("pyr_fired", 1), OUTCOME], limit=1,
                             timeout=timeout)
        if got is None:
            unknown_ids.add(n)
        elif got:
            atoms = cast(tuple[Atom, ...], got[0])  # of pyr_fired/1 and outcome/4: all with arguments
            fired |= {cast(Fired, a)[1][0] for a in atoms if a[0] == "pyr_fired"}
            outcomes |= {a for a in atoms if a[0] == OUTCOME.name}
        else:
            dead_ids.add(n)
    dead = _refs(enc, index, dead_ids)
    unreachable = tuple(r for r in dead if r.text.startswith("concludes("))
    return SpaceCoverage(rules=len(index), dead=dead, unreachable_outcomes=unreachable,
                         undecided=_refs(enc, index, unknown_ids), reachable_outcomes=len(outcomes),
                         candidates=uni.candidates,
                         seconds=time.perf_counter() - t0)
