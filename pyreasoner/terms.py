"""Terms as plain Python values, their text form, and matching with wildcards.

A term is a constant (``str``), an integer (``int``), a string (:class:`Text`),
or a compound ``(name, args)``; a tuple ``(a, b)`` is the compound with the empty
name. A date may be written ``2020-01-02`` (ISO); it is the integer ``20200102``,
the form the encodings compare. :func:`parse` reads the clingo-like text form used in case files and
expectations. It reads terms only (no operators, variables or directives), so a
case can never smuggle program text into the solver.

>>> from pyreasoner.terms import parse, show
>>> t = parse('outcome(civil, p, share(1, 2), (ecl_38_2, cc_1172))')
>>> show(t)
'outcome(civil,p,share(1,2),(ecl_38_2,cc_1172))'
>>> matches(parse('outcome(civil, p, share(_, _), _)', wildcards=True), t)
True
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import cast

__all__ = ["WILDCARD", "Compound", "Raw", "Text", "matches", "parse", "show"]


@dataclasses.dataclass(frozen=True, slots=True)
class Text:
    """A clingo string (as opposed to a constant, which is a plain ``str``)."""

    value: str

    def __str__(self) -> str:
        return self.value


#: A compound term ``(name, args)``; a tuple ``(a, b)`` has the empty name.
Compound = tuple[str, tuple["Raw", ...]]
#: A Python-side term: constant name, integer, string, or (name, args) compound.
Raw = str | int | Text | Compound

WILDCARD = ("_", ())  # the anonymous pattern term, matched by anything

#: Numbers read from text: below 2^63 in magnitude. clingo's integers are 32-bit, so
#: the vocabulary refuses an ``integer``, ``yuan`` or ``date`` argument at or above
#: 2^31, and gives a ``count`` or ``amount`` to clingo in split form
#: (:data:`pyreasoner.vocabulary.COUNT_BASE`).
NUMBER_LIMIT = 2 ** 63

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<ident>[a-z][A-Za-z0-9_]*)
  | (?P<name>(?![A-Za-z])[^\W\d_][\w\-·]*)
  | (?P<wild>_)
  | (?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9]))
  | (?P<number>-?[0-9]+)
  | (?P<string>"(?:[^"\\\n]|\\["\\n])*")
  | (?P<punct>[(),])
""", re.VERBOSE)


#: A token of a term's text: its kind (a group name of ``_TOKEN``), its text, its column (from 0).
_Token = tuple[str, str, int]


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"unexpected character {text[pos]!r} at column {pos + 1} in {_clip(text)}")
        kind = cast(str, m.lastgroup)  # every alternative of _TOKEN is a named group
        if kind != "space":
            out.append((kind, m.group(), pos))
        pos = m.end()
    return out


