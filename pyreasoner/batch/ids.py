"""Unique case ids within a batch: the table of ids already written, kept small for millions of cases."""

from __future__ import annotations

import array
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypedDict

from ..errors import UsageError


class _IdIndex:
    """Case id -> byte offset, in the output file, of the first record with that id.

    The ids are kept by an 8-byte digest. A digest is only a candidate: the id is compared
    with the one in the record at the stored offset, read back from the output file, so
    two ids with one digest are never taken for one.

    The table lives on disk (:class:`_DiskTable`, an SQLite file in the temporary folder,
    ``TMPDIR``), so that the batch's main process stays as small at 10^6 cases as at 10^4:
    in memory the table takes some 34 bytes an id (34 MiB at 10^6). Where SQLite or the
    temporary folder is missing, it lives in memory (:class:`_MemoryTable`).
    """

    def __init__(self, read_record: Callable[[int], _RecordHead]) -> None:
        self._read = read_record
        self._table: _DiskTable | _MemoryTable
        try:
            self._table = _DiskTable()
        except (ImportError, OSError):  # no sqlite3 module, no temporary folder to write
            self._table = _MemoryTable()

    @staticmethod
    def _digest(case_id: str) -> int:
        d = int.from_bytes(hashlib.blake2b(case_id.encode("utf-8"), digest_size=8).digest(), "little")
        return d or 1

    def first(self, case_id: str, offset: int) -> _RecordHead | None:
        """The first record with ``case_id`` (as read back), or None after noting that the
        record at ``offset`` is the first."""
        key = self._digest(case_id)
        for earlier in self._table.offsets(key):
            record = self._read(earlier)
            if record.get("case") == case_id or not record:  # {}: unreadable, the digest decides
                return record
        self._table.add(key, offset)
        return None

    def close(self) -> None:
        """Remove the table's file now (else when the index is garbage, or at exit)."""
        self._table.close()


class _DiskTable:
    """Digest -> offsets in an SQLite table in a scratch file of the temporary folder: the
    process keeps only SQLite's page cache (4 MiB at most); the operating system's file
    cache holds the rest, some 21 bytes an id (21 MB at 10^6), and can drop it. One
    transaction for the whole batch, no journal, no sync: the file is scratch, rebuilt
    from the output on ``--resume``. It is unlinked as soon as it is open (POSIX keeps an
    open file alive, and with no journal SQLite opens no other file), so that not even a
    killed batch leaves it behind; where that fails (Windows) it is removed on close."""

    def __init__(self) -> None:
        import shutil
        import sqlite3
        import tempfile
        import weakref

        folder = tempfile.mkdtemp(prefix="pyreasoner-ids-")
        path = Path(folder) / "ids.sqlite"
        #: where the table is, for messages
        self.where = str(Path(folder).parent)
        try:
            db = sqlite3.connect(path, isolation_level=None)
            db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -4096; "
                             "PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = MEMORY; CREATE TABLE ids "
                             "(digest INTEGER, offset INTEGER, PRIMARY KEY (digest, offset)) WITHOUT ROWID; BEGIN")
        except BaseException as exc:
            shutil.rmtree(folder, ignore_errors=True)
            if isinstance(exc, sqlite3.Error):
                raise OSError(f"{path}: {exc}") from exc
            raise
        left: str | None = folder  # the folder to remove on close
        try:
            path.unlink()
            os.rmdir(folder)
            left = None
        except OSError:
            pass
        self._db, self._error = db, sqlite3.Error
        self._close = weakref.finalize(self, _DiskTable._remove, db, left)

    @staticmethod
    def _remove(db: Any, folder: str | None) -> None:
        import shutil

        db.close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def offsets(self, key: int) -> list[int]:
        try:
            return [row[0] for row in self._db.execute("SELECT offset FROM ids WHERE digest = ?", (_signed(key),))]
        except self._error as exc:
            raise self._failed(exc) from None

    def add(self, key: int, offset: int) -> None:
        try:
            self._db.execute("INSERT INTO ids VALUES (?, ?)", (_signed(key), offset))
        except self._error as exc:  # e.g. the temporary folder is full
            raise self._failed(exc) from None

    def _failed(self, exc: BaseException) -> UsageError:
        return UsageError(self.where, None, f"cannot keep the table of case ids (a scratch file in this temporary "
                          f"folder): {exc}; the complete records written so far are kept: give TMPDIR a folder "
                          "with room and rerun with --resume")

    def close(self) -> None:
        self._close()


