"""Contrast and relevance: where two view selections part, and which unknown fact matters.

* :func:`contrast` shows the rule instances that fire under one selection and not the
  other although everything else they need holds under both;
* :func:`relevance` says which unknown facts would change an outcome if proven the
  other way (solved with clingo assumptions on one grounding), and to what.

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import Case, Fact
>>> relevance(Reasoner(), Case(id="none", facts=(Fact(predicate="party", args=("p", "platform"),
...                                                       status="established"),)))
()
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from .. import _engine, terms
from ..case import Case, Fact
from ..contract import ADOPT, EXPLORE, OUTCOME, TRUE
from ..query import excluded
from ..terms import Raw
from .model import Contrast, FactRelevance, Node
from .patterns import _show
from .runs import _answers, _outcomes, _prepare
from .trees import DEFAULT_DEPTH, _Answer

if TYPE_CHECKING:
    from ..query import Selection
    from ..reasoner import Reasoner


def _frontier(ans: _Answer, other: _Answer) -> list[Node]:
    """Rule instances firing in ``ans`` and not in ``other`` although each positive
    body atom other than a view's adoption holds in ``other`` too."""
    other_fired = {(f[0], f[1], f[2], f[3]) for f in other.model.fired}
    nodes = []
    for f in ans.model.fired:
        if (f[0], f[1], f[2], f[3]) in other_fired or f[1] in other.atoms:
            continue
        if isinstance(f[1], tuple) and f[1][0] == ADOPT.name:
            continue  # the choice of the view itself: shown as the view leaf below
        pos = [a for a in f[2] if not (isinstance(a, tuple) and a[0] == ADOPT.name)]
        if all(a in other.atoms for a in pos):
            entry = ans.table.rules[f[0]]
            kids = [ans.why(a) if isinstance(a, tuple) and a[0] == ADOPT.name else Node(atom=_show(a), kind="derived", holds=True,
                                                              note="holds under both")
                    for a in f[2]]
            kids += [ans.why_not_negative(a) for a in f[3]]
            nodes.append(Node(atom=_show(f[1]), kind="derived", holds=True, rule=ans.meta.infos[entry.index],
                              basis=ans._basis(f[1]), children=tuple(kids)))
    return sorted(nodes, key=lambda n: (n.rule.id if n.rule else "", n.atom))


def _absent_from(other: _Answer) -> Callable[[Raw], bool]:
    """Whether an atom does not hold in ``other`` (keeps a chain to what one side alone has)."""
    return lambda t: t not in other.atoms


def contrast(reasoner: Reasoner,
 case: Case, a: Mapping[str, str] | Sequence[str], b: Mapping[str, str] | Sequence[str], *,
             include_rejected: bool = False) -> tuple[Contrast, ...]:
    """Contrast two view selections on one case: what each concludes that the other
    does not, and the rules at which they part. One :class:`Contrast` per pair of
    answers that agree on every issue the two selections do not both fix."""
    case, sel_a, facts, assumed, den_a = _prepare(reasoner, case, a, include_rejected, False)
    _, sel_b, _, _, den_b = _prepare(reasoner, case, b, include_rejected, False)
    ans_a = _answers(reasoner, case, facts, assumed, den_a, DEFAULT_DEPTH)
    ans_b = _answers(reasoner, case, facts, assumed, den_b, DEFAULT_DEPTH)
    fixed = {i for i, _ in sel_a} | {i for i, _ in sel_b}
    out = []
    for x in ans_a:
        rest = tuple(v for v in x.views if v[0] not in fixed)
        ys = [y for y in ans_b if tuple(v for v in y.views if v[0] not in fixed) == rest] or ans_b[:1]
        for y in ys[:1]:
            oa = {terms.show(o) for o in _outcomes(x)}
            ob = {terms.show(o) for o in _outcomes(y)}
            chains_a = tuple(x.why(o, keep=_absent_from(y)) for o in _outcomes(x) if terms.show(o) not in ob)
            chains_b = tuple(y.why(o, keep=_absent_from(x)) for o in _outcomes(y) if terms.show(o) not in oa)
            out.append(Contrast(case_id=case.id, a=x.views, b=y.views, only_a=tuple(sorted(oa - ob)),
                                only_b=tuple(sorted(ob - oa)), common=tuple(sorted(oa & ob)),
                                parting_a=tuple(_frontier(x, y)), parting_b=tuple(_frontier(y, x)),
                                chains_a=chains_a, chains_b=chains_b))
    return tuple(out)


def relevance(reasoner: Reasoner, case: Case, *, views: Selection = (), include_rejected: bool = False,
              _answers_of: list[_Answer] | None = None) -> tuple[FactRelevance, ...]:
    """For each answer set and each unknown fact: would the outcomes change if the
    fact went the other way (proven where it now counts as unproven, or the reverse)?

    The encodings are grounded once in explore mode; each question is one solve
    under clingo assumptions: the answer's views fixed, every other unknown fact at
    the value it counts as now, the fact in question flipped.
    """
    case, _selection, facts, assumed, denied = _prepare(reasoner, case, views, include_rejected, False)
    unknown = [f for f in case.facts if f.status == "unknown"]
    if not unknown:
        return ()
    answers = _answers_of if _answers_of is not None else _answers(reasoner, case, facts, assumed, denied,
                                                                    DEFAULT_DEPTH)
    burdens = {name: p.burden for name, p in reasoner.vocabulary.items()}
    variants: list[list[tuple[Raw, bool]]] = []
    keys: list[tuple[_Answer, Fact, bool]] = []
    for ans in answers:
        fixed: list[tuple[Raw, bool]] = [(a, False) for a in excluded(reasoner.issues, ans.views)]
        default = {f.term: ((TRUE.name, (f.term,)) in ans.atoms) for f in unknown}
        for f in unknown:
            assume: list[tuple[Raw, bool]] = [((TRUE.name, (g.term,)), default[g.term]) for g in unknown
                                              if g.term != f.term]
            assume.append(((TRUE.name, (f.term,)), not default[f.term]))
            variants.append(fixed + assume)
            keys.append((ans, f, default[f.term]))
    results = _engine.solve_variants(reasoner.rulebase.program, facts + [EXPLORE.name], assumed, denied, variants)
    out = []
    for (ans, f, dflt), models in zip(keys, results, strict=True):  # one result per variant
        base = {terms.show(o) for o in _outcomes(ans)}
        changes = []
        for m in models:
            views_m = tuple(sorted((str(a[1][0]), str(a[1][1])) for a in m if isinstance(a, tuple) and a[0] == ADOPT.name))
            outs = {terms.show(a) for a in m if isinstance(a, tuple) and a[0] == OUTCOME.name}
            changes.append((views_m, tuple(sorted(outs - base)), tuple(sorted(base - outs))))
        burden = burdens.get(f.predicate, "claimant")
        # who bore the burden, as the encodings derive it (burden_bearer/2, prologue/facts.lp):
        # always derived for an unknown fact outside explore mode; "?" for a rule base without the rule
        bearer = ans.bearer_of(f.term) or "?"
        out.append(FactRelevance(fact=f.atom, views=ans.views, burden=burden, bearer=bearer,
                                 default="proven" if dflt else "unproven", flipped="unproven" if dflt else "proven",
                                 changes=tuple(sorted(set(changes)))))
    return tuple(out)
