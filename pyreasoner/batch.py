"""Batch runs over case corpora: streaming, parallel, resumable, optionally on Dask.

``pyreasoner batch INPUT --out results.jsonl`` reads a folder of case files or a
JSON Lines file of cases (one case document per line) and writes one JSON record
per case, in input order. A record holds the case's answers (views and outcomes
with their basis) and the in-every-answer / in-some-answers split; a case that is
invalid, has no consistent answer, exceeds ``--timeout`` or breaks the solver gets
an error record instead, and the batch goes on.

Records carry no timings, so that the output is byte-identical between runs, for
every ``--workers N`` (0: in this process), for the Dask executor, and after a
``--resume``. Timings go to a sidecar file (``results.jsonl.timings``) keyed by the
record index.

Speed comes from grounding once and solving many: the cases of a chunk are grounded
together over the encodings rewritten so that every case-dependent atom carries the
case's index (one disjoint copy per case), and each case is solved by assumptions
(see :class:`ChunkSolver` and ``_engine.tag_program``). The results are those of
:meth:`pyreasoner.Reasoner.solve` on each case.

>>> import io, json
>>> from pyreasoner import Reasoner
>>> from pyreasoner.batch import BatchConfig, ChunkSolver
>>> line = json.dumps({"id": "demo", "facts": {"established": [
...     "party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)",
...     "sold(m, g, c)", "concerns_life_health(g)", "damage(c, g)"],
...     "refuted": ["reviewed_qualification(p, m)"]}})
>>> solver = ChunkSolver(BatchConfig(views=("b=joint",)), Reasoner())
>>> record, timing = solver.solve_chunk([(0, "line", line, "<doc>:1")])[0]
>>> json.loads(record)["in_all"]
['outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))']
"""

from __future__ import annotations

import array
import collections
import collections.abc
import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, NotRequired, TypedDict, TypeVar, cast

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows
    resource = None  # type: ignore[assignment]

from . import _engine
from .case import CASE_SUFFIXES, STATUSES, Case, case_from_data, load_case, load_json
from .errors import CaseError, PyreasonerError, UsageError
from .reasoner import Reasoner, _result
from .result import Result
from .rulebase import provenance

if TYPE_CHECKING:
    import argparse
    import concurrent.futures

__all__ = ["BatchConfig", "BatchStats", "ChunkSolver", "iter_items", "run_batch"]

#: Suffixes read as JSON Lines (one case document per line).
JSONL_SUFFIXES = (".jsonl", ".ndjson")
#: An input item: (index, kind "line" | "file", payload, source label).
Item = tuple[int, str, str, str]


class Timing(TypedDict):
    """The timings sidecar's line for one record (``OUT.timings``), in the order its keys
    are set; the clingo times (``input``, ``ground``, ``solve``) are there when clingo ran."""

    index: int
    source: str
    pid: int
    case: NotRequired[str | None]
    #: ``none`` (invalid case), ``chunk``, ``single`` or ``chunk+single``
    engine: NotRequired[str]
    input: NotRequired[float]
    ground: NotRequired[float]
    solve: NotRequired[float]
    seconds: NotRequired[float]
    #: ``ok`` or the kind of the error record
    status: NotRequired[str]


#: What a chunk gives: per item, in order, its record line and its timing.
ChunkOut = list[tuple[str, Timing]]
#: Cases a worker process solves before a fresh one replaces it (see run_batch).
RECYCLE = 5_000
#: Exit status of a batch that wrote error records other than ``inconsistent`` ones
#: (``invalid``, ``timeout``, ``memory``, ``internal``): distinct from 1 (invalid input) and 2 (usage).
EXIT_ERROR_RECORDS = 3
#: A case with more facts than this is solved alone, never in its chunk's shared ground:
#: grounding once gains nothing for one case, and the tagged encodings cost it more memory (a
#: 10 MB case of 48,000 facts, every view: 1.71 GB in the shared ground, 1.60 GB alone).
BIG_CASE_FACTS = 5_000
#: The longest ``--timeout`` (seconds): a day.
MAX_TIMEOUT = 86_400.0
#: Default bound, in megabytes, on the memory one case may take (``--max-memory``).
MEMORY_MB = 2048


@contextlib.contextmanager
def memory_bound(megabytes: int | None) -> Iterator[None]:
    """Bound the address space this process may add by ``megabytes`` while the block
    runs (``RLIMIT_AS``, Linux), so that clingo's ``bad_alloc`` becomes a ``MemoryError``
    in this process instead of the kernel killing it. No bound without ``resource`` or
    ``/proc/self/statm``, or when ``megabytes`` is ``None`` or 0."""
    if megabytes and resource is not None:
        _warm_up()
    used = _address_space()
    if not megabytes or resource is None or used is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + megabytes * 2 ** 20
    for other in (soft, hard):
        if other != resource.RLIM_INFINITY:
            limit = min(limit, other)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


_WARM: set[int] = set()


def _warm_up() -> None:
    """Have clingo throw (and catch) one C++ exception in this thread before any bound is
    set: the C++ runtime allocates its per-thread exception state on the first throw, and
    if that first throw is a ``bad_alloc`` under the bound the allocation fails and the
    C library aborts the whole process ("cannot allocate memory for thread-local data")."""
    import threading

    ident = threading.get_ident()
    if ident in _WARM:
        return
    with contextlib.suppress(RuntimeError):
        # clingo itself, as the engine imports it (no engine function throws on purpose); not
        # exported by _engine here, exported once the engine is split (#15): either way no error
        _engine.clingo.parse_term("(")  # type: ignore[attr-defined, unused-ignore]
    _WARM.add(ident)