def _clip(text: str, limit: int = 200) -> str:
    """``repr`` of ``text``, cut to ``limit`` characters (messages stay one short line)."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text):,} characters)"


def _unescape(lit: str) -> str:
    return re.sub(r'\\(["\\n])', lambda m: "\n" if m.group(1) == "n" else m.group(1), lit[1:-1])


# A flat atom, name(arg, ...) with constant or number arguments, is by far the most
# common fact: it is read by two regular expressions, and anything else (or any
# doubt) goes to the tokenizer, which gives the same term or the error.
_FLAT = re.compile(r"\s*([a-z][A-Za-z0-9_]*)\s*\(([^()\"]*)\)\s*\Z")
_FLAT_ARG = re.compile(r"\s*(?:([a-z][A-Za-z0-9_]*)|(-?[0-9]+))\s*\Z")


def _flat(text: str) -> Raw | None:
    m = _FLAT.match(text)
    if m is None:
        return None
    args: list[Raw] = []
    for part in m.group(2).split(","):
        a = _FLAT_ARG.match(part)
        if a is None:
            return None
        if a.group(1) is not None:
            args.append(a.group(1))
        else:
            n = int(a.group(2))
            if not -NUMBER_LIMIT < n < NUMBER_LIMIT:
                return None
            args.append(n)
    return (m.group(1), tuple(args))


def parse(text: str, *, wildcards: bool = False) -> Raw:
    """Parse one term from its text form.

    Raises ``ValueError`` with a one-line reason on anything that is not a term.
    """
    if not isinstance(text, str):
        raise ValueError(f"expected a term as text, got {type(text).__name__}")
    flat = _flat(text)
    if flat is not None:
        return flat
    return _parse_tokens(text, wildcards)


def _parse_tokens(text: str, wildcards: bool = False) -> Raw:
    """:func:`parse` without the fast path (the tests compare the two)."""
    toks = _tokens(text)
    if not toks:
        raise ValueError("empty term")
    term, i = _term(toks, 0, text, wildcards)
    if i != len(toks):
        raise ValueError(f"unexpected {toks[i][1]!r} at column {toks[i][2] + 1} in {_clip(text)}")
    return term


#: How deep terms may nest (a case's facts are flat; expectations nest a few levels).
MAX_DEPTH = 100


def _term(toks: list[_Token], i: int, text: str, wildcards: bool, depth: int = 0) -> tuple[Raw, int]:
    if depth > MAX_DEPTH:
        raise ValueError(f"term nested more than {MAX_DEPTH} deep in {_clip(text)}")
    if i >= len(toks):
        raise ValueError(f"term ends too early in {_clip(text)}")
    kind, val, pos = toks[i]
    if kind == "date":  # an ISO date is the integer YYYYMMDD, as the encodings write dates
        import datetime

        try:
            d = datetime.date.fromisoformat(val)
        except ValueError:
            raise ValueError(f"{val} is not a calendar date, at column {pos + 1} in {text!r}") from None
        return d.year * 10000 + d.month * 100 + d.day, i + 1
    if kind == "number":
        n = int(val)
        if not -NUMBER_LIMIT < n < NUMBER_LIMIT:
            raise ValueError(f"number {val} out of range in {_clip(text)}")
        return n, i + 1
    if kind == "string":
        return Text(_unescape(val)), i + 1
    if kind == "name":  # a name in Chinese (淘宝): a clingo string, shown quoted
        return Text(val), i + 1
    if kind == "wild":
        if not wildcards:
            raise ValueError(f"'_' is only allowed in expectations, in {_clip(text)}")
        return WILDCARD, i + 1
    if kind == "ident":
        if i + 1 < len(toks) and toks[i + 1][1] == "(":
            args, j = _args(toks, i + 2, text, wildcards, depth + 1)
            return (val, tuple(args)), j
        return val, i + 1
    if val == "(":
        args, j = _args(toks, i + 1, text, wildcards, depth + 1)
        if len(args) == 1:
            return args[0], j
        return ("", tuple(args)), j
    raise ValueError(f"unexpected {val!r} at column {pos + 1} in {_clip(text)}")


def _args(toks: list[_Token], i: int, text: str, wildcards: bool, depth: int = 0) -> tuple[list[Raw], int]:
    args: list[Raw] = []
    if i < len(toks) and toks[i][1] == ")":
        raise ValueError(f"empty argument list in {_clip(text)}")
    while True:
        arg, i = _term(toks, i, text, wildcards, depth)
        args.append(arg)
        if i >= len(toks):
            raise ValueError(f"missing ')' in {_clip(text)}")
        if toks[i][1] == ",":
            i += 1
            continue
        if toks[i][1] == ")":
            return args, i + 1
        raise ValueError(f"unexpected {toks[i][1]!r} at column {toks[i][2] + 1} in {_clip(text)}")


def show(term: Raw) -> str:
    """The canonical text of a term (clingo's own spelling, no spaces).

    Cached: a batch shows the same atoms again and again, and terms are immutable."""
    try:
        return _show_cached(term)
    except TypeError:  # unhashable, or not a term: the plain function says which
        return _show(term)


def _show(term: Raw) -> str:
    if isinstance(term, Text):
        return '"' + term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(term, bool):
        raise TypeError("a boolean is not a term")
    if isinstance(term, (int, str)):
        return str(term)
    name, args = term
    if term == WILDCARD:
        return "_"
    inner = ",".join(show(a) for a in args)
    if name == "" and len(args) == 1:
        inner += ","
    return f"{name}({inner})"


_show_cached = functools.lru_cache(maxsize=1 << 16, typed=True)(_show)


def matches(pattern: Raw, term: Raw) -> bool:
    """Whether ``term`` matches ``pattern``, where ``_`` matches any sub-term."""
    if pattern == WILDCARD:
        return True
    if isinstance(pattern, tuple) and isinstance(term, tuple):
        return (pattern[0] == term[0] and len(pattern[1]) == len(term[1])
                and all(matches(p, t) for p, t in zip(pattern[1], term[1], strict=True)))
    return type(pattern) is type(term) and pattern == term
