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
import re
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence, TypeVar, Union

import clingo
from clingo import ast

from ..errors import EncodingError

T = TypeVar("T")

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
    names = {s.location.begin.filename for s in statements} - {"<string>", "<case>"}
    files = sorted({Path(n).resolve() for n in names})
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
    #: why the enumeration stopped early: ``"answers"`` (the limit on answers) or ``"time"``
    #: (the time limit, with ``partial``); ``None`` when every answer set is here
    cut: str | None = None


def solve(program: Program, facts: Sequence[Raw], assumed: Sequence[Raw], denied: Sequence[Raw],
          *, timeout: float | None = None, limit: int = 0, partial: bool = False) -> SolveOutcome:
    """Ground the encodings with the ``assumed`` atoms as externals and enumerate
    every answer set, projected on the shown atoms.

    ``facts`` are added as facts (bookkeeping such as ``fact_pred/2`` and mode
    switches); ``assumed`` atoms (the case's status atoms) are assumed true;
    ``denied`` atoms (views the user excluded) are assumed false. When no answer
    set exists, the unsat core is reported over the assumed atoms, reduced to a
    minimal one by deletion.

    ``timeout`` bounds the seconds spent solving (core minimisation included);
    past it the search is cancelled and ``TimeoutError`` raised, unless ``partial`` and
    some answer set was found: then the answer sets found so far come back with
    ``cut="time"``. ``limit`` (0: none) stops the enumeration after that many answer
    sets, with ``cut="answers"`` when there were more.
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
    deadline = None if timeout is None else time.perf_counter() + timeout

    models: list[tuple] = []

    seen: dict[clingo.Symbol, tuple] = {}  # the same shown atoms recur across answer sets

    def convert(sym: clingo.Symbol) -> tuple:
        pair = seen.get(sym)
        if pair is None:
            value = value_of(sym)
            pair = seen[sym] = (_term_key(value), value)
        return pair

    cut: list[str] = []

    def on_model(model: clingo.Model) -> bool:
        if limit and len(models) >= limit:  # one more than the limit: there were more
            cut.append("answers")
            return False
        models.append(tuple(v for _, v in sorted(map(convert, model.symbols(shown=True)))))
        return True

    t0 = time.perf_counter()
    try:
        sat = _run(ctl, [(s, True) for s in assumed_syms] + base, on_model, deadline)
    except TimeoutError:
        if not (partial and models):
            raise
        sat = True
        cut.append("time")
    solve_seconds = time.perf_counter() - t0
    if sat:
        return SolveOutcome(True, tuple(sorted(models, key=repr)), (), ground_seconds, solve_seconds,
                            cut[0] if cut else None)

    # Start from every assumed atom in a fixed order (not from the solver's core), so
    # that the minimal core does not depend on the search.
    core = _minimise(ctl, sorted(assumed_syms, key=lambda s: _term_key(value_of(s))), base, deadline)
    solve_seconds = time.perf_counter() - t0
    return SolveOutcome(False, (), tuple(sorted((value_of(s) for s in core), key=_term_key)),
                        ground_seconds, solve_seconds)


def _run(ctl: clingo.Control, assumptions: list, on_model, deadline: float | None) -> bool:
    """Solve under ``assumptions``; True when satisfiable. Past ``deadline`` (a
    ``perf_counter`` value) the search is cancelled and ``TimeoutError`` raised."""
    if deadline is None:
        return bool(ctl.solve(assumptions=assumptions, on_model=on_model).satisfiable)
    remaining = deadline - time.perf_counter()
    if remaining <= 0:
        raise TimeoutError("time limit reached")
    with ctl.solve(assumptions=assumptions, on_model=on_model, async_=True) as handle:
        if not handle.wait(remaining):
            handle.cancel()
            raise TimeoutError("time limit reached")
        return bool(handle.get().satisfiable)


def _minimise(ctl: clingo.Control, core: list[clingo.Symbol], base: list,
              deadline: float | None = None) -> list[clingo.Symbol]:
    """A minimal unsat core (see :func:`minimal_core`) of ``core`` under ``base``.
    Each check stops at the first answer set (the control enumerates all of them
    otherwise: with some facts left free, thousands)."""
    ctl.configuration.solve.models = "1"
    return minimal_core(lambda trial: not _run(ctl, [(s, True) for s in trial] + base, None, deadline), core)


def minimal_core(unsat: Callable[[list[T]], bool], items: Sequence[T]) -> list[T]:
    """The minimal unsatisfiable subset of ``items`` (unsatisfiable as a whole) that
    deletion in order finds: drop the first item if the rest stays unsatisfiable, then
    the next, and so on.

    Computed by QuickXplain (Junker, AAAI 2004) over the items in reverse order, which
    gives the same subset (the preferred conflict of a total order is unique) with
    O(k log(n/k)) calls of ``unsat`` for a core of k of n items, instead of n calls.
    ``unsat`` depends only on which items it is given, so the result does not depend
    on the search and is the same on every path (``Reasoner.solve``, ``check``)."""
    def check(idx: list[int]) -> bool:
        return unsat([items[i] for i in sorted(idx)])

    def qx(background: list[int], delta: bool, cands: list[int]) -> list[int]:
        if delta and check(background):
            return []
        if len(cands) == 1:
            return cands
        half = len(cands) // 2
        first, second = cands[:half], cands[half:]
        d2 = qx(background + first, bool(first), second)
        d1 = qx(background + d2, bool(d2), first)
        return d1 + d2

    if not items:
        return []
    return [items[i] for i in sorted(qx([], False, list(reversed(range(len(items))))))]


# ---- consistency tools (issue 5) ----
# Static description of statements (lint, coverage), instrumentation with rule
# markers (coverage, check), and a ground-once session used by check / verify /
# coverage. Nothing here returns clingo types: statements are described by
# :class:`StatementInfo`, atoms are Python terms (see :func:`value_of`).

#: Predicates of the markers added by :func:`instrument`.
FIRED = "pyr_fired"
VIOLATED = "pyr_violated"

_STATUS_WRAPPERS = ("true", "established", "refuted", "unknown", "counts_true", "true_ordinary", "duty_asked")


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
    ``(name, arity)``; ``numbers`` the integer literals in its body.
    """

    file: str
    line: int
    end_line: int
    kind: str
    text: str
    literals: tuple[LitInfo, ...] = ()
    reads: tuple[tuple[str, int], ...] = ()
    numbers: tuple[int, ...] = ()
    shows: tuple[tuple[str, int], ...] = ()
    index: int = -1

    @property
    def heads(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted({(l.name, l.arity) for l in self.literals if l.head}))

    @property
    def body(self) -> tuple[LitInfo, ...]:
        return tuple(l for l in self.literals if not l.head)


