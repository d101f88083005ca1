"""The rule base: the encodings, parsed once, and the declarations they state.

The encodings ship inside the installed package (``pyreasoner/encodings``); in a
source checkout they are the top-level ``encodings/`` folder.

>>> from pyreasoner.rulebase import RuleBase, default_master
>>> rb = RuleBase(default_master())
>>> "b" in rb.issues and "ecl_38_2" in rb.provisions
True
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from . import _engine
from .contract import (
    ANALOGUE,
    AT_MOST,
    AT_MOST_WHEN,
    COUNTERPOINT,
    DECLARATIONS,
    EXCLUDES,
    ISSUE,
    PARAM,
    PROVISION,
    PROVISION_TEXT,
    REFERS_TO,
    VIEW,
    VIEW_IN_FORCE,
    VIEW_LABEL,
    VIEW_SOURCE,
    VIEW_STATUS,
)
from .errors import EncodingError
from .provisions import Provision
from .views import VIEW_STATUSES, Issue, View
from .vocabulary import DeclarationFacts, Vocabulary

__all__ = ["AtMost", "RuleBase", "default_master", "encodings_dir", "fingerprint", "provenance"]


#: Argument types whose values are ordered (an at_most/4 declaration compares two of them).
_ORDERED_TYPES = ("integer", "date", "yuan", "count", "amount")


def encodings_dir() -> Path:
    """The folder of the encodings: the installed copy if there is one, else the checkout's."""
    installed = Path(__file__).resolve().parent / "encodings"
    if (installed / "main.lp").is_file():
        return installed
    checkout = Path(__file__).resolve().parent.parent / "encodings"
    if (checkout / "main.lp").is_file():
        return checkout
    raise EncodingError(str(installed), None, "the encodings are missing: expected main.lp here or in the checkout's encodings/")


def default_master() -> Path:
    return encodings_dir() / "main.lp"


