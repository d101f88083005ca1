"""Unique case ids within a batch: the table of ids already written, kept small for millions of cases."""

from __future__ import annotations

import array
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict


class _IdIndex:
    """Case id -> byte offset, in the output file, of the first record with that id.

    Open-addressing tables of 8-byte id digests and offsets, each in two ``array``s, 35-70%
    full (23-46 bytes an id, against some 150 for a dict of strings), so that a run over
    millions of cases stays small. The ids are spread over :attr:`SHARDS` such tables by
    their digest's top bits, and each table doubles on its own: a doubling holds the old
    and the new table of one shard at once, a 64th of the whole, where one table would
    hold the whole table three times over (past 734,004 ids: 32 MiB more for a moment).
    A digest is only a candidate: the id is compared with the one in the record at the
    stored offset, read back from the output file, so two ids with one digest are never
    taken for one.
    """

    #: How many tables the ids are spread over (a power of 2; the digest's top bits choose).
    SHARDS = 64
    _SHIFT = 64 - (SHARDS.bit_length() - 1)

    def __init__(self, read_record: Callable[[int], _RecordHead]) -> None:
        self._read = read_record
        self._shards = [_Shard() for _ in range(self.SHARDS)]

    @staticmethod
    def _digest(case_id: str) -> int:
        d = int.from_bytes(hashlib.blake2b(case_id.encode("utf-8"), digest_size=8).digest(), "little")
        return d or 1

    def first(self, case_id: str, offset: int) -> _RecordHead | None:
        """The first record with ``case_id`` (as read back), or None after noting that the
        record at ``offset`` is the first."""
        key = self._digest(case_id)
        shard = self._shards[key >> self._SHIFT]
        keys, mask = shard.keys, shard.size - 1
        slot = key & mask
        while keys[slot]:
            if keys[slot] == key:
                record = self._read(shard.offsets[slot])
                if record.get("case") == case_id or not record:  # {}: unreadable, the digest decides
                    return record
            slot = (slot + 1) & mask
        keys[slot], shard.offsets[slot] = key, offset
        shard.count += 1
        if shard.count * 10 > shard.size * 7:
            shard.grow()
        return None


class _Shard:
    """One open-addressing table of :class:`_IdIndex` (slot: the digest's low bits)."""

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
