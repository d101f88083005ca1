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
                if record.get("case") == case_id or not record:  # {}: unreadable, the digest decides
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
