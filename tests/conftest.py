"""Shared fixtures: one Reasoner per test session (the encodings are parsed once)."""

from __future__ import annotations

import atexit
import copy
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from pyreasoner import Reasoner

# What pyreasoner keeps between runs (pyreasoner.cache) goes to a folder of this test run's
# own, never to the user's cache, and is removed at its end; the tests' subprocesses inherit it
_CACHE = tempfile.mkdtemp(prefix="pyreasoner-test-cache-")
os.environ["PYREASONER_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
BAD_CASES = Path(__file__).resolve().parent / "bad_cases"


@pytest.fixture(scope="session")
def reasoner() -> Reasoner:
    return Reasoner()


# ---- generated corpora, each case made once per test run (tests/test_generate, test_batch*, test_fuzz, ...)
_GENERATED: dict[tuple[str, int], list[dict]] = {}


def _read_docs(path: Path) -> list[dict]:
    try:
        docs = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return docs if isinstance(docs, list) else []


@pytest.fixture(scope="session")
def generated(reasoner, tmp_path_factory):
    """``generated(n, seed)``: ``list(generate_cases(reasoner.rulebase, n=n, seed=seed))``, a
    fresh copy each call, every case made once per test run. Generating is the costly part of
    many tests (clingo chooses the statuses of a directed case: some 0.4 s of CPU per case),
    and several ask for the same seed. A case depends only on its seed and index
    (:func:`pyreasoner.generate.generate_case`; the stable prefix is tested in test_generate),
    so the first ``n`` cases of a longer corpus of the seed are the corpus of ``n``. The cases
    made so far are kept in a file that every xdist worker of the run reads (in the run's
    temporary folder: ``getbasetemp().parent`` under xdist, as pytest-xdist's docs advise);
    a file is replaced whole (``os.replace``), never written in place, so no lock is needed:
    two workers that need more of one seed at once both make it, and the longer list stays."""
    from pyreasoner.generate import generate_cases
    from pyreasoner.rulebase import fingerprint

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    rules = fingerprint(reasoner.rulebase.master)

    def get(n: int, seed: int) -> list[dict]:
        path = shared / f"generated-{rules}-seed{seed}.json"
        docs = _GENERATED.get((rules, seed), [])
        if len(docs) < n:
            docs = max(docs, _read_docs(path), key=len)
        if len(docs) < n:
            docs = docs + list(generate_cases(reasoner.rulebase, n=n - len(docs), seed=seed, start=len(docs)))
            if len(_read_docs(path)) < len(docs):
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(docs), encoding="utf-8")
                os.replace(tmp, path)
        _GENERATED[(rules, seed)] = docs
        return copy.deepcopy(docs[:n])

    return get


def find_case(case_id: str):
    """The bundled case with this id, wherever in cases/ it lives."""
    from pyreasoner.case import find_case_files, load_case

    global _VOCAB
    if _VOCAB is None:
        _VOCAB = Reasoner().vocabulary
    vocab = _VOCAB
    for path in find_case_files([CASES]):
        case = load_case(path, vocab)
        if case.id == case_id:
            return case
    raise LookupError(f"no bundled case with id {case_id!r}")


_VOCAB = None


# ---- helpers shared by the unit tests of the rule base (tests/test_civil_*.py, test_criminal_provisions.py)
def solve(reasoner, established, refuted=(), unknown=(), **kw):
    """Solve a case given as lists of fact strings by status."""
    from pyreasoner.case import case_from_data

    doc = {"id": "t", "facts": {"established": list(established), "refuted": list(refuted), "unknown": list(unknown)}}
    return reasoner.solve(case_from_data(doc, reasoner.vocabulary, file="<test>"), **kw)


def outcomes(result):
    """Every outcome atom of every answer."""
    return {o.atom for a in result.answers for o in a.outcomes}


def atoms(result):
    """Every shown atom of every answer."""
    return {str(x) for a in result.answers for x in a.atoms}


# ---- what a batch record must hold (tests/test_batch.py, test_batch_faults.py)
def expected_record(reasoner, doc) -> dict:
    """What a batch record of ``doc`` must hold, from Reasoner.solve on the same document."""
    from pyreasoner.case import case_from_data

    result = reasoner.solve(case_from_data(doc, reasoner.vocabulary, file="<doc>"))
    if not result.consistent:
        return {"core": list(result.core)}
    j = result.to_json()
    return {"answers": j["answers"], "in_all": j["in_all"], "in_some": j["in_some"]}


def record_answers(record: dict) -> dict:
    """The part of a batch record that :func:`expected_record` gives."""
    if "error" in record:
        return {"core": record["error"].get("core")}
    return {k: record[k] for k in ("answers", "in_all", "in_some")}


# ---- what a translated output may still hold in Latin letters (test_lang, test_cli_lang, test_views_zh)
#: CJK characters and the punctuation of Chinese text (full-width, quotation marks, title marks, dashes, §).
CJK_TEXT = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》…—–§"


def english_words(text: str, allowed: frozenset[str] | set[str] = frozenset(), *, options: bool = False,
                  placeholders: bool = False) -> list[str]:
    """The English words of a text: tokens (split at white space and at Chinese text) with a run
    of three or more ASCII letters, outside identifiers. A token is an identifier if, its outer
    brackets, braces and punctuation stripped, it holds one of ``_()=/[]|<>+`` or a digit: atoms
    (``sold(m,pills,c)``), view ids (``b=joint``), provision ids, paths, sections and years.
    ``allowed``: words that are data (a party's name). ``options``: command-line options
    (``--full``) are data too; ``placeholders``: so are all-capital words, an argument's
    placeholder in the vocabulary (``MIN`` of ``other_offence_term``)."""
    words = []
    for token in re.split(f"[\\s{CJK_TEXT}]+", text):
        core = token.strip("()[]{},.;:!?'\"")
        if re.search(r"[_()=/\[\]|<>+\d]", core) or not re.search(r"[A-Za-z]{3,}", core):
            continue
        if core in allowed or (options and core.startswith("--")) or (placeholders and core.isupper()):
            continue
        words.append(core)
    return words


def process_state(pid: int) -> str:
    """The state letter of a process (``Z`` for a zombie), ``X`` when it is gone (also when
    it goes between looking and reading): for the tests that check no process is left."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "X"


def descendants(pid: int, *, zombies: bool = True) -> set[int]:
    """Every process under ``pid`` (from /proc; ``zombies=False``: only live ones), for the
    tests that look for a batch's workers."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if zombies or fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # it ended meanwhile
        return b""


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def pool_workers(pids: Iterable[int]) -> set[int]:
    """The batch's worker processes among ``pids``: started by ``spawn`` (multiprocessing's
    ``spawn_main``), or forked by the fork server (a ``forkserver`` process whose parent is
    one too; the server itself is no worker). For the tests that kill a worker or check that
    none is left."""
    found = set()
    for pid in pids:
        cmd = _cmdline(pid)
        if b"spawn_main" in cmd or (b"forkserver" in cmd and b"forkserver" in _cmdline(_parent(pid))):
            found.add(pid)
    return found


#: The small bound of verify in the tests: civil inputs, one merchant, integers 0 and 1.
VERIFY_SMALL = {"bounds": {"merchant": 1}, "numbers": (0, 1), "domains": ["civil"], "timeout": 60}
