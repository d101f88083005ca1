"""Python terms to clingo symbols and back, and the order of terms.

Everything else in pyreasoner works with plain Python values (:data:`pyreasoner.terms.Raw`):
strings for constants, ``int`` for numbers, :class:`~pyreasoner.terms.Text` for clingo
strings, and ``(name, args)`` tuples for compound terms. Case facts never reach clingo as
program text: each becomes a symbol built with :func:`clingo.Function`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import clingo
from clingo import ast

from ..terms import Raw, Text

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


#: The sort key of a term: numbers, then constants, then strings, then compounds (by ``repr``).
TermKey = tuple[int, int, str]


#: A term with its sort key, so that a list of them sorts as the terms do.
KeyedTerm = tuple[TermKey, Raw]


def _sort_key(row: tuple[Raw, ...]) -> tuple[TermKey, ...]:
    return tuple(_term_key(v) for v in row)


def _term_key(v: Raw) -> TermKey:
    if isinstance(v, int):
        return (0, v, "")
    if isinstance(v, Text):
        return (2, 0, v.value)
    if isinstance(v, str):
        return (1, 0, v)
    return (3, 0, repr(v))


K = TypeVar("K")
V = TypeVar("V")


class _Memo(dict[K, V]):
    """A bounded memo of ``make(key)``: emptied when it reaches ``limit`` entries. A batch
    builds and reads the same symbols (names, entities, facts, shown atoms) again and
    again, and clingo keeps each symbol for the life of the process anyway."""

    def __init__(self, make: Callable[[K], V], limit: int = 200_000) -> None:
        super().__init__()
        self._make, self._limit = make, limit

    def __missing__(self, key: K) -> V:
        if len(self) >= self._limit:
            self.clear()
        value = self[key] = self._make(key)
        return value


# Terms read from clingo 5.8's C calls on a symbol's number. ``Symbol.arguments``, ``.name``
# and ``.type`` allocate a cffi cell and ``Symbol`` objects on every call: that was most of
# the time of reading answers (the batch engine's chunks, the reference path's models).
# ``Model.symbols`` of clingo 5.8 keeps the numbers in ``_p_symbols``; clingo never frees a
# symbol, so a number names one symbol for the life of the process, and a Python int hashes
# and compares without a call into clingo. Any other clingo takes the public calls (_FAST
# false), with the same terms; the tests check both.

try:  # clingo 5.8's cffi module; else the public calls
    from clingo._internal import _ffi as _clingo_ffi  # type: ignore[attr-defined]
    from clingo._internal import _lib as _clingo_lib  # type: ignore[attr-defined]

    _IS_TRUE: Callable[[object, int, object], bool] = _clingo_lib.clingo_model_is_true
    _NEW_CELL: Callable[[str], Any] = _clingo_ffi.new
    _STRING_OF: Callable[[Any], bytes] = _clingo_ffi.string
    _SYM_TYPE: Callable[[int], int] = _clingo_lib.clingo_symbol_type
    _SYM_NUMBER_OF: Callable[[int, Any], bool] = _clingo_lib.clingo_symbol_number
    _SYM_NAME_OF: Callable[[int, Any], bool] = _clingo_lib.clingo_symbol_name
    _SYM_ARGS_OF: Callable[[int, Any, Any], bool] = _clingo_lib.clingo_symbol_arguments
    _SYM_POSITIVE_OF: Callable[[int, Any], bool] = _clingo_lib.clingo_symbol_is_positive
    _SYM_NUMBER, _SYM_FUNCTION = int(_clingo_lib.clingo_symbol_type_number), int(_clingo_lib.clingo_symbol_type_function)
    _clingo_lib.clingo_symbolic_atoms_begin  # noqa: B018  # the calls atoms_of makes, or not _FAST
    _clingo_lib.clingo_signature_create  # noqa: B018
    _FAST = True
except (ImportError, AttributeError):  # pragma: no cover - not clingo 5.8
    _FAST = False


def _value_of_rep_c(rep: int) -> Raw:
    """:func:`value_of` of the symbol numbered ``rep`` through clingo 5.8's C calls, each
    argument through :data:`_VALUE_BY_REP` (a case's atoms share most of their arguments:
    provisions, parties, goods): ``Symbol.arguments``, ``.name`` and ``.type`` allocate a
    cffi cell and a ``Symbol`` per call, most of the time of reading a chunk's answers."""
    kind = _SYM_TYPE(rep)
    if kind == _SYM_NUMBER:
        cell = _NEW_CELL("int*")
        _ok(_SYM_NUMBER_OF(rep, cell))
        return int(cell[0])
    if kind == _SYM_FUNCTION:
        name_cell, args_cell, size_cell = _NEW_CELL("char**"), _NEW_CELL("clingo_symbol_t**"), _NEW_CELL("size_t*")
        _ok(_SYM_NAME_OF(rep, name_cell))
        _ok(_SYM_ARGS_OF(rep, args_cell, size_cell))
        name: str = _STRING_OF(name_cell[0]).decode()
        size, args = int(size_cell[0]), args_cell[0]
        sign = _NEW_CELL("bool*")
        _ok(_SYM_POSITIVE_OF(rep, sign))
        if sign[0]:  # a classically negated term is left to value_of (none reaches here)
            if not size and name:
                return name
            memo = _VALUE_BY_REP
            return (name, tuple(memo[int(args[i])] for i in range(size)))
    return value_of(clingo.Symbol(rep))  # type: ignore[no-untyped-call]  # strings, #inf, #sup


