"""The batch driver (:func:`run_batch`): checks, the run file, resume, the executor, and the
output written in input order with unique ids, plus its timings sidecar and progress bar."""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import json
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from .. import _engine, cache
from ..case import CASE_SUFFIXES
from ..errors import UsageError, WorkerDied
from ..rulebase import provenance
from . import warm
from .config import MAX_TIMEOUT, BatchConfig
from .executors import (
    _dask_results,
    _kill_pool,
    _nothing,
    _Ordered,
    _pool_context,
    _pool_processes,
    _unguarded_main,
    _worker_start,
)
from .ids import _IdIndex, _record_reader
from .items import STDIN, _chain, _chunks, _count_items, iter_items
from .records import ChunkOut, _dumps, _error_record
from .runfile import RUN_SUFFIX, RunHeader, _check_header, _resume_point, run_header
from .solver import ChunkSolver, _trim, solve_chunk

#: Cases a worker process solves before a fresh one replaces it (see run_batch). clingo's
#: symbols grow some 60-100 KB a case at first, and a worker's grounding slows as they do
#: (94 -> 133 ms a chunk over 1,600 cases); a fresh worker is a fork of the fork server, which
#: has read the rule base (pyreasoner.batch.warm), so replacing one costs little. 100 was the
#: fastest of 100, 200 and 400 on 2,000 generated cases (16.4, 16.9, 17.5 s, 1 worker), and the
#: tree of 2 workers peaked at 241 MiB at 10^4 cases (workers 58-75 MiB).
RECYCLE = 100
#: Cases grounded together (see run_batch): the engine's default (:data:`pyreasoner._engine.CHUNK_SIZE`).
CHUNK_SIZE = _engine.CHUNK_SIZE
#: Exit status of a batch that wrote error records other than ``inconsistent`` ones
#: (``invalid``, ``timeout``, ``memory``, ``internal``): distinct from 1 (invalid input) and 2 (usage).
EXIT_ERROR_RECORDS = 3

#: How often the main process looks whether a worker died while it waits for a chunk.
_POLL_SECONDS = 1.0


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


