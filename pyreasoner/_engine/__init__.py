"""The one package that talks to clingo.

Everything else in pyreasoner works with plain Python values (:mod:`pyreasoner.terms`):
strings for constants, ``int`` for numbers, :class:`~pyreasoner.terms.Text` for clingo
strings, and ``(name, args)`` tuples for compound terms. This package turns them into
clingo symbols and back, parses the encodings once, and grounds and solves.

Case facts never reach clingo as program text: each becomes a symbol built with
:func:`clingo.Function`, declared ``#external`` through an AST node, and
assumed true when solving, so that an unsatisfiable case yields an unsat core
over its own facts.

One job per module (the rest of the package imports from here, never from them):

- ``symbols``: Python terms to clingo symbols and back, and the order of terms.
- ``program``: the encodings parsed once (:class:`Program`) and whole-program AST transforms
  (without comments, merge, renamed copy, rule markers for coverage and check).
- ``control``: grounding and solving: :func:`solve` and its siblings, the ground-once
  :class:`Session` of check / verify / coverage, the solve loop with a deadline, the minimal core.
- ``describe``: every statement of encoding files as plain values, for lint and coverage.
- ``shadow``: explanation instrumentation: shadow rules, the rule table, :func:`solve_explained`.
- ``rewrite``: the batch engine's case tagging of the encodings (:func:`tag_program`).
- ``chunk``: the batch engine's ground of a chunk of cases over the tagged encodings (:class:`ChunkGround`).
- ``counterfactual``: verify's second world, copied at the ground level (only the rules that
  depend on the dropped facts), for :class:`Session`.
"""

from __future__ import annotations

import clingo

from ..terms import Raw, Text
from .chunk import CHUNK_SIZE, ChunkGround
from .control import (
    Session,
    SolveOutcome,
    choose_statuses,
    ground_atoms,
    ground_facts,
    minimal_core,
    solve,
    solve_variants,
)
from .counterfactual import Counterfactual
from .describe import LitInfo, StatementInfo, describe_files, describe_statements
from .program import (
    FIRED,
    NOT_UTF8,
    VIOLATED,
    Program,
    included_files,
    instrument,
    merge,
    parse_program,
    parse_rule,
    renamed_copy,
    without_comments,
)
from .rewrite import TaggedProgram, tag_program, tagged_from_text, tagged_text
from .shadow import ANY, ExplainedModel, RuleEntry, RuleTable, rule_table, solve_explained
from .symbols import _term_key, clingo_version, symbol_of, value_of

__all__ = [
    "ANY",
    "CHUNK_SIZE",
    "FIRED",
    "NOT_UTF8",
    "VIOLATED",
    "ChunkGround",
    "Counterfactual",
    "ExplainedModel",
    "LitInfo",
    "Program",
    "Raw",
    "RuleEntry",
    "RuleTable",
    "Session",
    "SolveOutcome",
    "StatementInfo",
    "TaggedProgram",
    "Text",
    "_term_key",
    "choose_statuses",
    "clingo",
    "clingo_version",
    "describe_files",
    "describe_statements",
    "ground_atoms",
    "ground_facts",
    "included_files",
    "instrument",
    "merge",
    "minimal_core",
    "parse_program",
    "parse_rule",
    "renamed_copy",
    "rule_table",
    "solve",
    "solve_explained",
    "solve_variants",
    "symbol_of",
    "tag_program",
    "tagged_from_text",
    "tagged_text",
    "value_of",
    "without_comments",
]
