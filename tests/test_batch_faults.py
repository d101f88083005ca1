"""Batch faults (issue 14): nothing lost, nothing wrong.

A fault other than a timeout inside a chunk never yields an ``ok`` record with a wrong
(empty) answer; one case past the memory bound gets a ``memory`` error record and the
rest of the batch is solved; the output is never the input; a resume refuses another
run's output; the exit status says when error records were written.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pyreasoner import _engine
from pyreasoner.batch import BatchConfig, ChunkSolver
from pyreasoner.case import case_from_data
from pyreasoner.query import Query

from conftest import CASES, descendants, expected_record, pool_workers, process_state, record_answers

PY = sys.executable


def _items(docs: list[dict]) -> list:
    return [(i, "line", json.dumps(d), f"<mem>:{i + 1}") for i, d in enumerate(docs)]


@pytest.fixture(scope="module")
def docs(generated) -> list[dict]:
    return generated(8, 3)


def test_a_memory_failure_in_a_chunk_never_gives_a_wrong_ok_record(reasoner, docs, monkeypatch):
    """The third case of a chunk runs out of memory; the control then answers every later
    case with one empty answer set (what clingo did after a bad_alloc). The chunk's control
    is dropped and every case solved again alone: every record is Reasoner.solve's."""
    real = _engine.ChunkGround.solve
    state = {"calls": 0, "broken": False}

    def faulty(self, k, denied, *, timeout=None):
        state["calls"] += 1
        if state["broken"]:
            return _engine.SolveOutcome(True, ((),), (), 0.0, 0.0)
        if state["calls"] == 3:
            state["broken"] = True
            raise MemoryError("std::bad_alloc")
        return real(self, k, denied, timeout=timeout)

    monkeypatch.setattr(_engine.ChunkGround, "solve", faulty)
    out = ChunkSolver(BatchConfig(), reasoner).solve_chunk(_items(docs))
    assert state["broken"], "the fault was not injected"
    for (line, timing), doc in zip(out, docs, strict=True):
        record = json.loads(line)
        assert timing["status"] == "ok" and timing["engine"] == "single", doc["id"]
        assert record_answers(record) == expected_record(reasoner, doc), doc["id"]


def test_a_case_that_fails_alone_too_gets_a_memory_record(reasoner, docs, monkeypatch):
    """The case also runs out of memory when solved alone: a ``memory`` error record for it,
    the others as Reasoner.solve gives them (computed before the fault is injected)."""
    expected = [expected_record(reasoner, d) for d in docs]
    victim = docs[2]["id"]
    real_chunk, real_solve = _engine.ChunkGround.solve, _engine.solve

    def chunk(self, k, denied, *, timeout=None):
        if k == 2:
            raise MemoryError("std::bad_alloc")
        return real_chunk(self, k, denied, timeout=timeout)

    case = case_from_data(docs[2], reasoner.vocabulary, file="<doc>")
    victim_atoms = set(Query.of(reasoner.issues).inputs(case)[1])

    def alone(program, facts, assumed, denied, *, timeout=None):
        if set(assumed) == victim_atoms:
            raise MemoryError("std::bad_alloc")
        return real_solve(program, facts, assumed, denied, timeout=timeout)

    monkeypatch.setattr(_engine.ChunkGround, "solve", chunk)
    monkeypatch.setattr(_engine, "solve", alone)
    out = ChunkSolver(BatchConfig(), reasoner).solve_chunk(_items(docs))
    statuses = [t["status"] for _, t in out]
    assert statuses[2] == "memory" and statuses.count("memory") == 1, statuses
    record = json.loads(out[2][0])
    assert record["case"] == victim and record["error"]["kind"] == "memory"
    assert "--max-memory" in record["error"]["message"]
    for k, ((line, _), want) in enumerate(zip(out, expected, strict=True)):
        if k != 2:
            assert record_answers(json.loads(line)) == want, docs[k]["id"]


def _big_case(n: int) -> dict:
    facts = ["party(p, platform)", "party(c, consumer)"]
    for i in range(n):
        facts += [f"party(m{i}, merchant)", f"on_platform(m{i}, p)", f"sold(m{i}, g{i}, c)",
                  f"concerns_life_health(g{i})", f"damage(c, g{i})", f"caused_damage(p, c, g{i})"]
    return {"id": "huge", "facts": {"established": facts}}


