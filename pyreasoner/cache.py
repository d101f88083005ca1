"""What pyreasoner keeps on disk between runs: the batch engine's rewriting of the encodings.

The chunk engine solves over the encodings rewritten for case tagging
(:func:`pyreasoner._engine.tag_program`). For the bundled rule base that rewriting takes some
0.5 s, paid by every ``pyreasoner batch`` (its fork server, or each worker) and by the first
:meth:`Reasoner.solve_many <pyreasoner.Reasoner.solve_many>` of each reasoner: as much as
solving a hundred cases. Read back from its text it takes some 0.03 s (:func:`tagged`).

Everything kept here is tied to what it was computed from: the text of every statement of
the encodings, the case inputs, the code of the engine package (:func:`engine_version`) and
clingo's version. Anything else (an edited rule, another pyreasoner or clingo) is a miss;
any problem reading or writing (a damaged file, a read-only folder) is a miss too, never an
error; and a rewriting read back must parse into the very statements that were written. The
results are the same with or without the cache.

``pyreasoner diff`` keeps its own memo of the rewriting statement by statement in the same
folder (``tagging.json``, see :mod:`pyreasoner.diff`): it compares two rule bases that differ
by an edit, which a whole-program key would miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from . import _engine

#: Rewritings kept at most (about 0.3 MB each for the bundled rule base); the oldest go first.
KEEP = 16


def cache_dir() -> Path | None:
    """Where pyreasoner keeps what it computes once for many runs: ``$PYREASONER_CACHE_DIR``,
    else ``$XDG_CACHE_HOME/pyreasoner`` or ``~/.cache/pyreasoner``; ``None`` when
    ``PYREASONER_CACHE_DIR`` is ``off`` (or empty)."""
    env = os.environ.get("PYREASONER_CACHE_DIR")
    if env is not None:
        return None if env.strip() in ("", "off") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pyreasoner"


def engine_version() -> str:
    """What a stored rewriting depends on besides its input: the code of the engine package."""
    digest = hashlib.sha256()
    for path in sorted(Path(_engine.__file__).parent.glob("*.py")):  # every module of the engine package
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _key(program: _engine.Program, inputs: Sequence[tuple[str, int]], statuses: Sequence[str]) -> str:
    digest = hashlib.sha256()
    head = repr((engine_version(), _engine.clingo_version(), sorted(inputs), list(statuses)))
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
    folder = cache_dir()
    file = None
    if folder is not None:
        file = folder / f"tagged-{_key(program, inputs, statuses)}.json"
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, ValueError):
            text = None
        if text is not None:
            hit = _engine.tagged_from_text(program, text)
            if hit is not None:
                return hit
    result = _engine.tag_program(program, inputs, statuses)
    if file is not None:
        _store(file, _engine.tagged_text(result))
    return result


def _store(file: Path, text: str) -> None:
    """Write ``file`` whole or not at all, and drop the oldest rewritings beyond :data:`KEEP`."""
    part = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        part.write_text(text, encoding="utf-8")
        os.replace(part, file)
    except OSError:
        with contextlib.suppress(OSError):
            part.unlink()
        return
    with contextlib.suppress(OSError):
        kept = sorted(file.parent.glob("tagged-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[KEEP:]:
            old.unlink()
