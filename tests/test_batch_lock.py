"""One batch at a time writes an output: a second batch onto the same ``--out`` is refused at
once, before it truncates or reads anything (two batches used to interleave their records, with
NUL bytes where one truncated the other's file, and both exited 0)."""

from __future__ import annotations

import sys

import pytest
from pyreasoner.batch import run_batch
from pyreasoner.errors import UsageError

from conftest import CASES

fcntl = pytest.importorskip("fcntl") if sys.platform != "win32" else None


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


def test_the_lock_is_let_go_when_the_batch_ends(tmp_path):
    out = tmp_path / "r.jsonl"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.yaml").write_text((CASES / "civil" / "life_health_split.yaml").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    assert run_batch(folder, out, workers=0).cases == 1
    assert run_batch(folder, out, workers=0).cases == 1  # not refused by its own earlier run
    if fcntl is not None:
        with out.open("ab") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # free