def _resolved(path: Path) -> Path:
    """``path.resolve()``, or an :class:`EncodingError` naming the path when it cannot be
    resolved (a symbolic link that points to itself: ``RuntimeError`` before Python 3.13)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as exc:
        raise EncodingError(str(path), None, f"cannot resolve the path ({exc}); expected the master file or "
                            "folder of the encodings") from None


def _root(encodings: str | Path | None) -> Path:
    path = default_master() if encodings is None else Path(encodings)
    return _resolved(path if path.is_dir() else path.parent)


def fingerprint(encodings: str | Path | None = None) -> str:
    """A fingerprint of a rule base: the first 16 hex digits of the SHA-256 over every
    ``.lp`` file of its folder (the master file's folder), each as its path inside the
    folder and its bytes, in path order, and then over every file the master file includes
    from outside the folder (:func:`pyreasoner._engine.included_files`; each by its absolute path, in path
    order). Two rule bases with the same fingerprint hold the same rules; any edit, added or
    removed file changes it.

    >>> len(fingerprint()) == 16
    True
    """
    import hashlib

    root = _root(encodings)
    digest = hashlib.sha256()
    inside = sorted(root.rglob("*.lp"))
    read: dict[Path, bytes] = {}
    for path in inside:
        rel = path.relative_to(root).as_posix().encode("utf-8")
        data = read[path] = path.read_bytes()
        digest.update(len(rel).to_bytes(4, "little") + rel + len(data).to_bytes(8, "little") + data)
    master = _resolved(Path(encodings)) if encodings is not None and Path(encodings).is_file() else root / "main.lp"
    # the walk reads each file of the folder from what was hashed (a path found by rglob
    # under a resolved root is resolved unless it is a symbolic link: those are read again)
    for path in sorted(_engine.included_files(master, read)[0] - set(inside)):  # outside the folder
        ref = str(path).encode("utf-8")
        data = read[path] if path in read else path.read_bytes()  # the walk read it
        digest.update(len(ref).to_bytes(4, "little") + ref + len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()[:16]


def provenance(encodings: str | Path | None = None) -> dict[str, str]:
    """What a result was computed with: the versions of pyreasoner and clingo and the
    rule base's :func:`fingerprint` (in every batch record, and in ``--version``)."""
    from . import __version__

    return {"pyreasoner": __version__, "clingo": _engine.clingo_version(), "rules": fingerprint(encodings)}


class RuleBase:
    """The parsed encodings and their declarations (vocabulary, issues, provisions)."""

    def __init__(self, master: str | Path) -> None:
        self.master = _resolved(Path(master))
        if not self.master.is_file():
            raise EncodingError(str(master), None, "no such master file")
        self.program = _engine.parse_program(self.master)
        facts = _engine.ground_facts(self.program, DECLARATIONS)
        self.vocabulary = Vocabulary.from_facts(facts, str(self.master))
        self.issues = _issues(facts, str(self.master))
        self.provisions = _provisions(facts, str(self.master))
        #: name -> (value, provision id)
        self.params = {str(n): (v, str(p)) for n, v, p in facts[PARAM]}
        #: pairs of input predicates that contradict each other of the same arguments
        self.excludes = tuple(sorted((str(p), str(q)) for p, q in facts[EXCLUDES]))
        #: numeric bounds between input facts of the same entities (at_most/4, at_most_when/3)
        self.at_most = _at_most(facts, self.vocabulary, str(self.master))
        #: (R, S): an entity argument of role R names an entity the case knows in role S
        self.refers_to = _refers_to(facts, self.vocabulary, str(self.master))
        #: (earlier, later): an article of an earlier law cited, for facts of its time, where the
        #: later one is cited today (analogue/2: a Tort Law article for a Civil Code one)
        self.analogues = tuple(sorted((str(old), str(new)) for new, old in facts[ANALOGUE]))

    @property
    def files(self) -> tuple[Path, ...]:
        return self.program.files

    @functools.cached_property
    def solver_program(self) -> _engine.Program:
        """The encodings without their comments, which the AST keeps as statements (1,800 of
        the 3,892): what :meth:`pyreasoner.Reasoner.solve`, ``solve_many`` and the batch's
        workers give clingo (made once)."""
        return _engine.without_comments(self.program)


@dataclasses.dataclass(frozen=True, slots=True)
class AtMost:
    """``at_most(P, I, Q, J)``: where a case states a fact of ``P`` and a fact of ``Q`` of
    the same entities (the entity arguments of each, in order), the ``I``-th argument of
    the one is at most the ``J``-th of the other (positions 1-based, as declared);
    ``when`` holds the ``at_most_when(P, K, V)`` restrictions: the bound binds only the
    facts of ``P`` whose ``K``-th argument is ``V``."""

    lower: str
    lower_pos: int
    upper: str
    upper_pos: int
    when: tuple[tuple[int, str], ...] = ()


def _at_most(facts: DeclarationFacts, vocabulary: Vocabulary, where: str) -> tuple[AtMost, ...]:
    when: dict[str, list[tuple[int, str]]] = {}
    for p, k, v in facts[AT_MOST_WHEN]:
        pred = vocabulary.get(str(p))
        if pred is None or not isinstance(k, int) or not 1 <= k <= pred.arity or str(v) not in pred.arguments[k - 1].values:
            raise EncodingError(where, f"at_most_when({p}, {k}, {v})",
                                "expected an input predicate, one of its set-typed argument positions and a member of that set")
        when.setdefault(str(p), []).append((k, str(v)))
    out = []
    for p, i, q, j in facts[AT_MOST]:
        sides = [(vocabulary.get(str(p)), i), (vocabulary.get(str(q)), j)]
        if any(pred is None or not isinstance(k, int) or not 1 <= k <= pred.arity
               or pred.arguments[k - 1].type not in _ORDERED_TYPES for pred, k in sides):
            raise EncodingError(where, f"at_most({p}, {i}, {q}, {j})",
                                "expected two input predicates, each with the position of a number, date or amount argument")
        ents = [[a.role for a in pred.arguments if a.type == "entity"] for pred, _ in sides if pred is not None]
        if len(ents[0]) != len(ents[1]):
            raise EncodingError(where, f"at_most({p}, {i}, {q}, {j})", "expected predicates with as many entity arguments")
        out.append(AtMost(lower=str(p), lower_pos=i, upper=str(q), upper_pos=j, when=tuple(sorted(when.get(str(p), ())))))
    for p in when:
        if not any(a.lower == p for a in out):
            raise EncodingError(where, f"at_most_when({p}, ...)", f"expected an at_most({p}, ...) declaration it restricts")
    return tuple(sorted(out, key=lambda a: (a.lower, a.lower_pos, a.upper, a.upper_pos)))


def _refers_to(facts: DeclarationFacts, vocabulary: Vocabulary, where: str) -> tuple[tuple[str, str], ...]:
    roles = {a.role for p in vocabulary.values() for a in p.arguments if a.type == "entity"}
    roles |= {v for p in vocabulary.values() for a in p.arguments if a.type == "set" for v in a.values}
    out = []
    for r, s in facts[REFERS_TO]:
        if str(r) not in roles or str(s) not in roles or r == s:
            raise EncodingError(where, f"refers_to({r}, {s})", "expected two distinct roles of entity arguments")
        out.append((str(r), str(s)))
    return tuple(sorted(out))


def _issues(facts: DeclarationFacts, where: str) -> dict[str, Issue]:
    labels = {(i, v): (str(zh), str(en)) for i, v, zh, en in facts[VIEW_LABEL]}
    status = {(i, v): s for i, v, s in facts[VIEW_STATUS]}
    source = {(i, v): (str(zh), str(en)) for i, v, zh, en in facts[VIEW_SOURCE]}
    in_force = {(i, v): (str(zh), str(en)) for i, v, zh, en in facts[VIEW_IN_FORCE]}
    counter: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for i, v, prov, zh, en in facts[COUNTERPOINT]:
        counter.setdefault((i, v), []).append((str(prov), str(zh), str(en)))
    views: dict[str, list[View]] = {}
    for i, v in facts[VIEW]:
        if (i, v) not in labels or status.get((i, v)) not in VIEW_STATUSES:
            raise EncodingError(where, f"view({i}, {v})", "a view needs view_label/4 and view_status/3 (" + ", ".join(VIEW_STATUSES) + ")")
        zh, en = labels[(i, v)]
        src_zh, src_en = source.get((i, v), ("", ""))
        force_zh, force_en = in_force.get((i, v), ("", ""))
        if (i, v) in in_force and not (force_zh.strip() and force_en.strip()):
            # an empty citation would be "in force" to the encodings and off to Python
            raise EncodingError(where, f"view_in_force({i}, {v}, …)", "expected the provision in force, in Chinese "
                                "and in English (two non-empty strings)")
        against = sorted(counter.get((i, v), ()))
        views.setdefault(i, []).append(View(issue=i, id=v, label_zh=zh, label_en=en, status=status[(i, v)],
                                            source=src_en, source_zh=src_zh,
                                            counterpoints=tuple((p, t) for p, _, t in against),
                                            counterpoints_zh=tuple((p, t) for p, t, _ in against),
                                            in_force=force_en, in_force_zh=force_zh))
    issues = {}
    for i, zh, en in facts[ISSUE]:
        issues[i] = Issue(id=i, label_zh=str(zh), label_en=str(en), views=tuple(views.get(i, ())))
    return dict(sorted(issues.items()))


def _provisions(facts: DeclarationFacts, where: str) -> dict[str, Provision]:

    texts = {p: (str(zh), str(en)) for p, zh, en in facts[PROVISION_TEXT]}
    out = {}
    for pid, law_zh, law_en, art, para in facts[PROVISION]:
        zh, en = texts.get(pid, ("", ""))
        out[pid] = Provision(id=pid, law_zh=str(law_zh), law_en=str(law_en), article=str(art),
                             paragraph=str(para), text_zh=zh, text_en=en)
    return dict(sorted(out.items()))
