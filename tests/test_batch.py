"""Batch runs (issue 6): identical results to Reasoner.solve, error records, byte-identical
output for every number of workers, after --resume (SIGKILL included) and on Dask."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pyreasoner import terms
from pyreasoner.batch import BatchConfig, ChunkSolver, _Progress, iter_items, run_batch
from pyreasoner.case import find_case_files, load_case
from pyreasoner.errors import UsageError
from pyreasoner.generate import generate_cases

from conftest import CASES, ROOT, expected_record, record_answers

PY = sys.executable


def _doc(case, vocab, rename=None) -> dict:
    """A case document from a Case, its entities renamed by ``rename`` (a suffix)."""
    facts: dict[str, list[str]] = {}
    for f in case.facts:
        args = list(f.args)
        if rename:
            pred = vocab[f.predicate]
            args = [a + rename if arg.type == "entity" else a for a, arg in zip(args, pred.arguments, strict=True)]
        facts.setdefault(f.status, []).append(terms.show((f.predicate, tuple(args)) if args else f.predicate))
    return {"id": case.id + (rename or ""), "facts": facts}


@pytest.fixture(scope="module")
def bundled(reasoner):
    return [load_case(p, reasoner.vocabulary) for p in find_case_files([CASES])]


def _sorted(got):
    """The record with every list in a canonical order (at every depth)."""
    if isinstance(got, dict):
        return {k: _sorted(v) for k, v in got.items()}
    if isinstance(got, list):
        return sorted((_sorted(v) for v in got), key=json.dumps)
    return got


def test_chunk_ground_gives_reasoner_solve_results_on_the_bundled_corpus(reasoner, bundled):
    """Each bundled case next to a copy with every entity renamed, 16 to a chunk grounded
    once: every record equals Reasoner.solve on its own case - answers, outcomes with
    basis, cores - and the copy names its own entities."""
    docs = []
    for case in bundled:
        docs += [_doc(case, reasoner.vocabulary), _doc(case, reasoner.vocabulary, rename="_v")]
    items = [(i, "line", json.dumps(d), f"<mem>:{i + 1}") for i, d in enumerate(docs)]
    solver = ChunkSolver(BatchConfig(), reasoner)
    out = []
    for k in range(0, len(items), 16):
        out += solver.solve_chunk(items[k:k + 16])
    engines = {t["engine"] for _, t in out if t["status"] == "ok"}
    assert engines == {"chunk"}, "a consistent case was not solved in its chunk's ground"
    assert {t["engine"] for _, t in out if t["status"] == "inconsistent"} == {"chunk+single"}
    for k in range(0, len(docs), 2):
        original, copy = json.loads(out[k][0]), out[k + 1][0]
        assert record_answers(original) == expected_record(reasoner, docs[k]), docs[k]["id"]
        # the copy names its own entities (every one ends in _v); renamed back, it is the original
        names = {a[:-2] for a in re.findall(r"\b[a-z][A-Za-z0-9_]*_v\b", copy)}
        back = re.sub(r"\b([a-z][A-Za-z0-9_]*)_v\b", lambda m, names=names: m.group(1) if m.group(1) in names else m.group(0), copy)
        # (answers sort by their atoms, so renamed entities may sort them otherwise)
        assert _sorted(record_answers(json.loads(back))) == _sorted(record_answers(original)), docs[k + 1]["id"]
    # an inconsistent bundled case is solved again alone, for the core over its own facts
    cores = [json.loads(line)["error"]["core"] for line, t in out if t["status"] == "inconsistent"]
    assert cores and all(c for c in cores)


def test_chunk_ground_gives_reasoner_solve_results_on_a_generated_corpus(reasoner, generated):
    """Generated cases share entity names (platform1, merchant1, ...) but not facts: in
    one chunk's ground no case may see another's facts."""
    docs = generated(24, 11)
    docs += [dict(d, id=d["id"] + "-again") for d in docs[:8]]
    items = [(i, "line", json.dumps(d), f"<mem>:{i + 1}") for i, d in enumerate(docs)]
    out = ChunkSolver(BatchConfig(), reasoner).solve_chunk(items)
    # a consistent case is solved in the chunk's ground; an inconsistent one (the generator
    # may state two facts the encodings exclude) again alone, for its core
    assert all(t["engine"] == ("chunk" if t["status"] == "ok" else "chunk+single") for _, t in out)
    assert sum(t["status"] == "ok" for _, t in out) > len(out) // 2
    for (line, _), doc in zip(out, docs, strict=True):
        assert record_answers(json.loads(line)) == expected_record(reasoner, doc), doc["id"]


# ---------------------------------------------------------------- corpus files
@pytest.fixture(scope="module")
def corpus(tmp_path_factory, generated):
    """A JSON Lines corpus: generated cases, a broken line, an invalid fact, an inconsistent
    case, and last a case with the id of the first."""
    path = tmp_path_factory.mktemp("corpus") / "cases.jsonl"
    docs = [json.dumps(d) for d in generated(14, 5)]
    docs.insert(3, '{"id": "broken", "facts": ')
    docs.insert(6, json.dumps({"id": "bad_fact", "facts": {"established": ["sol(m, g, c)"]}}))
    docs.insert(9, json.dumps({"id": "contradiction", "facts": {"established": [
        "party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)", "sold(m, g, c)",
        "concerns_life_health(g)", "damage(c, g)", "causal_weight(p, 30)", "causal_weight(p, 40)"]}}))
    docs.append(json.dumps(dict(json.loads(docs[-1]), id=json.loads(docs[0])["id"])))
    path.write_text("\n".join(docs) + "\n\n", encoding="utf-8")  # a trailing blank line is not a case
    return path


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "results.jsonl"
    stats = run_batch(corpus, out, config=BatchConfig(), workers=1, chunk_size=4)
    assert stats.cases == 18
    return out


def test_one_record_per_case_in_input_order_with_error_records(reference):
    records = [json.loads(line) for line in reference.read_text(encoding="utf-8").splitlines()]
    assert [r["index"] for r in records] == list(range(18))
    kinds = {r["case"] or r["source"]: r["error"]["kind"] for r in records[:-1] if "error" in r}
    broken = [k for k in kinds if k.endswith(":4")]
    assert broken and kinds[broken[0]] == "invalid"
    assert kinds["bad_fact"] == "invalid"
    assert kinds["contradiction"] == "inconsistent"
    bad = next(r for r in records if r["case"] == "bad_fact")
    assert "unknown predicate 'sol'" in bad["error"]["message"] and "line 7" in bad["error"]["message"]
    contra = next(r for r in records if r["case"] == "contradiction")
    assert contra["error"]["core"] == ["established(causal_weight(p,30))", "established(causal_weight(p,40))"]
    ok = [r for r in records if "error" not in r]
    assert len(ok) == 14 and all(r["answers"] for r in ok)
    # a repeated id: the first record keeps its answers, the repeat says whose id it took
    assert records[-1]["case"] == records[0]["case"] and "error" not in records[0]
    assert records[-1]["error"] == {"kind": "invalid", "message": f"{records[-1]['source']}: id: "
                                    f"{records[0]['case']!r} is already the id of record 0; "
                                    "expected case ids unique within a batch"}
    # the split: in_all holds in every answer, in_some in some but not all
    for r in ok:
        atoms = [{o["atom"] for o in a["outcomes"]} for a in r["answers"]]
        assert set(r["in_all"]) == set.intersection(*atoms)
        assert set(r["in_some"]) == set.union(*atoms) - set.intersection(*atoms)


def _dup_corpus(tmp_path):
    """Three cases, the first and the last with one id."""
    doc = {"id": "twice", "facts": {"established": ["party(p, platform)"]}}
    corpus = tmp_path / "dup.jsonl"
    corpus.write_text("\n".join(json.dumps(d) for d in (doc, {**doc, "id": "other"}, doc)) + "\n", encoding="utf-8")
    return corpus


@pytest.mark.parametrize("table", ["disk", "memory"])
def test_the_id_table_finds_a_repeat_and_leaves_no_file(tmp_path, monkeypatch, table):
    """The repeat of an id is found whichever table keeps the ids (SQLite in TMPDIR, or
    memory where there is none), and the table's file is gone when the batch ends."""
    if table == "memory":
        _memory_ids(monkeypatch)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp))
    out = tmp_path / "out.jsonl"
    run_batch(_dup_corpus(tmp_path), out, config=BatchConfig(), workers=0)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("error", {}).get("kind") for r in records] == [None, None, "invalid"]
    assert "is already the id of record 0" in records[2]["error"]["message"]
    assert list(tmp.iterdir()) == []  # the SQLite file, if any, is removed