def _arguments_of_rep_c(rep: int) -> tuple[int, ...]:
    """The numbers of the arguments of the function symbol numbered ``rep`` (none for any
    other symbol) through clingo 5.8's C calls, without a ``Symbol`` per argument."""
    if _SYM_TYPE(rep) != _SYM_FUNCTION:
        return ()
    args_cell, size_cell = _NEW_CELL("clingo_symbol_t**"), _NEW_CELL("size_t*")
    _ok(_SYM_ARGS_OF(rep, args_cell, size_cell))
    args = args_cell[0]
    return tuple(int(args[i]) for i in range(int(size_cell[0])))


def _arguments_of_rep_api(rep: int) -> tuple[int, ...]:
    """:func:`_arguments_of_rep_c` through clingo's public ``Symbol`` (any other clingo)."""
    sym = clingo.Symbol(rep)  # type: ignore[no-untyped-call]
    if sym.type != clingo.SymbolType.Function:
        return ()
    return tuple(cast(int, a._rep) for a in sym.arguments)


arguments_of_rep = _arguments_of_rep_c if _FAST else _arguments_of_rep_api


def atoms_of(atoms: clingo.SymbolicAtoms, name: str, arity: int) -> list[tuple[int, int]]:
    """``(program literal, symbol number)`` of every ground atom ``name/arity`` (positive):
    ``SymbolicAtoms.by_signature`` through clingo 5.8's C calls with one cell each, without
    a ``SymbolicAtom`` and a ``Symbol`` per atom (some 15 microseconds an atom), or through
    it on any other clingo."""
    if not _FAST:
        return [(a.literal, cast(int, a.symbol._rep)) for a in atoms.by_signature(name, arity)]
    lib, new, rep = _clingo_lib, _NEW_CELL, atoms._rep
    sig, it, valid, sym, lit = (new("clingo_signature_t*"), new("clingo_symbolic_atom_iterator_t*"), new("bool*"),
                                new("clingo_symbol_t*"), new("clingo_literal_t*"))
    _ok(lib.clingo_signature_create(name.encode(), arity, True, sig))
    _ok(lib.clingo_symbolic_atoms_begin(rep, sig, it))
    is_valid, symbol, literal, step = (lib.clingo_symbolic_atoms_is_valid, lib.clingo_symbolic_atoms_symbol,
                                       lib.clingo_symbolic_atoms_literal, lib.clingo_symbolic_atoms_next)
    out: list[tuple[int, int]] = []
    while True:
        _ok(is_valid(rep, it[0], valid))
        if not valid[0]:
            return out
        _ok(symbol(rep, it[0], sym))
        _ok(literal(rep, it[0], lit))
        out.append((int(lit[0]), int(sym[0])))
        _ok(step(rep, it[0], it))


def _ok(done: bool) -> None:
    if not done:
        raise RuntimeError("a clingo symbol call failed")


#: Entries of each memo below: a process that solves case after case (``Reasoner.solve`` in a
#: loop) keeps at most this many terms of each (some 10 MB), then starts again.
_REP_MEMO = 50_000
#: symbol number -> Python term
_VALUE_BY_REP: _Memo[int, Raw] = _Memo(
    _value_of_rep_c if _FAST else lambda rep: value_of(clingo.Symbol(rep)),  # type: ignore[no-untyped-call]
    _REP_MEMO)
#: Python term -> its sort key
_KEY_OF: _Memo[Raw, TermKey] = _Memo(_term_key, _REP_MEMO)
#: symbol number -> (sort key, Python term)
_KEYED_BY_REP: _Memo[int, KeyedTerm] = _Memo(lambda rep: (_KEY_OF[_VALUE_BY_REP[rep]], _VALUE_BY_REP[rep]),
                                             _REP_MEMO)


def keyed_terms(symbols: Sequence[clingo.Symbol]) -> list[KeyedTerm]:
    """``(sort key, Python term)`` of each symbol of a model's ``symbols(...)``: by their
    numbers (see above) where clingo keeps them, else through each ``Symbol``."""
    numbers = getattr(symbols, "_p_symbols", None)
    if numbers is None:
        return [(_term_key(v), v) for v in map(value_of, symbols)]
    memo = _KEYED_BY_REP  # (which reads through the public calls where not _FAST)
    return [memo[r] for r in numbers]


def clingo_version() -> str:
    """The version of the clingo module in use."""
    return clingo.__version__
