"""Synthetic corpora: valid, varied cases over whatever input vocabulary the encodings declare.

Size (over ~500 lines, #15): one concept, the synthetic corpus, whose parts share the world
the vocabulary gives (``_World``: its entities, facts and targets): random cases, cases
directed at targets, cases directed at one provision or view, and the coverage check that
reads them.

Nothing here names a predicate of today's rule base. The generator reads the
vocabulary (``input/4``, ``arg/4``, ``burden/2``, value sets) and the numbers of
the law (``param/3``) and builds small worlds:

- every *entity role* of the vocabulary (the role of an ``entity`` argument, e.g.
  ``merchant``, ``goods``) gets a pool of one or two entities (``merchant1``,
  ``merchant2``); a *typing predicate* (an entity argument followed by a value-set
  argument whose values name roles, such as ``party(X, R)``) types each entity of
  those roles, and its entity argument draws from all typed entities;
- each case is about a random subset of the roles; every other predicate whose roles
  all belong to it is stated (unless the case leaves the predicate out: a fact that
  stops a chain of elements, an exemption or a defect, is as often absent as stated)
  for combinations of entities of the right roles with a per-case density (in half
  the cases one to one: an order goes to one provider), with at most one non-entity
  value (number, date, amount, value-set member) per combination of entities, never
  both of a pair the vocabulary declares contradictory (``excludes/2``) and never a
  number past the bound another fact of the same entities sets (``at_most/4``), so a
  case does not contradict itself; an entity argument of a role that names an entity
  known in another role (``refers_to/2``: the target of measures, the addressee of an
  order) is drawn mostly from the entities stated with the fact's others;
- a quarter of the random cases are *complete worlds* (every role, every predicate,
  everything the claimant states proven), three in ten *full worlds* (every role,
  density 0.9-1);
- numbers and amounts come from the params of the rule base (each value, one below and
  one above, so every threshold is crossed both ways) and from a few ordinary values;
  a case's dates fall on or after one anchor date (most often a date after every date
  of the law, else one around a date of the law), at offsets that put two of them in
  either order and around the periods of the law; a value-set argument draws from the
  case's own one or two members of the set (two facts about the area of an order and
  of a duty often name the same area);
- a fact's status is drawn per fact (established / refuted / unknown), with
  refuted duties (burden class ``duty``) as often as performed ones;
- every other case is *directed*: a complete world whose facts' statuses (or their
  absence) clingo chooses so that the case reaches up to eight targets, each a
  provision an outcome or a displacement cites or a view, tried from an evenly spread
  point of the list of all targets (the first ``n`` directed cases start from ``n``
  points spread over it, whatever ``n``); such a case is consistent by construction,
  and a chain of elements too long to form by chance forms there. The search has a
  bound in conflicts, not in time, so that it does not depend on the machine.

Case ``i`` of seed ``s`` depends only on ``(s, i)``: the corpus is deterministic
and its first ``n`` cases do not change when more are asked for.
:func:`coverage` checks that a corpus reaches every provision the encodings can
derive from its atoms and adopts every view.

>>> from pyreasoner import Reasoner
>>> docs = list(generate_cases(Reasoner().rulebase, n=2, seed=7))
>>> [d["id"] for d in docs]
['gen7-000000', 'gen7-000001']
>>> docs == list(generate_cases(Reasoner().rulebase, n=2, seed=7))
True
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import random
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, TypedDict, cast

from . import _engine, terms
from .contract import ALLOW_REJECTED, DISPLACED, ESTABLISHED, FACT_PRED, OUTCOME, UNKNOWN
from .errors import UsageError
from .rulebase import AtMost, RuleBase
from .vocabulary import THING_ROLES, Argument, Predicate, Vocabulary, is_date, shift_date

if TYPE_CHECKING:
    from .reasoner import Reasoner

__all__ = ["Coverage", "coverage", "generate_cases", "write_corpus"]

_ORDINARY_INTS = (0, 1, 2, 3, 5, 10, 30, 50, 70, 100)
_ORDINARY_YUAN = (0, 100, 1000, 10000, 50000, 500000, 2000000)
_ORDINARY_COUNTS = (3_000_000_000, 10 ** 12)  # beyond clingo's 32-bit integers
_MAX_COMBOS = 3

#: The value of an argument of a generated fact: an entity or a value-set member (a
#: constant), an integer (number, amount, date YYYYMMDD) or a string.
Value: TypeAlias = str | int | _engine.Text


class CaseDoc(TypedDict):
    """A generated case document (the case-file format): its facts' texts by status."""

    id: str
    title: str
    source: str
    facts: dict[str, list[str]]


