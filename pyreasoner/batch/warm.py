"""A warm start for the batch's worker processes (issue 17): the fork server reads the rule
base and tags it once, and every worker it forks starts with both.

A fresh worker used to read the rule base itself (about 0.17 s of CPU: parsing the encodings
and grounding their declarations) and read back the tagged encodings from the batch's cache
(0.03 s). With ``--recycle`` 200 (the default then) that was paid some 10 times in 2,000 cases.
Recycling is worth it: clingo keeps every symbol it has made for the life of the process, and
a worker's grounding slows as it solves more chunks (measured: 94 → 133 ms a chunk of 32 cases
over 1,600 cases in one process, flat when the same chunk is grounded again and again; not
the symbol table's size itself, see docs/batch.md, "Memory").

How: :func:`start_server` puts the batch's encodings and rule-base fingerprint into the
environment of the fork server when it starts it (:data:`ENV`); the server imports this
module (:data:`pyreasoner.batch.executors.PRELOAD`), which reads them, builds the
:class:`~pyreasoner.Reasoner` and the tagged encodings, and keeps them in :data:`_WARM`. A
worker is a fork of the server, so it has them (copy on write), and
:class:`~pyreasoner.batch.solver.ChunkSolver` takes them (:func:`get`) when the encodings and
the fingerprint are its batch's. They are read only while the files on disk still have that
fingerprint (checked before and after); anything else (another batch's rules, a server
started earlier in this process by another batch, an error) leaves :data:`_WARM` empty for
that key, and the worker reads the rules itself, as before. Nothing here can change a result.
"""

from __future__ import annotations

import contextlib
import json
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import multiprocessing.context

    from .. import _engine
    from ..reasoner import Reasoner
    from .config import BatchConfig

#: The environment variable by which the main process tells the fork server what to read:
#: JSON ``{"encodings": path or null, "rules": fingerprint}``.
ENV = "PYREASONER_BATCH_WARM"

#: (encodings, fingerprint) -> the reasoner, the tagged encodings (``None``: they cannot be
#: tagged, and the worker finds out why itself), and the digest of every file the reasoner
#: parsed (:func:`_digest`)
_WARM: dict[tuple[str | None, str], tuple[Reasoner, _engine.TaggedProgram | None, str | None]] = {}


def _key(config: BatchConfig) -> tuple[str | None, str] | None:
    """The key of ``config``'s rule base (the encodings as a string: the API takes a path)."""
    if config.rules is None:
        return None
    return (None if config.encodings is None else str(config.encodings), config.rules)