def _children(node):
    for key in node.keys():
        if key == "location":
            continue
        value = getattr(node, key)
        if isinstance(value, ast.AST):
            yield key, value
        elif isinstance(value, (list, tuple)) or type(value).__name__ == "ASTSequence":
            for v in value:
                if isinstance(v, ast.AST):
                    yield key, v


def _walk_atoms(node, head: bool, sign: int, lits: list, reads: list, numbers: list | None) -> None:
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
                    reads.append((inner.name, len(inner.arguments)))
                elif inner.ast_type == ast.ASTType.SymbolicTerm and inner.symbol.type == clingo.SymbolType.Function:
                    reads.append((inner.symbol.name, len(inner.symbol.arguments)))
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


def _walk_numbers(node, numbers: list) -> None:
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


def _describe(stm, index: int) -> StatementInfo | None:
    t = stm.ast_type
    loc = stm.location
    common = dict(file=loc.begin.filename, line=loc.begin.line, end_line=loc.end.line, index=index)
    if t == ast.ASTType.Comment:
        return StatementInfo(kind="comment", text=stm.value, **common)
    if t == ast.ASTType.Program:
        return None
    lits: list = []
    reads: list = []
    numbers: list = []
    shows: list = []
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
                         reads=tuple(sorted(set(reads))), numbers=tuple(numbers), shows=tuple(shows), **common)


def describe_files(paths: Sequence[Path]) -> tuple[tuple[StatementInfo, ...], tuple[tuple[str, str], ...]]:
    """Parse each file (following its ``#include`` directives) and describe every
    statement. Returns the statements, sorted by file and line, and the parse
    errors as ``(file, message)`` pairs. A statement included twice is described once."""
    seen: set[tuple[str, int, int, str]] = set()
    out: list[StatementInfo] = []
    errors: list[tuple[str, str]] = []
    for path in paths:
        statements: list = []
        messages = _Messages()
        try:
            ast.parse_files([str(path)], statements.append, logger=messages, message_limit=20)
        except RuntimeError as exc:
            errors.append((str(path), "; ".join(messages.lines) or str(exc)))
            continue
        for i, stm in enumerate(statements):
            info = _describe(stm, i)
            if info is None:
                continue
            key = (info.file, info.line, info.end_line, info.text)
            if key in seen:
                continue
            seen.add(key)
            out.append(info)
    out.sort(key=lambda s: (s.file, s.line, s.end_line, s.text))
    return tuple(out), tuple(errors)


def _marker(name: str, n: int, loc):
    return ast.Literal(loc, ast.Sign.NoSign,
                       ast.SymbolicAtom(ast.SymbolicTerm(loc, clingo.Function(name, [clingo.Number(n)]))))


def instrument(program: Program, *, relax: bool = False, extra_files: Sequence[Path] = ()) -> tuple[Program, dict]:
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
    out: list = []
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


