"""The predicates the Python side reads or writes, each named once with its arity.

The encodings (``encodings/``) and the package meet at these names. Each is a
:class:`Predicate`, a ``(name, arity)`` pair that passes where a signature is expected;
``tests/test_contract.py`` checks that every one is declared, defined, shown or read in the
encodings with that arity, so that renaming one there fails a test instead of silently
breaking Python. The predicates of the rule base's own logic (``liable/3`` …) are not here:
Python never names them.

>>> OUTCOME
Predicate(name='outcome', arity=4)
>>> OUTCOME.name, OUTCOME == ("outcome", 4)
('outcome', True)
>>> [p.name for p in STATUSES]
['established', 'refuted', 'unknown']
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "ADOPT",
    "ALLOW_REJECTED",
    "ANALOGUE",
    "ARG",
    "AT_MOST",
    "AT_MOST_WHEN",
    "BURDEN",
    "BURDEN_BEARER",
    "CASE_INPUTS",
    "COMPLETION",
    "CONTRADICTION",
    "COUNTERFACTUAL",
    "COUNTERPOINT",
    "COUNTS_TRUE",
    "DECLARATIONS",
    "DISPLACED",
    "DISPLACED_SHOWN",
    "DOMAIN",
    "DUTY_ASKED",
    "ESTABLISHED",
    "EXCLUDES",
    "EXPLORE",
    "FACT_PRED",
    "FACT_WRAPPERS",
    "INPUT",
    "INVARIANT",
    "ISSUE",
    "OUTCOME",
    "PARAM",
    "PROVISION",
    "PROVISION_TEXT",
    "RAISED",
    "REFERS_TO",
    "REFUTED",
    "REQUIRES",
    "REQUIRES_INPUT",
    "REQUIRES_PARAM",
    "STATUSES",
    "TRUE",
    "TRUE_ORDINARY",
    "UNKNOWN",
    "VALUE",
    "VALUE_SET",
    "VIEW",
    "VIEW_IN_FORCE",
    "VIEW_LABEL",
    "VIEW_SOURCE",
    "VIEW_STATUS",
    "VIOLATION",
    "Predicate",
]


class Predicate(NamedTuple):
    """A predicate by name and arity; equal to the signature ``(name, arity)``."""

    name: str
    arity: int


# ----------------------------------------------------------------- a case, as the solver gets it
#: The status of a case fact (``prologue/facts.lp``), in the order of the case format.
ESTABLISHED = Predicate("established", 1)
REFUTED = Predicate("refuted", 1)
UNKNOWN = Predicate("unknown", 1)
STATUSES = (ESTABLISHED, REFUTED, UNKNOWN)
#: ``fact_pred(F, P)``: case fact ``F`` is an atom of input predicate ``P``.
FACT_PRED = Predicate("fact_pred", 2)
#: The predicates a case reaches the solver by (the batch engine tags them by case).
CASE_INPUTS = (*STATUSES, FACT_PRED)
#: The modes: rejected views may be adopted; unknown facts are left open.
ALLOW_REJECTED = Predicate("allow_rejected", 0)
EXPLORE = Predicate("explore", 0)
#: ``true(F)``: a case fact counts as true (its status and the burden of proof decide).
TRUE = Predicate("true", 1)
#: The other wrappers of a case fact in the encodings (``prologue/facts.lp``).
COUNTS_TRUE = Predicate("counts_true", 1)
TRUE_ORDINARY = Predicate("true_ordinary", 1)
DUTY_ASKED = Predicate("duty_asked", 1)
#: The predicates whose one argument is a case fact: a rule that reads ``true(sold(…))``
#: reads the input ``sold/3`` (lint and coverage follow them).
FACT_WRAPPERS = (TRUE, ESTABLISHED, REFUTED, UNKNOWN, COUNTS_TRUE, TRUE_ORDINARY, DUTY_ASKED)

# ----------------------------------------------------------------- what an answer says
OUTCOME = Predicate("outcome", 4)
ADOPT = Predicate("adopt", 2)
#: ``displaced(Q, P, Why)``: provision Q yields to P; shown as ``displaced(Q, P)``.
DISPLACED = Predicate("displaced", 3)
DISPLACED_SHOWN = Predicate("displaced", 2)
COMPLETION = Predicate("completion", 2)
RAISED = Predicate("raised", 1)
CONTRADICTION = Predicate("contradiction", 7)
#: ``burden_bearer(F, Party)``: who loses when ``F`` is not established (``prologue/facts.lp``).
BURDEN_BEARER = Predicate("burden_bearer", 2)

# ----------------------------------------------------------------- declarations the rule base reads
INPUT = Predicate("input", 4)
ARG = Predicate("arg", 4)
BURDEN = Predicate("burden", 2)
VALUE_SET = Predicate("value_set", 3)
VALUE = Predicate("value", 2)
ISSUE = Predicate("issue", 3)
VIEW = Predicate("view", 2)
VIEW_LABEL = Predicate("view_label", 4)
VIEW_STATUS = Predicate("view_status", 3)
VIEW_SOURCE = Predicate("view_source", 4)
#: ``view_in_force(I, V, Zh, En)``: the view is the rule of the law in force (cited in Chinese and
#: English); a view the paper rejects that is the law in force stays on by default.
VIEW_IN_FORCE = Predicate("view_in_force", 4)
COUNTERPOINT = Predicate("counterpoint", 5)
PROVISION = Predicate("provision", 5)
PROVISION_TEXT = Predicate("provision_text", 3)
PARAM = Predicate("param", 3)
EXCLUDES = Predicate("excludes", 2)
AT_MOST = Predicate("at_most", 4)
AT_MOST_WHEN = Predicate("at_most_when", 3)
REFERS_TO = Predicate("refers_to", 2)
#: ``analogue(Later, Earlier)``: an article of an earlier law that stood for a later one (a Tort Law
#: article for a Civil Code one); :attr:`pyreasoner.rulebase.RuleBase.analogues`.
ANALOGUE = Predicate("analogue", 2)
#: Everything :class:`pyreasoner.rulebase.RuleBase` reads from the encodings once.
DECLARATIONS = (INPUT, ARG, BURDEN, VALUE_SET, VALUE, ISSUE, VIEW, VIEW_LABEL, VIEW_STATUS, VIEW_SOURCE, VIEW_IN_FORCE,
                COUNTERPOINT, PROVISION, PROVISION_TEXT, PARAM, EXCLUDES, AT_MOST, AT_MOST_WHEN, REFERS_TO, ANALOGUE)

# ----------------------------------------------------------------- invariants (``pyreasoner verify``)
INVARIANT = Predicate("invariant", 3)
VIOLATION = Predicate("violation", 1)
REQUIRES = Predicate("requires", 2)
REQUIRES_INPUT = Predicate("requires_input", 2)
REQUIRES_PARAM = Predicate("requires_param", 2)
COUNTERFACTUAL = Predicate("counterfactual", 2)
DOMAIN = Predicate("domain", 2)