def run_batch(input: str | Path, out: str | Path, *, config: BatchConfig = BatchConfig(), workers: int | None = None,  # noqa: B008 - BatchConfig is frozen
              executor: str = "local", scheduler: str | None = None, resume: bool = False, chunk_size: int = CHUNK_SIZE,
              timings: str | Path | bool | None = True, progress: IO[str] | None = None,
              recycle: int = RECYCLE, overwrite: bool = False) -> BatchStats:
    """Solve every case of ``input`` and write one record per case to ``out``.

    Parameters
    ----------
    input:
        A folder of case files, a JSON Lines file of case documents, or ``"-"``: JSON Lines
        read from standard input as they come (no ``resume``: the input cannot be read again).
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
        index makes each chunk's atoms new ones, so a worker grows by tens of KB per
        case; replacing it keeps memory flat (cost: one start, about 0.15 s of CPU on Linux,
        where workers are forked from a warm fork server, 0.3 s spawned elsewhere, once
        the first worker has left the tagged encodings for the others).
    timings:
        The sidecar file of timings; ``True``: ``OUT.timings``; ``None``/``False``: none.
    overwrite:
        Replace an ``out`` that holds the records of a batch that did not finish, or that is
        not a batch's output at all; without it (and without ``resume``) such a file is
        refused, so that one forgotten ``--resume`` loses nothing. The output of a finished
        batch (its run file says ``complete``) is always replaced.
    progress:
        A stream for the progress bar (a terminal), or ``None``.
    """
    input_path, out_path = Path(input), Path(out)
    stdin = str(input) == STDIN
    if stdin and resume:
        raise UsageError("resume", STDIN, "cannot resume a run that reads standard input (it cannot be read again); "
                         "save the input to a .jsonl file")
    items = iter_items(input_path)
    first = next(items, None)  # fail early on a bad input path
    if first is None:
        raise UsageError(str(input_path), None, "no cases: " + ("standard input holds no case" if stdin else
                         f"no case files ({', '.join(CASE_SUFFIXES)}) in this folder" if input_path.is_dir()
                         else "the file holds no case"))
    timing_path = Path(str(out_path) + ".timings") if timings is True else (Path(timings) if timings else None)
    for name, value in (("chunk_size", chunk_size), ("workers", workers), ("recycle", recycle)):
        if value is not None and type(value) is not int:
            raise UsageError(name, repr(value), "expected a whole number")
    if config.timeout is not None and (isinstance(config.timeout, bool) or not isinstance(config.timeout, (int, float))):
        raise UsageError("config.timeout", repr(config.timeout), "expected a number of seconds (or None)")
    if config.memory is not None and type(config.memory) is not int:
        raise UsageError("config.memory", repr(config.memory), "expected a whole number of megabytes (or None)")
    if chunk_size < 1:
        raise UsageError("chunk_size", str(chunk_size), "expected a positive number")
    if scheduler and executor != "dask":
        raise UsageError("scheduler", scheduler, "a scheduler is used only by the dask executor; add --executor dask "
                         "or leave out --scheduler")
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
    if not stdin:
        _refuse_the_input(input_path, {"--out": out_path, "the timings file": timing_path, "the run file": run_path})
    # one batch at a time per output: a second one would truncate or interleave the first's records
    with _output_lock(out_path):
        # a fresh run's header is read once its workers have their first chunks (below)
        header = _header(input_path, config) if resume else None
        if not resume and not overwrite and out_path.exists() and out_path.stat().st_size:
            _refuse_unfinished(out_path, run_path)
        skip = 0
        writer: list[IO[bytes]] = []  # the open output file, once it is open (read-backs flush it first)
        ids = _IdIndex(_record_reader(out_path, lambda: writer and writer[0].flush()))  # ids must be unique
        if header is not None and out_path.exists() and out_path.stat().st_size:
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
        bar = _Progress(progress, _count_items(input_path) if progress is not None else None, skip)
        # every record says what it was computed with (versions, rule base fingerprint)
        prov = provenance(config.encodings)
        if config.rules is None:  # every worker checks that it solves with these rules (ChunkSolver)
            config = dataclasses.replace(config, rules=prov["rules"])
        stamp = ',"provenance":' + json.dumps(prov, separators=(",", ":")) + "}\n"
        chunks = _chunks(all_items, chunk_size)
        t0 = time.perf_counter()
        cases = errors = 0
        kinds: collections.Counter[str] = collections.Counter()
        results: Iterable[ChunkOut]
        close: Callable[[], None] = _nothing
        kill: Callable[[], None] = _nothing
        start: Callable[[], None] = _nothing
        if executor == "dask":
            ordered, close = _dask_results(config, chunks, scheduler)
            results, start = ordered, ordered.start
        elif executor == "local":
            n = workers if workers is not None else (os.cpu_count() or 1)
            if n == 0:
                solver = ChunkSolver(config)
                results = (solver.solve_chunk(c) for c in chunks)
            else:
                import concurrent.futures

                script = _unguarded_main()
                if script is not None:
                    raise UsageError(script, None, "run_batch starts worker processes, and each imports this script "
                                     "again, which would start the batch again: call run_batch under "
                                     "'if __name__ == \"__main__\":', or pass workers=0 to solve in this process")

                import shutil
                import tempfile

                tasks = max(1, recycle // chunk_size) if recycle else None
                tag_cache = tempfile.mkdtemp(prefix="pyreasoner-batch-")  # the workers' tagged encodings
                context = _pool_context()
                warm.start_server(context, config)  # its workers start with the rule base read
                pool = concurrent.futures.ProcessPoolExecutor(max_workers=n, mp_context=context,
                                                              max_tasks_per_child=tasks, initializer=_worker_start,
                                                              initargs=(os.getpid(), tag_cache, tasks))

                stuck: list[bool] = []

                def close_pool() -> None:
                    try:
                        # a stuck pool's thread never ends: shutting down must not wait for it
                        pool.shutdown(wait=not stuck, cancel_futures=True)
                    finally:
                        shutil.rmtree(tag_cache, ignore_errors=True)

                close = close_pool

                kill = lambda: _kill_pool(pool)  # noqa: E731

                def died(is_stuck: bool) -> WorkerDied:
                    error = WorkerDied(str(out_path), None, "a worker process died (out of memory, or killed); the "
                                       "records written so far are kept: rerun with --resume")
                    error.stuck = is_stuck
                    return error

                def result(future: concurrent.futures.Future[ChunkOut]) -> ChunkOut:
                    # Polled: a worker killed while it wrote its result leaves the pool's thread
                    # waiting for the rest of that message, and the future is then never settled
                    # (seen once in the suite: the batch hung instead of exiting with 2). A worker
                    # that ended by a signal is such a death; one recycled ends with 0.
                    while True:
                        try:
                            return future.result(timeout=_POLL_SECONDS)
                        except concurrent.futures.process.BrokenProcessPool:
                            raise died(False) from None
                        except concurrent.futures.TimeoutError:
                            if any(p.exitcode is not None and p.exitcode < 0 for p in _pool_processes(pool)):
                                stuck.append(True)
                                _kill_pool(pool)
                                raise died(True) from None

                ordered = _Ordered(lambda c: pool.submit(solve_chunk, config, c), result, chunks, 2 * n)
                results, start = ordered, ordered.start
        else:
            raise UsageError("executor", executor, "expected local or dask")
        try:
            start()  # the workers solve the first chunks while the header is read
            if header is None:
                header = _header(input_path, config)
            # the run file and an empty sidecar only now that the workers are set up: a start that
            # fails (Dask unreachable, say) leaves a finished run's files as they were
            if not skip:
                _write_run(run_path, header, complete=False)
            if timing_path is not None and not (skip and timing_path.exists()):
                _write_file(timing_path, b"")
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
                                    f"{timing['source']}: id: {case_id!r} is already the id of "
                                    + (f"record {earlier['index']}" if "index" in earlier else
                                       "an earlier record (the output cannot be read back to name it)")
                                    + "; expected case ids unique within a batch")
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
                    del chunk_out  # its records (MBs: 50 KB a record is common) are garbage now: give the heap back
                    _trim()
        except OSError as exc:
            kill()
            kept = ("the complete records written so far are kept: rerun with --resume" if writer else
                    "no record was written")  # the output (or the timings file) could not be opened
            name = exc.filename
            if name is not None and Path(name) not in (out_path, timing_path):  # not a file this batch writes
                raise UsageError(str(name), None, f"{exc.strerror or exc}; {kept}") from None
            raise UsageError(str(name or out_path), None, f"cannot write: {exc.strerror or exc}; {kept}") from None
        except BaseException:  # Ctrl-C, a worker's death: stop the workers now, not after their chunks
            kill()
            raise
        finally:
            close()
            ids.close()
        # the run file says the output is complete: a later fresh run may replace it without --overwrite
        _write_run(run_path, header, complete=True)
        bar.update(0, final=True)
        return BatchStats(cases=cases, errors=errors, skipped=skip, seconds=time.perf_counter() - t0,
                          kinds=tuple(sorted(kinds.items())))


