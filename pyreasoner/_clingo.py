"""The one module that talks to clingo.

Everything else in pyreasoner works with plain Python values: strings for
constants, ``int`` for numbers, :class:`Text` for clingo strings, and
``(name, args)`` tuples for compound terms. This module turns them into clingo
symbols and back, parses the encodings once, and grounds and solves.

Case facts never reach clingo as program text: each becomes a symbol built with
:func:`clingo.Function`, declared ``#external`` through an AST node, and
assumed true when solving, so that an unsatisfiable case yields an unsat core
over its own facts.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Iterable, Sequence, Union

import clingo
from clingo import ast

from .errors import EncodingError

__all__ = [
    "Program",
    "Raw",
    "SolveOutcome",
    "Text",
    "ground_facts",
    "parse_program",
    "solve",
    "symbol_of",
    "value_of",
]


@dataclasses.dataclass(frozen=True, slots=True)
class Text:
    """A clingo string (as opposed to a constant, which is a plain ``str``)."""

    value: str

    def __str__(self) -> str:
        return self.value


#: A Python-side term: constant name, integer, string, or (name, args) compound.
Raw = Union[str, int, Text, tuple]

_LOC = ast.Location(ast.Position("<case>", 1, 1), ast.Position("<case>", 1, 1))
_FREE = ast.SymbolicTerm(_LOC, clingo.Function("free"))


def symbol_of(value: Raw) -> clingo.Symbol:
    """Build a clingo symbol from a Python term (never by parsing text)."""
    if isinstance(value, bool):  # bool is an int: refuse it explicitly
        raise TypeError("a boolean is not a term")
    if isinstance(value, int):
        return clingo.Number(value)
    if isinstance(value, Text):
        return clingo.String(value.value)
    if isinstance(value, str):
        return clingo.Function(value)
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        name, args = value
        return clingo.Function(name, [symbol_of(a) for a in args])
    raise TypeError(f"cannot build a term from {value!r}")


def value_of(sym: clingo.Symbol) -> Raw:
    """Turn a clingo symbol into a Python term."""
    t = sym.type
    if t == clingo.SymbolType.Number:
        return sym.number
    if t == clingo.SymbolType.String:
        return Text(sym.string)
    if t == clingo.SymbolType.Function:
        if not sym.arguments and sym.name:
            return sym.name
        return (sym.name, tuple(value_of(a) for a in sym.arguments))
    return str(sym)  # #inf / #sup


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
    statements: tuple
    files: tuple[Path, ...]


def parse_program(master: Path) -> Program:
    """Parse the master file and everything it includes, once."""
    statements: list = []
    messages = _Messages()
    try:
        ast.parse_files([str(master)], statements.append, logger=messages, message_limit=20)
    except RuntimeError as exc:
        detail = "; ".join(messages.lines) or str(exc)
        raise EncodingError(str(master), None, f"the encodings do not parse: {detail}") from None
    files = sorted({Path(s.location.begin.filename).resolve() for s in statements
                    if s.location.begin.filename not in ("<string>", "<case>")})
    return Program(master=master, statements=tuple(statements), files=tuple(files))


def _control(args: Sequence[str], messages: _Messages) -> clingo.Control:
    return clingo.Control(list(args), logger=messages, message_limit=50)


def _add(ctl: clingo.Control, program: Program, externals: Iterable[clingo.Symbol],
         facts: Iterable[clingo.Symbol] = ()) -> None:
    with ast.ProgramBuilder(ctl) as builder:
        for stm in program.statements:
            builder.add(stm)
        for sym in facts:
            head = ast.Literal(_LOC, ast.Sign.NoSign, ast.SymbolicAtom(ast.SymbolicTerm(_LOC, sym)))
            builder.add(ast.Rule(_LOC, head, []))
        for sym in externals:
            builder.add(ast.External(_LOC, ast.SymbolicAtom(ast.SymbolicTerm(_LOC, sym)), [], _FREE))


def _ground(ctl: clingo.Control, program: Program, messages: _Messages) -> None:
    try:
        ctl.ground([("base", [])])
    except RuntimeError:
        detail = "; ".join(messages.lines) or "grounding failed"
        raise EncodingError(str(program.master), None, f"grounding failed: {detail}") from None


def ground_facts(program: Program, signatures: Iterable[tuple[str, int]]) -> dict[tuple[str, int], list[tuple]]:
    """Ground the encodings with no case and return the facts of the given signatures.

    Used to read the declarations (vocabulary, issues, views, provisions) that the
    encodings state as facts.
    """
    messages = _Messages()
    ctl = _control(["--warn=none"], messages)
    _add(ctl, program, ())
    _ground(ctl, program, messages)
    out: dict[tuple[str, int], list[tuple]] = {}
    for name, arity in signatures:
        rows = [tuple(value_of(a) for a in sa.symbol.arguments)
                for sa in ctl.symbolic_atoms.by_signature(name, arity) if sa.is_fact]
        out[(name, arity)] = sorted(rows, key=_sort_key)
    return out


def _sort_key(row: tuple) -> tuple:
    return tuple(_term_key(v) for v in row)


def _term_key(v: Raw) -> tuple:
    if isinstance(v, int):
        return (0, v, "")
    if isinstance(v, Text):
        return (2, 0, v.value)
    if isinstance(v, str):
        return (1, 0, v)
    return (3, 0, repr(v))


@dataclasses.dataclass(frozen=True)
class SolveOutcome:
    """What one solve returns: the models (each a sorted tuple of shown atoms as
    ``(name, args)``), or, when unsatisfiable, the core over the assumed atoms, and
    clingo's own timing (seconds)."""

    satisfiable: bool
    models: tuple[tuple[tuple[str, tuple], ...], ...]
    core: tuple[tuple[str, tuple], ...]
    ground_seconds: float
    solve_seconds: float