class Session:
    """A rule base grounded once with extra program text, solved many times under
    different assumptions. Used by the consistency tools (check, verify, coverage).

    Parameters
    ----------
    program:
        The parsed encodings (possibly instrumented).
    texts:
        Extra program text as ``(label, text)`` pairs (generated by the tools from
        declarations, never from case data).
    files:
        Extra ``.lp`` files (e.g. invariants).
    facts:
        Python terms added as facts.
    externals:
        Python terms declared external (to be assumed when solving).
    args:
        clingo options.
    """

    def __init__(self, program: Program, *, texts: Sequence[tuple[str, str]] = (), files: Sequence[Path] = (),
                 facts: Sequence[Raw] = (), externals: Sequence[Raw] = (), args: Sequence[str] = ()) -> None:
        self._messages = _Messages()
        self._ctl = _control(["--warn=none", *args], self._messages)
        self._externals = [symbol_of(e) for e in externals]
        extra: list = []
        for label, text in texts:
            try:
                ast.parse_string(text, extra.append, logger=self._messages, message_limit=20)
            except RuntimeError:
                raise EncodingError(label, None, "does not parse: " + "; ".join(self._messages.lines)) from None
        for path in files:
            try:
                ast.parse_files([str(path)], extra.append, logger=self._messages, message_limit=20)
            except RuntimeError:
                raise EncodingError(str(path), None, "does not parse: " + "; ".join(self._messages.lines)) from None
        full = Program(master=program.master, statements=tuple(program.statements) + tuple(extra), files=program.files)
        _add(self._ctl, full, self._externals, [symbol_of(f) for f in facts])
        t0 = time.perf_counter()
        _ground(self._ctl, full, self._messages)
        self.ground_seconds = time.perf_counter() - t0

    def _lits(self, assumptions: Sequence[tuple[Raw, bool]]) -> list:
        present = self._ctl.symbolic_atoms
        out = []
        for term, value in assumptions:
            sym = symbol_of(term)
            if sym in present:
                out.append((sym, value))
            elif value:  # an atom that cannot be true, assumed true: unsatisfiable
                out.append((clingo.Function("pyr_absent_atom"), True))
        return out

    def set_heuristic(self, name: str) -> str:
        """Set clasp's decision heuristic for the next solves (e.g. ``"Domain"``, which reads
        the program's ``#heuristic`` directives); returns the previous setting."""
        conf = self._ctl.configuration.solver
        previous = str(conf.heuristic)
        conf.heuristic = name
        return previous

    def has_atom(self, term: Raw) -> bool:
        return symbol_of(term) in self._ctl.symbolic_atoms

    def atoms_of(self, name: str, arity: int) -> list[Raw]:
        """Every ground atom of a signature (possible, not necessarily true), sorted."""
        return sorted((value_of(sa.symbol) for sa in self._ctl.symbolic_atoms.by_signature(name, arity)),
                      key=_term_key)

    def models(self, assumptions: Sequence[tuple[Raw, bool]] = (), *, signatures: Sequence[tuple[str, int]] = (),
               limit: int = 0, optimise: bool = False, timeout: float | None = None,
               shown: bool = False, clock=None) -> list[tuple[Raw, ...]] | None:
        """Models under ``assumptions``, each the sorted atoms of the given signatures
        (all shown atoms when ``signatures`` is empty). ``limit`` 0 means all. With
        ``optimise``, only the last (optimal) model is returned. ``None`` when the
        search did not finish within ``timeout`` seconds: wall-clock seconds, or, with
        ``clock`` (e.g. ``time.process_time``), seconds of that clock."""
        wanted = set(signatures)
        self._ctl.configuration.solve.models = str(limit)
        self._ctl.configuration.solve.opt_mode = "opt" if optimise else "ignore"
        out: list[tuple] = []

        def on_model(model: clingo.Model) -> None:
            if wanted:
                syms = [s for s in model.symbols(atoms=True) if (s.name, len(s.arguments)) in wanted]
                if shown:
                    syms = sorted(set(syms) | set(model.symbols(shown=True)))
            else:
                syms = model.symbols(shown=True)
            atoms = tuple(sorted((value_of(s) for s in syms), key=_term_key))
            if optimise:
                out[:] = [atoms]
            else:
                out.append(atoms)

        if timeout is None:
            self._ctl.solve(assumptions=self._lits(assumptions), on_model=on_model)
            return out
        with self._ctl.solve(assumptions=self._lits(assumptions), on_model=on_model, async_=True) as handle:
            if clock is None:
                if not handle.wait(timeout):
                    handle.cancel()
                    return None
            else:
                start = clock()
                while not handle.wait(min(1.0, max(timeout - (clock() - start), 0.01))):
                    if clock() - start >= timeout:
                        handle.cancel()
                        return None
            handle.get()
        return out

    def core(self, assumptions: Sequence[tuple[Raw, bool]], candidates: Sequence[Raw]) -> tuple[Raw, ...] | None:
        """None when satisfiable under ``assumptions`` plus the ``candidates`` assumed
        true; else a minimal subset of the candidates that is unsatisfiable with the
        assumptions (deletion-based reduction)."""
        base = self._lits(assumptions)
        self._ctl.configuration.solve.models = "1"
        self._ctl.configuration.solve.opt_mode = "ignore"
        cand = [symbol_of(c) for c in candidates]
        present = self._ctl.symbolic_atoms
        cand = [c for c in cand if c in present]
        if not self._ctl.solve(assumptions=base + [(c, True) for c in cand]).unsatisfiable:
            return None
        kept = minimal_core(
            lambda trial: bool(self._ctl.solve(assumptions=base + [(c, True) for c in trial]).unsatisfiable), cand)
        return tuple(sorted((value_of(c) for c in kept), key=_term_key))

    def brave(self, signatures: Sequence[tuple[str, int]], assumptions: Sequence[tuple[Raw, bool]] = ()) -> set:
        """Brave consequences: the atoms of the signatures true in some model
        (clingo's ``--enum-mode=brave``; the signatures must be shown)."""
        wanted = set(signatures)
        conf = self._ctl.configuration.solve
        conf.models = "0"
        conf.opt_mode = "ignore"
        conf.enum_mode = "brave"
        last: list = []

        def on_model(model: clingo.Model) -> None:
            last[:] = [s for s in model.symbols(shown=True) if (s.name, len(s.arguments)) in wanted]

        try:
            self._ctl.solve(assumptions=self._lits(assumptions), on_model=on_model)
        finally:
            conf.enum_mode = "auto"
        return {value_of(s) for s in last}


class _Rename(ast.Transformer):
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def visit_SymbolicAtom(self, node):
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
    out: list = []
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

# ---- explanations (issue 7) ----
#
# An explanation run grounds the encodings plus one *shadow rule* per rule: for
# ``H :- B1, ..., Bn.`` it adds ``__fired(I, H, (P...), (N...), (C...)) :- B1, ..., Bn.``
# where I is the rule's index in :class:`RuleTable`, P the atoms of the positive body
# literals, N those of the negative ones (an anonymous variable there becomes the
# constant ``__any``) and C the terms of each comparison. A shadow head occurs in no
# body, so the answer sets of the encodings are unchanged; plain clingo never sees
# the shadow rules. pyreasoner.explain builds derivation trees from the fired atoms
# and the rule table (patterns, files and lines), all as plain Python values.

_FIRED = "__fired"
ANY = "__any"  #: stands for an anonymous variable of a negative literal in a fired atom

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
    head: tuple | None
    body: tuple
    fact: bool


@dataclasses.dataclass(frozen=True)
class RuleTable:
    """The rules of a program and the statements of its explanation run."""

    program: Program
    rules: tuple[RuleEntry, ...]
    statements: tuple


@dataclasses.dataclass(frozen=True, slots=True)
class ExplainedModel:
    """One answer set of an explanation run: every atom (as plain values), the shown
    atoms (as :class:`SolveOutcome` models), and the fired rule instances
    ``(rule index, head, positive atoms, negative atoms, comparison terms)``, in
    clingo's order (callers sort what they show)."""

    atoms: frozenset
    shown: tuple
    fired: tuple


