"""The batch engine's rewrite (issue 6): the encodings tagged with a case index
(:func:`tag_program`), so that a chunk of cases grounds as one program
(:class:`~.chunk.ChunkGround`).

Ground once per chunk, solve all its cases in one call ("case tagging").

The encodings are rewritten once, through their AST, so that every atom whose
predicate depends on a case's facts carries the case's index as a new first
argument, and every rule that mentions such an atom joins the atoms of ONE case
(one variable for the index, bound by ``case(K)``). A chunk of cases is then one
ground program made of disjoint copies, one per case: the grounder's fixed cost
per statement, most of a small case's time, is paid once per chunk instead of
once per case, and the deterministic part of every case is computed by the
grounder. Rules that can choose or fail (choice and disjunctive heads, integrity
constraints, rules that close a cycle through negation or an aggregate) and every
shown atom are guarded by an atom ``active(K)``, of which the chunk's ground program
makes exactly one true in each answer set (:class:`~.chunk.ChunkGround`). With case k's
guard true, every other copy has exactly one answer set, whose shown atoms are none
(their remaining rules are stratified): the chunk's answer sets with k's guard true are
case k's, its shown atoms case k's alone, in the case's own names (no renaming). One
solve call over the chunk, projected on the shown atoms and a marker of the active case,
then enumerates every answer of every case, each once (see ChunkGround.solve).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

import clingo
from clingo import ast
from clingo.ast import AST

from ..contract import FACT_PRED
from ..errors import EncodingError
from .program import Program, without_comments
from .symbols import _LOC

#: reserved predicate names of the tagged program (checked against the encodings)
_CASE, _ACTIVE, _FACT, _BLOCK = "pyreasoner_case", "pyreasoner_active", "pyreasoner_fact", "pyreasoner_block"
_NONE = "pyreasoner_none"
#: a shown atom of case K is shown as ``pyreasoner_shown(K, Atom)``: one solve call over all
#: the cases of a chunk then tells each case's shown atoms apart (see ChunkGround.solve). It
#: is an atom, derived by a guarded rule from the ``#show``'s condition (``#show
#: pyreasoner_shown/2.``), not a show term: an atom has a program literal, so a case's answers
#: are read by the truth of its literals (see ChunkGround._all)
_SHOWN_AS = "pyreasoner_shown"
#: ``pyreasoner_shown(K, pyreasoner_case)``, shown when case K is the active one: the chunk's
#: answer sets are projected on the shown atoms, and two cases with the same answer (no shown
#: atom at all, say) would otherwise be one projection; it is never part of an answer
_MARKER = "pyreasoner_case"
#: facts per input block: a case's facts reach clingo as a few wide atoms
#: ``pyreasoner_block(K, Status, T1..TB, P1..PB)`` (terms, then their predicate names,
#: padded with ``pyreasoner_none``) that B rules spread into ``pyreasoner_fact/4``; one
#: symbol per B facts instead of one per fact (building symbols is most of the input time)
_BLOCK_SIZE = 16

#: A predicate signature ``(name, arity)``.
Signature = tuple[str, int]
#: A body atom's signature and whether it is monotone (see :func:`_atoms`).
BodyAtom = tuple[Signature, bool]
#: The memo of :func:`tag_program`: keys are tuples tagged by their first item
#: (``"head_body"``, ``"choosing"``, ``"rule"``), and each kind has its own value type.
Memo = dict[Any, Any]


class _Untaggable(Exception):
    """An atom the batch engine cannot give a case index to (tag_program says which)."""


def _signature(atom: AST) -> Signature:
    """(name, arity) of a SymbolicAtom node; raises :class:`_Untaggable` for any other
    form (a classically negated atom, a pool of atoms), which the rewriting would miss."""
    t = atom.symbol
    kind = t.ast_type
    if kind == ast.ASTType.Function and not t.external:
        return (t.name, len(t.arguments))
    if kind == ast.ASTType.SymbolicTerm and t.symbol.type == clingo.SymbolType.Function and t.symbol.positive:
        return (t.symbol.name, len(t.symbol.arguments))
    raise _Untaggable(str(atom))


#: node types under which no atom can occur (terms, comparisons): the walkers skip them
_NO_ATOMS = frozenset(getattr(ast.ASTType, n) for n in (
    "Variable", "SymbolicTerm", "Function", "BinaryOperation", "UnaryOperation", "Interval", "Pool",
    "Comparison", "Guard", "BooleanConstant"))


def _atoms(node: object, out: list[BodyAtom], monotone: bool = True) -> list[BodyAtom]:
    """Every (signature, monotone) of the symbolic atoms under ``node``: ``monotone``
    is False under ``not``, inside an aggregate, or in the condition of a conditional
    literal (the places where more atoms can make the body false)."""
    if isinstance(node, ast.AST):
        kind = node.ast_type
        if kind == ast.ASTType.SymbolicAtom:
            out.append((_signature(node), monotone))
            return out
        if kind in _NO_ATOMS:
            return out
        if (kind == ast.ASTType.Literal and node.sign != ast.Sign.NoSign) \
                or kind in (ast.ASTType.BodyAggregate, ast.ASTType.Aggregate, ast.ASTType.ConditionalLiteral):
            monotone = False
        for key in node.child_keys:
            _atoms(getattr(node, key), out, monotone)
    elif isinstance(node, (list, tuple, ast.ASTSequence)):
        for child in node:
            _atoms(child, out, monotone)
    return out


def _head_body(rule: AST) -> tuple[list[Signature], list[BodyAtom]]:
    """The head atoms of a rule (signatures) and its body atoms (signature, monotone),
    the conditions of head elements counted with the body."""
    head = rule.head
    body = _atoms(rule.body, [])
    if head.ast_type == ast.ASTType.Literal:
        return [s for s, _ in _atoms(head, [])], body
    heads: list[Signature] = []
    for element in head.elements:
        if element.ast_type == ast.ASTType.HeadAggregateElement:  # terms : literal : condition
            literal, condition = element.condition.literal, element.condition.condition
        else:  # a choice or disjunction element: literal : condition
            literal, condition = element.literal, element.condition
        heads += [s for s, _ in _atoms(literal, [])]
        body += _atoms(condition, [], False)
    return heads, body


def _sccs(nodes: Iterable[Signature], edges: dict[Signature, set[Signature]]) -> dict[Signature, Signature]:
    """Strongly connected components (Tarjan, iterative): node -> component id."""
    index: dict[Signature, int] = {}
    low: dict[Signature, int] = {}
    comp: dict[Signature, Signature] = {}
    stack: list[Signature] = []
    on: set[Signature] = set()
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[Signature, Iterator[Signature]]] = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(edges.get(w, ()))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp[w] = v
                    if w == v:
                        break
    return comp


class _Tag(ast.Transformer):
    """Prepend the case variable to every atom of a tagged predicate."""

    def __init__(self, tagged: frozenset[Signature], var: AST,
                 mentions: Callable[[str], re.Match[str] | None] | None = None) -> None:
        self.tagged = tagged
        self.var = var
        self.hit = False
        #: ``mentions(text)``: whether a text can name a tagged predicate (a cheap test that
        #: spares the walk through literals that name none)
        self.mentions = mentions

    def visit(self, ast: AST, *args: Any, **kwargs: Any) -> AST:  # clingo names the node ``ast``
        node = ast
        kind = node.ast_type
        if kind in _NO_ATOMS:  # nothing to tag below a term
            return node
        if kind == clingo.ast.ASTType.Literal and self.mentions is not None and not self.mentions(str(node)):
            return node
        return super().visit(node, *args, **kwargs)

    def visit_SymbolicAtom(self, node: AST) -> AST:
        if _signature(node) not in self.tagged:
            return node
        self.hit = True
        t = node.symbol
        if t.ast_type == ast.ASTType.Function:
            return node.update(symbol=t.update(arguments=[self.var, *t.arguments]))
        args = [ast.SymbolicTerm(t.location, a) for a in t.symbol.arguments]
        return node.update(symbol=ast.Function(t.location, t.symbol.name, [self.var, *args], False))


def _lit(name: str, *args: AST) -> AST:
    return ast.Literal(_LOC, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(_LOC, name, list(args), False)))


@dataclasses.dataclass(frozen=True)
class TaggedProgram:
    """The encodings rewritten for case tagging (see the section comment).

    ``program``: the rewritten encodings (same master file); ``tagged``: the
    signatures (as written in the encodings) that depend on case input; ``guarded``:
    how many rules got the ``active`` guard.
    """

    program: Program
    tagged: frozenset[Signature]
    guarded: int

    @property
    def statements(self) -> tuple[AST, ...]:
        return self.program.statements

    @functools.cached_property
    def shows_only_tagged(self) -> bool:
        """Whether everything shown is an atom ``pyreasoner_shown(K, A)``: no show term and
        no shown signature was left untagged (they read no case atom). A chunk's answers
        are then read by the truth of those atoms' literals (see ChunkGround._all)."""
        for stm in self.statements:
            if stm.ast_type == ast.ASTType.ShowTerm:
                return False
            if stm.ast_type == ast.ASTType.ShowSignature and stm.name not in ("", _SHOWN_AS):
                return False
        return True