def test_one_case_past_the_memory_bound_does_not_take_the_worker_down(tmp_path, docs):
    """A real worker process, a bound of 64 MB and a case that needs some 130 MB: that case
    gets a ``memory`` record, every other case is solved by the same worker."""
    corpus = tmp_path / "c.jsonl"
    lines = [json.dumps(d) for d in docs[:3]] + [json.dumps(_big_case(2000))] + [json.dumps(d) for d in docs[3:5]]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    proc = subprocess.run([PY, "-m", "pyreasoner", "batch", str(corpus), "--out", str(out), "--workers", "1",
                           "--max-memory", "64"], capture_output=True, text=True, timeout=300, check=False)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    records = [r for r in records if "index" in r]
    assert [r.get("error", {}).get("kind") for r in records] == [None, None, None, "memory", None, None], proc.stderr
    timings = [json.loads(line) for line in Path(str(out) + ".timings").read_text().splitlines()]
    assert len({t["pid"] for t in timings}) == 1, "the worker died"
    assert "Traceback" not in proc.stderr


# ---------------------------------------------------------------- the output is never the input
@pytest.fixture()
def small(tmp_path, docs) -> Path:
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs[:3]), encoding="utf-8")
    return path


def test_an_output_that_is_the_input_is_refused(small, tmp_path):
    from pyreasoner.batch import run_batch
    from pyreasoner.errors import UsageError

    before = small.read_bytes()
    link = tmp_path / "hard.jsonl"
    link.hardlink_to(small)
    sym = tmp_path / "sym.jsonl"
    sym.symlink_to(small)
    for out in (small, link, sym):
        with pytest.raises(UsageError, match="is the input"):
            run_batch(small, out, workers=0)
        with pytest.raises(UsageError, match="is the input"):
            run_batch(small, out, workers=0, resume=True)
    assert small.read_bytes() == before
    proc = subprocess.run([PY, "-m", "pyreasoner", "batch", str(small), "--out", str(small)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 2 and "is the input" in proc.stderr and "Traceback" not in proc.stderr
    assert small.read_bytes() == before


def test_an_output_inside_a_folder_input_is_refused(tmp_path, docs):
    from pyreasoner.batch import run_batch
    from pyreasoner.errors import UsageError

    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(docs[0]), encoding="utf-8")
    with pytest.raises(UsageError, match="inside the input folder"):
        run_batch(folder, folder / "a.json", workers=0)
    with pytest.raises(UsageError, match="inside the input folder"):
        run_batch(folder, folder / "new.yaml", workers=0)
    assert json.loads((folder / "a.json").read_text()) == docs[0]


def test_bad_output_paths_are_one_line_errors(small, tmp_path):
    from pyreasoner.batch import run_batch
    from pyreasoner.errors import UsageError

    with pytest.raises(UsageError, match="no such folder"):
        run_batch(small, tmp_path / "missing" / "r.jsonl", workers=0)
    with pytest.raises(UsageError, match="is a folder"):
        run_batch(small, tmp_path, workers=0)
    if Path("/dev/full").exists():
        with pytest.raises(UsageError, match="cannot write"):
            run_batch(small, Path("/dev/full"), workers=0, timings=False)


def test_an_output_that_cannot_be_opened_is_named_without_advice_to_resume(small, tmp_path):
    """``--out`` a broken symbolic link (its folder gone): the batch said "the complete records
    written so far are kept: rerun with --resume" when it had written none (robustness
    audit). It names the file and says that nothing was written."""
    from pyreasoner.batch import run_batch
    from pyreasoner.errors import UsageError

    out = tmp_path / "r.jsonl"
    out.symlink_to(tmp_path / "gone" / "r.jsonl")
    with pytest.raises(UsageError) as err:
        run_batch(small, out, workers=0)
    assert "cannot write" in str(err.value) and "no record was written" in str(err.value)
    assert "--resume" not in str(err.value)


# ---------------------------------------------------------------- a resume never mixes runs
def test_resume_refuses_another_run_and_says_what_differs(small, tmp_path, docs):
    import shutil

    from pyreasoner.batch import run_batch
    from pyreasoner.errors import UsageError
    from pyreasoner.rulebase import encodings_dir

    out = tmp_path / "r.jsonl"
    run_batch(small, out, workers=0)
    full = out.read_bytes()
    out.write_bytes(full.split(b"\n", 1)[0] + b"\n")  # as if killed after one record
    with pytest.raises(UsageError, match=r"views \(was \[\], now \['b=joint'\]\)"):
        run_batch(small, out, workers=0, resume=True, config=BatchConfig(views=("b=joint",)))
    with pytest.raises(UsageError, match="explore"):
        run_batch(small, out, workers=0, resume=True, config=BatchConfig(explore=True))
    # another input of the same length whose first record's source is the same
    other = tmp_path / "o" / "c.jsonl"
    other.parent.mkdir()
    other.write_text("".join(json.dumps(d) + "\n" for d in [docs[0], docs[4], docs[5]]), encoding="utf-8")
    with pytest.raises(UsageError, match="another input"):
        run_batch(other, out, workers=0, resume=True)
    # another rule base: the bundled encodings with one comment added
    enc = tmp_path / "enc"
    shutil.copytree(encodings_dir(), enc)
    (enc / "main.lp").write_text((enc / "main.lp").read_text() + "\n% changed\n")
    with pytest.raises(UsageError, match="the rule base"):
        run_batch(small, out, workers=0, resume=True, config=BatchConfig(encodings=str(enc)))
    # no run file: cannot tell, refused
    Path(str(out) + ".run").rename(tmp_path / "saved.run")
    with pytest.raises(UsageError, match="no run file"):
        run_batch(small, out, workers=0, resume=True)
    (tmp_path / "saved.run").rename(Path(str(out) + ".run"))
    assert out.read_bytes() == full.split(b"\n", 1)[0] + b"\n", "a refused resume touched the output"
    run_batch(small, out, workers=0, resume=True)
    assert out.read_bytes() == full


# ---------------------------------------------------------------- the rules a batch started with
def test_a_worker_refuses_rules_other_than_those_the_batch_started_with(tmp_path):
    """ChunkSolver checks the fingerprint run_batch puts in the config (BatchConfig.rules)."""
    import shutil

    from pyreasoner.errors import UsageError
    from pyreasoner.rulebase import encodings_dir, fingerprint

    enc = tmp_path / "enc"
    shutil.copytree(encodings_dir(), enc)
    ChunkSolver(BatchConfig(encodings=str(enc), rules=fingerprint(enc)))  # the same rules: no complaint
    (enc / "main.lp").write_text((enc / "main.lp").read_text() + "\n% changed\n")
    with pytest.raises(UsageError, match="the rule base changed while the batch ran"):
        ChunkSolver(BatchConfig(encodings=str(enc), rules=fingerprint(encodings_dir())))


def test_rules_edited_while_the_batch_runs_stop_it_and_its_records_are_kept(tmp_path):
    """A rule base edited during a batch (an editable install, a rule being worked on): the
    next worker that starts refuses to solve with rules other than those every record's
    provenance names; the batch stops with a clear error and the records written are kept."""
    import shutil

    from pyreasoner.rulebase import encodings_dir, fingerprint

    enc = tmp_path / "enc"
    shutil.copytree(encodings_dir(), enc)
    start = fingerprint(enc)
    out = tmp_path / "r.jsonl"
    # one case per chunk and a fresh worker for every chunk: the edit meets a worker's start
    proc = subprocess.Popen([PY, "-m", "pyreasoner", "--encodings", str(enc), "batch", str(CASES), "--out", str(out),
                             "--workers", "1", "--chunk-size", "1", "--recycle", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and \
            (not out.exists() or out.read_bytes().count(b"\n") < 2):
        time.sleep(0.05)
    (enc / "main.lp").write_text((enc / "main.lp").read_text() + "\n% edited during the batch\n")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 2, err
    assert "the rule base changed while the batch ran" in err and start in err and "Traceback" not in err
    records = [json.loads(line) for line in out.read_bytes().splitlines()]
    assert 2 <= len(records) < len(list(CASES.rglob("*.yaml")))
    assert {r["provenance"]["rules"] for r in records} == {start}


# ---------------------------------------------------------------- exit status, kills, Ctrl-C
def test_error_records_give_exit_status_3_with_counts_by_kind(tmp_path, docs):
    corpus = tmp_path / "c.jsonl"
    lines = [json.dumps(docs[0]), '{"id": "broken", ', json.dumps({"id": "x", "facts": {"established": ["sol(m)"]}}),
             json.dumps(docs[1])]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    proc = subprocess.run([PY, "-m", "pyreasoner", "batch", str(corpus), "--out", str(out), "--workers", "0"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 3, proc.stderr
    assert "(2 error records: 2 invalid)" in proc.stderr
    good = tmp_path / "g.jsonl"
    good.write_text(json.dumps(docs[0]) + "\n", encoding="utf-8")
    proc = subprocess.run([PY, "-m", "pyreasoner", "batch", str(good), "--out", str(out), "--workers", "0"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0 and "(0 error records)" in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def long_corpus(tmp_path_factory, generated) -> Path:
    """Read only: each test writes its outputs to its own tmp_path."""
    path = tmp_path_factory.mktemp("long") / "long.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in generated(60, 8)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def long_reference(long_corpus, tmp_path_factory) -> bytes:
    """What a batch of ``long_corpus`` in the main process (--workers 0) writes: the output an
    interrupted and resumed batch must equal byte for byte (one run for the tests that need it)."""
    reference = tmp_path_factory.mktemp("long_ref") / "ref.jsonl"
    subprocess.run([PY, "-m", "pyreasoner", "batch", str(long_corpus), "--out", str(reference), "--workers", "0"],
                   capture_output=True, timeout=300, check=True)
    return reference.read_bytes()


def _workers(pid: int) -> list[int]:
    """The worker processes among the descendants of ``pid`` (spawned, or forked by the fork server)."""
    return sorted(pool_workers(descendants(pid, zombies=False)))


def _start(corpus: Path, out: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    import signal

    cmd = [PY, "-m", "pyreasoner", "batch", str(corpus), "--out", str(out), "--workers", "2", "--chunk-size", "1"]
    # The batch gets Ctrl-C's default action, as from a terminal. A test run started in the
    # background of a shell without job control ignores SIGINT, and a child inherits an ignored
    # signal: the batch would run to its end and the Ctrl-C test fail for the way pytest was started.
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                env=None if env is None else {**os.environ, **env})
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.read_bytes().count(b"\n") < 3):
        time.sleep(0.05)
    return proc


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_killed_batch_takes_its_workers_and_resource_tracker_with_it(long_corpus, tmp_path, request):
    """... and leaves nothing in its temporary folder (the id table's scratch file is
    unlinked as soon as it is open)."""
    import shutil
    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="pr-"))  # short: the fork server's socket lives in TMPDIR (108 bytes)
    request.addfinalizer(lambda: shutil.rmtree(scratch, ignore_errors=True))
    proc = _start(long_corpus, tmp_path / "r.jsonl", env={"TMPDIR": str(scratch)})
    kids = descendants(proc.pid, zombies=False)
    assert len(kids) >= 2, "no worker processes found"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(process_state(k) not in "ZX" for k in kids):
        time.sleep(0.1)
    alive = [k for k in kids if process_state(k) not in "ZX"]
    assert not alive, f"processes outlived the killed batch: {alive}"
    assert not [p for p in scratch.iterdir() if p.name.startswith("pyreasoner-ids-")]


@pytest.mark.parametrize(("signame", "code", "word"), [("SIGINT", 130, "interrupted"), ("SIGTERM", 143, "terminated")])
def test_ctrl_c_stops_the_batch_says_how_to_resume_and_the_resume_completes(long_corpus, long_reference, tmp_path,
                                                                            signame, code, word):
    """Ctrl-C, and SIGTERM (kill, a job scheduler's stop) alike: SIGTERM used to end a batch with
    exit 143 and no word on --resume."""
    import signal

    out = tmp_path / "r.jsonl"
    proc = _start(long_corpus, out)
    proc.send_signal(getattr(signal, signame))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert word in err and "--resume" in err and "Traceback" not in err
    done = subprocess.run([PY, "-m", "pyreasoner", "batch", str(long_corpus), "--out", str(out), "--workers", "2",
                           "--chunk-size", "1", "--resume"], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == long_reference


def test_a_killed_worker_stops_the_batch_loses_nothing_and_the_resume_is_byte_identical(long_corpus, long_reference,
                                                                                        tmp_path):
    import signal

    out = tmp_path / "r.jsonl"
    proc = _start(long_corpus, out)
    workers = _workers(proc.pid)
    assert workers, "no worker process found"
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:  # the run ended before the kill took effect: nothing to check
        pytest.skip("the batch finished before its worker was killed")
    assert proc.returncode == 2 and "a worker process died" in err and "--resume" in err and "Traceback" not in err
    kept = out.read_bytes()
    records = [json.loads(line) for line in kept.splitlines()]
    assert [r["index"] for r in records] == list(range(len(records))), "a record lost or duplicated"
    assert long_reference.startswith(kept)
    done = subprocess.run([PY, "-m", "pyreasoner", "batch", str(long_corpus), "--out", str(out), "--workers", "2",
                           "--chunk-size", "1", "--resume"], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == long_reference


def test_a_big_case_is_solved_alone_in_the_memory_of_the_reference_path(reasoner, docs):
    """A case of more than BIG_CASE_FACTS facts next to small ones: it is solved alone (the
    tagged shared ground costs a big case about twice the memory), the small ones in their
    chunk, and every record is Reasoner.solve's."""
    from pyreasoner.batch import BIG_CASE_FACTS

    big = _big_case(BIG_CASE_FACTS // 5 + 1)
    chunk = [docs[0], big, docs[1]]
    out = ChunkSolver(BatchConfig(views=("b=joint", "a=civil_only")), reasoner).solve_chunk(_items(chunk))
    assert [t["engine"] for _, t in out] == ["chunk", "single", "chunk"]
    for (line, _), doc in zip(out, chunk, strict=True):
        case = case_from_data(doc, reasoner.vocabulary, file="<doc>")
        j = reasoner.solve(case, views=["b=joint", "a=civil_only"]).to_json()
        assert record_answers(json.loads(line)) == {k: j[k] for k in ("answers", "in_all", "in_some")}, doc["id"]


def test_resume_refuses_a_run_file_of_the_wrong_shape(small, tmp_path):
    """A run file whose 'options' is not an object is refused by name, not a traceback."""
    from pyreasoner.batch import run_batch
    from pyreasoner.errors import UsageError

    out = tmp_path / "r.jsonl"
    run_batch(small, out, workers=0)
    out.write_bytes(out.read_bytes().split(b"\n", 1)[0] + b"\n")
    run = Path(str(out) + ".run")
    header = json.loads(run.read_text(encoding="utf-8"))
    run.write_text(json.dumps({**header, "options": 3}), encoding="utf-8")
    with pytest.raises(UsageError, match="not a pyreasoner run file"):
        run_batch(small, out, workers=0, resume=True)


def test_a_memory_bound_beyond_any_address_space_is_no_bound(small, tmp_path):
    """--max-memory 99999999999999 overflowed setrlimit and made every record 'internal'."""
    from pyreasoner.batch import run_batch

    stats = run_batch(small, tmp_path / "r.jsonl", workers=0, config=BatchConfig(memory=99_999_999_999_999))
    assert "internal" not in dict(stats.kinds)


def test_a_scheduler_without_the_dask_executor_is_refused(small, tmp_path):
    from pyreasoner.batch import run_batch
    from pyreasoner.errors import UsageError

    with pytest.raises(UsageError, match="only by the dask executor"):
        run_batch(small, tmp_path / "r.jsonl", workers=0, scheduler="tcp://127.0.0.1:8786")


def test_sigterm_with_records_to_standard_output_says_so_and_leaves_no_scratch(long_corpus, tmp_path):
    """With --out - the records go to a scratch file first; SIGTERM there killed the batch by the
    default action, leaving the scratch folder and no word (review)."""
    import signal

    scratch = tmp_path / "t"
    scratch.mkdir()
    cmd = [PY, "-m", "pyreasoner", "batch", str(long_corpus), "--out", "-", "--workers", "2", "--chunk-size", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(scratch)})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
            p.read_bytes().count(b"\n") >= 3 for p in scratch.glob("pyreasoner-batch-*/results.jsonl")):
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "terminated: nothing was written to standard output" in err and "Traceback" not in err
    assert not list(scratch.glob("pyreasoner-batch-*"))


def test_a_failure_to_read_the_input_is_named_as_the_inputs(small, tmp_path, monkeypatch):
    """The batch reads its input while it writes its output: a disk error reading the input
    (which has no file name on it) was reported as 'cannot write' the output (review). It
    names the input now."""
    import errno

    from pyreasoner.batch import items, run_batch
    from pyreasoner.errors import UsageError

    corpus = tmp_path / "in.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in [{"id": "a", "facts": {}}, {"id": "b", "facts": {}}]),
                      encoding="utf-8")
    lines = items._lines

    def failing(fh, label):
        for n, item in enumerate(lines(fh, label)):
            if n == 1:
                raise OSError(errno.EIO, "Input/output error")
            yield item

    monkeypatch.setattr(items, "_lines", failing)
    with pytest.raises(UsageError) as err:
        run_batch(corpus, tmp_path / "r.jsonl", workers=0)
    assert str(err.value).startswith(str(corpus)) and "cannot read the input: Input/output error" in str(err.value)
    assert "cannot write" not in str(err.value)
