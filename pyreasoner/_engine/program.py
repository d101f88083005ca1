"""The encodings as clingo AST statements: parsed once (:class:`Program`), and the
whole-program transforms the tools use: without comments, merged, renamed
(a counterfactual copy), instrumented with rule markers (coverage, check).
Nothing here grounds or solves.
"""

from __future__ import annotations

import dataclasses
import re
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


#: ``#include "file".`` at the start of a line (a ``#include <lib>.`` names clingo's own library)
_INCLUDE = re.compile(r'^\s*#include\s+"([^"]+)"\s*\.', re.M)


def _strip_comments(text: str) -> str:
    text = re.sub(r"%\*.*?\*%", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    return re.sub(r"%[^\n]*", "", text)


def included_files(master: Path, data: dict[Path, bytes] | None = None) -> tuple[set[Path], list[tuple[Path, int, str]]]:
    """The files ``master`` includes, itself among them (resolved paths), following each
    ``#include "file".`` outside comments from file to file, resolved against the including
    file's folder; and each include that names no file, as (file, line, name). Read from the
    text, without parsing: ``pyreasoner lint`` (``not-included``, missing includes) and
    ``rulebase.fingerprint`` use it. ``data``: the bytes of files already read (by resolved
    path), where every file the walk reads is left too."""
    seen: set[Path] = set()
    missing: list[tuple[Path, int, str]] = []
    todo = [master]
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        raw = data.get(f) if data is not None else None
        try:
            raw = f.read_bytes() if raw is None else raw
        except OSError:
            continue
        if data is not None:
            data[f] = raw
        if b"#include" not in raw:  # most files include nothing: no text to strip
            continue
        # a byte that is not UTF-8 does not hide the includes after it (lint reports it)
        text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")  # as read_text
        text = _strip_comments(text)
        for m in _INCLUDE.finditer(text):
            target = (f.parent / m.group(1)).resolve()
            if target.is_file():
                todo.append(target)
            else:
                missing.append((f, text.count("\n", 0, m.start()) + 1, m.group(1)))
    return seen, missing


#: What every report of a file that is not UTF-8 says (lint stops at it, see lint.lint).
NOT_UTF8 = "is not UTF-8"


def not_utf8_message(byte: int) -> str:
    return f"byte 0x{byte:02x} {NOT_UTF8}: expected the file in UTF-8 (save it as UTF-8)"


def utf8_errors(master: Path) -> list[tuple[str, int, str]]:
    """``(file, line, message)`` of each file ``master`` includes (itself among them) that is
    not UTF-8 text, checked before clingo parses them. clingo reads a file's bytes as they
    are, and its Python API decodes what it hands back (a comment, a message naming a token)
    as UTF-8: a byte that is not ends in a traceback, or in an abort when it is in a parse
    error's message. A file that cannot be read is left to clingo to report."""
    data: dict[Path, bytes] = {}
    out: list[tuple[str, int, str]] = []
    for f in sorted(included_files(master, data)[0]):
        raw = data.get(f)
        if raw is None:
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            out.append((str(f), raw.count(b"\n", 0, exc.start) + 1, not_utf8_message(raw[exc.start])))
    return out


def _statement_files_c(statements: Sequence[ast.AST]) -> set[str]:
    """The files ``statements`` were parsed from, by clingo 5.8's C call for a node's
    location (one cell for all): ``.location`` builds a ``Location`` of two ``Position``
    objects through several calls per statement, a fifth of parsing the encodings. A file's
    name is a C string clingo keeps once per name, decoded once here."""
    from clingo._internal import _ffi, _lib  # type: ignore[attr-defined]

    get, attribute, cell = _lib.clingo_ast_attribute_get_location, _lib.clingo_ast_attribute_location, \
        _ffi.new("clingo_location_t*")
    names: dict[int, str] = {}
    for statement in statements:
        if not get(statement._rep, attribute, cell):
            raise RuntimeError("clingo_ast_attribute_get_location failed")
        pointer = int(_ffi.cast("uintptr_t", cell.begin_file))
        if pointer not in names:
            names[pointer] = _ffi.string(cell.begin_file).decode()
    return set(names.values())


def _statement_files_api(statements: Sequence[ast.AST]) -> set[str]:
    """:func:`_statement_files_c` through the public ``.location`` (any other clingo)."""
    return {s.location.begin.filename for s in statements}


def statement_files(statements: Sequence[ast.AST]) -> set[str]:
    """The names of the files ``statements`` were parsed from."""
    try:
        return _statement_files_c(statements)
    except (ImportError, AttributeError):  # not clingo 5.8's cffi module
        return _statement_files_api(statements)


def parse_program(master: Path) -> Program:
    """Parse the master file and everything it includes, once."""
    statements: list[ast.AST] = []
    messages = _Messages()
    for file, line, message in utf8_errors(master):
        raise EncodingError(file, f"line {line}", message)
    try:
        ast.parse_files([str(master)], statements.append, logger=messages, message_limit=20)
    except RuntimeError as exc:
        detail = "; ".join(messages.lines) or str(exc)
        raise EncodingError(str(master), None, f"the encodings do not parse: {detail}") from None
    names = statement_files(statements) - {"<string>", "<case>"}
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
        for file, line, message in utf8_errors(Path(path)):
            raise EncodingError(file, f"line {line}", message)
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