def _pattern(term) -> tuple:
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

    def visit_Variable(self, node):
        if node.name != "_":
            return node
        self.count += 1
        return ast.Variable(node.location, f"{self.prefix}{self.count}")


class _AnyConst(ast.Transformer):
    """Replaces anonymous variables by the constant ``__any`` (for the record of a negative literal)."""

    def visit_Variable(self, node):
        if node.name != "_":
            return node
        return ast.SymbolicTerm(node.location, clingo.Function(ANY))


def _atom_term(atom):
    """The term of a symbolic atom (an AST term usable as an argument)."""
    return atom.symbol


def _tuple_term(loc, items: list):
    return ast.Function(loc, "", items, 0)


def _head_elements(head) -> list[tuple]:
    """(literal, condition) pairs of a head: one for a normal head, one per element of a
    choice or disjunction; none for a constraint or what cannot be explained."""
    t = head.ast_type
    if t == ast.ASTType.Literal:
        if head.atom.ast_type == ast.ASTType.SymbolicAtom and head.sign == ast.Sign.NoSign:
            return [(head, [])]
        return []
    if t in (ast.ASTType.Aggregate, ast.ASTType.Disjunction):
        out = []
        for el in head.elements:
            lit = el.literal
            if lit.atom.ast_type == ast.ASTType.SymbolicAtom and lit.sign == ast.Sign.NoSign:
                out.append((lit, list(el.condition)))
        return out
    return []


def _shadow(entry_index: int, stm, head_lit, condition, extra_check: bool) -> tuple:
    """The shadow rule of one head element and the body descriptors of its entry."""
    loc = stm.location
    anon = _Anon(f"Anon{entry_index}X")
    body_descr: list[tuple] = []
    shadow_body: list = []
    pos_terms, neg_terms, cmp_terms = [], [], []
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
    extra: list = []
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


def _cached_value_of(cache: dict):
    """:func:`value_of` with a cache of every sub-term. Keyed by the symbol's 64-bit
    representation (clingo interns symbols: equal symbols have equal ``_rep``), so a
    known symbol costs no call into clingo; falls back to the symbol itself."""

    def conv(sym: clingo.Symbol) -> Raw:
        key = getattr(sym, "_rep", sym)
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

    cache: dict = {}
    conv = _cached_value_of(cache)

    def on_model(model: clingo.Model) -> None:
        atoms, fired = [], []
        for sym in model.symbols(atoms=True):
            raw = conv(sym)
            if isinstance(raw, tuple) and raw[0] == _FIRED and len(raw[1]) == 5:
                i, head, pos, neg, cmps = raw[1]
                fired.append((i, head, pos[1], neg[1], tuple(c[1] for c in cmps[1])))
            else:
                atoms.append(raw)
        shown = tuple(sorted((conv(s) for s in model.symbols(shown=True)), key=_term_key))
        models.append(ExplainedModel(atoms=frozenset(atoms), shown=shown, fired=tuple(fired)))

    ctl.solve(assumptions=[(s, True) for s in assumed_syms] + base, on_model=on_model)
    return tuple(sorted(models, key=lambda m: repr(m.shown)))


def solve_variants(program: Program, facts: Sequence[Raw], assumed: Sequence[Raw], denied: Sequence[Raw],
                   variants: Sequence[Sequence[tuple[Raw, bool]]]) -> tuple[tuple[tuple, ...], ...]:
    """Ground once, then solve once per variant: each variant is a list of extra
    ``(atom, truth)`` assumptions (clingo's assumptions, no re-grounding). Returns, per
    variant, its models (sorted shown atoms; empty when the variant is inconsistent).
    An assumed-true atom that is not in the ground program makes the variant empty."""
    messages = _Messages()
    ctl = _control(["0", "--project=show", "--warn=none"], messages)
    assumed_syms = [symbol_of(a) for a in assumed]
    _add(ctl, program, assumed_syms, [symbol_of(f) for f in facts])
    _ground(ctl, program, messages)
    present = ctl.symbolic_atoms
    base = [(s, True) for s in assumed_syms] + [(s, False) for s in (symbol_of(d) for d in denied) if s in present]
    out = []
    for variant in variants:
        extra = []
        impossible = False
        for atom, truth in variant:
            sym = symbol_of(atom)
            if sym in present:
                extra.append((sym, truth))
            elif truth:
                impossible = True
        if impossible:
            out.append(())
            continue
        models: list[tuple] = []
        ctl.solve(assumptions=base + extra, on_model=lambda m: models.append(
            tuple(sorted((value_of(s) for s in m.symbols(shown=True)), key=_term_key))))
        out.append(tuple(sorted(models, key=repr)))
    return tuple(out)


# ---- batch engine (issue 6) ----
#
# Ground once per chunk, solve each case by assumptions ("case tagging").
#
# The encodings are rewritten once, through their AST, so that every atom whose
# predicate depends on a case's facts carries the case's index as a new first
# argument, and every rule that mentions such an atom joins the atoms of ONE case
# (one variable for the index, bound by ``case(K)``). A chunk of cases is then one
# ground program made of disjoint copies, one per case: the grounder's fixed cost
# per statement, most of a small case's time, is paid once per chunk instead of
# once per case, and the deterministic part of every case is computed by the
# grounder. Rules that can choose or fail (choice and disjunctive heads, integrity
# constraints, rules in a cycle through negation or an aggregate) and every shown
# term are guarded by an external ``active(K)``. Solving case k assumes its own
# guard true and every other guard false: the other copies then have exactly one
# answer set (their remaining rules are stratified), and the shown atoms are case
# k's alone, in the case's own names (no renaming).

