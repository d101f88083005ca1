"""Where chunks are solved: the pieces of the local process pool and of the Dask executor.

The pool's worker initializer (:func:`_worker_start`) is module-level, so that workers
started by ``forkserver`` or ``spawn`` (:func:`_pool_context`) find it by this path; the
workers' entry point is :func:`pyreasoner.batch.solver.solve_chunk`.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..errors import UsageError
from .config import BatchConfig
from .items import Item
from .records import ChunkOut
from .solver import solve_chunk

if TYPE_CHECKING:
    import concurrent.futures
    import multiprocessing.context


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


_Pending = TypeVar("_Pending")
_Done = TypeVar("_Done")


class _Ordered(Generic[_Pending, _Done]):
    """Run chunks with at most ``window`` in flight; iterate their results in input order.

    :meth:`start` submits the first ``window`` chunks at once (iterating starts them too): the
    batch starts the workers on its first chunks before it reads what its run file says (a
    digest of the input and the rules, some 0.1 s for the bundled rule base), which is then read
    while they solve."""

    def __init__(self, submit: Callable[[list[Item]], _Pending], result: Callable[[_Pending], _Done],
                 chunks: Iterator[list[Item]], window: int) -> None:
        self._submit, self._result, self._chunks, self._window = submit, result, chunks, window
        self._pending: collections.deque[_Pending] = collections.deque()
        self._started = False

    def start(self) -> None:
        """Submit the first ``window`` chunks (once)."""
        if not self._started:
            self._started = True
            for chunk in itertools.islice(self._chunks, self._window):
                self._pending.append(self._submit(chunk))

    def __iter__(self) -> Iterator[_Done]:
        self.start()
        pending = self._pending
        for chunk in self._chunks:  # the next chunk is read before the oldest result is awaited
            yield self._result(pending.popleft())
            pending.append(self._submit(chunk))
        while pending:
            yield self._result(pending.popleft())


#: The modules a worker needs, imported once by the fork server (:func:`_pool_context`):
#: the solver imports clingo and the rest of pyreasoner; :mod:`.warm` reads the batch's rule
#: base when :func:`.warm.start_server` started the server.
PRELOAD = ("pyreasoner.batch.solver", "pyreasoner.batch.warm")


def _pool_context() -> multiprocessing.context.BaseContext:
    """How the pool starts its workers: on Linux by ``forkserver``, whose server process
    has imported :data:`PRELOAD` once, so that a worker (the first, and each one that
    replaces another, ``--recycle``) is a fork of a warm process instead of a new
    interpreter importing clingo and pyreasoner (0.2-0.5 s of CPU each, measured); elsewhere
    (Windows, macOS) by ``spawn``, their default. The server ends with the process that
    started it (it reads a pipe the main process holds open), and its workers with it
    (:func:`_die_with_parent`)."""
    import multiprocessing

    if sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(PRELOAD))  # read when the server starts (once per process)
        return context
    return multiprocessing.get_context("spawn")


def _nothing() -> None:
    """Nothing to close or kill (no pool of workers)."""


def _die_with_parent(parent: int) -> None:
    """Worker initializer: have the kernel kill this worker when the batch's main process
    dies, even by SIGKILL (``PR_SET_PDEATHSIG``, Linux), so that no worker outlives its
    batch (nor, then, the resource tracker, which ends when the last of them closes its
    pipe). A worker forked by the fork server is the server's child: it dies with the
    server, which ends when the main process does (:func:`_leave_the_fork_server`)."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    ppid = os.getppid()
    if ppid != parent and _parent_of(ppid) != parent:  # the parent died before the death signal was armed
        os._exit(1)
    if ppid != parent:
        _leave_the_fork_server()


def _leave_the_fork_server() -> None:
    """In a worker forked by the fork server: close this worker's copy of the pipe by which
    the server knows that the main process lives. The server ends when every holder has
    closed it; a worker would hold it (and so keep the server, and itself, alive) after
    the main process was killed. Its workers need it only to start processes of their own."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(fd, int):
        with contextlib.suppress(OSError):
            os.close(fd)
        server._forkserver_alive_fd = None  # type: ignore[union-attr]


def _parent_of(pid: int) -> int | None:
    """The parent of process ``pid`` (the fork server's: the main process), from /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return int(fh.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _worker_start(parent: int, tag_cache: str | None, tasks: int | None = None) -> None:
    """Worker initializer of the local pool: die with the parent (:func:`_die_with_parent`)
    and share the tagged encodings through the folder ``tag_cache`` (see
    :func:`pyreasoner.batch.solver._tag`), so that a worker replacing another
    (``--recycle``) does not tag them again. ``tasks``: the chunks the pool gives this worker
    before it ends (``max_tasks_per_child``; ``None``: no limit): its last frees nothing
    (see :func:`pyreasoner.batch.solver.solve_chunk`)."""
    from . import solver

    solver._TAG_CACHE = tag_cache
    solver._TASKS = tasks
    _die_with_parent(parent)


def _pool_processes(pool: concurrent.futures.ProcessPoolExecutor) -> list[Any]:
    """A process pool's worker processes (the executor keeps no public list)."""
    return list(getattr(pool, "_processes", {}).values())


def _kill_pool(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Kill a process pool's workers at once (Ctrl-C: the records written so far are kept)."""
    for proc in _pool_processes(pool):
        with contextlib.suppress(OSError, AttributeError):
            proc.kill()


def _dask_results(config: BatchConfig, chunks: Iterator[list[Item]],
                  scheduler: str | None) -> tuple[_Ordered[Any, ChunkOut], Callable[[], None]]:
    if not scheduler:
        raise UsageError("scheduler", "", "the dask executor needs the address of a scheduler, e.g. tcp://host:8786")
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("executor", "dask", "Dask is not installed: pip install 'pyreasoner[dask]'") from None
    try:
        client = Client(scheduler, timeout="20s")  # type: ignore[no-untyped-call]  # distributed does not annotate it
    except (OSError, TimeoutError, ValueError) as exc:  # ValueError: an address it cannot parse
        raise UsageError("scheduler", scheduler, f"cannot reach the Dask scheduler: {exc}; expected an address "
                         "such as tcp://host:8786") from None
    threads = sum(client.nthreads().values()) or 1  # type: ignore[no-untyped-call]  # nor this
    results: _Ordered[Any, ChunkOut] = _Ordered(lambda c: client.submit(solve_chunk, config, c, pure=False),
                                                lambda f: f.result(), chunks, 2 * threads)
    return results, client.close
