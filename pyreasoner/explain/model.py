"""The data model of an explanation: rules, tree nodes, answers, contrasts, relevance.

Plain frozen values with their JSON form; nothing here solves or reads the encodings.

>>> leaf = Node(atom="sold(m,g,c)", kind="fact", holds=True, status="established", counted=True)
>>> top = Node(atom="applies(p)", kind="derived", holds=True, basis=("ecl_38_2",), children=(leaf,))
>>> sorted(top.grounds()), [n.atom for n in top.walk()]
(['ecl_38_2'], ['applies(p)', 'sold(m,g,c)'])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, TypeAlias

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
