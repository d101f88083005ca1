"""The batch engine's ground (issue 6): a chunk of cases grounded together over the
tagged encodings (:class:`ChunkGround`; see :mod:`.rewrite` for the tagging), all its
cases solved in one call, and the memos of the symbols a batch builds and reads.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import clingo

from ..terms import Raw
from .control import Model, SolveOutcome, _add, _answer, _control, _ground, _run
from .program import _Messages
from .rewrite import _ACTIVE, _BLOCK, _BLOCK_SIZE, _CASE, _MARKER, _NONE, _SHOWN_AS, TaggedProgram
from .symbols import (
    _FAST,
    _IS_TRUE,
    _KEY_OF,
    _NEW_CELL,
    _VALUE_BY_REP,
    TermKey,
    _Memo,
    _term_key,
    arguments_of_rep,
    atoms_of,
    symbol_of,
    value_of,
)

#: Cases grounded together by default (a batch's chunk, ``Reasoner.solve_many``'s). Since a
#: chunk is solved in one call, 48 and 64 were some 10 % faster than 32 on the generated
#: corpus (the grounder's fixed cost is shared by more cases; the solver's cost of each model
#: grows with the chunk); 48 keeps the control smaller than 64, and two chunks fit a worker's
#: ``--recycle`` of 100 cases (see docs/batch.md).
CHUNK_SIZE = 48

#: A shown atom: its sort key, the Python term, and the case it belongs to (-1: none).
ShownAtom = tuple[TermKey, Raw, int]


def _shown_of_value(value: Raw) -> ShownAtom:
    """``(sort key, Python term, case index)`` of a shown atom's term; a case's shown atom
    ``pyreasoner_shown(K, A)`` is read as ``A`` (its key memoised for every K), one that
    belongs to no case has index -1."""
    if isinstance(value, tuple) and value[0] == _SHOWN_AS and len(value[1]) == 2:
        k, inner = value[1]
        if isinstance(k, int):
            return (_KEY_OF[inner], inner, k)
    return (_term_key(value), value, -1)


#: Python term -> clingo symbol
_SYMBOLS: _Memo[Raw, clingo.Symbol] = _Memo(symbol_of)
#: shown clingo symbol -> (sort key, Python term, case index or -1), for a sequence of
#: symbols without their numbers (see _shown_atoms)
_SHOWN: _Memo[clingo.Symbol, ShownAtom] = _Memo(lambda sym: _shown_of_value(value_of(sym)))


#: shown symbol number -> (sort key, Python term, case index or -1)
_SHOWN_BY_REP: _Memo[int, ShownAtom] = _Memo(lambda rep: _shown_of_value(_VALUE_BY_REP[rep]))


def _shown_parts(rep: int) -> tuple[int, int]:
    """The case index (-1: none) and the symbol number of the term of the shown atom
    ``pyreasoner_shown(K, A)`` numbered ``rep``."""
    args = arguments_of_rep(rep)
    if len(args) == 2:
        k = _VALUE_BY_REP[args[0]]
        if isinstance(k, int):
            return k, args[1]
    return -1, rep


#: shown symbol number -> (case index or -1, symbol number of its term)
_SHOWN_PARTS: _Memo[int, tuple[int, int]] = _Memo(_shown_parts)


def _shown_atoms(symbols: Sequence[clingo.Symbol]) -> list[ShownAtom]:
    """:data:`_SHOWN` of each of a model's shown ``symbols``. ``Model.symbols`` of clingo 5.8
    returns a sequence over the symbols' numbers (``_p_symbols``, a C array) that makes a
    ``Symbol`` object of each on the way out: they are read as numbers here instead (some 20
    per cent of the batch's Python time went to making, hashing and comparing them). Any other
    sequence is read through its symbols, with the same result."""
    numbers = getattr(symbols, "_p_symbols", None)
    if numbers is None:
        return [_SHOWN[s] for s in symbols]
    memo = _SHOWN_BY_REP
    return [memo[r] for r in numbers]


def _case_answer(symbols: Sequence[clingo.Symbol]) -> tuple[int, Model]:
    """The case a model of the chunk belongs to (the one whose marker it shows) and its
    answer: the shown atoms but the marker, each once, in term order."""
    atoms = _shown_atoms(symbols)
    k = next(a[2] for a in atoms if a[1] == _MARKER)
    return k, _answer((a[0], a[1]) for a in atoms if a[1] != _MARKER)


T = TypeVar("T")


def _true_of_c(model: clingo.Model, items: Sequence[tuple[int, T]]) -> tuple[T, ...]:
    """The terms of ``items`` whose program literal is true in ``model``: ``Model.is_true``
    without its wrapper. clingo 5.8's ``is_true`` allocates an output cell through cffi on
    every call (some 2.5 microseconds a call); this calls ``clingo_model_is_true`` of clingo's
    C API with one cell a model (its own: the call lets go of the GIL). A failed call
    raises, as ``is_true`` does."""
    rep, cell, call = model._rep, _NEW_CELL("bool*"), _IS_TRUE
    out: list[T] = []
    for lit, value in items:
        if not call(rep, lit, cell):
            raise RuntimeError(f"clingo_model_is_true failed on literal {lit}")
        if cell[0]:
            out.append(value)
    return tuple(out)


def _true_of_api(model: clingo.Model, items: Sequence[tuple[int, T]]) -> tuple[T, ...]:
    """:func:`_true_of_c` through clingo's public ``Model.is_true`` (any other clingo)."""
    is_true = model.is_true
    return tuple(value for lit, value in items if is_true(lit))


_true_of = _true_of_c if _FAST else _true_of_api


class ChunkGround:
    """A chunk of cases grounded together over a :class:`TaggedProgram`, and solved in one
    call (:meth:`solve`).

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
        facts = tuple(facts)
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
                self._active.append(add_atom(F(_ACTIVE, [key])))
                by_status: dict[str, list[tuple[clingo.Symbol, clingo.Symbol]]] = {}
                for status, term, pred in facts_k:
                    by_status.setdefault(status, []).append((symbols[term], symbols[pred]))
                for status, pairs in by_status.items():
                    for b in range(0, len(pairs), _BLOCK_SIZE):
                        block = pairs[b:b + _BLOCK_SIZE]
                        pad = [none] * (_BLOCK_SIZE - len(block))
                        add_rule([add_atom(F(_BLOCK, [key, symbols[status], *(t for t, _ in block), *pad,
                                                      *(p for _, p in block), *pad]))])
            if self._active:  # exactly one case is active in each answer set (see .rewrite)
                add_rule(self._active, [], choice=True)
                add_rule([], [-lit for lit in self._active])
                backend.add_weight_rule([], 2, [(lit, 1) for lit in self._active])
        t1 = time.perf_counter()
        _ground(ctl, tagged.program, self._messages)
        self.input_seconds = t1 - t0
        self.ground_seconds = time.perf_counter() - t1
        self._present = ctl.symbolic_atoms
        self._tagged = tagged.tagged
        self._by_literal = tagged.shows_only_tagged
        #: per denied set, per case: its answers (none: it has no answer set); None: the
        #: chunk's call timed out, each case is solved on its own
        self._answers: dict[tuple[Raw, ...], list[tuple[Model, ...]] | None] = {}
        #: per denied set: its atoms (name and arguments where tagged), and per case its literals
        self._denied: dict[tuple[Raw, ...], tuple[list[tuple[clingo.Symbol, str | None, list[clingo.Symbol]]],
                                                  dict[int, tuple[int, ...]]]] = {}
        #: per denied set: each case's share of the chunk's solve call for it (seconds)
        self._share: dict[tuple[Raw, ...], float] = {}
        #: solve calls made (one per denied set, and one per case after a chunk's call timed out
        #: or gave the case no answer under denied atoms)
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

        The first call for a denied set solves every case of the chunk at once (:meth:`_all`);
        the others read its answers. Raises ``TimeoutError`` when solving case ``k`` takes
        longer than ``timeout`` seconds (the search is cancelled and the ground program
        stays usable).
        """
        key = tuple(denied)
        if key not in self._answers:
            self._answers[key] = self._all(denied, timeout)
        answers = self._answers[key]
        if answers is not None and (answers[k] or not denied):
            return SolveOutcome(bool(answers[k]), answers[k], (), 0.0, self._share[key])
        # This case alone, read from the model's shown symbols: the chunk's call timed out,
        # or it gave this case no answer under denied atoms. The call assumes every case's
        # denied atoms false, and a copy that derives one without a guard (by a plain rule,
        # say) then has no answer set even when inactive, which leaves every other case none.
        shown: list[Sequence[clingo.Symbol]] = []  # converted after the search: the solve time is clingo's
        t0 = time.perf_counter()
        self.solve_calls += 1
        sat = _run(self._ctl, [self._active[k], *self._denied_literals(k, denied)],
                   lambda model: shown.append(model.symbols(shown=True)), None if timeout is None else t0 + timeout)
        solve_seconds = time.perf_counter() - t0 + self._share[key]
        if not sat:
            return SolveOutcome(False, (), (), 0.0, solve_seconds)
        # The atoms and the models in the solver's order: ``Query.result`` sorts both.
        models = tuple(dict.fromkeys(_case_answer(syms)[1] for syms in shown))
        return SolveOutcome(True, models, (), 0.0, solve_seconds)

    @functools.cached_property
    def _shown_literals(self) -> list[list[tuple[int, int]]]:
        """Per case, the program literal and the symbol number of the term of each of its
        shown atoms but the marker (every shown atom is a case's where the chunk reads
        answers by literals). Only the two arguments of each atom are read here, not its
        term: a model's true terms are made Python terms after the search (:meth:`_all`), a
        third or so of these (reading every term here was some 10 % of a chunk's time)."""
        shown: list[list[tuple[int, int]]] = [[] for _ in self._active]
        marker, parts = _SYMBOLS[_MARKER]._rep, _SHOWN_PARTS
        for lit, rep in atoms_of(self._present, _SHOWN_AS, 2):
            k, term = parts[rep]
            if term != marker and k >= 0:
                shown[k].append((lit, term))
        return shown

    def _all(self, denied: Sequence[Raw], timeout: float | None) -> list[tuple[Model, ...]] | None:
        """Every answer of every case of the chunk, in one solve call: each answer set has
        exactly one case active, whose answers it holds (no other copy shows an atom of its
        own), and the call enumerates them projected on the shown atoms, among them the
        active case's marker (``pyreasoner_shown(K, pyreasoner_case)``): each answer of each
        case once. A case with no answer gets none (see :meth:`solve` for denied atoms).
        ``None`` when the search takes longer than ``timeout``: then each case is solved on
        its own, with its own limit.

        A model is read by the truth of the literals of the shown atoms of its case (some 66
        atoms here), not by ``Model.symbols``, which clingo collects over the output of every
        case of the chunk (some 130 microseconds a model on 32 cases); or, when the
        encodings show something that belongs to no case, by its shown symbols."""
        n = len(self._active)
        assumptions: list[int] = []
        if denied:
            for k in range(n):
                assumptions += self._denied_literals(k, denied)
            assumptions = list(dict.fromkeys(assumptions))  # an untagged denied atom is in each case's
        found: list[list[tuple[int, ...]]] = [[] for _ in range(n)]  # by literals: the true terms' numbers
        on_model: Callable[[clingo.Model], None]
        if self._by_literal:
            shown = self._shown_literals
            active = [(lit, k) for k, lit in enumerate(self._active)]
            hint = [0]  # the case of the last model, tried first

            def on_model(model: clingo.Model) -> None:
                k = hint[0]
                if not _true_of(model, active[k:k + 1]):
                    k = hint[0] = _true_of(model, active)[0]
                found[k].append(_true_of(model, shown[k]))
        else:
            symbols: list[Sequence[clingo.Symbol]] = []

            def on_model(model: clingo.Model) -> None:
                symbols.append(model.symbols(shown=True))

        t0 = time.perf_counter()
        self.solve_calls += 1
        try:
            _run(self._ctl, assumptions, on_model, None if timeout is None else t0 + timeout)
        except TimeoutError:
            return None
        finally:
            self._share[tuple(denied)] = (time.perf_counter() - t0) / max(n, 1)
        if not self._by_literal:
            answers: list[list[Model]] = [[] for _ in range(n)]
            for syms in symbols:
                k, answer = _case_answer(syms)
                answers[k].append(answer)
            # a show term's condition is projected on too: two models may show the same atoms
            return [tuple(dict.fromkeys(models)) for models in answers]
        value = _VALUE_BY_REP
        return [tuple(tuple([value[r] for r in reps]) for reps in models) for models in found]

    def _denied_literals(self, k: int, denied: Sequence[Raw]) -> tuple[int, ...]:
        """The negated literals of case ``k``'s ``denied`` atoms that the chunk's program
        holds, memoised per denied set and case."""
        key = tuple(denied)
        memo = self._denied.get(key)
        if memo is None:
            parts: list[tuple[clingo.Symbol, str | None, list[clingo.Symbol]]] = []
            for d in denied:
                sym = _SYMBOLS[d]
                name, args = sym.name, sym.arguments
                parts.append((sym, name, args) if (name, len(args)) in self._tagged else (sym, None, []))
            memo = self._denied[key] = (parts, {})
        parts, per_case = memo
        out = per_case.get(k)
        if out is None:
            present, number, lits = self._present, clingo.Number(k), []
            for sym, tagged_name, args in parts:
                atom = present[clingo.Function(tagged_name, [number, *args]) if tagged_name is not None else sym]
                if atom is not None:
                    lits.append(-atom.literal)
            out = per_case[k] = tuple(lits)
        return out