def _refuse_unfinished(out_path: Path, run_path: Path) -> None:
    """Refuse to replace an output that is not a finished batch's (see ``overwrite``)."""
    try:
        run = json.loads(run_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        run = None
    if isinstance(run, dict) and run.get("pyreasoner_batch") == 1:
        if run.get("complete") is True:
            return
        raise UsageError("out", str(out_path), "holds the records of a batch that did not finish (its run file says "
                         "so): continue it with --resume, or start again with --overwrite")
    raise UsageError("out", str(out_path), "exists and is not the output of a finished batch (no run file "
                     f"{run_path.name} says so): choose another --out, or replace it with --overwrite")


@contextlib.contextmanager
def _output_lock(out_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out_path`` (``flock``, created empty if missing, never
    truncated here) while a batch writes it; refuse at once when another batch holds it, before
    anything is truncated or read. No lock where ``fcntl`` is missing (Windows) or the file
    system refuses locks. A batch that stops before its first record (refused, say, by an
    unreachable scheduler) removes an empty output that its lock created, while it holds the
    lock; the lock is taken on the file the path names (a lock on a file another batch had
    just removed is let go, and the path opened again), so no two batches hold it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Windows
        yield
        return
    existed = out_path.exists() or out_path.is_symlink()
    for _ in range(5):
        try:
            fh = out_path.open("ab")
        except OSError:  # the writer names the problem (it opens the file itself)
            yield
            return
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # /dev/null, a pipe: nothing to protect, and shared
            fh.close()
            yield
            return
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise UsageError("out", str(out_path), "another batch is writing this output now; wait for it to end, "
                             "or choose another --out (its records are left as they are)") from None
        except OSError:  # a file system without locks: nothing is removed either
            locked = False
            break
        if _same_file(fh, out_path):
            locked = True
            break
        fh.close()  # locked a file the path no longer names: open the path again
    else:
        raise UsageError("out", str(out_path), "the output keeps being replaced while this batch locks it; expected "
                         "one batch at a time on it")
    try:
        yield
    except BaseException:
        if locked and not existed and os.fstat(fh.fileno()).st_size == 0 and _same_file(fh, out_path):
            with contextlib.suppress(OSError):
                out_path.unlink()
        raise
    finally:
        fh.close()


def _same_file(fh: IO[bytes], path: Path) -> bool:
    """Whether the open file ``fh`` is the file ``path`` names now."""
    try:
        st, now = os.fstat(fh.fileno()), os.stat(path)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == (now.st_dev, now.st_ino)


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


def _header(input_path: Path, config: BatchConfig) -> RunHeader:
    """:func:`run_header`, with a file it cannot read named as such (not as the output)."""
    try:
        return run_header(input_path, config)
    except OSError as exc:
        raise UsageError(str(exc.filename or input_path), None, f"cannot read: {exc.strerror or exc}") from None


def _write_run(run_path: Path, header: RunHeader, *, complete: bool) -> None:
    """The run file: the header at the start of a fresh run (what --resume checks), the header
    with ``"complete": true`` when the batch ends (what lets a later fresh run replace it)."""
    text = json.dumps({**header, "complete": True} if complete else header, ensure_ascii=False, indent=1,
                      sort_keys=True)
    _write_file(run_path, (text + "\n").encode("utf-8"), whole=True)


def _write_file(path: Path, data: bytes, *, whole: bool = False) -> None:
    """Write ``data`` to ``path``; ``whole``: through a temporary file renamed over it, so that an
    interruption (a signal, a full disk) leaves the old file or the new one, never an empty one
    (the run file, which --resume and a later fresh run read)."""
    try:
        if whole:
            cache.replace_whole(path, data)
        else:
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
