"""Explanation instrumentation (issue 7): the shadow rules, the rule table and the
explanation run.

An explanation run grounds the encodings plus one *shadow rule* per rule: for
``H :- B1, ..., Bn.`` it adds ``__fired(I, H, (P...), (N...), (C...)) :- B1, ..., Bn.``
where I is the rule's index in :class:`RuleTable`, P the atoms of the positive body
literals, N those of the negative ones (an anonymous variable there becomes the
constant ``__any``) and C the terms of each comparison. A shadow head occurs in no
body, so the answer sets of the encodings are unchanged; plain clingo never sees
the shadow rules. pyreasoner.explain builds derivation trees from the fired atoms
and the rule table (patterns, files and lines), all as plain Python values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, cast

import clingo
from clingo import ast

from ..terms import Compound, Raw
from .control import _add, _control, _ground
from .program import Program, _Messages
from .symbols import _term_key, symbol_of, value_of

_FIRED = "__fired"
ANY = "__any"  #: stands for an anonymous variable of a negative literal in a fired atom

#: A term pattern of the rule table, a tuple tagged by its first item (see :class:`RuleEntry`).
#: Its other items are typed Any: the explainer dispatches on the tag, and mypy cannot narrow
#: a union of tuple types by the value of an item.
Pattern = tuple[Any, ...]
#: One body literal of a rule: ``(kind, text, pattern)`` (see :class:`RuleEntry`); the pattern
#: of a ``cmp`` is ``(operators, term patterns)``, that of an ``other`` is None.
BodyItem = tuple[str, str, Pattern | None]
#: One fired rule instance: ``(rule index, head, positive atoms, negative atoms, comparison terms)``.
Fired = tuple[int, Raw, tuple[Raw, ...], tuple[Raw, ...], tuple[tuple[Raw, ...], ...]]

_CMP_OPS = {
    ast.ComparisonOperator.GreaterThan: ">", ast.ComparisonOperator.LessThan: "<",
    ast.ComparisonOperator.LessEqual: "<=", ast.ComparisonOperator.GreaterEqual: ">=",
    ast.ComparisonOperator.NotEqual: "!=", ast.ComparisonOperator.Equal: "=",
}
_BIN_OPS = {
    ast.BinaryOperator.Plus: "+", ast.BinaryOperator.Minus: "-", ast.BinaryOperator.Multiplication: "*",
    ast.BinaryOperator.Division: "/", ast.BinaryOperator.Modulo: "\\", ast.BinaryOperator.Power: "**",
    ast.BinaryOperator.And: "&", ast.BinaryOperator.Or: "?", ast.BinaryOperator.XOr: "^",
}


@dataclasses.dataclass(frozen=True, slots=True)
class RuleEntry:
    """One rule of the encodings (one head element of a choice rule), as plain values.

    Patterns: ``("v", name)`` a variable (``"_"`` anonymous), ``("c", raw)`` a
    constant term, ``("f", name, args)`` a function or tuple (name ``""``),
    ``("b", op, l, r)`` / ``("u", op, x)`` arithmetic, ``("x", text)`` anything else.
    ``body`` holds ``(kind, text, pattern)`` with kind ``pos``, ``neg``, ``cmp``
    (pattern ``(ops, terms)``) or ``other`` (aggregates, conditional literals).
    """

    index: int
    file: str
    line: int
    text: str
    head: Pattern | None
    body: tuple[BodyItem, ...]
    fact: bool


@dataclasses.dataclass(frozen=True)
class RuleTable:
    """The rules of a program and the statements of its explanation run."""

    program: Program
    rules: tuple[RuleEntry, ...]
    statements: tuple[ast.AST, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class ExplainedModel:
    """One answer set of an explanation run: every atom (as plain values), the shown
    atoms (as :class:`SolveOutcome` models), and the fired rule instances
    ``(rule index, head, positive atoms, negative atoms, comparison terms)``, in
    clingo's order (callers sort what they show)."""

    atoms: frozenset[Raw]
    shown: tuple[Raw, ...]
    fired: tuple[Fired, ...]


def _pattern(term: ast.AST) -> Pattern:
    t = term.ast_type
    if t == ast.ASTType.Variable:
        return ("v", term.name)
    if t == ast.ASTType.SymbolicTerm:
        return ("c", value_of(term.symbol))
    if t == ast.ASTType.Function and not term.external:
        return ("f", term.name, tuple(_pattern(a) for a in term.arguments))
    if t == ast.ASTType.BinaryOperation:
        return ("b", _BIN_OPS.get(term.operator_type, "?"), _pattern(term.left), _pattern(term.right))
    if t == ast.ASTType.UnaryOperation:
        return ("u", "-" if term.operator_type == ast.UnaryOperator.Minus else "~", _pattern(term.argument))
    return ("x", str(term))


