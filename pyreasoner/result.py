"""Results: the answers of a case, each with its views and its outcomes and their basis.

No clingo type appears here. Everything is immutable and deterministically ordered.

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import Case, Fact
>>> r = Reasoner().solve(Case(id="empty", facts=()))
>>> r.consistent, len(r.answers), r.answers[0].outcomes
(True, 1, ())
"""

from __future__ import annotations

import dataclasses
from typing import Any

from . import terms

__all__ = ["Answer", "Outcome", "Result"]

KINDS = ("civil", "administrative", "criminal", "procedural")


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    """A liability conclusion: kind, party, form (with arguments) and its legal basis.

    ``basis`` lists provision ids, the main provision first (e.g.
    ``("ecl_38_2", "cc_1172")``: ECL 38(2) read with CC 1172).
    """

    kind: str
    party: str
    form: str
    args: tuple
    basis: tuple[str, ...]
    #: the canonical text, ``outcome(kind,party,form,basis)`` (computed from the fields)
    atom: str = dataclasses.field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        form = (self.form, self.args) if self.args else self.form
        basis: Any = self.basis[0] if len(self.basis) == 1 else ("", self.basis)
        object.__setattr__(self, "atom", terms.show(("outcome", (self.kind, self.party, form, basis))))

    @property
    def form_text(self) -> str:
        return terms.show((self.form, self.args) if self.args else self.form)

    def to_json(self) -> dict:
        return {"kind": self.kind, "party": self.party, "form": self.form,
                "args": [_json_term(a) for a in self.args], "basis": list(self.basis), "atom": self.atom}

    @classmethod
    def from_term(cls, args: tuple) -> "Outcome":
        kind, party, form, basis = args
        name, fargs = (form, ()) if not isinstance(form, tuple) else form
        if isinstance(basis, tuple) and basis[0] == "":
            ids = tuple(str(b) for b in basis[1])
        else:
            ids = (str(basis),)
        return cls(kind=str(kind), party=terms.show(party), form=str(name), args=tuple(fargs), basis=ids)


def _json_term(value: Any) -> Any:
    if isinstance(value, (int, str)):
        return value
    return terms.show(value)


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Answer:
    """One answer set: the views it adopts and the outcomes that follow."""

    views: tuple[tuple[str, str], ...]
    outcomes: tuple[Outcome, ...]
    #: (displaced provision, displacing provision)
    displaced: tuple[tuple[str, str], ...] = ()
    #: explore mode: (unknown fact, "proven" | "unproven")
    completion: tuple[tuple[str, str], ...] = ()
    #: every shown atom, canonical and sorted
    atoms: tuple[str, ...] = ()

    def to_json(self) -> dict:
        out: dict[str, Any] = {"views": dict(self.views), "outcomes": [o.to_json() for o in self.outcomes],
                               "displaced": [{"provision": q, "by": p} for q, p in self.displaced]}
        if self.completion:
            out["completion"] = {f: s for f, s in self.completion}
        return out


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Result:
    """Everything a case yields under one view selection.

    When ``consistent`` is false there are no answers, and ``core`` names the
    case facts (as ``established(F)`` etc.) that together contradict the encodings.
    """

    case_id: str
    consistent: bool
    answers: tuple[Answer, ...]
    core: tuple[str, ...] = ()
    selection: tuple[tuple[str, str], ...] = ()
    include_rejected: bool = False
    explore: bool = False
    ground_seconds: float = dataclasses.field(default=0.0, compare=False)
    solve_seconds: float = dataclasses.field(default=0.0, compare=False)
    #: why the answers are only some of them: ``"answers"`` (the limit on answers was
    #: reached) or ``"time"`` (the time limit was); ``None``: every answer is here
    cut: str | None = None

    @property
    def in_all(self) -> tuple[Outcome, ...]:
        """Outcomes that hold in every answer."""
        return self._split()[0]

    @property
    def in_some(self) -> tuple[Outcome, ...]:
        """Outcomes that hold in some answers but not in all."""
        return self._split()[1]

    def _split(self) -> tuple[tuple[Outcome, ...], tuple[Outcome, ...]]:
        """(in every answer, in some but not all), each sorted by atom."""
        if not self.answers:
            return (), ()
        common = set(self.answers[0].outcomes)
        for a in self.answers[1:]:
            common &= set(a.outcomes)
        some = {o for a in self.answers for o in a.outcomes} - common
        return tuple(sorted(common, key=lambda o: o.atom)), tuple(sorted(some, key=lambda o: o.atom))

    @property
    def groups(self) -> tuple[tuple[tuple[tuple[str, str], ...], tuple[Answer, ...]], ...]:
        """Answers grouped by their combination of views."""
        groups: dict[tuple, list[Answer]] = {}
        for a in self.answers:
            groups.setdefault(a.views, []).append(a)
        return tuple((k, tuple(v)) for k, v in sorted(groups.items()))

    def to_json(self, *, timing: bool = False) -> dict:
        out: dict[str, Any] = {
            "case": self.case_id,
            "consistent": self.consistent,
            "selection": dict(self.selection),
            "answers": [a.to_json() for a in self.answers],
        }
        in_all, in_some = self._split()
        out["in_all"] = [o.atom for o in in_all]
        out["in_some"] = [o.atom for o in in_some]
        if not self.consistent:
            out["core"] = list(self.core)
        if self.cut:
            out["cut"] = self.cut
        if timing:
            out["timing"] = {"ground": round(self.ground_seconds, 6), "solve": round(self.solve_seconds, 6)}
        return out
