"""The batch engine's ground (issue 6): a chunk of cases grounded together over the
tagged encodings (:class:`ChunkGround`; see :mod:`.rewrite` for the tagging), each
case solved by assumptions, and the memos of the symbols a batch builds and reads.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Sequence
from typing import cast

import clingo

from ..terms import Raw
from .control import Model, SolveOutcome, _add, _answer, _control, _ground, _options, _run
from .program import _Messages
from .rewrite import _ACTIVE, _BLOCK, _BLOCK_SIZE, _CASE, _NONE, _SHOWN_AS, TaggedProgram
from .symbols import (
    _FAST,
    _IS_TRUE,
    _KEY_OF,
    _NEW_CELL,
    _VALUE_BY_REP,
    TermKey,
    _Memo,
    _term_key,
    symbol_of,
    value_of,
)

#: Cases grounded together by default (a batch's chunk, ``Reasoner.solve_many``'s): 32 was
#: faster than 64 (and 16) on the generated corpus and, for solve_many, on the bundled one
#: too (a case whose answers branch is solved over the whole chunk), and its control smaller.
CHUNK_SIZE = 32

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


def _true_of_c(model: clingo.Model, items: Sequence[tuple[int, Raw]]) -> tuple[Raw, ...]:
    """The terms of ``items`` whose program literal is true in ``model``: ``Model.is_true``
    without its wrapper. clingo 5.8's ``is_true`` allocates an output cell through cffi on
    every call (some 2.5 microseconds a call); this calls ``clingo_model_is_true`` of clingo's
    C API with one cell a model (its own: the call lets go of the GIL). A failed call
    raises, as ``is_true`` does."""
    rep, cell, call = model._rep, _NEW_CELL("bool*"), _IS_TRUE
    out: list[Raw] = []
    for lit, value in items:
        if not call(rep, lit, cell):
            raise RuntimeError(f"clingo_model_is_true failed on literal {lit}")
        if cell[0]:
            out.append(value)
    return tuple(out)


def _true_of_api(model: clingo.Model, items: Sequence[tuple[int, Raw]]) -> tuple[Raw, ...]:
    """:func:`_true_of_c` through clingo's public ``Model.is_true`` (any other clingo)."""
    is_true = model.is_true
    return tuple(value for lit, value in items if is_true(lit))


_true_of = _true_of_c if _FAST else _true_of_api