class _World:
    """What the vocabulary says about entity roles, typing predicates and values."""

    def __init__(self, rulebase: RuleBase) -> None:
        vocab: Vocabulary = rulebase.vocabulary
        self.vocab = vocab
        roles = sorted({a.role for p in vocab.values() for a in p.arguments if a.type == "entity"})
        # typing predicates: (entity, set(S)) where members of S name entity roles
        self.typing: dict[str, tuple[str, tuple[str, ...]]] = {}
        for p in vocab.values():
            if p.arity == 2 and p.arguments[0].type == "entity" and p.arguments[1].type == "set":
                typed = p.arguments[1].values
                if set(typed) & set(roles):  # the set names roles: every member gets entities
                    self.typing[p.name] = (p.arguments[0].role, typed)
        self.generic_roles = {role for role, _ in self.typing.values()}
        self.typed_roles = sorted({r for _, ts in self.typing.values() for r in ts})
        self.concrete_roles = sorted((set(roles) | set(self.typed_roles)) - self.generic_roles)
        params = [v for v, _ in rulebase.params.values() if isinstance(v, int)]
        dates = sorted({v for v in params if is_date(v)})
        numbers = sorted({v for v in params if not is_date(v)})
        self.dates = sorted({shift_date(d, k) for d in dates for k in (-1, 0, 1)}
                            | {20120601, 20150101, 20180101, 20200601, 20230301})
        #: dates after every date of the law: a case set there has all of it in force
        self.recent = [d for d in self.dates if not dates or d > dates[-1]] or self.dates[-1:]
        near = {x for v in numbers for x in (v - 1, v, v + 1) if x >= 0}
        self.integers = sorted(near | set(_ORDINARY_INTS))
        self.yuan = sorted(near | set(_ORDINARY_YUAN))
        self.counts = sorted(near | set(_ORDINARY_INTS) | set(_ORDINARY_COUNTS))
        self.predicates = [p for p in vocab.values() if p.name not in self.typing]
        self.excludes: dict[str, set[str]] = {}
        for one, other in rulebase.excludes:
            self.excludes.setdefault(one, set()).add(other)
            self.excludes.setdefault(other, set()).add(one)
        #: role -> the roles whose entities it names (refers_to/2)
        self.refers: dict[str, list[str]] = {}
        for r, other in rulebase.refers_to:
            self.refers.setdefault(r, []).append(other)
        self.program = rulebase.program
        #: value set -> the members the rules test by name (``true(p(X, online_shopping))``)
        self.salient = _salient(rulebase.program, vocab)
        #: what a directed case may be made to reach: per target, the rule bodies that derive it
        self.targets: list[list[str]] = []
        for pid in rulebase.provisions:
            self.targets.append([f"outcome(_, _, _, {pid})", f"outcome(_, _, _, ({pid}, _))",
                                 f"outcome(_, _, _, (_, {pid}))", f"outcome(_, _, _, ({pid}, _, _))",
                                 f"outcome(_, _, _, (_, {pid}, _))", f"outcome(_, _, _, (_, _, {pid}))",
                                 f"displaced({pid}, _, _)", f"displaced(_, {pid}, _)"])
        for issue in rulebase.issues.values():
            for v in issue.views:
                if not v.off_by_default:
                    self.targets.append([f"adopt({issue.id}, {v.id})"])
        # the predicates with a referring role come last: they name entities the others state
        self.predicates.sort(key=lambda p: any(a.type == "entity" and a.role in self.refers for a in p.arguments))
        #: predicate -> the numeric bounds (at_most/4) it takes part in
        self.bounds: dict[str, list[AtMost]] = {}
        for b in rulebase.at_most:
            self.bounds.setdefault(b.lower, []).append(b)
            if b.upper != b.lower:
                self.bounds.setdefault(b.upper, []).append(b)

    def pool(self, role: str, pools: dict[str, list[str]], merged: dict[str, list[str]] | None = None) -> list[str]:
        if role in self.refers:  # an entity known in another role (the item that measures target)
            return [e for other in self.refers[role] for e in self.pool(other, pools, merged)]
        typed = [e for r in self.typed_roles for e in pools.get(r, ())]
        if role in self.generic_roles:
            return typed
        if merged and role in merged:  # this case lets a typed party act in an untyped role (a platform as provider)
            return pools.get(role, []) + merged[role]
        return pools.get(role, [])


