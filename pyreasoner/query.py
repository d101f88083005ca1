"""What the solver gets: a case, a view selection and the modes, as clingo input.

The one place where a view selection becomes solver input. :meth:`Query.of` reads a
selection (``{"b": "joint"}`` or ``["b=joint"]``) against the issues and names the
``adopt/2`` atoms the solver must not make true: every other view of an issue the
selection fixes, and every view the source paper rejects (unless rejected views are let
in, or the view is the rule of the law in force). :meth:`Query.inputs` turns a case into facts and assumptions, :meth:`Query.result`
turns what the solver returns into a :class:`~pyreasoner.result.Result`. ``solve``,
``solve_many``, ``batch``, ``diff`` and ``explain`` go through a :class:`Query`;
``check`` and ``verify``, which let the encodings' own rule keep rejected views off
(``allow_rejected``), use :func:`excluded` to fix a view by denying the others.

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import Case, Fact
>>> reasoner = Reasoner()
>>> q = Query.of(reasoner.issues, ["b=joint"])
>>> q.selection
(('b', 'joint'),)
>>> ("adopt", ("b", "supplementary")) in q.denied, ("adopt", ("b", "joint")) in q.denied
(True, False)
>>> q.modes
('allow_rejected',)
>>> case = canonical(Case(id="x", facts=(Fact(predicate="party", args=("p", "platform"),
...                                        status="established"),)), reasoner.vocabulary)
>>> q.inputs(case)
([('fact_pred', (('party', ('p', 'platform')), 'party')), 'allow_rejected'], [('established', (('party', ('p', 'platform')),))])
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from . import _engine, terms
from .case import _ID, STATUSES, Case, Fact
from .contract import ADOPT, ALLOW_REJECTED, COMPLETION, DISPLACED_SHOWN, EXPLORE, FACT_PRED, OUTCOME
from .errors import CaseError, UsageError
from .result import Answer, Outcome, Result
from .terms import Raw
from .views import Issue, parse_selection
from .vocabulary import Vocabulary

__all__ = ["Query", "Selection", "canonical", "excluded"]

#: A view selection: ``{"b": "joint"}`` or ``["b=joint"]``.
Selection = Mapping[str, str] | Iterable[str]


def excluded(issues: Mapping[str, Issue], selection: Iterable[tuple[str, str]]) -> tuple[Raw, ...]:
    """Fixing views as ``--view I=V`` does: the ``adopt/2`` atom of every other view of
    each issue the (parsed) selection fixes, in the selection's order.

    >>> from pyreasoner import Reasoner
    >>> excluded(Reasoner().issues, [("a", "civil_only")])
    (('adopt', ('a', 'comprehensive')),)
    """
    return tuple(atom for i, v in dict(selection).items() for atom in _others(issues[i], v))


def _others(issue: Issue, view: str) -> list[Raw]:
    """The ``adopt/2`` atoms of the views of ``issue`` other than ``view``, in its order."""
    return [(ADOPT.name, (issue.id, w.id)) for w in issue.views if w.id != view]


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Query:
    """A view selection and the modes of a solve, as the solver gets them.

    ``denied``: the ``adopt/2`` atoms assumed false (in the issues' order): the other
    views of each fixed issue and, unless ``include_rejected``, the views the paper
    rejects that are not the law in force (:attr:`View.off_by_default`); a rejected view
    fixed explicitly is adopted.
    """

    selection: tuple[tuple[str, str], ...] = ()
    include_rejected: bool = False
    explore: bool = False
    denied: tuple[Raw, ...] = ()

    @classmethod
    def of(cls, issues: Mapping[str, Issue], views: Selection = (), *, include_rejected: bool = False,
           explore: bool = False) -> Query:
        """Read ``views`` against ``issues`` (a bad one is a :class:`~pyreasoner.errors.UsageError`)."""
        selection = parse_selection(views, issues)
        fixed = dict(selection)
        denied: list[Raw] = []
        for issue in issues.values():
            if issue.id in fixed:
                denied.extend(_others(issue, fixed[issue.id]))
            elif not include_rejected:
                denied.extend((ADOPT.name, (issue.id, view.id)) for view in issue.views if view.off_by_default)
        return cls(selection=selection, include_rejected=include_rejected, explore=explore, denied=tuple(denied))

    @property
    def modes(self) -> tuple[str, ...]:
        """The mode facts: ``allow_rejected`` always (rejection is decided by ``denied``),
        ``explore`` when unknown facts are left open."""
        return (ALLOW_REJECTED.name, EXPLORE.name) if self.explore else (ALLOW_REJECTED.name,)

    def inputs(self, case: Case) -> tuple[list[Raw], list[Raw]]:
        """The facts (``fact_pred/2`` and the modes) and the assumptions (``established(F)``
        etc.) of a case checked by :func:`canonical`."""
        facts: list[Raw] = [(FACT_PRED.name, (f.term, f.predicate)) for f in case.facts]
        facts.extend(self.modes)
        assumed: list[Raw] = [(f.status, (f.term,)) for f in case.facts]
        return facts, assumed

    def result(self, case_id: str, raw: _engine.SolveOutcome) -> Result:
        """The :class:`Result` of one solve (the same for :meth:`Reasoner.solve
        <pyreasoner.Reasoner.solve>`, ``solve_many``, the batch engine and ``diff``)."""
        common: _Common = {"case_id": case_id, "selection": self.selection, "include_rejected": self.include_rejected,
                           "explore": self.explore, "ground_seconds": raw.ground_seconds,
                           "solve_seconds": raw.solve_seconds}
        if not raw.satisfiable:
            return Result(consistent=False, answers=(), core=tuple(terms.show(c) for c in raw.core), **common)
        answers = tuple(sorted((_answer(m) for m in raw.models), key=lambda a: (a.views, a.atoms)))
        return Result(consistent=True, answers=answers, cut=getattr(raw, "cut", None), **common)


def canonical(case: Case, vocabulary: Vocabulary) -> Case:
    """Re-validate a case built through the API (files are checked on load) and return it
    with its arguments in canonical form; a bad fact is a :class:`CaseError`."""
    if not isinstance(case, Case):
        raise UsageError("case", repr(case)[:80], "expected a pyreasoner.Case (load a file with "
                         "pyreasoner.load_case(path, reasoner.vocabulary))")
    where = case.path or f"<case {case.id}>"
    if not isinstance(case.id, str) or not _ID.match(case.id):
        raise CaseError(where, "id", f"'id' must be text of letters, digits, '_', '.', '-' (got {case.id!r})")
    seen: dict[tuple[str, tuple[Raw, ...]], str] = {}
    checked: list[Fact] = []
    for i, fact in enumerate(case.facts):
        key = f"facts[{i}]"
        if fact.status not in STATUSES:
            raise CaseError(where, key, f"unknown status {fact.status!r}; expected one of {', '.join(STATUSES)}")
        try:
            args = vocabulary.check(fact.predicate, tuple(fact.args))
        except ValueError as exc:
            raise CaseError(where, key, str(exc)) from None
        ident = (fact.predicate, args)
        if ident in seen:
            raise CaseError(where, key, f"the fact {fact.atom} is listed twice ({seen[ident]} and {fact.status})")
        seen[ident] = fact.status
        checked.append(Fact(predicate=fact.predicate, args=args, status=fact.status))
    keys = [f"facts[{i}]" for i in range(len(checked))]
    conflict = vocabulary.case_conflict([(f.predicate, f.args) for f in checked], keys)
    if conflict is not None:
        raise CaseError(where, keys[conflict[0]], conflict[1])
    return dataclasses.replace(case, facts=tuple(checked))


class _Common(TypedDict):
    """The fields of a :class:`Result` that do not depend on its answers."""

    case_id: str
    selection: tuple[tuple[str, str], ...]
    include_rejected: bool
    explore: bool
    ground_seconds: float
    solve_seconds: float


#: The Outcome of an ``outcome/4`` atom's arguments: the answers of a case, and the cases of
#: a batch, meet the same outcomes again and again (an Outcome is frozen; emptied when full).
_OUTCOMES: dict[tuple[Raw, ...], Outcome] = {}

#: What :func:`_answer` reads from a shown atom (see :func:`_read`), by the atom object's
#: ``id``: the solver hands the same term objects again and again (model after model, case
#: after case), and a term's own hash is recomputed over its parts at every use. Each entry
#: keeps its atom, so no other object can have that id while the entry lives (emptied when full).
_READ: dict[int, tuple[Raw, int, Any, str]] = {}
_READ_MAX = 50_000
#: The kinds of shown atom :func:`_answer` tells apart.
_OTHER, _VIEW, _OUTCOME, _DISPLACED, _COMPLETION = range(5)


def _read(atom: Raw) -> tuple[Raw, int, Any, str]:
    """``(atom, kind, what it gives, its text)``: an ``adopt/2`` atom gives its view, an
    ``outcome/4`` atom its :class:`Outcome`, ``displaced_shown/2`` and ``completion/2``
    atoms their pair; every atom its canonical text."""
    name, args = atom if isinstance(atom, tuple) else (atom, ())
    sig = (name, len(args))
    kind: int = _OTHER
    value: Any = None
    if sig == ADOPT:
        kind, value = _VIEW, (str(args[0]), str(args[1]))
    elif sig == OUTCOME:
        value = _OUTCOMES.get(args)
        if value is None:
            if len(_OUTCOMES) >= 100_000:
                _OUTCOMES.clear()
            value = _OUTCOMES[args] = Outcome.from_term(args)
        kind = _OUTCOME
    elif sig == DISPLACED_SHOWN:
        kind, value = _DISPLACED, (str(args[0]), str(args[1]))
    elif sig == COMPLETION:
        kind, value = _COMPLETION, (terms.show(args[0]), str(args[1]))
    return (atom, kind, value, terms.show(atom))


def _answer(model: tuple[Raw, ...]) -> Answer:
    views: list[tuple[str, str]] = []
    outcomes: list[Outcome] = []
    displaced: list[tuple[str, str]] = []
    completion: list[tuple[str, str]] = []
    shown: list[str] = []
    memo = _READ
    for atom in model:
        entry = memo.get(id(atom))
        if entry is None or entry[0] is not atom:
            if len(memo) >= _READ_MAX:
                memo.clear()
            entry = memo[id(atom)] = _read(atom)
        _, kind, value, text = entry
        shown.append(text)
        if kind == _OUTCOME:
            outcomes.append(value)
        elif kind == _VIEW:
            views.append(value)
        elif kind == _DISPLACED:
            displaced.append(value)
        elif kind == _COMPLETION:
            completion.append(value)
    return Answer(views=tuple(sorted(views)), outcomes=tuple(sorted(outcomes, key=_BY_ATOM)),
                  displaced=tuple(sorted(displaced)), completion=tuple(sorted(completion)),
                  atoms=tuple(sorted(shown)))


_BY_ATOM = operator.attrgetter("atom")
