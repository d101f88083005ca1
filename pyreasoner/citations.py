"""Citation blocks: the comment that heads each group of rules in an encoding file
(docs/encodings.md), read by one reader for the linter (which checks the blocks) and for
the explanations (which give a rule's provision and the Deviation line of its block)::

    %% [ecl_38_2] 电子商务法 第三十八条第二款 / E-Commerce Law Art. 38(2)
    %% Reading: ...
    %% Deviation: none
    provision(ecl_38_2, ...).

A block is its header line and the comment lines that follow it without a gap. A rule
belongs to the last block whose header is above it.

>>> blocks = read(["%% [p] 法 第一条 / Law Art. 1", "%% Reading: holds", "%% Deviation: the text says",
...                "%%    more", "a :- b.", "%% [q] loose header", "c."])
>>> [(b.provision, b.line, b.cited, b.deviation) for b in blocks]
[('p', 1, True, 'the text says more'), ('q', 6, False, '')]
>>> at(blocks, 5).provision, at(blocks, 7).provision, at(blocks, 0)
('p', 'q', None)
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path

#: any block header ``%% [id] ...``
HEAD = re.compile(r"^%%\s*\[([A-Za-z0-9_]+)\]")
#: the header the linter requires: ``%% [id] 法 第…条 / Law Art. …`` (Chinese, then English)
CITED = re.compile(r"^%%\s*\[([A-Za-z0-9_]+)\]\s+(\S.*?)\s+/\s+(\S.*)$")
_FIELD = re.compile(r"^%%\s*([A-Z][a-z]+):\s*(.*)$")
#: a field's continuation line: ``%%`` and at least two spaces
_MORE = re.compile(r"^%%\s{2,}\S")


@dataclasses.dataclass(frozen=True)
class Block:
    """One citation block: its provision id, the line of its header (1-based), its
    comment lines (stripped, the header first), and whether the header has the cited
    form (:data:`CITED`)."""

    provision: str
    line: int
    lines: tuple[str, ...]
    cited: bool

    def field(self, key: str) -> str | None:
        """The text of the block's ``%% Key:`` line with its continuation lines, joined
        (``None`` when the block has no such line)."""
        for i, text in enumerate(self.lines):
            m = _FIELD.match(text)
            if m and m.group(1) == key:
                parts = [m.group(2).strip()]
                for more in self.lines[i + 1:]:
                    if not _MORE.match(more) or HEAD.match(more):
                        break
                    parts.append(more[2:].strip())
                return " ".join(" ".join(parts).split())
        return None

    @property
    def deviation(self) -> str:
        """The Deviation line ("" when there is none)."""
        return self.field("Deviation") or ""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def read(lines: Sequence[str]) -> tuple[Block, ...]:
    """The citation blocks of a file's lines, in order."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        head = lines[i].strip()
        m = HEAD.match(head)
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j].strip().startswith("%") and not HEAD.match(lines[j].strip()):
            j += 1
        # stripped at both ends only: a continuation line keeps its "%%" and two spaces
        block = tuple(ln.strip() for ln in lines[i:j])
        blocks.append(Block(m.group(1), i + 1, block, CITED.match(head) is not None))
        i = j
    return tuple(blocks)


def read_file(path: str | Path) -> tuple[tuple[Block, ...], list[str]]:
    """The citation blocks of a file and its lines (none when it cannot be read)."""
    try:  # a byte that is not UTF-8 (lint reports it) hides none of the file's blocks
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return (), []
    return read(lines), lines


def at(blocks: Sequence[Block], line: int) -> Block | None:
    """The block a statement at ``line`` belongs to: the last one whose header is at or
    above it (``None``: none is)."""
    k = bisect.bisect_right([b.line for b in blocks], line)
    return blocks[k - 1] if k else None
