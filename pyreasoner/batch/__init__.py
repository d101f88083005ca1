"""Batch runs over case corpora: streaming, parallel, resumable, optionally on Dask.

``pyreasoner batch INPUT --out results.jsonl`` reads a folder of case files or a
JSON Lines file of cases (one case document per line) and writes one JSON record
per case, in input order. A record holds the case's answers (views and outcomes
with their basis) and the in-every-answer / in-some-answers split; a case that is
invalid, has no consistent answer, exceeds ``--timeout`` or breaks the solver gets
an error record instead, and the batch goes on.

Records carry no timings, so that the output is byte-identical between runs, for
every ``--workers N`` (0: in this process), for the Dask executor, and after a
``--resume``. Timings go to a sidecar file (``results.jsonl.timings``) keyed by the
record index.

Speed comes from grounding once and solving many: the cases of a chunk are grounded
together over the encodings rewritten so that every case-dependent atom carries the
case's index (one disjoint copy per case), and all its cases are solved in one call
(see :class:`ChunkSolver` and ``_engine.tag_program``). The results are those of
:meth:`pyreasoner.Reasoner.solve` on each case.

One job per module (import from this package, which re-exports what the rest of
pyreasoner, the tests and the benchmarks use):

- ``items``: the case stream (:func:`iter_items`: a folder or a JSON Lines file, in a fixed
  order, lazily) and its chunks.
- ``config``: :class:`BatchConfig`, the options every worker needs.
- ``memory``: the per-case memory bound (:func:`memory_bound`).
- ``records``: the record of a case (answers or error) and its timing line.
- ``solver``: :class:`ChunkSolver`, the per-chunk engine calls, and the workers' entry point
  :func:`solve_chunk`.
- ``ids``: the table of case ids already written (ids are unique within a batch).
- ``runfile``: the run file (``OUT.run``) and the resume point of an interrupted output.
- ``warm``: the warm start of the pool's workers (the fork server reads the rule base once).
- ``executors``: the local process pool's pieces and the Dask executor.
- ``runner``: :func:`run_batch`, the driver.

>>> import io, json
>>> from pyreasoner import Reasoner
>>> from pyreasoner.batch import BatchConfig, ChunkSolver
>>> line = json.dumps({"id": "demo", "facts": {"established": [
...     "party(p, platform)", "party(m, merchant)", "party(c, consumer)", "on_platform(m, p)",
...     "sold(m, g, c)", "concerns_life_health(g)", "damage(c, g)", "caused_damage(p, c, g)"],
...     "refuted": ["reviewed_qualification(p, m)"]}})
>>> solver = ChunkSolver(BatchConfig(views=("b=joint",)), Reasoner())
>>> record, timing = solver.solve_chunk([(0, "line", line, "<doc>:1")])[0]
>>> json.loads(record)["in_all"]
['outcome(civil,p,joint_several(m),(ecl_38_2,cc_1168))']
"""

from __future__ import annotations

from .config import MAX_TIMEOUT, MEMORY_MB, BatchConfig
from .ids import _IdIndex as _IdIndex
from .items import JSONL_SUFFIXES, Item, iter_items
from .memory import memory_bound
from .records import ChunkOut, Timing
from .runfile import RUN_SUFFIX, RunHeader, run_header
from .runner import CHUNK_SIZE, EXIT_ERROR_RECORDS, RECYCLE, BatchStats, run_batch
from .runner import _Progress as _Progress
from .solver import BIG_CASE_FACTS, ChunkSolver, solve_chunk

__all__ = ["BIG_CASE_FACTS", "CHUNK_SIZE", "EXIT_ERROR_RECORDS", "JSONL_SUFFIXES", "MAX_TIMEOUT", "MEMORY_MB", "RECYCLE",
           "RUN_SUFFIX", "BatchConfig", "BatchStats", "ChunkOut", "ChunkSolver", "Item", "RunHeader", "Timing",
           "iter_items", "memory_bound", "run_batch", "run_header", "solve_chunk"]


# ------------------------------------------------------------------ CLI
