"""``pyreasoner diff``: what a change to the rules (or to the views adopted) does to a corpus.

Size (over ~500 lines, #15): one command's logic, from the two sides (folders, git
revisions, the stored rewrite memo) to the paired answers and their grouping; the text
rendering is already in the CLI layer (``pyreasoner/cli/diff.py``).

Two *sides* are compared over one corpus: two rule bases (two folders, or two git
revisions of ``encodings/``) or two view selections of one rule base, or both. Every
case is solved on each side by the batch engine (:mod:`pyreasoner.batch`: a chunk of
cases grounded at once over the tagged encodings and solved in one call); a
case with no answer set on a side is solved again alone so that its core is named.
When both sides use the same rules, each chunk is grounded once and solved under both
selections.

Answers are compared view by view. An answer's *key* is its view combination without
the issues either side fixes (with ``--old-view b=joint --new-view b=proportional`` an
answer ``a=civil_only, b=joint`` is compared with ``a=civil_only, b=proportional``); for
each key the outcomes on the two sides are compared, and a case changes when any key's
outcomes do, or when it turns (in)consistent. The report groups the changed cases by
the provisions of the outcomes that appear or vanish and by the views under which they
do, with counts; :meth:`DiffReport.records` gives the detail, one JSON object per
changed case.

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import Case
>>> r = Reasoner()
>>> report = diff_cases([Case(id="empty", facts=())], Side(r, views=("b=joint",)), Side(r, views=("b=proportional",)),
...                     cache=False)
>>> report.total, report.changed
(1, ())
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, cast

from . import _engine
from .cache import cache_dir, engine_version, write_whole
from .case import STATUSES, Case
from .contract import CASE_INPUTS
from .errors import PyreasonerError, UsageError
from .query import Query, canonical
from .reasoner import Reasoner
from .report import DIFF_WORDS, WORDS
from .result import Result

if TYPE_CHECKING:
    from .rulebase import RuleBase

__all__ = ["AnswerChange", "CaseChange", "DiffReport", "Side", "diff_cases", "diff_corpus", "render_diff",
           "rules_at_revision"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Side:
    """One side of a diff: a rule base and the views fixed on it."""

    reasoner: Reasoner
    views: tuple[str, ...] = ()
    include_rejected: bool = False
    label: str = ""

    def __init__(self, reasoner: Reasoner, *, views: Iterable[str] | dict[str, str] = (), include_rejected: bool = False,
                 label: str = "") -> None:
        if isinstance(views, dict):
            views = tuple(f"{i}={v}" for i, v in views.items())
        object.__setattr__(self, "reasoner", reasoner)
        object.__setattr__(self, "views", tuple(views))
        object.__setattr__(self, "include_rejected", include_rejected)
        object.__setattr__(self, "label", label)


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class AnswerChange:
    """What changes under one view combination (``views``, without the fixed issues):
    outcomes that vanish and outcomes that appear; ``old``/``new`` false when the
    combination has no answer on that side."""

    views: tuple[tuple[str, str], ...]
    removed: tuple[str, ...]
    added: tuple[str, ...]
    #: the basis of each removed/added outcome, as provision ids (main provision first)
    bases: tuple[tuple[str, ...], ...] = ()
    old: bool = True
    new: bool = True
    #: what else the answers assume: explore-mode completions (fact, "proven"/"unproven")
    #: and the period of an undated matter (assumed_period(...), "")
    assuming: tuple[tuple[str, str], ...] = ()


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CaseChange:
    """A case whose outcomes differ between the sides."""

    case_id: str
    source: str
    old_consistent: bool
    new_consistent: bool
    old_core: tuple[str, ...] = ()
    new_core: tuple[str, ...] = ()
    changes: tuple[AnswerChange, ...] = ()

    @property
    def bases(self) -> tuple[tuple[str, ...], ...]:
        """The bases (provision id tuples) of the outcomes that appear or vanish."""
        return tuple(sorted({b for c in self.changes for b in c.bases}))

    @property
    def views(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted({v for c in self.changes for v in c.views}))

    def to_json(self) -> dict[str, object]:
        return {"case": self.case_id, "source": self.source,
                "old": {"consistent": self.old_consistent, **({"core": list(self.old_core)} if self.old_core else {})},
                "new": {"consistent": self.new_consistent, **({"core": list(self.new_core)} if self.new_core else {})},
                "provisions": [list(b) for b in self.bases],
                "changes": [{"views": dict(c.views), "removed": list(c.removed), "added": list(c.added),
                             **({} if c.old else {"old": "no answer"}), **({} if c.new else {"new": "no answer"}),
                             **({"assuming": dict(c.assuming)} if c.assuming else {})}
                            for c in self.changes]}


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class DiffReport:
    """The cases that change, and how many were compared."""

    old: str
    new: str
    total: int
    changed: tuple[CaseChange, ...]
    #: (source, one-line error) of cases that could not be solved on a side
    invalid: tuple[tuple[str, str], ...] = ()
    seconds: float = dataclasses.field(default=0.0, compare=False)

    def by_provision(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Basis (provision ids) -> the ids of the cases where an outcome on it appears or vanishes;
        a case that turns (in)consistent is listed under ``()``, one whose change is only an
        answer without outcomes (e.g. a view that now gives no liability) under
        :data:`NO_OUTCOME`."""
        out: dict[tuple[str, ...], set[str]] = {}
        for c in self.changed:
            if c.old_consistent != c.new_consistent:
                out.setdefault((), set()).add(c.case_id)
            elif not c.bases:
                out.setdefault(NO_OUTCOME, set()).add(c.case_id)
            for b in c.bases:
                out.setdefault(b, set()).add(c.case_id)
        return {k: tuple(sorted(v)) for k, v in sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0]))}

    def by_view(self) -> dict[str, tuple[str, ...]]:
        """``issue=view`` -> the ids of the cases with a change under that view (``-``: under no
        contested issue)."""
        out: dict[str, set[str]] = {}
        for c in self.changed:
            for ch in c.changes:
                for label in [f"{i}={v}" for i, v in ch.views] or ["-"]:
                    out.setdefault(label, set()).add(c.case_id)
        return {k: tuple(sorted(v)) for k, v in sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0]))}

    def records(self) -> Iterator[str]:
        """The detail, one JSON line per changed case (in corpus order)."""
        for c in self.changed:
            yield json.dumps(c.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"


#: The :meth:`DiffReport.by_provision` key of a change that is only an answer without
#: outcomes appearing or vanishing (no provision to list it under).
NO_OUTCOME: tuple[str, ...] = ("",)


# ------------------------------------------------------------------ comparison
#: An answer's key (:func:`_key`): its views without the fixed issues, then what else it
#: assumes as (fact, "proven"/"unproven") and (assumed_period(...), "").
Key: TypeAlias = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


def _key(views: tuple[tuple[str, str], ...], fixed: frozenset[str], completion: tuple[tuple[str, str], ...],
         assumed: tuple[str, ...]) -> Key:
    """An answer's key: its views without the fixed issues, then what else it assumes (an
    explore-mode completion, the period of an undated matter): answers under one set of
    views but different periods are different answers, compared only with each other."""
    return (tuple((i, v) for i, v in views if i not in fixed), completion + tuple((a, "") for a in assumed))


def _outcomes_by_key(result: Result, fixed: frozenset[str]) -> dict[Key, dict[str, tuple[str, ...]]]:
    """key -> outcome atom -> basis, over the answers with that key."""
    out: dict[Key, dict[str, tuple[str, ...]]] = {}
    for a in result.answers:
        slot = out.setdefault(_key(a.views, fixed, a.completion, a.assumed), {})
        for o in a.outcomes:
            slot[o.atom] = o.basis
    return out


def _compatible(x: Key, y: Key) -> bool:
    """Whether two keys agree on every issue both name (and on the completion and assumptions)."""
    if x[1] != y[1]:
        return False
    vx = dict(x[0])
    return all(vx.get(i, v) == v for i, v in y[0])


def compare(case_id: str, source: str, old: Result, new: Result, fixed: frozenset[str]) -> CaseChange | None:
    """The change between two results of one case (``None``: the same outcomes).

    Answers are paired by their keys (views without the fixed issues, then what else
    they assume): each old answer with the new answer of the same key. A key only one
    side has (the rules changed which issues the case raises: a displaced provision,
    say) is paired with every answer of the other side that agrees with it on the
    issues both raise: an answer under ``a=civil_only`` is compared with the new answer
    that raises no issue, and only the outcomes that really differ are listed.
    """
    a, b = _outcomes_by_key(old, fixed), _outcomes_by_key(new, fixed)
    changes: list[AnswerChange] = []
    paired_a: set[Key] = set()
    paired_b: set[Key] = set()
    found: dict[Key, tuple[set[str], set[str], set[tuple[str, ...]]]] = {}
    # an answer is compared with the answer of the same key on the other side; only a key
    # the other side lacks (the rules changed which issues the case raises) is compared
    # with every answer that agrees with it on the issues both raise
    pairs: set[tuple[Key, Key]] = set()
    for ka in a:
        pairs.update((ka, kb) for kb in ([ka] if ka in b else [kb for kb in b if _compatible(ka, kb)]))
    for kb in b:
        pairs.update((ka, kb) for ka in ([kb] if kb in a else [ka for ka in a if _compatible(ka, kb)]))
    for ka, kb in sorted(pairs):
        paired_a.add(ka)
        paired_b.add(kb)
        views: Key = tuple(sorted((dict(ka[0]) | dict(kb[0])).items())), ka[1]
        x, y = a[ka], b[kb]
        removed, added = set(x) - set(y), set(y) - set(x)
        if removed or added:
            slot = found.setdefault(views, (set(), set(), set()))
            slot[0].update(removed)
            slot[1].update(added)
            slot[2].update({x[o] for o in removed} | {y[o] for o in added})
    for views, (removed, added, bases) in sorted(found.items()):
        changes.append(AnswerChange(views=views[0], removed=tuple(sorted(removed)), added=tuple(sorted(added)),
                                    bases=tuple(sorted(bases)), assuming=views[1]))
    for side, keys, paired in (("old", a, paired_a), ("new", b, paired_b)):
        for key in sorted(set(keys) - paired):
            atoms = keys[key]
            lost = tuple(sorted(atoms))
            changes.append(AnswerChange(views=key[0], removed=lost if side == "old" else (),
                                        added=lost if side == "new" else (),
                                        bases=tuple(sorted(set(atoms.values()))),
                                        old=side == "old", new=side == "new", assuming=key[1]))
    if not changes and old.consistent == new.consistent:
        return None
    return CaseChange(case_id=case_id, source=source, old_consistent=old.consistent, new_consistent=new.consistent,
                      old_core=old.core, new_core=new.core, changes=tuple(changes))


# ------------------------------------------------------------------ solving
_INPUTS = list(CASE_INPUTS)


#: A predicate signature (name, arity).
Signature: TypeAlias = tuple[str, int]
#: A key of the batch engine's tagging memo (:func:`pyreasoner._engine.tag_program`):
#: ("head_body" or "choosing", a statement's text), or ("rule", its text, the tagged
#: predicates, whether it is in a cycle through negation).
MemoKey: TypeAlias = (tuple[Literal["head_body", "choosing"], str]
                      | tuple[Literal["rule"], str, frozenset[Signature], bool])
#: The head signatures of a statement and its body's (signature, monotone) pairs.
HeadBody: TypeAlias = tuple[list[Signature], list[tuple[Signature, bool]]]
#: A memo value: the statement's HeadBody, whether it chooses, or its rewriting (a clingo
#: AST statement, only ever turned into text here) and whether it is guarded.
MemoValue: TypeAlias = HeadBody | bool | tuple[object, bool]


class _StoredMemo(dict[MemoKey, MemoValue]):
    """The memo of :func:`pyreasoner._engine.tag_program`, kept in a file between runs.

    The batch engine rewrites each statement of the encodings for case tagging; a
    researcher who diffs an edited rule base against the last commit again and again
    rewrites the same statements each time. The file holds each statement's analysis
    (the atoms of its head and body) and its rewriting as text, keyed by the statement's
    text (and, for the rewriting, by the set of tagged predicates); a rewriting read back
    is parsed again with clingo. Only the entries used by the last run are written back.
    The file is tied to the engine's code (:func:`pyreasoner.cache.engine_version`); any problem reading
    it is a miss, never an error.
    """

    def __init__(self, path: Path | None) -> None:
        super().__init__()
        self.path = path
        #: the file's entries: JSON, checked only by reading them back (:meth:`_load`)
        self.stored: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self._digests: dict[int, tuple[frozenset[Signature], str]] = {}
        if path is not None and engine_version() is None:  # the engine's code cannot be told: no memo kept
            self.path = path = None
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("engine") == engine_version() and isinstance(data.get("entries"), dict):
                    self.stored = data["entries"]
            except (OSError, ValueError, AttributeError):
                pass

    def _digest(self, frozen: frozenset[Signature]) -> str:
        hit = self._digests.get(id(frozen))
        if hit is None or hit[0] is not frozen:
            text = repr(sorted(frozen))
            hit = self._digests[id(frozen)] = (frozen, hashlib.sha256(text.encode()).hexdigest()[:16])
        return hit[1]

    def _key(self, key: MemoKey) -> str:
        if key[0] == "head_body":
            return "h\0" + key[1]
        if key[0] == "choosing":
            return "c\0" + key[1]
        _, text, frozen, cyclic = key
        return f"r\0{self._digest(frozen)}\0{int(cyclic)}\0{text}"

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        if not isinstance(key, tuple):
            return False
        skey = self._key(key)
        value = self._load(key, self.stored.get(skey))
        if value is None:
            return False
        dict.__setitem__(self, key, value)
        self.used[skey] = self.stored[skey]
        return True

    def __setitem__(self, key: MemoKey, value: MemoValue) -> None:
        dict.__setitem__(self, key, value)
        with contextlib.suppress(Exception):  # what cannot be stored is simply not kept
            self.used[self._key(key)] = self._dump(key, value)

    @staticmethod
    def _dump(key: MemoKey, value: MemoValue) -> bool | list[object]:
        if key[0] == "choosing":
            return bool(value)
        if key[0] == "head_body":
            heads, body = cast(HeadBody, value)
            return [[list(h) for h in heads], [[list(s), mono] for s, mono in body]]
        stm, guard = cast(tuple[object, bool], value)
        return [str(stm), bool(guard)]

    @staticmethod
    def _load(key: MemoKey, stored: Any) -> MemoValue | None:
        # stored: JSON read back from the file, any shape; a wrong one raises below and is a miss
        if stored is None:
            return None
        try:
            if key[0] == "choosing":
                return bool(stored) if isinstance(stored, bool) else None
            if key[0] == "head_body":
                heads, body = stored
                return ([(str(n), int(a)) for n, a in heads], [((str(n), int(a)), bool(m)) for (n, a), m in body])
            text, guard = stored
            rule = _engine.parse_rule(text)
            return None if rule is None else (rule, bool(guard))
        except Exception:  # a damaged entry is a miss
            return None

    def save(self) -> None:
        if self.path is None or not self.used or self.used == self.stored:
            return
        write_whole(self.path, json.dumps({"engine": engine_version(), "entries": self.used}, ensure_ascii=False))


class _Engine:
    """One side's solver: the batch engine's tagged program and the side's denied views."""

    def __init__(self, side: Side, memo: _StoredMemo, same: _Engine | None = None) -> None:
        self.side = side
        self.reasoner = side.reasoner
        self.query = Query.of(self.reasoner.issues, list(side.views), include_rejected=side.include_rejected)
        self.program: _engine.Program
        self.tagged: _engine.TaggedProgram | None
        if same is not None:  # the same rules as the other side: its tagged program
            self.program, self.tagged = same.program, same.tagged
            return
        self.program = self.reasoner.rulebase.solver_program
        try:
            self.tagged = _engine.tag_program(self.program, _INPUTS, STATUSES, memo=memo)
        except PyreasonerError:  # the encodings cannot be tagged: every case alone (the reference path)
            self.tagged = None

    def alone(self, case: Case) -> Result:
        facts, assumed = self.query.inputs(case)
        raw = _engine.solve(self.program, facts, assumed, self.query.denied)
        return self.query.result(case.id, raw)

    def from_ground(self, ground: _engine.ChunkGround | None, k: int, case: Case) -> Result:
        if ground is not None:
            raw = ground.solve(k, self.query.denied)
            if raw.satisfiable:
                return self.query.result(case.id, raw)
        return self.alone(case)


def _ground(engine: _Engine, cases: Sequence[Case]) -> _engine.ChunkGround | None:
    if engine.tagged is None or not cases:
        return None
    try:
        return _engine.ChunkGround(engine.tagged, [[(f.status, f.term, f.predicate) for f in c.facts] for c in cases],
                                   list(engine.query.modes))
    except Exception:  # as the batch engine: a chunk that fails to ground is solved case by case
        return None


def diff_cases(cases: Iterable[Case | tuple[str, Case | PyreasonerError]], old: Side, new: Side, *,
               chunk_size: int = 64, cache: bool = True) -> DiffReport:
    """Compare the outcomes of ``cases`` (or ``(source, case or load error)`` pairs) on two sides.

    ``cache``: keep the batch engine's rewriting of the encodings in :func:`cache_dir`
    between runs (the results are the same either way)."""
    t0 = time.perf_counter()
    # the rewriting of the statements the two rule bases share is done once (and, with a
    # cache folder, once across runs)
    folder = cache_dir() if cache else None
    memo = _StoredMemo(folder / "tagging.json" if folder is not None else None)
    e_old = _Engine(old, memo)
    same_rules = new.reasoner is old.reasoner
    e_new = _Engine(new, memo, e_old if same_rules else None)
    fixed = frozenset(i for i, _ in e_old.query.selection) | frozenset(i for i, _ in e_new.query.selection)
    same_vocab = same_rules or old.reasoner.vocabulary.to_json() == new.reasoner.vocabulary.to_json()
    changed: list[CaseChange] = []
    invalid: list[tuple[str, str]] = []
    total = 0
    chunk: list[tuple[str, Case, Case]] = []
    seen: dict[str, str] = {}  # case id -> where it was first read

    def flush() -> None:
        if not chunk:
            return
        g_old = _ground(e_old, [c for _, c, _ in chunk])
        g_new = g_old if same_rules else _ground(e_new, [c for _, _, c in chunk])
        for k, (source, c_old, c_new) in enumerate(chunk):
            try:
                r_old = e_old.from_ground(g_old, k, c_old)
                r_new = e_new.from_ground(g_new, k, c_new)
            except PyreasonerError as exc:
                invalid.append((source, str(exc)))
                continue
            change = compare(c_old.id, source, r_old, r_new, fixed)
            if change is not None:
                changed.append(change)
        chunk.clear()

    for entry in cases:
        source, case = (entry.path or f"<case {entry.id}>", entry) if isinstance(entry, Case) else entry
        total += 1
        if not isinstance(case, Case):
            invalid.append((source, str(case)))
            continue
        earlier = seen.get(case.id)
        if earlier is None:
            seen[case.id] = source
        else:  # as the batch: one case per id, compared once
            invalid.append((source, f"{source}: id: {case.id!r} is already the id of the case read from {earlier}"
                            + (" (the same file listed twice)" if earlier == source else "")
                            + "; expected case ids unique within the corpus"))
            continue
        try:
            c_old = canonical(case, old.reasoner.vocabulary)
            c_new = c_old if same_vocab else canonical(case, new.reasoner.vocabulary)
        except PyreasonerError as exc:
            invalid.append((source, str(exc)))
            continue
        chunk.append((source, c_old, c_new))
        if len(chunk) >= chunk_size:
            flush()
    flush()
    memo.save()
    return DiffReport(old=old.label, new=new.label, total=total, changed=tuple(changed), invalid=tuple(invalid),
                      seconds=time.perf_counter() - t0)


def _corpus_cases(corpus: Sequence[str | Path], reasoner: Reasoner) -> Iterator[tuple[str, Case | PyreasonerError]]:
    """The cases of folders, case files and JSON Lines files, in the batch engine's order."""
    from .batch import BatchConfig, ChunkSolver, iter_items

    reader = ChunkSolver(BatchConfig(shared=False), reasoner)  # its parser: files and JSON Lines alike
    for path in corpus:
        for item in iter_items(path):
            try:
                yield item[3], reader._case(item)
            except PyreasonerError as exc:
                yield item[3], exc


def diff_corpus(corpus: str | Path | Sequence[str | Path], old: Side, new: Side, *, chunk_size: int = 64,
                cache: bool = True) -> DiffReport:
    """:func:`diff_cases` over the cases of a folder, case file or JSON Lines file (or several)."""
    paths = [corpus] if isinstance(corpus, (str, Path)) else list(corpus)
    return diff_cases(_corpus_cases(paths, old.reasoner), old, new, chunk_size=chunk_size, cache=cache)


# ------------------------------------------------------------------ git revisions
@contextlib.contextmanager
def rules_at_revision(revision: str, folder: str | Path) -> Iterator[Path]:
    """The encodings folder ``folder`` (inside a git work tree) as of ``revision``,
    extracted with ``git archive`` into a temporary folder that is removed afterwards."""
    folder = Path(folder).resolve()
    try:
        top = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise UsageError(revision, None, f"not a folder, and {folder} is not in a git work tree to read a "
                         "revision from") from None
    rel = folder.relative_to(Path(top).resolve()).as_posix()
    proc = subprocess.run(["git", "-C", top, "archive", "--format=tar", revision, "--", rel], capture_output=True)
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(revision, None, "expected a folder of encodings or a git revision: git archive says: "
                         + (message[-1] if message else f"exit status {proc.returncode}"))
    with tempfile.TemporaryDirectory(prefix="pyreasoner-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        root = Path(tmp) / rel
        if not (root / "main.lp").is_file():
            raise UsageError(revision, None, f"{rel}/main.lp does not exist at this revision")
        yield root


# ------------------------------------------------------------------ text
def render_diff(report: DiffReport, corpus: str, rulebase: RuleBase | None = None, *, detail: int = 4,
                lang: str = "en") -> str:
    """The text ``pyreasoner diff`` prints: the counts by provision and by view (naming at
    most ``detail`` cases each), then each changed case with (at most ``detail``) outcomes
    that vanish (-) or appear (+); ``--out`` has everything. The words are ``lang``'s
    (:data:`pyreasoner.report.DIFF_WORDS`); ids, atoms and paths stay as they are."""
    w = DIFF_WORDS[lang]

    def cite(basis: tuple[str, ...]) -> str:
        if not basis:
            return w["no_side"]
        if basis == NO_OUTCOME:
            return w["no_outcome"]
        provs = getattr(rulebase, "provisions", {})
        return WORDS[lang]["read_with"].join(provs[p].cite(lang) if p in provs else p for p in basis)

    def ids(case_ids: Sequence[str]) -> str:
        """The first ``detail`` case ids, and how many more."""
        more = len(case_ids) - detail
        return ", ".join(case_ids[:detail]) + (w["more_ids"].format(n=more) if more > 0 else "")

    n = len(report.changed)
    lines = [w["head"].format(corpus=corpus, old=report.old, new=report.new),
             w["change"].format(n=n, total=report.total) + (w["unsolved"].format(n=len(report.invalid))
                                                            if report.invalid else "")]
    if n:
        groups = report.by_provision()
        width = max(len(str(len(v))) for v in groups.values())
        lines.append(w["by_provision"])
        lines += [f"  {len(case_ids):>{width}}  {cite(b)}: {ids(case_ids)}" for b, case_ids in groups.items()]
        views = report.by_view()
        width = max(len(str(len(v))) for v in views.values())
        lines.append(w["by_view"])
        lines += [f"  {len(case_ids):>{width}}  {v}: {ids(case_ids)}" for v, case_ids in views.items()]
        lines.append(w["cases"])
    for c in report.changed:
        lines.append(f"  {c.case_id} ({c.source})")
        if c.old_consistent != c.new_consistent:
            lines.append("    " + (w["lost"].format(core=", ".join(c.new_core)) if c.old_consistent else w["gained"]))
        shown = 0
        for ch in c.changes:
            head = "[" + (", ".join(f"{i}={v}" for i, v in ch.views) or w["no_issue"]) + "]"
            if ch.assuming:
                head += f" {w['assuming']} " + ", ".join(f"{f} {WORDS[lang].get(st, st)}".strip()
                                                         for f, st in ch.assuming)
            if not ch.old:
                head += " " + w["none_before"]
            elif not ch.new:
                head += " " + w["none_after"]
            for sign, atoms in (("-", ch.removed), ("+", ch.added)):
                for atom in atoms:
                    if shown < detail:
                        lines.append(f"    {head} {sign} {atom}")
                        head = " " * len(head)
                    shown += 1
            if not ch.removed and not ch.added:  # an answer without outcomes appears or vanishes
                if shown < detail:
                    lines.append(f"    {head} {WORDS[lang]['no_outcome']}")
                shown += 1
        if shown > detail:
            lines.append("    " + w["more"].format(n=shown - detail))
    for _source, message in report.invalid:
        lines.append("  " + w["not_solved"].format(message=message))
    return "\n".join(lines)
