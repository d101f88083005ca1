"""The encodings as clingo AST statements: parsed once (:class:`Program`), and the
whole-program transforms the tools use: without comments, merged, renamed
(a counterfactual copy), instrumented with rule markers (coverage, check).
Nothing here grounds or solves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import clingo
from clingo import ast

from ..errors import EncodingError


class _Messages:
    """Collects clingo's log messages so that they can be reported as errors."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, code: clingo.MessageCode, message: str) -> None:
        self.lines.append(" ".join(message.split()))


@dataclasses.dataclass(frozen=True)
class Program:
    """The encodings, parsed once: a list of clingo AST statements."""

    master: Path
    statements: tuple[ast.AST, ...]
    files: tuple[Path, ...]


def parse_program(master: Path) -> Program:
    """Parse the master file and everything it includes, once."""
    statements: list[ast.AST] = []
    messages = _Messages()
    try:
        ast.parse_files([str(master)], statements.append, logger=messages, message_limit=20)
    except RuntimeError as exc:
        detail = "; ".join(messages.lines) or str(exc)
        raise EncodingError(str(master), None, f"the encodings do not parse: {detail}") from None
    names = {s.location.begin.filename for s in statements} - {"<string>", "<case>"}
    files = sorted({Path(n).resolve() for n in names})
    return Program(master=master, statements=tuple(statements), files=tuple(files))


def parse_rule(text: str) -> ast.AST | None:
    """The rule statement ``text`` holds, parsed again (``None`` unless it holds exactly
    one rule whose text is ``text``): how a stored rewriting is read back."""
    parsed: list[ast.AST] = []
    try:
        ast.parse_string(text, parsed.append)
    except RuntimeError:
        return None
    rules = [p for p in parsed if p.ast_type == ast.ASTType.Rule]
    if len(rules) != 1 or len(parsed) != 2 or str(rules[0]) != text:
        return None
    return rules[0]


def without_comments(program: Program) -> Program:
    """The same program without its comment statements (clingo ignores them; adding
    them to every control costs a tenth of a small case's time)."""
    kept = tuple(s for s in program.statements if s.ast_type != ast.ASTType.Comment)
    return dataclasses.replace(program, statements=kept)


#: Predicates of the markers added by :func:`instrument`.
FIRED = "pyr_fired"
VIOLATED = "pyr_violated"


def _marker(name: str, n: int, loc: ast.Location) -> ast.AST:
    return ast.Literal(loc, ast.Sign.NoSign,
                       ast.SymbolicAtom(ast.SymbolicTerm(loc, clingo.Function(name, [clingo.Number(n)]))))


def instrument(program: Program, *, relax: bool = False, extra_files: Sequence[Path] = ()) -> tuple[Program, dict[int, tuple[str, int, str]]]:
    """A copy of ``program`` in which every rule with a body has a companion rule
    ``pyr_fired(N) :- Body.`` (N numbers the rule), and, with ``relax``, every
    integrity constraint ``:- Body.`` is replaced by ``pyr_violated(N) :- Body.``
    (so that an inconsistent case still has models that say which constraints
    it breaks). ``extra_files`` are parsed and added (after the program) too.

    Returns the program and ``{N: (file, line, text)}``.
    """
    statements = list(program.statements)
    for path in extra_files:
        messages = _Messages()
        try:
            ast.parse_files([str(path)], statements.append, logger=messages, message_limit=20)
        except RuntimeError as exc:
            raise EncodingError(str(path), None, "does not parse: " + ("; ".join(messages.lines) or str(exc))) from None
    out: list[ast.AST] = []
    index: dict[int, tuple[str, int, str]] = {}
    n = 0
    for stm in statements:
        if stm.ast_type != ast.ASTType.Rule or not stm.body:
            out.append(stm)
            continue
        head = stm.head
        constraint = head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.BooleanConstant
        n += 1
        loc = stm.location
        index[n] = (loc.begin.filename, loc.begin.line, " ".join(str(stm).split()))
        if constraint:
            if relax:
                out.append(ast.Rule(loc, _marker(VIOLATED, n, loc), stm.body))
            else:
                out.append(stm)
            continue
        out.append(stm)
        out.append(ast.Rule(loc, _marker(FIRED, n, loc), stm.body))
    return Program(master=program.master, statements=tuple(out), files=program.files), index


class _Rename(ast.Transformer):
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def visit_SymbolicAtom(self, node: ast.AST) -> ast.AST:
        sym = node.symbol
        if sym.ast_type == ast.ASTType.Function and sym.name:
            return node.update(symbol=sym.update(name=self.prefix + sym.name))
        if sym.ast_type == ast.ASTType.SymbolicTerm and sym.symbol.type == clingo.SymbolType.Function:
            s = sym.symbol
            return node.update(symbol=sym.update(symbol=clingo.Function(self.prefix + s.name, s.arguments, s.positive)))
        return node


def renamed_copy(program: Program, prefix: str) -> Program:
    """A copy of the rule base in which every predicate ``p`` is renamed ``<prefix>p``
    (terms are untouched; ``#show`` statements and comments are dropped). Used to put
    a counterfactual world next to the actual one in a single program."""
    rename = _Rename(prefix)
    out: list[ast.AST] = []
    for stm in program.statements:
        t = stm.ast_type
        if t in (ast.ASTType.Comment, ast.ASTType.ShowSignature, ast.ASTType.ShowTerm, ast.ASTType.Program):
            continue
        if t == ast.ASTType.Defined:
            out.append(stm.update(name=prefix + stm.name))
            continue
        out.append(rename(stm))
    return Program(master=program.master, statements=tuple(out), files=program.files)


def merge(*programs: Program) -> Program:
    """The statements of several programs, one after the other."""
    first = programs[0]
    return Program(master=first.master, statements=tuple(s for p in programs for s in p.statements), files=first.files)
