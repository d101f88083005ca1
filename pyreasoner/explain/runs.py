"""Explaining a case: solve with the shadow rules, then one tree per outcome (or target).

See :func:`explain`; the package docstring (:mod:`pyreasoner.explain`) runs an example.

>>> from pyreasoner.explain.runs import DEFAULT_DEPTH
>>> DEFAULT_DEPTH
8
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from .. import _engine, terms
from ..case import Case
from ..contract import COMPLETION, OUTCOME
from ..errors import UsageError
from ..query import Query, canonical
from ..terms import Raw
from .model import AnswerExplanation, CaseExplanation, Explanation
from .patterns import Compound, _from_pattern_text, _matches, _show, _sig
from .rules import _meta
from .trees import DEFAULT_DEPTH, _Answer

if TYPE_CHECKING:
    from ..query import Selection
    from ..reasoner import Reasoner

__all__ = ["DEFAULT_DEPTH", "explain"]


# ------------------------------------------------------------------ runs
def _prepare(reasoner: Reasoner, case: Case, views: Selection, include_rejected: bool, explore: bool
             ) -> tuple[Case, tuple[tuple[str, str], ...], list[Raw], list[Raw], tuple[Raw, ...]]:
    case = canonical(case, reasoner.vocabulary)
    query = Query.of(reasoner.issues, views, include_rejected=include_rejected, explore=explore)
    facts, assumed = query.inputs(case)
    return case, query.selection, facts, assumed, query.denied


def _answers(reasoner: Reasoner, case: Case, facts: Sequence[Raw], assumed: Sequence[Raw], denied: Sequence[Raw],
             depth: int) -> list[_Answer]:
    table = _engine.rule_table(reasoner.rulebase.program)
    meta = _meta(table)
    models = _engine.solve_explained(table, facts, assumed, denied)
    burdens = {name: p.burden for name, p in reasoner.vocabulary.items()}
    out = []
    for m in models:
        a = _Answer(m, table, meta, case, burdens, depth)
        a.provisions = reasoner.rulebase.provisions
        out.append(a)
    out.sort(key=lambda a: (a.views, a.model.shown))
    return out


def _outcomes(ans: _Answer) -> list[Raw]:
    return sorted(ans.atoms_of(OUTCOME), key=terms.show)


def explain(reasoner: Reasoner, case: Case, *, views: Selection = (), include_rejected: bool = False,
            explore: bool = False, target: str | None = None, depth: int = DEFAULT_DEPTH,
            _keep: list[_Answer] | None = None) -> CaseExplanation:
    """Explain every answer set of ``case`` under a view selection.

    Parameters
    ----------
    reasoner:
        A :class:`~pyreasoner.Reasoner`.
    views, include_rejected, explore:
        As for :meth:`Reasoner.solve`.
    target:
        An atom or pattern (``_`` matches anything), e.g.
        ``"outcome(civil, p, joint_several(m), _)"``. Without it every outcome of each
        answer is explained. With it, each answer explains the matching atoms that
        hold, or why none holds.
    depth:
        How many rules deep a why-not tree looks.
    """
    case, selection, facts, assumed, denied = _prepare(reasoner, case, views, include_rejected, explore)
    pattern: Raw | None = None
    if target is not None:
        try:
            pattern = _from_pattern_text(terms.parse(target, wildcards=True))
        except ValueError as exc:
            raise UsageError("target", target, f"not an atom: {exc}") from None
    answers = _answers(reasoner, case, facts, assumed, denied, depth)
    if _keep is not None:
        _keep.extend(answers)
    if not answers:
        result = reasoner.solve(case, views=views, include_rejected=include_rejected, explore=explore)
        return CaseExplanation(case_id=case.id, consistent=False, selection=selection, answers=(), core=result.core)
    out = []
    for ans in answers:
        if pattern is None:
            targets = _outcomes(ans)
        else:
            targets = sorted((a for a in ans.atoms_of(_sig(pattern)) if _matches(pattern, a)), key=terms.show)
        exps = []
        for t in targets:
            exps.append(Explanation(target=terms.show(t), holds=True, tree=ans.why(t)))
        if pattern is not None and not targets:
            exps.append(Explanation(target=_show(pattern), holds=False, tree=ans.why_not(pattern)))
        completion = tuple(sorted((terms.show(a[1][0]), str(a[1][1]))
                                  for a in cast(list[Compound], ans.atoms_of(COMPLETION))))  # arity 2: compounds
        out.append(AnswerExplanation(views=ans.views, outcomes=tuple(terms.show(o) for o in _outcomes(ans)),
                                     completion=completion, explanations=tuple(exps)))
    return CaseExplanation(case_id=case.id, consistent=True, selection=selection, answers=tuple(out))
