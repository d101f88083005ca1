"""The Reasoner: parse the encodings once, then solve case after case.

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import Case, Fact
>>> facts = [Fact(predicate=p, args=a, status="established") for p, a in [
...     ("party", ("p", "platform")), ("party", ("m", "merchant")), ("party", ("c", "consumer")),
...     ("on_platform", ("m", "p")), ("sold", ("m", "g", "c")),
...     ("concerns_life_health", ("g",)), ("damage", ("c", "g")),
...     ("caused_damage", ("p", "c", "g"))]]
>>> facts.append(Fact(predicate="reviewed_qualification", args=("p", "m"), status="refuted"))
>>> result = Reasoner().solve(Case(id="demo", facts=tuple(facts)), views={"b": "joint"})
>>> [o.atom for o in result.in_all]
['outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from . import _engine, cache, terms
from .case import STATUSES, Case, load_case
from .contract import CASE_INPUTS
from .errors import CaseError, UsageError
from .query import Query, Selection, canonical
from .result import Result
from .rulebase import RuleBase, default_master
from .views import Issue
from .vocabulary import Vocabulary

__all__ = ["Reasoner", "Selection"]

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
        case = canonical(case, self.vocabulary)
        query = Query.of(self.issues, views, include_rejected=include_rejected, explore=explore)
        _check_limits(time_limit, max_answers)
        raw = self._reference(self.rulebase.solver_program, case, query, time_limit, max_answers)
        return query.result(case.id, raw)

    @staticmethod
    def _reference(program: _engine.Program, case: Case, query: Query, time_limit: float | None,
                   max_answers: int | None) -> _engine.SolveOutcome:
        """One case alone (the reference path): every answer set up to the limits, or the core."""
        facts, assumed = query.inputs(case)
        try:
            return _engine.solve(program, facts, assumed, query.denied, timeout=time_limit, limit=max_answers or 0,
                                 partial=True)
        except TimeoutError:
            raise CaseError(case.path or f"<case {case.id}>", None, f"no answer within the time limit of "
                            f"{time_limit:g} s (--time-limit)") from None

    def solve_many(self, cases: Iterable[Case], *, views: Selection = (), include_rejected: bool = False,
                   explore: bool = False, time_limit: float | None = TIME_LIMIT,
                   max_answers: int | None = MAX_ANSWERS, chunk_size: int = _engine.CHUNK_SIZE) -> Iterator[Result]:
        """:meth:`solve` on each of ``cases``, lazily, results in input order.

        The same options and the same results as :meth:`solve` on each case, at batch
        speed: the cases are grounded ``chunk_size`` at a time together (the batch
        engine of ``pyreasoner batch --workers 0``, in this process), each chunk solved in
        one call. A case with no answer set is solved again alone for its core, as
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
        query = Query.of(self.issues, views, include_rejected=include_rejected, explore=explore)
        tagged = self._tagged()
        program = self.rulebase.solver_program
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
                    checked.append(canonical(case, self.vocabulary))
                except CaseError as exc:
                    checked.append(exc)
            good = [c for c in checked if isinstance(c, Case)]
            ground: _engine.ChunkGround | None = None
            if tagged is not None and good:
                try:
                    ground = _engine.ChunkGround(tagged, [[(f.status, f.term, f.predicate) for f in c.facts]
                                                          for c in good], list(query.modes))
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
                        raw = ground.solve(k, query.denied, timeout=time_limit)
                    except TimeoutError:  # the limit reached in the chunk: alone, as solve() does
                        raw = None
                    if raw is not None and max_answers and len(raw.models) > max_answers:
                        raw = None  # more answers than allowed: alone, for solve()'s first ones and cut
                if raw is None or not raw.satisfiable:  # no answer set: the reference path names the core
                    raw = self._reference(program, case, query, time_limit, max_answers)
                yield query.result(case.id, raw)

    def _tagged(self) -> _engine.TaggedProgram | None:
        """The encodings rewritten for the chunk engine (``None``: they cannot be, and
        :meth:`solve_many` solves each case alone), made once per reasoner."""
        if not hasattr(self, "_tagged_program"):
            tagged = None
            if not any(n.startswith("pyreasoner_") for n in self.vocabulary):
                try:
                    # kept on disk between runs (pyreasoner.cache): some 0.5 s a reasoner otherwise
                    tagged = cache.tagged(self.rulebase.solver_program, CASE_INPUTS, STATUSES)
                except Exception:  # an encoding the rewriting does not know: each case alone
                    tagged = None
            self._tagged_program = tagged
        return self._tagged_program

    # ---------------------------------------------------------------- program
    def program(self, case: Case, *, views: Selection = (), include_rejected: bool = False,
                explore: bool = False) -> str:
        """The exact program for ``case``: plain clingo on it gives the same answer sets
        as :meth:`solve` (``python -m clingo FILE 0 --project=show``)."""
        case = canonical(case, self.vocabulary)
        query = Query.of(self.issues, views, include_rejected=include_rejected, explore=explore)
        facts, assumed = query.inputs(case)
        lines = [f"%% pyreasoner program for case {case.id}",
                 "%% run: python -m clingo THIS_FILE 0 --project=show",
                 f'#include "{_escape(str(self.rulebase.master))}".']
        lines += [terms.show(a) + "." for a in assumed]
        lines += [terms.show(f) + "." for f in facts]
        lines += [f":- {terms.show(d)}." for d in query.denied]
        return "\n".join(lines) + "\n"


def _check_limits(time_limit: float | None, max_answers: int | None) -> None:
    if time_limit is not None and (isinstance(time_limit, bool) or not isinstance(time_limit, (int, float))):
        raise UsageError("time_limit", repr(time_limit), "expected a number of seconds (or None)")
    if time_limit is not None and not 0 < time_limit <= 86_400:  # nan and inf fail too
        raise UsageError("time_limit", str(time_limit), "expected seconds above 0 and at most 86400 (or None)")
    if max_answers is not None and (type(max_answers) is not int or max_answers < 1):
        raise UsageError("max_answers", str(max_answers), "expected a whole number of answers >= 1 (or None)")


def _escape(path: str) -> str:
    return path.replace("\\", "\\\\").replace('"', '\\"')