#: reserved predicate names of the tagged program (checked against the encodings)
_CASE, _ACTIVE, _FACT, _BLOCK = "pyreasoner_case", "pyreasoner_active", "pyreasoner_fact", "pyreasoner_block"
_NONE = "pyreasoner_none"
#: a shown atom of case K is shown as ``pyreasoner_shown(K, Atom)``: one solve call over all
#: the cases of a chunk then tells each case's shown atoms apart (see ChunkGround.solve)
_SHOWN_AS = "pyreasoner_shown"
#: facts per input block: a case's facts reach clingo as a few wide atoms
#: ``pyreasoner_block(K, Status, T1..TB, P1..PB)`` (terms, then their predicate names,
#: padded with ``pyreasoner_none``) that B rules spread into ``pyreasoner_fact/4``; one
#: symbol per B facts instead of one per fact (building symbols is most of the input time)
_BLOCK_SIZE = 16


def clingo_version() -> str:
    """The version of the clingo module in use."""
    return clingo.__version__


def parse_rule(text: str):
    """The rule statement ``text`` holds, parsed again (``None`` unless it holds exactly
    one rule whose text is ``text``): how a stored rewriting is read back."""
    parsed: list = []
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


class _Untaggable(Exception):
    """An atom the batch engine cannot give a case index to (tag_program says which)."""


def _signature(atom) -> tuple[str, int]:
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


def _atoms(node, out: list, monotone: bool = True) -> list:
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
        if kind == ast.ASTType.Literal and node.sign != ast.Sign.NoSign:
            monotone = False
        elif kind in (ast.ASTType.BodyAggregate, ast.ASTType.Aggregate, ast.ASTType.ConditionalLiteral):
            monotone = False
        for key in node.child_keys:
            _atoms(getattr(node, key), out, monotone)
    elif isinstance(node, (list, tuple, ast.ASTSequence)):
        for child in node:
            _atoms(child, out, monotone)
    return out


def _head_body(rule) -> tuple[list, list]:
    """The head atoms of a rule (signatures) and its body atoms (signature, monotone),
    the conditions of head elements counted with the body."""
    head = rule.head
    body = _atoms(rule.body, [])
    if head.ast_type == ast.ASTType.Literal:
        return [s for s, _ in _atoms(head, [])], body
    heads: list = []
    for element in head.elements:
        if element.ast_type == ast.ASTType.HeadAggregateElement:  # terms : literal : condition
            literal, condition = element.condition.literal, element.condition.condition
        else:  # a choice or disjunction element: literal : condition
            literal, condition = element.literal, element.condition
        heads += [s for s, _ in _atoms(literal, [])]
        body += _atoms(condition, [], False)
    return heads, body


def _sccs(nodes: Iterable, edges: dict) -> dict:
    """Strongly connected components (Tarjan, iterative): node -> component id."""
    index: dict = {}
    low: dict = {}
    comp: dict = {}
    stack: list = []
    on: set = set()
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
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

    def __init__(self, tagged: frozenset, var, mentions=None) -> None:
        self.tagged = tagged
        self.var = var
        self.hit = False
        #: ``mentions(text)``: whether a text can name a tagged predicate (a cheap test that
        #: spares the walk through literals that name none)
        self.mentions = mentions

    def visit(self, node, *args, **kwargs):
        kind = node.ast_type
        if kind in _NO_ATOMS:  # nothing to tag below a term
            return node
        if kind == ast.ASTType.Literal and self.mentions is not None and not self.mentions(str(node)):
            return node
        return super().visit(node, *args, **kwargs)

    def visit_SymbolicAtom(self, node):
        if _signature(node) not in self.tagged:
            return node
        self.hit = True
        t = node.symbol
        if t.ast_type == ast.ASTType.Function:
            return node.update(symbol=t.update(arguments=[self.var, *t.arguments]))
        args = [ast.SymbolicTerm(t.location, a) for a in t.symbol.arguments]
        return node.update(symbol=ast.Function(t.location, t.symbol.name, [self.var, *args], False))


def _shown_term(var, term) -> ast.AST:
    return ast.Function(_LOC, _SHOWN_AS, [var, term], False)


def _lit(name: str, *args) -> ast.AST:
    return ast.Literal(_LOC, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(_LOC, name, list(args), False)))


@dataclasses.dataclass(frozen=True)
class TaggedProgram:
    """The encodings rewritten for case tagging (see the section comment).

    ``program``: the rewritten encodings (same master file); ``tagged``: the
    signatures (as written in the encodings) that depend on case input; ``guarded``:
    how many rules got the ``active`` guard.
    """

    program: Program
    tagged: frozenset
    guarded: int

    @property
    def statements(self) -> tuple:
        return self.program.statements


def tag_program(program: Program, inputs: Iterable[tuple[str, int]], statuses: Sequence[str], *,
                memo: dict | None = None) -> TaggedProgram:
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


