"""One batch at a time writes an output: a second batch onto the same ``--out`` is refused at
once, before it truncates or reads anything (two batches used to interleave their records, with
NUL bytes where one truncated the other's file, and both exited 0)."""

from __future__ import annotations

import sys

import pytest
from pyreasoner.batch import BatchConfig, run_batch
from pyreasoner.errors import UsageError

from conftest import CASES

fcntl = pytest.importorskip("fcntl") if sys.platform != "win32" else None


@pytest.fixture()
def folder(tmp_path):
    """A corpus of one bundled case."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.yaml").write_text((CASES / "civil" / "life_health_split.yaml").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    return folder


@pytest.mark.skipif(fcntl is None, reason="flock is POSIX")
def test_a_second_batch_on_a_locked_output_is_refused_and_leaves_it(tmp_path):
    out = tmp_path / "r.jsonl"
    out.write_bytes(b"kept\n")
    with out.open("ab") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # another batch writing it
        with pytest.raises(UsageError) as err:
            run_batch(CASES / "civil", out, workers=0)
    assert "another batch is writing this output" in str(err.value)
    assert out.read_bytes() == b"kept\n"
    assert not (tmp_path / "r.jsonl.run").exists()


def test_the_lock_is_let_go_when_the_batch_ends(tmp_path, folder):
    out = tmp_path / "r.jsonl"
    assert run_batch(folder, out, workers=0).cases == 1
    assert run_batch(folder, out, workers=0).cases == 1  # not refused by its own earlier run
    if fcntl is not None:
        with out.open("ab") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # free


def test_a_fresh_batch_does_not_replace_an_unfinished_one_without_overwrite(tmp_path, folder):
    """One forgotten --resume used to truncate an interrupted run's output (robustness audit). A
    finished batch's output (its run file says complete) is replaced; an unfinished one or a file
    that is no batch's output only with --overwrite."""
    out = tmp_path / "r.jsonl"
    run_batch(folder, out, workers=0)
    run = out.with_name("r.jsonl.run")
    assert '"complete": true' in run.read_text(encoding="utf-8")
    run_batch(folder, out, workers=0)  # finished: replaced without a word
    run.write_text(run.read_text(encoding="utf-8").replace('"complete": true', '"complete": false'), encoding="utf-8")
    kept = out.read_bytes()
    with pytest.raises(UsageError, match=r"did not finish.*--resume.*--overwrite"):
        run_batch(folder, out, workers=0)
    assert out.read_bytes() == kept
    assert run_batch(folder, out, workers=0, overwrite=True).cases == 1
    other = tmp_path / "notes.txt"
    other.write_text("not a batch's output\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not the output of a finished batch"):
        run_batch(folder, other, workers=0)
    assert other.read_text(encoding="utf-8") == "not a batch's output\n"


def test_a_start_that_fails_leaves_a_finished_runs_files_as_they_were(tmp_path, folder, monkeypatch):
    """The run file (without 'complete') and an empty timings sidecar were written before the
    workers were set up: a start that failed there (Dask unreachable) made a finished output look
    unfinished and emptied its timings (review)."""
    import pyreasoner.batch.runner as runner

    out = tmp_path / "r.jsonl"
    run_batch(folder, out, workers=0)
    files = {p: p.read_bytes() for p in (out, tmp_path / "r.jsonl.run", tmp_path / "r.jsonl.timings")}

    def unreachable(*args, **kwargs):
        raise UsageError("scheduler", "tcp://127.0.0.1:1", "cannot reach the Dask scheduler")

    monkeypatch.setattr(runner, "_dask_results", unreachable)
    with pytest.raises(UsageError, match="cannot reach"):
        run_batch(folder, out, executor="dask", scheduler="tcp://127.0.0.1:1")
    assert {p: p.read_bytes() for p in files} == files
    assert not list(tmp_path.glob("*.tmp"))
    assert run_batch(folder, out, workers=0).cases == 1  # still a finished run's output: replaced


def test_encodings_that_do_not_parse_leave_a_finished_runs_files_as_they_were(tmp_path, folder):
    """A fresh batch reads its run file's header (which parses the encodings) once its workers
    have their first chunks, so that the two overlap: encodings that do not parse must still
    stop it before the output, its run file or its timings are touched."""
    import shutil

    from pyreasoner.errors import EncodingError
    from pyreasoner.rulebase import default_master

    out = tmp_path / "r.jsonl"
    rules = tmp_path / "rules"
    shutil.copytree(default_master().parent, rules)
    run_batch(folder, out, workers=1, config=BatchConfig(encodings=rules))
    files = {p: p.read_bytes() for p in (out, tmp_path / "r.jsonl.run", tmp_path / "r.jsonl.timings")}
    with (rules / "main.lp").open("a", encoding="utf-8") as fh:
        fh.write("\nbroken( :- .\n")
    with pytest.raises(EncodingError, match="do not parse"):
        run_batch(folder, out, workers=1, config=BatchConfig(encodings=rules))
    assert {p: p.read_bytes() for p in files} == files


def test_a_start_that_fails_leaves_no_empty_output_of_its_own(tmp_path, folder, monkeypatch):
    """The lock opens the output (creating it) before the workers are set up: a start that
    failed there (Dask unreachable) left an empty file that no batch wrote (review)."""
    import pyreasoner.batch.runner as runner

    def unreachable(*args, **kwargs):
        raise UsageError("scheduler", "tcp://127.0.0.1:1", "cannot reach the Dask scheduler")

    monkeypatch.setattr(runner, "_dask_results", unreachable)
    out = tmp_path / "r.jsonl"
    with pytest.raises(UsageError, match="cannot reach"):
        run_batch(folder, out, executor="dask", scheduler="tcp://127.0.0.1:1")
    assert not out.exists() and not list(tmp_path.glob("r.jsonl*"))
    out.write_bytes(b"")  # an empty file that was there before is left as it was
    with pytest.raises(UsageError, match="cannot reach"):
        run_batch(folder, out, executor="dask", scheduler="tcp://127.0.0.1:1")
    assert out.exists()


@pytest.mark.skipif(fcntl is None, reason="flock is POSIX")
def test_the_lock_is_taken_on_the_file_the_path_names(tmp_path, monkeypatch):
    """A batch that failed before its first record removes the empty output its lock created:
    a second batch that had opened the path just before would then lock the removed file, and a
    third the new one, both writing the same output (review). The lock is kept only on the file
    the path names when it is taken: here the file is replaced between the open and the lock."""
    import pyreasoner.batch.runner as runner

    out = tmp_path / "r.jsonl"
    real = fcntl.flock
    calls = []

    def flock(fd, op):
        if not calls:  # between this batch's open and its lock, the file is removed and made again
            out.unlink()
            out.write_bytes(b"")
        calls.append(fd)
        return real(fd, op)

    monkeypatch.setattr(fcntl, "flock", flock)
    with runner._output_lock(out), out.open("ab") as other, pytest.raises(BlockingIOError):
        real(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # the file the path names is locked
    assert len(calls) == 2