def test_the_id_table_failing_mid_batch_is_a_usage_error_that_keeps_the_records(tmp_path, monkeypatch):
    """TMPDIR full in the middle of a batch: a clear error naming the table's file, the
    records written before it kept (no traceback, nothing computed lost)."""
    import sqlite3

    from pyreasoner.batch import ids
    from pyreasoner.errors import UsageError

    inserts = []
    real_init = ids._DiskTable.__init__

    class FullOnThirdInsert:
        def __init__(self, db):
            self.db = db

        def execute(self, sql, params=()):
            if sql.startswith("INSERT"):
                inserts.append(params)
                if len(inserts) == 3:
                    raise sqlite3.OperationalError("database or disk is full")
            return self.db.execute(sql, params)

    def init(self):
        real_init(self)
        self._db = FullOnThirdInsert(self._db)

    monkeypatch.setattr(ids._DiskTable, "__init__", init)
    corpus = tmp_path / "three.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"c{i}", "facts": {"established": ["party(p, platform)"]}}) + "\n"
                              for i in range(3)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with pytest.raises(UsageError) as err:
        run_batch(corpus, out, config=BatchConfig(), workers=0, chunk_size=1)
    assert "temporary folder" in str(err.value) and "database or disk is full" in str(err.value)
    assert "rerun with --resume" in str(err.value)
    assert [json.loads(line)["case"] for line in out.read_text(encoding="utf-8").splitlines()] == ["c0", "c1"]