def _tag_program(program: Program, inputs: list, statuses: Sequence[str], memo: dict) -> TaggedProgram:
    stms = without_comments(program).statements
    texts = [str(stm) for stm in stms]
    for stm, text in zip(stms, texts):
        if "Pyreasoner" in text or "pyreasoner_" in text:
            raise EncodingError(str(program.master), None, f"names beginning with Pyreasoner or pyreasoner_ are "
                                f"reserved by the batch engine ({stm})")

    def head_body(stm, text: str) -> tuple[list, list]:
        key = ("head_body", text)
        if key not in memo:
            memo[key] = _head_body(stm)
        return memo[key]

    rules = [(s, *head_body(s, t)) for s, t in zip(stms, texts) if s.ast_type == ast.ASTType.Rule]
    heads_of = {id(s): heads for s, heads, _ in rules}
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
    # stratified, so that an inactive copy has exactly one answer set: a rule defining
    # a predicate in a cycle of them through negation or an aggregate gets the guard
    # too. (Guarding a whole component takes its rules out of the inactive copies, so
    # one pass suffices.)
    text_of = {id(stm): text for stm, text in zip(stms, texts)}

    def choosing(stm) -> bool:
        """Whether a rule can choose or fail: any head but a plain positive atom (choices,
        disjunctions, aggregates, #false, and heads such as ``not p`` or ``X = 2``, which
        act as constraints)."""
        key = ("choosing", text_of[id(stm)])
        if key not in memo:
            head = stm.head
            memo[key] = (head.ast_type != ast.ASTType.Literal or head.sign != ast.Sign.NoSign
                         or head.atom.ast_type != ast.ASTType.SymbolicAtom)
        return memo[key]

    live = [(stm, heads, body) for stm, heads, body in rules if not choosing(stm)]
    while True:
        defined = set(inputs) | {h for _, heads, _ in live for h in heads}
        kept = [r for r in live if all(s in defined or s not in tagged for s, mono in r[2] if mono)]
        if len(kept) == len(live):
            break
        live = kept
    edges: dict = {}
    for _, heads, body in live:
        for h in heads:
            for b, _ in body:
                edges.setdefault(b, set()).add(h)
    comp = _sccs(sorted(tagged), edges)
    inner_negative: set = set()
    for _, heads, body in live:
        for h in heads:
            for b, mono in body:
                if not mono and b in comp and h in comp and comp[b] == comp[h]:
                    inner_negative.add(comp[h])
    var = ast.Variable(_LOC, "PyreasonerCase")
    frozen = frozenset(tagged)
    # a statement whose text names no tagged predicate has nothing to tag (most of them)
    names = sorted({re.escape(n) for n, _ in frozen}, key=lambda n: (-len(n), n))
    mentions = re.compile(r"(?<![A-Za-z0-9_'])(?:" + "|".join(names) + r")(?![A-Za-z0-9_'])").search
    out: list = []
    guarded = 0
    for stm, text in zip(stms, texts):
        kind = stm.ast_type
        if kind == ast.ASTType.Rule:
            if not mentions(text):
                out.append(stm)
                continue
            cyclic = any(comp.get(h) in inner_negative for h in heads_of[id(stm)])
            key = ("rule", text, frozen, cyclic)
            if key not in memo:
                tag = _Tag(frozen, var, mentions)
                new = tag(stm)
                guard = False
                if tag.hit:
                    body = [_lit(_CASE, var)]
                    if choosing(stm) or cyclic:
                        body.append(_lit(_ACTIVE, var))
                        guard = True
                    new = new.update(body=body + list(new.body))
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
                out.append(ast.ShowTerm(_LOC, _shown_term(var, term), [_lit(stm.name, var, *xs), _lit(_ACTIVE, var)]))
            else:
                out.append(stm)
        elif kind == ast.ASTType.ShowTerm:
            tag = _Tag(frozen, var)
            new = tag(stm)
            out.append(new.update(term=_shown_term(var, new.term), body=[*new.body, _lit(_ACTIVE, var)])
                       if tag.hit else new)
        elif kind in (ast.ASTType.Program, ast.ASTType.External, ast.ASTType.Definition):
            out.append(stm)  # externals that depend on case facts were refused above
        else:
            raise EncodingError(str(program.master), None,
                                f"the batch engine does not know how to tag a {kind.name} statement ({stm})")
    # What is shown. A #show of a signature hides every atom not shown; the rewriting turns
    # those of tagged predicates into #show terms (which hide nothing), so it adds the
    # bare #show. that hides the rest (encodings with no #show signature are refused above).
    out.append(ast.ShowSignature(_LOC, "", 0, True))
    # The case input: blocks of facts, spread into one atom per fact, spread into the
    # status and fact_pred atoms.
    k, t, p, s = (ast.Variable(_LOC, n) for n in ("PyreasonerCase", "PyreasonerTerm", "PyreasonerPred",
                                                    "PyreasonerStatus"))
    anon = ast.Variable(_LOC, "_")
    ts = [ast.Variable(_LOC, f"PyreasonerT{i}") for i in range(_BLOCK_SIZE)]
    ps = [ast.Variable(_LOC, f"PyreasonerP{i}") for i in range(_BLOCK_SIZE)]
    none = ast.SymbolicTerm(_LOC, clingo.Function(_NONE))
    for i in range(_BLOCK_SIZE):
        out.append(ast.Rule(_LOC, _lit(_FACT, k, s, ts[i], ps[i]), [
            _lit(_BLOCK, k, s, *ts, *ps),
            ast.Literal(_LOC, ast.Sign.NoSign, ast.Comparison(ts[i], [ast.Guard(ast.ComparisonOperator.NotEqual, none)]))]))
    for status in statuses:
        out.append(ast.Rule(_LOC, _lit(status, k, t),
                            [_lit(_FACT, k, ast.SymbolicTerm(_LOC, clingo.Function(status)), t, anon)]))
    out.append(ast.Rule(_LOC, _lit("fact_pred", k, t, p), [_lit(_FACT, k, anon, t, p)]))
    return TaggedProgram(dataclasses.replace(program, statements=tuple(out)), frozen, guarded)


class _Memo(dict):
    """A bounded memo of ``make(key)``: emptied when it reaches ``limit`` entries. A batch
    builds and reads the same symbols (names, entities, facts, shown atoms) again and
    again, and clingo keeps each symbol for the life of the process anyway."""

    def __init__(self, make, limit: int = 200_000) -> None:
        super().__init__()
        self._make, self._limit = make, limit

    def __missing__(self, key):
        if len(self) >= self._limit:
            self.clear()
        value = self[key] = self._make(key)
        return value


def _plain_pair(sym: clingo.Symbol) -> tuple:
    value = value_of(sym)
    return (_term_key(value), value)