def tagged_text(tagged: TaggedProgram) -> str:
    """A :class:`TaggedProgram` as text (JSON: the rewritten statements as ASP text, the
    tagged signatures, the guard count), for :func:`tagged_from_text` in another process:
    parsing it back is some 30 times faster than tagging again (a batch's fresh worker
    processes start from it)."""
    import json

    return json.dumps({"statements": [str(stm) for stm in tagged.statements],
                       "tagged": sorted(tagged.tagged), "guarded": tagged.guarded})


def tagged_from_text(program: Program, text: str) -> TaggedProgram | None:
    """The :class:`TaggedProgram` that :func:`tagged_text` wrote for ``program`` (its master
    and files are ``program``'s), or ``None`` when the text does not parse back into the
    same statements (then tag again)."""
    import json

    try:
        data = json.loads(text)
        lines: list[str] = data["statements"]
        tagged = frozenset((str(name), int(arity)) for name, arity in data["tagged"])
        guarded = int(data["guarded"])
        parsed: list[AST] = []
        ast.parse_string("\n".join(lines), parsed.append)
    except (ValueError, KeyError, TypeError, RuntimeError):
        return None
    # the parser opens the text with its own "#program base."
    if len(parsed) == len(lines) + 1 and str(parsed[0]) == "#program base.":
        parsed = parsed[1:]
    if [str(stm) for stm in parsed] != lines:
        return None
    return TaggedProgram(Program(master=program.master, statements=tuple(parsed), files=program.files), tagged, guarded)