def _digest(reasoner: Reasoner) -> str | None:
    """A digest of every file ``reasoner`` parsed, ``#include``d ones too, by path and bytes
    (the fingerprint follows the includes it reads in the text; this covers whatever clingo
    parsed); ``None`` when one cannot be read."""
    import hashlib

    digest = hashlib.sha256()
    try:
        for path in reasoner.rulebase.files:
            digest.update(str(path).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def get(config: BatchConfig) -> tuple[Reasoner, _engine.TaggedProgram | None] | None:
    """What the fork server read for ``config``'s rule base, or ``None``: also when a file it
    parsed has changed since (a server lives as long as its process, across batches)."""
    key = _key(config)
    if key is None or (entry := _WARM.get(key)) is None:
        return None
    reasoner, tagged, digest = entry
    if digest is None or _digest(reasoner) != digest:
        del _WARM[key]
        return None
    return reasoner, tagged


#: The environment variable that holds the server's own values of :data:`_PATH_VARS`,
#: restored when it imports this module (JSON, ``null`` for unset).
ENV_PATH = "PYREASONER_BATCH_PATH"
#: How the server finds this package: the main process's import path, not the folder it
#: was started in (see :func:`start_server`).
_PATH_VARS = ("PYTHONPATH", "PYTHONSAFEPATH")


def _import_path() -> str:
    """The main process's ``sys.path`` as a ``PYTHONPATH`` (``''``, the current folder, as
    its absolute path)."""
    import sys

    return os.pathsep.join(os.path.abspath(p) if p else os.getcwd() for p in sys.path)


def start_server(context: multiprocessing.context.BaseContext, config: BatchConfig) -> None:
    """Start the fork server of ``context`` (when it is one and is not running yet) with
    ``config``'s rule base to read. A server already running keeps what it read: the
    workers of this batch then use it only if it is the same rule base.

    The server imports this package by the main process's import path. Python starts it
    with ``-c``, which puts the current folder first on its path, and (3.11, 3.12) does not
    apply the path that multiprocessing hands it: started in a folder that holds another
    ``pyreasoner`` (a checkout of another version, say), its workers would solve with that
    code while the main process runs this one. So the server is started with
    ``PYTHONSAFEPATH`` (no current folder) and ``PYTHONPATH`` set to the main process's
    ``sys.path``; it restores both for itself and its workers (see :data:`ENV_PATH`).

    Two things follow. The server and its workers keep the interpreter's safe-path flag
    (``sys.flags.safe_path``), so a Python that a worker starts through multiprocessing gets
    ``-P`` too: no current folder on its path either. And for the moment the server starts,
    the main process's own environment holds both variables: a subprocess another thread
    starts in that moment inherits them. (A ``sys.path`` entry that holds ``os.pathsep``
    cannot be passed: the server then misses it, as ``PYTHONPATH`` itself would.)"""
    if context.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    key = _key(config)
    names = (ENV, ENV_PATH, *_PATH_VARS)
    old = {name: os.environ.get(name) for name in names}
    try:
        os.environ[ENV_PATH] = json.dumps({name: old[name] for name in _PATH_VARS})
        os.environ["PYTHONPATH"] = _import_path()
        os.environ["PYTHONSAFEPATH"] = "1"
        if key is not None:
            os.environ[ENV] = json.dumps({"encodings": key[0], "rules": key[1]})
        forkserver.ensure_running()
    except Exception:  # a warm start is only a saving: the pool starts the server itself
        pass
    finally:  # only the server's environment holds them (and the server drops them, see below)
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _restore_path(spec: str) -> None:
    """In the fork server: its own ``PYTHONPATH`` and ``PYTHONSAFEPATH`` back, for its
    workers and what they start."""
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        for name, value in json.loads(spec).items():
            if name not in _PATH_VARS:
                continue
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = str(value)


def _load(spec: str) -> None:
    """In the fork server: read and tag the rule base that ``spec`` names, into
    :data:`_WARM`. Never raises (an exception would end the server): a rule base that
    cannot be read is read again by each worker, which reports why."""
    try:
        data = json.loads(spec)
        encodings, rules = data["encodings"], str(data["rules"])
        if encodings is not None:
            encodings = str(encodings)
    except (ValueError, KeyError, TypeError):
        return
    with contextlib.suppress(Exception):
        from .config import BatchConfig
        from .solver import ChunkSolver

        # checks the fingerprint before and after reading (a changed rule base raises)
        solver = ChunkSolver(BatchConfig(encodings=encodings, rules=rules))
        _WARM[(encodings, rules)] = (solver.reasoner, solver.tagged, _digest(solver.reasoner))
    # What reading and tagging left behind (the rewriting's temporaries) is freed and given back
    # to the system before the server forks a worker: every worker's RSS starts with the server's
    # pages, so a MiB left here counts three times in a batch of two workers (measured: 46.4 to
    # 40.8 MiB in the server).
    with contextlib.suppress(Exception):
        import gc

        from .solver import _trim

        gc.collect()
        _trim()


# Read once, in the fork server, and dropped from its environment: the workers, and any
# process they start, do not read the rule base again on importing this module.
_SPEC = os.environ.pop(ENV, None)
_PATH_SPEC = os.environ.pop(ENV_PATH, None)
if _PATH_SPEC:
    _restore_path(_PATH_SPEC)
if _SPEC:
    _load(_SPEC)
