"""The case stream of a batch: the input's items in a fixed order, read lazily, and in chunks.

An item is ``(index, kind, payload, source)``: ``kind`` is ``"file"`` (``payload`` is the
path of a case file), ``"line"`` (``payload`` is one line of a JSON Lines file) or ``"error"``
(``payload`` says why a line cannot be read as text: not UTF-8, or too long; the same rule as
:func:`pyreasoner.case.load_cases`, :func:`pyreasoner.case.decode_line`). Nothing is parsed
here; :class:`pyreasoner.batch.solver.ChunkSolver` reads and validates each item.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .. import case
from ..case import CASE_SUFFIXES, decode_line
from ..errors import UsageError

#: Suffixes read as JSON Lines (one case document per line).
JSONL_SUFFIXES = case.JSONL_SUFFIXES
#: The input that is standard input, read as JSON Lines (``pyreasoner generate | pyreasoner batch -``).
STDIN = "-"
#: The source label of a line read from standard input (``<stdin>:LINE``).
STDIN_LABEL = "<stdin>"
#: An input item: (index, kind "line" | "file" | "error", payload, source label).
Item = tuple[int, str, str, str]


def iter_items(path: str | Path) -> Iterator[Item]:
    """The cases of ``path``, in a fixed order, without loading them.

    A folder yields its case files depth first, each folder's entries sorted by
    name (the order of :func:`pyreasoner.case.find_case_files`); a ``.jsonl`` file
    yields its non-blank lines, and so does ``-`` (:data:`STDIN`), standard input, as it
    comes (a stream of any length: ``pyreasoner generate ... | pyreasoner batch -``).
    Nothing is held in memory but the current folder's listing.
    """
    if str(path) == STDIN:
        yield from _read(lambda: contextlib.nullcontext(sys.stdin.buffer), STDIN_LABEL)
        return
    path = Path(path)
    if path.is_dir():
        for index, file in enumerate(_walk(path)):
            yield index, "file", str(file), str(file)
    elif path.is_file() and path.suffix in JSONL_SUFFIXES:
        yield from _read(lambda: path.open("rb"), str(path))
    elif path.is_file() and path.suffix in CASE_SUFFIXES:
        yield 0, "file", str(path), str(path)
    elif path.exists():
        raise UsageError(str(path), None, f"expected a folder of case files or a JSON Lines file ({', '.join(JSONL_SUFFIXES)})")
    else:
        raise UsageError(str(path), None, "no such file or folder")


def _read(open_: Callable[[], contextlib.AbstractContextManager[BinaryIO]], label: str) -> Iterator[Item]:
    """:func:`_lines` of the stream ``open_`` opens, with a failure to read it (a disk error,
    a stream cut) named as the input's, not taken for the output's (the batch writes as it
    reads)."""
    try:
        with open_() as fh:
            yield from _lines(fh, label)
    except OSError as exc:
        raise UsageError(label, None, f"cannot read the input: {exc.strerror or exc}") from None


def _lines(fh: BinaryIO, label: str) -> Iterator[Item]:
    """The non-blank lines of a JSON Lines stream as items (source ``label:LINE``)."""
    index = 0
    for lineno, raw in enumerate(fh, 1):
        if not raw.strip():
            continue
        try:
            text = decode_line(raw)  # as load_cases reads a line: UTF-8, at most MAX_CASE_BYTES
        except ValueError as exc:  # the line's own invalid record, in its place (kind "error")
            yield index, "error", str(exc), f"{label}:{lineno}"
            index += 1
            continue
        if lineno == 1:
            text = text.removeprefix("\ufeff")  # a byte-order mark
        yield index, "line", text, f"{label}:{lineno}"
        index += 1


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
    """How many items :func:`iter_items` will yield (for the progress bar; ``None``: not
    known before the end, as for standard input)."""
    if str(path) == STDIN:
        return None
    try:
        if path.is_dir():
            return sum(1 for _ in _walk(path))
        if path.suffix in JSONL_SUFFIXES:
            with path.open("rb") as fh:
                return sum(1 for raw in fh if raw.strip())
        return 1
    except OSError:
        return None



def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk



def _chain(first: Item | None, rest: Iterator[Item]) -> Iterator[Item]:
    if first is not None:
        yield first
        yield from rest