def _address_space() -> int | None:
    """This process's address space in bytes (``None`` where it cannot be read)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class BatchConfig:
    """What every worker needs to solve a chunk the same way.

    Parameters
    ----------
    encodings:
        The master file or folder of the encodings (``None``: the bundled ones).
    views:
        Fixed views as ``("b=joint", ...)``.
    include_rejected, explore:
        As for :meth:`pyreasoner.Reasoner.solve`.
    timeout:
        Seconds allowed to solve one case (``None``: no limit).
    shared:
        Ground once per chunk (``True``) or solve each case with a fresh control
        (``False``, the reference path; slower, same results).
    explain:
        Attach ``pyreasoner.explain.explain_all`` to every solved record
        (``"explanation"``: a derivation tree per outcome, relevance of unknown facts).
    memory:
        Megabytes of address space one case (or one chunk's common ground) may add to
        the process that solves it (``None``/0: no bound; default :data:`MEMORY_MB`).
        A case past it gets a ``memory`` error record and the worker lives on.
    """

    encodings: str | None = None
    views: tuple[str, ...] = ()
    include_rejected: bool = False
    explore: bool = False
    timeout: float | None = None
    shared: bool = True
    explain: bool = False
    memory: int | None = MEMORY_MB

    def __post_init__(self) -> None:
        # views as Reasoner.solve takes them: {"b": "joint"} or ["b=joint"] (kept as a sorted tuple);
        # the field is typed as what it holds after this, callers may pass any of those forms
        views: object = self.views
        if isinstance(views, collections.abc.Mapping):
            object.__setattr__(self, "views", tuple(f"{i}={v}" for i, v in sorted(views.items())))
        elif isinstance(views, str):
            object.__setattr__(self, "views", (views,))
        elif not isinstance(views, tuple):
            object.__setattr__(self, "views", tuple(cast(Iterable[str], views)))


def _unguarded_main() -> str | None:
    """The script this process runs when it calls into the batch at import time (no
    ``if __name__ == "__main__":``): worker processes start by importing it again, so
    each would start the batch anew. ``None`` when there is no such script."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and (spec.name == "__main__" or spec.name.endswith(".__main__")):
        return None  # python -m package: workers do not run a package's __main__ again (multiprocessing)
    path = getattr(main, "__file__", None)
    if not path or not str(path).endswith(".py"):
        return None
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return None if "__main__" in text else str(path)


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class BatchStats:
    """What a batch run did."""

    cases: int
    errors: int
    skipped: int
    seconds: float
    #: error records written by this run, by kind (``invalid``, ``inconsistent``, ...)
    kinds: tuple[tuple[str, int], ...] = ()

    @property
    def failures(self) -> int:
        """Error records that are not answers: every kind but ``inconsistent`` (a case whose
        facts contradict the rules has that as its answer, with its core)."""
        return sum(n for kind, n in self.kinds if kind != "inconsistent")


# ------------------------------------------------------------------ input
def iter_items(path: str | Path) -> Iterator[Item]:
    """The cases of ``path``, in a fixed order, without loading them.

    A folder yields its case files depth first, each folder's entries sorted by
    name (the order of :func:`pyreasoner.case.find_case_files`); a ``.jsonl`` file
    yields its non-blank lines. Nothing is held in memory but the current folder's
    listing.
    """
    path = Path(path)
    if path.is_dir():
        for index, file in enumerate(_walk(path)):
            yield index, "file", str(file), str(file)
    elif path.is_file() and path.suffix in JSONL_SUFFIXES:
        index = 0
        with path.open("rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    text = raw.decode("utf-8", "replace")
                if lineno == 1:
                    text = text.removeprefix("\ufeff")  # a byte-order mark
                yield index, "line", text, f"{path}:{lineno}"
                index += 1
    elif path.is_file() and path.suffix in CASE_SUFFIXES:
        yield 0, "file", str(path), str(path)
    elif path.exists():
        raise UsageError(str(path), None, f"expected a folder of case files or a JSON Lines file ({', '.join(JSONL_SUFFIXES)})")
    else:
        raise UsageError(str(path), None, "no such file or folder")


def _walk(folder: Path) -> Iterator[Path]:
    """Case files under ``folder``, as ``pyreasoner solve`` finds them: symbolic links to
    folders are not followed (no loops); an entry with a case suffix that is not a folder
    is yielded even when it is no regular file (a FIFO, a broken or looping link), so that
    it gets its own error record instead of hanging the batch or vanishing."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        raise UsageError(str(folder), None, f"cannot read the folder: {exc.strerror or exc}") from None
    for entry in entries:
        try:
            real_dir = entry.is_dir(follow_symlinks=False)
            any_dir = real_dir or entry.is_dir()
        except OSError:
            real_dir = any_dir = False
        if real_dir:
            yield from _walk(Path(entry.path))
        elif not any_dir and os.path.splitext(entry.name)[1] in CASE_SUFFIXES:
            yield Path(entry.path)


def _count_items(path: Path) -> int | None:
    """How many items :func:`iter_items` will yield (for the progress bar)."""
    try:
        if path.is_dir():
            return sum(1 for _ in _walk(path))
        if path.suffix in JSONL_SUFFIXES:
            with path.open("rb") as fh:
                return sum(1 for raw in fh if raw.strip())
        return 1
    except OSError:
        return None


# ------------------------------------------------------------------ solving
class ChunkSolver:
    """Solves chunks of input items into output records (one per item, in order).

    The valid cases of a chunk are grounded together, once, over the encodings
    rewritten for case tagging (:func:`pyreasoner._engine.tag_program`): every
    case-dependent atom carries the case's index, so the chunk's ground program is
    one disjoint copy per case and the grounder's fixed cost is paid once per chunk.
    Each case is then solved by assumptions (its own ``active`` guard true, the
    others false). Entities keep their own names: nothing is renamed.

    A case with no answer set is solved again on its own by the reference path
    (:func:`pyreasoner._engine.solve`), which names the minimal core over its
    facts; so is every case of a chunk whose grounding fails, and every case when
    the encodings cannot be tagged (a clash with a reserved name, say). The tests
    check every record against :meth:`pyreasoner.Reasoner.solve` on the bundled
    and generated corpora.

    Parameters
    ----------
    config:
        The batch options.
    reasoner:
        The reasoner to use (by default one built from ``config.encodings``).
    """

    def __init__(self, config: BatchConfig, reasoner: Reasoner | None = None) -> None:
        self.config = config
        self.reasoner = reasoner if reasoner is not None else Reasoner(config.encodings)
        self.program = _engine.without_comments(self.reasoner.rulebase.program)
        self.selection, self.denied = self.reasoner._selection(list(config.views), config.include_rejected)
        self._mode_facts: list[str] = ["allow_rejected"] + (["explore"] if config.explore else [])
        self.tagged: _engine.TaggedProgram | None = None
        #: why the chunk engine is off (``None`` when it is on)
        self.untaggable: str | None = None
        if config.shared:
            inputs = [(s, 1) for s in STATUSES] + [("fact_pred", 2)]
            reserved = sorted(n for n in self.reasoner.vocabulary if n.startswith("pyreasoner_"))
            try:
                if reserved:
                    raise UsageError("vocabulary", reserved[0], "names beginning with pyreasoner_ are reserved "
                                     "by the batch engine")
                self.tagged = _engine.tag_program(self.program, inputs, STATUSES)
            except PyreasonerError as exc:
                self.untaggable = str(exc)
            except Exception as exc:  # an AST form the rewriting does not know: solve alone
                self.untaggable = f"the batch engine cannot rewrite the encodings: {type(exc).__name__}: {exc}"

    # .................................................................. parse
    def _case(self, item: Item) -> Case:
        _, kind, payload, source = item
        if kind == "file":
            case = load_case(payload, self.reasoner.vocabulary)
        else:
            file, _, line = source.rpartition(":")
            doc = load_json(payload, file, f"line {line}")
            try:
                case = case_from_data(doc, self.reasoner.vocabulary, file=file)
            except CaseError as exc:
                raise CaseError(file, f"line {line}" + (f": {exc.where}" if exc.where else ""), exc.message) from None
        return case  # load_case and case_from_data validate and canonicalise every fact

    # .................................................................. solve
    def solve_chunk(self, items: Sequence[Item]) -> ChunkOut:
        """Solve a chunk; return ``(record line, timing)`` per item, in order."""
        parsed: list[Case | PyreasonerError] = []
        for item in items:
            try:
                parsed.append(self._case(item))
            except PyreasonerError as exc:
                parsed.append(exc)
            except Exception as exc:  # one bad case never stops the batch
                parsed.append(CaseError(item[3], None, f"cannot read the case: {type(exc).__name__}: {exc}"))
        slot: dict[int, int] = {}  # item position -> case index in the chunk's ground program
        for i, case in enumerate(parsed):
            if isinstance(case, Case) and len(case.facts) <= BIG_CASE_FACTS:  # a big case is solved alone
                slot[i] = len(slot)
        ground: _engine.ChunkGround | None = None
        input_share = ground_share = 0.0
        if self.tagged is not None and slot:
            try:
                with memory_bound(self.config.memory):
                    ground = _engine.ChunkGround(
                        self.tagged, [[(f.status, f.term, f.predicate) for f in cast(Case, parsed[i]).facts] for i in slot],
                        self._mode_facts)
                input_share = ground.input_seconds / len(slot)
                ground_share = ground.ground_seconds / len(slot)
            except Exception:  # grounding the chunk failed: solve each case on its own
                ground = None
        try:
            return self._records(items, parsed, slot, ground, input_share, ground_share)
        except _ChunkFault:
            # A fault other than a timeout (a MemoryError, say) inside the chunk's control may
            # leave it answering nonsense (one empty answer set, which reads as "no
            # liability"): drop it and solve every case of the chunk again, each alone.
            ground = None
            gc.collect()
            return self._records(items, parsed, slot, None, 0.0, 0.0)

    def _records(self, items: Sequence[Item], parsed: list[Case | PyreasonerError], slot: dict[int, int],
                 ground: _engine.ChunkGround | None, input_share: float, ground_share: float) -> ChunkOut:
        out: ChunkOut = []
        for i, (item, case) in enumerate(zip(items, parsed, strict=True)):  # one parsed case per item
            t0 = time.perf_counter()
            index, _, _, source = item
            timing: Timing = {"index": index, "source": source, "pid": os.getpid()}
            if not isinstance(case, Case):
                case_id = _item_id(item)
                record, status = _error_record(index, case_id, source, "invalid", str(case)), "invalid"
                timing.update({"case": case_id, "engine": "none"})
            else:
                timing["case"] = case.id
                try:
                    with memory_bound(self.config.memory):
                        raw: _engine.SolveOutcome | None = None
                        if ground is not None and i in slot:
                            try:
                                raw = ground.solve(slot[i], self.denied, timeout=self.config.timeout)
                            except (TimeoutError, PyreasonerError):
                                raise
                            except Exception as exc:  # the shared control is no longer trusted
                                raise _ChunkFault() from exc
                            timing.update({"engine": "chunk", "input": round(input_share, 6),
                                           "ground": round(ground_share, 6), "solve": round(raw.solve_seconds, 6)})
                            if not raw.satisfiable:
                                raw = None  # no answer set: the reference path names the core
                        if raw is None:
                            raw = self._solve_alone(case, timing)
                        result = _result(case.id, self.selection, self.config.include_rejected,
                                         self.config.explore, raw)
                        record, status = _result_record(index, source, result)
                        if self.config.explain and status == "ok":  # issue 7: batch --explain
                            from .explain import explain_all

                            explained: dict[str, object] = json.loads(record)
                            explained["explanation"] = explain_all(self.reasoner, case, result)
                            record = _dumps(explained)
                except _ChunkFault:
                    raise
                except TimeoutError:
                    status = "timeout"
                    record = _error_record(index, case.id, source, status,
                                           f"no result within the time limit of {self.config.timeout:g} s")
                except MemoryError:
                    status = "memory"
                    gc.collect()
                    record = _error_record(index, case.id, source, status,
                                           f"the case needs more than the memory bound of {self.config.memory} MB "
                                           "(--max-memory)")
                except PyreasonerError as exc:
                    status = "invalid"
                    record = _error_record(index, case.id, source, status, str(exc))
                except Exception as exc:  # one bad case never stops the batch
                    status = "internal"
                    record = _error_record(index, case.id, source, status, f"{type(exc).__name__}: {exc}")
            shared = input_share + ground_share if timing.get("engine", "").startswith("chunk") else 0.0
            timing["seconds"] = round(time.perf_counter() - t0 + shared, 6)
            timing["status"] = status
            out.append((record, timing))
        return out

    def _solve_alone(self, case: Case, timing: Timing) -> _engine.SolveOutcome:
        """The reference path: a fresh ground for one case, with its core when it has
        no answer set. Adds its own clingo times to ``timing``."""
        facts, assumed = self.reasoner._inputs(case, self.config.explore)
        raw = _engine.solve(self.program, facts, assumed, self.denied, timeout=self.config.timeout)
        engine = "chunk+single" if timing.get("engine") == "chunk" else "single"
        timing.update({"engine": engine, "ground": round(timing.get("ground", 0.0) + raw.ground_seconds, 6),
                       "solve": round(timing.get("solve", 0.0) + raw.solve_seconds, 6)})
        return raw


class _ChunkFault(Exception):
    """A chunk's shared control failed with something other than a timeout."""


def _item_id(item: Item) -> str | None:
    """The id of an invalid case when its document still says one, else ``None``."""
    if item[1] != "line":
        return None
    try:
        doc = json.loads(item[2])
    except (ValueError, RecursionError):
        return None
    case_id = doc.get("id") if isinstance(doc, dict) else None
    return case_id if isinstance(case_id, str) else None


def _dumps(record: collections.abc.Mapping[str, object]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _result_record(index: int, source: str, result: Result) -> tuple[str, str]:
    """The record of a solved case and its status (``ok`` or ``inconsistent``)."""
    if not result.consistent:
        return _error_record(index, result.case_id, source, "inconsistent",
                             "no answer set: the case's facts contradict the encodings",
                             core=list(result.core)), "inconsistent"
    body = result.to_json()
    record = {"index": index, "case": body.pop("case"), "source": source}
    record.update(body)
    return _dumps(record), "ok"


def _error_record(index: int, case_id: str | None, source: str, kind: str, message: str, **extra: list[str]) -> str:
    error = {"kind": kind, "message": message, **extra}
    return _dumps({"index": index, "case": case_id, "source": source, "error": error})


# ------------------------------------------------------------------ workers
_SOLVERS: dict[BatchConfig, ChunkSolver] = {}


def solve_chunk(config: BatchConfig, items: Sequence[Item]) -> ChunkOut:
    """Worker entry point (process pool or Dask): one solver per process and config."""
    solver = _SOLVERS.get(config)
    if solver is None:
        solver = _SOLVERS[config] = ChunkSolver(config)
    return solver.solve_chunk(items)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_Pending = TypeVar("_Pending")
_Done = TypeVar("_Done")


def _ordered(submit: Callable[[list[Item]], _Pending], result: Callable[[_Pending], _Done],
             chunks: Iterator[list[Item]], window: int) -> Iterator[_Done]:
    """Run chunks with at most ``window`` in flight; yield results in input order."""
    pending: collections.deque[_Pending] = collections.deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


# ------------------------------------------------------------------ unique ids
class _IdIndex:
    """Case id -> byte offset, in the output file, of the first record with that id.

    An open-addressing table of 8-byte id digests and offsets in two ``array``s, 35-70%
    full (23-46 bytes an id, against some 150 for a dict of strings), so that a run over
    millions of cases stays small. A digest is only a candidate: the id is compared with
    the one in the record at the stored offset, read back from the output file, so two ids
    with one digest are never taken for one.
    """

    def __init__(self, read_record: Callable[[int], _RecordHead]) -> None:
        self._read = read_record
        self._count = 0
        self._allocate(1 << 12)

    def _allocate(self, size: int) -> None:
        self._size = size
        self._keys = array.array("Q", bytes(8 * size))  # 0: empty slot
        self._offsets = array.array("q", bytes(8 * size))

    @staticmethod
    def _digest(case_id: str) -> int:
        d = int.from_bytes(hashlib.blake2b(case_id.encode("utf-8"), digest_size=8).digest(), "little")
        return d or 1

    def first(self, case_id: str, offset: int) -> _RecordHead | None:
        """The first record with ``case_id`` (as read back), or None after noting that the
        record at ``offset`` is the first."""
        key, mask = self._digest(case_id), self._size - 1
        slot = key & mask
        while self._keys[slot]:
            if self._keys[slot] == key:
                record = self._read(self._offsets[slot])
                if record.get("case") == case_id:
                    return record
            slot = (slot + 1) & mask
        self._keys[slot], self._offsets[slot] = key, offset
        self._count += 1
        if self._count * 10 > self._size * 7:
            self._grow()
        return None

    def _grow(self) -> None:
        keys, offsets = self._keys, self._offsets
        self._allocate(2 * self._size)
        mask = self._size - 1
        for key, offset in zip(keys, offsets, strict=True):  # allocated together, one size
            if key:
                slot = key & mask
                while self._keys[slot]:
                    slot = (slot + 1) & mask
                self._keys[slot], self._offsets[slot] = key, offset


class _RecordHead(TypedDict, total=False):
    """The keys of a record read back from the output (every record has them)."""

    index: int
    case: str | None
    source: str


def _record_reader(path: Path, flush: Callable[[], object]) -> Callable[[int], _RecordHead]:
    """Read back the record that starts at a byte offset of the output file."""
    def read(offset: int) -> _RecordHead:
        flush()
        with path.open("rb") as fh:
            fh.seek(offset)
            record: _RecordHead = json.loads(fh.readline())
            return record
    return read


# ------------------------------------------------------------------ resume
def _resume_point(out: Path, timings: Path | None, ids: _IdIndex) -> tuple[int, str | None]:
    """Cut a torn last line off ``out``; return how many complete records it holds and
    the source of the last one; note each case id's first record in ``ids``. The
    timings sidecar is cut to match."""
    count, last_source, good = 0, None, 0
    with out.open("rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                break
            try:
                rec = json.loads(raw)
            except ValueError:
                break
            if not isinstance(rec, dict) or rec.get("index") != count:
                break
            if isinstance(rec.get("case"), str):
                ids.first(rec["case"], good)
            count += 1
            last_source = rec.get("source")
            good += len(raw)
    if good != out.stat().st_size:
        with out.open("r+b") as fh:
            fh.truncate(good)
    if timings is not None and timings.exists():
        keep = 0
        with timings.open("rb") as fh:
            for raw in fh:
                try:
                    ok = raw.endswith(b"\n") and json.loads(raw).get("index", count) < count
                except ValueError:
                    ok = False
                if not ok:
                    break
                keep += len(raw)
        with timings.open("r+b") as fh:
            fh.truncate(keep)
    return count, last_source


# ------------------------------------------------------------------ progress
class _Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, stream: IO[str] | None, total: int | None, done: int) -> None:
        self.stream = stream
        self.total = total
        self.start_done = done
        self.done = done
        self.t0 = time.monotonic()
        self.last = 0.0

    def update(self, n: int, *, final: bool = False) -> None:
        self.done += n
        if self.stream is None:
            return
        now = time.monotonic()
        if not final and now - self.last < 0.2:
            return
        self.last = now
        elapsed = max(now - self.t0, 1e-9)
        rate = (self.done - self.start_done) / elapsed
        if self.total:
            left = max(self.total - self.done, 0)
            eta = _hms(left / rate) if rate > 0 else "?"
            text = f"{self.done}/{self.total} cases  {rate:,.0f} cases/s  {eta} left"
        else:
            text = f"{self.done} cases  {rate:,.0f} cases/s"
        self.stream.write("\r" + text.ljust(60) + ("\n" if final else ""))
        self.stream.flush()


def _hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


# ------------------------------------------------------------------ driver
def run_batch(input: str | Path, out: str | Path, *, config: BatchConfig = BatchConfig(), workers: int | None = None,
              executor: str = "local", scheduler: str | None = None, resume: bool = False, chunk_size: int = 64,
              timings: str | Path | bool | None = True, progress: IO[str] | None = None,
              recycle: int = RECYCLE) -> BatchStats:
    """Solve every case of ``input`` and write one record per case to ``out``.

    Parameters
    ----------
    input:
        A folder of case files or a JSON Lines file of case documents.
    out:
        The output JSON Lines file (one record per case, in input order).
    config:
        Views, modes, per-case timeout.
    workers:
        Worker processes for the local executor (default: all cores); 0 solves in this
        process (clingo's symbol table then grows with the corpus, see ``recycle``).
    executor:
        ``"local"`` or ``"dask"`` (needs ``scheduler``, the address of a Dask scheduler).
    resume:
        Continue an interrupted run: keep the complete records already in ``out``
        and solve the rest; the final file is byte-identical to an uninterrupted run.
    chunk_size:
        Cases grounded together (and sent to a worker together).
    recycle:
        Cases a worker process solves before it is replaced by a fresh one (0: never).
        clingo keeps every symbol it ever made until its process ends, and the case
        index makes each chunk's atoms new ones, so a worker grows by a few KB per
        case; replacing it keeps memory flat (cost: one start, about a second).
    timings:
        The sidecar file of timings; ``True``: ``OUT.timings``; ``None``/``False``: none.
    progress:
        A stream for the progress bar (a terminal), or ``None``.
    """
    input_path, out_path = Path(input), Path(out)
    items = iter_items(input_path)
    first = next(items, None)  # fail early on a bad input path
    if first is None:
        raise UsageError(str(input_path), None, "no cases: " + (f"no case files ({', '.join(CASE_SUFFIXES)}) in this "
                         "folder" if input_path.is_dir() else "the file holds no case"))
    timing_path = Path(str(out_path) + ".timings") if timings is True else (Path(timings) if timings else None)
    if chunk_size < 1:
        raise UsageError("chunk_size", str(chunk_size), "expected a positive number")
    if config.timeout is not None and not 0 < config.timeout <= MAX_TIMEOUT:  # nan fails both comparisons
        raise UsageError("config.timeout", str(config.timeout), f"expected a number of seconds above 0 and at most "
                         f"{MAX_TIMEOUT:g}")
    if config.memory is not None and config.memory < 0:
        raise UsageError("config.memory", str(config.memory), "expected megabytes >= 0 (0: no bound)")
    if workers is not None and workers < 0:
        raise UsageError("workers", str(workers), "expected a number of worker processes >= 0 (0: this process)")
    if recycle < 0:
        raise UsageError("recycle", str(recycle), "expected a number of cases >= 0 (0: never)")
    run_path = Path(str(out_path) + RUN_SUFFIX)
    if out_path.is_dir():
        raise UsageError("out", str(out_path), "is a folder; expected a file")
    if not out_path.parent.is_dir():
        raise UsageError("out", str(out_path), f"no such folder {str(out_path.parent)!r}")
    _refuse_the_input(input_path, {"--out": out_path, "the timings file": timing_path, "the run file": run_path})
    header = run_header(input_path, config)
    skip = 0
    writer: list[IO[bytes]] = []  # the open output file, once it is open (read-backs flush it first)
    ids = _IdIndex(_record_reader(out_path, lambda: writer and writer[0].flush()))  # ids must be unique
    if resume and out_path.exists() and out_path.stat().st_size:
        _check_header(run_path, header, out_path)
        skip, last_source = _resume_point(out_path, timing_path, ids)
    elif resume:
        last_source = None
    all_items = _chain(first, items)
    if skip:
        for item in all_items:
            if item[0] == skip - 1:
                if item[3] != last_source:
                    raise UsageError("resume", str(out_path), f"record {skip - 1} is {last_source!r} but input item "
                                     f"{skip - 1} is {item[3]!r}: the output was written for another input")
                break
        else:
            raise UsageError("resume", str(out_path), f"the output holds {skip} records but the input has fewer cases")
    mode = "ab" if skip else "wb"
    if not skip:
        _write_file(run_path, (json.dumps(header, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    if timing_path is not None and not (skip and timing_path.exists()):
        _write_file(timing_path, b"")
    bar = _Progress(progress, _count_items(input_path) if progress is not None else None, skip)
    # every record says what it was computed with (versions, rule base fingerprint)
    stamp = ',"provenance":' + json.dumps(provenance(config.encodings), separators=(",", ":")) + "}\n"
    chunks = _chunks(all_items, chunk_size)
    t0 = time.perf_counter()
    cases = errors = 0
    kinds: collections.Counter[str] = collections.Counter()
    results: Iterator[ChunkOut]
    close: Callable[[], None] = _nothing
    kill: Callable[[], None] = _nothing
    if executor == "dask":
        results, close = _dask_results(config, chunks, scheduler)
    elif executor == "local":
        n = workers if workers is not None else (os.cpu_count() or 1)
        if n == 0:
            solver = ChunkSolver(config)
            results = (solver.solve_chunk(c) for c in chunks)
        else:
            import concurrent.futures
            import multiprocessing

            script = _unguarded_main()
            if script is not None:
                raise UsageError(script, None, "run_batch starts worker processes, and each imports this script "
                                 "again, which would start the batch again: call run_batch under "
                                 "'if __name__ == \"__main__\":', or pass workers=0 to solve in this process")

            tasks = max(1, recycle // chunk_size) if recycle else None
            pool = concurrent.futures.ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"),
                                                          max_tasks_per_child=tasks, initializer=_die_with_parent,
                                                          initargs=(os.getpid(),))
            close = lambda: pool.shutdown(wait=True, cancel_futures=True)  # noqa: E731
            kill = lambda: _kill_pool(pool)  # noqa: E731
            def result(future: concurrent.futures.Future[ChunkOut]) -> ChunkOut:
                try:
                    return future.result()
                except concurrent.futures.process.BrokenProcessPool:
                    raise UsageError(str(out_path), None, "a worker process died (out of memory, or killed); the "
                                     "records written so far are kept: rerun with --resume") from None

            results = _ordered(lambda c: pool.submit(solve_chunk, config, c), result, chunks, 2 * n)
    else:
        raise UsageError("executor", executor, "expected local or dask")
    try:
        with out_path.open(mode) as fh, (timing_path.open("ab") if timing_path else _Null()) as th:
            writer.append(fh)
            for chunk_out in results:
                for record, timing in chunk_out:
                    case_id = timing.get("case")
                    if isinstance(case_id, str):
                        earlier = ids.first(case_id, fh.tell())
                        if earlier is not None:
                            record = _error_record(
                                timing["index"], case_id, timing["source"], "invalid",
                                f"{timing['source']}: id: {case_id!r} is already the id of record {earlier['index']}; "
                                "expected case ids unique within a batch")
                            timing["status"] = "invalid"
                    fh.write((record[:-2] + stamp).encode("utf-8"))  # record: one JSON object, "}\n"
                    cases += 1
                    errors += timing.get("status") != "ok"
                    if timing.get("status") != "ok":
                        kinds[timing["status"]] += 1  # every timing has one (ChunkSolver._records)
                    if timing_path:
                        th.write(_dumps(timing).encode("utf-8"))
                fh.flush()
                if timing_path:
                    th.flush()
                bar.update(len(chunk_out))
    except OSError as exc:
        raise UsageError(str(out_path), None, f"cannot write: {exc.strerror or exc}; the complete records written so "
                         "far are kept: rerun with --resume") from None
    except BaseException:  # Ctrl-C, a worker's death: stop the workers now, not after their chunks
        kill()
        raise
    finally:
        close()
    bar.update(0, final=True)
    return BatchStats(cases=cases, errors=errors, skipped=skip, seconds=time.perf_counter() - t0,
                      kinds=tuple(sorted(kinds.items())))


def _nothing() -> None:
    """Nothing to close or kill (no pool of workers)."""


def _die_with_parent(parent: int) -> None:
    """Worker initializer: have the kernel kill this worker when the batch's main process
    dies, even by SIGKILL (``PR_SET_PDEATHSIG``, Linux), so that no worker outlives its
    batch (nor, then, the resource tracker, which ends when the last of them closes its
    pipe)."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)


def _kill_pool(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Kill a process pool's workers at once (Ctrl-C: the records written so far are kept)."""
    for proc in list(getattr(pool, "_processes", {}).values()):  # the executor keeps no public list
        with contextlib.suppress(OSError, AttributeError):
            proc.kill()


#: The run file next to the output (``OUT.run``): what the records were computed from.
RUN_SUFFIX = ".run"
#: Options of :class:`BatchConfig` that change records (a resume must use the same).
_RESULT_OPTIONS = ("views", "include_rejected", "explore", "timeout", "explain", "memory")


class _RunInput(TypedDict):
    path: str
    sha256: str


class _RunRules(TypedDict):
    master: str
    sha256: str


class RunHeader(TypedDict):
    """The run file (``OUT.run``) of a batch: what its records depend on."""

    pyreasoner_batch: int
    input: _RunInput
    #: the options of :data:`_RESULT_OPTIONS`, by name (``views`` sorted)
    options: dict[str, object]
    rulebase: _RunRules
    clingo: str


def run_header(input: str | Path, config: BatchConfig) -> RunHeader:
    """What a batch's records depend on: a fingerprint of the input, the options that change
    results, a digest of the rule base's files and the clingo version. Written to
    ``OUT.run``; ``--resume`` refuses an output whose run file says otherwise.

    The input's fingerprint is the SHA-256 of its bytes (a JSON Lines file or one case file)
    or, for a folder, of every case file's relative path, size and modification time (read
    in the order the batch reads them, without reading the files)."""
    path = Path(input)
    digest = hashlib.sha256()
    if path.is_dir():
        for file in _walk(path):
            try:
                st = file.stat()
            except OSError:  # a broken or looping link: it gets an error record, its own state counts
                st = file.lstat()
            digest.update(f"{file.relative_to(path).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8",
                                                                                                    "surrogateescape"))
    else:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    master = Path(config.encodings) if config.encodings else None
    from .rulebase import default_master

    master = default_master() if master is None else (master / "main.lp" if master.is_dir() else master)
    rules = hashlib.sha256()
    for file in _engine.parse_program(master).files:
        rules.update(str(file.relative_to(master.parent) if file.is_relative_to(master.parent) else file).encode())
        rules.update(b"\0" + file.read_bytes() + b"\0")
    options: dict[str, object] = {name: getattr(config, name) for name in _RESULT_OPTIONS}
    options["views"] = sorted(config.views)  # the value just read
    return {"pyreasoner_batch": 1, "input": {"path": str(path), "sha256": digest.hexdigest()},
            "options": options, "rulebase": {"master": str(master), "sha256": rules.hexdigest()},
            "clingo": _engine.clingo_version()}


def _check_header(run_path: Path, header: RunHeader, out_path: Path) -> None:
    """Refuse a resume whose run file is missing or differs from this run, naming what differs."""
    try:
        old = json.loads(run_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError("resume", str(out_path), f"no run file {run_path}: cannot tell which input, options and rule "
                         "base the records were written for; rerun without --resume") from None
    except (OSError, ValueError) as exc:
        raise UsageError("resume", str(run_path), f"unreadable run file ({exc}); rerun without --resume") from None
    if not isinstance(old, dict) or old.get("pyreasoner_batch") != 1:
        raise UsageError("resume", str(run_path), "not a pyreasoner run file; rerun without --resume")
    differs = []
    if old.get("input", {}).get("sha256") != header["input"]["sha256"]:
        differs.append(f"another input (the records were written for {old.get('input', {}).get('path')!r}, whose "
                       "content or files differ from this input's)")
    old_options = old.get("options", {})
    for name in _RESULT_OPTIONS:
        if old_options.get(name) != header["options"][name]:
            differs.append(f"{name} (was {old_options.get(name)!r}, now {header['options'][name]!r})")
    if old.get("rulebase", {}).get("sha256") != header["rulebase"]["sha256"]:
        differs.append("the rule base (its files changed or another --encodings)")
    if old.get("clingo") != header["clingo"]:
        differs.append(f"the clingo version (was {old.get('clingo')!r}, now {header['clingo']!r})")
    if differs:
        raise UsageError("resume", str(out_path), "the output was written by another run: " + "; ".join(differs)
                         + "; rerun without --resume (or with the same input and options)")


def _refuse_the_input(input_path: Path, outputs: dict[str, Path | None]) -> None:
    """An output file that is the input (same file, by inode) or, for a folder input, a
    case file inside it, would destroy the corpus: refuse it."""
    try:
        st = input_path.stat()
    except OSError:
        return
    for label, path in outputs.items():
        if path is None:
            continue
        try:
            other = path.stat()
        except OSError:
            other = None
        if other is not None and (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
            raise UsageError(label, str(path), f"is the input {input_path}: writing it would destroy the input; "
                             "expected another file")
        if input_path.is_dir() and path.suffix in CASE_SUFFIXES:
            try:
                inside = path.resolve().is_relative_to(input_path.resolve())
            except OSError:
                inside = False
            if inside:
                raise UsageError(label, str(path), f"is a case file inside the input folder {input_path}; expected "
                                 "a file outside it")


def _write_file(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UsageError(str(path), None, f"cannot write: {exc.strerror or exc}") from None


class _Null:
    """A writer of nothing (no timings file): its ``write`` and ``flush`` are never called."""

    def __enter__(self) -> _Null:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        return None


def _chain(first: Item | None, rest: Iterator[Item]) -> Iterator[Item]:
    if first is not None:
        yield first
        yield from rest


def _dask_results(config: BatchConfig, chunks: Iterator[list[Item]],
                  scheduler: str | None) -> tuple[Iterator[ChunkOut], Callable[[], None]]:
    if not scheduler:
        raise UsageError("scheduler", "", "the dask executor needs the address of a scheduler, e.g. tcp://host:8786")
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("executor", "dask", "Dask is not installed: pip install 'pyreasoner[dask]'") from None
    try:
        client = Client(scheduler, timeout="20s")  # type: ignore[no-untyped-call]  # distributed does not annotate it
    except (OSError, TimeoutError) as exc:
        raise UsageError("scheduler", scheduler, f"cannot reach the Dask scheduler: {exc}") from None
    threads = sum(client.nthreads().values()) or 1  # type: ignore[no-untyped-call]  # nor this
    results = _ordered(lambda c: client.submit(solve_chunk, config, c, pure=False), lambda f: f.result(),
                       chunks, 2 * threads)
    return results, client.close


# ------------------------------------------------------------------ CLI
def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner batch`` to the command line."""
    from .cli import add_solving_options

    p = subparsers.add_parser("batch", help="solve a corpus of cases into a JSON Lines file of results",
                              description="Solve every case of a folder or a JSON Lines file; one record per case, "
                              "in input order, byte-identical for every number of workers and after --resume.")
    p.add_argument("input", metavar="INPUT", help="a folder of case files or a .jsonl file of case documents")
    p.add_argument("--out", required=True, metavar="FILE", help="the results file (JSON Lines; '-': standard output, "
                   "without the timings sidecar)")
    add_solving_options(p)
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS", help="time limit to solve one case")
    p.add_argument("--max-memory", type=int, default=MEMORY_MB, metavar="MB",
                   help=f"memory one case may take before it gets a 'memory' error record (default {MEMORY_MB}; "
                   "0: no bound)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores; 0 solves in this process)")
    p.add_argument("--recycle", type=int, default=RECYCLE, metavar="N",
                   help=f"cases a worker solves before a fresh one replaces it, keeping memory flat (default {RECYCLE}; "
                   "0: never)")
    p.add_argument("--executor", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --executor dask)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run into the same --out file")
    p.add_argument("--chunk-size", type=int, default=64, metavar="N", help="cases grounded together (default 64)")
    p.add_argument("--no-timings", action="store_true", help="do not write the OUT.timings sidecar")
    p.add_argument("--explain", action="store_true", help="attach explanations (derivation trees, relevance of "
                   "unknown facts) to every record; see docs/explain.md")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, reasoner: Reasoner) -> int:
    if args.timeout is not None and not 0 < args.timeout <= MAX_TIMEOUT:  # nan fails both comparisons
        raise UsageError("--timeout", str(args.timeout), f"expected a number of seconds above 0 and at most "
                         f"{MAX_TIMEOUT:g}")
    if args.max_memory < 0:
        raise UsageError("--max-memory", str(args.max_memory), "expected megabytes >= 0 (0: no bound)")
    reasoner._selection(args.view, args.include_rejected)  # a bad --view is a usage error before any work
    config = BatchConfig(encodings=str(reasoner.rulebase.master), views=tuple(args.view),
                         include_rejected=args.include_rejected, explore=args.explore, timeout=args.timeout,
                         explain=args.explain, memory=args.max_memory or None)
    if args.out == "-":  # the records to standard output (written to a file first: ids are checked by reading back)
        if args.resume:
            raise UsageError("--resume", "-", "cannot resume into standard output; give --out a file")
        import tempfile

        with tempfile.TemporaryDirectory(prefix="pyreasoner-batch-") as tmp:
            out = Path(tmp) / "results.jsonl"
            try:
                stats = run_batch(args.input, out, config=config, workers=args.workers, executor=args.executor,
                                  scheduler=args.scheduler, chunk_size=args.chunk_size, timings=False,
                                  progress=sys.stderr if sys.stderr.isatty() else None, recycle=args.recycle)
            except KeyboardInterrupt:
                print("\ninterrupted: nothing was written to standard output; run the command again", file=sys.stderr)
                return 130
            with out.open("rb") as fh:
                while block := fh.read(1 << 20):
                    sys.stdout.buffer.write(block)
            sys.stdout.flush()
        by_kind = ", ".join(f"{n} {kind}" for kind, n in stats.kinds)
        print(f"{stats.cases} cases written to standard output ({stats.errors} error records"
              + (f": {by_kind}" if by_kind else "") + f") in {stats.seconds:.1f} s", file=sys.stderr)
        return EXIT_ERROR_RECORDS if stats.failures else 0
    try:
        stats = run_batch(args.input, args.out, config=config, workers=args.workers, executor=args.executor,
                          scheduler=args.scheduler, resume=args.resume, chunk_size=args.chunk_size,
                          timings=not args.no_timings, progress=sys.stderr if sys.stderr.isatty() else None,
                          recycle=args.recycle)
    except KeyboardInterrupt:
        print(f"\ninterrupted: the complete records are kept in {args.out}; continue with the same command and "
              "--resume", file=sys.stderr)
        return 130
    by_kind = ", ".join(f"{n} {kind}" for kind, n in stats.kinds)
    print(f"{stats.cases} cases written to {args.out} ({stats.errors} error records" + (f": {by_kind}" if by_kind else "")
          + (f", {stats.skipped} kept from the previous run" if stats.skipped else "") + f") in {stats.seconds:.1f} s",
          file=sys.stderr)
    return EXIT_ERROR_RECORDS if stats.failures else 0