def _shown_pair(sym: clingo.Symbol) -> tuple:
    """``(sort key, Python term, case index)`` of a shown symbol; a case's shown atom
    ``pyreasoner_shown(K, A)`` is read as ``A`` (converted once for every K), one that
    belongs to no case has index -1."""
    if sym.type == clingo.SymbolType.Function and sym.name == _SHOWN_AS:
        k, inner = sym.arguments
        key, value = _PLAIN[inner]
        return (key, value, k.number)
    key, value = _PLAIN[sym]
    return (key, value, -1)


#: Python term -> clingo symbol
_SYMBOLS = _Memo(symbol_of)
#: clingo symbol -> (sort key, Python term)
_PLAIN = _Memo(_plain_pair)
#: shown clingo symbol -> (sort key, Python term, case index or -1)
_SHOWN = _Memo(_shown_pair)


class ChunkGround:
    """A chunk of cases grounded together over a :class:`TaggedProgram`.

    Parameters
    ----------
    tagged:
        The rewritten encodings.
    cases:
        Per case, its facts as ``(status, term, predicate)`` with ``term`` a Python
        term (see :func:`symbol_of`).
    facts:
        Facts shared by every case (mode switches such as ``allow_rejected``).
    """

    def __init__(self, tagged: TaggedProgram, cases: Sequence[Sequence[tuple[str, Raw, str]]],
                 facts: Iterable[Raw]) -> None:
        self._messages = _Messages()
        self._ctl = ctl = _control(["0", "--project=show", "--warn=none"], self._messages)
        _add(ctl, tagged.program, (), [symbol_of(f) for f in facts])
        F, N = clingo.Function, clingo.Number
        symbols = _SYMBOLS
        none = symbols[_NONE]
        self._active: list[int] = []
        t0 = time.perf_counter()
        with ctl.backend() as backend:
            add_atom, add_rule = backend.add_atom, backend.add_rule
            for k, facts_k in enumerate(cases):
                key = N(k)
                add_rule([add_atom(F(_CASE, [key]))])
                lit = add_atom(F(_ACTIVE, [key]))
                backend.add_external(lit, clingo.TruthValue.Free)
                self._active.append(lit)
                by_status: dict[str, list] = {}
                for status, term, pred in facts_k:
                    by_status.setdefault(status, []).append((symbols[term], symbols[pred]))
                for status, pairs in by_status.items():
                    for b in range(0, len(pairs), _BLOCK_SIZE):
                        block = pairs[b:b + _BLOCK_SIZE]
                        pad = [none] * (_BLOCK_SIZE - len(block))
                        add_rule([add_atom(F(_BLOCK, [key, symbols[status], *(t for t, _ in block), *pad,
                                                      *(p for _, p in block), *pad]))])
        t1 = time.perf_counter()
        _ground(ctl, tagged.program, self._messages)
        self.input_seconds = t1 - t0
        self.ground_seconds = time.perf_counter() - t1
        self._present = ctl.symbolic_atoms
        self._tagged = tagged.tagged
        #: per denied set: the answer of each case that has exactly one (None: it branches)
        self._single: dict[tuple, list[tuple | None] | None] = {}
        #: solve calls made (joint and per case)
        self.solve_calls = 0

    @property
    def atom_count(self) -> int:
        """The number of ground atoms (a measure of the size of the chunk's ground program)."""
        return len(self._present)

    def solve(self, k: int, denied: Sequence[Raw], *, timeout: float | None = None) -> SolveOutcome:
        """Every answer set of case ``k``, projected on its shown atoms (the answer sets
        :func:`solve` gives, in the solver's order and each in no particular order), with
        ``denied`` atoms (e.g. ``adopt(b, joint)``, untagged) false. An unsatisfiable case
        comes back with an empty core: its facts are facts here, not assumptions; ask
        :func:`solve` for the core.

        Raises ``TimeoutError`` when solving takes longer than ``timeout`` seconds
        (the search is cancelled and the ground program stays usable).
        """
        denied_key = tuple(denied)
        if denied_key not in self._single:
            self._single[denied_key] = self._joint(denied, timeout)
        single = self._single[denied_key]
        if single is not None and single[k] is not None:
            return SolveOutcome(True, (single[k],), (), 0.0, self._joint_share)
        assumptions = [lit if j == k else -lit for j, lit in enumerate(self._active)]
        assumptions += self._denied_literals(k, denied)
        shown: list[list[clingo.Symbol]] = []  # converted after the search: the solve time is clingo's

        def on_model(model: clingo.Model) -> None:
            shown.append(model.symbols(shown=True))

        t0 = time.perf_counter()
        self.solve_calls += 1
        sat = _run(self._ctl, assumptions, on_model, None if timeout is None else t0 + timeout)
        solve_seconds = time.perf_counter() - t0
        if not sat:
            return SolveOutcome(False, (), (), 0.0, solve_seconds)
        # The atoms and the models in the solver's order: ``reasoner._result`` sorts both.
        models = tuple(tuple(_SHOWN[s][1] for s in syms) for syms in shown)
        return SolveOutcome(True, models, (), 0.0, solve_seconds)

    def _denied_literals(self, k: int, denied: Sequence[Raw]) -> list[int]:
        present, key, out = self._present, clingo.Number(k), []
        for d in denied:
            sym = _SYMBOLS[d]
            if (sym.name, len(sym.arguments)) in self._tagged:
                sym = clingo.Function(sym.name, [key, *sym.arguments])
            if sym in present:
                out.append(-present[sym].literal)
        return out

    def _independent(self) -> bool:
        """Whether the cases' answers are independent: every ground atom that belongs to
        no case (an untagged one) is a fact or an external (false: the chunk assigns none
        but the ``active`` ones). An untagged atom that is not (a choice that every case
        shares) couples the cases: one case's constraints can cut it for all."""
        atoms = self._present
        for name, arity, positive in atoms.signatures:
            if name.startswith("pyreasoner_") or (arity and (name, arity - 1) in self._tagged):
                continue
            if not all(a.is_fact or a.is_external for a in atoms.by_signature(name, arity, positive)):
                return False
        return True

    def _joint(self, denied: Sequence[Raw], timeout: float | None) -> list[tuple | None] | None:
        """Two solve calls over every case of the chunk at once: the brave and the cautious
        consequences of the shown atoms (each case's shown as ``pyreasoner_shown(K, A)``).
        The copies are disjoint, so the answer sets of all cases together are the product
        of each case's: a case whose brave and cautious consequences agree has exactly one
        answer, those consequences, and needs no solve call of its own. ``None`` per case
        that branches; ``None`` in all when the chunk has no answer set (some case has
        none: each is solved alone) or the search takes longer than ``timeout``."""
        n = len(self._active)
        self._joint_share = 0.0
        if n < 2 or not self._independent():
            return None
        assumptions = list(self._active)
        denied_syms = {_SYMBOLS[d] for d in denied}
        untagged = [d for d in denied_syms if (d.name, len(d.arguments)) not in self._tagged]
        assumptions += [-self._present[d].literal for d in untagged if d in self._present]
        if len(untagged) < len(denied_syms):
            for k in range(n):
                assumptions += [lit for lit in self._denied_literals(k, denied) if lit not in assumptions]
        conf = self._ctl.configuration.solve
        t0 = time.perf_counter()
        found: dict[str, list] = {}
        try:
            for mode in ("brave", "cautious"):
                conf.enum_mode = mode
                last: list = [()]

                def on_model(model: clingo.Model) -> None:
                    last[0] = model.symbols(shown=True)  # a lazy sequence: only the last one is read

                self.solve_calls += 1
                if not _run(self._ctl, assumptions, on_model, None if timeout is None else t0 + timeout):
                    return None
                found[mode] = last[0]
        except TimeoutError:
            return None
        finally:
            conf.enum_mode = "auto"
            self._joint_share = (time.perf_counter() - t0) / n
        # cautious is a subset of brave: a case decides when it has as many of each
        brave = [0] * (n + 1)  # index -1 (the last): shown atoms of no case
        for sym in found["brave"]:
            brave[_SHOWN[sym][2]] += 1
        cautious: list[list] = [[] for _ in range(n + 1)]
        for sym in found["cautious"]:
            _, value, k = _SHOWN[sym]
            cautious[k].append(value)
        if brave[-1] != len(cautious[-1]):  # shown atoms of no case that branch: every case branches with them
            return None
        common = cautious[-1]
        return [tuple(cautious[k] + common) if brave[k] == len(cautious[k]) else None for k in range(n)]


