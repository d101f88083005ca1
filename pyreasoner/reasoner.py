"""The Reasoner: parse the encodings once, then solve case after case.

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import Case, Fact
>>> facts = [Fact(predicate=p, args=a, status="established") for p, a in [
...     ("party", ("p", "platform")), ("party", ("m", "merchant")), ("party", ("c", "consumer")),
...     ("on_platform", ("m", "p")), ("sold", ("m", "g", "c")),
...     ("concerns_life_health", ("g",)), ("damage", ("c", "g"))]]
>>> facts.append(Fact(predicate="reviewed_qualification", args=("p", "m"), status="refuted"))
>>> result = Reasoner().solve(Case(id="demo", facts=tuple(facts)), views={"b": "joint"})
>>> [o.atom for o in result.in_all]
['outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypedDict

from . import _engine, terms
from .case import STATUSES, Case, Fact, load_case
from .errors import CaseError, UsageError
from .result import Answer, Outcome, Result
from .rulebase import RuleBase, default_master
from .terms import Raw
from .views import Issue, parse_selection
from .vocabulary import Vocabulary

__all__ = ["Reasoner"]

Selection = Mapping[str, str] | Iterable[str]
#: Default time limit of :meth:`Reasoner.solve`, in seconds of search.
TIME_LIMIT = 60.0
#: Default limit on the answers :meth:`Reasoner.solve` enumerates (the bundled corpus has at
#: most 49, ``--explore`` included).
MAX_ANSWERS = 1000


class Reasoner:
    """Solves cases against one rule base.

    Parameters
    ----------
    encodings:
        The master file (``main.lp``) or its folder; by default the encodings that
        ship with the package.
    """

    def __init__(self, encodings: str | Path | None = None) -> None:
        master = default_master() if encodings is None else Path(encodings)
        if master.is_dir():
            master = master / "main.lp"
        self.rulebase = RuleBase(master)

    @property
    def vocabulary(self) -> Vocabulary:
        return self.rulebase.vocabulary

    @property
    def issues(self) -> dict[str, Issue]:
        return self.rulebase.issues

    def load(self, path: str | Path) -> Case:
        """Load and validate one case file."""
        return load_case(path, self.vocabulary)

    # ----------------------------------------------------------------- solving
    def _check(self, case: Case) -> Case:
        """Re-validate a case built through the API (files are checked on load) and
        return it with its arguments in canonical form."""
        where = case.path or f"<case {case.id}>"
        seen: dict[tuple[str, tuple[Raw, ...]], str] = {}
        canonical: list[Fact] = []
        for i, fact in enumerate(case.facts):
            key = f"facts[{i}]"
            if fact.status not in STATUSES:
                raise CaseError(where, key, f"unknown status {fact.status!r}; expected one of {', '.join(STATUSES)}")
            try:
                args = self.vocabulary.check(fact.predicate, tuple(fact.args))
            except ValueError as exc:
                raise CaseError(where, key, str(exc)) from None
            ident = (fact.predicate, args)
            if ident in seen:
                raise CaseError(where, key, f"the fact {fact.atom} is listed twice ({seen[ident]} and {fact.status})")
            seen[ident] = fact.status
            canonical.append(Fact(predicate=fact.predicate, args=args, status=fact.status))
        keys = [f"facts[{i}]" for i in range(len(canonical))]
        conflict = self.vocabulary.entity_conflict([(f.predicate, f.args) for f in canonical], keys)
        if conflict is not None:
            raise CaseError(where, keys[conflict[0]], conflict[1])
        return dataclasses.replace(case, facts=tuple(canonical))

    def _selection(self, views: Selection, include_rejected: bool) -> tuple[tuple[tuple[str, str], ...], list[Raw]]:
        selection = parse_selection(views, self.issues)
        fixed = dict(selection)
        denied: list[Raw] = []
        for issue in self.issues.values():
            for view in issue.views:
                if issue.id in fixed:
                    if view.id != fixed[issue.id]:
                        denied.append(("adopt", (issue.id, view.id)))
                elif view.status == "rejected" and not include_rejected:
                    denied.append(("adopt", (issue.id, view.id)))
        return selection, denied

    @staticmethod
    def _inputs(case: Case, explore: bool) -> tuple[list[Raw], list[Raw]]:
        facts: list[Raw] = [("fact_pred", (f.term, f.predicate)) for f in case.facts]
        facts.append("allow_rejected")  # rejection is handled by the denied assumptions
        if explore:
            facts.append("explore")
        assumed: list[Raw] = [(f.status, (f.term,)) for f in case.facts]
        return facts, assumed

    def solve(self, case: Case, *, views: Selection = (), include_rejected: bool = False,
              explore: bool = False, time_limit: float | None = TIME_LIMIT,
              max_answers: int | None = MAX_ANSWERS) -> Result:
        """Enumerate every answer set of ``case`` (up to the limits).

        Parameters
        ----------
        views:
            Views to fix, as ``{"b": "joint"}`` or ``["b=joint"]``; other issues stay open.
        include_rejected:
            Let views that the source paper rejects be adopted too.
        explore:
            Leave unknown facts open: each answer records which completion it rests on.
        time_limit:
            Seconds of search (default :data:`TIME_LIMIT`; ``None``: none). Past it the
            answers found so far are returned with ``Result.cut == "time"``; when none was
            found, a :class:`~pyreasoner.errors.CaseError` says so.
        max_answers:
            The most answers enumerated (default :data:`MAX_ANSWERS`; ``None``: all). When
            there are more, ``Result.cut == "answers"`` (``--explore`` on a case with many
            unknown facts has 2^n completions per view).
        """
        case = self._check(case)
        selection, denied = self._selection(views, include_rejected)
        _check_limits(time_limit, max_answers)
        raw = self._reference(self.rulebase.program, case, explore, denied, time_limit, max_answers)
        return _result(case.id, selection, include_rejected, explore, raw)

    def _reference(self, program: _engine.Program, case: Case, explore: bool, denied: Sequence[Raw],
                   time_limit: float | None, max_answers: int | None) -> _engine.SolveOutcome:
        """One case alone (the reference path): every answer set up to the limits, or the core."""
        facts, assumed = self._inputs(case, explore)
        try:
            return _engine.solve(program, facts, assumed, denied, timeout=time_limit, limit=max_answers or 0,
                                 partial=True)
        except TimeoutError:
            raise CaseError(case.path or f"<case {case.id}>", None, f"no answer within the time limit of "
                            f"{time_limit:g} s (--time-limit)") from None

    def solve_many(self, cases: Iterable[Case], *, views: Selection = (), include_rejected: bool = False,
                   explore: bool = False, time_limit: float | None = TIME_LIMIT,
                   max_answers: int | None = MAX_ANSWERS, chunk_size: int = 64) -> Iterator[Result]:
        """:meth:`solve` on each of ``cases``, lazily, results in input order.

        The same options and the same results as :meth:`solve` on each case, at batch
        speed: the cases are grounded ``chunk_size`` at a time together (the batch
        engine of ``pyreasoner batch --workers 0``, in this process) and each solved by
        assumptions. A case with no answer set is solved again alone for its core, as
        :meth:`solve` does. An invalid case raises :class:`CaseError` when its turn comes
        (the results before it are yielded first).

        ``time_limit`` and ``max_answers`` are :meth:`solve`'s, per case: a case that
        reaches either in its chunk is solved again alone under them, so that it gets
        exactly what :meth:`solve` gives (the answers found in time, ``cut``, or the
        ``CaseError`` of a case with no answer in time).
        """
        if type(chunk_size) is not int or chunk_size < 1:
            raise UsageError("chunk_size", str(chunk_size), "expected a whole number of cases >= 1")
        _check_limits(time_limit, max_answers)
        selection, denied = self._selection(views, include_rejected)
        tagged = self._tagged()
        mode: list[str] = ["allow_rejected"] + (["explore"] if explore else [])
        program = self._untagged_program()
        chunk: list[Case] = []
        it = iter(cases)
        while True:
            chunk.clear()
            for case in it:
                chunk.append(case)
                if len(chunk) >= chunk_size:
                    break
            if not chunk:
                return
            checked: list[Case | CaseError] = []
            for case in chunk:
                try:
                    checked.append(self._check(case))
                except CaseError as exc:
                    checked.append(exc)
            good = [c for c in checked if isinstance(c, Case)]
            ground: _engine.ChunkGround | None = None
            if tagged is not None and good:
                try:
                    ground = _engine.ChunkGround(tagged, [[(f.status, f.term, f.predicate) for f in c.facts]
                                                          for c in good], mode)
                except Exception:  # grounding the chunk failed: each case alone
                    ground = None
            # k: the case's copy in the chunk (an invalid entry ends the loop, so the entries
            # before it are the good ones, in order)
            for k, entry in enumerate(checked):
                if not isinstance(entry, Case):
                    raise entry
                case = entry
                raw: _engine.SolveOutcome | None = None
                if ground is not None:
                    try:
                        raw = ground.solve(k, denied, timeout=time_limit)
                    except TimeoutError:  # the limit reached in the chunk: alone, as solve() does
                        raw = None
                    if raw is not None and max_answers and len(raw.models) > max_answers:
                        raw = None  # more answers than allowed: alone, for solve()'s first ones and cut
                if raw is None or not raw.satisfiable:  # no answer set: the reference path names the core
                    raw = self._reference(program, case, explore, denied, time_limit, max_answers)
                yield _result(case.id, selection, include_rejected, explore, raw)

    def _untagged_program(self) -> _engine.Program:
        program = getattr(self, "_plain", None)
        if program is None:
            program = self._plain = _engine.without_comments(self.rulebase.program)
        return program

    def _tagged(self) -> _engine.TaggedProgram | None:
        """The encodings rewritten for the chunk engine (``None``: they cannot be, and
        :meth:`solve_many` solves each case alone), made once per reasoner."""
        if not hasattr(self, "_tagged_program"):
            tagged = None
            if not any(n.startswith("pyreasoner_") for n in self.vocabulary):
                try:
                    tagged = _engine.tag_program(self._untagged_program(),
                                                 [(s, 1) for s in STATUSES] + [("fact_pred", 2)], STATUSES)
                except Exception:  # an encoding the rewriting does not know: each case alone
                    tagged = None
            self._tagged_program = tagged
        return self._tagged_program

    # ---------------------------------------------------------------- program
    def program(self, case: Case, *, views: Selection = (), include_rejected: bool = False,
                explore: bool = False) -> str:
        """The exact program for ``case``: plain clingo on it gives the same answer sets
        as :meth:`solve` (``python -m clingo FILE 0 --project=show``)."""
        case = self._check(case)
        _, denied = self._selection(views, include_rejected)
        facts, assumed = self._inputs(case, explore)
        lines = [f"%% pyreasoner program for case {case.id}",
                 "%% run: python -m clingo THIS_FILE 0 --project=show",
                 f'#include "{_escape(str(self.rulebase.master))}".']
        lines += [terms.show(a) + "." for a in assumed]
        lines += [terms.show(f) + "." for f in facts]
        lines += [f":- {terms.show(d)}." for d in denied]
        return "\n".join(lines) + "\n"


def _check_limits(time_limit: float | None, max_answers: int | None) -> None:
    if time_limit is not None and not 0 < time_limit <= 86_400:  # nan and inf fail too
        raise UsageError("time_limit", str(time_limit), "expected seconds above 0 and at most 86400 (or None)")
    if max_answers is not None and (type(max_answers) is not int or max_answers < 1):
        raise UsageError("max_answers", str(max_answers), "expected a whole number of answers >= 1 (or None)")


class _Common(TypedDict):
    """The fields of a :class:`Result` that do not depend on its answers."""

    case_id: str
    selection: tuple[tuple[str, str], ...]
    include_rejected: bool
    explore: bool
    ground_seconds: float
    solve_seconds: float


def _result(case_id: str, selection: tuple[tuple[str, str], ...], include_rejected: bool, explore: bool,
            raw: _engine.SolveOutcome) -> Result:
    """Build the :class:`Result` of one solve (shared by :meth:`Reasoner.solve` and the
    batch engine, so that both give the very same results)."""
    common: _Common = {"case_id": case_id, "selection": selection, "include_rejected": include_rejected,
                       "explore": explore, "ground_seconds": raw.ground_seconds, "solve_seconds": raw.solve_seconds}
    if not raw.satisfiable:
        return Result(consistent=False, answers=(), core=tuple(terms.show(c) for c in raw.core), **common)
    answers = tuple(sorted((_answer(m) for m in raw.models), key=lambda a: (a.views, a.atoms)))
    return Result(consistent=True, answers=answers, cut=getattr(raw, "cut", None), **common)


def _escape(path: str) -> str:
    return path.replace("\\", "\\\\").replace('"', '\\"')


#: The Outcome of an ``outcome/4`` atom's arguments: the answers of a case, and the cases of
#: a batch, meet the same outcomes again and again (an Outcome is frozen; emptied when full).
_OUTCOMES: dict[tuple[Raw, ...], Outcome] = {}


def _answer(model: tuple[Raw, ...]) -> Answer:
    views: list[tuple[str, str]] = []
    outcomes: list[Outcome] = []
    displaced: list[tuple[str, str]] = []
    completion: list[tuple[str, str]] = []
    for atom in model:
        name, args = atom if isinstance(atom, tuple) else (atom, ())
        if name == "adopt" and len(args) == 2:
            views.append((str(args[0]), str(args[1])))
        elif name == "outcome" and len(args) == 4:
            outcome = _OUTCOMES.get(args)
            if outcome is None:
                if len(_OUTCOMES) >= 100_000:
                    _OUTCOMES.clear()
                outcome = _OUTCOMES[args] = Outcome.from_term(args)
            outcomes.append(outcome)
        elif name == "displaced" and len(args) == 2:
            displaced.append((str(args[0]), str(args[1])))
        elif name == "completion" and len(args) == 2:
            completion.append((terms.show(args[0]), str(args[1])))
    return Answer(views=tuple(sorted(views)), outcomes=tuple(sorted(outcomes, key=lambda o: o.atom)),
                  displaced=tuple(sorted(displaced)), completion=tuple(sorted(completion)),
                  atoms=tuple(sorted(terms.show(a) for a in model)))
