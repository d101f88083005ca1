"""Grounding and solving: the ground-and-solve calls on a :class:`~.program.Program`
(:func:`solve`, :func:`solve_variants`, :func:`ground_facts`, :func:`ground_atoms`,
:func:`choose_statuses`), the ground-once :class:`Session` of the consistency tools
(check, verify, coverage), the solve loop with a deadline (:func:`_run`) and the
minimal unsat core (:func:`minimal_core`).

Case facts are declared ``#external`` through an AST node and assumed true when
solving, so that an unsatisfiable case yields an unsat core over its own facts.
Nothing here returns clingo types: atoms are Python terms (see :func:`~.symbols.value_of`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar, cast

import clingo
from clingo import ast

from ..contract import STATUSES
from ..errors import EncodingError
from ..terms import Raw
from .counterfactual import CopyStats, Counterfactual, Recorder, add_counterfactual, reads
from .program import Program, _Messages
from .symbols import _FREE, _LOC, KeyedTerm, _sort_key, _term_key, keyed_terms, symbol_of, value_of

T = TypeVar("T")

#: A solver assumption: a symbol with its truth value, or a program literal (negative: false).
Assumption = tuple[clingo.Symbol, bool] | int
#: One answer set as Python terms: its shown atoms (or those of the signatures asked for).
Model = tuple[Raw, ...]
#: Rows of ground atoms per signature: each row the atom's arguments.
Rows = dict[tuple[str, int], list[tuple[Raw, ...]]]

def _control(args: Sequence[str], messages: _Messages) -> clingo.Control:
    return clingo.Control(list(args), logger=messages, message_limit=50)


def _options(ctl: clingo.Control) -> clingo.Configuration:
    """The ``solve`` option group of a control. (clingo's stubs give every option as
    ``str | Configuration | None``; a group is a Configuration.)"""
    return cast(clingo.Configuration, ctl.configuration.solve)


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


def ground_facts(program: Program, signatures: Iterable[tuple[str, int]]) -> Rows:
    """Ground the encodings with no case and return the facts of the given signatures.

    Used to read the declarations (vocabulary, issues, views, provisions) that the
    encodings state as facts.
    """
    messages = _Messages()
    ctl = _control(["--warn=none"], messages)
    _add(ctl, program, ())
    _ground(ctl, program, messages)
    out: Rows = {}
    for name, arity in signatures:
        rows = [tuple(value_of(a) for a in sa.symbol.arguments)
                for sa in ctl.symbolic_atoms.by_signature(name, arity) if sa.is_fact]
        out[(name, arity)] = sorted(rows, key=_sort_key)
    return out


@dataclasses.dataclass(frozen=True)
class SolveOutcome:
    """What one solve returns: the models (each a sorted tuple of shown atoms as
    ``(name, args)``), or, when unsatisfiable, the core over the assumed atoms, and
    clingo's own timing (seconds)."""

    satisfiable: bool
    models: tuple[Model, ...]
    core: tuple[Raw, ...]
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
    # Most cases have an answer set: ground them with their status atoms as plain facts,
    # which lets the grounder simplify the program around them (as assumptions on
    # externals they stay open until the search, and the ground program is larger). Only
    # a case without an answer set is grounded again with its status atoms as assumptions,
    # for the unsat core over them.
    start = time.perf_counter()
    fast = _solve_as_facts(program, facts, assumed, denied, timeout=timeout, limit=limit, partial=partial)
    if fast is not None:
        return fast
    if timeout is not None:
        timeout = max(0.0, timeout - (time.perf_counter() - start))
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

    models, cut, on_model = _collector(limit)
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


