"""Static description of encoding files for lint and coverage: every statement as
plain values (:class:`StatementInfo`, :class:`LitInfo`), never clingo types.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import clingo
from clingo import ast

from ..contract import FACT_WRAPPERS
from .program import _Messages, not_utf8_message, utf8_errors

_STATUS_WRAPPERS = frozenset(p.name for p in FACT_WRAPPERS)


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class LitInfo:
    """One atom occurrence in a statement: predicate, arity, sign (0 positive, 1 ``not``,
    2 ``not not``), whether it stands in the head, and the text of its arguments."""

    name: str
    arity: int
    sign: int
    head: bool
    args: tuple[str, ...]


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class StatementInfo:
    """A statement of an encoding file described with plain values.

    ``kind`` is one of ``comment``, ``fact``, ``rule``, ``constraint``, ``show``,
    ``defined``, ``external``, ``minimize``, ``directive``. ``reads`` holds the input
    predicates that the statement reads through ``true(F)`` (or a status atom) as
    ``(name, arity)``, and ``read_terms`` each such ``F`` as its name and the text of its
    arguments, in order of appearance; ``numbers`` the integer literals in its body.
    """

    file: str
    line: int
    end_line: int
    kind: str
    text: str
    literals: tuple[LitInfo, ...] = ()
    reads: tuple[tuple[str, int], ...] = ()
    read_terms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    numbers: tuple[int, ...] = ()
    shows: tuple[tuple[str, int], ...] = ()
    index: int = -1

    @property
    def heads(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted({(lit.name, lit.arity) for lit in self.literals if lit.head}))

    @property
    def body(self) -> tuple[LitInfo, ...]:
        return tuple(lit for lit in self.literals if not lit.head)


def _children(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    for key in node.keys():  # noqa: SIM118 -- a clingo AST node is not a mapping: keys() is its own method
        if key == "location":
            continue
        value = getattr(node, key)
        if isinstance(value, ast.AST):
            yield key, value
        elif isinstance(value, (list, tuple)) or type(value).__name__ == "ASTSequence":
            for v in value:
                if isinstance(v, ast.AST):
                    yield key, v


def _walk_atoms(node: ast.AST, head: bool, sign: int, lits: list[LitInfo], reads: list[tuple[str, tuple[str, ...]]],
                numbers: list[int] | None) -> None:
    t = node.ast_type
    if t == ast.ASTType.Literal:
        _walk_atoms(node.atom, head, int(node.sign), lits, reads, numbers)
        return
    if t == ast.ASTType.SymbolicAtom:
        sym = node.symbol
        if sym.ast_type == ast.ASTType.Function and sym.name:
            args = tuple(str(a) for a in sym.arguments)
            lits.append(LitInfo(name=sym.name, arity=len(sym.arguments), sign=sign, head=head, args=args))
            if sym.name in _STATUS_WRAPPERS and len(sym.arguments) == 1:
                inner = sym.arguments[0]
                if inner.ast_type == ast.ASTType.Function and inner.name:
                    reads.append((inner.name, tuple(str(a) for a in inner.arguments)))
                elif inner.ast_type == ast.ASTType.SymbolicTerm and inner.symbol.type == clingo.SymbolType.Function:
                    reads.append((inner.symbol.name, tuple(str(a) for a in inner.symbol.arguments)))
        elif sym.ast_type == ast.ASTType.SymbolicTerm and sym.symbol.type == clingo.SymbolType.Function:
            s = sym.symbol
            lits.append(LitInfo(name=s.name, arity=len(s.arguments), sign=sign, head=head,
                                 args=tuple(str(a) for a in s.arguments)))
        if numbers is not None:
            _walk_numbers(node, numbers)
        return
    if t == ast.ASTType.SymbolicTerm:
        if numbers is not None and node.symbol.type == clingo.SymbolType.Number:
            numbers.append(node.symbol.number)
        return
    if t == ast.ASTType.UnaryOperation and numbers is not None:
        arg = node.argument
        if arg.ast_type == ast.ASTType.SymbolicTerm and arg.symbol.type == clingo.SymbolType.Number:
            numbers.append(-arg.symbol.number)
            return
    for key, child in _children(node):
        child_head = head and key != "condition"
        _walk_atoms(child, child_head, sign if key in ("atom", "literal") else 0, lits, reads,
                    numbers if not child_head else None)


def _walk_numbers(node: ast.AST, numbers: list[int]) -> None:
    if node.ast_type == ast.ASTType.SymbolicTerm:
        if node.symbol.type == clingo.SymbolType.Number:
            numbers.append(node.symbol.number)
        return
    if node.ast_type == ast.ASTType.UnaryOperation:
        arg = node.argument
        if arg.ast_type == ast.ASTType.SymbolicTerm and arg.symbol.type == clingo.SymbolType.Number:
            numbers.append(-arg.symbol.number)
            return
    for _, child in _children(node):
        _walk_numbers(child, numbers)


def _describe(stm: ast.AST, index: int) -> StatementInfo | None:
    t = stm.ast_type
    loc = stm.location
    common: dict[str, Any] = {"file": loc.begin.filename, "line": loc.begin.line, "end_line": loc.end.line,
                              "index": index}
    if t == ast.ASTType.Comment:
        return StatementInfo(kind="comment", text=stm.value, **common)
    if t == ast.ASTType.Program:
        return None
    lits: list[LitInfo] = []
    reads: list[tuple[str, tuple[str, ...]]] = []
    numbers: list[int] = []
    shows: list[tuple[str, int]] = []
    if t == ast.ASTType.Rule:
        head = stm.head
        constraint = head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.BooleanConstant
        if not constraint:
            _walk_atoms(head, True, 0, lits, reads, None)
        for lit in stm.body:
            _walk_atoms(lit, False, 0, lits, reads, numbers)
        kind = "constraint" if constraint else ("fact" if not stm.body and head.ast_type == ast.ASTType.Literal
                                               else "rule")
    elif t == ast.ASTType.ShowSignature:
        kind = "show"
        shows.append((stm.name, stm.arity))
    elif t == ast.ASTType.ShowTerm:
        kind = "show"
        term = stm.term
        if term.ast_type == ast.ASTType.Function and term.name:
            shows.append((term.name, len(term.arguments)))
        for lit in stm.body:
            _walk_atoms(lit, False, 0, lits, reads, numbers)
    elif t == ast.ASTType.Defined:
        kind = "defined"
        shows.append((stm.name, stm.arity))
    elif t == ast.ASTType.External:
        kind = "external"
        _walk_atoms(stm.atom, True, 0, lits, reads, None)
        for lit in stm.body:
            _walk_atoms(lit, False, 0, lits, reads, numbers)
    elif t == ast.ASTType.Minimize:
        kind = "minimize"
        for lit in stm.body:
            _walk_atoms(lit, False, 0, lits, reads, numbers)
    else:
        kind = "directive"
    return StatementInfo(kind=kind, text=" ".join(str(stm).split()), literals=tuple(lits),
                         reads=tuple(sorted({(name, len(args)) for name, args in reads})),
                         read_terms=tuple(dict.fromkeys(reads)), numbers=tuple(numbers), shows=tuple(shows), **common)


def describe_statements(statements: Sequence[ast.AST]) -> tuple[StatementInfo, ...]:
    """:class:`StatementInfo` of each statement of a parsed program (``Program.statements``), in
    order; ``#program`` directives are left out."""
    return tuple(info for i, stm in enumerate(statements) if (info := _describe(stm, i)) is not None)


