"""Expectations on a case's answer sets, in the words of clintest.

An expectation selects views (``views: {b: joint}``) and states, over the answers
under that selection:

- ``all``: each atom holds in every answer;
- ``some``: each atom holds in at least one answer;
- ``none``: no atom holds in any answer;
- ``exactly``: every answer's outcomes are exactly these;
- ``count``: the number of answers (``count: 2``); or, per selection, the number of
  answers that adopt it (``count: {"a=civil_only,b=supplementary": 1, b=joint: 0}``). A
  plain count changes whenever a view is added to an issue the case raises (each view is
  its own answer); a count per selection that names a view of every issue the case raises
  (with the expectation's ``views``) does not: the new view's answers adopt none of it;
- ``consistent``: whether any answer exists (default: true), and ``core`` the
  case facts an inconsistent case must name in its conflict;
- ``xfail``: a known gap, with the reason - the expectation states what the source
  (e.g. a court) holds and is expected to fail until the rule base can reproduce it;
  the test suite runs it as a strict expected failure, so it fails once it passes.

Atoms are written in clingo's syntax; ``_`` matches any sub-term. Every entry has
a ``note`` saying why.

>>> e = expectation_from_data({"views": {"b": "joint"}, "count": 1, "note": "one view, one answer"})
>>> e.label
'b=joint'
>>> expectation_from_data({"count": {"a=civil_only,b=joint": 1}, "note": "one answer per pair"}).counts
(((('a', 'civil_only'), ('b', 'joint')), 1),)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import terms

if TYPE_CHECKING:  # pragma: no cover
    from .result import Result

__all__ = ["Expectation", "expectation_from_data", "selection_key"]

_KEYS = ("views", "include_rejected", "explore", "all", "some", "none", "exactly", "count",
         "consistent", "core", "xfail", "note")


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Expectation:
    """One checkable statement about the answers of a case under a view selection."""

    views: tuple[tuple[str, str], ...] = ()
    include_rejected: bool = False
    explore: bool = False
    all: tuple[str, ...] = ()
    some: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    exactly: tuple[str, ...] | None = None
    count: int | None = None
    #: ``count`` per selection: (the views a counted answer adopts, how many answers adopt them)
    counts: tuple[tuple[tuple[tuple[str, str], ...], int], ...] = ()
    consistent: bool = True
    core: tuple[str, ...] = ()
    xfail: str | None = None
    note: str = ""

    @property
    def label(self) -> str:
        parts = [f"{i}={v}" for i, v in self.views]
        if self.include_rejected:
            parts.append("rejected")
        if self.explore:
            parts.append("explore")
        return ",".join(parts) or "all-views"

    def failures(self, result: Result) -> list[str]:
        """What does not hold, one line each (empty when the expectation is met)."""
        out: list[str] = []
        answers = [set(a.atoms) for a in result.answers]
        if result.consistent != self.consistent:
            return [f"expected {'a consistent' if self.consistent else 'no consistent'} outcome, got "
                    + (f"{len(answers)} answer(s)" if result.consistent else
                       "none (conflict: " + ", ".join(result.core) + ")")]
        if not self.consistent:
            for c in self.core:
                if not any(terms.matches(terms.parse(c, wildcards=True), terms.parse(x)) for x in result.core):
                    out.append(f"the conflict does not name {c}; it names {', '.join(result.core)}")
            return out
        parsed = [[terms.parse(x) for x in a] for a in answers]

        def holds(pattern: str, atoms: Iterable[terms.Raw]) -> bool:
            pat = terms.parse(pattern, wildcards=True)
            return any(terms.matches(pat, t) for t in atoms)

        if self.count is not None and len(answers) != self.count:
            out.append(f"expected {self.count} answer(s), got {len(answers)}")
        for selection, n in self.counts:
            adopting = sum(1 for a in result.answers if set(selection) <= set(a.views))
            if adopting != n:
                key = selection_key(selection)
                out.append(f"count[{key}]: expected {n} answer(s) adopting {key}, got {adopting}")
        if (self.all or self.exactly is not None) and not answers:
            out.append("expected answers, got none")
        for atom in self.all:
            bad = [i + 1 for i, a in enumerate(parsed) if not holds(atom, a)]
            if bad:
                out.append(f"{atom} is missing from answer(s) {bad}: {_brief(result, bad[0])}")
        for atom in self.some:
            if not any(holds(atom, a) for a in parsed):
                out.append(f"{atom} holds in no answer")
        for atom in self.none:
            bad = [i + 1 for i, a in enumerate(parsed) if holds(atom, a)]
            if bad:
                out.append(f"{atom} holds in answer(s) {bad}: {_brief(result, bad[0])}")
        if self.exactly is not None:
            want = sorted(terms.show(terms.parse(x)) for x in self.exactly)
            for i, ans in enumerate(result.answers):
                got = sorted(o.atom for o in ans.outcomes)
                if got != want:
                    out.append(f"answer {i + 1} has outcomes {got}, expected exactly {want}")
        return out


def _brief(result: Result, index: int) -> str:
    ans = result.answers[index - 1]
    return "{" + ", ".join(ans.atoms) + "}"


def _atoms(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"'{key}' must be a list of atoms as text")
    for v in value:
        try:
            terms.parse(v, wildcards=True)
        except ValueError as exc:
            raise ValueError(f"'{key}': {exc}") from None
    return tuple(value)


def expectation_from_data(entry: Any) -> Expectation:
    """Read one ``expect`` entry; raise ``ValueError`` with a one-line reason."""
    if not isinstance(entry, dict):
        raise ValueError("an expectation is a mapping (views, all, some, none, exactly, count, note)")
    for key in entry:
        if key not in _KEYS:
            raise ValueError(f"unknown key {key!r} in an expectation; expected one of {', '.join(_KEYS)}")
    note = entry.get("note")
    if not isinstance(note, str) or not note.strip():
        raise ValueError("every expectation needs a 'note' saying why")
    views = entry.get("views", {}) or {}
    if not isinstance(views, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in views.items()):
        raise ValueError("'views' must map issue ids to view ids, e.g. {b: joint}")
    kwargs: dict[str, Any] = {"views": tuple(sorted(views.items())), "note": note.strip()}
    for key in ("include_rejected", "explore", "consistent"):
        if key in entry:
            if not isinstance(entry[key], bool):
                raise ValueError(f"'{key}' must be true or false")
            kwargs[key] = entry[key]
    for key in ("all", "some", "none", "core"):
        if key in entry:
            kwargs[key] = _atoms(entry[key], key)
    if "exactly" in entry:
        kwargs["exactly"] = _atoms(entry["exactly"], "exactly")
    if "xfail" in entry:
        if not isinstance(entry["xfail"], str) or not entry["xfail"].strip():
            raise ValueError("'xfail' must be the reason the expectation is known to fail, as text")
        kwargs["xfail"] = entry["xfail"].strip()
    if "count" in entry:
        if isinstance(entry["count"], dict):
            kwargs["counts"] = _counts(entry["count"], dict(kwargs["views"]))
        elif not _whole(entry["count"]):
            raise ValueError("'count' must be a whole number >= 0, or a mapping from selections to whole numbers, "
                             "e.g. {b=joint: 1}")
        else:
            kwargs["count"] = entry["count"]
    return Expectation(**kwargs)


def selection_key(selection: Iterable[tuple[str, str]]) -> str:
    """A selection as a ``count`` key writes it: ``a=civil_only,b=joint``."""
    return ",".join(f"{i}={v}" for i, v in selection)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _counts(value: dict[Any, Any], fixed: dict[str, str]) -> tuple[tuple[tuple[tuple[str, str], ...], int], ...]:
    """``count: {b=joint: 1, ...}`` read: each key a selection, each value a whole number."""
    if not value:
        raise ValueError("'count' is an empty mapping; expected selections such as {b=joint: 1}")
    out = []
    for key, n in value.items():
        pairs = [p.split("=") for p in str(key).split(",")] if isinstance(key, str) else []
        if not pairs or any(len(p) != 2 or not p[0].strip() or not p[1].strip() for p in pairs):
            raise ValueError(f"'count': the key {key!r} is not a selection; expected ISSUE=VIEW or "
                             f"ISSUE=VIEW,ISSUE=VIEW, e.g. b=joint")
        selection = tuple(sorted((i.strip(), v.strip()) for i, v in pairs))
        issues = [i for i, _ in selection]
        if len(set(issues)) != len(issues):
            raise ValueError(f"'count': the key {key!r} names an issue twice")
        clash = [f"{i}={v}" for i, v in selection if fixed.get(i, v) != v]
        if clash:
            raise ValueError(f"'count': the key {key!r} contradicts the expectation's views ({', '.join(clash)} "
                             f"is not adopted under {selection_key(sorted(fixed.items()))})")
        if n is None:
            raise ValueError(f"'count': {key!r} has no number (quote a key that names several views: "
                             f"{{\"a=civil_only,b=joint\": 1}})")
        if not _whole(n):
            raise ValueError(f"'count': the value of {key!r} must be a whole number >= 0, got {n!r}")
        out.append((selection, n))
    return tuple(out)
