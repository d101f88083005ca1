"""Results: the answers of a case, each with its views and its outcomes and their basis.

No clingo type appears here. Everything is immutable and deterministically ordered.

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import Case, Fact
>>> r = Reasoner().solve(Case(id="empty", facts=()))
>>> r.consistent, len(r.answers), r.answers[0].outcomes
(True, 1, ())
"""

from __future__ import annotations

import bisect
import dataclasses
import html
import json
from types import ModuleType
from typing import TYPE_CHECKING, Any

from . import terms
from .contract import OUTCOME
from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FRAME_COLUMNS", "Answer", "Outcome", "Result", "frame_rows", "order_columns"]

KINDS = ("civil", "administrative", "criminal", "procedural")


def _pandas() -> ModuleType:
    """pandas, or a usage error that says how to install it (the ``stats`` extra)."""
    try:
        import pandas
    except ImportError:
        raise UsageError("summary", "pandas", "pandas is not installed: pip install 'pyreasoner[stats]'") from None
    return pandas


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    """A liability conclusion: kind, party, form (with arguments) and its legal basis.

    ``basis`` lists provision ids, the main provision first (e.g.
    ``("ecl_38_2", "cc_1172")``: ECL 38(2) read with CC 1172).
    """

    kind: str
    party: str
    form: str
    args: tuple[terms.Raw, ...]
    basis: tuple[str, ...]
    #: the canonical text, ``outcome(kind,party,form,basis)`` (computed from the fields)
    atom: str = dataclasses.field(init=False, compare=False, repr=False)
    #: :meth:`to_json` as compact JSON text (computed from the fields): a batch record is
    #: written from such pieces (see :meth:`Result.json_fields`)
    json_text: str = dataclasses.field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        form = (self.form, self.args) if self.args else self.form
        basis: Any = self.basis[0] if len(self.basis) == 1 else ("", self.basis)
        object.__setattr__(self, "atom", terms.show((OUTCOME.name, (self.kind, self.party, form, basis))))
        object.__setattr__(self, "json_text", _dump(self._json()))

    @property
    def form_text(self) -> str:
        return terms.show((self.form, self.args) if self.args else self.form)

    def to_json(self) -> dict[str, Any]:
        made = _OUTCOME_JSON.get(self)
        if made is None:  # a batch writes the same outcomes again and again: made once (a fresh copy each time)
            if len(_OUTCOME_JSON) >= 100_000:
                _OUTCOME_JSON.clear()
            made = _OUTCOME_JSON[self] = self._json()
        return {**made, "args": list(made["args"]), "basis": list(made["basis"])}

    def _json(self) -> dict[str, Any]:
        return {"kind": self.kind, "party": self.party, "form": self.form, "args": [_json_term(a) for a in self.args],
                "basis": list(self.basis), "atom": self.atom}

    @classmethod
    def from_term(cls, args: tuple[terms.Raw, ...]) -> Outcome:
        kind, party, form, basis = args
        name, fargs = (form, ()) if not isinstance(form, tuple) else form
        ids = tuple(str(b) for b in basis[1]) if isinstance(basis, tuple) and basis[0] == "" else (str(basis),)
        return cls(kind=str(kind), party=terms.show(party), form=str(name), args=tuple(fargs), basis=ids)


#: Outcome -> its JSON form (see Outcome.to_json; emptied when full)
_OUTCOME_JSON: dict[Outcome, dict[str, Any]] = {}


#: The compact JSON text of a value, as batch records are written (``check_circular``
#: off: a result holds no cycles).
_dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
#: JSON text of views (an answer's or a selection), and of an answer's displaced pairs: a
#: batch writes the same ones again and again (emptied when full).
_VIEWS_TEXT: dict[Any, str] = {}
_SELECTION_TEXT: dict[Any, str] = {}
_DISPLACED_TEXT: dict[Any, str] = {}


def _bool_text(value: Any) -> str:
    return "true" if value is True else "false" if value is False else _dump(value)


def _displaced_json(displaced: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"provision": q, "by": p} for q, p in displaced]


