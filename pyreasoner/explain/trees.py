"""Derivation and why-not trees of one answer set, built from the engine's fired rule instances.

An explanation run adds, for every rule, a shadow rule that records the ground
instances true in the answer set (:func:`pyreasoner._engine.rule_table`). From those
records :class:`_Answer` gives the derivation of an atom that holds (down to the case
facts with their status and, for an unproven fact, the burden of proof as the
encodings derive it: ``burden_bearer/2`` of prologue/facts.lp) and, for an atom that
does not hold, the rules that could conclude it and the conditions that fail.

>>> DEFAULT_DEPTH
8
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import TypeGuard, cast

from .. import _engine, terms
from ..case import Case
from ..contract import ADOPT, ARG, BURDEN, BURDEN_BEARER, EXPLORE, FACT_PRED, INPUT, TRUE, VALUE, VALUE_SET
from ..provisions import Provision
from ..terms import Raw
from .model import Node, RuleInfo
from .patterns import (
    Bindings,
    Compound,
    Failure,
    Fired,
    _compare,
    _eval,
    _has_any,
    _head,
    _inst,
    _matches,
    _show,
    _sig,
    _sig_of_pattern,
    _unify,
    _vars,
)
from .rules import _Meta

#: default depth of why-not trees (rules looked through below the target)
DEFAULT_DEPTH = 8
_MAX_BRANCHES = 400  # bound on the instantiations tried per rule in why-not search
_ALTERNATIVES = 6  # distinct ways a rule fails shown per rule (e.g. each provision that could override)
#: static predicates that are not matched first (bookkeeping, not law)
_BOOKKEEPING = frozenset(p.name for p in (FACT_PRED, BURDEN, INPUT, ARG, VALUE, VALUE_SET))
#: what an unproven fact's node says, by (duty fact?, who bore the burden as the encodings derive it)
_BEARER_NOTES = {
    (True, "defendant"): "burden reversed: the platform had to prove it performed the duty and did not",
    (True, "claimant"): "ordinary rule: the claimant had to prove the breach and did not, so the duty counts as performed",
    (False, "defendant"): "the defendant had to prove it and did not",
    (False, "claimant"): "the claimant had to prove it and did not",
}


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
        self._bearers: dict[Raw, str] | None = None
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
                                  if isinstance(a, tuple) and (a[0], len(a[1])) == ADOPT))

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
    def bearer_of(self, fact: Raw) -> str | None:
        """Who bore the burden of proving ``fact`` and did not, as the encodings derive it
        (``burden_bearer(F, B)``, prologue/facts.lp); ``None`` where they derive none: a fact
        the case states and proves either way, an unknown fact in explore mode (left open),
        a fact the case does not state that no rule asks for (no ``duty_asked``)."""
        if self._bearers is None:
            self._bearers = {a[1][0]: str(a[1][1]) for a in cast(list[Compound], self.atoms_of(BURDEN_BEARER))}
        return self._bearers.get(fact)

    def fact_node(self, fact: Raw, holds: bool, rule: RuleInfo | None = None) -> Node:
        stated = fact
        if _has_any(fact):  # a pattern (a value left open): the first matching case fact
            stated = next((f for f in sorted(self.status, key=terms.show) if _matches(fact, f)), fact)
        status = self.status.get(stated, "not_stated")
        pred = _sig(fact)[0]
        burden: str | None = None
        bearer: str | None = None
        note = ""
        # a duty fact the case does not state is unproven like an unknown one: the burden of
        # proof decides it (prologue/facts.lp, "Silence"); other unstated facts count as false
        silent_duty = status == "not_stated" and self.burdens.get(pred) == "duty"
        if status == "unknown" or silent_duty:
            burden = self.burdens.get(pred, "claimant")
            bearer = self.bearer_of(stated)
            if bearer is None and not silent_duty and ((EXPLORE.name, ()) in self.atoms or EXPLORE.name in self.atoms):
                bearer, note = "open", "explore mode: assumed " + ("proven" if holds else "unproven")
            elif bearer is None and silent_duty:
                # An unstated duty fact that no rule names with duty_asked (in the bundled corpus only
                # the dated measures(P, X, _) of statutes/cc_1194.lp, in why-not branches): the encodings
                # derive no burden_bearer for it; it is not duty_unproven and counts as false (the node
                # says counted=False). Shown as it was before the bearer was read from the encodings:
                # the claimant, with the ordinary rule's note - whose "so the duty counts as performed"
                # does not hold for such a fact (kept unchanged; reported on issue #15).
                bearer = "claimant"
            note = note or _BEARER_NOTES.get((burden == "duty", bearer or ""), "no burden_bearer derived for it")
            if silent_duty:
                note = "the case does not state it, so it is unproven; " + note
        return Node(atom=_show(fact), kind="fact", holds=holds, rule=rule, status=status, counted=holds,
                    burden=burden, bearer=bearer, note=note)

    def _derived_fact(self, raw: Compound) -> bool:
        """A case fact the case does not state but a rule derives from facts it does (e.g.
        ``damage/2`` from a dated loss, prologue/timeline.lp): explained by its derivation, not
        as an unstated fact. An unstated duty fact stays a fact (its burden decides it)."""
        fact = raw[1][0]
        return (fact not in self.status and bool(self.fired.get(raw))
                and self.burdens.get(_sig(fact)[0]) != "duty")

    def _is_fact_atom(self, raw: Raw) -> TypeGuard[Compound]:
        return isinstance(raw, tuple) and (raw[0], len(raw[1])) == TRUE and _sig(raw[1][0])[0] in self.burdens

    # --------------------------------------------------------------- why
    def why(self, raw: Raw, path: frozenset[Raw] = frozenset(), seen: set[Raw] | None = None,
            keep: Callable[[Raw], bool] | None = None) -> Node:
        """The derivation of an atom that holds. ``keep`` (a predicate on atoms) prunes
        children to those it accepts (used by contrast)."""
        seen = set() if seen is None else seen
        if self._is_fact_atom(raw) and not self._derived_fact(raw):
            inst = self.fired.get(raw, [])
            return self.fact_node(raw[1][0], True, self.meta.infos[inst[0][0]] if inst else None)
        if isinstance(raw, tuple) and (raw[0], len(raw[1])) == ADOPT:
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
        if isinstance(raw, tuple) and (raw[0], len(raw[1])) == ADOPT:
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