def solve(program: Program, facts: Sequence[Raw], assumed: Sequence[Raw], denied: Sequence[Raw],
          *, minimise_core: bool = True) -> SolveOutcome:
    """Ground the encodings with the ``assumed`` atoms as externals and enumerate
    every answer set, projected on the shown atoms.

    ``facts`` are added as facts (bookkeeping such as ``fact_pred/2`` and mode
    switches); ``assumed`` atoms (the case's status atoms) are assumed true;
    ``denied`` atoms (views the user excluded) are assumed false. When no answer
    set exists, the unsat core is reported over the assumed atoms, reduced to a
    minimal one by deletion.
    """
    messages = _Messages()
    ctl = _control(["0", "--project=show", "--warn=none"], messages)
    assumed_syms = [symbol_of(a) for a in assumed]
    _add(ctl, program, assumed_syms, [symbol_of(f) for f in facts])
    t0 = time.perf_counter()
    _ground(ctl, program, messages)
    ground_seconds = time.perf_counter() - t0
    present = ctl.symbolic_atoms
    denied_syms = [s for s in (symbol_of(d) for d in denied) if s in present]
    base = [(s, False) for s in denied_syms]

    models: list[tuple] = []

    def on_model(model: clingo.Model) -> None:
        atoms = sorted((value_of(s) for s in model.symbols(shown=True)), key=_term_key)
        models.append(tuple(atoms))

    core_lits: list[int] = []
    t0 = time.perf_counter()
    result = ctl.solve(assumptions=[(s, True) for s in assumed_syms] + base,
                       on_model=on_model, on_core=core_lits.extend)
    solve_seconds = time.perf_counter() - t0
    if result.satisfiable:
        return SolveOutcome(True, tuple(sorted(models, key=repr)), (), ground_seconds, solve_seconds)

    lit_of = {present[s].literal: s for s in assumed_syms if s in present}
    core = [lit_of[l] for l in core_lits if l in lit_of]
    if minimise_core:
        core = _minimise(ctl, core, base)
    return SolveOutcome(False, (), tuple(sorted((value_of(s) for s in core), key=_term_key)),
                        ground_seconds, solve_seconds)


def _minimise(ctl: clingo.Control, core: list[clingo.Symbol], base: list) -> list[clingo.Symbol]:
    """Deletion-based reduction of an unsat core to a minimal one."""
    kept = list(core)
    i = 0
    while i < len(kept):
        trial = kept[:i] + kept[i + 1:]
        if ctl.solve(assumptions=[(s, True) for s in trial] + base).unsatisfiable:
            kept = trial
        else:
            i += 1
    return kept