def ground_atoms(program: Program, free: Iterable[Raw], facts: Iterable[Raw],
                 signatures: Iterable[tuple[str, int]]) -> dict[tuple[str, int], list[tuple]]:
    """Ground the encodings with the ``free`` atoms as open externals and return every
    ground atom (fact or not) of the given signatures: what the rules *could* derive
    from those atoms (used to find the provisions a corpus can reach)."""
    messages = _Messages()
    ctl = _control(["--warn=none"], messages)
    _add(ctl, program, [symbol_of(f) for f in free], [symbol_of(f) for f in facts])
    _ground(ctl, program, messages)
    out: dict[tuple[str, int], list[tuple]] = {}
    for name, arity in signatures:
        rows = [tuple(value_of(a) for a in sa.symbol.arguments) for sa in ctl.symbolic_atoms.by_signature(name, arity)]
        out[(name, arity)] = sorted(rows, key=_sort_key)
    return out


def choose_statuses(program: Program, facts: Sequence[Raw], candidates: Sequence[Raw], targets: Sequence[Sequence[str]],
                    order: Sequence[int], *, tries: int, keep: int, solve_limit: str) -> tuple[list[int], dict[str, str]]:
    """Give each candidate fact a status (``established`` / ``refuted`` / ``unknown``) or
    none, so that the program derives as many targets as it can, greedily in ``order``
    (each target a list of rule bodies, any of which derives it): of the first ``tries``
    targets in ``order`` that the program can ground, keep each one that holds together
    with those kept before (at most ``keep``). The solver prefers a fact unstated; the
    search is bounded in conflicts (``solve_limit``), not in time, so the answer does not
    depend on the machine. Returns the kept targets and, per candidate's text, its status
    (for generate.py's directed cases)."""
    ctl = _control(["--warn=none", f"--solve-limit={solve_limit}", "--heuristic=Domain"], _Messages())
    _add(ctl, program, [], [symbol_of(f) for f in facts])
    names = ("established", "refuted", "unknown")
    text = "".join(f"{{ {'; '.join(f'{st}({c})' for st in names)} }} 1.\n" for c in (str(symbol_of(c)) for c in candidates))
    text += "".join(f"pyr_candidate({symbol_of(c)}).\n" for c in candidates)
    text += "".join(f"#heuristic {st}(F) : pyr_candidate(F). [1, false]\n" for st in names)
    text += "".join(f"pyr_target({k}) :- {body}.\n" for k, bodies in enumerate(targets) for body in bodies)
    ctl.add("base", [], text)
    ctl.ground([("base", [])])
    grounded = {a.symbol.arguments[0].number for a in ctl.symbolic_atoms.by_signature("pyr_target", 1)}
    kept: list[int] = []
    chosen: dict[str, str] = {}
    for k in [k for k in order if k in grounded][:tries]:
        model: list[clingo.Symbol] = []
        goals = [(clingo.Function("pyr_target", [clingo.Number(g)]), True) for g in kept + [k]]
        with ctl.solve(assumptions=goals, yield_=True) as handle:
            for m in handle:
                model = m.symbols(atoms=True)
                break
        if model:
            kept.append(k)
            chosen = {str(a.arguments[0]): a.name for a in model if a.name in names and len(a.arguments) == 1}
            if len(kept) == keep:
                break
    return kept, chosen