def _memo_text(memo: dict[Any, str], value: Any, to_json: Any) -> str:
    """``_dump(to_json(value))``, memoised by ``value`` (when it can be hashed)."""
    try:
        text = memo.get(value)
    except TypeError:  # an unhashable member: not memoised
        return _dump(to_json(value))
    if text is None:
        if len(memo) >= 10_000:
            memo.clear()
        text = memo[value] = _dump(to_json(value))
    return text


def _json_term(value: Any) -> Any:
    if isinstance(value, (int, str)):
        return value
    return terms.show(value)


#: The prefix of the atoms an answer assumes, and the least text above every text with that
#: prefix ("(" and ")" are next to each other in code order).
_ASSUMED, _ASSUMED_END = "assumed_period(", "assumed_period)"


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

    @property
    def assumed(self) -> tuple[str, ...]:
        """What the case leaves open and this answer assumes: for an undated matter, the
        period whose law it is decided under (``assumed_period(...)``, 法释〔2020〕15号 Art. 1).
        Two answers with the same views but different assumptions are different answers."""
        atoms = self.atoms
        try:
            canonical = type(atoms) is tuple and sorted(atoms) == list(atoms)
        except TypeError:  # not all text: read one by one
            canonical = False
        if canonical:  # sorted (as every answer the solver gives): those atoms are together
            lo = bisect.bisect_left(atoms, _ASSUMED)
            return atoms[lo:bisect.bisect_left(atoms, _ASSUMED_END, lo)]
        return tuple(a for a in atoms if a.startswith(_ASSUMED))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"views": dict(self.views), "outcomes": [o.to_json() for o in self.outcomes],
                               "displaced": [{"provision": q, "by": p} for q, p in self.displaced]}
        if self.completion:
            out["completion"] = dict(self.completion)
        if self.assumed:
            out["assumed"] = list(self.assumed)
        return out

    def json_text(self) -> str:
        """:meth:`to_json` as compact JSON text, the same characters as :func:`json.dumps`
        with ``ensure_ascii=False`` and ``separators=(",", ":")`` gives, written from the
        outcomes' own text and memoised pieces (views, displaced) without the dicts."""
        parts = ['{"views":', _memo_text(_VIEWS_TEXT, self.views, dict), ',"outcomes":[',
                 ",".join([o.json_text for o in self.outcomes]), '],"displaced":',
                 _memo_text(_DISPLACED_TEXT, self.displaced, _displaced_json)]
        if self.completion:
            parts += [',"completion":', _dump(dict(self.completion))]
        assumed = self.assumed
        if assumed:
            parts += [',"assumed":', _dump(list(assumed))]
        parts.append("}")
        return "".join(parts)


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
        # By atom text (whose hash a string keeps), when each atom is one Outcome object:
        # then equal atoms are identical outcomes, and unequal ones unequal outcomes (equal
        # outcomes have equal atoms), so the sets are those of the outcomes themselves; an
        # Outcome's own hash is recomputed over its fields at every use.
        by_atom: dict[str, Outcome] = {}
        sets: list[set[str]] = []
        for a in self.answers:
            atoms = set()
            for o in a.outcomes:
                if by_atom.setdefault(o.atom, o) is not o:
                    return self._split_equal()
                atoms.add(o.atom)
            sets.append(atoms)
        common_atoms = sets[0].intersection(*sets[1:])
        some_atoms = set(by_atom).difference(common_atoms)
        return (tuple([by_atom[t] for t in sorted(common_atoms)]),
                tuple([by_atom[t] for t in sorted(some_atoms)]))

    def _split_equal(self) -> tuple[tuple[Outcome, ...], tuple[Outcome, ...]]:
        """:meth:`_split` by the outcomes' equality (when one atom text is two objects)."""
        common = set(self.answers[0].outcomes)
        for a in self.answers[1:]:
            common &= set(a.outcomes)
        some = {o for a in self.answers for o in a.outcomes} - common
        return tuple(sorted(common, key=lambda o: o.atom)), tuple(sorted(some, key=lambda o: o.atom))

    @property
    def groups(self) -> tuple[tuple[tuple[tuple[str, str], ...], tuple[Answer, ...]], ...]:
        """Answers grouped by their combination of views."""
        groups: dict[tuple[tuple[str, str], ...], list[Answer]] = {}
        for a in self.answers:
            groups.setdefault(a.views, []).append(a)
        return tuple((k, tuple(v)) for k, v in sorted(groups.items()))

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per (answer, outcome), in the documented column order
        (:data:`FRAME_COLUMNS`; a ``view_<issue>`` column per issue after ``answer``). An
        answer without outcomes is one row with empty outcome columns; an inconsistent
        case is one row with ``status`` ``inconsistent`` and its ``core``. Needs pandas
        (``pip install 'pyreasoner[stats]'``)."""

        rows = frame_rows(self.to_json())
        frame: pd.DataFrame = _pandas().DataFrame(rows, columns=order_columns(rows))
        return frame

    def _repr_html_(self) -> str:
        """A table in Jupyter: one row per outcome of each answer, with its views and basis."""
        head = f"<p><b>case {html.escape(self.case_id)}</b>: "
        if not self.consistent:
            return head + "NO CONSISTENT OUTCOME; conflicting facts: " + html.escape(", ".join(self.core)) + "</p>"
        sel = ", ".join(f"{i}={v}" for i, v in self.selection)
        head += f"{len(self.answers)} answer(s)" + (f" (fixed: {html.escape(sel)})" if sel else "") + "</p>"
        rows = []
        for k, a in enumerate(self.answers, 1):
            views = html.escape(", ".join(f"{i}={v}" for i, v in a.views) or "-")
            for o in a.outcomes or [None]:
                cells = [str(k), views] + ([html.escape(o.kind), html.escape(o.party), html.escape(o.form_text),
                                            html.escape(" + ".join(o.basis))] if o else ["", "", "no outcome", ""])
                rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        header = "".join(f"<th>{h}</th>" for h in ("answer", "views", "kind", "party", "form", "basis"))
        return head + f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"

    def to_json(self, *, timing: bool = False) -> dict[str, Any]:
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

    def json_fields(self) -> str:
        """The members of :meth:`to_json` after ``case`` (from ``consistent`` on, without
        the braces) as compact JSON text, the characters :func:`json.dumps` with
        ``ensure_ascii=False`` and ``separators=(",", ":")`` writes for them: what a batch
        record holds (tens of KB a case), written from each outcome's own text
        (:attr:`Outcome.json_text`) without building the dicts and lists of :meth:`to_json`."""
        in_all, in_some = self._split()
        parts = ['"consistent":', _bool_text(self.consistent),
                 ',"selection":', _memo_text(_SELECTION_TEXT, self.selection, dict),
                 ',"answers":[', ",".join([a.json_text() for a in self.answers]),
                 '],"in_all":', _dump([o.atom for o in in_all]), ',"in_some":', _dump([o.atom for o in in_some])]
        if not self.consistent:
            parts += [',"core":', _dump(list(self.core))]
        if self.cut:
            parts += [',"cut":', _dump(self.cut)]
        return "".join(parts)


# --------------------------------------------------------------------- frames
#: The columns of :meth:`Result.to_frame` and :func:`pyreasoner.summary.answers_frame`, in
#: this order; the ``view_<issue>`` columns (one per issue, sorted) come where
#: ``view_*`` stands. ``index`` and ``source`` are those of a batch record (empty for a
#: Result). ``status``: ``ok``, ``inconsistent`` (``core`` names the conflicting facts)
#: or the kind of a batch error record (``invalid``, ``timeout``, …; ``message`` says
#: why). The numbers of a form have their own columns: ``numerator``/``denominator``/
#: ``fraction`` for a share (``share(m,3,10)``: 3, 10, 0.3; also ``supplementary`` and
#: ``joint_capped``), ``low``/``high`` for a range or bound (``fine_range(50000,200000)``;
#: ``penalty(fixed_term_months(6,36))``; a ``max`` bound fills ``high`` only, a ``min``
#: bound ``low`` only) with its ``unit`` (``yuan`` for fines, ``months`` for terms).
FRAME_COLUMNS: tuple[str, ...] = (
    "index", "source", "case", "status", "answer", "view_*", "completion", "assumed", "kind", "party", "form", "args",
    "numerator", "denominator", "fraction", "low", "high", "unit", "basis", "atom", "core", "message")

#: forms whose two integers are a share (numerator, denominator)
_FRACTION_FORMS = frozenset({"share", "supplementary", "joint_capped"})


def _numbers(form: str, args: list[Any]) -> dict[str, Any]:
    """The numeric columns of a form from its JSON arguments (integers, or terms as text)."""
    names = [form]
    ints: list[int] = []

    def walk(value: Any) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, int):
            ints.append(value)
            return
        if isinstance(value, str):
            try:
                parsed = terms.parse(value)
            except ValueError:
                return
            walk_raw(parsed)

    def walk_raw(raw: Any) -> None:
        if isinstance(raw, bool):
            return
        if isinstance(raw, int):
            ints.append(raw)
        elif isinstance(raw, tuple) and len(raw) == 2 and isinstance(raw[0], str) and isinstance(raw[1], tuple):
            names.append(raw[0])
            for a in raw[1]:
                walk_raw(a)
        elif isinstance(raw, tuple):
            for a in raw:
                walk_raw(a)

    for a in args:
        walk(a)
    out: dict[str, Any] = {}
    if form in _FRACTION_FORMS and len(ints) == 2 and ints[1]:
        out.update(numerator=ints[0], denominator=ints[1], fraction=ints[0] / ints[1])
        return out
    text = " ".join(names)
    if len(ints) == 2:
        out.update(low=min(ints), high=max(ints))
    elif len(ints) == 1:
        if "max" in text:
            out["high"] = ints[0]
        elif "min" in text:
            out["low"] = ints[0]
        else:
            out.update(low=ints[0], high=ints[0])
    if ints:
        out["unit"] = "months" if "month" in text else "yuan" if "fine" in text else ""
    return out


def frame_rows(record: dict[str, Any]) -> list[dict[str, Any]]:

    """The rows of one case (a :meth:`Result.to_json` object or a batch record): one per
    (answer, outcome), one for an answer without outcomes, one for an inconsistent case
    or an error record."""
    base: dict[str, Any] = {"case": record.get("case")}
    for key in ("index", "source"):
        if key in record:
            base[key] = record[key]
    if "error" in record:
        error = record["error"]
        row = dict(base, status=error.get("kind", "error"), message=error.get("message", ""))
        if error.get("core"):
            row["core"] = "; ".join(error["core"])
        return [row]
    if not record.get("consistent", True):
        return [dict(base, status="inconsistent", core="; ".join(record.get("core", [])))]
    rows = []
    for k, ans in enumerate(record.get("answers", []), 1):
        row0 = dict(base, status="ok", answer=k)
        row0.update({f"view_{i}": v for i, v in sorted(ans.get("views", {}).items())})
        if ans.get("completion"):
            row0["completion"] = "; ".join(f"{f} {s}" for f, s in sorted(ans["completion"].items()))
        if ans.get("assumed"):  # the period an undated matter is decided under
            row0["assumed"] = "; ".join(ans["assumed"])
        for o in ans.get("outcomes") or [None]:
            row = dict(row0)
            if o is not None:
                row.update(kind=o["kind"], party=o["party"], form=o["form"],
                           args=",".join(a if isinstance(a, str) else str(a) for a in o["args"]),
                           basis="+".join(o["basis"]), atom=o["atom"])
                row.update(_numbers(o["form"], o["args"]))
            rows.append(row)
    return rows


def order_columns(rows: list[dict[str, Any]]) -> list[str]:
    """:data:`FRAME_COLUMNS` with ``view_*`` replaced by the view columns present, sorted."""
    views = sorted({k for r in rows for k in r if k.startswith("view_")})
    out: list[str] = []
    for c in FRAME_COLUMNS:
        out += views if c == "view_*" else [c]
    return out
