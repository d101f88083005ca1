"""A counterfactual world copied at the ground level (``pyreasoner verify``).

A ``counterfactual(I, P)`` invariant compares each case of the universe with the same
case without the facts of input predicate ``P``. The copy of that second world needs only
the ground rules whose atoms can differ between the two worlds: those that depend, through
any chain of ground rules, on a fact of ``P`` (the *cone*). Every other atom has the same
rules and the same inputs in both worlds, so it is one atom, shared (the two worlds adopt
the same views and decide an undated matter under the same period of law, as the bridge of
``pyreasoner.verify`` requires; explore mode's completions are shared as well).

How: the rule base and the universe are grounded once, with a clingo ``Observer`` that
records the ground rules (compactly, as integers); the cone is the forward closure of the
status atoms of ``P`` (``established``, ``refuted``, ``unknown``) over the recorded rules;
the rules of the cone's atoms, and the constraints that read them, are added again through
clingo's ``Backend`` with every cone atom replaced by a fresh one. The second world's
facts of ``P``: none established, none unknown; refuted where the case refutes them and,
for a duty fact, where the case establishes it (an absent duty fact is unproven, not a
breach: ``prologue/facts.lp``). Atoms the invariant reads with the prefix (``cf_outcome``)
get their symbol and one rule each.

Measured on ``measures_never_increase_liability`` (the default universe, 6.6 million ground
rules): the cone is 125,422 atoms (3.4 %) and 549,237 rules (8 %), where the copy of the
whole rule base at the AST level grounded the second world in full.

Valid only when no status atom of ``P`` is a fact of the ground program (then the
grounder would have simplified away the rules that read its absence): the universe of
``verify`` chooses every status; :func:`add_counterfactual` raises otherwise.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import clingo
from clingo import ast
from clingo.backend import Observer

from ..contract import ESTABLISHED, REFUTED, STATUSES


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Counterfactual:
    """A second world for :class:`~pyreasoner._engine.control.Session`: the case without the
    facts of ``drop`` (those in ``duty`` refuted where established), then ``texts`` and
    ``files`` grounded over both worlds (they read the second world's atoms as ``cf_...``)."""

    drop: tuple[str, ...]
    duty: tuple[str, ...] = ()
    texts: tuple[tuple[str, str], ...] = ()
    files: tuple[Path, ...] = ()
    prefix: str = "cf_"


class Recorder(Observer):
    """A clingo ``Observer`` that keeps the ground rules as integers: for each rule, one
    header ``kind`` (0 normal, 1 choice, 2 weight, 3 weight choice), then the number of head
    atoms and the atoms, then (weight rules) the lower bound, then the number of body
    literals and the literals (weight rules: literal and weight in turn)."""

    def __init__(self) -> None:
        self.data = array("q")
        self.count = 0
        #: recording stops once the first world is grounded (the copy is not recorded)
        self.active = True

    def rule(self, choice: bool, head: Sequence[int], body: Sequence[int]) -> None:
        if not self.active:
            return
        self.data.extend((int(choice), len(head), *head, len(body), *body))
        self.count += 1

    def weight_rule(self, choice: bool, head: Sequence[int], lower_bound: int,
                    body: Sequence[tuple[int, int]]) -> None:
        if not self.active:
            return
        flat = [x for pair in body for x in pair]
        self.data.extend((2 + int(choice), len(head), *head, lower_bound, len(body), *flat))
        self.count += 1

    def spans(self) -> Iterator[tuple[int, int, int, int, int, int]]:
        """Where each rule lies in :attr:`data`: (kind, first head, number of heads, first
        body literal, number of body literals, step: 2 for weight rules, whose weights
        follow each literal, else 1). The one reader of the layout."""
        data, i, n = self.data, 0, len(self.data)
        while i < n:
            kind, nh = data[i], data[i + 1]
            h0 = i + 2
            i = h0 + nh + (1 if kind >= 2 else 0)  # a weight rule's lower bound follows its heads
            nb, step = data[i], (2 if kind >= 2 else 1)
            yield kind, h0, nh, i + 1, nb, step
            i += 1 + nb * step

    def rules(self) -> Iterator[tuple[int, tuple[int, ...], int, tuple[int, ...], tuple[int, ...]]]:
        """Each rule as (kind, head atoms, lower bound, body literals, weights)."""
        data = self.data
        for kind, h0, nh, b0, nb, step in self.spans():
            head = tuple(data[h0:h0 + nh])
            body = data[b0:b0 + nb * step]
            if step == 2:
                yield kind, head, data[b0 - 2], tuple(body[0::2]), tuple(body[1::2])
            else:
                yield kind, head, 0, tuple(body), ()

    def close(self) -> None:
        """Stop recording and drop what was recorded (clingo keeps its observer)."""
        self.active = False
        self.data = array("q")


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CopyStats:
    """What the copy took: atoms in the cone, rules added again, seed atoms."""

    seeds: int
    cone_atoms: int
    copied_rules: int
    ground_rules: int


def add_counterfactual(ctl: clingo.Control, recorder: Recorder, drop: Iterable[str], duty: Iterable[str],
                       reads: Iterable[tuple[str, int]], prefix: str = "cf_") -> CopyStats:
    """Add the second world to the ground program of ``ctl`` (see the module docstring).

    ``drop``: the input predicates whose facts the second world lacks; ``duty``: those of
    them of burden class duty; ``reads``: the signatures read with ``prefix`` by what is
    grounded next (outcome/4 for ``cf_outcome/4``)."""
    drop, duty = set(drop), set(duty)
    seeds: dict[int, tuple[str, clingo.Symbol]] = {}
    for status, arity in STATUSES:
        for sa in ctl.symbolic_atoms.by_signature(status, arity):
            fact = sa.symbol.arguments[0]
            if fact.type == clingo.SymbolType.Function and fact.name in drop:
                if sa.is_fact:
                    raise ValueError(f"{status}({fact}) is a fact: the ground copy needs every status of "
                                     f"{fact.name} open (a choice of the universe)")
                seeds[sa.literal] = (status, fact)
    recorder.active = False  # what is added from here on is the copy
    cone = _cone(recorder, seeds.keys())
    fresh: dict[int, int] = {}
    copied = 0
    with ctl.backend() as backend:
        for a in cone:
            fresh[a] = backend.add_atom()
        refuted: dict[clingo.Symbol, int] = {}

        def cf_refuted(fact: clingo.Symbol) -> int:
            if fact not in refuted:
                refuted[fact] = backend.add_atom()
            return refuted[fact]

        for a, (status, fact) in seeds.items():
            # refuted in the second world where refuted in the first, or (a duty fact)
            # established there; never established, never unknown
            fresh[a] = cf_refuted(fact) if status == REFUTED.name else backend.add_atom()
            if status == REFUTED.name or (status == ESTABLISHED.name and fact.name in duty):
                backend.add_rule([cf_refuted(fact)], [a])
        missing = [f for f in refuted if clingo.Function(REFUTED.name, [f]) not in ctl.symbolic_atoms]
        if missing:
            raise ValueError(f"refuted({missing[0]}) is not in the ground program: the second world "
                             "states a duty fact refuted that the first world cannot")

        def lit(x: int) -> int:
            return fresh.get(x, x) if x > 0 else -fresh.get(-x, -x)

        for kind, head, bound, body, weights in recorder.rules():
            if head and not any(h in cone for h in head):
                continue
            if not head and not any(abs(b) in cone or abs(b) in seeds for b in body):
                continue
            copied += 1
            if kind >= 2:
                backend.add_weight_rule([lit(h) for h in head], bound,
                                        [(lit(b), w) for b, w in zip(body, weights, strict=True)], kind == 3)
            else:
                backend.add_rule([lit(h) for h in head], [lit(b) for b in body], kind == 1)
        for name, arity in reads:
            for sa in ctl.symbolic_atoms.by_signature(name, arity):
                if sa.symbol.name != name:
                    continue
                atom = backend.add_atom(clingo.Function(prefix + name, sa.symbol.arguments))
                backend.add_rule([atom], [lit(sa.literal)])
    stats = CopyStats(seeds=len(seeds), cone_atoms=len(cone), copied_rules=copied, ground_rules=recorder.count)
    recorder.close()  # the recorded program is no longer needed; the session lives on
    return stats


def _cone(recorder: Recorder, seeds: Iterable[int]) -> set[int]:
    """The atoms that depend on a seed: the heads of every rule with a seed or a cone atom
    in its body (either sign), and every other head of a rule with a head in the cone (a
    choice or disjunction is copied whole). Passes over the recorded rules until nothing is
    added; the grounder emits a rule after the rules of its body's atoms, so that the second
    pass usually only confirms the first."""
    seed = set(seeds)
    cone: set[int] = set()
    # The layout is read inline here, as in Recorder.spans: through spans() this loop took
    # 27 s more CPU on measures_never_increase_liability's universe (6.6 million rules,
    # two passes; 65 s for the whole session inline, 91.5 s through the generator).
    data, n = recorder.data, len(recorder.data)
    changed = True
    while changed:
        changed = False
        i = 0
        while i < n:
            kind, nh = data[i], data[i + 1]
            h0 = i + 2
            i = h0 + nh + (1 if kind >= 2 else 0)
            nb = data[i]
            b0 = i + 1
            step = 2 if kind >= 2 else 1
            i = b0 + nb * step
            if not nh:
                continue
            hit = False
            for j in range(h0, h0 + nh):
                if data[j] in cone:
                    hit = True
                    break
            if not hit:
                for j in range(b0, b0 + nb * step, step):
                    b = abs(data[j])
                    if b in cone or b in seed:
                        hit = True
                        break
            if hit:
                for j in range(h0, h0 + nh):
                    h = data[j]
                    if h not in cone and h not in seed:
                        cone.add(h)
                        changed = True
    return cone


def reads(statements: Iterable[ast.AST], prefix: str) -> set[tuple[str, int]]:
    """The signatures that ``statements`` read with ``prefix`` (``cf_outcome/4`` gives
    outcome/4), as (name, arity)."""
    found: set[tuple[str, int]] = set()

    class _Visitor(ast.Transformer):
        def visit_SymbolicAtom(self, node: ast.AST) -> ast.AST:
            term = node.symbol
            if term.ast_type == ast.ASTType.Function and term.name.startswith(prefix):
                found.add((term.name[len(prefix):], len(term.arguments)))
            elif term.ast_type == ast.ASTType.SymbolicTerm and term.symbol.type == clingo.SymbolType.Function \
                    and term.symbol.name.startswith(prefix):
                found.add((term.symbol.name[len(prefix):], len(term.symbol.arguments)))
            return node

    visitor = _Visitor()
    for stm in statements:
        visitor(stm)
    return found