#: Days after a case's anchor date that its dates fall on: the order of two dates of a
#: case, and the days between them, go both ways around the periods of the law.
_DATE_OFFSETS = (0, 0, 1, 2, 3, 5, 7, 10, 14, 15, 16, 20, 30, 60, 90, 180, 400, 800)


def _value(arg: Argument, world: _World, rng: random.Random, role_index: int, anchor: int,
           palette: dict[str, tuple[str, ...]], complete: bool = False) -> Value:
    if arg.type == "set":
        # the case's own few members of the set (drawn at its first use): two facts naming a
        # member of the same set (an area of a duty and of an order) often name the same one
        value_set = cast(str, arg.value_set)  # a set(S) argument names its set
        if value_set not in palette:
            x = rng.random()
            k = 2 if complete else 1 if x < 0.5 else (2 if x < 0.85 else len(arg.values))
            members = rng.sample(arg.values, min(k, len(arg.values)))
            named = world.salient.get(value_set, ())
            if complete and named and not set(named) & set(members):
                # a complete world (a directed case's) holds one member a rule tests by name, so
                # that what the rule needs (an online-shopping provider, a written order) is there
                members[0] = rng.choice(named)
            palette[value_set] = tuple(members)
        return rng.choice(palette[value_set])
    if arg.type == "integer":
        return rng.choice(world.integers)
    if arg.type == "yuan":
        return rng.choice(world.yuan)
    if arg.type in ("count", "amount"):  # may exceed clingo's 32-bit integers (split form)
        return rng.choice(world.counts)
    if arg.type == "date":
        return shift_date(anchor, rng.choice(_DATE_OFFSETS))
    if arg.type == "string":
        return _engine.Text(f"{arg.role} {role_index}")
    raise ValueError(arg.type)  # pragma: no cover - entity handled by the caller


def _salient(program: _engine.Program, vocab: Vocabulary) -> dict[str, tuple[str, ...]]:
    """Per value set, its members that a rule reads by name from an input fact
    (``true(provides_service(X, online_shopping))``), in the order of the set: read from the
    statements' ASTs (:func:`pyreasoner._engine.describe_statements`, as lint reads them)."""
    named: dict[str, set[str]] = {}
    for info in _engine.describe_statements(program.statements):
        for name, parts in info.read_terms:
            pred = vocab.get(name)
            if pred is None or len(parts) != len(pred.arguments):
                continue
            for part, arg in zip(parts, pred.arguments, strict=True):
                if arg.type == "set" and part in arg.values:
                    named.setdefault(cast(str, arg.value_set), set()).add(part)
    sets = {a.value_set: a.values for p in vocab.values() for a in p.arguments if a.type == "set"}
    return {k: tuple(m for m in sets[k] if m in v) for k, v in named.items() if k in sets}


#: Per burden class: how likely a fact is stated at all (times the case's density), and
#: the odds of established / refuted (the rest is unknown). What the claimant must prove
#: is mostly there, so that chains of elements form; defences and duties vary.
_PROFILE = {"claimant": (1.0, 0.88, 0.06), "defendant": (0.45, 0.5, 0.3), "duty": (0.9, 0.35, 0.45)}


def _status(pred: Predicate, rng: random.Random, sure: float) -> str:
    _, est, ref = _PROFILE.get(pred.burden, (1.0, 0.75, 0.15))
    if pred.burden == "claimant":  # how well this case's claimant proves what it states
        est, ref = sure, (1.0 - sure) / 2
    x = rng.random()
    return "established" if x < est else ("refuted" if x < est + ref else "unknown")


