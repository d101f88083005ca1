"""Verify invariants of the rule base over a bounded space of cases.

Size (over ~500 lines, #15): one job, bounded verification: the universe, the
counterfactual bridge, the search and the reduction of a counterexample, each used only by
the next; the command line is in ``pyreasoner/cli/verify.py``.

An invariant is an ASP file in ``encodings/invariants/`` (files starting with
``_`` are shared helpers). It declares itself and the reason it must hold, and
derives ``violation(I)`` in an answer set that breaks it::

    %% [inv_no_38_2_without_damage] No ECL 38(2) liability without damage
    invariant(no_38_2_without_damage, "title", "reason, citing the paper / the statute").
    requires(no_38_2_without_damage, ecl_38_2).          % provision that must be declared
    requires_input(no_38_2_without_damage, damage).      % input predicate that must be declared
    requires_param(no_38_2_without_damage, ecl_in_force). % parameter that must be declared
    counterfactual(I, took_necessary_measures).          % optional: see below
    domain(I, civil).          % optional: inputs of vocabulary/core.lp and civil.lp only
    violation(no_38_2_without_damage) :- ... .

An invariant whose requirement is missing is reported as *skipped* (``skipped:
provision X not in the rule base``), never as failed, so invariants can be
written before the part of the rule base they speak about lands.

The bounded universe is generated from the vocabulary (``input/4``, ``arg/4``,
value sets) as choice rules: a few parties per role (default 1 platform, 2
merchants, 1 consumer, 1 of every other role), one constant per other entity
role, every member of a value set, and integers and dates bracketed around every
``param/3`` value (value-1, value, value+1; the day before, of and after a date)
and around the numbers the rule bodies compare with. Every input atom may be
established or absent; a fact of burden class ``duty`` may also be refuted (an
absent duty fact is unproven, like an unknown one: the burden of proof decides it,
see prologue/facts.lp), and in explore mode unknown.
clingo then searches the whole space for an answer set with ``violation(I)``
(one grounding, one solve per invariant, the invariant as an assumption). A
counterexample is reduced to a subset-minimal set of facts and printed as a
ready-to-run case file.

A ``counterfactual(I, P)`` invariant compares each case with the same case
without the facts of input predicate ``P``: the rule base is copied with every
predicate renamed ``cf_…`` and fed the case minus those facts, so that
``violation(I)`` can compare ``outcome/4`` with ``cf_outcome/4`` in one answer set.

>>> from pyreasoner.verify import load_invariants, invariants_dir
>>> len(load_invariants(invariants_dir())) >= 12
True
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from . import _engine, terms
from .case import Case, load_case
from .contract import (
    ADOPT,
    ALLOW_REJECTED,
    COUNTERFACTUAL,
    DOMAIN,
    ESTABLISHED,
    EXPLORE,
    INVARIANT,
    OUTCOME,
    REFUTED,
    REQUIRES,
    REQUIRES_INPUT,
    REQUIRES_PARAM,
    STATUSES,
    UNKNOWN,
    VIOLATION,
)
from .errors import EncodingError, UsageError
from .lint import Encodings, display_path
from .query import Query, canonical, excluded
from .rulebase import RuleBase, default_master
from .terms import Raw
from .vocabulary import THING_ROLES, count_term, is_date, shift_date

__all__ = ["DEFAULT_BOUNDS", "DEFAULT_LEFT_OUT", "DEFAULT_NUMBERS", "DEFAULT_TIMEOUT", "Counterexample", "Invariant", "InvariantResult", "Universe", "bound_text", "domain_inputs", "invariants_dir",
           "load_invariants", "replay", "universe", "verify"]

#: Parties per role in the bounded universe (other roles: 1).
DEFAULT_BOUNDS: Mapping[str, int] = {"merchant": 2}

#: The default integer pool. Bracketing every parameter (``numbers=None``,
#: ``--numbers params``) is available but can make grounding explode on rules that
#: sum counts with an assignment aggregate (``U = #sum {…}``): the grounder
#: enumerates every reachable sum. Dates are always bracketed around date parameters.
DEFAULT_NUMBERS: tuple[int, ...] = (0, 1, 2)

#: Entity roles whose arguments take only their own constants (``offence1``, …), never a
#: party's name. An offence (``other_offence/2``) names a crime outside the model; the rules
#: read its constant only where they read a provision's id (``crime_of/3``, ``penalty_kind/3``,
#: the severity comparison of crl_286_1.lp), never joined with a party, so a party's name
#: there adds no case. It does add ground size: the severity of every stated offence is
#: compared with every other (crl_286_1.lp, ``severity_exceeded/2``), and with the parties as
#: offences the criminal universe did not ground (more than 5 GB).
OWN_CONSTANT_ROLES: frozenset[str] = frozenset({"offence"})

#: The role of an item (a work, a listing, or goods: ``loss/4``'s "an item or goods") and of
#: goods: an item slot takes the goods' constants too, so that a consumer's loss from goods
#: (CC 1179 amounts, ``damage/2`` from a loss, the dating of an ECL 38 matter) is in the universe.
ITEM_ROLE, GOODS_ROLE = "item", "goods"

#: Input predicates the default universe leaves out (a bound, printed by ``verify``;
#: ``verify --all-inputs`` / ``verify(left_out=())`` puts them back). Another offence the
#: same conduct constitutes (crl_286_1.lp, Art. 286-1(3)) is compared with the modelled
#: crimes by the severity of its stated penalty: every subset of penalty kinds with every
#: term and fine class is a possible severity (about 13,000 for one offence), and the
#: grounder compares every pair of them (``severity_exceeded/2``): the universe with them did not
#: ground within 120 s and 5 GB. The four attribute predicates are read only together with
#: ``other_offence/2`` (crl_286_1.lp), so they are left out with it. Cases with another
#: offence are covered by the corpus and the tests of crl_286_1, not by verify.
DEFAULT_LEFT_OUT: tuple[str, ...] = ("other_offence", "other_offence_article", "other_offence_fine",
                                     "other_offence_penalty", "other_offence_term")

#: Seconds per solve while a counterexample is reduced (a slower removal keeps the fact).
SHRINK_TIMEOUT = 5.0

#: The solver's budget per invariant, in CPU seconds of this process (``verify --timeout``).
#: The slowest invariant (measures_never_increase_liability, with its second world copied
#: at the ground level) needs about 92 s of CPU at the default bound (2026-12-06; the whole
#: copy of the rule base did not finish in 420 s); on a machine shared with other work its
#: wall time was 1.5 times that or more, which is why the budget is CPU time, not wall time.
DEFAULT_TIMEOUT = 120.0

#: The modifier of the universe's ``#heuristic`` lines, read only while a counterexample
#: is reduced (the Domain heuristic): ``false`` decides every candidate fact first, absent.
#: Measured on supplementary_merchant_first (small bound): the first counterexample states
#: 4 facts in 0.3 s instead of 3,883; as the heuristic of the first search it made
#: four invariants that hold time out (no_joint_without_provision: 0.6 s -> over 60 s),
#: and a mere sign preference (``-1, sign``) left the counterexample large, so the
#: first search keeps clingo's default heuristic.
HEURISTIC = "1, false"

#: an answer set's atoms; a solver assumption (atom, truth)
Model = tuple[Raw, ...]
Assumption = tuple[Raw, bool]

_CASE_SIGS = (ESTABLISHED, UNKNOWN, REFUTED)
_STATUS_NAMES = frozenset(p.name for p in _CASE_SIGS)
#: what an invariant file may state of its invariant, besides invariant/3
_INVARIANT_FACTS = (REQUIRES, REQUIRES_INPUT, REQUIRES_PARAM, COUNTERFACTUAL, DOMAIN)
_SHOWN_SIGS = (OUTCOME, ADOPT)


# ------------------------------------------------------------------ invariants
@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Invariant:
    """An invariant declared in an ``invariants/*.lp`` file."""

    id: str
    title: str
    reason: str
    file: str
    line: int
    requires: tuple[str, ...] = ()
    requires_input: tuple[str, ...] = ()
    requires_param: tuple[str, ...] = ()
    counterfactual: str | None = None
    #: vocabulary domains (files vocabulary/<domain>.lp) the universe is drawn from; empty: all
    domains: tuple[str, ...] = ()


def invariants_dir(master: str | Path | None = None) -> Path:
    """The invariants folder of a rule base (``invariants/`` next to ``main.lp``)."""
    master = default_master() if master is None else Path(master)
    if master.is_dir():
        master = master / "main.lp"
    return master.resolve().parent / "invariants"


def _text(arg: str) -> str:
    value = terms.parse(arg)
    return value.value if isinstance(value, terms.Text) else terms.show(value)


def load_invariants(directory: str | Path) -> tuple[Invariant, ...]:
    """Read the invariant declarations of every non-helper file in ``directory``."""
    directory = Path(directory)
    out: list[Invariant] = []
    files = sorted(p for p in directory.glob("*.lp") if not p.name.startswith("_"))
    stms, errors = _engine.describe_files(files)
    if errors:
        file, line, message = errors[0]
        raise EncodingError(file, f"line {line}" if line else None, f"invariant file does not parse: {message}")
    by_file: dict[str, list[_engine.StatementInfo]] = {}
    for s in stms:
        by_file.setdefault(s.file, []).append(s)
    for f in files:
        rows = by_file.get(str(f.resolve()), by_file.get(str(f), []))
        decl = [s for s in rows if s.kind == "fact" and s.heads == (INVARIANT,)]
        if len(decl) != 1:
            raise EncodingError(str(f), None, f"an invariant file declares exactly one invariant(Id, Title, Reason); "
                                f"found {len(decl)}")
        iid, title, reason = decl[0].literals[0].args
        extra: dict[str, list[str]] = {p.name: [] for p in _INVARIANT_FACTS}
        for s in rows:
            if s.kind == "fact" and (s.literals[0].name, s.literals[0].arity) in _INVARIANT_FACTS:
                if s.literals[0].args[0] != iid:
                    raise EncodingError(str(f), f"line {s.line}", f"{s.literals[0].name} names {s.literals[0].args[0]}, "
                                        f"expected the file's invariant {iid}")
                extra[s.literals[0].name].append(s.literals[0].args[1])
        if not any(s.kind in ("rule", "constraint") and VIOLATION in s.heads for s in rows):
            raise EncodingError(str(f), None, f"invariant {iid} has no rule deriving violation({iid})")
        out.append(Invariant(id=iid, title=_text(title), reason=_text(reason), file=str(f), line=decl[0].line,
                             requires=tuple(extra[REQUIRES.name]), requires_input=tuple(extra[REQUIRES_INPUT.name]),
                             requires_param=tuple(extra[REQUIRES_PARAM.name]),
                             counterfactual=extra[COUNTERFACTUAL.name][0] if extra[COUNTERFACTUAL.name] else None,
                             domains=tuple(sorted(extra[DOMAIN.name]))))
    ids = [i.id for i in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise EncodingError(str(directory), None, f"invariant ids declared twice: {', '.join(dup)}")
    return tuple(out)


def _helpers(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("_*.lp"))


def missing_requirement(inv: Invariant, rb: RuleBase) -> str | None:
    """Why an invariant cannot be checked against this rule base, or None."""
    for p in inv.requires:
        if p not in rb.provisions:
            return f"provision {p} not in the rule base"
    for n in inv.requires_input:
        if n not in rb.vocabulary:
            return f"input predicate {n} not in the vocabulary"
    for n in inv.requires_param:
        if n not in rb.params:
            return f"parameter {n} not in the rule base"
    if inv.counterfactual and inv.counterfactual not in rb.vocabulary:
        return f"input predicate {inv.counterfactual} not in the vocabulary"
    return None


# -------------------------------------------------------------------- universe
@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Universe:
    """The bounded space of cases, as program text of choice rules."""

    text: str
    parties: tuple[tuple[str, str], ...]
    things: tuple[str, ...]
    numbers: tuple[int, ...]
    dates: tuple[int, ...]
    candidates: int


def universe(rb: RuleBase, *, bounds: Mapping[str, int] | None = None, body_numbers: Iterable[int] = (),
             numbers: Sequence[int] | None = None, inputs: Iterable[str] | None = None) -> Universe:
    """Generate the bounded universe from the vocabulary and the parameters.

    Parameters
    ----------
    bounds:
        Parties per role (``{"merchant": 2}``); roles not named get 1; the pseudo-role
        ``things`` sets the constants per non-party entity role (default 1).
    body_numbers:
        Integer literals of rule bodies (bracketed like parameters).
    numbers:
        Replace the integer pool (not the dates) by these values, e.g. ``[0, 1, 2]`` in tests.
    inputs:
        Only these input predicates (default: every one).
    """
    keep = None if inputs is None else set(inputs)
    bounds = dict(DEFAULT_BOUNDS if bounds is None else bounds)
    roles = list(rb.vocabulary.value_sets.get("role", ("", "", ()))[2])
    parties = [(r, f"{r}{i}") for r in roles for i in range(1, bounds.get(r, 1) + 1)]
    things = bounds.get("things", 1)
    values = [v for v, _ in rb.params.values() if isinstance(v, int)] + list(body_numbers)
    dates = sorted({shift_date(v, d) for v in values if is_date(v) for d in (-1, 0, 1)}) or [20200101]
    if numbers is None:
        pool = {0, 1}
        for v in values:
            if not is_date(v):
                pool.update(x for x in (v - 1, v, v + 1) if x >= 0)
        ints = sorted(pool)
    else:
        ints = sorted(set(numbers))
    lines = ["%% pyreasoner verify: the bounded universe (generated from the vocabulary)"]
    thing_consts: set[str] = set()
    count = 0
    for name, pred in rb.vocabulary.items():
        if keep is not None and name not in keep:
            continue
        doms: list[list[str]] = []
        for arg in pred.arguments:
            if arg.type == "entity":
                if arg.role in roles:
                    dom = [c for r, c in parties if r == arg.role]
                elif arg.role == "party":
                    dom = [c for _, c in parties]
                else:
                    own = [f"{arg.role}{i}" for i in range(1, things + 1)]
                    thing_consts.update(own)
                    # goods and orders never take a party's name: a case cannot state one there
                    # (Vocabulary.entity_conflict), so a counterexample must not either
                    alone = arg.role in OWN_CONSTANT_ROLES or arg.role in THING_ROLES
                    dom = own if alone else own + [c for _, c in parties]
                    if arg.role == ITEM_ROLE:  # a loss or a notice may be of goods (loss/4: "an item or goods")
                        dom += [f"{GOODS_ROLE}{i}" for i in range(1, things + 1)]
            elif arg.type == "set":
                dom = list(arg.values)
            elif arg.type == "date":
                dom = [str(d) for d in dates]
            elif arg.type in ("integer", "yuan"):
                dom = [str(n) for n in ints]
            elif arg.type in ("count", "amount"):  # the split form (pyreasoner.vocabulary.COUNT_BASE)
                dom = [terms.show(count_term(n)) for n in ints if n >= 0]
            else:  # string
                dom = ['"s"']
            doms.append(dom)
        n = 1
        for d in doms:
            n *= len(d)
        count += n
        for i, dom in enumerate(doms, 1):
            lines.append(" ".join(f"pyr_dom({name},{i},{v})." for v in dom))
        if name == "party" and [a.type for a in pred.arguments] == ["entity", "set"]:
            # the core role declaration (vocabulary/core.lp): each party has the one role
            # its name says, so that no entity is both merchant and platform
            lines.append(" ".join(f"pyr_cand(party({c},{r}),party)." for r, c in parties))
            continue
        if pred.arity == 0:
            lines.append(f"pyr_cand({name},{name}).")
        else:
            vs = ",".join(f"A{i}" for i in range(1, pred.arity + 1))
            body = ", ".join(f"pyr_dom({name},{i},A{i})" for i in range(1, pred.arity + 1))
            lines.append(f"pyr_cand({name}({vs}),{name}) :- {body}.")
    lines += [
        "fact_pred(F, N) :- pyr_cand(F, N).",
        "{ established(F) : pyr_cand(F, _) }.",
        # a duty fact not stated is unproven (the burden of proof decides it): the universe
        # states a duty refuted, or leaves it out; unknown differs from absent only in explore mode
        "{ refuted(F) } :- pyr_cand(F, N), burden(N, duty), not established(F).",
        "{ unknown(F) } :- pyr_cand(F, N), burden(N, duty), not established(F), not refuted(F), explore.",
        # while a counterexample is reduced, the solver decides every fact first, absent
        # (clingo's Domain heuristic, see _search_timed): the first counterexample under it
        # states a handful of facts, not thousands. A heuristic changes the order of the
        # search, never its space.
    ] + [f"#heuristic {status.name}(F) : pyr_cand(F, _). [{HEURISTIC}]" for status in STATUSES]
    return Universe(text="\n".join(lines) + "\n", parties=tuple(parties), things=tuple(sorted(thing_consts)), numbers=tuple(ints), dates=tuple(dates),
                    candidates=count)


def domain_inputs(enc: Encodings, domains: Sequence[str]) -> set[str] | None:
    """The input predicates declared in ``vocabulary/<domain>.lp`` for the domains
    (and ``core``); None (every input) when no domain is given."""
    if not domains:
        return None
    return {n for n, rows in enc.declared_inputs().items() if Path(rows[0][1]).stem in set(domains) | {"core"}}


_BRIDGE = """
cf_established(F) :- established(F), fact_pred(F, N), not pyr_cf_drop(N).
cf_unknown(F) :- unknown(F), fact_pred(F, N), not pyr_cf_drop(N).
cf_refuted(F) :- refuted(F).
% without a duty fact of the dropped predicate: the duty proven not performed (refuted
% duty fact), since an absent duty fact is unproven, not a breach (prologue/facts.lp)
cf_refuted(F) :- established(F), fact_pred(F, N), pyr_cf_drop(N), burden(N, duty).
cf_fact_pred(F, N) :- fact_pred(F, N).
% the same case in both worlds: an undated matter is decided under one period of law,
% chosen (statutes/ji2020_15.lp, shown as assumed_period/5); both worlds choose the same
% period, as they adopt the same views (else an answer under the Civil Code would be
% compared with one under the Tort Law, and any difference between the laws would pass
% for an effect of the dropped facts)
:- law_period(K, X), undated(K), cf_undated(K), not cf_law_period(K, X).
#defined law_period/2. #defined undated/1. #defined cf_law_period/2. #defined cf_undated/1.
cf_allow_rejected :- allow_rejected.
cf_explore :- explore.
#defined established/1. #defined unknown/1. #defined refuted/1. #defined fact_pred/2.
#defined allow_rejected/0. #defined explore/0.
"""


#: What the invariant's second part adds over the two worlds copied at the ground level
#: (:func:`_engine.Counterfactual`): the period tie of the bridge above. The views, the
#: statuses of the other facts, ``explore`` and ``allow_rejected`` are shared atoms there.
_GROUND_BRIDGE = """
:- law_period(K, X), undated(K), cf_undated(K), not cf_law_period(K, X).
#defined law_period/2. #defined undated/1. #defined cf_law_period/2. #defined cf_undated/1.
"""


def _second_world(rb: RuleBase, drop: str, inv_files: Sequence[Path]) -> _engine.Counterfactual:
    """The counterfactual world of ``verify``, copied at the ground level: only the rules that
    depend on a fact of ``drop`` are grounded twice (``pyreasoner/_engine/counterfactual.py``);
    :func:`replay` keeps the whole copy of the rule base (:func:`_cf_program`), so the two
    constructions check each other (tests/test_verify.py)."""
    duty = (drop,) if rb.vocabulary[drop].burden == "duty" else ()  # declared: missing_requirement
    return _engine.Counterfactual(drop=(drop,), duty=duty, texts=(("<bridge>", _GROUND_BRIDGE),),
                                  files=tuple(inv_files))


def _cf_program(rb: RuleBase, drop: Iterable[str]) -> tuple[_engine.Program, str]:
    copy = _engine.renamed_copy(rb.program, "cf_")
    text = _BRIDGE + "".join(f"pyr_cf_drop({d}).\n" for d in sorted(set(drop)))
    return _engine.merge(rb.program, copy), text


# --------------------------------------------------------------------- results
@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Counterexample:
    """A case that breaks an invariant, with the views and outcomes of the breaking answer."""

    invariant: str
    established: tuple[str, ...]
    unknown: tuple[str, ...]
    refuted: tuple[str, ...]
    views: tuple[tuple[str, str], ...]
    outcomes: tuple[str, ...]

    def case_document(self, inv: Invariant) -> dict[str, Any]:
        """The counterexample as a case document (``cases/<source>/<slug>.yaml``)."""
        facts: dict[str, list[str]] = {"established": list(self.established)}
        if self.refuted:
            facts["refuted"] = list(self.refuted)
        if self.unknown:
            facts["unknown"] = list(self.unknown)
        expect: dict[str, Any] = {}
        if self.views:
            expect["views"] = dict(self.views)
        if self.outcomes:
            expect["some"] = list(self.outcomes)
        else:
            expect["consistent"] = True
        expect["note"] = (f"the answer that breaks invariant {inv.id} ({inv.title}); "
                          f"replay with: pyreasoner verify --replay THIS_FILE")
        return {"id": f"counterexample_{inv.id}", "title": f"Counterexample to invariant {inv.id}: {inv.title}",
                "source": f"pyreasoner verify ({display_path(inv.file, Path(inv.file).parent.parent)}:{inv.line})",
                "notes": f"Why the invariant must hold: {inv.reason}", "facts": facts, "expect": [expect]}

    def yaml(self, inv: Invariant) -> str:
        return yaml.safe_dump(self.case_document(inv), allow_unicode=True, sort_keys=False, width=120)


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class InvariantResult:
    """The verdict on one invariant: ``holds`` (within the bound), ``violated`` (with a
    counterexample), ``skipped`` (a requirement is missing) or ``timeout``."""

    invariant: Invariant
    status: str
    detail: str = ""
    counterexample: Counterexample | None = None
    seconds: float = dataclasses.field(default=0.0, compare=False)
    #: the CPU seconds of the search (what the budget counts)
    cpu_seconds: float = dataclasses.field(default=0.0, compare=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"invariant": self.invariant.id, "title": self.invariant.title, "status": self.status,
               "file": display_path(self.invariant.file, Path(self.invariant.file).parent.parent), "line": self.invariant.line, "seconds": round(self.seconds, 3),
               "cpu_seconds": round(self.cpu_seconds, 3)}
        if self.detail:
            out["detail"] = self.detail
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample.case_document(self.invariant)
        return out


# ---------------------------------------------------------------------- search
def _search(session: _engine.Session, inv: Invariant, cands: list[Raw], rb: RuleBase, uni: Universe,
            timeout: float | None, minimise: bool, denied: Sequence[Assumption] = ()) -> InvariantResult:
    c0 = time.process_time()
    result = _search_timed(session, inv, cands, rb, uni, timeout, minimise, denied)
    return dataclasses.replace(result, cpu_seconds=time.process_time() - c0)


def _search_timed(session: _engine.Session, inv: Invariant, cands: list[Raw], rb: RuleBase, uni: Universe,
                  timeout: float | None, minimise: bool, denied: Sequence[Assumption] = ()) -> InvariantResult:
    t0 = time.perf_counter()
    goal = [((VIOLATION.name, (inv.id,)), True)] + list(denied)
    sigs = _CASE_SIGS + _SHOWN_SIGS
    found = session.models(goal, signatures=sigs, limit=1, timeout=timeout, clock=time.process_time)
    if found is None:
        return InvariantResult(invariant=inv, status="timeout",
                               detail=f"no answer within {timeout:g} s of solver time",
                               seconds=time.perf_counter() - t0)
    if not found:
        return InvariantResult(invariant=inv, status="holds", seconds=time.perf_counter() - t0)
    model = found[0]
    chosen = _chosen(model)
    if minimise:
        previous = session.set_heuristic("Domain")
        try:
            model, chosen = _reduce(session, goal, sigs, cands, model, chosen, timeout)
        finally:
            session.set_heuristic(previous)
    cex = _counterexample(inv, model, rb, uni)
    return InvariantResult(invariant=inv, status="violated", counterexample=cex, seconds=time.perf_counter() - t0,
                           detail=f"{len(cex.established) + len(cex.unknown) + len(cex.refuted)} fact(s)")


def _reduce(session: _engine.Session, goal: list[Assumption], sigs: Sequence[tuple[str, int]], cands: list[Raw],
            model: Model, chosen: set[Raw], timeout: float | None) -> tuple[Model, set[Raw]]:
    """A small counterexample within the facts of ``model``: first the one the Domain
    heuristic finds (every fact absent unless needed), then deletion of each fact in turn."""
    got = session.models(goal + _fix(cands, chosen), signatures=sigs, limit=1, timeout=SHRINK_TIMEOUT * 4,
                         clock=time.process_time)
    if got:
        model = got[0]
        chosen = _chosen(model)
    # deletion-based reduction of the facts of the counterexample
    order = sorted(chosen, key=terms.show)
    i = 0
    while i < len(order):
        trial = set(order[:i] + order[i + 1:])
        # a removal whose solve does not finish quickly keeps the fact
        got = session.models(goal + _fix(cands, trial), signatures=sigs, limit=1, timeout=SHRINK_TIMEOUT)
        if got:
            model = got[0]
            chosen = _chosen(model)
            order = [x for x in order if x in chosen]
        else:
            i += 1
    # final model under the minimal set
    got = session.models(goal + _fix(cands, chosen), signatures=sigs, limit=1, timeout=timeout,
                         clock=time.process_time)
    if got:
        model = got[0]
    return model, chosen


def _chosen(model: Model) -> set[Raw]:
    return {a for a in model if isinstance(a, tuple) and a[0] in _STATUS_NAMES}


def _fix(cands: list[Raw], keep: set[Raw]) -> list[Assumption]:
    """Assumptions that make every candidate fact outside ``keep`` absent."""
    out: list[Assumption] = []
    for c in cands:
        for status in (ESTABLISHED.name, UNKNOWN.name, REFUTED.name):
            atom = (status, (c,))
            if atom not in keep:
                out.append((atom, False))
    return out


def _counterexample(inv: Invariant, model: Model, rb: RuleBase, uni: Universe) -> Counterexample:
    # the case as the model states it: a duty fact it leaves out stays out (unproven, decided by
    # the burden of proof - prologue/facts.lp), and only the refuted ones are listed as refuted
    est: list[str] = []
    unk: list[str] = []
    refuted: list[str] = []
    views: list[tuple[str, str]] = []
    outs: list[str] = []
    for a in model:
        if not isinstance(a, tuple):  # a shown constant: no fact, view or outcome
            continue
        name, args = a
        if name == ESTABLISHED.name:
            est.append(terms.show(args[0]))
        elif name == UNKNOWN.name:
            unk.append(terms.show(args[0]))
        elif name == REFUTED.name:
            refuted.append(terms.show(args[0]))
        elif name == ADOPT.name:
            views.append((terms.show(args[0]), terms.show(args[1])))
        elif name == OUTCOME.name:
            outs.append(terms.show(a))
    return Counterexample(invariant=inv.id, established=tuple(sorted(est)), unknown=tuple(sorted(unk)),
                          refuted=tuple(sorted(refuted)), views=tuple(sorted(views)), outcomes=tuple(sorted(outs)))


def verify(master: str | Path | None = None, *, only: Iterable[str] = (), bounds: Mapping[str, int] | None = None,
           numbers: Sequence[int] | None = DEFAULT_NUMBERS, include_rejected: bool = False,
           timeout: float | None = DEFAULT_TIMEOUT, minimise: bool = True, directory: str | Path | None = None,
           domains: Sequence[str] | None = None, views: Iterable[str] | Mapping[str, str] = (), explore: bool = False,
           progress: Callable[[str], None] | None = None,
           left_out: Sequence[str] | None = None) -> tuple[InvariantResult, ...]:
    """Check every invariant (or those in ``only``) over the bounded universe.

    ``timeout`` bounds the solver's time per invariant, measured as CPU time of this
    process (``time.process_time``), so that the verdict does not depend on what else
    the machine runs. ``progress`` is called with a line before each grounding and
    after each invariant (the CLI prints them on stderr).

    ``domains`` (e.g. ``["civil"]``) draws every invariant's universe from those
    vocabulary files (plus ``core``), overriding the invariants' own ``domain/2``.
    ``views`` fixes views as ``--view`` does (only answers under them count);
    ``explore`` adds the explore mode (unknown facts open).
    ``left_out`` names input predicates the universe leaves out (default
    :data:`DEFAULT_LEFT_OUT`; ``()`` for every input): a bound, see :func:`bound_text`.
    Returns one :class:`InvariantResult` per invariant, in file order.
    """
    rb = RuleBase(default_master() if master is None else (Path(master) / "main.lp" if Path(master).is_dir()
                                                             else Path(master)))
    directory = invariants_dir(rb.master) if directory is None else Path(directory)
    declared = load_invariants(directory)
    wanted = set(only)
    unknown_ids = wanted - {i.id for i in declared}
    if unknown_ids:
        raise UsageError("only", ", ".join(sorted(unknown_ids)), "no such invariant among "
                         + ", ".join(i.id for i in declared))
    if not declared:
        raise UsageError(str(directory), None, "no invariants found; expected .lp files declaring invariant/2 in the "
                         "rule base's invariants/ folder")
    roles = set(rb.vocabulary.value_sets.get("role", ("", "", ()))[2]) | {"things"}
    unknown_roles = sorted(set(bounds or {}) - roles)
    if unknown_roles:
        raise UsageError("bounds", ", ".join(unknown_roles), "no such role; expected one of " + ", ".join(sorted(roles)))
    if timeout is not None and not 0 < timeout < float("inf"):  # nan fails both comparisons
        raise UsageError("timeout", str(timeout), "expected a number of seconds above 0")
    if numbers is not None and not numbers:
        raise UsageError("numbers", "", "expected at least one integer (or 'params')")
    invs = [i for i in declared if not wanted or i.id in wanted]
    enc = Encodings(rb.master)
    body_numbers = {n for s in enc.statements if s.kind in ("rule", "constraint") for n in s.numbers}
    override = tuple(sorted(domains)) if domains else None
    drop_inputs = set(DEFAULT_LEFT_OUT if left_out is None else left_out)

    def make_universe(own: tuple[str, ...]) -> Universe:
        inputs = domain_inputs(enc, override or own)
        if drop_inputs:
            inputs = (set(rb.vocabulary.keys()) if inputs is None else inputs) - drop_inputs
        return universe(rb, bounds=bounds, body_numbers=body_numbers, numbers=numbers, inputs=inputs)

    results: dict[str, InvariantResult] = {}
    active = []
    for inv in invs:
        why = missing_requirement(inv, rb)
        if why:
            results[inv.id] = InvariantResult(invariant=inv, status="skipped", detail=why)
        else:
            active.append(inv)
    facts = ([ALLOW_REJECTED.name] if include_rejected else []) + ([EXPLORE.name] if explore else [])
    denied = [(a, False) for a in excluded(rb.issues, Query.of(rb.issues, views).selection)]
    helpers = _helpers(directory)
    groups: dict[tuple[str | None, str, tuple[str, ...]], list[Invariant]] = {}
    for inv in active:  # one grounding per counterfactual invariant and per universe
        key = (inv.counterfactual, inv.id if inv.counterfactual else "", inv.domains)
        groups.setdefault(key, []).append(inv)
    say = progress or (lambda line: None)
    done, total, t_start = len(results), len(invs), time.perf_counter()
    for (drop, _, domains), group in sorted(groups.items(), key=lambda kv: (kv[0][0] or "", kv[0][1], kv[0][2])):
        uni = make_universe(domains)
        inv_files = [Path(i.file) for i in group]
        say(f"grounding the universe for {', '.join(i.id for i in group)}"
            + (f" (with a counterfactual copy without {drop})" if drop else ""))
        if drop is None:
            session = _engine.Session(rb.program, texts=[("<universe>", uni.text)], files=helpers + inv_files,
                                      facts=facts)
        else:
            session = _engine.Session(rb.program, texts=[("<universe>", uni.text)], files=helpers, facts=facts,
                                      counterfactual=_second_world(rb, drop, inv_files))
            if session.copy is not None:
                c = session.copy
                say(f"second world without {drop}: {c.cone_atoms:,} atoms and {c.copied_rules:,} of "
                    f"{c.ground_rules:,} ground rules copied; the rest shared")
        cands = [c[1][0] for c in session.atoms_of("pyr_cand", 2) if isinstance(c, tuple)]
        for inv in group:
            say(f"[{done + 1}/{total}] {inv.id} ...")
            results[inv.id] = r = _search(session, inv, cands, rb, uni, timeout, minimise, denied)
            done += 1
            say(f"[{done}/{total}] {inv.id}: {r.status} ({r.seconds:.1f} s, {r.cpu_seconds:.1f} s CPU; "
                f"{time.perf_counter() - t_start:.0f} s so far)")
    return tuple(results[i.id] for i in invs)


def bound_text(bounds: Mapping[str, int] | None = None, numbers: Sequence[int] | None = DEFAULT_NUMBERS,
               left_out: Sequence[str] | None = None, domains: Sequence[str] | None = None) -> str:
    """The bound a verdict of ``holds`` is relative to, in one line (printed by ``verify``).

    >>> bound_text()
    'bound: parties merchant=2, other roles 1; things 1 per role; integers 0,1,2; dates around the parameters; left out: other_offence, other_offence_article, other_offence_fine, other_offence_penalty, other_offence_term'
    """
    b = dict(DEFAULT_BOUNDS if bounds is None else bounds)
    things = b.pop("things", 1)
    parts = [f"parties {', '.join(f'{r}={n}' for r, n in sorted(b.items()))}, other roles 1",
             f"things {things} per role",
             "integers " + ("around the parameters" if numbers is None else ",".join(str(n) for n in numbers)),
             "dates around the parameters"]
    if domains:
        parts.append("inputs of " + ", ".join(sorted(set(domains) | {"core"})))
    out = list(DEFAULT_LEFT_OUT if left_out is None else left_out)
    if out:
        parts.append("left out: " + ", ".join(sorted(out)))
    return "bound: " + "; ".join(parts)


# ---------------------------------------------------------------------- replay
def replay(case: Case | str | Path, master: str | Path | None = None, *, directory: str | Path | None = None,
           include_rejected: bool = False) -> tuple[str, ...]:
    """The invariants that ``case`` violates in some answer set (a counterexample
    file run as a case must name its own invariant here)."""
    from .reasoner import Reasoner

    reasoner = Reasoner(master)
    rb = reasoner.rulebase
    if not isinstance(case, Case):
        case = load_case(case, rb.vocabulary)
    case = canonical(case, rb.vocabulary)
    directory = invariants_dir(rb.master) if directory is None else Path(directory)
    invs = [i for i in load_invariants(directory) if missing_requirement(i, rb) is None]
    facts, assumed = Query.of(rb.issues).inputs(case)
    facts = [f for f in facts if f != ALLOW_REJECTED.name] + ([ALLOW_REJECTED.name] if include_rejected else [])
    violated: set[str] = set()
    plain = [i for i in invs if not i.counterfactual]
    groups: list[tuple[list[Invariant], str | None]] = [(plain, None)] if plain else []
    groups += [([i], i.counterfactual) for i in invs if i.counterfactual]
    for group, drop in groups:
        program, bridge = (rb.program, "") if drop is None else _cf_program(rb, [drop])
        session = _engine.Session(program, texts=[("<bridge>", bridge)] if bridge else [],
                                  files=_helpers(directory) + [Path(i.file) for i in group], facts=facts,
                                  externals=assumed)
        base = [(a, True) for a in assumed]
        for inv in group:
            if session.models(base + [((VIOLATION.name, (inv.id,)), True)], signatures=[VIOLATION], limit=1):
                violated.add(inv.id)
    return tuple(sorted(violated))
