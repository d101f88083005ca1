"""The batch engine's rewriting of the encodings kept on disk between runs (``pyreasoner.cache``,
issue 17): read back when it is the rewriting of the very same statements by the same engine
code, rewritten otherwise, never an error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pyreasoner import Reasoner, _engine, cache
from pyreasoner.case import STATUSES
from pyreasoner.contract import CASE_INPUTS

INPUTS = list(CASE_INPUTS)


def _same(a: _engine.TaggedProgram, b: _engine.TaggedProgram) -> bool:
    return ([str(s) for s in a.statements], a.tagged, a.guarded) == ([str(s) for s in b.statements], b.tagged, b.guarded)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PYREASONER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the encodings were rewritten (not read back)."""
    calls: list[int] = []
    real = _engine.tag_program

    def tag(*args: object, **kwargs: object) -> _engine.TaggedProgram:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_engine, "tag_program", tag)
    return calls


def test_a_rewriting_is_read_back_by_the_next_run(reasoner: Reasoner, folder: Path, counted: list[int]) -> None:
    program = reasoner.rulebase.solver_program
    first = cache.tagged(program, INPUTS, STATUSES)
    [file] = folder.glob("tagged-*.json")
    again = cache.tagged(program, INPUTS, STATUSES)
    assert counted == [1], "read back, not rewritten"
    assert _same(again, first) and again.program.master == program.master
    assert _same(first, _engine.tag_program(program, INPUTS, STATUSES))
    # another input list, other statuses: another key
    cache.tagged(program, INPUTS[:-1], STATUSES)
    assert len(list(folder.glob("tagged-*.json"))) == 2 and file.exists()


def test_an_edited_rule_or_engine_is_a_miss(reasoner: Reasoner, folder: Path, counted: list[int],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    program = reasoner.rulebase.solver_program
    cache.tagged(program, INPUTS, STATUSES)
    edited = _engine.Program(master=program.master, statements=program.statements[:-1], files=program.files)
    got = cache.tagged(edited, INPUTS, STATUSES)
    assert counted == [1, 1] and _same(got, _engine.tag_program(edited, INPUTS, STATUSES))
    monkeypatch.setattr(cache, "engine_version", lambda: "another engine")
    cache.tagged(program, INPUTS, STATUSES)
    assert len(counted) == 4  # (the comparison above rewrote once more)


def test_a_damaged_or_unreadable_cache_is_a_miss_never_an_error(reasoner: Reasoner, folder: Path,
                                                                counted: list[int]) -> None:
    program = reasoner.rulebase.solver_program
    first = cache.tagged(program, INPUTS, STATUSES)
    [file] = folder.glob("tagged-*.json")
    for damage in ("{", '{"statements": ["p(."], "tagged": [], "guarded": 0}', "\udcff"):
        file.write_text(damage, encoding="utf-8", errors="surrogateescape")
        assert _same(cache.tagged(program, INPUTS, STATUSES), first)
    assert len(counted) == 4
    assert _same(cache.tagged(program, INPUTS, STATUSES), first) and len(counted) == 4  # rewritten whole


def test_no_cache_when_it_is_off_or_cannot_be_written(reasoner: Reasoner, tmp_path: Path, counted: list[int],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    program = reasoner.rulebase.solver_program
    monkeypatch.setenv("PYREASONER_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    cache.tagged(program, INPUTS, STATUSES)
    cache.tagged(program, INPUTS, STATUSES)
    assert len(counted) == 2
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("PYREASONER_CACHE_DIR", str(blocked / "cache"))  # below a file: cannot be made
    assert _same(cache.tagged(program, INPUTS, STATUSES), _engine.tag_program(program, INPUTS, STATUSES))
    assert not list(tmp_path.rglob("*.tmp"))


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PYREASONER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "pyreasoner"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == Path.home() / ".cache" / "pyreasoner"


def test_only_the_newest_rewritings_are_kept(reasoner: Reasoner, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = reasoner.rulebase.solver_program
    monkeypatch.setattr(cache, "KEEP", 2)
    for i in range(3):
        monkeypatch.setattr(cache, "engine_version", lambda i=i: f"engine {i}")
        cache.tagged(program, INPUTS, STATUSES)
        newest = max(folder.glob("tagged-*.json"), key=lambda p: p.stat().st_mtime_ns)
        os.utime(newest, ns=(i * 10**9, i * 10**9))  # mtimes one second apart
    kept = sorted(folder.glob("tagged-*.json"), key=lambda p: p.stat().st_mtime_ns)
    assert [p.stat().st_mtime_ns for p in kept] == [10**9, 2 * 10**9]


def test_solve_many_and_the_batch_read_the_cache(reasoner: Reasoner, folder: Path, counted: list[int]) -> None:
    """A new Reasoner's solve_many and a batch's ChunkSolver take the rewriting a run before
    them left (each Reasoner tagged the encodings itself before)."""
    from pyreasoner.batch import BatchConfig, ChunkSolver

    cases = [Reasoner().load(p) for p in sorted((Path(__file__).parent.parent / "cases" / "civil").glob("*.yaml"))[:3]]
    first = [r.to_json() for r in Reasoner().solve_many(cases)]
    assert counted == [1]
    assert [r.to_json() for r in Reasoner().solve_many(cases)] == first
    assert ChunkSolver(BatchConfig()).tagged is not None
    assert counted == [1]