def _solve_as_facts(program: Program, facts: Sequence[Raw], assumed: Sequence[Raw], denied: Sequence[Raw],
                    *, timeout: float | None, limit: int, partial: bool) -> SolveOutcome | None:
    """:func:`solve` with the ``assumed`` atoms added as facts: the same answer sets, or
    None when there is none (the caller then grounds again for the core)."""
    messages = _Messages()
    ctl = _control(["0", "--project=show", "--warn=none"], messages)
    _add(ctl, program, (), [symbol_of(f) for f in (*facts, *assumed)])
    t0 = time.perf_counter()
    _ground(ctl, program, messages)
    ground_seconds = time.perf_counter() - t0
    present = ctl.symbolic_atoms
    base = [(s, False) for s in (symbol_of(d) for d in denied) if s in present]
    deadline = None if timeout is None else time.perf_counter() + timeout
    models, cut, on_model = _collector(limit)
    t0 = time.perf_counter()
    try:
        sat = _run(ctl, base, on_model, deadline)
    except TimeoutError:
        if not (partial and models):
            raise
        sat = True
        cut.append("time")
    if not sat:
        return None
    return SolveOutcome(True, tuple(sorted(models, key=repr)), (), ground_seconds, time.perf_counter() - t0,
                        cut[0] if cut else None)


def _answer(atoms: Iterable[KeyedTerm]) -> Model:
    """A model's shown atoms as an answer: each once (``#show a/1.`` beside ``#show a(X) :
    b(X).`` lists ``a(1)`` twice where ``b(1)`` holds), in term order."""
    return tuple(v for _, v in sorted(set(atoms)))


def _collector(limit: int) -> tuple[list[Model], list[str], Callable[[clingo.Model], bool]]:
    """The models list, the cut marker and the ``on_model`` callback of one enumeration:
    each model the sorted shown atoms; past ``limit`` (0: none) the enumeration stops
    with the marker ``answers``."""
    models: list[Model] = []
    cut: list[str] = []
    seen: set[Model] = set()

    def on_model(model: clingo.Model) -> bool:
        # two models that show the same atoms are one answer: clingo projects on the output's
        # literals, so with ``#show a(X) : b(X).``, ``b`` true or false gives two models
        answer = _answer(keyed_terms(model.symbols(shown=True)))
        if answer in seen:
            return True
        if limit and len(models) >= limit:  # one more than the limit: there were more
            cut.append("answers")
            return False
        seen.add(answer)
        models.append(answer)
        return True

    return models, cut, on_model


def _run(ctl: clingo.Control, assumptions: Sequence[Assumption], on_model: Callable[[clingo.Model], bool | None] | None,
         deadline: float | None) -> bool:
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