def tag_program(program: Program, inputs: Iterable[tuple[str, int]], statuses: Sequence[str], *,
                memo: Memo | None = None) -> TaggedProgram:
    """Rewrite ``program`` for case tagging.

    ``inputs`` are the case-input signatures (the status predicates and
    ``fact_pred/2``); ``statuses`` the status predicate names. Raises
    :class:`EncodingError` when the encodings use a reserved name or a tagged
    predicate would clash with another predicate of the same name.

    ``memo``: a dict shared between calls (``pyreasoner diff`` tags two rule bases that
    mostly agree): a statement whose text was seen before is analysed and rewritten
    once. A rewritten statement then keeps the source locations of the first program;
    the tagged program's locations are never reported (a chunk that fails to ground is
    solved again on the reference path).
    """
    try:
        return _tag_program(program, list(inputs), statuses, {} if memo is None else memo)
    except _Untaggable as exc:
        raise EncodingError(str(program.master), None, f"the batch engine cannot give a case index to the atom "
                            f"{exc} (only plain atoms p(...) can be tagged)") from None


def _tag_program(program: Program, inputs: list[Signature], statuses: Sequence[str], memo: Memo) -> TaggedProgram:
    stms = without_comments(program).statements
    texts = [str(stm) for stm in stms]
    for stm, text in zip(stms, texts, strict=True):
        if "Pyreasoner" in text or "pyreasoner_" in text:
            raise EncodingError(str(program.master), None, f"names beginning with Pyreasoner or pyreasoner_ are "
                                f"reserved by the batch engine ({stm})")

    def head_body(stm: AST, text: str) -> tuple[list[Signature], list[BodyAtom]]:
        key = ("head_body", text)
        if key not in memo:
            memo[key] = _head_body(stm)
        return cast(tuple[list[Signature], list[BodyAtom]], memo[key])

    rules = [(s, *head_body(s, t)) for s, t in zip(stms, texts, strict=True) if s.ast_type == ast.ASTType.Rule]
    tagged = set(inputs)
    changed = True
    while changed:
        changed = False
        for _, heads, body in rules:
            if any(s in tagged for s, _ in body) or any(s in tagged for s in heads):
                for s in heads:
                    if s not in tagged:
                        tagged.add(s)
                        changed = True
    every = {s for _, heads, body in rules for s in heads + [b for b, _ in body]}
    for stm in stms:  # signatures named outside rules: #show p/n, #defined, show terms, externals
        if stm.ast_type in (ast.ASTType.ShowSignature, ast.ASTType.Defined) and stm.name:
            every.add((stm.name, stm.arity))
            if stm.ast_type == ast.ASTType.ShowSignature and not stm.positive:
                raise EncodingError(str(program.master), None, f"the batch engine cannot show a classically "
                                    f"negated signature ({stm})")
        elif stm.ast_type == ast.ASTType.ShowTerm:
            every.update(s for s, _ in _atoms(stm.body, []))
        elif stm.ast_type == ast.ASTType.External:
            named = [s for s, _ in _atoms(stm.body, [(_signature(stm.atom), True)])]
            if any(s in tagged for s in named):
                raise EncodingError(str(program.master), None,
                                    f"the external {stm.atom} depends on case facts: the batch engine cannot tag it")
            every.update(named)
    if not any(s.ast_type == ast.ASTType.ShowSignature for s in stms):
        raise EncodingError(str(program.master), None, "the batch engine needs the encodings to say what they show "
                            "(#show. and #show p/n statements); with none, clingo shows every atom")
    for name, arity in sorted(tagged):
        if (name, arity + 1) in every and (name, arity + 1) not in tagged:
            raise EncodingError(str(program.master), None,
                                f"{name}/{arity} depends on case facts and {name}/{arity + 1} exists too: "
                                "the batch engine cannot give the case index to the first")
    # Which rules get the guard. Rules that choose or fail always do. In an inactive copy
    # they are off, and so is every rule with a positive body atom that only they (or
    # other such rules) define: those atoms are false there. The rules left must be
    # stratified, so that an inactive copy has exactly one answer set: a rule that closes
    # a cycle of them through negation or an aggregate gets the guard too (see below).
    text_of = {id(stm): text for stm, text in zip(stms, texts, strict=True)}

    def choosing(stm: AST) -> bool:
        """Whether a rule can choose or fail: any head but a plain positive atom (choices,
        disjunctions, aggregates, #false, and heads such as ``not p`` or ``X = 2``, which
        act as constraints)."""
        key = ("choosing", text_of[id(stm)])
        if key not in memo:
            head = stm.head
            memo[key] = (head.ast_type != ast.ASTType.Literal or head.sign != ast.Sign.NoSign
                         or head.atom.ast_type != ast.ASTType.SymbolicAtom)
        return cast(bool, memo[key])

    live = [(stm, heads, body) for stm, heads, body in rules if not choosing(stm)]
    while True:
        defined = set(inputs) | {h for _, heads, _ in live for h in heads}
        kept = [r for r in live if all(s in defined or s not in tagged for s, mono in r[2] if mono)]
        if len(kept) == len(live):
            break
        live = kept
    edges: dict[Signature, set[Signature]] = {}
    for _, heads, body in live:
        for h in heads:
            for b, _ in body:
                edges.setdefault(b, set()).add(h)
    comp = _sccs(sorted(tagged), edges)
    # Only the rules that close a cycle through negation or an aggregate (a non-monotone
    # body atom in their head's component) are guarded, not every rule of the component:
    # with those off, every cycle left in an inactive copy is positive (a cycle of the rules
    # left is a cycle of the component's, and any negative edge on it would belong to a
    # guarded rule), so the copy is stratified. The other rules of the component, e.g.
    # ``true(F) :- established(F)``, stay unguarded, and the grounder computes them.
    breaking: set[int] = set()
    for stm, heads, body in live:
        if any(not mono and b in comp and comp.get(h) == comp[b] for h in heads for b, mono in body):
            breaking.add(id(stm))
    var = ast.Variable(_LOC, "PyreasonerCase")
    frozen = frozenset(tagged)
    # a statement whose text names no tagged predicate has nothing to tag (most of them)
    names = sorted({re.escape(n) for n, _ in frozen}, key=lambda n: (-len(n), n))
    mentions = re.compile(r"(?<![A-Za-z0-9_'])(?:" + "|".join(names) + r")(?![A-Za-z0-9_'])").search
    out: list[AST] = []
    guarded = 0
    for stm, text in zip(stms, texts, strict=True):
        kind = stm.ast_type
        if kind == ast.ASTType.Rule:
            if not mentions(text):
                out.append(stm)
                continue
            cyclic = id(stm) in breaking
            key = ("rule", text, frozen, cyclic)
            if key not in memo:
                tag = _Tag(frozen, var, mentions)
                new = tag(stm)
                guard = False
                if tag.hit:
                    first = [_lit(_CASE, var)]
                    if choosing(stm) or cyclic:
                        first.append(_lit(_ACTIVE, var))
                        guard = True
                    new = new.update(body=first + list(new.body))
                memo[key] = (new, guard)
            new, guard = memo[key]
            guarded += guard
            out.append(new)
        elif kind == ast.ASTType.Defined:
            out.append(stm.update(arity=stm.arity + 1) if (stm.name, stm.arity) in frozen else stm)
        elif kind == ast.ASTType.ShowSignature:
            if (stm.name, stm.arity) in frozen:
                xs = [ast.Variable(_LOC, f"PyreasonerX{i}") for i in range(stm.arity)]
                term = ast.Function(_LOC, stm.name, xs, False) if xs else ast.SymbolicTerm(_LOC, clingo.Function(stm.name))
                out.append(ast.Rule(_LOC, _lit(_SHOWN_AS, var, term), [_lit(stm.name, var, *xs), _lit(_ACTIVE, var)]))
            else:
                out.append(stm)
        elif kind == ast.ASTType.ShowTerm:
            tag = _Tag(frozen, var)
            new = tag(stm)
            out.append(ast.Rule(_LOC, _lit(_SHOWN_AS, var, new.term), [*new.body, _lit(_ACTIVE, var)])
                       if tag.hit else new)
        elif kind in (ast.ASTType.Program, ast.ASTType.External, ast.ASTType.Definition):
            out.append(stm)  # externals that depend on case facts were refused above
        else:
            raise EncodingError(str(program.master), None,
                                f"the batch engine does not know how to tag a {kind.name} statement ({stm})")
    # What is shown. A #show of a signature hides every atom not shown; the rewriting turns
    # those of tagged predicates into rules of pyreasoner_shown/2 (which hide nothing), so it
    # adds the bare #show. that hides the rest (encodings with no #show signature are refused
    # above), and shows pyreasoner_shown/2.
    out.append(ast.ShowSignature(_LOC, "", 0, True))
    out.append(ast.ShowSignature(_LOC, _SHOWN_AS, 2, True))
    out.append(ast.Rule(_LOC, _lit(_SHOWN_AS, var, ast.SymbolicTerm(_LOC, clingo.Function(_MARKER))),
                        [_lit(_ACTIVE, var)]))
    # The case input: blocks of facts, spread into one atom per fact, spread into the
    # status and fact_pred atoms.
    k, t, p, st = (ast.Variable(_LOC, n) for n in ("PyreasonerCase", "PyreasonerTerm", "PyreasonerPred",
                                                    "PyreasonerStatus"))
    anon = ast.Variable(_LOC, "_")
    ts = [ast.Variable(_LOC, f"PyreasonerT{i}") for i in range(_BLOCK_SIZE)]
    ps = [ast.Variable(_LOC, f"PyreasonerP{i}") for i in range(_BLOCK_SIZE)]
    none = ast.SymbolicTerm(_LOC, clingo.Function(_NONE))
    for i in range(_BLOCK_SIZE):
        out.append(ast.Rule(_LOC, _lit(_FACT, k, st, ts[i], ps[i]), [
            _lit(_BLOCK, k, st, *ts, *ps),
            ast.Literal(_LOC, ast.Sign.NoSign, ast.Comparison(ts[i], [ast.Guard(ast.ComparisonOperator.NotEqual, none)]))]))
    for status in statuses:
        out.append(ast.Rule(_LOC, _lit(status, k, t),
                            [_lit(_FACT, k, ast.SymbolicTerm(_LOC, clingo.Function(status)), t, anon)]))
    out.append(ast.Rule(_LOC, _lit(FACT_PRED.name, k, t, p), [_lit(_FACT, k, anon, t, p)]))
    return TaggedProgram(dataclasses.replace(program, statements=tuple(out)), frozen, guarded)