def _signed(key: int) -> int:
    """An 8-byte digest as SQLite's signed 64-bit integer."""
    return key - (1 << 64) if key >= 1 << 63 else key


class _MemoryTable:
    """Digest -> offsets in memory: open-addressing tables of digests and offsets, each in
    two ``array``s, 35-70% full (23-46 bytes an id, against some 150 for a dict of strings).
    The digests are spread over :attr:`SHARDS` such tables by their top bits, and each
    doubles on its own: a doubling holds the old and the new table of one shard at once,
    a 64th of the whole, where one table would hold the whole three times over."""

    #: How many tables the digests are spread over (a power of 2; the top bits choose).
    SHARDS = 64
    _SHIFT = 64 - (SHARDS.bit_length() - 1)

    def __init__(self) -> None:
        self._shards = [_Shard() for _ in range(self.SHARDS)]
        #: (key, its shard's keys array, the free slot) where :meth:`offsets` ended its walk:
        #: the slot :meth:`add` of the same key takes, unless the shard has grown since
        self._free: tuple[int, array.array[int], int] | None = None

    def offsets(self, key: int) -> Iterator[int]:
        shard = self._shards[key >> self._SHIFT]
        keys, mask = shard.keys, shard.size - 1
        slot = key & mask
        while keys[slot]:
            if keys[slot] == key:
                yield shard.offsets[slot]
            slot = (slot + 1) & mask
        self._free = (key, keys, slot)

    def add(self, key: int, offset: int) -> None:
        shard = self._shards[key >> self._SHIFT]
        keys, mask = shard.keys, shard.size - 1
        free, self._free = self._free, None
        if free is not None and free[0] == key and free[1] is keys and not keys[free[2]]:
            slot = free[2]  # the walk of offsets(key) found it: no second walk
        else:
            slot = key & mask
            while keys[slot]:
                slot = (slot + 1) & mask
        keys[slot], shard.offsets[slot] = key, offset
        shard.count += 1
        if shard.count * 10 > shard.size * 7:
            shard.grow()

    def close(self) -> None:
        pass


class _Shard:
    """One open-addressing table of :class:`_MemoryTable` (slot: the digest's low bits)."""

    __slots__ = ("count", "keys", "offsets", "size")

    def __init__(self, size: int = 64) -> None:
        self.count = 0
        self._allocate(size)

    def _allocate(self, size: int) -> None:
        self.size = size
        self.keys = array.array("Q", bytes(8 * size))  # 0: empty slot
        self.offsets = array.array("q", bytes(8 * size))

    def grow(self) -> None:
        keys, offsets = self.keys, self.offsets
        self._allocate(2 * self.size)
        mask = self.size - 1
        for key, offset in zip(keys, offsets, strict=True):  # allocated together, one size
            if key:
                slot = key & mask
                while self.keys[slot]:
                    slot = (slot + 1) & mask
                self.keys[slot], self.offsets[slot] = key, offset


class _RecordHead(TypedDict, total=False):
    """The keys of a record read back from the output (every record has them)."""

    index: int
    case: str | None
    source: str


def _record_reader(path: Path, flush: Callable[[], object]) -> Callable[[int], _RecordHead]:
    """Read back the record that starts at a byte offset of the output file; ``{}`` where the
    output is not a regular file (``--out /dev/null``, a pipe): the digest then decides alone."""
    def read(offset: int) -> _RecordHead:
        flush()
        if not path.is_file():  # /dev/null, a pipe: reading would find nothing, or steal the reader's data
            return {}
        with path.open("rb") as fh:
            fh.seek(offset)
            record: _RecordHead = json.loads(fh.readline())
            return record
    return read
