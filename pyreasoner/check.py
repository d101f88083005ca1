"""Check a corpus of cases for consistency: validate every case, then solve it under
every combination of views and report

- cases with no consistent outcome (under every view, under one view, or under one
  combination of views), with the conflicting case facts (a minimal unsat core over
  the case's status atoms) and the provisions whose rules take part;
- cases where an outcome and its opposite both hold on one matter (opposites are
  data in ``encodings/invariants/_opposites.lp``: ``contradiction/7``);
- where the views of an issue disagree, counted per issue.

The provisions that take part in a conflict are found by relaxation: every
integrity constraint ``:- Body.`` of the rule base becomes ``pyr_violated(N) :-
Body.``, every rule gets a ``pyr_fired(N)`` marker, and clingo finds a model of the
conflicting facts that breaks as few constraints as possible. The broken
constraints, and the fired rules they depend on (through the predicates of their
bodies, transitively), are mapped to their citation blocks. Where even the relaxed
program has no model, the rules that read the conflicting facts are named instead.

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import Case
>>> report = check_case(Reasoner(), Case(id="empty", facts=()))
>>> report.consistent, report.inconsistencies
(True, ())
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeAlias, TypedDict, cast

from . import _engine, terms
from .case import Case, find_case_files, load_cases
from .contract import ADOPT, ALLOW_REJECTED, CONTRADICTION, OUTCOME, RAISED
from .errors import CaseError
from .lint import Encodings, display_path
from .query import Query, Selection, canonical, excluded
from .reasoner import Reasoner
from .terms import Raw
from .verify import invariants_dir
from .views import Issue

__all__ = ["CaseReport", "CorpusReport", "Inconsistency", "check_case", "check_corpus", "render_case"]

#: At most this many missing view combinations are solved per case.
MAX_COMBINATIONS = 256

#: an atom with arguments ``(name, args)``: what a model of the given signatures (and of
#: the encodings' ``#show``, all of arity >= 1) holds
Atom: TypeAlias = tuple[str, tuple[Raw, ...]]
#: the relaxed program and its rule index ``{N: (file, line, text)}`` (:func:`_engine.instrument`)
Relaxed: TypeAlias = tuple[_engine.Program, dict[int, tuple[str, int, str]]]


class _Common(TypedDict):
    """The fields every :class:`CaseReport` of one case shares."""

    case_id: str
    path: str
    expected_inconsistent: bool


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Inconsistency:
    """No consistent outcome: under ``views`` (empty: under every view), the case
    facts ``core`` conflict; ``provisions`` take part (``rules`` their file:line)."""

    views: tuple[tuple[str, str], ...]
    core: tuple[str, ...]
    provisions: tuple[str, ...]
    rules: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"views": dict(self.views), "core": list(self.core), "provisions": list(self.provisions),
                "rules": list(self.rules)}


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CaseReport:
    """The consistency analysis of one case."""

    case_id: str
    path: str
    answers: int
    consistent: bool
    inconsistencies: tuple[Inconsistency, ...] = ()
    expected_inconsistent: bool = False
    #: "views: party has F1 (B1) and F2 (B2) on matter M", one per contradiction
    contradictions: tuple[str, ...] = ()
    #: (issue, number of views, number of distinct answers among them)
    disagreements: tuple[tuple[str, int, int], ...] = ()
    seconds: float = dataclasses.field(default=0.0, compare=False)

    @property
    def failed(self) -> bool:
        """A case with no consistent outcome that its own expectations do not announce."""
        return bool(self.inconsistencies) and not self.expected_inconsistent

    def to_json(self) -> dict[str, Any]:
        return {"case": self.case_id, "path": self.path, "answers": self.answers, "consistent": self.consistent,
                "expected_inconsistent": self.expected_inconsistent,
                "inconsistencies": [i.to_json() for i in self.inconsistencies],
                "contradictions": list(self.contradictions),
                "disagreements": [{"issue": i, "views": n, "distinct_answers": d} for i, n, d in self.disagreements],
                "seconds": round(self.seconds, 3)}


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CorpusReport:
    """The analysis of every case of a corpus, and the validation errors."""

    cases: tuple[CaseReport, ...]
    errors: tuple[str, ...]

    @property
    def per_issue(self) -> dict[str, tuple[int, int]]:
        """issue -> (cases where its views disagree, cases that raise it)."""
        out: dict[str, list[int]] = {}
        for c in self.cases:
            for issue, _, distinct in c.disagreements:
                row = out.setdefault(issue, [0, 0])
                row[1] += 1
                row[0] += distinct > 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    @property
    def failed(self) -> bool:
        return bool(self.errors) or any(c.failed for c in self.cases)

    def to_json(self) -> dict[str, Any]:
        return {"cases": [c.to_json() for c in self.cases], "errors": list(self.errors),
                "views_disagree": {i: {"cases": d, "raised_in": n} for i, (d, n) in self.per_issue.items()},
                "summary": {"cases": len(self.cases), "inconsistent": sum(bool(c.inconsistencies) for c in self.cases),
                            "unexpected": sum(c.failed for c in self.cases),
                            "with_contradictions": sum(bool(c.contradictions) for c in self.cases)}}


# --------------------------------------------------------------------- analysis
class _Context:
    """What check needs beyond the reasoner: helpers, the relaxed program, rule groups."""

    def __init__(self, reasoner: Reasoner) -> None:
        self.reasoner = reasoner
        rb = reasoner.rulebase
        directory = invariants_dir(rb.master)
        self.helpers = [p for p in (directory / "_prelude.lp", directory / "_opposites.lp") if p.is_file()]
        self.enc = Encodings(rb.master)
        self._relaxed: Relaxed | None = None

    def relaxed(self) -> Relaxed:
        if self._relaxed is None:
            self._relaxed = _engine.instrument(self.reasoner.rulebase.program, relax=True)
        return self._relaxed


def check_case(reasoner: Reasoner, case: Case, *, include_rejected: bool = False, views: Selection = (),
               explore: bool = False, _context: _Context | None = None) -> CaseReport:
    """Solve ``case`` under every combination of views and analyse the answers.

    ``views`` (``{"b": "joint"}`` or ``["b=joint"]``) fixes views as ``--view`` does;
    the other issues stay open. ``explore`` leaves unknown facts open."""
    t0 = time.perf_counter()
    ctx = _context or _Context(reasoner)
    case = canonical(case, reasoner.vocabulary)
    query = Query.of(reasoner.issues, views, include_rejected=include_rejected, explore=explore)
    fixed = query.selection
    facts, assumed = query.inputs(case)
    # a rejected view fixed explicitly is analysed, as Reasoner.solve does; the other rejected views stay off
    fixed_rejected = [(i, v) for i, v in fixed if reasoner.issues[i].view(v).off_by_default]
    allow = include_rejected or bool(fixed_rejected)
    facts = [f for f in facts if f != ALLOW_REJECTED.name] + ([ALLOW_REJECTED.name] if allow else [])
    session = _engine.Session(reasoner.rulebase.program, files=ctx.helpers, facts=facts, externals=assumed)
    base = [(a, True) for a in assumed] + _fixing(reasoner.issues, fixed)
    if fixed_rejected and not include_rejected:
        base += [((ADOPT.name, (i, w.id)), False) for i, issue in reasoner.issues.items() if i not in dict(fixed)
                 for w in issue.views if w.off_by_default]
    sigs = [ADOPT, OUTCOME, RAISED, CONTRADICTION]
    models = session.models(base, signatures=sigs, shown=True) or []
    expected = any(not e.consistent for e in case.expect)
    common: _Common = {"case_id": case.id, "path": display_path(case.path) if case.path else f"<case {case.id}>",
                       "expected_inconsistent": expected}
    if not models:
        inc = _explain(ctx, session, assumed, facts, fixed, reasoner.issues)
        return CaseReport(answers=0, consistent=False, inconsistencies=(inc,), seconds=time.perf_counter() - t0,
                          **common)

    issues = reasoner.issues
    allowed = {i: [v.id for v in issue.views if include_rejected or not v.off_by_default or (i, v.id) in fixed]
               for i, issue in issues.items()}
    parsed = []
    for m in cast(list[tuple[Atom, ...]], models):  # atoms of `sigs` and shown atoms: all with arguments
        adopted = tuple(sorted((str(a[1][0]), str(a[1][1])) for a in m if a[0] == ADOPT.name))
        raised = tuple(sorted(str(a[1][0]) for a in m if a[0] == RAISED.name))
        outcomes = frozenset(terms.show(a) for a in m if a[0] not in (ADOPT.name, RAISED.name, CONTRADICTION.name))
        contra = [a for a in m if a[0] == CONTRADICTION.name]
        parsed.append((adopted, raised, outcomes, contra))

    # combinations of views that have no answer
    inconsistencies: list[Inconsistency] = []
    seen_combos = {p[0] for p in parsed}
    tried: set[tuple[tuple[str, str], ...]] = set()
    for raised in sorted({p[1] for p in parsed}):
        pools = [[(i, v) for v in allowed.get(i, ()) if dict(fixed).get(i, v) == v] for i in raised]
        for combo in itertools.islice(itertools.product(*pools), MAX_COMBINATIONS):
            combo = tuple(sorted(combo))
            if combo in seen_combos or combo in tried:
                continue
            tried.add(combo)
            if session.models(base + _fixing(issues, combo), signatures=[ADOPT], limit=1):
                continue  # consistent (the selection may raise other issues)
            inconsistencies.append(_explain(ctx, session, assumed, facts, combo, issues))

    # an outcome and its opposite
    contradictions = set()
    for adopted, _, _, contra in parsed:
        for a in contra:
            matter, _kind, x, f1, b1, f2, b2 = a[1]
            label = ",".join(f"{i}={v}" for i, v in adopted) or "all views"
            contradictions.add(f"[{label}] {terms.show(x)} has {terms.show(f1)} ({terms.show(b1)}) and "
                               f"{terms.show(f2)} ({terms.show(b2)}) on {terms.show(matter)}")

    # where the views of an issue disagree
    disagreements: list[tuple[str, int, int]] = []
    for issue in sorted({i for p in parsed for i in p[1]}):
        per_view: dict[str | None, set[frozenset[str]]] = {}
        for adopted, raised, outcomes, _ in parsed:
            if issue in raised:
                v = dict(adopted).get(issue)
                per_view.setdefault(v, set()).add(outcomes)
        distinct = len({frozenset(s) for s in per_view.values()})
        disagreements.append((issue, len(per_view), distinct))

    return CaseReport(answers=len(models), consistent=not inconsistencies, inconsistencies=tuple(inconsistencies),
                      contradictions=tuple(sorted(contradictions)), disagreements=tuple(disagreements),
                      seconds=time.perf_counter() - t0, **common)


def _fixing(issues: Mapping[str, Issue], combo: Iterable[tuple[str, str]]) -> list[tuple[Raw, bool]]:
    """Fixing views as the reasoner does (``--view I=V``): every other view of I is denied."""
    return [(a, False) for a in excluded(issues, combo)]


def _explain(ctx: _Context, session: _engine.Session, assumed: list[Raw], facts: list[Raw],
             combo: tuple[tuple[str, str], ...], issues: Mapping[str, Issue]) -> Inconsistency:
    views = _fixing(issues, combo)
    core = session.core(views, assumed) or ()
    provisions, rules = _provisions(ctx, core, facts, views)
    return Inconsistency(views=combo, core=tuple(terms.show(c) for c in core), provisions=provisions, rules=rules)


def _provisions(ctx: _Context, core: Sequence[Raw], facts: Sequence[Raw], views: list[tuple[Raw, bool]]
                ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    program, index = ctx.relaxed()
    relaxed = _engine.Session(program, texts=[("<relax>", "#minimize { 1,N : pyr_violated(N) }.")],
                              files=ctx.helpers, facts=facts, externals=list(core))
    found = relaxed.models([(c, True) for c in core] + views, signatures=[("pyr_violated", 1), ("pyr_fired", 1)],
                           optimise=True, timeout=30)
    chosen: list[tuple[str, int]] = []
    if found:
        # pyr_violated(N) and pyr_fired(N) with N the number of a rule in `index`
        atoms = cast(tuple[tuple[str, tuple[int]], ...], found[0])
        violated = [a[1][0] for a in atoms if a[0] == "pyr_violated"]
        fired = {a[1][0] for a in atoms if a[0] == "pyr_fired"}
        by_pos = {(s.file, s.line): s for s in ctx.enc.statements}
        rules_by_head: dict[tuple[str, int], list[_engine.StatementInfo]] = {}
        for n in fired:
            file, line, _ = index[n]
            st = by_pos.get((file, line))
            if st is not None:
                for h in st.heads:
                    rules_by_head.setdefault(h, []).append(st)
        todo: list[tuple[str, int]] = []
        for n in violated:
            file, line, _ = index[n]
            chosen.append((file, line))
            st = by_pos.get((file, line))
            if st is not None:
                todo.extend((lit.name, lit.arity) for lit in st.body if lit.sign == 0)
        seen: set[tuple[str, int]] = set()
        while todo:
            sig = todo.pop()
            if sig in seen:
                continue
            seen.add(sig)
            for st in rules_by_head.get(sig, ()):
                if (st.file, st.line) not in chosen:
                    chosen.append((st.file, st.line))
                    todo.extend((lit.name, lit.arity) for lit in st.body if lit.sign == 0)
    if not chosen:  # static fallback: the rules that read the conflicting facts
        # the core holds status atoms `status(Fact)`, a fact a constant or a compound
        preds = {(c[1][0][0], len(c[1][0][1])) if isinstance(c[1][0], tuple) else (c[1][0], 0)
                 for c in cast(Sequence[Atom], core)}
        chosen = [(s.file, s.line) for s in ctx.enc.statements if set(s.reads) & preds]
    provisions: list[str] = []
    for file, line in chosen:
        group = ctx.enc.groups.get((file, line), "")
        label = group.split(":", 1)[1] if group.startswith("provision:") else group
        if group.startswith("view:"):
            label = "view " + group[5:]
        if label and not group.startswith("file:") and label not in provisions:
            provisions.append(label)
    rules = sorted({f"{display_path(f, ctx.enc.root)}:{line}" for f, line in chosen})
    return tuple(sorted(provisions)), tuple(rules)


def check_corpus(paths: Iterable[str | Path], reasoner: Reasoner | None = None, *,
                 include_rejected: bool = False, views: Selection = (), explore: bool = False) -> CorpusReport:
    """Validate and analyse every case under ``paths`` (files or folders)."""
    reasoner = reasoner or Reasoner()
    ctx = _Context(reasoner)
    cases: list[CaseReport] = []
    errors: list[str] = []
    paths = list(paths)
    find_case_files(paths)
    for item in load_cases(paths, reasoner.vocabulary):
        if isinstance(item, CaseError):
            errors.append(str(item))
            continue
        cases.append(check_case(reasoner, item, include_rejected=include_rejected, views=views, explore=explore,
                                _context=ctx))
    return CorpusReport(cases=tuple(cases), errors=tuple(errors))


# ------------------------------------------------------------------------ text
def render_case(c: CaseReport) -> str:
    """The text ``pyreasoner check`` prints for one case: its head line, then each inconsistency
    and contradiction."""
    lines = []
    if c.inconsistencies and c.answers == 0:
        head = "INCONSISTENT under every view"
    elif c.inconsistencies:
        head = f"{c.answers} answer(s); INCONSISTENT under {len(c.inconsistencies)} view combination(s)"
    else:
        head = f"ok, {c.answers} answer(s)"
    if c.inconsistencies and c.expected_inconsistent:
        head += " (expected by the case)"
    if c.disagreements:
        head += "; " + ", ".join(f"issue {i}: {n} view(s), {d} distinct answer(s)" for i, n, d in c.disagreements)
    lines.append(f"{c.case_id} ({c.path}): {head}")
    for inc in c.inconsistencies:
        label = ",".join(f"{i}={v}" for i, v in inc.views) or "every view"
        lines.append(f"  no consistent outcome under {label}")
        lines.append(f"    conflicting facts: {', '.join(inc.core) or '(none: the encodings alone)'}")
        lines.append(f"    provisions taking part: {', '.join(inc.provisions) or '-'}")
        if inc.rules:
            lines.append(f"    rules: {', '.join(inc.rules)}")
    for line in c.contradictions:
        lines.append(f"  outcome and its opposite: {line}")
    return "\n".join(lines)