def describe_files(paths: Sequence[Path]) -> tuple[tuple[StatementInfo, ...], tuple[tuple[str, int, str], ...]]:
    """Parse each file (following its ``#include`` directives) and describe every
    statement. Returns the statements, sorted by file and line, and the parse
    errors as ``(file, line, message)`` (line 0: the file as a whole). A statement
    included twice is described once; one whose text is not UTF-8 (clingo reads a file's
    bytes as they are, the AST hands them back as text) is an error at its line."""
    seen: set[tuple[str, int, int, str]] = set()
    out: list[StatementInfo] = []
    errors: list[tuple[str, int, str]] = []
    for path in paths:
        statements: list[ast.AST] = []
        messages = _Messages()
        bad = utf8_errors(Path(path))
        if bad:  # not parsed: a parse error's message would hold the bytes, and clingo aborts
            errors.extend(bad)
            continue
        try:
            ast.parse_files([str(path)], statements.append, logger=messages, message_limit=20)
        except RuntimeError as exc:
            errors.append((str(path), 0, "; ".join(messages.lines) or str(exc)))
            continue
        for i, stm in enumerate(statements):
            try:
                info = _describe(stm, i)
            except UnicodeDecodeError as exc:
                begin = stm.location.begin
                errors.append((begin.filename, begin.line, not_utf8_message(exc.object[exc.start])))
                continue
            if info is None:
                continue
            key = (info.file, info.line, info.end_line, info.text)
            if key in seen:
                continue
            seen.add(key)
            out.append(info)
    out.sort(key=lambda s: (s.file, s.line, s.end_line, s.text))
    return tuple(out), tuple(errors)
