"""The chunk solver: the cases of a chunk grounded together once and solved in one call.

:class:`ChunkSolver` turns a chunk of input items into one record per item (see its
docstring); :func:`solve_chunk` is the entry point of worker processes (a process pool
or Dask): it is module-level so that workers started by ``spawn`` find it by this path.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from .. import _engine, cache
from ..case import STATUSES, Case, case_from_json_line, load_case
from ..contract import CASE_INPUTS
from ..errors import CaseError, PyreasonerError, UsageError
from ..query import Query
from ..reasoner import Reasoner
from .config import BatchConfig
from .items import Item
from .memory import memory_bound
from .records import ChunkOut, Timing, _dumps, _error_record, _item_id, _result_record

#: A case with more facts than this is solved alone, never in its chunk's shared ground:
#: grounding once gains nothing for one case, and the tagged encodings cost it more memory (a
#: 10 MB case of 48,000 facts, every view: 1.71 GB in the shared ground, 1.60 GB alone).
BIG_CASE_FACTS = 5_000


class ChunkSolver:
    """Solves chunks of input items into output records (one per item, in order).

    The valid cases of a chunk are grounded together, once, over the encodings
    rewritten for case tagging (:func:`pyreasoner._engine.tag_program`): every
    case-dependent atom carries the case's index, so the chunk's ground program is
    one disjoint copy per case and the grounder's fixed cost is paid once per chunk.
    All its cases are then solved in one call, which enumerates the answers of each
    (:class:`pyreasoner._engine.ChunkGround`). Entities keep their own names: nothing is
    renamed.

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
        from .warm import get  # here, not at the top: warm imports this module to fill itself

        warm = get(config) if reasoner is None else None
        if config.rules is not None and warm is None:
            # before the rules are read, and again after; the fork server checked both when it
            # read them for a warm start, and get() that its files are still those bytes
            _check_rules(config)
        self.reasoner = reasoner if reasoner is not None else warm[0] if warm is not None else Reasoner(config.encodings)
        if config.rules is not None:
            _check_rules(config)
        self.program = self.reasoner.rulebase.solver_program
        self.query = Query.of(self.reasoner.issues, list(config.views), include_rejected=config.include_rejected,
                              explore=config.explore)
        self.tagged: _engine.TaggedProgram | None = None
        #: why the chunk engine is off (``None`` when it is on)
        self.untaggable: str | None = None
        if config.shared:
            inputs = list(CASE_INPUTS)
            reserved = sorted(n for n in self.reasoner.vocabulary if n.startswith("pyreasoner_"))
            try:
                if reserved:
                    raise UsageError("vocabulary", reserved[0], "names beginning with pyreasoner_ are reserved "
                                     "by the batch engine")
                # a warm reasoner was tagged by the fork server (pyreasoner.batch.warm)
                self.tagged = (warm[1] if warm is not None else None) or _tag(self.program, inputs, config)
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
            if kind == "error":  # a line that is no text (pyreasoner.batch.items)
                raise CaseError(file, f"line {line}", payload)
            case = case_from_json_line(payload, self.reasoner.vocabulary, file=file, line=line)
        return case  # load_case and case_from_data validate and canonicalise every fact

    # .................................................................. solve
    def solve_chunk(self, items: Sequence[Item], *, process_ends: bool = False) -> ChunkOut:
        """Solve a chunk; return ``(record line, timing)`` per item, in order.

        ``process_ends``: this process ends (by ``os._exit``) once the records are returned,
        as a pool worker does after its last task (``--recycle``). The chunk's control is
        then left to the end of the process: the kernel takes its memory back at once,
        where clingo's destructor walks it first (20-30 ms a chunk of 48 generated cases)."""
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
                        list(self.query.modes))
                input_share = ground.input_seconds / len(slot)
                ground_share = ground.ground_seconds / len(slot)
            except Exception:  # grounding the chunk failed: solve each case on its own
                ground = None
        try:
            out = self._records(items, parsed, slot, ground, input_share, ground_share)
            if process_ends and ground is not None:
                _LEFT.append(ground)
            return out
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
                                raw = ground.solve(slot[i], self.query.denied, timeout=self.config.timeout)
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
                        result = self.query.result(case.id, raw)
                        record, status = _result_record(index, source, result)
                        if self.config.explain and status == "ok":  # issue 7: batch --explain
                            from ..explain import explain_all

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
        facts, assumed = self.query.inputs(case)
        raw = _engine.solve(self.program, facts, assumed, self.query.denied, timeout=self.config.timeout)
        engine = "chunk+single" if timing.get("engine") == "chunk" else "single"
        timing.update({"engine": engine, "ground": round(timing.get("ground", 0.0) + raw.ground_seconds, 6),
                       "solve": round(timing.get("solve", 0.0) + raw.solve_seconds, 6)})
        return raw