#: (id of a tagged program, shared facts) -> (that program, whether its untagged atoms are
#: all facts or externals): see ChunkGround._independent_memo (the program is kept so that
#: its id cannot be reused by another while the entry lives)
_INDEPENDENT: dict[tuple[int, tuple[Raw, ...]], tuple[TaggedProgram, bool]] = {}


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
        facts = tuple(facts)
        self._source = (tagged, facts)
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
                by_status: dict[str, list[tuple[clingo.Symbol, clingo.Symbol]]] = {}
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
        #: per denied set, per case: its one answer, or how its answers branch (see _joint);
        #: None: unknown, each answer is read from the model's shown symbols
        self._single: dict[tuple[Raw, ...], list[Model | _Branching] | None] = {}
        #: per denied set: its atoms (name and arguments where tagged), and per case its literals
        self._denied: dict[tuple[Raw, ...], tuple[list[tuple[clingo.Symbol, str | None, list[clingo.Symbol]]],
                                                  dict[int, tuple[int, ...]]]] = {}
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
        entry = None if single is None else single[k]
        if isinstance(entry, tuple):
            return SolveOutcome(True, (entry,), (), 0.0, self._joint_share)
        assumptions = [lit if j == k else -lit for j, lit in enumerate(self._active)]
        assumptions += self._denied_literals(k, denied)
        shown: list[Sequence[clingo.Symbol]] = []  # converted after the search: the solve time is clingo's
        read: list[Model] = []

        if entry is None:
            def on_model(model: clingo.Model) -> None:
                shown.append(model.symbols(shown=True))
        else:
            # Every answer of the case holds its cautious consequences and some of the brave
            # ones: only those are looked up (the whole chunk's shown symbols cost some 130
            # microseconds a model on 32 cases, for 25 shown atoms; see _Branching).
            fixed, undecided = entry.fixed, entry.undecided

            def on_model(model: clingo.Model) -> None:
                read.append(fixed + _true_of(model, undecided))

        t0 = time.perf_counter()
        self.solve_calls += 1
        sat = _run(self._ctl, assumptions, on_model, None if timeout is None else t0 + timeout)
        # its own call and its share of the chunk's joint calls, which were made for it too
        solve_seconds = time.perf_counter() - t0 + self._joint_share
        if not sat:
            return SolveOutcome(False, (), (), 0.0, solve_seconds)
        # The atoms and the models in the solver's order: ``Query.result`` sorts both.
        if entry is not None:
            models = tuple(read)
        else:  # as the reference path reads them (see control._answer)
            models = tuple(dict.fromkeys(_answer((a[0], a[1]) for a in _shown_atoms(syms)) for syms in shown))
        return SolveOutcome(True, models, (), 0.0, solve_seconds)

    def _denied_literals(self, k: int, denied: Sequence[Raw]) -> tuple[int, ...]:
        """The negated literals of case ``k``'s ``denied`` atoms that the chunk's program
        holds, memoised per denied set and case (the chunk's joint calls and a branching
        case's own call ask for the same ones)."""
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

    def _independent_memo(self) -> bool:
        """:meth:`_independent`, computed once per tagged program and shared facts: the
        untagged atoms are those of the untagged rules, which read no case atom (else the
        rewriting would have tagged their heads), so every chunk grounds the same ones
        (a walk over every signature, some 14 ms a chunk, spared)."""
        tagged, facts = self._source
        key = (id(tagged), facts)
        hit = _INDEPENDENT.get(key)
        if hit is not None and hit[0] is tagged:
            return hit[1]
        value = self._independent()
        if len(_INDEPENDENT) >= 16:
            _INDEPENDENT.clear()
        _INDEPENDENT[key] = (tagged, value)
        return value

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

    def _joint(self, denied: Sequence[Raw], timeout: float | None) -> list[Model | _Branching] | None:
        """Two solve calls over every case of the chunk at once: the brave and the cautious
        consequences of the shown atoms (each case's shown as ``pyreasoner_shown(K, A)``).
        The copies are disjoint, so the answer sets of all cases together are the product
        of each case's: a case whose brave and cautious consequences agree has exactly one
        answer, those consequences, and needs no solve call of its own. A case that branches
        gets its :class:`_Branching`. ``None`` in all when the chunk has no answer set (some
        case has none: each is solved alone) or the search takes longer than ``timeout``."""
        n = len(self._active)
        self._joint_share = 0.0
        if n < 2 or not self._independent_memo():
            return None
        assumptions = list(self._active)
        if denied:
            for k in range(n):
                assumptions += self._denied_literals(k, denied)
            assumptions = list(dict.fromkeys(assumptions))  # an untagged denied atom is in each case's
        conf = _options(self._ctl)
        t0 = time.perf_counter()
        found: dict[str, Sequence[clingo.Symbol]] = {}
        try:
            for mode in ("brave", "cautious"):
                conf.enum_mode = mode
                last: list[Sequence[clingo.Symbol]] = [()]

                def on_model(model: clingo.Model) -> None:
                    # a lazy sequence: only the last one is read (B023 does not apply: the
                    # callback runs only within this mode's solve call)
                    last[0] = model.symbols(shown=True)  # noqa: B023

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
        cautious: list[list[Raw]] = [[] for _ in range(n + 1)]  # index -1 (the last): shown atoms of no case
        for _, value, k in _shown_atoms(found["cautious"]):
            cautious[k].append(value)
        certain = set(found["cautious"])
        undecided: list[list[tuple[clingo.Symbol, Raw]]] = [[] for _ in range(n + 1)]
        for sym, (_, value, k) in zip(found["brave"], _shown_atoms(found["brave"]), strict=True):
            if sym not in certain:
                undecided[k].append((sym, value))
        if undecided[-1]:  # shown atoms of no case that branch: every case branches with them
            return None
        common = cautious[-1]
        present = self._present
        return [tuple(cautious[k] + common) if not undecided[k] else
                _Branching(tuple(cautious[k] + common),
                           tuple((cast(clingo.SymbolicAtom, present[sym]).literal, value) for sym, value in undecided[k]))
                for k in range(n)]


@dataclasses.dataclass(frozen=True, slots=True)
class _Branching:
    """A case with more than one answer, as the chunk's brave and cautious consequences
    tell: every answer holds ``fixed`` (the cautious ones) and, of ``undecided`` (the brave
    ones that are not cautious, each as its program literal and its term), those true in
    it. Its answers are then read by the truth of a few literals instead of the model's
    shown symbols, which clingo collects over the output of every case of the chunk. The
    shown atoms of a case are atoms of the tagged program (``pyreasoner_shown(K, A)``), not
    show terms, for this."""

    fixed: Model
    undecided: tuple[tuple[int, Raw], ...]
