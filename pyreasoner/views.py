"""Contested issues and their views, as declared in ``encodings/views/``.

>>> from pyreasoner import Reasoner
>>> rb = Reasoner().rulebase
>>> rb.issues["b"].view("staged_fault").status
'own'
>>> rb.issues["c"].view("no_fault").off_by_default, rb.issues["c"].view("ordinary").off_by_default
(True, False)
>>> parse_selection(["b=joint"], rb.issues)
(('b', 'joint'),)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from .errors import UsageError
from .vocabulary import suggest

__all__ = ["STATUS_LABELS", "VIEW_STATUSES", "Issue", "View", "parse_selection"]

#: The status of a view with respect to the source paper.
STATUS_LABELS = {
    "own": "the paper's own position",
    "named": "named in the paper",
    "rejected": "rejected by the paper",
    "reading": "a reading the encoding offers; the paper's text does not state it",
}

#: The statuses a view may declare (view_status/3), in the order of :data:`STATUS_LABELS`.
VIEW_STATUSES = tuple(STATUS_LABELS)


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class View:
    """One view on a contested issue."""

    issue: str
    id: str
    label_zh: str
    label_en: str
    status: str
    #: The source in English (view_source/4); ``source_zh`` in Chinese.
    source: str
    source_zh: str = ""
    #: (provision id, reason) pairs: why others reject this view, in English; ``counterpoints_zh``
    #: the same reasons, in the same order, in Chinese.
    counterpoints: tuple[tuple[str, str], ...] = ()
    counterpoints_zh: tuple[tuple[str, str], ...] = ()
    #: Where the view is the rule of the law in force: the provision, in English
    #: (view_in_force/4); ``in_force_zh`` in Chinese. Empty for a scholarly view.
    in_force: str = ""
    in_force_zh: str = ""

    @property
    def off_by_default(self) -> bool:
        """Adopted only on request (``include_rejected``, or the view fixed): a view the paper
        rejects, unless it is the rule of the law in force, whose answer a researcher needs
        beside the paper's proposal."""
        return self.status == "rejected" and not self.in_force


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Issue:
    """A contested issue with its closed set of views."""

    id: str
    label_zh: str
    label_en: str
    views: tuple[View, ...]

    def view(self, view_id: str) -> View:
        for v in self.views:
            if v.id == view_id:
                return v
        raise KeyError(view_id)


def parse_selection(items: Iterable[str] | Mapping[str, str], issues: Mapping[str, Issue]) -> tuple[tuple[str, str], ...]:
    """Read ``issue=view`` selections (or a mapping) and check them against the issues."""
    pairs: list[tuple[str, str]] = []
    if isinstance(items, str):  # one selection, not a sequence of them (a str would be read letter by letter)
        items = [items]
    elif items is None or not isinstance(items, (Mapping, Iterable)):
        raise UsageError("views", repr(items), "expected ISSUE=VIEW selections (a list such as ['b=joint']) or a "
                         "mapping such as {'b': 'joint'}")
    if isinstance(items, Mapping):
        pairs = [(str(k), str(v)) for k, v in items.items()]
    else:
        for item in items:
            if not isinstance(item, str) or item.count("=") != 1:
                raise UsageError("views", repr(item), "expected ISSUE=VIEW, e.g. b=joint")
            i, v = (s.strip() for s in item.split("="))
            pairs.append((i, v))
    seen: dict[str, str] = {}
    for i, v in pairs:
        if i not in issues:
            raise UsageError("views", f"{i}={v}", f"unknown issue '{i}'{suggest(i, issues)}; issues: {', '.join(issues)}")
        ids = [x.id for x in issues[i].views]
        if v not in ids:
            raise UsageError("views", f"{i}={v}", f"unknown view '{v}' of issue {i}{suggest(v, ids)}; views: {', '.join(ids)}")
        if i in seen and seen[i] != v:
            raise UsageError("views", f"{i}={v}", f"issue {i} is already fixed to {seen[i]}")
        seen[i] = v
    return tuple(sorted(seen.items()))