def test_a_repeated_id_into_an_output_that_cannot_be_read_back(tmp_path):
    """--out /dev/null (the memory bench's) or a pipe: the first record of an id cannot be read
    back, so its digest decides alone; the repeat is still an invalid record, with no traceback
    (before: a JSONDecodeError from the read-back ended the run)."""
    proc = subprocess.run([sys.executable, "-m", "pyreasoner", "batch", str(_dup_corpus(tmp_path)), "--out", os.devnull,
                           "--workers", "1"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr, proc.stderr  # 3: some records are errors
    assert "3 cases written to /dev/null (1 error records: 1 invalid)" in proc.stderr + proc.stdout


def test_timings_go_to_a_sidecar_keyed_by_index(reference):
    rows = [json.loads(line) for line in Path(str(reference) + ".timings").read_text().splitlines()]
    assert [r["index"] for r in rows] == list(range(18))
    assert all(r["seconds"] >= 0 for r in rows)
    assert "timing" not in reference.read_text(encoding="utf-8")


def test_output_is_byte_identical_for_two_workers(corpus, reference, tmp_path):
    out = tmp_path / "two.jsonl"
    run_batch(corpus, out, config=BatchConfig(), workers=2, chunk_size=3)
    assert out.read_bytes() == reference.read_bytes()


def test_output_is_byte_identical_in_process_and_with_recycled_workers(corpus, reference, tmp_path):
    """--workers 0 solves in the main process; --recycle replaces a worker after so many
    cases (here after every chunk: a fresh process per chunk, as the timings' pids show)."""
    out = tmp_path / "zero.jsonl"
    run_batch(corpus, out, config=BatchConfig(), workers=0, chunk_size=4)
    assert out.read_bytes() == reference.read_bytes()
    rows = [json.loads(line) for line in Path(str(out) + ".timings").read_text().splitlines()]
    assert {r["pid"] for r in rows} == {os.getpid()}
    out = tmp_path / "recycled.jsonl"
    run_batch(corpus, out, config=BatchConfig(), workers=1, chunk_size=4, recycle=4)
    assert out.read_bytes() == reference.read_bytes()
    rows = [json.loads(line) for line in Path(str(out) + ".timings").read_text().splitlines()]
    pids = [rows[k]["pid"] for k in range(0, len(rows), 4)]
    assert len(set(pids)) == len(pids) == 5 and os.getpid() not in pids


def test_resume_after_torn_writes_is_byte_identical(corpus, reference, tmp_path):
    full = reference.read_bytes()
    lines = full.splitlines(keepends=True)
    for cut in (sum(map(len, lines[:13])), sum(map(len, lines[:14])) + 5, len(full) - 3):
        out = tmp_path / f"cut{cut}.jsonl"
        out.write_bytes(full[:cut])
        Path(str(out) + ".run").write_bytes(Path(str(reference) + ".run").read_bytes())  # the run it came from
        stats = run_batch(corpus, out, config=BatchConfig(), workers=1, chunk_size=4, resume=True)
        assert out.read_bytes() == full, f"cut at byte {cut}"
        assert stats.skipped == full[:cut].count(b"\n")


def test_resume_refuses_an_output_of_another_input(corpus, reference, tmp_path, reasoner):
    other = tmp_path / "other.jsonl"
    other.write_text("\n".join(json.dumps(d) for d in generate_cases(reasoner.rulebase, n=3, seed=99)) + "\n")
    out = tmp_path / "out.jsonl"
    out.write_bytes(reference.read_bytes().split(b"\n", 1)[0] + b"\n")  # record 0 came from another file
    Path(str(out) + ".run").write_bytes(Path(str(reference) + ".run").read_bytes())
    with pytest.raises(UsageError, match="another input"):
        run_batch(other, out, config=BatchConfig(), workers=1, resume=True)


def test_sigkill_then_resume_is_byte_identical(corpus, reference, tmp_path):
    out = tmp_path / "killed.jsonl"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [PY, "-m", "pyreasoner", "batch", str(corpus), "--out", str(out), "--workers", "1", "--chunk-size", "1"]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.read_bytes().count(b"\n") < 3):
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = out.read_bytes().count(b"\n")
    assert written >= 3, "the run wrote nothing before it was killed"
    done = subprocess.run(cmd + ["--resume"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr  # the corpus has invalid cases: error records, exit status 3
    assert out.read_bytes() == reference.read_bytes()
    assert "kept from the previous run" in done.stderr or written == 18


def test_timeout_gives_timeout_records_and_the_batch_goes_on(corpus, tmp_path):
    out = tmp_path / "t.jsonl"
    stats = run_batch(corpus, out, config=BatchConfig(timeout=1e-9), workers=1, chunk_size=5)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert stats.cases == 18 and len(records) == 18
    kinds = [r["error"]["kind"] for r in records]
    assert kinds.count("timeout") == 15  # every valid case; the two invalid ones and the repeated id are invalid
    assert "time limit of 1e-09 s" in next(r for r in records if r["error"]["kind"] == "timeout")["error"]["message"]


def test_a_folder_input_is_read_in_sorted_order(tmp_path, reasoner):
    folder = tmp_path / "cases"
    (folder / "b").mkdir(parents=True)
    docs = list(generate_cases(reasoner.rulebase, n=3, seed=2))
    import yaml

    for name, doc in zip(["b/x.yaml", "a.yaml", "c.json"], docs, strict=True):
        p = folder / name
        p.write_text(yaml.safe_dump(doc) if name.endswith("yaml") else json.dumps(doc), encoding="utf-8")
    (folder / "notes.txt").write_text("not a case")
    assert [Path(i[2]).relative_to(folder).as_posix() for i in iter_items(folder)] == ["a.yaml", "b/x.yaml", "c.json"]
    out = tmp_path / "r.jsonl"
    run_batch(folder, out, workers=1)
    assert [json.loads(line)["case"] for line in out.read_text().splitlines()] == [docs[1]["id"], docs[0]["id"], docs[2]["id"]]


def test_progress_bar_only_on_a_stream(tmp_path):
    buf = io.StringIO()
    bar = _Progress(buf, 10, 0)
    bar.update(4, final=True)
    assert "4/10 cases" in buf.getvalue() and "cases/s" in buf.getvalue() and "left" in buf.getvalue()
    silent = _Progress(None, 10, 0)
    silent.update(4, final=True)  # no stream, nothing written, no error


def test_cli_batch_is_silent_on_a_pipe(corpus, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = tmp_path / "cli.jsonl"
    done = subprocess.run([PY, "-m", "pyreasoner", "batch", str(corpus), "--out", str(out), "--workers", "1"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 3  # invalid records were written (exit status 3)
    assert "\r" not in done.stderr  # no progress bar when stderr is not a terminal
    assert done.stderr.strip().startswith("18 cases written") and "4 error records" in done.stderr


def test_cli_batch_usage_errors(corpus, tmp_path, capsys):
    from pyreasoner.cli import main

    out = tmp_path / "x.jsonl"
    assert main(["batch", str(tmp_path / "missing.jsonl"), "--out", str(out)]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["batch", str(corpus), "--out", str(out), "--executor", "dask"]) == 2
    assert "needs the address of a scheduler" in capsys.readouterr().err
    assert main(["batch", str(corpus), "--out", str(out), "--timeout", "0"]) == 2
    assert "expected a number of seconds above 0 and at most 86400" in capsys.readouterr().err
    assert main(["batch", str(corpus), "--out", str(out), "--view", "b=nonsense"]) == 2
    assert "unknown view 'nonsense'" in capsys.readouterr().err
    assert main(["batch", str(corpus), "--out", str(out), "--workers", "-1"]) == 2
    assert "expected a number of worker processes >= 0" in capsys.readouterr().err
    assert main(["batch", str(corpus), "--out", str(out), "--recycle", "-5"]) == 2
    assert "expected a number of cases >= 0" in capsys.readouterr().err


def test_dask_cluster_gives_the_same_output(corpus, reference, tmp_path):
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "dask.jsonl"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        run_batch(corpus, out, config=BatchConfig(), executor="dask", scheduler=cluster.scheduler_address,
                  chunk_size=4)
    assert out.read_bytes() == reference.read_bytes()


@pytest.mark.parametrize("options", [
    {"views": ("b=joint", "c=reversed")},
    {"include_rejected": True},
    {"explore": True},
])
def test_chunk_ground_under_view_selections_and_modes(reasoner, bundled, options):
    """Fixed views and rejected ones are assumptions on the tagged adopt atoms, explore mode
    opens the unknown facts of the active case only: every record equals Reasoner.solve
    with the same options (explore on the bundled cases with at most 6 unknown facts)."""
    cases = [c for c in bundled if not options.get("explore") or len(c.facts_with("unknown")) <= 6]
    docs = [_doc(c, reasoner.vocabulary) for c in cases]
    items = [(i, "line", json.dumps(d), f"<mem>:{i + 1}") for i, d in enumerate(docs)]
    solver = ChunkSolver(BatchConfig(**options), reasoner)
    out = []
    for k in range(0, len(items), 16):
        out += solver.solve_chunk(items[k:k + 16])
    assert sum(t["engine"] == "chunk" for _, t in out) >= len(docs) - 1
    for (line, _), case in zip(out, cases, strict=True):
        want = reasoner.solve(case, views=list(options.get("views", ())),
                              include_rejected=options.get("include_rejected", False),
                              explore=options.get("explore", False))
        got = json.loads(line)
        if not want.consistent:
            assert got["error"]["core"] == list(want.core), case.id
            continue
        j = want.to_json()
        assert {k: got[k] for k in ("answers", "in_all", "in_some", "selection")} == \
            {k: j[k] for k in ("answers", "in_all", "in_some", "selection")}, case.id
    records = [json.loads(line) for line, _ in out]
    if options.get("explore"):  # the mode did something: unknown facts were completed
        assert any("completion" in a for r in records if "answers" in r for a in r["answers"])
    if options.get("views"):
        assert all(r["selection"] == {"b": "joint", "c": "reversed"} for r in records if "answers" in r)


def _memory_ids(monkeypatch):
    """Make the id index keep its table in memory (as where SQLite or TMPDIR is missing)."""
    from pyreasoner.batch import ids

    def no_disk():
        raise OSError("no temporary folder")
    monkeypatch.setattr(ids, "_DiskTable", no_disk)


@pytest.mark.parametrize("table", ["disk", "memory"])
def test_id_index_is_exact_under_digest_collisions_and_growth(monkeypatch, table):
    """The id table stores 8-byte digests; two ids with one digest must stay two ids
    (the id is compared with the record read back), and the table must survive growth;
    on disk (SQLite) and in memory alike."""
    from pyreasoner.batch import _IdIndex

    if table == "memory":
        _memory_ids(monkeypatch)
    records = {}  # offset -> record, standing in for the output file
    index = _IdIndex(records.__getitem__)
    assert type(index._table).__name__ == {"disk": "_DiskTable", "memory": "_MemoryTable"}[table]
    monkeypatch.setattr(_IdIndex, "_digest", staticmethod(lambda s: 7 if s.startswith("x") else hash(s) & 0xFFFF | 1))
    for i in range(6000):  # the test's digests are small: one shard, grown past its first size of 64 slots
        case_id = f"x{i}" if i % 100 == 0 else f"case{i}"
        assert index.first(case_id, i * 10) is None, case_id
        records[i * 10] = {"index": i, "case": case_id}
    assert index.first("x300", 99999) == {"index": 300, "case": "x300"}  # a colliding id, found exactly
    assert index.first("case4321", 99999) == {"index": 4321, "case": "case4321"}
    assert index.first("x6000", 60000) is None  # same digest as every x-id, yet new


def test_id_index_in_memory_spreads_ids_over_shards_that_grow_apart(monkeypatch):
    """With the real digests the ids spread over every shard of the memory table; each
    shard doubles on its own (never the whole table at once), and every id is still found
    exactly after growth."""
    from pyreasoner.batch import _IdIndex
    from pyreasoner.batch.ids import _MemoryTable

    _memory_ids(monkeypatch)
    records = {}
    index = _IdIndex(records.__getitem__)
    for i in range(20_000):
        assert index.first(f"c{i}", i) is None
        records[i] = {"index": i, "case": f"c{i}"}
    shards = index._table._shards
    assert len(shards) == _MemoryTable.SHARDS and min(s.count for s in shards) > 0
    assert max(s.size for s in shards) > 64  # grown
    assert sum(s.count for s in shards) == 20_000
    assert all(s.count * 10 <= s.size * 7 for s in shards)  # each within its load bound
    assert all(index.first(f"c{i}", -1) == {"index": i, "case": f"c{i}"} for i in range(0, 20_000, 997))


def test_memory_id_table_adds_where_its_lookup_ended():
    """A new id is looked up, then added: the add takes the free slot the lookup's walk
    ended on (one walk, not two), and only for that key and while the shard has not grown;
    an add with no lookup before it walks on its own."""
    from pyreasoner.batch.ids import _MemoryTable

    table = _MemoryTable()
    key = (3 << 58) | 5  # shard 3, slot 5
    assert list(table.offsets(key)) == []
    assert table._free is not None and table._free[0] == key and table._free[2] == 5
    table.add(key, 10)
    assert table._free is None and list(table.offsets(key)) == [10]
    table.add(key, 20)  # the lookup above ended at slot 6: the same key again, a second record
    other = (3 << 58) | 6  # its home slot is taken: it walks on past both
    assert list(table.offsets(other)) == [] and table._free is not None and table._free[2] == 7
    table.add(key, 30)  # another key's free slot is not this key's to take blindly
    table.add(other, 40)
    assert sorted(table.offsets(key)) == [10, 20, 30] and list(table.offsets(other)) == [40]


def test_resume_refuses_damage_in_the_middle_and_names_the_line(corpus, reference, tmp_path):
    """A bad line with more lines after it is damage, not an interruption: --resume used to keep
    the records before it and silently drop every complete record after it (robustness audit)."""
    lines = reference.read_bytes().splitlines(keepends=True)
    out = tmp_path / "damaged.jsonl"
    damaged = b"".join(lines[:5]) + b"garbage\n" + b"".join(lines[6:])
    out.write_bytes(damaged)
    Path(str(out) + ".run").write_bytes(Path(str(reference) + ".run").read_bytes())
    with pytest.raises(UsageError, match="line 6 is not record 5 of this run but more lines follow"):
        run_batch(corpus, out, config=BatchConfig(), workers=1, chunk_size=4, resume=True)
    assert out.read_bytes() == damaged  # nothing cut
