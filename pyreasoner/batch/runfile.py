"""The run file (``OUT.run``) of a batch and ``--resume``: what the records were computed from,
whether an interrupted output may be continued, and where to continue it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TypedDict

from .. import _engine
from ..errors import UsageError
from .config import BatchConfig
from .ids import _IdIndex
from .items import STDIN, _walk

#: The run file next to the output (``OUT.run``): what the records were computed from.
RUN_SUFFIX = ".run"
#: Options of :class:`BatchConfig` that change records (a resume must use the same).
_RESULT_OPTIONS = ("views", "include_rejected", "explore", "timeout", "explain", "memory")


class _RunInput(TypedDict):
    path: str
    sha256: str


class _RunRules(TypedDict):
    master: str
    sha256: str


class RunHeader(TypedDict):
    """The run file (``OUT.run``) of a batch: what its records depend on."""

    pyreasoner_batch: int
    input: _RunInput
    #: the options of :data:`_RESULT_OPTIONS`, by name (``views`` sorted)
    options: dict[str, object]
    rulebase: _RunRules
    clingo: str


def run_header(input: str | Path, config: BatchConfig) -> RunHeader:
    """What a batch's records depend on: a fingerprint of the input, the options that change
    results, a digest of the rule base's files and the clingo version. Written to
    ``OUT.run``; ``--resume`` refuses an output whose run file says otherwise.

    The input's fingerprint is the SHA-256 of its bytes (a JSON Lines file or one case file)
    or, for a folder, of every case file's relative path, size and modification time (read
    in the order the batch reads them, without reading the files); standard input (``-``)
    has none (``""``): it is read once, as it comes, and such a run cannot be resumed."""
    path = Path(input)
    digest = hashlib.sha256()
    if str(input) == STDIN:
        pass
    elif path.is_dir():
        for file in _walk(path):
            try:
                st = file.stat()
            except OSError:  # a broken or looping link: it gets an error record, its own state counts
                st = file.lstat()
            digest.update(f"{file.relative_to(path).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8",
                                                                                                    "surrogateescape"))
    else:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    master = Path(config.encodings) if config.encodings else None
    from ..rulebase import default_master

    master = default_master() if master is None else (master / "main.lp" if master.is_dir() else master)
    rules = hashlib.sha256()
    for file in _engine.parse_program(master).files:
        rules.update(str(file.relative_to(master.parent) if file.is_relative_to(master.parent) else file).encode())
        rules.update(b"\0" + file.read_bytes() + b"\0")
    options: dict[str, object] = {name: getattr(config, name) for name in _RESULT_OPTIONS}
    options["views"] = sorted(config.views)  # the value just read
    return {"pyreasoner_batch": 1, "input": {"path": str(path), "sha256": "" if str(input) == STDIN else digest.hexdigest()},
            "options": options, "rulebase": {"master": str(master), "sha256": rules.hexdigest()},
            "clingo": _engine.clingo_version()}


def _check_header(run_path: Path, header: RunHeader, out_path: Path) -> None:
    """Refuse a resume whose run file is missing or differs from this run, naming what differs."""
    try:
        old = json.loads(run_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError("resume", str(out_path), f"no run file {run_path}: cannot tell which input, options and rule "
                         "base the records were written for; rerun without --resume") from None
    except (OSError, ValueError) as exc:
        raise UsageError("resume", str(run_path), f"unreadable run file ({exc}); rerun without --resume") from None
    if (not isinstance(old, dict) or old.get("pyreasoner_batch") != 1
            or not all(isinstance(old.get(k, {}), dict) for k in ("input", "options", "rulebase"))):
        raise UsageError("resume", str(run_path), "not a pyreasoner run file (expected 'input', 'options' and "
                         "'rulebase' objects); rerun without --resume")
    differs = []
    if old.get("input", {}).get("sha256") != header["input"]["sha256"]:
        differs.append(f"another input (the records were written for {old.get('input', {}).get('path')!r}, whose "
                       "content or files differ from this input's)")
    old_options = old.get("options", {})
    for name in _RESULT_OPTIONS:
        if old_options.get(name) != header["options"][name]:
            differs.append(f"{name} (was {old_options.get(name)!r}, now {header['options'][name]!r})")
    if old.get("rulebase", {}).get("sha256") != header["rulebase"]["sha256"]:
        differs.append("the rule base (its files changed or another --encodings)")
    if old.get("clingo") != header["clingo"]:
        differs.append(f"the clingo version (was {old.get('clingo')!r}, now {header['clingo']!r})")
    if differs:
        raise UsageError("resume", str(out_path), "the output was written by another run: " + "; ".join(differs)
                         + "; rerun without --resume (or with the same input and options)")


def _resume_point(out: Path, timings: Path | None, ids: _IdIndex) -> tuple[int, str | None]:
    """Cut a torn last line off ``out``; return how many complete records it holds and
    the source of the last one; note each case id's first record in ``ids``. The
    timings sidecar is cut to match."""
    count, last_source, good = 0, None, 0
    with out.open("rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                break
            try:
                rec = json.loads(raw)
            except ValueError:
                rec = None
            if not isinstance(rec, dict) or rec.get("index") != count:
                if fh.read(1):  # more lines follow: damage, not a run cut short
                    raise UsageError("resume", str(out), f"line {count + 1} is not record {count} of this run "
                                     "but more lines follow it: the output was damaged, not cut short by an "
                                     "interruption (only a torn last line is cut); repair it or rerun without "
                                     "--resume") from None
                break
            if isinstance(rec.get("case"), str):
                ids.first(rec["case"], good)
            count += 1
            last_source = rec.get("source")
            good += len(raw)
    if good != out.stat().st_size:
        with out.open("r+b") as fh:
            fh.truncate(good)
    if timings is not None and timings.exists():
        keep = 0
        with timings.open("rb") as fh:
            for raw in fh:
                try:
                    ok = raw.endswith(b"\n") and json.loads(raw).get("index", count) < count
                except ValueError:
                    ok = False
                if not ok:
                    break
                keep += len(raw)
        with timings.open("r+b") as fh:
            fh.truncate(keep)
    return count, last_source
