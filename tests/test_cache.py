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


def test_no_home_folder_means_no_cache_not_a_slower_engine(reasoner: Reasoner, monkeypatch: pytest.MonkeyPatch,
                                                          counted: list[int]) -> None:
    """``Path.home()`` raises without HOME and a password entry: the cache is off, and the
    batch engine and solve_many still tag the encodings."""
    from pyreasoner.batch import BatchConfig, ChunkSolver

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("PYREASONER_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cache.cache_dir() is None
    solver = ChunkSolver(BatchConfig())
    assert solver.tagged is not None and solver.untaggable is None and counted == [1]


def test_the_engine_code_is_the_code_this_process_loaded(reasoner: Reasoner, folder: Path, counted: list[int],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that runs on while the engine's files change (a checkout, an upgrade) keeps
    the version of the code it loaded: it must not store its rewriting under the new code's
    key. And when that code cannot be told (no source files), nothing is kept."""
    version = cache.engine_version()
    assert version is not None
    real = Path.read_bytes
    engine = Path(_engine.__file__).parent

    def edited(path: Path) -> bytes:
        return real(path) + (b"\n# edited" if path.parent == engine else b"")

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert cache.engine_version() == version
    monkeypatch.setattr(Path, "read_bytes", real)
    program = reasoner.rulebase.solver_program
    monkeypatch.setattr(cache, "_ENGINE_DIGEST", None)
    assert cache.engine_version() is None
    cache.tagged(program, INPUTS, STATUSES)
    cache.tagged(program, INPUTS, STATUSES)
    assert len(counted) == 2 and not folder.exists()


def test_the_key_covers_the_statuses_and_clingo(reasoner: Reasoner, monkeypatch: pytest.MonkeyPatch) -> None:
    program = reasoner.rulebase.solver_program
    key = cache._key(program, INPUTS, STATUSES)
    assert key is not None and key == cache._key(program, list(reversed(INPUTS)), STATUSES)  # a set of inputs
    assert cache._key(program, INPUTS, list(STATUSES)[:-1]) != key
    monkeypatch.setattr(_engine, "clingo_version", lambda: "5.9.0")
    assert cache._key(program, INPUTS, STATUSES) != key


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
    # a rewriting read back counts as new: the one of "engine 1" outlives the next write
    monkeypatch.setattr(cache, "engine_version", lambda: "engine 1")
    cache.tagged(program, INPUTS, STATUSES)
    read = max(folder.glob("tagged-*.json"), key=lambda p: p.stat().st_mtime_ns)
    assert read == kept[0]
    stale, fresh = folder / "tagged-x.tmp", folder / "tagged-y.tmp"  # left by processes that died
    stale.write_text("", encoding="utf-8")
    fresh.write_text("", encoding="utf-8")
    os.utime(stale, (0, 0))
    monkeypatch.setattr(cache, "engine_version", lambda: "engine 3")
    cache.tagged(program, INPUTS, STATUSES)
    assert read.exists() and not kept[1].exists() and len(list(folder.glob("tagged-*.json"))) == 2
    assert not stale.exists() and fresh.exists()


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
