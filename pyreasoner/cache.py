"""What pyreasoner keeps on disk between runs: the batch engine's rewriting of the encodings.

The chunk engine solves over the encodings rewritten for case tagging
(:func:`pyreasoner._engine.tag_program`). For the bundled rule base that rewriting takes some
0.5 s, paid by every ``pyreasoner batch`` (its fork server, or each worker) and by the first
:meth:`Reasoner.solve_many <pyreasoner.Reasoner.solve_many>` of each reasoner: as much as
solving a hundred cases. Read back from its text it takes some 0.03-0.06 s (:func:`tagged`).

Everything kept here is tied to what it was computed from: the text of every statement of
the encodings, the case inputs and statuses, the code of the engine package as this process
loaded it and pyreasoner's version (:func:`engine_version`), and clingo's version. Anything
else (an edited rule, another pyreasoner or clingo) is a miss; any problem reading or writing
(a damaged file, a read-only folder, no home folder) is a miss too, never an error; and a
rewriting read back must parse into the very statements that were written. The results are
the same with or without the cache.

``pyreasoner diff`` keeps its own memo of the rewriting statement by statement in the same
folder (``tagging.json``, see :mod:`pyreasoner.diff`): it compares two rule bases that differ
by an edit, which a whole-program key would miss.

>>> from pyreasoner import Reasoner, cache
>>> from pyreasoner.case import STATUSES
>>> from pyreasoner.contract import CASE_INPUTS
>>> program = Reasoner().rulebase.solver_program
>>> first = cache.tagged(program, CASE_INPUTS, STATUSES)   # rewritten, or read back from an earlier run
>>> again = cache.tagged(program, CASE_INPUTS, STATUSES)   # read back (when the cache folder is on)
>>> [str(s) for s in again.statements] == [str(s) for s in first.statements]
True
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from . import _engine

#: Rewritings kept at most (about 0.3 MB each for the bundled rule base); those least recently
#: written or read go first.
KEEP = 16


def _engine_digest() -> str | None:
    """A digest of the engine package's modules (``None``: no source files, e.g. an install of
    compiled files only, whose changes it could not see)."""
    files = sorted(Path(_engine.__file__).parent.glob("*.py"))
    if not files:
        return None
    digest = hashlib.sha256()
    for path in files:  # every module of the engine package
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# Read when this module is imported, just after the engine package: a process that runs on
# while the files change (a checkout, an upgrade) must not store its rewriting under the key
# of the new code. None: nothing is stored or read (see engine_version).
try:
    _ENGINE_DIGEST = _engine_digest()
except OSError:
    _ENGINE_DIGEST = None


def cache_dir() -> Path | None:
    """Where pyreasoner keeps what it computes once for many runs: ``$PYREASONER_CACHE_DIR``,
    else ``$XDG_CACHE_HOME/pyreasoner`` or ``~/.cache/pyreasoner``; ``None`` when
    ``PYREASONER_CACHE_DIR`` is ``off`` (or empty), or when there is no home folder to find."""
    env = os.environ.get("PYREASONER_CACHE_DIR")
    if env is not None:
        return None if env.strip() in ("", "off") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no HOME and no entry for this user in the password database
            return None
    return Path(base) / "pyreasoner"


def engine_version() -> str | None:
    """What a stored rewriting depends on besides its input: the code of the engine package as
    this process loaded it (its modules' digest when this module was imported) and
    pyreasoner's version; ``None`` when that cannot be told (nothing is cached then)."""
    from . import __version__

    return None if _ENGINE_DIGEST is None else f"{__version__}-{_ENGINE_DIGEST}"


def _key(program: _engine.Program, inputs: Sequence[tuple[str, int]], statuses: Sequence[str]) -> str | None:
    version = engine_version()
    if version is None:
        return None
    digest = hashlib.sha256()
    head = repr((version, _engine.clingo_version(), sorted(inputs), list(statuses)))
    digest.update(head.encode("utf-8") + b"\0")
    for stm in program.statements:
        digest.update(str(stm).encode("utf-8") + b"\0")
    return digest.hexdigest()[:24]


def tagged(program: _engine.Program, inputs: Iterable[tuple[str, int]],
           statuses: Sequence[str]) -> _engine.TaggedProgram:
    """:func:`pyreasoner._engine.tag_program` of ``program``, read from :func:`cache_dir`
    when a run before this one left it there, else rewritten and left there (``tagged-KEY.json``,
    the newest :data:`KEEP` of them kept). Raises what ``tag_program`` raises (encodings it
    cannot rewrite are never stored)."""
    inputs = list(inputs)
    file = None
    try:
        folder, key = cache_dir(), _key(program, inputs, statuses)
    except Exception:  # no home folder, say: no cache, never an error
        folder = key = None
    if folder is not None and key is not None:
        file = folder / f"tagged-{key}.json"
        hit = read_tagged(file, program)
        if hit is not None:
            with contextlib.suppress(OSError):
                os.utime(file)  # read: the newest again, so the last to be dropped
            return hit
    result = _engine.tag_program(program, inputs, statuses)
    if file is not None and write_whole(file, _engine.tagged_text(result)):
        _prune(file.parent)
    return result


def read_tagged(file: Path, program: _engine.Program) -> _engine.TaggedProgram | None:
    """The rewriting of ``program`` that ``file`` holds (:func:`pyreasoner._engine.tagged_text`),
    or ``None``: no such file, one that cannot be read, or one that does not parse back into
    the statements written."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    return _engine.tagged_from_text(program, text)


def write_whole(file: Path, text: str) -> bool:
    """:func:`replace_whole` for a cache: the folder made if need be, and False instead of an
    error when the file cannot be written (a cache that cannot be written is no cache)."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        replace_whole(file, text.encode("utf-8"))
    except OSError:
        return False
    return True


def replace_whole(file: Path, data: bytes) -> None:
    """Write ``data`` to ``file`` whole or not at all: into a temporary file of its own in the
    same folder, then renamed over ``file``, so that a reader, another process writing the
    same file, or an interruption (a signal, a full disk) never leaves part of it. Raises
    ``OSError``; the temporary file is removed whatever stops the write."""
    fd, part = tempfile.mkstemp(dir=file.parent, prefix=f"{file.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(part, file)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise


def _prune(folder: Path) -> None:
    """Drop the rewritings beyond the :data:`KEEP` most recently written or read, and
    temporary files a day old (left by a process that died between writing and renaming)."""
    with contextlib.suppress(OSError):
        kept = sorted(folder.glob("tagged-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[KEEP:]:
            old.unlink()
        for stale in folder.glob("tagged-*.tmp"):
            if time.time() - stale.stat().st_mtime > 86_400:
                stale.unlink()
