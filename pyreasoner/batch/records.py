"""What a batch writes: one JSON record per case (an answer or an error) and its timing line.

Records are compact JSON, one per line, keys in a fixed order and no timings, so that the
output is byte-identical between runs; timings go to the sidecar (``OUT.timings``).
"""

from __future__ import annotations

import collections.abc
import json
from typing import NotRequired, TypedDict

from ..result import Result
from .items import Item


class Timing(TypedDict):
    """The timings sidecar's line for one record (``OUT.timings``), in the order its keys
    are set; the clingo times (``input``, ``ground``, ``solve``) are there when clingo ran."""

    index: int
    source: str
    pid: int
    case: NotRequired[str | None]
    #: ``none`` (invalid case), ``chunk``, ``single`` or ``chunk+single``
    engine: NotRequired[str]
    input: NotRequired[float]
    ground: NotRequired[float]
    solve: NotRequired[float]
    seconds: NotRequired[float]
    #: ``ok`` or the kind of the error record
    status: NotRequired[str]


#: What a chunk gives: per item, in order, its record line and its timing.
ChunkOut = list[tuple[str, Timing]]


def _item_id(item: Item) -> str | None:
    """The id of an invalid case when its document still says one, else ``None``."""
    if item[1] != "line":
        return None
    try:
        doc = json.loads(item[2])
    except (ValueError, RecursionError):
        return None
    case_id = doc.get("id") if isinstance(doc, dict) else None
    return case_id if isinstance(case_id, str) else None


#: json.dumps(..., ensure_ascii=False, separators=(",", ":")) without a new encoder per call
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _dumps(record: collections.abc.Mapping[str, object]) -> str:
    return _ENCODE(record) + "\n"


def _result_record(index: int, source: str, result: Result) -> tuple[str, str]:
    """The record of a solved case and its status (``ok`` or ``inconsistent``)."""
    if not result.consistent:
        return _error_record(index, result.case_id, source, "inconsistent",
                             "no answer set: the case's facts contradict the encodings",
                             core=list(result.core)), "inconsistent"
    # written as text: the characters _dumps gives for {"index", "case", "source", then the
    # rest of result.to_json()} (a test compares the two), without building the dicts
    head = _dumps({"index": index, "case": result.case_id, "source": source})
    return f"{head[:-2]},{result.json_fields()}}}\n", "ok"


def _error_record(index: int, case_id: str | None, source: str, kind: str, message: str, **extra: list[str]) -> str:
    error = {"kind": kind, "message": message, **extra}
    return _dumps({"index": index, "case": case_id, "source": source, "error": error})

