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


def test_a_warm_worker_checks_the_rules_once_and_still_refuses_a_change(clean_warm, tmp_path, monkeypatch):
    """The fork server checked the fingerprint before and after reading the rules, so a
    worker that takes them checks it once (a worker that reads them itself: twice). That
    one check still sees a change the digest of the parsed files cannot: a file of the
    folder that no rule includes."""
    import pyreasoner.rulebase
    from pyreasoner.errors import UsageError

    enc = tmp_path / "enc"
    enc.mkdir()
    main = enc / "main.lp"
    main.write_text("p :- established(x).\n#show p/0.\n", encoding="utf-8")
    rules = fingerprint(main)
    warm._load(json.dumps({"encodings": str(main), "rules": rules}))
    assert clean_warm
    calls: list[object] = []

    def counted(encodings: object = None) -> str:
        calls.append(encodings)
        return fingerprint(encodings)  # type: ignore[arg-type]

    monkeypatch.setattr(pyreasoner.rulebase, "fingerprint", counted)
    config = BatchConfig(encodings=str(main), rules=rules)
    assert ChunkSolver(config).reasoner is clean_warm[(str(main), rules)][0]
    assert len(calls) == 1
    calls.clear()
    ChunkSolver(config, reasoner=clean_warm[(str(main), rules)][0])  # not a warm start: before and after
    assert len(calls) == 2
    (enc / "notes.lp").write_text("% not included\n", encoding="utf-8")
    assert warm.get(config) is not None  # the parsed files are unchanged
    with pytest.raises(UsageError, match="the rule base changed while the batch ran"):
        ChunkSolver(config)


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


def test_a_changed_included_file_outside_the_folder_is_seen(clean_warm, tmp_path):
    """A file #included from outside the master's folder is covered by the digest of every
    file the server parsed: when it changes after the server read it, the worker reads the
    rules itself, even under the old fingerprint."""
    from pathlib import Path

    enc = tmp_path / "enc"
    enc.mkdir()
    extra = tmp_path / "extra.lp"
    extra.write_text("q :- established(y).\n", encoding="utf-8")
    main = enc / "main.lp"
    main.write_text('#include "../extra.lp".\np :- established(x).\n#show p/0.\n#show q/0.\n', encoding="utf-8")
    rules = fingerprint(main)
    warm._load(json.dumps({"encodings": str(main), "rules": rules}))
    config = BatchConfig(encodings=str(main), rules=rules)
    got = warm.get(config)
    assert got is not None and extra.resolve() in got[0].rulebase.files
    # the API takes a path too: the same rule base
    again = warm.get(BatchConfig(encodings=Path(main), rules=rules))  # type: ignore[arg-type]
    assert again is not None and again[0] is got[0]
    extra.write_text(":- fact_pred(_, _).\n", encoding="utf-8")
    assert fingerprint(main) != rules  # the fingerprint follows the #include too
    assert warm.get(config) is None and clean_warm == {}  # and the digest, whatever the caller says


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

    def env(name):
        return os.environ.get(name)

    if __name__ == "__main__":
        config = BatchConfig(rules=fingerprint(None))
        context = _pool_context()
        warm.start_server(context, config)
        left = os.environ.get(warm.ENV)
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            same = pool.submit(probe, config).result()
            other = pool.submit(warm.get, dataclasses.replace(config, rules="0" * 16)).result()
            kept = pool.submit(env, warm.ENV).result()
        print(json.dumps({"left": left, "same": same, "other": other, "kept": kept}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked by a fork server on Linux only")
def test_a_worker_forked_by_the_server_starts_with_its_rule_base(tmp_path):
    """In a fresh interpreter (its fork server not yet started): the worker has the rule base
    the server read and its solver uses it; a batch of other rules gets nothing; neither the
    main process's environment nor the worker's keeps the variable."""
    script = tmp_path / "probe.py"
    script.write_text(textwrap.dedent(PROBE), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != warm.ENV}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"left": None, "same": [True, True], "other": None, "kept": None}


def test_a_batch_whose_encodings_are_a_path_runs_with_workers(tmp_path):
    """The API takes the encodings as a path: starting the warm server must not fail on it
    (it did: a Path is not JSON)."""
    from pathlib import Path

    from pyreasoner.batch import run_batch
    from pyreasoner.rulebase import default_master

    corpus = tmp_path / "in.jsonl"
    corpus.write_text(json.dumps({"id": "a", "facts": {"established": ["party(p, platform)"]}}) + "\n",
                      encoding="utf-8")
    config = BatchConfig(encodings=Path(default_master()))  # type: ignore[arg-type]
    stats = run_batch(corpus, tmp_path / "out.jsonl", config=config, workers=1)
    assert stats.cases == 1 and stats.errors == 0


SHADOW_PROBE = """
    import json, os, sys
    from concurrent.futures import ProcessPoolExecutor

    import pyreasoner
    from pyreasoner.batch import BatchConfig, warm
    from pyreasoner.batch.executors import _pool_context
    from pyreasoner.rulebase import fingerprint

    def where():
        import pyreasoner
        return [pyreasoner.__file__, os.environ.get("PYTHONSAFEPATH"), os.environ.get("PYTHONPATH"),
                os.environ.get("PYREASONER_BATCH_PATH")]

    if __name__ == "__main__":
        context = _pool_context()
        warm.start_server(context, BatchConfig(rules=fingerprint(None)))
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            worker = pool.submit(where).result()
        print(json.dumps({"main": where(), "worker": worker}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked by a fork server on Linux only")
def test_workers_import_the_main_process_package_not_the_current_folders(tmp_path):
    """A batch started in a folder that holds another ``pyreasoner`` (a checkout of another
    version, say): the fork server is started by ``python -c``, which puts the current
    folder first, so its workers imported that one (a marker file shows it) while the main
    process ran the installed one. They must run the main process's, and get their own
    PYTHONPATH and PYTHONSAFEPATH back."""
    shadow = tmp_path / "cwd"
    (shadow / "pyreasoner").mkdir(parents=True)
    marker = tmp_path / "shadow-imported"
    (shadow / "pyreasoner" / "__init__.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nraise ImportError('the shadow pyreasoner')\n", encoding="utf-8")
    script = tmp_path / "bin" / "probe.py"
    script.parent.mkdir()
    script.write_text(textwrap.dedent(SHADOW_PROBE), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in (warm.ENV, "PYREASONER_BATCH_PATH", "PYTHONSAFEPATH")}
    env["PYTHONPATH"] = str(ROOT)  # the main process finds the package as the suite does
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=shadow, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert not marker.exists()
    assert got["worker"][0] == got["main"][0] != str(shadow / "pyreasoner" / "__init__.py")
    assert got["worker"][1:] == got["main"][1:] == [None, str(ROOT), None]
