"""Python terms to clingo symbols and back, and the order of terms.

Everything else in pyreasoner works with plain Python values (:data:`pyreasoner.terms.Raw`):
strings for constants, ``int`` for numbers, :class:`~pyreasoner.terms.Text` for clingo
strings, and ``(name, args)`` tuples for compound terms. Case facts never reach clingo as
program text: each becomes a symbol built with :func:`clingo.Function`.
"""

from __future__ import annotations

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


def clingo_version() -> str:
    """The version of the clingo module in use."""
    return clingo.__version__
