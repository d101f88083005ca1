"""The options of a batch that every worker needs to solve a chunk the same way (:class:`BatchConfig`)."""

from __future__ import annotations

import collections.abc
import dataclasses
from collections.abc import Iterable
from typing import cast

#: The longest ``--timeout`` (seconds): a day.
MAX_TIMEOUT = 86_400.0
#: Default bound, in megabytes, on the memory one case may take (``--max-memory``).
MEMORY_MB = 2048


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class BatchConfig:
    """What every worker needs to solve a chunk the same way.

    Parameters
    ----------
    encodings:
        The master file or folder of the encodings (``None``: the bundled ones).
    views:
        Fixed views as ``("b=joint", ...)``.
    include_rejected, explore:
        As for :meth:`pyreasoner.Reasoner.solve`.
    timeout:
        Seconds allowed to solve one case (``None``: no limit).
    shared:
        Ground once per chunk (``True``) or solve each case with a fresh control
        (``False``, the reference path; slower, same results).
    explain:
        Attach ``pyreasoner.explain.explain_all`` to every solved record
        (``"explanation"``: a derivation tree per outcome, relevance of unknown facts).
    memory:
        Megabytes of address space one case (or one chunk's common ground) may add to
        the process that solves it (``None``/0: no bound; default :data:`MEMORY_MB`).
        A case past it gets a ``memory`` error record and the worker lives on.
    rules:
        The fingerprint (:func:`pyreasoner.rulebase.fingerprint`) of the rule base the batch
        started with, which :func:`~pyreasoner.batch.run_batch` sets: a worker that finds
        other rules in the encodings' folder (edited while the batch runs, or another copy on
        a Dask worker) refuses to solve, so that no record is computed with rules other than
        those its provenance names. ``None``: no check.
    """

    encodings: str | None = None
    views: tuple[str, ...] = ()
    include_rejected: bool = False
    explore: bool = False
    timeout: float | None = None
    shared: bool = True
    explain: bool = False
    memory: int | None = MEMORY_MB
    rules: str | None = None

    def __post_init__(self) -> None:
        # views as Reasoner.solve takes them: {"b": "joint"} or ["b=joint"] (kept as a sorted tuple);
        # the field is typed as what it holds after this, callers may pass any of those forms
        views: object = self.views
        if isinstance(views, collections.abc.Mapping):
            object.__setattr__(self, "views", tuple(f"{i}={v}" for i, v in sorted(views.items())))
        elif isinstance(views, str):
            object.__setattr__(self, "views", (views,))
        elif not isinstance(views, tuple):
            object.__setattr__(self, "views", tuple(cast(Iterable[str], views)))
