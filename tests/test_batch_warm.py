"""The warm start of a batch's workers (issue 17, ``pyreasoner.batch.warm``): the fork server
reads the batch's rule base once, and the workers it forks use it only when it is the rule
base their batch started with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from pyreasoner.batch import BatchConfig, ChunkSolver, warm
from pyreasoner.rulebase import fingerprint

from conftest import ROOT


@pytest.fixture
def clean_warm():
    saved = dict(warm._WARM)
    warm._WARM.clear()
    yield warm._WARM
    warm._WARM.clear()
    warm._WARM.update(saved)


def test_the_server_reads_the_rule_base_it_is_told_and_a_worker_takes_it(clean_warm):
    rules = fingerprint(None)
    warm._load(json.dumps({"encodings": None, "rules": rules}))
    config = BatchConfig(rules=rules)
    got = warm.get(config)
    assert got is not None and got[1] is not None
    solver = ChunkSolver(config)
    assert solver.reasoner is got[0] and solver.tagged is got[1]
    # another rule base, or a batch that names none, takes nothing
    assert warm.get(BatchConfig(rules="0" * 16)) is None
    assert warm.get(BatchConfig()) is None


@pytest.mark.parametrize("spec", ["not json", json.dumps({"rules": "x"}), json.dumps([1]),
                                  json.dumps({"encodings": None, "rules": "0" * 16}),
                                  json.dumps({"encodings": "/no/such/folder/main.lp", "rules": "0" * 16})])
def test_the_server_reads_nothing_it_cannot_trust_and_never_raises(clean_warm, spec):
    warm._load(spec)  # an exception here would end the fork server
    assert clean_warm == {}


def test_a_changed_rule_base_is_not_kept(clean_warm, tmp_path):
    """The fingerprint is checked again after reading: files edited meanwhile are not kept."""
    enc = tmp_path / "enc"
    enc.mkdir()
    (enc / "main.lp").write_text("p :- established(x).\n#show p/0.\n", encoding="utf-8")
    rules = fingerprint(enc / "main.lp")
    (enc / "main.lp").write_text("q :- established(x).\n#show q/0.\n", encoding="utf-8")
    warm._load(json.dumps({"encodings": str(enc / "main.lp"), "rules": rules}))
    assert clean_warm == {}


PROBE = """
    import dataclasses, json, os, sys
    from concurrent.futures import ProcessPoolExecutor
    from pyreasoner.batch import BatchConfig, ChunkSolver, warm
    from pyreasoner.batch.executors import _pool_context
    from pyreasoner.rulebase import fingerprint

    def probe(config):
        got = warm.get(config)
        if got is None:
            return [False, False]
        return [True, ChunkSolver(config).reasoner is got[0]]

    if __name__ == "__main__":
        config = BatchConfig(rules=fingerprint(None))
        context = _pool_context()
        warm.start_server(context, config)
        left = os.environ.get(warm.ENV)
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            same = pool.submit(probe, config).result()
            other = pool.submit(warm.get, dataclasses.replace(config, rules="0" * 16)).result()
        print(json.dumps({"left": left, "same": same, "other": other}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked by a fork server on Linux only")
def test_a_worker_forked_by_the_server_starts_with_its_rule_base(tmp_path):
    """In a fresh interpreter (its fork server not yet started): the worker has the rule base
    the server read and its solver uses it; a batch of other rules gets nothing; the main
    process's environment does not keep the variable."""
    script = tmp_path / "probe.py"
    script.write_text(textwrap.dedent(PROBE), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != warm.ENV}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"left": None, "same": [True, True], "other": None}