class _Anon(ast.Transformer):
    """Renames every anonymous variable to a fresh named one (safe in positive literals)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.count = 0

    def visit_Variable(self, node: ast.AST) -> ast.AST:
        if node.name != "_":
            return node
        self.count += 1
        return ast.Variable(node.location, f"{self.prefix}{self.count}")


class _AnyConst(ast.Transformer):
    """Replaces anonymous variables by the constant ``__any`` (for the record of a negative literal)."""

    def visit_Variable(self, node: ast.AST) -> ast.AST:
        if node.name != "_":
            return node
        return ast.SymbolicTerm(node.location, clingo.Function(ANY))


def _atom_term(atom: ast.AST) -> ast.AST:
    """The term of a symbolic atom (an AST term usable as an argument)."""
    symbol: ast.AST = atom.symbol
    return symbol


def _tuple_term(loc: ast.Location, items: list[ast.AST]) -> ast.AST:
    return ast.Function(loc, "", items, 0)


def _head_elements(head: ast.AST) -> list[tuple[ast.AST, list[ast.AST]]]:
    """(literal, condition) pairs of a head: one for a normal head, one per element of a
    choice or disjunction; none for a constraint or what cannot be explained."""
    t = head.ast_type
    if t == ast.ASTType.Literal:
        if head.atom.ast_type == ast.ASTType.SymbolicAtom and head.sign == ast.Sign.NoSign:
            return [(head, [])]
        return []
    if t in (ast.ASTType.Aggregate, ast.ASTType.Disjunction):
        out: list[tuple[ast.AST, list[ast.AST]]] = []
        for el in head.elements:
            lit = el.literal
            if lit.atom.ast_type == ast.ASTType.SymbolicAtom and lit.sign == ast.Sign.NoSign:
                out.append((lit, list(el.condition)))
        return out
    return []


def _shadow(entry_index: int, stm: ast.AST, head_lit: ast.AST, condition: list[ast.AST],
            extra_check: bool) -> tuple[ast.AST, tuple[BodyItem, ...]]:
    """The shadow rule of one head element and the body descriptors of its entry."""
    loc = stm.location
    anon = _Anon(f"Anon{entry_index}X")
    body_descr: list[BodyItem] = []
    shadow_body: list[ast.AST] = []
    pos_terms: list[ast.AST] = []
    neg_terms: list[ast.AST] = []
    cmp_terms: list[ast.AST] = []
    for lit in list(stm.body) + list(condition):
        if lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.SymbolicAtom \
                and lit.sign == ast.Sign.NoSign:
            renamed = anon(lit)
            shadow_body.append(renamed)
            body_descr.append(("pos", str(lit), _pattern(lit.atom.symbol)))
            pos_terms.append(_atom_term(renamed.atom))
        elif lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.SymbolicAtom \
                and lit.sign == ast.Sign.Negation:
            shadow_body.append(lit)
            body_descr.append(("neg", str(lit), _pattern(lit.atom.symbol)))
            neg_terms.append(_atom_term(_AnyConst()(lit.atom)))
        elif lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.Comparison \
                and lit.sign == ast.Sign.NoSign:
            renamed = anon(lit)
            shadow_body.append(renamed)
            cmp = renamed.atom
            ops = tuple(_CMP_OPS.get(g.comparison, "?") for g in cmp.guards)
            terms_ = [cmp.term] + [g.term for g in cmp.guards]
            body_descr.append(("cmp", str(lit), (ops, tuple(_pattern(x) for x in [lit.atom.term] +
                                                          [g.term for g in lit.atom.guards]))))
            cmp_terms.append(_tuple_term(loc, list(terms_)))
        else:
            shadow_body.append(lit)
            body_descr.append(("other", str(lit), None))
    if extra_check:  # a choice or disjunction: the element must be true
        shadow_body.append(head_lit)
    head_term = _atom_term(head_lit.atom)
    fired = ast.Function(loc, _FIRED, [
        ast.SymbolicTerm(loc, clingo.Number(entry_index)), head_term,
        _tuple_term(loc, pos_terms), _tuple_term(loc, neg_terms), _tuple_term(loc, cmp_terms)], 0)
    rule = ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(fired)), shadow_body)
    return rule, tuple(body_descr)


_TABLES: dict[int, RuleTable] = {}


def rule_table(program: Program) -> RuleTable:
    """The rule table and explanation statements of a program (computed once per program)."""
    cached = _TABLES.get(id(program))
    if cached is not None and cached.program is program:
        return cached
    rules: list[RuleEntry] = []
    extra: list[ast.AST] = []
    for stm in program.statements:
        if stm.ast_type != ast.ASTType.Rule:
            continue
        elements = _head_elements(stm.head)
        choice = stm.head.ast_type != ast.ASTType.Literal
        for head_lit, condition in elements:
            index = len(rules)
            fact = not stm.body and not condition and not choice
            head = _pattern(head_lit.atom.symbol)
            if fact:
                rules.append(RuleEntry(index=index, file=stm.location.begin.filename, line=stm.location.begin.line,
                                       text=str(stm), head=head, body=(), fact=True))
                continue
            shadow, body = _shadow(index, stm, head_lit, condition, choice)
            extra.append(shadow)
            rules.append(RuleEntry(index=index, file=stm.location.begin.filename, line=stm.location.begin.line,
                                   text=str(stm), head=head, body=body, fact=False))
    table = RuleTable(program=program, rules=tuple(rules), statements=tuple(program.statements) + tuple(extra))
    _TABLES[id(program)] = table
    return table


def _table_program(table: RuleTable) -> Program:
    return Program(master=table.program.master, statements=table.statements, files=table.program.files)


def _cached_value_of(cache: dict[object, Raw]) -> Callable[[clingo.Symbol], Raw]:
    """:func:`value_of` with a cache of every sub-term. Keyed by the symbol's 64-bit
    representation (clingo interns symbols: equal symbols have equal ``_rep``), so a
    known symbol costs no call into clingo; falls back to the symbol itself."""

    def conv(sym: clingo.Symbol) -> Raw:
        key: object = getattr(sym, "_rep", sym)
        v = cache.get(key)
        if v is not None:
            return v
        if sym.type == clingo.SymbolType.Function:
            args = sym.arguments
            name = sym.name
            v = name if (not args and name) else (name, tuple(conv(a) for a in args))
        else:
            v = value_of(sym)
        cache[key] = v
        return v

    return conv


def solve_explained(table: RuleTable, facts: Sequence[Raw], assumed: Sequence[Raw], denied: Sequence[Raw],
                    *, limit: int = 0) -> tuple[ExplainedModel, ...]:
    """Solve with the shadow rules: every answer set (projected on the shown atoms, as
    :func:`solve` enumerates them) with all its atoms and its fired rule instances.
    An inconsistent case gives no model. ``limit`` caps the number of models (0: all)."""
    messages = _Messages()
    ctl = _control([str(limit), "--project=show", "--warn=none"], messages)
    program = _table_program(table)
    assumed_syms = [symbol_of(a) for a in assumed]
    _add(ctl, program, assumed_syms, [symbol_of(f) for f in facts])
    _ground(ctl, program, messages)
    present = ctl.symbolic_atoms
    base = [(s, False) for s in (symbol_of(d) for d in denied) if s in present]
    models: list[ExplainedModel] = []

    cache: dict[object, Raw] = {}
    conv = _cached_value_of(cache)

    def on_model(model: clingo.Model) -> None:
        atoms: list[Raw] = []
        fired: list[Fired] = []
        for sym in model.symbols(atoms=True):
            raw = conv(sym)
            if isinstance(raw, tuple) and raw[0] == _FIRED and len(raw[1]) == 5:
                # the arguments of a shadow head, as _shadow builds them
                i, head, pos, neg, cmps = cast(tuple[int, Raw, Compound, Compound, tuple[str, tuple[Compound, ...]]],
                                               raw[1])
                fired.append((i, head, pos[1], neg[1], tuple(c[1] for c in cmps[1])))
            else:
                atoms.append(raw)
        shown = tuple(sorted((conv(s) for s in model.symbols(shown=True)), key=_term_key))
        models.append(ExplainedModel(atoms=frozenset(atoms), shown=shown, fired=tuple(fired)))

    ctl.solve(assumptions=[(s, True) for s in assumed_syms] + base, on_model=on_model)
    return tuple(sorted(models, key=lambda m: repr(m.shown)))
