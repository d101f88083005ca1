"""The command lines the README and docs/ show with their output (```$ pyreasoner solve|explain|test
...``` blocks) print today what the page shows: a page that shows an answer the rule base no longer
gives misleads its reader. A block may trim its output with ``...`` lines; each excerpt between them
is found again in today's output by its first line and must match it line for line. The line
numbers of the encodings (``ecl_38.lp:87``) are not compared.

To re-record every block after a deliberate change (and review the diff):
``PYREASONER_REPIN=1 python -m pytest tests/test_doc_outputs.py``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
KINDS = ("solve", "explain", "test")


def _blocks(page: Path) -> list[tuple[int, str, list[str]]]:
    """(line index of the command, command, the output lines the page shows) for each one-line
    ``$ pyreasoner solve|explain|test`` command of a fenced block."""
    lines = page.read_text(encoding="utf-8").split("\n")
    out, fenced, i = [], False, 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            fenced = not fenced
        elif fenced and line.startswith("$ pyreasoner ") and not line.rstrip().endswith("\\") \
                and "|" not in line and line.split()[2] in KINDS:
            j = i + 1
            while j < len(lines) and not lines[j].startswith(("$ ", "```")):
                j += 1
            out.append((i, line[2:], lines[i + 1:j]))
            i = j
            continue
        i += 1
    return out


def _norm(line: str) -> str:
    return re.sub(r"\.lp:\d+", ".lp", line)


def _key(line: str) -> str:
    return re.sub(r"^[\s│├└─]+", "", _norm(line))


def _fit(shown: list[str], actual: list[str]) -> list[str]:
    """Today's output cut the way the page cuts it: the excerpts between ``...`` lines, each as
    long as on the page and starting where today's output has the excerpt's first line."""
    parts: list[list[str] | str] = [[]]
    for line in shown:
        if line.strip() == "...":
            parts += [line, []]
        else:
            part = parts[-1]
            assert isinstance(part, list)
            part.append(line)
    if len(parts) == 1:
        return actual
    out: list[str] = []
    pos = 0
    for k, part in enumerate(parts):
        if isinstance(part, str):
            out.append(part)
            continue
        if not part:
            continue
        start = 0
        if k:
            hits = [n for n in range(pos, len(actual)) if _key(actual[n]) == _key(part[0])]
            if hits:
                start = hits[0]
            elif k == len(parts) - 1:  # a last excerpt no longer found: the page's tail, today's tail
                start = max(pos, len(actual) - len(part))
            else:
                return out + ["<excerpt not in today's output: " + part[0].strip() + ">"]
        take = actual[start:start + len(part)] if k < len(parts) - 1 else actual[start:]
        out += take
        pos = start + len(take)
    return out


def _run(command: str, cwd: Path, tmp: Path) -> list[str]:
    args = shlex.split(command)[1:]
    if "--junit-xml" in args:  # the report goes to a scratch folder, not into the checkout
        at = args.index("--junit-xml") + 1
        args[at] = str(tmp / args[at])
    proc = subprocess.run([sys.executable, "-m", "pyreasoner", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)
    return (proc.stdout + proc.stderr).rstrip("\n").split("\n")


CASES = [(page, index, command, shown) for page in PAGES for index, command, shown in _blocks(page)]


def test_the_pages_show_commands():
    assert len(CASES) >= 15  # the README and docs/ show this many; a parser that finds none would pass all


@pytest.mark.parametrize("page, index, command, shown", CASES,
                         ids=[f"{p.name}:{i + 1}" for p, i, _, _ in CASES])
def test_a_shown_output_is_todays_output(page, index, command, shown, tmp_path):
    trailing = len(shown) - len("\n".join(shown).rstrip("\n").split("\n")) if shown else 0
    body = shown[:len(shown) - trailing]
    today = _fit(body, _run(command, ROOT, tmp_path))
    if os.environ.get("PYREASONER_REPIN") and today != body:
        # the block is found again by its command and shown output (an earlier re-pin of the
        # same page may have moved it)
        lines = page.read_text(encoding="utf-8").split("\n")
        at = next(n for n, line in enumerate(lines)
                  if line == "$ " + command and lines[n + 1:n + 1 + len(body)] == body)
        lines[at + 1:at + 1 + len(body)] = today
        page.write_text("\n".join(lines), encoding="utf-8")
        return
    assert [_norm(x) for x in today] == [_norm(x) for x in body], f"{page.name} line {index + 1}: {command}"
