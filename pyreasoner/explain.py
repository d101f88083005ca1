"""Explanations a lawyer can read: why, why not, why under this view, and which unknown fact matters.

Everything here comes from the encodings themselves. Each rule of the rule base is
known by its place (``statutes/ecl_38.lp:26``) and by the citation block
``%% [provision_id] ...`` that heads its group (docs/encodings.md); a rule in a view
file is known by the ``adopt(I, V)`` in its body. An explanation run adds, for every
rule, a shadow rule that records the ground instances true in the answer set
(:func:`pyreasoner._engine.rule_table`); plain clingo still runs the encodings
unchanged. From those records:

* :func:`explain` gives, for each answer set, a derivation tree per outcome: each
  node a derived legal element with the rule and provision it rests on, down to the
  case facts with their status (established / refuted / unknown, and for an unknown
  who bore the burden of proof);
* for an atom that does not hold, a *why-not* tree: the rules that could conclude it
  and, for each, the conditions that fail (recursively, to a bounded depth);
* :func:`contrast` shows where two view selections part: the rule instances that
  fire under one and not the other although everything else they need holds under both;
* :func:`relevance` says which unknown facts would change an outcome if proven the
  other way (solved with clingo assumptions on one grounding), and to what.

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import Case, Fact
>>> facts = [Fact(predicate=p, args=a, status="established") for p, a in [
...     ("party", ("p", "platform")), ("party", ("m", "merchant")), ("party", ("c", "consumer")),
...     ("on_platform", ("m", "p")), ("sold", ("m", "g", "c")),
...     ("concerns_life_health", ("g",)), ("damage", ("c", "g"))]]
>>> facts.append(Fact(predicate="reviewed_qualification", args=("p", "m"), status="refuted"))
>>> r = Reasoner()
>>> ex = explain(r, Case(id="demo", facts=tuple(facts)), views={"b": "joint"})
>>> tree = ex.answers[0].explanations[0].tree
>>> tree.atom, tree.holds
('outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))', True)
>>> {"cc_1168", "ecl_38_2"} <= tree.grounds()
True
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeGuard, cast

from . import _engine, terms
from .case import Case, Fact
from .errors import UsageError
from .provisions import Provision
from .report import WORDS
from .result import Result
from .terms import Raw

if TYPE_CHECKING:
    from .reasoner import Reasoner, Selection
    from .rulebase import RuleBase

__all__ = [
    "AnswerExplanation",
    "CaseExplanation",
    "Contrast",
    "Explanation",
    "FactRelevance",
    "Node",
    "RuleInfo",
    "contrast",
    "explain",
    "explain_all",
    "register",
    "relevance",
    "render_brief",
    "render_text",
]

ANY = _engine.ANY
#: default depth of why-not trees (rules looked through below the target)
DEFAULT_DEPTH = 8
_MAX_BRANCHES = 400  # bound on the instantiations tried per rule in why-not search
_ALTERNATIVES = 6  # distinct ways a rule fails shown per rule (e.g. each provision that could override)
#: static predicates that are not matched first (bookkeeping, not law)
_BOOKKEEPING = frozenset({"fact_pred", "burden", "input", "arg", "value", "value_set"})

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
#: a JSON object as the ``to_json`` methods give it
JSONObject: TypeAlias = dict[str, Any]


# --------------------------------------------------------------------- values
@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class RuleInfo:
    """Where a rule is and what it rests on, read from the encodings.

    ``provision`` is the id of the citation block ``%% [id]`` that heads the rule's
    group in its file (``None`` for generic machinery and view files); ``view`` is
    the ``(issue, view)`` whose adoption the rule's body requires.
    """

    id: str
    file: str
    line: int
    text: str
    provision: str | None = None
    deviation: str = ""
    comment: str = ""
    view: tuple[str, str] | None = None

    def to_json(self) -> JSONObject:
        return {"id": self.id, "file": self.file, "line": self.line, "provision": self.provision,
                "view": ({"issue": self.view[0], "view": self.view[1]} if self.view else None),
                "deviation": self.deviation or None, "comment": self.comment or None, "text": self.text}


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Node:
    """One node of a derivation (or why-not) tree.

    ``kind`` is one of

    * ``derived``  a derived element that holds, with the rule instance that derived it;
    * ``fact``     a case fact (``status``: established / refuted / unknown / not_stated;
      ``counted``: whether it counts as true; ``burden``/``bearer`` for an unknown);
    * ``view``     the adoption of a view (holds or not);
    * ``declared`` a fact of the rule base itself (declaration, parameter, override);
    * ``condition`` a comparison of a rule body, with its ground values;
    * ``absent``   an element that does not hold, with the rules that could have derived
      it and why each failed (children of kind ``rule``);
    * ``rule``     a rule that could have derived an absent element, children = its failed conditions;
    * ``repeat``   an element already explained above in the same tree;
    * ``given``    an input of the run without a rule (e.g. a mode switch).
    """

    atom: str
    kind: str
    holds: bool
    rule: RuleInfo | None = None
    basis: tuple[str, ...] = ()
    status: str | None = None
    counted: bool | None = None
    burden: str | None = None
    bearer: str | None = None
    note: str = ""
    children: tuple[Node, ...] = ()

    def provisions_cited(self) -> set[str]:
        """Every provision id the tree mentions (rules' citation blocks and bases),
        including those of why-not branches; see :meth:`grounds`."""
        out = set(self.basis)
        if self.rule and self.rule.provision:
            out.add(self.rule.provision)
        for c in self.children:
            out |= c.provisions_cited()
        return out

    def grounds(self) -> set[str]:
        """The provisions the derivation rests on: those of the nodes that hold, not
        looking into what does not hold (why-not branches cite what did *not* apply)."""
        if not self.holds:
            return set()
        out = set(self.basis)
        if self.rule and self.rule.provision:
            out.add(self.rule.provision)
        for c in self.children:
            out |= c.grounds()
        return out

    def rules_used(self) -> set[str]:
        """Every rule id (``file:line``) in this tree."""
        out = {self.rule.id} if self.rule else set()
        for c in self.children:
            out |= c.rules_used()
        return out

    def walk(self) -> Iterable[Node]:
        yield self
        for c in self.children:
            yield from c.walk()

    def to_json(self) -> JSONObject:
        out: JSONObject = {"atom": self.atom, "kind": self.kind, "holds": self.holds}
        if self.rule:
            out["rule"] = self.rule.id
            if self.rule.provision:
                out["provision"] = self.rule.provision
            if self.rule.view:
                out["view"] = {"issue": self.rule.view[0], "view": self.rule.view[1]}
        if self.basis:
            out["basis"] = list(self.basis)
        if self.status is not None:
            out["status"] = self.status
            out["counted"] = self.counted
        if self.burden is not None:
            out["burden"] = self.burden
            out["bearer"] = self.bearer
        if self.note:
            out["note"] = self.note
        if self.children:
            out["children"] = [c.to_json() for c in self.children]
        return out


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Explanation:
    """Why (``holds``) or why not an atom holds in one answer set."""

    target: str
    holds: bool
    tree: Node

    def to_json(self) -> JSONObject:
        return {"target": self.target, "holds": self.holds, "tree": self.tree.to_json()}


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class AnswerExplanation:
    """The explanations of one answer set."""

    views: tuple[tuple[str, str], ...]
    outcomes: tuple[str, ...]
    completion: tuple[tuple[str, str], ...]
    explanations: tuple[Explanation, ...]

    def to_json(self) -> JSONObject:
        out: JSONObject = {"views": dict(self.views), "outcomes": list(self.outcomes),
               "explanations": [e.to_json() for e in self.explanations]}
        if self.completion:
            out["completion"] = dict(self.completion)
        return out


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CaseExplanation:
    """Every answer set of a case under a view selection, explained."""

    case_id: str
    consistent: bool
    selection: tuple[tuple[str, str], ...]
    answers: tuple[AnswerExplanation, ...]
    core: tuple[str, ...] = ()

    def provisions_cited(self) -> set[str]:
        return {p for a in self.answers for e in a.explanations for p in e.tree.provisions_cited()}


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Contrast:
    """Where two view selections part on one case.

    ``only_a`` / ``only_b``: outcomes that hold under one selection only.
    ``parting_a`` / ``parting_b``: the rule instances that fire under one selection and
    not the other although every other positive condition they need (other than the
    adoption of a view) holds under both, i.e. the points where the reasoning splits;
    ``chains_a`` / ``chains_b``: for each outcome of one side only, its derivation cut
    down to the elements that hold on that side only.
    """

    case_id: str
    a: tuple[tuple[str, str], ...]
    b: tuple[tuple[str, str], ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    common: tuple[str, ...]
    parting_a: tuple[Node, ...]
    parting_b: tuple[Node, ...]
    chains_a: tuple[Node, ...]
    chains_b: tuple[Node, ...]

    def to_json(self) -> JSONObject:
        return {"case": self.case_id, "a": dict(self.a), "b": dict(self.b),
                "only_a": list(self.only_a), "only_b": list(self.only_b), "common": list(self.common),
                "parting_a": [n.to_json() for n in self.parting_a], "parting_b": [n.to_json() for n in self.parting_b],
                "chains_a": [n.to_json() for n in self.chains_a], "chains_b": [n.to_json() for n in self.chains_b]}


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class FactRelevance:
    """What one unknown fact does to the outcomes of one answer set if it goes the other way.

    ``default`` says how the fact counts now (``proven`` / ``unproven``, from the burden
    of proof); ``flipped`` is the other value. ``changes`` lists, for each answer
    obtained with the fact flipped (views of the issues the flip raises may vary), the
    views, outcomes gained and outcomes lost. ``relevant`` is true when some change is
    non-empty.
    """

    fact: str
    views: tuple[tuple[str, str], ...]
    burden: str
    bearer: str
    default: str
    flipped: str
    changes: tuple[tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...]], ...]

    @property
    def relevant(self) -> bool:
        return any(gained or lost for _, gained, lost in self.changes) or not self.changes

    def to_json(self) -> JSONObject:
        return {"fact": self.fact, "views": dict(self.views), "burden": self.burden, "bearer": self.bearer,
                "default": self.default, "flipped": self.flipped, "relevant": self.relevant,
                "changes": [{"views": dict(v), "gained": list(gained), "lost": list(lost)}
                            for v, gained, lost in self.changes]
                + ([] if self.changes else [{"inconsistent": True}])}


# ------------------------------------------------------------- rule metadata
_CITE = re.compile(r"^%%\s*\[([A-Za-z0-9_]+)\]")
_DEV = re.compile(r"^%%\s*Deviation:\s*(.*)$")


def _read_citations(path: str) -> tuple[list[tuple[int, str, str]], list[str]]:
    """Citation blocks ``(line, provision id, deviation)`` of a file, and its lines."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return [], []
    blocks: list[tuple[int, str, str]] = []
    i = 0
    while i < len(lines):
        m = _CITE.match(lines[i].strip())
        if m:
            start, pid, dev = i + 1, m.group(1), ""
            j = i + 1
            while j < len(lines) and lines[j].strip().startswith("%%"):
                d = _DEV.match(lines[j].strip())
                if d:
                    parts = [d.group(1).strip()]
                    k = j + 1
                    while k < len(lines) and re.match(r"^%%\s{2,}\S", lines[k]) and not _CITE.match(lines[k].strip()):
                        parts.append(lines[k].strip()[2:].strip())
                        k += 1
                    dev = " ".join(" ".join(parts).split())
                j += 1
            blocks.append((start, pid, dev))
            i = j
        else:
            i += 1
    return blocks, lines


def _comment_above(lines: list[str], line: int) -> str:
    """The ``%`` comment lines directly above line ``line`` (1-based), joined."""
    out: list[str] = []
    k = line - 2
    while k >= 0 and lines[k].strip().startswith("%"):
        text = lines[k].strip().lstrip("%").strip()
        if _CITE.match(lines[k].strip()):
            break
        out.append(text)
        k -= 1
    return " ".join(reversed([t for t in out if t]))


class _Meta:
    """Rule metadata for a rule table: RuleInfo per rule index, static predicates."""

    def __init__(self, table: _engine.RuleTable) -> None:
        root = Path(table.program.master).resolve().parent
        cache: dict[str, tuple[list[tuple[int, str, str]], list[str]]] = {}
        infos: list[RuleInfo] = []
        for r in table.rules:
            if r.file not in cache:
                cache[r.file] = _read_citations(r.file)
            blocks, lines = cache[r.file]
            prov: str | None = None
            dev = ""
            for start, pid, d in blocks:
                if start <= r.line:
                    prov, dev = pid, d
            try:
                rel = Path(r.file).resolve().relative_to(root).as_posix()
            except ValueError:
                rel = r.file
            view: tuple[str, str] | None = None
            for kind, _, pat in r.body:
                if kind == "pos" and pat is not None and pat[0] == "f" and pat[1] == "adopt" and len(pat[2]) == 2 \
                        and all(a[0] == "c" for a in pat[2]):
                    view = (str(pat[2][0][1]), str(pat[2][1][1]))
            infos.append(RuleInfo(id=f"{rel}:{r.line}", file=rel, line=r.line, text=" ".join(r.text.split()),
                                  provision=prov, deviation=dev, comment=_comment_above(lines, r.line) if lines else "",
                                  view=view))
        self.infos = tuple(infos)
        sigs_rule = {_sig_of_pattern(_head(r)) for r in table.rules if not r.fact}
        self.static = {_sig_of_pattern(_head(r)) for r in table.rules if r.fact} - sigs_rule
        self.by_sig: dict[tuple[str, int], list[_engine.RuleEntry]] = {}
        self.fact_at: dict[Raw, RuleInfo] = {}
        for r in table.rules:
            if r.fact:
                ground = _ground_pattern(_head(r))
                if ground is not None:
                    self.fact_at.setdefault(ground, self.infos[r.index])
            else:
                self.by_sig.setdefault(_sig_of_pattern(_head(r)), []).append(r)


_METAS: dict[int, tuple[_engine.RuleTable, _Meta]] = {}


def _meta(table: _engine.RuleTable) -> _Meta:
    hit = _METAS.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    meta = _Meta(table)
    _METAS[id(table)] = (table, meta)
    return meta


# ------------------------------------------------------------ term matching
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


# ------------------------------------------------------------- the explainer
class _Answer:
    """One answer set with its fired rule instances, ready to explain."""

    def __init__(self, model: _engine.ExplainedModel, table: _engine.RuleTable, meta: _Meta,
                 case: Case, burdens: Mapping[str, str], depth: int) -> None:
        self.model = model
        self.table = table
        self.meta = meta
        self.atoms: frozenset[Raw] = model.atoms
        self._by_sig: dict[tuple[str, int], list[Raw]] | None = None
        self.fired: dict[Raw, list[Fired]] = {}
        for f in model.fired:
            self.fired.setdefault(f[1], []).append(f)
        for inst in self.fired.values():
            if len(inst) > 1:  # several supports: a canonical order, the first is shown
                inst.sort(key=lambda f: (f[0], terms.show(("", f[2])), terms.show(("", f[3]))))
        self.status = {f.term: f.status for f in case.facts}
        self.burdens = burdens
        self.depth = depth
        self.views = tuple(sorted((str(a[1][0]), str(a[1][1])) for a in model.shown
                                  if isinstance(a, tuple) and a[0] == "adopt" and len(a[1]) == 2))

    def atoms_of(self, sig: tuple[str, int]) -> list[Raw]:
        """The atoms of a signature ``(name, arity)`` in canonical order (cached)."""
        if self._by_sig is None:
            self._groups: dict[tuple[str, int], list[Raw]] = {}
            for a in self.atoms:
                self._groups.setdefault(_sig(a), []).append(a)
            self._by_sig = {}
        hit = self._by_sig.get(sig)
        if hit is None:
            hit = self._by_sig[sig] = sorted(self._groups.get(sig, ()), key=terms.show)
        return hit

    # ------------------------------------------------------------- facts
    def fact_node(self, fact: Raw, holds: bool, rule: RuleInfo | None = None) -> Node:
        if _has_any(fact):  # a pattern (a value left open): the status of the first matching case fact
            status = next((self.status[f] for f in sorted(self.status, key=terms.show) if _matches(fact, f)),
                          "not_stated")
        else:
            status = self.status.get(fact, "not_stated")
        pred = _sig(fact)[0]
        burden: str | None = None
        bearer: str | None = None
        note = ""
        # a duty fact the case does not state is unproven like an unknown one: the burden of
        # proof decides it (prologue/facts.lp, "Silence"); other unstated facts count as false
        silent_duty = status == "not_stated" and self.burdens.get(pred) == "duty"
        if status == "unknown" or silent_duty:
            burden = self.burdens.get(pred, "claimant")
            reversed_ = ("burden_reversed", (fact,)) in self.atoms
            if not silent_duty and (("explore", ()) in self.atoms or "explore" in self.atoms):
                bearer, note = "open", "explore mode: assumed " + ("proven" if holds else "unproven")
            elif burden == "duty":
                if reversed_:
                    bearer, note = "defendant", "burden reversed: the platform had to prove it performed the duty and did not"
                else:
                    bearer, note = "claimant", "ordinary rule: the claimant had to prove the breach and did not, so the duty counts as performed"
            elif burden == "defendant":
                bearer, note = "defendant", "the defendant had to prove it and did not"
            else:
                bearer, note = "claimant", "the claimant had to prove it and did not"
            if silent_duty:
                note = "the case does not state it, so it is unproven; " + note
        return Node(atom=_show(fact), kind="fact", holds=holds, rule=rule, status=status, counted=holds,
                    burden=burden, bearer=bearer, note=note)

    def _is_fact_atom(self, raw: Raw) -> TypeGuard[Compound]:
        return isinstance(raw, tuple) and raw[0] == "true" and len(raw[1]) == 1 and _sig(raw[1][0])[0] in self.burdens

    # --------------------------------------------------------------- why
    def why(self, raw: Raw, path: frozenset[Raw] = frozenset(), seen: set[Raw] | None = None,
            keep: Callable[[Raw], bool] | None = None) -> Node:
        """The derivation of an atom that holds. ``keep`` (a predicate on atoms) prunes
        children to those it accepts (used by contrast)."""
        seen = set() if seen is None else seen
        if self._is_fact_atom(raw):
            inst = self.fired.get(raw, [])
            return self.fact_node(raw[1][0], True, self.meta.infos[inst[0][0]] if inst else None)
        if isinstance(raw, tuple) and raw[0] == "adopt" and len(raw[1]) == 2:
            inst = self.fired.get(raw, [])
            return Node(atom=_show(raw), kind="view", holds=True,
                        rule=self.meta.infos[inst[0][0]] if inst else None)
        instances = self.fired.get(raw)
        if not instances:
            info = self.meta.fact_at.get(raw)
            return Node(atom=_show(raw), kind="declared" if info else "given", holds=True, rule=info,
                        basis=self._basis(raw))
        if raw in seen:
            return Node(atom=_show(raw), kind="repeat", holds=True, rule=self.meta.infos[instances[0][0]],
                        basis=self._basis(raw))
        seen.add(raw)
        chosen = next((i for i in instances if not (set(i[2]) & path)), instances[0])
        idx, _, pos, neg, cmps = chosen
        entry = self.table.rules[idx]
        sub = path | {raw}
        children: list[Node] = []
        for a in pos:
            if keep is not None and not keep(a):
                continue
            children.append(self.why(a, sub, seen, keep))
        if keep is None:
            for a in neg:
                children.append(self.why_not_negative(a))
            # a comparison's pattern is (operators, terms), never None
            cmp_descr = [(d[1], d[2]) for d in entry.body if d[0] == "cmp" and d[2] is not None]
            # one recorded term tuple per comparison of the body, one more term than operators
            for (text, (ops, _pats)), values in zip(cmp_descr, cmps, strict=True):
                if ops == ("=",) and _pats[0][0] == "v":
                    continue  # an assignment or a pattern match, not a condition
                if not any(isinstance(v, int) for v in values):
                    continue  # plumbing between constants (p != m), not a condition of the law
                shown = _show(values[0]) + "".join(f" {op} {_show(v)}" for op, v in zip(ops, values[1:], strict=True))
                children.append(Node(atom=shown, kind="condition", holds=True, note=text))
        return Node(atom=_show(raw), kind="derived", holds=True, rule=self.meta.infos[idx],
                    basis=self._basis(raw), children=tuple(children))

    def _basis(self, raw: Raw) -> tuple[str, ...]:
        """Provision ids among the head's arguments (e.g. the basis of concludes/outcome)."""
        out: list[str] = []
        if isinstance(raw, tuple) and len(raw) == 2 and isinstance(raw[1], tuple):
            for a in raw[1]:
                if isinstance(a, str) and a in self.provisions:
                    out.append(a)
                elif isinstance(a, tuple) and a[0] == "" and all(isinstance(x, str) and x in self.provisions
                                                                 for x in a[1]):
                    out.extend(x for x in a[1] if isinstance(x, str))  # all of them (checked above)
        return tuple(dict.fromkeys(out))

    provisions: Mapping[str, Provision] = {}

    # ----------------------------------------------------------- why not
    def why_not_negative(self, raw: Raw) -> Node:
        """A negative body literal that held: the atom is false. Facts get their
        status and burden; derived atoms a short why-not."""
        if self._is_fact_atom(raw) and not _has_any(raw):
            return self.fact_node(raw[1][0], False)
        return self.why_not(raw, depth=min(self.depth, 2))

    def why_not(self, raw: Raw, depth: int | None = None, path: frozenset[Raw] = frozenset()) -> Node:
        """Why an atom (``__any`` = any value) does not hold in this answer set."""
        depth = self.depth if depth is None else depth
        atom = _show(raw)
        if self._is_fact_atom(raw):
            return self.fact_node(raw[1][0], False)
        if isinstance(raw, tuple) and raw[0] == "adopt" and len(raw[1]) == 2:
            adopted = ", ".join(f"{i}={v}" for i, v in self.views) or "none"
            return Node(atom=atom, kind="view", holds=False, note=f"not adopted in this answer (adopted: {adopted})")
        rules = [(r, b) for r in self.meta.by_sig.get(_sig(raw), []) if (b := _unify(_head(r), raw, {})) is not None]
        if not rules:
            return Node(atom=atom, kind="absent", holds=False, basis=self._basis(raw),
                        note="no rule concludes it and it is not a fact")
        if depth <= 0 or raw in path:
            return Node(atom=atom, kind="absent", holds=False, basis=self._basis(raw),
                        note="not derived (not explained further)")
        children = []
        for r, b in rules:
            for head, failures in self._best_failures(r, b):
                kids = []
                for fail in failures:
                    if fail[0] == "pos":
                        kids.append(self.why_not(fail[1], depth - 1, path | {raw}))
                    elif fail[0] == "neg":
                        kids.append(self._blocking(fail[1]))
                    else:
                        kids.append(Node(atom=fail[1], kind="condition", holds=False))
                children.append(Node(atom=_show(head), kind="rule", holds=False,
                                     rule=self.meta.infos[r.index], children=tuple(kids)))
        return Node(atom=atom, kind="absent", holds=False, basis=self._basis(raw), children=tuple(children))

    def _blocking(self, raw: Raw) -> Node:
        """A negative condition that fails: the atom (or one matching it) holds."""
        hit = raw if raw in self.atoms else next((a for a in self.atoms_of(_sig(raw)) if _matches(raw, a)), raw)
        if self._is_fact_atom(hit):
            inst = self.fired.get(hit, [])
            node = self.fact_node(hit[1][0], True, self.meta.infos[inst[0][0]] if inst else None)
        else:
            fired = self.fired.get(hit)
            info = self.meta.infos[fired[0][0]] if fired else self.meta.fact_at.get(hit)
            node = Node(atom=_show(hit), kind="derived" if fired else "declared", holds=True, rule=info,
                        basis=self._basis(hit))
        return dataclasses.replace(node, note=("it holds, and the rule requires that it does not"
                                               + (f"; {node.note}" if node.note else "")))

    def _best_failures(self, rule: _engine.RuleEntry, bindings: Bindings) -> list[tuple[Raw, list[Failure]]]:
        """The instantiations of the rule body with the fewest failing literals (up to
        ``_ALTERNATIVES`` distinct ones), as ``(head, failures)``. Literals of the rule
        base's own facts (e.g. ``overrides/2``) are matched first, then the others in
        the order written, negative literals last. A condition that uses a variable
        left open by a failed one is not evaluated: the first thing missing is reported."""
        static = self.meta.static

        def rank(i: int) -> tuple[int, int]:
            kind, _, pat = rule.body[i]
            if kind == "pos" and pat is not None and _sig_of_pattern(pat) in static \
                    and _sig_of_pattern(pat)[0] not in _BOOKKEEPING:
                return (0, i)  # facts of the rule base first: which provisions could do it
            return (2 if kind in ("neg", "other") else 1, i)

        order = sorted(range(len(rule.body)), key=rank)
        best: list[tuple[Raw, list[Failure]]] = []  # (head, failures) with the fewest failures, distinct, at most _ALTERNATIVES
        budget = [_MAX_BRANCHES]

        def go(k: int, b: Bindings, fails: list[Failure], poisoned: frozenset[str] = frozenset()) -> None:
            if best and len(fails) > len(best[0][1]):
                return
            if budget[0] <= 0:
                return
            if k == len(order):
                budget[0] -= 1
                if best and len(fails) < len(best[0][1]):
                    best.clear()
                if len(best) < _ALTERNATIVES and all(f != fails for _, f in best):
                    best.append((_inst(_head(rule), b), list(fails)))
                return
            kind, text, pat = rule.body[order[k]]
            if poisoned and _vars(pat) & poisoned:
                # depends on a variable that a failed condition left open: not evaluated
                go(k + 1, b, fails, poisoned | (_vars(pat) - set(b)))
                return
            if pat is None:  # an aggregate and the like (kind "other"): not evaluated here
                go(k + 1, b, fails, poisoned)
                return
            if kind == "pos":
                sig = _sig_of_pattern(pat)
                cands = [nb for a in self.atoms_of(sig) if (nb := _unify(pat, a, b)) is not None]
                if not cands:
                    go(k + 1, b, fails + [("pos", _inst(pat, b))], poisoned | (_vars(pat) - set(b)))
                    return
                for nb in cands:
                    go(k + 1, nb, fails, poisoned)
                return
            if kind == "neg":
                target = _inst(pat, b)
                if target in self.atoms or (_has_any(target) and any(
                        _matches(target, a) for a in self.atoms_of(_sig(target)))):
                    go(k + 1, b, fails + [("neg", target)], poisoned)
                else:
                    go(k + 1, b, fails, poisoned)
                return
            if kind == "cmp":
                ops, pats = pat
                vals = [_eval(x, b) for x in pats]
                if ops == ("=",) and pats[0][0] == "v" and vals[0] is None and vals[1] is not None:
                    go(k + 1, {**b, pats[0][1]: vals[1]}, fails, poisoned)
                    return
                if ops == ("=",) and pats[0][0] == "v" and vals[0] is not None:
                    nb = _unify(pats[1], vals[0], b)
                    go(k + 1, nb if nb is not None else b, fails if nb is not None else fails + [("cmp", text)], poisoned)
                    return
                known = [v for v in vals if v is not None]
                if len(known) < len(vals):
                    go(k + 1, b, fails, poisoned)
                    return
                # known has one term more than ops: each operator between two neighbours
                ok = all(_compare(op, x, y) for op, x, y in zip(ops, known, known[1:], strict=False))
                go(k + 1, b, fails if ok else fails + [("cmp", " ".join(
                    [_show(known[0])] + [f"{op} {_show(v)}" for op, v in zip(ops, known[1:], strict=True)]) + f"  ({text})")],
                   poisoned)
                return
            go(k + 1, b, fails, poisoned)  # aggregates and the like: not evaluated here

        go(0, dict(bindings), [])
        return best


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


# ------------------------------------------------------------------ runs
def _prepare(reasoner: Reasoner, case: Case, views: Selection, include_rejected: bool, explore: bool
             ) -> tuple[Case, tuple[tuple[str, str], ...], list[Raw], list[Raw], list[Raw]]:
    case = reasoner._check(case)
    selection, denied = reasoner._selection(views, include_rejected)
    facts, assumed = reasoner._inputs(case, explore)
    return case, selection, facts, assumed, denied


def _answers(reasoner: Reasoner, case: Case, facts: Sequence[Raw], assumed: Sequence[Raw], denied: Sequence[Raw],
             depth: int) -> list[_Answer]:
    table = _engine.rule_table(reasoner.rulebase.program)
    meta = _meta(table)
    models = _engine.solve_explained(table, facts, assumed, denied)
    burdens = {name: p.burden for name, p in reasoner.vocabulary.items()}
    out = []
    for m in models:
        a = _Answer(m, table, meta, case, burdens, depth)
        a.provisions = reasoner.rulebase.provisions
        out.append(a)
    out.sort(key=lambda a: (a.views, a.model.shown))
    return out


def _outcomes(ans: _Answer) -> list[Raw]:
    return sorted(ans.atoms_of(("outcome", 4)), key=terms.show)


def explain(reasoner: Reasoner, case: Case, *, views: Selection = (), include_rejected: bool = False,
            explore: bool = False, target: str | None = None, depth: int = DEFAULT_DEPTH,
            _keep: list[_Answer] | None = None) -> CaseExplanation:
    """Explain every answer set of ``case`` under a view selection.

    Parameters
    ----------
    reasoner:
        A :class:`~pyreasoner.Reasoner`.
    views, include_rejected, explore:
        As for :meth:`Reasoner.solve`.
    target:
        An atom or pattern (``_`` matches anything), e.g.
        ``"outcome(civil, p, joint_several(m), _)"``. Without it every outcome of each
        answer is explained. With it, each answer explains the matching atoms that
        hold, or why none holds.
    depth:
        How many rules deep a why-not tree looks.
    """
    case, selection, facts, assumed, denied = _prepare(reasoner, case, views, include_rejected, explore)
    pattern: Raw | None = None
    if target is not None:
        try:
            pattern = _from_pattern_text(terms.parse(target, wildcards=True))
        except ValueError as exc:
            raise UsageError("target", target, f"not an atom: {exc}") from None
    answers = _answers(reasoner, case, facts, assumed, denied, depth)
    if _keep is not None:
        _keep.extend(answers)
    if not answers:
        result = reasoner.solve(case, views=views, include_rejected=include_rejected, explore=explore)
        return CaseExplanation(case_id=case.id, consistent=False, selection=selection, answers=(), core=result.core)
    out = []
    for ans in answers:
        if pattern is None:
            targets = _outcomes(ans)
        else:
            targets = sorted((a for a in ans.atoms_of(_sig(pattern)) if _matches(pattern, a)), key=terms.show)
        exps = []
        for t in targets:
            exps.append(Explanation(target=terms.show(t), holds=True, tree=ans.why(t)))
        if pattern is not None and not targets:
            exps.append(Explanation(target=_show(pattern), holds=False, tree=ans.why_not(pattern)))
        completion = tuple(sorted((terms.show(a[1][0]), str(a[1][1]))
                                  for a in cast(list[Compound], ans.atoms_of(("completion", 2)))))  # arity 2: compounds
        out.append(AnswerExplanation(views=ans.views, outcomes=tuple(terms.show(o) for o in _outcomes(ans)),
                                     completion=completion, explanations=tuple(exps)))
    return CaseExplanation(case_id=case.id, consistent=True, selection=selection, answers=tuple(out))


def _frontier(ans: _Answer, other: _Answer) -> list[Node]:
    """Rule instances firing in ``ans`` and not in ``other`` although each positive
    body atom other than a view's adoption holds in ``other`` too."""
    other_fired = {(f[0], f[1], f[2], f[3]) for f in other.model.fired}
    nodes = []
    for f in ans.model.fired:
        if (f[0], f[1], f[2], f[3]) in other_fired or f[1] in other.atoms:
            continue
        if isinstance(f[1], tuple) and f[1][0] == "adopt":
            continue  # the choice of the view itself: shown as the view leaf below
        pos = [a for a in f[2] if not (isinstance(a, tuple) and a[0] == "adopt")]
        if all(a in other.atoms for a in pos):
            entry = ans.table.rules[f[0]]
            kids = [ans.why(a) if isinstance(a, tuple) and a[0] == "adopt" else Node(atom=_show(a), kind="derived", holds=True,
                                                              note="holds under both")
                    for a in f[2]]
            kids += [ans.why_not_negative(a) for a in f[3]]
            nodes.append(Node(atom=_show(f[1]), kind="derived", holds=True, rule=ans.meta.infos[entry.index],
                              basis=ans._basis(f[1]), children=tuple(kids)))
    return sorted(nodes, key=lambda n: (n.rule.id if n.rule else "", n.atom))


def _absent_from(other: _Answer) -> Callable[[Raw], bool]:
    """Whether an atom does not hold in ``other`` (keeps a chain to what one side alone has)."""
    return lambda t: t not in other.atoms


def contrast(reasoner: Reasoner,
 case: Case, a: Mapping[str, str] | Sequence[str], b: Mapping[str, str] | Sequence[str], *,
             include_rejected: bool = False) -> tuple[Contrast, ...]:
    """Contrast two view selections on one case: what each concludes that the other
    does not, and the rules at which they part. One :class:`Contrast` per pair of
    answers that agree on every issue the two selections do not both fix."""
    case, sel_a, facts, assumed, den_a = _prepare(reasoner, case, a, include_rejected, False)
    _, sel_b, _, _, den_b = _prepare(reasoner, case, b, include_rejected, False)
    ans_a = _answers(reasoner, case, facts, assumed, den_a, DEFAULT_DEPTH)
    ans_b = _answers(reasoner, case, facts, assumed, den_b, DEFAULT_DEPTH)
    fixed = {i for i, _ in sel_a} | {i for i, _ in sel_b}
    out = []
    for x in ans_a:
        rest = tuple(v for v in x.views if v[0] not in fixed)
        ys = [y for y in ans_b if tuple(v for v in y.views if v[0] not in fixed) == rest] or ans_b[:1]
        for y in ys[:1]:
            oa = {terms.show(o) for o in _outcomes(x)}
            ob = {terms.show(o) for o in _outcomes(y)}
            chains_a = tuple(x.why(o, keep=_absent_from(y)) for o in _outcomes(x) if terms.show(o) not in ob)
            chains_b = tuple(y.why(o, keep=_absent_from(x)) for o in _outcomes(y) if terms.show(o) not in oa)
            out.append(Contrast(case_id=case.id, a=x.views, b=y.views, only_a=tuple(sorted(oa - ob)),
                                only_b=tuple(sorted(ob - oa)), common=tuple(sorted(oa & ob)),
                                parting_a=tuple(_frontier(x, y)), parting_b=tuple(_frontier(y, x)),
                                chains_a=chains_a, chains_b=chains_b))
    return tuple(out)


def relevance(reasoner: Reasoner, case: Case, *, views: Selection = (), include_rejected: bool = False,
              _answers_of: list[_Answer] | None = None) -> tuple[FactRelevance, ...]:
    """For each answer set and each unknown fact: would the outcomes change if the
    fact went the other way (proven where it now counts as unproven, or the reverse)?

    The encodings are grounded once in explore mode; each question is one solve
    under clingo assumptions: the answer's views fixed, every other unknown fact at
    the value it counts as now, the fact in question flipped.
    """
    case, _selection, facts, assumed, denied = _prepare(reasoner, case, views, include_rejected, False)
    unknown = [f for f in case.facts if f.status == "unknown"]
    if not unknown:
        return ()
    answers = _answers_of if _answers_of is not None else _answers(reasoner, case, facts, assumed, denied,
                                                                    DEFAULT_DEPTH)
    burdens = {name: p.burden for name, p in reasoner.vocabulary.items()}
    all_views = {i.id: [v.id for v in i.views] for i in reasoner.issues.values()}
    variants: list[list[tuple[Raw, bool]]] = []
    keys: list[tuple[_Answer, Fact, bool]] = []
    for ans in answers:
        fixed: list[tuple[Raw, bool]] = [(("adopt", (i, w)), False) for i, v in ans.views
                                         for w in all_views.get(i, ()) if w != v]
        default = {f.term: (("true", (f.term,)) in ans.atoms) for f in unknown}
        for f in unknown:
            assume: list[tuple[Raw, bool]] = [(("true", (g.term,)), default[g.term]) for g in unknown
                                              if g.term != f.term]
            assume.append((("true", (f.term,)), not default[f.term]))
            variants.append(fixed + assume)
            keys.append((ans, f, default[f.term]))
    results = _engine.solve_variants(reasoner.rulebase.program, facts + ["explore"], assumed, denied, variants)
    out = []
    for (ans, f, dflt), models in zip(keys, results, strict=True):  # one result per variant
        base = {terms.show(o) for o in _outcomes(ans)}
        changes = []
        for m in models:
            views_m = tuple(sorted((str(a[1][0]), str(a[1][1])) for a in m if isinstance(a, tuple) and a[0] == "adopt"))
            outs = {terms.show(a) for a in m if isinstance(a, tuple) and a[0] == "outcome"}
            changes.append((views_m, tuple(sorted(outs - base)), tuple(sorted(base - outs))))
        burden = burdens.get(f.predicate, "claimant")
        reversed_ = ("burden_reversed", (f.term,)) in ans.atoms
        bearer = ("defendant" if reversed_ else "claimant") if burden == "duty" else burden
        out.append(FactRelevance(fact=f.atom, views=ans.views, burden=burden, bearer=bearer,
                                 default="proven" if dflt else "unproven", flipped="unproven" if dflt else "proven",
                                 changes=tuple(sorted(set(changes)))))
    return tuple(out)


def explain_all(reasoner: Reasoner, case: Case, result: Result) -> JSONObject:
    """JSON-ready explanations of every outcome of every answer in ``result`` (solved
    with the same selection), plus, when the case has unknown facts, their relevance.
    Used by ``batch --explain``."""
    views = dict(result.selection)
    kept: list[_Answer] = []
    ex = explain(reasoner, case, views=views, include_rejected=result.include_rejected, explore=result.explore,
                 _keep=kept)
    out = explanation_json(ex, reasoner.rulebase)
    if any(f.status == "unknown" for f in case.facts) and ex.consistent and not result.explore:
        out["relevance"] = [r.to_json() for r in relevance(reasoner, case, views=views,
                                                           include_rejected=result.include_rejected,
                                                           _answers_of=kept)]
    return out


def explanation_json(ex: CaseExplanation, rulebase: RuleBase) -> JSONObject:
    """A case explanation as JSON, with the rules and provisions it cites (by stable id)."""
    rules: dict[str, JSONObject] = {}
    for a in ex.answers:
        for e in a.explanations:
            for n in e.tree.walk():
                if n.rule and n.rule.id not in rules:
                    rules[n.rule.id] = n.rule.to_json()
    return {"case": ex.case_id, "consistent": ex.consistent, "selection": dict(ex.selection),
            "answers": [a.to_json() for a in ex.answers],
            **({"core": list(ex.core)} if not ex.consistent else {}),
            "rules": dict(sorted(rules.items())),
            "provisions": _provisions_json(ex.provisions_cited() | {r["provision"] for r in rules.values()
                                                                   if r["provision"]}, rulebase)}


def _provisions_json(ids: Iterable[str], rulebase: RuleBase) -> dict[str, JSONObject | None]:
    out: dict[str, JSONObject | None] = {}
    for pid in sorted(ids):
        p = rulebase.provisions.get(pid)
        if p is None:
            out[pid] = None
            continue
        out[pid] = {"cite": {"en": p.cite("en"), "zh": p.cite("zh")}, "text": {"zh": p.text_zh, "en": p.text_en}}
    return out


# --------------------------------------------------------------- rendering
_WORDS = {
    "en": {"holds": "holds", "not": "does NOT hold", "answer": "answer", "views": "views", "none": "no contested issue raised",
           "established": "established", "refuted": "refuted", "unknown": "unknown", "not_stated": "not stated (not established)",
           "counts_t": "counts as true", "counts_f": "counts as false", "claimant": "claimant", "defendant": "defendant (platform)",
           "open": "open (explore)", "burden": "burden", "view": "view", "not_adopted": "not adopted",
           "provisions": "Provisions cited", "no_outcome": "no liability outcome", "rule": "rule",
           "parting": "where they part", "only": "only under", "common": "under both",
           "relevant": "CHANGES the outcome", "irrelevant": "changes nothing", "if": "if", "gains": "gains",
           "loses": "loses", "inconsistent": "the case becomes inconsistent", "see_above": "see above",
           "why": "why", "why_not": "why not", "declared": "declared in the rule base", "given": "input",
           "fact": "fact", "failed": "could follow from", "now": "now counts as",
           "leading": "leading to the outcomes", "case": "case", "fixed": "fixed",
           "conflict": "NO CONSISTENT OUTCOME; these facts conflict:"},
    "zh": {"holds": "成立", "not": "不成立", "answer": "答案集", "views": "观点", "none": "未涉及争议问题",
           "established": "已证明", "refuted": "已被否定", "unknown": "真伪不明", "not_stated": "未主张（未证明）",
           "counts_t": "视为真", "counts_f": "视为假", "claimant": "原告（主张方）", "defendant": "被告（平台）",
           "open": "开放（探索模式）", "burden": "举证责任", "view": "观点", "not_adopted": "未采纳",
           "provisions": "所引条文", "no_outcome": "无责任结论", "rule": "规则",
           "parting": "分歧所在", "only": "仅在", "common": "两者皆有",
           "relevant": "会改变结论", "irrelevant": "不改变结论", "if": "若", "gains": "新增",
           "loses": "失去", "inconsistent": "案件将自相矛盾", "see_above": "见上",
           "why": "理由", "why_not": "为何不成立", "declared": "规则库声明", "given": "输入",
           "fact": "事实", "failed": "可由下列规则得出", "now": "现视为",
           "leading": "由此得出的结论", "duty": "义务履行", "proven": "已证明", "unproven": "未证明",
           "b_claimant": "主张方", "b_defendant": "抗辩方", "case": "案件", "fixed": "已固定",
           "conflict": "无一致结论；下列事实相互冲突："},
}


def _burden_word(burden: str | None, w: Mapping[str, str]) -> str:
    """The burden class in the output language (``duty``, ``claimant``, ``defendant``)."""
    return w.get("b_" + (burden or ""), w.get(burden or "", burden or ""))


def _cite(pid: str | None, rulebase: RuleBase, lang: str) -> str:
    if not pid:
        return ""
    p = rulebase.provisions.get(pid)
    return p.cite(lang) if p else pid


def _view_label(issue: str, view: str, rulebase: RuleBase, lang: str) -> str:
    try:
        v = rulebase.issues[issue].view(view)
    except KeyError:
        return f"{issue}={view}"
    return f"{issue}={view} ({v.label_zh if lang == 'zh' else v.label_en})"


def _node_line(n: Node, rulebase: RuleBase, lang: str) -> str:
    w = _WORDS[lang]
    if n.kind == "fact":
        status = w.get(n.status or "", n.status or "")
        s = f"{w['fact']} {n.atom}: {status}, {w['counts_t'] if n.counted else w['counts_f']}"
        if n.burden:
            s += f"; {w['burden']}: {_burden_word(n.burden, w)} -> {w.get(n.bearer or '', n.bearer)}"
        if n.note and lang == "en":
            s += f" ({n.note})"
        return s
    if n.kind == "view":
        m = re.match(r"adopt\((\w+),(\w+)\)", n.atom)
        label = _view_label(m.group(1), m.group(2), rulebase, lang) if m else n.atom
        return f"{w['view']} {label}" + ("" if n.holds else f": {w['not_adopted']}")
    if n.kind == "condition":
        return f"{n.atom}" + ("" if n.holds else f"  [{w['not']}]")
    where = []
    if n.rule:
        cites = [_cite(n.rule.provision, rulebase, lang)] if n.rule.provision else []
        cites += [_cite(b, rulebase, lang) for b in n.basis if b != n.rule.provision]
        if n.rule.view:
            cites.append(_view_label(*n.rule.view, rulebase, lang))
        where.append("; ".join(c for c in cites if c))
        where.append(n.rule.id)
    elif n.basis:
        where.append("; ".join(_cite(b, rulebase, lang) for b in n.basis))
    tail = "  [" + " | ".join(x for x in where if x) + "]" if any(where) else ""
    if n.kind == "repeat":
        return f"{n.atom}  ({w['see_above']})"
    if n.kind == "absent":
        return f"{n.atom}: {w['not']}" + (f" ({n.note})" if n.note and lang == "en" else "") + tail
    if n.kind == "rule":
        return f"{w['rule']} {n.rule.id if n.rule else ''} -> {n.atom}" + (
            f"  [{_cite(n.rule.provision, rulebase, lang)}]" if n.rule and n.rule.provision else "") + (
            f"  [{_view_label(*n.rule.view, rulebase, lang)}]" if n.rule and n.rule.view else "")
    if n.kind in ("declared", "given"):
        return f"{n.atom}  ({w[n.kind]}{', ' + n.rule.id if n.rule else ''})"
    note = f"  -- {n.note}" if n.note and lang == "en" else ""
    return f"{n.atom}{tail}{note}"


def _render_tree(n: Node, rulebase: RuleBase, lang: str, prefix: str = "", last: bool = True, top: bool = True
                 ) -> list[str]:
    line = _node_line(n, rulebase, lang)
    lines = [line if top else prefix + ("└─ " if last else "├─ ") + line]
    child_prefix = "" if top else prefix + ("   " if last else "│  ")
    for i, c in enumerate(n.children):
        lines += _render_tree(c, rulebase, lang, child_prefix + ("  " if top else ""), i == len(n.children) - 1, False)
    return lines


def _deviations(nodes: Iterable[Node]) -> dict[str, str]:
    """Provision id -> the ``%% Deviation:`` line of its citation block, from the rules used."""
    out: dict[str, str] = {}
    for root in nodes:
        for n in root.walk():
            if n.rule and n.rule.provision and n.rule.deviation and n.rule.deviation.lower() not in ("none", "none."):
                out.setdefault(n.rule.provision, n.rule.deviation)
    return out


def _render_provisions(ids: Iterable[str], rulebase: RuleBase, lang: str, deviations: Mapping[str, str] | None = None
                       ) -> list[str]:
    w = _WORDS[lang]
    ids = sorted(set(ids))
    if not ids:
        return []
    lines = [f"{w['provisions']}:"]
    for pid in ids:
        p = rulebase.provisions.get(pid)
        if p is None:
            lines.append(f"  [{pid}]")
            continue
        lines.append(f"  [{pid}] {p.cite(lang)}")
        if p.text_zh:
            lines.append(f"      {p.text_zh}")
        if p.text_en and lang == "en":
            lines.append(f"      {p.text_en}")
        if lang == "en" and deviations and pid in deviations:
            lines.append(f"      Deviation of the encoding: {deviations[pid]}")
    return lines


def render_text(ex: CaseExplanation, rulebase: RuleBase, lang: str = "en") -> str:
    """A readable derivation / why-not tree for each answer, then the provisions cited
    with their Chinese text (and English reading with ``lang="en"``)."""
    w = _WORDS[lang]
    sel = ", ".join(f"{i}={v}" for i, v in ex.selection)
    lines = [f"{w['case']} {ex.case_id}" + (f" ({w['fixed']}: {sel})" if sel else "")]
    if not ex.consistent:
        lines.append(f"  {w['conflict']} " + ", ".join(ex.core))
        return "\n".join(lines)
    for k, a in enumerate(ex.answers, 1):
        views = ", ".join(_view_label(i, v, rulebase, lang) for i, v in a.views) or w["none"]
        lines.append(f"{w['answer']} {k} [{views}]")
        if a.completion:
            lines.append("  " + ", ".join(f"{f} {w.get(s, s)}" for f, s in a.completion))
        if not a.explanations:
            lines.append(f"  {w['no_outcome']}")
        for e in a.explanations:
            lines.append(f"  {w['why'] if e.holds else w['why_not']}: {e.target} {w['holds'] if e.holds else w['not']}")
            lines += ["    " + ln for ln in _render_tree(e.tree, rulebase, lang)]
    trees = [e.tree for a in ex.answers for e in a.explanations]
    lines += _render_provisions(ex.provisions_cited(), rulebase, lang, _deviations(trees))
    return "\n".join(lines)


_BRIEF = {
    "en": {"provision": "provision", "view": "view", "source": "source", "facts": "decisive facts",
           "established": "established", "refuted": "refuted", "unknown": "unknown",
           "not_stated": "not stated (count as false)", "more": "more", "full": "--full shows the derivation",
           "burden_on": "burden of proof:", "so": "so it counts as", "true": "true", "false": "false",
           "no_view": "no contested view needed", "case": "case", "fixed": "fixed",
           "conflict": "NO CONSISTENT OUTCOME; these facts conflict"},
    "zh": {"provision": "条文", "view": "观点", "source": "出处", "facts": "决定性事实",
           "established": "已证明", "refuted": "已被否定", "unknown": "真伪不明",
           "not_stated": "未主张（视为假）", "more": "项从略", "full": "--full 显示完整推导",
           "burden_on": "举证责任：", "so": "故视为", "true": "真", "false": "假",
           "no_view": "不取决于争议观点", "case": "案件", "fixed": "已固定",
           "conflict": "无一致结论；下列事实相互冲突"},
}
# the view statuses read as the solve output reads them (one word table: report.WORDS)
for _lang, _words in _BRIEF.items():
    _words.update({k: WORDS[_lang][k] for k in ("own", "named", "rejected", "reading")})
#: facts listed per status line of a brief explanation before "(+N more)"
_BRIEF_FACTS = 8
#: who is who: listed after the facts particular to the outcome
_ROLES = frozenset({"party", "on_platform"})


def _decisive(tree: Node) -> tuple[list[Node], list[tuple[str, str]]]:
    """The case facts a derivation rests on (facts under nodes that hold, not those of
    why-not branches), each once, and the views it adopts."""
    facts: dict[str, Node] = {}
    views: dict[tuple[str, str], None] = {}

    def walk(n: Node) -> None:
        if n.kind == "fact":
            facts.setdefault(n.atom, n)
            return
        if n.kind == "view" and n.holds:
            m = re.match(r"adopt\((\w+),(\w+)\)", n.atom)
            if m:
                views[(m.group(1), m.group(2))] = None
            return
        if not n.holds or n.kind in ("absent", "rule"):
            return
        if n.rule and n.rule.view:
            views[n.rule.view] = None
        for c in n.children:
            walk(c)

    walk(tree)
    return list(facts.values()), list(views)


def render_brief(ex: CaseExplanation, rulebase: RuleBase, lang: str = "en") -> str:
    """What a lawyer reads: per outcome at most about ten lines: the outcome, each
    provision it rests on with its text, the views adopted on the way with their status
    and source, and the decisive case facts by status (for an unknown fact, who bore the
    burden of proof and how it counts). The derivation trees are behind ``--full``."""
    w, b = _WORDS[lang], _BRIEF[lang]
    sel = ", ".join(f"{i}={v}" for i, v in ex.selection)
    lines = [f"{b['case']} {ex.case_id}" + (f" ({b['fixed']}: {sel})" if sel else "")]
    if not ex.consistent:
        lines.append(f"  {b['conflict']}: " + ", ".join(ex.core))
        return "\n".join(lines)
    for k, a in enumerate(ex.answers, 1):
        views = ", ".join(f"{i}={v}" for i, v in a.views) or w["none"]
        lines.append(f"{w['answer']} {k} [{views}]")
        if a.completion:
            lines.append("  " + ", ".join(f"{f} {w.get(s, s)}" for f, s in a.completion))
        if not a.explanations:
            lines.append(f"  {w['no_outcome']}")
        for e in a.explanations:
            lines.append(f"  {e.target}" + ("" if e.holds else f": {w['not']}"))
            if not e.holds:
                continue
            basis = e.tree.basis or tuple(sorted(e.tree.grounds()))
            for pid in basis:
                p = rulebase.provisions.get(pid)
                text = (p.text_zh if lang == "zh" else p.text_en) if p else ""
                lines.append(f"    {b['provision']}: {_cite(pid, rulebase, lang)}" + (f": {text}" if text else ""))
            facts, used = _decisive(e.tree)
            if any(f.status == "unknown" for f in facts):  # the burden of proof follows the views adopted too
                used += [v for v in a.views if v not in used]
            for issue, view in used:
                try:
                    v = rulebase.issues[issue].view(view)
                except KeyError:
                    lines.append(f"    {b['view']}: {issue}={view}")
                    continue
                label, source = (v.label_zh, v.source_zh) if lang == "zh" else (v.label_en, v.source)
                lines.append(f"    {b['view']}: {issue}={view} ({label}; {b[v.status]}); {b['source']}: {source}")
            if not used and a.views:
                lines.append(f"    {b['view']}: {b['no_view']}")
            by_status: dict[str, list[Node]] = {}
            for f in sorted(facts, key=lambda f: f.atom.split("(")[0] in _ROLES):
                by_status.setdefault(f.status or "not_stated", []).append(f)
            lines.append(f"    {b['facts']}:")
            for status in ("established", "refuted", "unknown", "not_stated"):
                group = by_status.get(status, [])
                if not group:
                    continue
                if status == "unknown":
                    for f in group:
                        bearer, burden = w.get(f.bearer or "", f.bearer or "?"), _burden_word(f.burden, w)
                        value = b["true"] if f.counted else b["false"]
                        lines.append(f"      {b['unknown']}: {f.atom}; " + (
                            f"{b['burden_on']}{bearer}（{burden}），{b['so']}{value}" if lang == "zh" else
                            f"{b['burden_on']} {bearer} ({burden}), {b['so']} {value}"))
                    continue
                shown = ", ".join(f.atom for f in group[:_BRIEF_FACTS])
                more = len(group) - _BRIEF_FACTS
                lines.append(f"      {b[status]}: {shown}" + (f" (+{more} {b['more']})" if more > 0 else ""))
    lines.append(f"({b['full']})")
    return "\n".join(lines)


def render_contrast(cs: Sequence[Contrast], rulebase: RuleBase, lang: str = "en") -> str:
    w = _WORDS[lang]
    lines: list[str] = []
    ids: set[str] = set()
    for c in cs:
        la = ", ".join(f"{i}={v}" for i, v in c.a) or "-"
        lb = ", ".join(f"{i}={v}" for i, v in c.b) or "-"
        lines.append(f"contrast [{la}] vs [{lb}]")
        lines.append(f"  {w['only']} {la}: " + (", ".join(c.only_a) or "-"))
        lines.append(f"  {w['only']} {lb}: " + (", ".join(c.only_b) or "-"))
        lines.append(f"  {w['common']}: " + (", ".join(c.common) or "-"))
        for label, nodes, chains in ((la, c.parting_a, c.chains_a), (lb, c.parting_b, c.chains_b)):
            lines.append(f"  {w['parting']} ({w['only']} {label}):")
            for n in nodes:
                lines += ["    " + ln for ln in _render_tree(n, rulebase, lang)]
                ids |= n.provisions_cited()
            if chains:
                lines.append(f"  {w['leading']} ({w['only']} {label}):")
            for n in chains:
                lines += ["    " + ln for ln in _render_tree(n, rulebase, lang)]
                ids |= n.provisions_cited()
    lines += _render_provisions(ids, rulebase, lang)
    return "\n".join(lines)


def render_relevance(rs: Sequence[FactRelevance], rulebase: RuleBase, lang: str = "en") -> str:
    w = _WORDS[lang]
    if not rs:
        return "no unknown facts" if lang == "en" else "无真伪不明的事实"
    lines = []
    for r in rs:
        views = ", ".join(f"{i}={v}" for i, v in r.views) or "-"
        head = (f"[{views}] {r.fact}: {w['now']} {w.get(r.default, r.default)} ({w['burden']}: "
                f"{_burden_word(r.burden, w)} -> {w.get(r.bearer, r.bearer)}); "
                f"{w['if']} {w.get(r.flipped, r.flipped)}: {w['relevant'] if r.relevant else w['irrelevant']}")
        lines.append(head)
        if not r.changes:
            lines.append(f"    {w['inconsistent']}")
        for v, gained, lost in r.changes:
            if gained or lost:
                vv = ", ".join(f"{i}={x}" for i, x in v) or "-"
                lines.append(f"    [{vv}] {w['gains']}: {', '.join(gained) or '-'}; {w['loses']}: {', '.join(lost) or '-'}")
    return "\n".join(lines)


# ---------------------------------------------------------------------- CLI
def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner explain`` to the command line."""
    from .cli import add_solving_options

    p = subparsers.add_parser("explain", help="explain outcomes: why, why not, where views part, which unknown fact matters")
    p.add_argument("case", metavar="CASE", help="a case file")
    add_solving_options(p)
    p.add_argument("--outcome", metavar="ATOM", help="explain this atom or pattern (with _), e.g. "
                   "'outcome(civil, p, joint_several(m), _)'; why not where it does not hold")
    p.add_argument("--contrast", action="append", default=[], metavar="ISSUE=VIEW",
                   help="contrast the --view selection with this one (repeatable)")
    p.add_argument("--relevance", action="store_true", help="which unknown facts would change an outcome")
    p.add_argument("--depth", type=int, default=DEFAULT_DEPTH, help="depth of why-not trees (default %(default)s)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("en", "zh"), default="en")
    detail = p.add_mutually_exclusive_group()
    detail.add_argument("--brief", action="store_true", help="per outcome about ten lines: the provision with its "
                        "text, the views adopted with their source, the decisive facts with status and burden")
    detail.add_argument("--full", action="store_true", help="the whole derivation tree of each outcome (the default)")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, reasoner: Reasoner) -> int:
    if args.depth < 0:
        raise UsageError("--depth", str(args.depth), "expected a number >= 0")
    case = reasoner.load(args.case)
    rb = reasoner.rulebase
    if args.contrast:
        if not args.view:
            raise UsageError("--contrast", " ".join(args.contrast), "needs --view for the other side, e.g. "
                             "--view b=joint --contrast b=supplementary")
        cs = contrast(reasoner, case, args.view, args.contrast, include_rejected=args.include_rejected)
        if args.format == "json":
            print(json.dumps({"contrast": [c.to_json() for c in cs],
                              "provisions": _provisions_json({p for c in cs for n in c.parting_a + c.parting_b
                                                              + c.chains_a + c.chains_b for p in n.provisions_cited()},
                                                             rb)}, ensure_ascii=False, indent=2))
        else:
            print(render_contrast(cs, rb, args.lang))
        return 0
    kept: list[_Answer] = []
    ex = explain(reasoner, case, views=args.view,
 include_rejected=args.include_rejected, explore=args.explore,
                 target=args.outcome, depth=args.depth, _keep=kept)
    rel = relevance(reasoner, case, views=args.view, include_rejected=args.include_rejected,
                    _answers_of=None if args.explore else kept) if args.relevance and ex.consistent else ()
    if args.format == "json":
        out = explanation_json(ex, rb)
        if args.relevance:
            out["relevance"] = [r.to_json() for r in rel]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(render_brief(ex, rb, args.lang) if args.brief else render_text(ex, rb, args.lang))
        if args.relevance:
            print()
            print(render_relevance(rel, rb, args.lang))
    sys.stdout.flush()
    return 0 if ex.consistent else 1
