"""Term patterns of the engine's rule table, and matching them against answer-set atoms.

The shapes :func:`pyreasoner._engine.rule_table` hands over (documented at
:class:`pyreasoner._engine.RuleEntry`) and the small unifier the why-not search
runs on them: evaluate, unify, instantiate (an unbound variable becomes ``__any``,
which matches anything), compare.

>>> b = _unify(("f", "sold", (("v", "P"), ("c", "g"))), ("sold", ("p", "g")), {})
>>> b
{'P': 'p'}
>>> _show(_inst(("f", "sold", (("v", "P"), ("v", "G"))), b))
'sold(p,_)'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypeAlias

from .. import _engine, terms
from ..terms import Raw

ANY = _engine.ANY

# The shapes the engine's rule table (:func:`pyreasoner._engine.rule_table`) hands over,
# as documented at :class:`pyreasoner._engine.RuleEntry`.
#: a term pattern of a rule: variable, constant, function or tuple, arithmetic, anything else
Pattern: TypeAlias = (
    tuple[Literal["v"], str]
    | tuple[Literal["c"], Raw]
    | tuple[Literal["f"], str, tuple["Pattern", ...]]
    | tuple[Literal["b"], str, "Pattern", "Pattern"]
    | tuple[Literal["u"], str, "Pattern"]
    | tuple[Literal["x"], str]
)
#: the pattern of a comparison literal: its operators and its terms (one more than operators)
Comparison: TypeAlias = tuple[tuple[str, ...], tuple[Pattern, ...]]
#: a compound term ``(name, args)`` (the atoms of an answer set with arguments)
Compound: TypeAlias = tuple[str, tuple[Raw, ...]]
#: a fired rule instance: (rule index, head, positive atoms, negative atoms, comparison terms)
Fired: TypeAlias = tuple[int, Raw, tuple[Raw, ...], tuple[Raw, ...], tuple[tuple[Raw, ...], ...]]
#: variable bindings of a pattern match
Bindings: TypeAlias = dict[str, Raw]
#: a failed condition of a rule body: a positive atom missing, a negative one present,
#: or a comparison (its text) that does not hold
Failure: TypeAlias = tuple[Literal["pos", "neg"], Raw] | tuple[Literal["cmp"], str]


def _head(r: _engine.RuleEntry) -> Pattern:
    """The head pattern of a rule entry (every entry of a rule table has one: a
    constraint or a head that cannot be explained gives no entry)."""
    assert r.head is not None
    return r.head


def _sig(raw: Raw) -> tuple[str, int]:
    if isinstance(raw, str):
        return (raw, 0)
    if isinstance(raw, tuple):
        return (raw[0], len(raw[1]))
    return ("", -1)


def _sig_of_pattern(p: Pattern) -> tuple[str, int]:
    if p[0] == "f":
        return (p[1], len(p[2]))
    if p[0] == "c":
        return _sig(p[1])
    return ("", -1)


def _ground_pattern(p: Pattern) -> Raw | None:
    if p[0] == "c":
        return p[1]
    if p[0] == "f":
        args = [_ground_pattern(a) for a in p[2]]
        ground = [a for a in args if a is not None]
        if len(ground) < len(args):
            return None
        return (p[1], tuple(ground)) if (ground or p[1] == "") else p[1]
    return None


def _eval(p: Pattern, b: Mapping[str, Raw]) -> Raw | None:
    """Evaluate a pattern under bindings; ``None`` if a variable is unbound."""
    if p[0] == "v":
        return b.get(p[1]) if p[1] != "_" else None
    if p[0] == "c":
        return p[1]
    if p[0] == "f":
        args: list[Raw] = []
        for a in p[2]:
            v = _eval(a, b)
            if v is None:
                return None
            args.append(v)
        return (p[1], tuple(args)) if (args or p[1] == "") else p[1]
    if p[0] == "u":
        v = _eval(p[2], b)
        return -v if isinstance(v, int) and p[1] == "-" else None
    if p[0] == "b":
        x, y = _eval(p[2], b), _eval(p[3], b)
        if not (isinstance(x, int) and isinstance(y, int)) or isinstance(x, bool):
            return None
        op = p[1]
        try:
            if op == "+":
                return x + y
            if op == "-":
                return x - y
            if op == "*":
                return x * y
            if op == "/":
                return int(x / y)
            if op == "\\":
                return x - y * int(x / y)
            if op == "**":
                return x ** y  # type: ignore[no-any-return]  # typeshed: int ** int is Any (a float for a negative exponent)
        except ZeroDivisionError:
            return None
    return None


def _unify(p: Pattern, raw: Raw, b: Bindings) -> Bindings | None:
    """Match pattern ``p`` against a term (``__any`` in the term matches anything)."""
    if raw == ANY:
        return b
    if p[0] == "v":
        if p[1] == "_":
            return b
        if p[1] in b:
            return b if b[p[1]] == raw or b[p[1]] == ANY else None
        nb = dict(b)
        nb[p[1]] = raw
        return nb
    if p[0] == "c":
        return b if p[1] == raw else None
    if p[0] == "f":
        if not p[2] and p[1]:
            return b if raw == p[1] else None
        if not (isinstance(raw, tuple) and len(raw) == 2 and raw[0] == p[1] and len(raw[1]) == len(p[2])):
            return None
        bound: Bindings | None = b
        for sub, val in zip(p[2], raw[1], strict=True):  # same length, checked above
            bound = _unify(sub, val, b)
            if bound is None:
                return None
            b = bound
        return b
    v = _eval(p, b)  # arithmetic: check when evaluable, else accept
    if v is None:
        return b
    return b if v == raw else None


def _inst(p: Pattern, b: Mapping[str, Raw]) -> Raw:
    """Instantiate a pattern; unbound variables become ``__any``."""
    if p[0] == "v":
        return b.get(p[1], ANY) if p[1] != "_" else ANY
    if p[0] == "c":
        return p[1]
    if p[0] == "f":
        args = tuple(_inst(a, b) for a in p[2])
        return (p[1], args) if (args or p[1] == "") else p[1]
    v = _eval(p, b)
    return ANY if v is None else v


def _has_any(raw: Raw) -> bool:
    if raw == ANY:
        return True
    if isinstance(raw, tuple) and len(raw) == 2 and isinstance(raw[1], tuple):
        return any(_has_any(a) for a in raw[1])
    return False


def _show(raw: Raw) -> str:
    return terms.show(_wild(raw))


def _wild(raw: Raw) -> Raw:
    if raw == ANY:
        return terms.WILDCARD
    if isinstance(raw, tuple) and len(raw) == 2 and isinstance(raw[1], tuple):
        return (raw[0], tuple(_wild(a) for a in raw[1]))
    return raw


def _from_pattern_text(raw: Raw) -> Raw:
    """A user pattern (terms.parse with wildcards) with ``_`` turned into ``__any``."""
    if raw == terms.WILDCARD:
        return ANY
    if isinstance(raw, tuple) and len(raw) == 2 and isinstance(raw[1], tuple):
        return (raw[0], tuple(_from_pattern_text(a) for a in raw[1]))
    return raw


def _matches(raw_pattern: Raw, raw: Raw) -> bool:
    return terms.matches(_wild(raw_pattern), raw)


def _vars(p: Pattern | Comparison | None) -> set[str]:
    """Named variables of a pattern (or of a comparison's ``(ops, terms)``)."""
    if p is None:
        return set()
    if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], tuple):  # comparison
        out: set[str] = set()
        for t in p[1]:
            out |= _vars(t)
        return out
    if p[0] == "v":
        return set() if p[1] == "_" else {p[1]}
    if p[0] == "f":
        out = set()
        for a in p[2]:
            out |= _vars(a)
        return out
    if p[0] == "b":
        return _vars(p[2]) | _vars(p[3])
    if p[0] == "u":
        return _vars(p[2])
    return set()


def _compare(op: str, x: Raw, y: Raw) -> bool:
    if op == "=":
        return x == y
    if op == "!=":
        return x != y
    if isinstance(x, int) and isinstance(y, int):
        return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}.get(op, False)
    kx, ky = _engine._term_key(x), _engine._term_key(y)
    return {"<": kx < ky, "<=": kx <= ky, ">": kx > ky, ">=": kx >= ky}.get(op, False)