def _minimise(ctl: clingo.Control, core: list[clingo.Symbol], base: list[tuple[clingo.Symbol, bool]],
              deadline: float | None = None) -> list[clingo.Symbol]:
    """A minimal unsat core (see :func:`minimal_core`) of ``core`` under ``base``.
    Each check stops at the first answer set (the control enumerates all of them
    otherwise: with some facts left free, thousands)."""
    _options(ctl).models = "1"
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
                 facts: Sequence[Raw] = (), externals: Sequence[Raw] = (), args: Sequence[str] = (),
                 counterfactual: Counterfactual | None = None) -> None:
        self._messages = _Messages()
        self._ctl = _control(["--warn=none", *args], self._messages)
        self._externals = [symbol_of(e) for e in externals]
        extra = self._parse(texts, files)
        full = Program(master=program.master, statements=tuple(program.statements) + tuple(extra), files=program.files)
        _add(self._ctl, full, self._externals, [symbol_of(f) for f in facts])
        recorder = Recorder() if counterfactual else None
        if recorder is not None:
            self._ctl.register_observer(recorder)
        t0 = time.perf_counter()
        _ground(self._ctl, full, self._messages)
        #: the second world's copy (``counterfactual``): atoms and rules it took
        self.copy: CopyStats | None = None
        if counterfactual is not None and recorder is not None:
            second = self._parse(counterfactual.texts, counterfactual.files)
            try:
                self.copy = add_counterfactual(self._ctl, recorder, counterfactual.drop, counterfactual.duty,
                                               sorted(reads(second, counterfactual.prefix)), counterfactual.prefix)
            except ValueError as exc:
                raise EncodingError(str(program.master), None, f"the counterfactual copy: {exc}") from None
            with ast.ProgramBuilder(self._ctl) as builder:
                builder.add(ast.Program(_LOC, "pyr_second_world", []))
                for stm in second:
                    if stm.ast_type != ast.ASTType.Program:
                        builder.add(stm)
            try:
                self._ctl.ground([("pyr_second_world", [])])
            except RuntimeError:
                detail = "; ".join(self._messages.lines) or "grounding failed"
                raise EncodingError(str(program.master), None, f"grounding failed: {detail}") from None
        self.ground_seconds = time.perf_counter() - t0

    def _parse(self, texts: Sequence[tuple[str, str]], files: Sequence[Path]) -> list[ast.AST]:
        extra: list[ast.AST] = []
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
        return extra

    def _lits(self, assumptions: Sequence[tuple[Raw, bool]]) -> list[tuple[clingo.Symbol, bool]]:
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
        conf = cast(clingo.Configuration, self._ctl.configuration.solver)  # a group (see _options)
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
               shown: bool = False, clock: Callable[[], float] | None = None) -> list[Model] | None:
        """Models under ``assumptions``, each the sorted atoms of the given signatures
        (all shown atoms when ``signatures`` is empty). ``limit`` 0 means all. With
        ``optimise``, only the last (optimal) model is returned. ``None`` when the
        search did not finish within ``timeout`` seconds: wall-clock seconds, or, with
        ``clock`` (e.g. ``time.process_time``), seconds of that clock."""
        wanted = set(signatures)
        _options(self._ctl).models = str(limit)
        _options(self._ctl).opt_mode = "opt" if optimise else "ignore"
        out: list[Model] = []

        def on_model(model: clingo.Model) -> None:
            syms: Sequence[clingo.Symbol]
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
        _options(self._ctl).models = "1"
        _options(self._ctl).opt_mode = "ignore"
        cand = [symbol_of(c) for c in candidates]
        present = self._ctl.symbolic_atoms
        cand = [c for c in cand if c in present]
        if not self._ctl.solve(assumptions=base + [(c, True) for c in cand]).unsatisfiable:
            return None
        kept = minimal_core(
            lambda trial: bool(self._ctl.solve(assumptions=base + [(c, True) for c in trial]).unsatisfiable), cand)
        return tuple(sorted((value_of(c) for c in kept), key=_term_key))

    def brave(self, signatures: Sequence[tuple[str, int]], assumptions: Sequence[tuple[Raw, bool]] = ()) -> set[Raw]:
        """Brave consequences: the atoms of the signatures true in some model
        (clingo's ``--enum-mode=brave``; the signatures must be shown)."""
        wanted = set(signatures)
        conf = _options(self._ctl)
        conf.models = "0"
        conf.opt_mode = "ignore"
        conf.enum_mode = "brave"
        last: list[clingo.Symbol] = []

        def on_model(model: clingo.Model) -> None:
            last[:] = [s for s in model.symbols(shown=True) if (s.name, len(s.arguments)) in wanted]

        try:
            self._ctl.solve(assumptions=self._lits(assumptions), on_model=on_model)
        finally:
            conf.enum_mode = "auto"
        return {value_of(s) for s in last}


def solve_variants(program: Program, facts: Sequence[Raw], assumed: Sequence[Raw], denied: Sequence[Raw],
                   variants: Sequence[Sequence[tuple[Raw, bool]]]) -> tuple[tuple[Model, ...], ...]:
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
    out: list[tuple[Model, ...]] = []
    for variant in variants:
        extra: list[tuple[clingo.Symbol, bool]] = []
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
        models: list[Model] = []
        # B023 does not apply: the callback runs only within this variant's solve call
        ctl.solve(assumptions=base + extra, on_model=lambda m: models.append(  # noqa: B023
            tuple(sorted((value_of(s) for s in m.symbols(shown=True)), key=_term_key))))
        out.append(tuple(sorted(models, key=repr)))
    return tuple(out)


def ground_atoms(program: Program, free: Iterable[Raw], facts: Iterable[Raw],
                 signatures: Iterable[tuple[str, int]]) -> Rows:
    """Ground the encodings with the ``free`` atoms as open externals and return every
    ground atom (fact or not) of the given signatures: what the rules *could* derive
    from those atoms (used to find the provisions a corpus can reach)."""
    messages = _Messages()
    ctl = _control(["--warn=none"], messages)
    _add(ctl, program, [symbol_of(f) for f in free], [symbol_of(f) for f in facts])
    _ground(ctl, program, messages)
    out: Rows = {}
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
    names = [p.name for p in STATUSES]
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
        model: Sequence[clingo.Symbol] = []
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
