"""Batch input streamed from standard input (``pyreasoner batch -``), the tagged encodings
shared by a batch's worker processes, and the options of the memory bench (issue 17)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pyreasoner import Reasoner, _engine
from pyreasoner.batch import BatchConfig, ChunkSolver, run_batch, solver
from pyreasoner.case import STATUSES
from pyreasoner.errors import UsageError

from conftest import ROOT

DOCS = [
    {"id": "s1", "facts": {"established": ["party(p, platform)", "party(m, merchant)", "party(c, consumer)",
                                           "on_platform(m, p)", "sold(m, g, c)", "concerns_life_health(g)",
                                           "damage(c, g)"], "refuted": ["reviewed_qualification(p, m)"]}},
    {"id": "s2", "facts": {"established": ["party(p, platform)", "party(m, merchant)"]}},
    {"id": "s3", "facts": {"established": ["no_such_predicate(x)"]}},  # invalid: an error record, the batch goes on
]


def _lines(docs: list[dict]) -> bytes:
    return b"".join(json.dumps(d).encode("utf-8") + b"\n" for d in docs)


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_stdin_gives_the_records_of_the_same_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _lines(DOCS).replace(b"\n", b"\n\n", 1)  # a blank line is skipped, and counted in the line numbers
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(data)
    run_batch(corpus, tmp_path / "file.jsonl", workers=0)
    _stdin(monkeypatch, data)
    stats = run_batch("-", tmp_path / "stdin.jsonl", workers=0)
    assert stats.cases == 3 and stats.errors == 1
    from_file, from_stdin = _records(tmp_path / "file.jsonl"), _records(tmp_path / "stdin.jsonl")
    # the same records but the source, which names the line of standard input
    assert [r["source"] for r in from_stdin] == ["<stdin>:1", "<stdin>:3", "<stdin>:4"]
    assert [r["source"] for r in from_file] == [f"{corpus}:1", f"{corpus}:3", f"{corpus}:4"]
    for a, b in zip(from_file, from_stdin, strict=True):
        a.pop("source"), b.pop("source")
        if "error" in a:  # the message names the file and the line too
            a["error"]["message"] = a["error"]["message"].replace(str(corpus), "<stdin>")
        assert a == b
    assert "error" not in from_stdin[0] and from_stdin[0]["answers"]
    assert from_stdin[2]["error"]["kind"] == "invalid"
    run = json.loads((tmp_path / "stdin.jsonl.run").read_text(encoding="utf-8"))
    assert run["input"] == {"path": "-", "sha256": ""}  # no fingerprint: standard input is read once


def test_stdin_cannot_be_resumed_and_must_hold_a_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, _lines(DOCS))
    with pytest.raises(UsageError, match="cannot resume a run that reads standard input"):
        run_batch("-", tmp_path / "r.jsonl", workers=0, resume=True)
    _stdin(monkeypatch, b"\n  \n")
    with pytest.raises(UsageError, match="no cases: standard input holds no case"):
        run_batch("-", tmp_path / "r.jsonl", workers=0)


def test_cli_reads_standard_input_with_workers(tmp_path: Path) -> None:
    """``pyreasoner generate | pyreasoner batch -``, through worker processes: records in input order."""
    out = tmp_path / "r.jsonl"
    done = subprocess.run([sys.executable, "-m", "pyreasoner", "batch", "-", "--out", str(out), "--workers", "2",
                           "--chunk-size", "1", "--recycle", "1"], input=_lines(DOCS), capture_output=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 3, done.stderr  # the invalid case: exit 3
    records = _records(out)
    assert [(r["index"], r["case"], r["source"]) for r in records] == [
        (0, "s1", "<stdin>:1"), (1, "s2", "<stdin>:2"), (2, "s3", "<stdin>:3")]
    assert "3 cases written" in done.stderr.decode()


# ------------------------------------------------------------------ the tagged encodings, shared
@pytest.fixture(scope="module")
def tagged() -> tuple[_engine.Program, _engine.TaggedProgram]:
    program = _engine.without_comments(Reasoner().rulebase.program)
    inputs = [(s, 1) for s in STATUSES] + [("fact_pred", 2)]
    return program, _engine.tag_program(program, inputs, STATUSES)


def test_tagged_text_parses_back_into_the_same_program(tagged: tuple[_engine.Program, _engine.TaggedProgram]) -> None:
    program, tag = tagged
    back = _engine.tagged_from_text(program, _engine.tagged_text(tag))
    assert back is not None
    assert [str(s) for s in back.statements] == [str(s) for s in tag.statements]
    assert (back.tagged, back.guarded, back.program.master) == (tag.tagged, tag.guarded, program.master)
    assert _engine.tagged_from_text(program, "not json") is None
    assert _engine.tagged_from_text(program, json.dumps({"statements": ["p(."], "tagged": [], "guarded": 0})) is None


def test_a_worker_reads_the_tagged_encodings_another_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solver, "_TAG_CACHE", str(tmp_path))
    monkeypatch.setenv("PYREASONER_CACHE_DIR", "off")  # the batch's own folder alone (not pyreasoner.cache's)
    first = ChunkSolver(BatchConfig())
    assert first.tagged is not None
    [cache] = tmp_path.glob("tagged-*.json")

    def no_tagging(*args: object, **kwargs: object) -> None:
        raise AssertionError("tagged again")

    monkeypatch.setattr(_engine, "tag_program", no_tagging)
    second = ChunkSolver(BatchConfig())  # read back from the cache: no tagging
    assert second.tagged is not None and second.tagged.tagged == first.tagged.tagged
    line = json.dumps(DOCS[0])
    assert second.solve_chunk([(0, "line", line, "x:1")])[0][0] == first.solve_chunk([(0, "line", line, "x:1")])[0][0]
    cache.write_text("{}", encoding="utf-8")  # a damaged cache is tagged again (here: refused, so solved alone)
    third = ChunkSolver(BatchConfig())
    assert third.tagged is None and "tagged again" in (third.untaggable or "")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork server is used on Linux only")
def test_workers_fork_from_a_server_that_imported_the_solver(tmp_path: Path) -> None:
    """On Linux the pool's workers are forked from multiprocessing's fork server, which
    imports the modules a worker needs once (a replaced worker then starts without
    importing clingo and pyreasoner again); recycled workers give the same records."""
    import importlib

    from pyreasoner.batch import executors

    assert executors._pool_context().get_start_method() == "forkserver"
    # a wrong name would be skipped by the server without a word
    assert "solve_chunk" in vars(importlib.import_module(executors.PRELOAD[0]))
    assert "start_server" in vars(importlib.import_module(executors.PRELOAD[1]))
    corpus = tmp_path / "in.jsonl"
    corpus.write_bytes(_lines(DOCS))
    run_batch(corpus, tmp_path / "alone.jsonl", config=BatchConfig(), workers=0)
    run_batch(corpus, tmp_path / "forked.jsonl", config=BatchConfig(), workers=1, chunk_size=1, recycle=1)
    assert (tmp_path / "forked.jsonl").read_bytes() == (tmp_path / "alone.jsonl").read_bytes()
    timings = [json.loads(line) for line in (tmp_path / "forked.jsonl.timings").read_text(encoding="utf-8").splitlines()]
    assert len({t["pid"] for t in timings}) == len(DOCS)  # a fresh worker per case


# ------------------------------------------------------------------ the memory bench's options
def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_batch", ROOT / "bench" / "bench_batch.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_memory_options() -> None:
    bench = _bench()
    assert bench.parse_args([]).rss is None  # throughput, no memory run
    assert bench.parse_args(["--rss"]).rss == [10_000, 100_000]
    args = bench.parse_args(["--rss", "500", "--stream", "1000000", "--base", "b.jsonl"])
    assert (args.rss, args.stream, args.base) == ([500], 1_000_000, "b.jsonl")
    for bad in (["--stream", "0"], ["--rss", "-1"], ["--n", "0"]):
        with pytest.raises(SystemExit):
            bench.parse_args(bad)


def test_bench_stream_renames_the_ids_of_each_pass() -> None:
    bench = _bench()
    base = [json.dumps(d) for d in DOCS[:2]]
    docs = [json.loads(line) for line in bench.stream_docs(base, 5)]
    assert [d["id"] for d in docs] == ["s1", "s2", "s1-r1", "s2-r1", "s1-r2"]
    assert docs[2]["facts"] == DOCS[0]["facts"]


def test_bench_memory_sampler_names_the_roles_of_the_tree() -> None:
    """The sampler tells the processes of the tree apart (main; the fork server, a child of
    main by its command line; a worker, a child of the fork server) and reports the tree at
    its peak with each one's role."""
    import time

    bench = _bench()
    assert bench.parse_args(["--rss", "10", "--every", "0.05"]).every == 0.05
    with pytest.raises(SystemExit):
        bench.parse_args(["--rss", "10", "--every", "0"])
    sleeper = "import time; time.sleep(60)"
    server = f"import multiprocessing.forkserver, subprocess, sys; subprocess.run([sys.executable, '-c', {sleeper!r}])"
    main = subprocess.Popen([sys.executable, "-c", f"import subprocess, sys; subprocess.run([sys.executable, '-c', {server!r}])"])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # till the three are there, each with its RSS
            tree = bench._tree(main.pid)
            if len(tree) == 3 and all(p.rss for p in tree.values()):
                break
            time.sleep(0.05)
        sampler = bench.TreeRss(main.pid, every=0.02)
        time.sleep(0.2)
        sampler.stop()
        report = sampler.report()
    finally:
        for pid in bench._tree(main.pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        main.wait()
    assert all(sampler.role_peak[role] > 0 for role in ("main", "fork server", "worker"))
    assert sampler.most_workers == 1 and set(sampler.by_workers) == {1}
    assert sorted(role for role, _, _ in sampler.peak_tree) == ["fork server", "main", "worker"]
    assert "most workers alive at once: 1" in report


def test_a_workers_last_task_frees_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool worker ends after its last task (``--recycle``): that chunk's control is left
    to the end of the process (no free, no trim), the others are freed and trimmed, and the
    records are the same either way."""
    trims: list[int] = []
    monkeypatch.setattr(solver, "_trim", lambda: trims.append(1))
    monkeypatch.setattr(solver, "_LEFT", [])
    monkeypatch.setattr(solver, "_DONE", 0)
    monkeypatch.setattr(solver, "_TASKS", 2)
    items = [(i, "line", json.dumps(d), f"x:{i + 1}") for i, d in enumerate(DOCS)]
    config = BatchConfig()
    first = solver.solve_chunk(config, items)
    assert (trims, solver._LEFT) == ([1], [])
    last = solver.solve_chunk(config, items)
    assert trims == [1] and len(solver._LEFT) == 1 and isinstance(solver._LEFT[0], _engine.ChunkGround)
    assert [r for r, _ in last] == [r for r, _ in first]
    solver.solve_chunk(config, items)  # past the budget (no pool does that): freed, _LEFT does not grow
    assert trims == [1, 1] and len(solver._LEFT) == 1
    monkeypatch.setattr(solver, "_TASKS", None)  # not a pool worker (or no --recycle): every chunk is freed
    monkeypatch.setattr(solver, "_DONE", 0)
    solver.solve_chunk(config, items)
    assert trims == [1, 1, 1] and len(solver._LEFT) == 1


def test_the_pool_tells_each_worker_its_task_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """run_batch gives the pool max_tasks_per_child = recycle // chunk size and the same
    number to each worker's initializer, which hands it to the solver."""
    import concurrent.futures

    from pyreasoner.batch import executors

    seen: dict[str, object] = {}

    class Stop(Exception):
        pass

    def pool(**kwargs: object) -> None:
        seen.update(kwargs)
        raise Stop

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", pool)
    corpus = tmp_path / "in.jsonl"
    corpus.write_bytes(_lines(DOCS))
    with pytest.raises(Stop):
        run_batch(corpus, tmp_path / "out.jsonl", workers=1, chunk_size=4, recycle=9)
    assert seen["max_tasks_per_child"] == 2 and seen["initializer"] is executors._worker_start
    initargs = seen["initargs"]
    assert isinstance(initargs, tuple) and initargs[2] == 2
    monkeypatch.setattr(executors, "_die_with_parent", lambda parent: None)
    monkeypatch.setattr(solver, "_TASKS", None)
    monkeypatch.setattr(solver, "_TAG_CACHE", None)
    executors._worker_start(os.getpid(), None, 2)
    assert solver._TASKS == 2


def test_a_line_that_is_no_text_is_read_as_load_cases_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON Lines line that is not UTF-8, or longer than the limit, is its own invalid record in the
    batch, with the message ``load_cases`` (solve, check, test) gives for it, and the batch goes on (until
    2026-12-07 the batch decoded it with replacement characters and reported whatever that text then broke)."""
    import pyreasoner.case as case_module

    good = json.dumps(DOCS[1]).encode("utf-8")
    corpus = tmp_path / "mixed.jsonl"
    corpus.write_bytes(good + b"\n" + b'{"id": "bad\xff", "facts": {}}\n' + b'{"id": "long", "facts": {"established": ["'
                       + b"x" * 400 + b'"]}}\n' + json.dumps({**DOCS[0], "id": "s1b"}).encode("utf-8") + b"\n")
    monkeypatch.setattr(case_module, "MAX_CASE_BYTES", 300)
    out = tmp_path / "out.jsonl"
    stats = run_batch(corpus, out, workers=0)
    records = _records(out)
    assert [r.get("case") for r in records] == ["s2", None, None, "s1b"] and stats.errors == 2
    loaded = list(case_module.load_cases([corpus], Reasoner().vocabulary))
    errors = [str(item) for item in loaded if isinstance(item, Exception)]
    assert len(loaded) == 4 and len(errors) == 2
    assert [records[1]["error"]["message"], records[2]["error"]["message"]] == errors
    assert f"{corpus}: line 2: not UTF-8 text" in errors[0] and "expected a UTF-8 encoded line" in errors[0]
    assert f"{corpus}: line 3: more than 300 bytes" in errors[1]
    assert records[3]["consistent"] is True