def generate_case(world: _World, seed: int, index: int) -> CaseDoc:
    """One case document (the ``i``-th of seed ``s``): every other case is *directed*."""
    if index % 2 == 1 and world.targets:
        candidates = _random_case(world, seed, index, complete=True)
        directed = _directed_case(world, candidates, index // 2)
        if directed is not None:
            return directed
    return _random_case(world, seed, index)


def _random_case(world: _World, seed: int, index: int, *, complete: bool = False) -> CaseDoc:
    """A random case over the vocabulary (a complete world when ``complete``)."""
    rng = random.Random(f"pyreasoner-generate:{seed}:{index}")
    pools = {r: [f"{r}{k}" for k in range(1, (2 if rng.random() < 0.3 else 1) + 1)] for r in world.concrete_roles}
    facts: dict[str, list[str]] = {"established": [], "refuted": [], "unknown": []}
    seen: set[str] = set()

    established: set[tuple[str, tuple[Value, ...]]] = set()
    # (predicate, its entities) -> the args stated
    stated: dict[tuple[str, tuple[Value, ...]], list[tuple[Value, ...]]] = {}

    def entities(name: str, args: tuple[Value, ...]) -> tuple[Value, ...]:
        # strict: args has one value per argument of the predicate (bounded() keeps the length)
        return tuple(x for a, x in zip(world.vocab[name].arguments, args, strict=True) if a.type == "entity")

    def bounded(name: str, args: tuple[Value, ...]) -> tuple[Value, ...]:
        """``args`` with the value a declared bound (at_most/4) moves: a fact never exceeds
        the bound another stated fact of the same entities sets, nor falls below what one
        it bounds holds (whatever their statuses, so that no completion is inconsistent).
        The arguments a bound relates are integers (numbers, amounts, dates: RuleBase checks at_most/4)."""
        for b in world.bounds.get(name, ()):
            if name == b.lower and all(args[k - 1] == v for k, v in b.when):
                caps = [cast(int, o[b.upper_pos - 1]) for o in stated.get((b.upper, entities(name, args)), ())]
                if caps and cast(int, args[b.lower_pos - 1]) > min(caps):
                    args = args[:b.lower_pos - 1] + (min(caps),) + args[b.lower_pos:]
            if name == b.upper:
                floors = [cast(int, o[b.lower_pos - 1]) for o in stated.get((b.lower, entities(name, args)), ())
                          if all(o[k - 1] == v for k, v in b.when)]
                if floors and cast(int, args[b.upper_pos - 1]) < max(floors):
                    args = args[:b.upper_pos - 1] + (max(floors),) + args[b.upper_pos:]
        return args

    together: dict[str, set[str]] = {}  # entity -> the entities stated in a fact with it

    def add(name: str, args: tuple[Value, ...], status: str) -> None:
        ents = [cast(str, x) for a, x in zip(world.vocab[name].arguments, args, strict=True)  # as in entities()
                if a.type == "entity"]  # an entity is a constant
        for e in ents:
            together.setdefault(e, set()).update(ents)
        if name in world.bounds:
            args = bounded(name, args)
            stated.setdefault((name, entities(name, args)), []).append(args)
        text = terms.show((name, args) if args else name)
        if text not in seen:
            seen.add(text)
            # never both of a pair the encodings declare contradictory (excludes/2)
            if status == "established" and any((other, args) in established for other in world.excludes.get(name, ())):
                status = "refuted"
            if status == "established":
                established.add((name, args))
            facts[status].append(text)

    for name, (_, typed) in sorted(world.typing.items()):
        for role in typed:
            for e in pools.get(role, ()):
                x = rng.random()
                if x < 0.95:
                    add(name, (e, role), "established" if x < 0.92 else "unknown")
    # density: the share of the combinations of entities a predicate is stated for; breadth:
    # the share of roles the case is about; keep: the chance a predicate is stated at all (so
    # that a fact that stops a chain of elements, an exemption or a defect, is as often absent
    # as stated); sure: how often what the claimant states is proven
    x = 0.0 if complete else rng.random()
    if x < 0.25:  # a complete world: every role, every predicate, all the claimant states proven
        density, breadth, keep, sure = 1.0, 1.0, 1.0, 1.0
    elif x < 0.55:  # a full world: every role, nearly every fact (chains of elements form)
        density, breadth = rng.uniform(0.9, 1.0), 1.0
        keep, sure = rng.uniform(0.5, 1.0), rng.uniform(0.75, 1.0)
    else:
        density, breadth = rng.uniform(0.6, 0.95), rng.uniform(0.3, 1.0)
        keep, sure = rng.uniform(0.5, 1.0), rng.uniform(0.75, 1.0)
    # the roles this case is about: a predicate is stated only when all its roles are, so
    # that a case about orders and providers states the whole chain of an order
    on = {r for r in world.concrete_roles if rng.random() < breadth}
    # a merged role takes one typed party of the case besides its own entities (a platform as
    # the provider): one, so that the facts about an entity of the role, each stated for a few
    # of its entities, still meet on the same one (never a thing's role: a party is no goods
    # and no order, see Vocabulary.entity_conflict)
    parties = sorted(e for r in world.typed_roles for e in pools.get(r, ()))
    # (a complete world merges every such role, with two parties)
    merged = {r: rng.sample(parties, min(2 if complete else 1, len(parties))) for r in world.concrete_roles
              if r not in world.typed_roles and (rng.random() < 0.5 or complete) and r not in THING_ROLES and parties}
    # the case's timeline: its dates fall on or after one anchor date, most often a date after
    # every date of the law (all of it in force), else one of the dates around the law's own
    anchor = rng.choice(world.recent) if rng.random() < 0.6 else rng.choice(world.dates)
    palette: dict[str, tuple[str, ...]] = {}
    # in half the cases a predicate of several entities pairs each entity with one other only
    one_to_one = rng.random() < 0.5
    for pred in world.predicates:
        roles = {a.role for a in pred.arguments if a.type == "entity"} - world.generic_roles
        if (roles and not roles <= on) or (not roles and rng.random() >= breadth):
            continue
        if rng.random() >= keep:
            continue
        # an entity of a referring role (refers_to/2) is, like a value, one per combination
        # of the other entities: an order has one addressee, which may be its provider
        entity_pos = [i for i, a in enumerate(pred.arguments) if a.type == "entity" and a.role not in world.refers]
        refs = {i: world.pool(a.role, pools, merged) for i, a in enumerate(pred.arguments)
                if a.type == "entity" and a.role in world.refers}
        choices = [world.pool(pred.arguments[i].role, pools, merged) for i in entity_pos]
        if any(not c for c in choices) or any(not c for c in refs.values()):
            continue
        combos = list(itertools.product(*choices))
        if one_to_one and len(entity_pos) > 1:  # each entity in one combination (an order to one provider)
            picked: list[tuple[str, ...]] = []
            for combo in rng.sample(combos, len(combos)):
                if len(picked) < _MAX_COMBOS and all(all(x != y for x, y in zip(combo, o, strict=True)) for o in picked):
                    picked.append(combo)
            combos = picked
        elif len(combos) > _MAX_COMBOS:
            combos = rng.sample(combos, _MAX_COMBOS)
        for combo in combos:
            if rng.random() >= density * _PROFILE.get(pred.burden, (1.0,))[0]:
                continue
            # a complete world (the facts a directed case chooses among) states two draws of
            # the values (dates, amounts, members of its two-member palettes): not every member,
            # which multiplies what the rules ground (every penalty of every offence)
            for _ in range(2 if complete else 1):
                it = iter(combo)
                # a referring entity is mostly one stated with the fact's other entities (the
                # provider an order went to, the item a platform hosts)
                near = set().union(*(together.get(e, set()) for e in combo)) if combo else set()
                refs_now = {i: ([e for e in c if e in near] if rng.random() < 0.8 else []) or c for i, c in refs.items()}
                args = tuple(rng.choice(refs_now[i]) if i in refs else next(it) if a.type == "entity"
                             else _value(a, world, rng, 1, anchor, palette, complete)
                             for i, a in enumerate(pred.arguments))
                add(pred.name, args, _status(pred, rng, sure))
    return {
        "id": f"gen{seed}-{index:06d}",
        "title": f"generated case {index} of seed {seed}",
        "source": f"pyreasoner generate --seed {seed}",
        "facts": {k: v for k, v in facts.items() if v},
    }


#: The most targets one directed case is made to reach, and the most it tries.
_TARGETS_PER_CASE = 8
_TARGET_TRIES = 48
#: Conflicts clingo may spend on one attempt (a bound that does not depend on the machine).
_SOLVE_LIMIT = "20000"


def _spread(j: int) -> float:
    """The ``j``-th point of the van der Corput sequence in [0, 1): the first ``n`` points
    are spread evenly, whatever ``n``."""
    x, f = 0.0, 0.5
    while j:
        x, j, f = x + f * (j & 1), j >> 1, f / 2
    return x


def targeted_case(rulebase: RuleBase, provision: str, *, seed: int = 0, tries: int = 40) -> CaseDoc | None:
    """A directed case made to reach ``provision``: the first of the directed worlds of
    ``seed`` (complete worlds, as :func:`generate_case` builds them) whose facts can be given
    statuses under which the encodings cite it (that target alone); ``None`` when none of
    the first ``tries`` worlds can. For a provision that a corpus reaches but does not fire:
    whether the rules can fire it at all, whatever the corpus's order of targets
    (tests/test_generate.py)."""
    return _targeted(_World(rulebase), f"outcome(_, _, _, {provision})", f"{provision!r} is not a provision of the "
                     "rule base", seed, tries)


def targeted_view_case(rulebase: RuleBase, issue: str, view: str, *, seed: int = 0, tries: int = 40) -> CaseDoc | None:
    """:func:`targeted_case` for a view: a directed case whose answers adopt ``view`` of
    ``issue`` (the generator's target ``adopt(issue, view)``), for a view a corpus misses
    only because of its seed's order of targets (a new input predicate shifts it)."""
    return _targeted(_World(rulebase), f"adopt({issue}, {view})", f"{issue}/{view} is not a view of the rule base",
                     seed, tries)


def _targeted(world: _World, target: str, unknown: str, seed: int, tries: int) -> CaseDoc | None:
    first = next((k for k, t in enumerate(world.targets) if t[0] == target), None)
    if first is None:
        raise ValueError(unknown)
    for i in range(1, 2 * tries, 2):
        doc = _directed_case(world, _random_case(world, seed, i, complete=True), i // 2, first=first)
        if doc is not None:
            return doc
    return None


def _directed_case(world: _World, doc: CaseDoc, j: int, *, first: int | None = None) -> CaseDoc | None:
    """The ``j``-th directed case: a complete world whose facts' statuses (established,
    refuted, unknown or not stated) clingo chooses so that the case reaches a few targets
    (a provision cited by an outcome or a displacement, or an adopted view), tried from
    the ``j``-th point of an even spread over all of them; ``None`` when none is reachable."""
    from .case import case_from_data

    case = case_from_data(doc, world.vocab, file=doc["id"])
    texts = [t for status in ("established", "refuted", "unknown") for t in doc["facts"].get(status, ())]
    if len(texts) != len(case.facts):  # pragma: no cover - the loader keeps one fact per text
        return None
    if first is not None:  # that target alone (targeted_case): a world that cannot reach it is given up at once
        order = [first]
    else:
        start = int(_spread(j) * len(world.targets))
        # from there in steps of about 0.38 of the list (coprime with its length): a case tries
        # targets from all over the list, not a block of neighbours (the views of one issue)
        n = len(world.targets)
        step = next(d for d in range(max(1, round(n * 0.381966)), 2 * n + 2) if math.gcd(d, n) == 1)
        order = [(start + k * step) % n for k in range(n)]
    kept, chosen = _engine.choose_statuses(
        world.program, [(FACT_PRED.name, (f.term, f.predicate)) for f in case.facts], [f.term for f in case.facts],
        world.targets, order, tries=_TARGET_TRIES, keep=_TARGETS_PER_CASE, solve_limit=_SOLVE_LIMIT)
    if not kept or (first is not None and first not in kept):
        return None
    symbols = [str(_engine.symbol_of(f.term)) for f in case.facts]
    facts: dict[str, list[str]] = {"established": [], "refuted": [], "unknown": []}
    for t, sym in zip(texts, symbols, strict=True):  # one text per fact, checked above
        if sym in chosen:
            facts[chosen[sym]].append(t)
    return {**doc, "facts": {k: v for k, v in facts.items() if v}}


def generate_cases(rulebase: RuleBase, *, n: int, seed: int = 0, start: int = 0) -> Iterator[CaseDoc]:
    """Yield ``n`` case documents (dicts in the case-file format), deterministic for ``seed``."""
    world = _World(rulebase)
    for i in range(start, start + n):
        yield generate_case(world, seed, i)


def write_corpus(rulebase: RuleBase, out: str | Path | None, *, n: int, seed: int = 0) -> int:
    """Write ``n`` cases: a ``.jsonl`` file (or stdout when ``out`` is None or ``-``),
    or a folder with one YAML file per case. Returns the number written."""
    docs = generate_cases(rulebase, n=n, seed=seed)
    if out is None or str(out) == "-":
        for doc in docs:
            sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        return n
    out = Path(out)
    try:  # a missing folder, a folder where a file is wanted, a full disk: one line, no traceback
        if out.suffix in (".jsonl", ".ndjson"):
            with out.open("w", encoding="utf-8") as fh:
                for doc in docs:
                    fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
            return n
        import yaml

        out.mkdir(parents=True, exist_ok=True)
        for doc in docs:
            (out / f"{doc['id']}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
                                                  encoding="utf-8")
    except OSError as exc:
        raise UsageError("--out", str(out), f"cannot write: {exc.strerror or exc}") from None
    return n


# ------------------------------------------------------------------ coverage
@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Coverage:
    """Which provisions and views a corpus reaches.

    ``reachable`` are the provisions that occur in an outcome basis or a
    displacement the encodings can ground from some case's facts, each left open
    (true or not); ``fired`` those that occur in an actual answer; ``views`` the adopted
    (issue, view) pairs and ``all_views`` those the encodings declare (rejected ones
    only when ``include_rejected``, or when the law in force). ``stands_for`` maps an
    article of an earlier law to the one it is cited for (``analogue/2``: a Tort Law
    article cited, for facts before 2021, where the Civil Code's is cited today).
    """

    reachable: frozenset[str]
    fired: frozenset[str]
    views: frozenset[tuple[str, str]]
    all_views: frozenset[tuple[str, str]]
    stands_for: tuple[tuple[str, str], ...] = ()

    @property
    def missed_provisions(self) -> tuple[str, ...]:
        """Reachable provisions no answer cites. An earlier article that stands for a later one
        that fires is not missed: their rules are the same but for the article cited and the
        period they apply in, which tests/test_civil_tl.py checks article by article."""
        covered = {old for old, new in self.stands_for if new in self.fired}
        return tuple(sorted(self.reachable - self.fired - covered))

    @property
    def missed_views(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.all_views - self.views))


def _basis_ids(basis: _engine.Raw) -> list[str]:
    if isinstance(basis, tuple) and basis[0] == "":
        return [str(b) for b in basis[1]]
    return [str(basis)]


def coverage(reasoner: Reasoner, docs: Iterable[CaseDoc], *, include_rejected: bool = False) -> Coverage:
    """Solve the documents and report which provisions and views they reach."""
    from .case import case_from_data

    fired: set[str] = set()
    views: set[tuple[str, str]] = set()
    reachable: set[str] = set()
    program = reasoner.rulebase.program
    # an absorbed offence outside the model is shown displaced too (its constant, not a provision)
    provisions = set(reasoner.rulebase.provisions)
    for doc in docs:
        case = case_from_data(doc, reasoner.vocabulary, file=doc.get("id", "<generated>"))
        result = reasoner.solve(case, include_rejected=include_rejected)
        for a in result.answers:
            views.update(a.views)
            for o in a.outcomes:
                fired.update(o.basis)
            for q, p in a.displaced:
                fired.update({q, p} & provisions)
        # what the rules could derive were each of this case's facts either way
        free = [(s, (f.term,)) for f in case.facts for s in (ESTABLISHED.name, UNKNOWN.name)]
        facts = [(FACT_PRED.name, (f.term, f.predicate)) for f in case.facts] + [ALLOW_REJECTED.name]
        grounded = _engine.ground_atoms(program, free, facts, [OUTCOME, DISPLACED])
        reachable |= {b for row in grounded[OUTCOME] for b in _basis_ids(row[3])}
        reachable |= {str(p) for row in grounded[DISPLACED] for p in row[:2]} & provisions
    all_views = {(i.id, v.id) for i in reasoner.issues.values() for v in i.views
                 if include_rejected or not v.off_by_default}
    return Coverage(reachable=frozenset(reachable), fired=frozenset(fired), views=frozenset(views),
                    all_views=frozenset(all_views), stands_for=reasoner.rulebase.analogues)
