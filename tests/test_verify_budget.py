"""verify: the budget per invariant is the solver's CPU time (not wall time on a shared machine),
and progress goes to stderr."""

from __future__ import annotations

import itertools
import subprocess
import sys
import time

from pyreasoner import _engine
from pyreasoner.verify import DEFAULT_TIMEOUT

from conftest import ROOT

#: ten pigeons, nine holes: no answer set, and a long search to prove it
PIGEONS = """
pigeon(1..10). hole(1..9).
1 { in(P, H) : hole(H) } 1 :- pigeon(P).
:- in(P, H), in(Q, H), P < Q.
"""


def _session(tmp_path):
    master = tmp_path / "main.lp"
    master.write_text(PIGEONS, encoding="utf-8")
    return _engine.Session(_engine.parse_program(master))


def test_timeout_is_counted_on_the_given_clock(tmp_path):
    session = _session(tmp_path)
    ticks = itertools.count(0, 100)  # a clock that runs 100 s per reading
    t0 = time.perf_counter()
    assert session.models(limit=1, timeout=50, clock=lambda: next(ticks)) is None
    assert time.perf_counter() - t0 < 10  # stopped by the clock, not by the search ending
    assert session.models(limit=1, timeout=0.3) is None  # the wall clock, as before


def test_progress_on_stderr_and_the_verdict_on_stdout():
    proc = subprocess.run([sys.executable, "-m", "pyreasoner", "verify", "--invariant", "no_38_2_without_damage"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "1 holds, 0 violated, 0 skipped, 0 timeout"
    # the verdict is stated with its bound, the inputs left out named
    first = proc.stdout.splitlines()[0]
    assert first.startswith("bound: parties merchant=2") and "left out: other_offence, other_offence_article" in first
    err = proc.stderr.splitlines()
    assert err[0].startswith("verify: grounding the universe for no_38_2_without_damage")
    assert any(line.startswith("verify: [1/1] no_38_2_without_damage: holds (") and " s CPU; " in line for line in err)
    # --quiet drops every progress line, and verify writes them whatever the bound (those of the run
    # above, at the default bound); the smallest universe (a fifth of the CPU time) serves as well
    quiet = subprocess.run([sys.executable, "-m", "pyreasoner", "verify", "--invariant", "no_38_2_without_damage",
                            "--quiet", "--bound", "merchant=1", "--numbers", "0"],
                           capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert quiet.stdout.splitlines()[-1] == "1 holds, 0 violated, 0 skipped, 0 timeout"  # the verdict is not quiet
    assert DEFAULT_TIMEOUT == 120.0