def _check_rules(config: BatchConfig) -> None:
    """Raise :class:`UsageError` when the rule base of ``config.encodings`` is no longer the
    one whose fingerprint is ``config.rules`` (the batch's start)."""
    from ..rulebase import default_master, fingerprint

    now = fingerprint(config.encodings)
    if now != config.rules:
        where = str(config.encodings or default_master())
        raise UsageError(where, None, f"the rule base changed while the batch ran (fingerprint {config.rules} at its "
                         f"start, {now} now): the records written so far were computed with the rules of the start "
                         "and are kept; restore those rules and rerun with --resume, or start the batch again")


class _ChunkFault(Exception):
    """A chunk's shared control failed with something other than a timeout."""



_SOLVERS: dict[BatchConfig, ChunkSolver] = {}
#: Chunk grounds left to the end of their process (see ``ChunkSolver.solve_chunk``)
_LEFT: list[_engine.ChunkGround] = []
#: The tasks (chunks) a pool worker runs before the pool replaces it (set by its
#: initializer, :func:`pyreasoner.batch.executors._worker_start`; ``None``: no such limit or
#: not a pool worker), and the chunks this process has solved through :func:`solve_chunk`
_TASKS: int | None = None
_DONE = 0
#: A folder the worker processes of one batch share (set by their initializer), where the
#: first to tag the encodings leaves them for the fresh workers that replace it (``None``:
#: every process tags them itself).
_TAG_CACHE: str | None = None


def _tag(program: _engine.Program, inputs: Sequence[tuple[str, int]], config: BatchConfig) -> _engine.TaggedProgram:
    """The encodings tagged for the chunk engine: read back from :data:`_TAG_CACHE` when an
    earlier worker of the batch left them there (0.1-0.2 s instead of 1-4 s: a worker that
    replaces another starts at once), else tagged and left there."""
    folder = _TAG_CACHE
    file = None
    if folder is not None:
        key = hashlib.sha256(repr((config.encodings, inputs, STATUSES)).encode("utf-8")).hexdigest()[:16]
        file = Path(folder) / f"tagged-{key}.json"
        hit = cache.read_tagged(file, program)
        if hit is not None:
            return hit
    tagged = cache.tagged(program, inputs, STATUSES)  # from the cache of earlier runs, when it is on
    if file is not None:  # whichever worker writes last; not written: the next worker tags again
        cache.write_whole(file, _engine.tagged_text(tagged))
    return tagged


def _trim() -> None:
    """Give the C heap's free memory back to the system (glibc's ``malloc_trim``): a
    chunk's freed control leaves tens of MB of free heap that the worker's RSS keeps
    counting otherwise. Nothing where there is no such call."""
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        try:
            import ctypes

            _MALLOC_TRIM = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


_MALLOC_TRIM: Any = None


def solve_chunk(config: BatchConfig, items: Sequence[Item]) -> ChunkOut:
    """Worker entry point (process pool or Dask): one solver per process and config; the
    C heap is trimmed after each chunk. A pool worker's last task (the process pool ends
    the process after :data:`_TASKS` tasks) frees nothing: the end of the process takes
    its memory back (at once on Linux, where a worker forked by the fork server ends by
    ``os._exit``)."""
    global _DONE
    solver = _SOLVERS.get(config)
    if solver is None:
        solver = _SOLVERS[config] = ChunkSolver(config)
    _DONE += 1
    ends = _TASKS is not None and _DONE == _TASKS
    try:
        return solver.solve_chunk(items, process_ends=ends)
    finally:
        if not ends:
            _trim()
