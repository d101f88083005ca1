"""Lint the encodings: read every ``.lp`` file with clingo's AST and report what
silently breaks a rule base, each finding with ``file:line`` and a one-line reason.

Checks (code: what it finds):

- ``syntax``: a file that does not parse;
- ``undefined``: a predicate used in a rule body that no rule, fact, ``#external``
  or case input defines (the typo that silently kills a rule), or a ``true(F)``
  that reads an input predicate the vocabulary does not declare;
- ``unused``: a predicate defined but never used in a body nor shown nor read by
  the Python layer;
- ``unused-input``: an input predicate declared in the vocabulary but never read;
- ``citation``: a rule group of a statute file without its citation block
  (``%% [id] … / …``, ``%% Reading:``, ``%% Deviation:``, then ``provision(id, …)``);
- ``view-guard``: a rule in a view file that is not guarded by ``adopt(I, V)`` of
  that file's own view; ``view-decl``: a view file missing its declarations;
  ``view-helper``: a view file reading a helper defined only in another view file;
- ``statute-view``: a statute file that refers to views (``adopt/2``, ``view/2``, …);
- ``number``: an integer literal other than 0 and 1 in a rule body (a number of
  the law belongs in a ``param(Name, Value, Provision)`` fact);
- ``not-included``: a ``.lp`` file that the master file does not include
  (``invariants/`` is exempt: ``pyreasoner verify`` reads it);
- ``ordinary-read``: ``true_ordinary(F)`` read of a fact whose burden class is not
  ``duty``: ``true_ordinary/1`` is derived for duty facts only (``prologue/facts.lp``), so
  the read would find an established fact false.

Everything is driven by the conventions of ``docs/encodings.md`` (folders,
citation blocks, ``provision/5``, ``view/2``, ``input/4``), never by today's files.

>>> from pyreasoner.lint import lint
>>> findings = lint()          # the bundled encodings
>>> all(f.code in CODES and f.line >= 1 for f in findings)
True
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeAlias

from . import _engine, citations
from .contract import (
    ADOPT,
    ALLOW_REJECTED,
    ARG,
    BURDEN,
    BURDEN_BEARER,
    COUNTERPOINT,
    DECLARATIONS,
    EXPLORE,
    FACT_PRED,
    INPUT,
    ISSUE,
    PARAM,
    PROVISION,
    RAISED,
    REQUIRES,
    REQUIRES_INPUT,
    STATUSES,
    TRUE_ORDINARY,
    VIEW,
    VIEW_IN_FORCE,
    VIEW_LABEL,
    VIEW_SOURCE,
    VIEW_STATUS,
)
from .rulebase import default_master
from .views import VIEW_STATUSES
from .vocabulary import suggest

__all__ = ["CODES", "Encodings", "Finding", "lint"]

CODES = ("syntax", "undefined", "unused", "unused-input", "citation", "view-guard", "view-decl", "view-helper",
         "statute-view", "number", "not-included", "ordinary-read", "declaration")

#: Declarations read by the Python layer, and how many of their leading arguments are the key
#: that must name one thing: a second fact with the same key and other values is used silently
#: (or not at all) by whoever reads them.
_DECLARATION_KEYS: dict[tuple[str, int], int] = {
    (VIEW_STATUS.name, VIEW_STATUS.arity): 2, (VIEW_LABEL.name, VIEW_LABEL.arity): 2,
    (VIEW_SOURCE.name, VIEW_SOURCE.arity): 2, (VIEW_IN_FORCE.name, VIEW_IN_FORCE.arity): 2,
    (PARAM.name, PARAM.arity): 1, (PROVISION.name, PROVISION.arity): 1,
    (ARG.name, ARG.arity): 2, (BURDEN.name, BURDEN.arity): 1, (INPUT.name, INPUT.arity): 1}

#: What a case contributes to the program (reasoner.py): status atoms and fact_pred/2.
CASE_INTERFACE = {*STATUSES, FACT_PRED}

#: Declarations that the Python layer reads (rulebase.py) or that the tools read.
PYTHON_READS = {*DECLARATIONS, BURDEN_BEARER}

#: The vocabulary of views (prologue/views.lp); a statute file must not use it.
VIEW_PREDICATES = {ADOPT, VIEW, VIEW_LABEL, VIEW_STATUS, VIEW_SOURCE, VIEW_IN_FORCE, COUNTERPOINT, RAISED, ISSUE}
VIEW_DECLARATIONS = {p.name for p in (VIEW, VIEW_LABEL, VIEW_STATUS, VIEW_SOURCE, VIEW_IN_FORCE, COUNTERPOINT)}

#: Integer literals allowed in rule bodies (docs/encodings.md: "0 and 1 excepted").
ALLOWED_NUMBERS = {0, 1}

#: The predicate name of a fact term as the AST prints it (``sold(P,C,G)``, ``sold``).
_FACT_NAME = re.compile(r"([a-z][A-Za-z0-9_]*)(?:\(|\Z)")
_RULE_KINDS = ("fact", "rule", "constraint", "external")


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Finding:
    """One lint finding: where, which check, and why."""

    file: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code}: {self.message}"

    def to_json(self) -> dict[str, str | int]:
        return {"file": self.file, "line": self.line, "code": self.code, "message": self.message}


def display_path(path: str | Path, root: str | Path | None = None) -> str:
    """How a file is named in reports: a file of the rule base rooted at ``root`` as
    ``<root's name>/<path inside it>`` (``encodings/statutes/ecl_38.lp``, wherever the
    encodings are installed); any other file relative to the working directory when it
    lies below it, else absolute."""
    p = Path(path)
    if root is not None:
        base = Path(root).resolve()
        try:
            return (Path(base.name) / p.resolve().relative_to(base)).as_posix()
        except ValueError:
            pass
    try:
        rel = os.path.relpath(p)
    except ValueError:  # another drive
        return str(p)
    return str(p) if rel.startswith("..") else rel


class Encodings:
    """The files of a rule base, described statement by statement.

    Parameters
    ----------
    master:
        The master file (``main.lp``) or its folder; by default the bundled encodings.
    """

    def __init__(self, master: str | Path | None = None) -> None:
        master = default_master() if master is None else Path(master)
        if master.is_dir():
            master = master / "main.lp"
        self.master = master.resolve()
        self.root = self.master.parent
        self.files = tuple(sorted(p.resolve() for p in self.root.rglob("*.lp")))
        self.included, self.missing_includes = _engine.included_files(self.master)
        self.invariant_files = tuple(p for p in self.files if self.part(p) == "invariants")
        others = [p for p in self.files if p not in self.included and p not in self.invariant_files]
        self.statements, self.errors = _engine.describe_files([self.master, *others])
        inv, inv_errors = _engine.describe_files(self.invariant_files)
        self.invariant_statements = inv
        self.errors = self.errors + inv_errors
        self.by_file: dict[str, list[_engine.StatementInfo]] = defaultdict(list)
        for s in self.statements:
            self.by_file[s.file].append(s)
        self._citations: dict[str, tuple[citations.Block, ...]] = {}
        self.groups = self._groups()

    # ------------------------------------------------------------ structure
    def rel(self, path: str | Path) -> str:
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def part(self, path: str | Path) -> str:
        """The folder of a file below the root (``statutes``, ``views``, ``invariants`` …)."""
        rel = self.rel(path)
        return rel.split("/", 1)[0] if "/" in rel else ""

    def is_statute_file(self, file: str) -> bool:
        return self.part(file) == "statutes" or any(
            s.kind == "fact" and s.heads == (PROVISION,) for s in self.by_file.get(file, ()))

    def view_of(self, file: str) -> tuple[str, str] | None:
        """The ``(issue, view)`` a view file declares, if it declares exactly one."""
        decl = [s.literals[0].args for s in self.by_file.get(file, ())
                if s.kind == "fact" and s.heads == (VIEW,)]
        return (decl[0][0], decl[0][1]) if len(decl) == 1 else None  # view/2: two arguments

    def _groups(self) -> dict[tuple[str, int], str]:
        """The rule group of every statement: ``provision:<id>`` under a citation block,
        ``view:<issue>/<view>`` in a view file, else ``file:<relative path>``."""
        out: dict[tuple[str, int], str] = {}
        for file, stms in self.by_file.items():
            view = self.view_of(file)
            blocks = self.citation_blocks(file)
            for s in stms:
                if s.kind == "comment":
                    continue
                block = citations.at(blocks, s.line)
                if view:
                    out[(file, s.line)] = f"view:{view[0]}/{view[1]}"
                elif block is not None:
                    out[(file, s.line)] = f"provision:{block.provision}"
                else:
                    out[(file, s.line)] = f"file:{self.rel(file)}"
        return out

    def citation_blocks(self, file: str) -> tuple[citations.Block, ...]:
        """The citation blocks of a file with the cited header (the ones that head a group)."""
        if file not in self._citations:
            self._citations[file] = tuple(b for b in citations.read_file(file)[0] if b.cited)
        return self._citations[file]

    # ------------------------------------------------------------ signatures
    def declared_inputs(self) -> dict[str, list[tuple[int, str, int]]]:
        """``input/4`` facts: name -> [(arity, file, line)]."""
        out: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
        for s in self.statements:
            if s.kind == "fact" and s.heads == (INPUT,):
                a = s.literals[0].args
                if a[1].lstrip("-").isdigit():
                    out[a[0]].append((int(a[1]), s.file, s.line))
        return dict(out)

    def defined(self) -> dict[tuple[str, int], tuple[str, int]]:
        """Signatures that some rule, fact or ``#external`` defines -> first place."""
        out: dict[tuple[str, int], tuple[str, int]] = {}
        for s in self.statements:
            if s.kind in _RULE_KINDS:
                for sig in s.heads:
                    out.setdefault(sig, (s.file, s.line))
        return out

    def defined_pragmas(self) -> set[tuple[str, int]]:
        return {sig for s in self.statements if s.kind == "defined" for sig in s.shows}

    def shown(self) -> set[tuple[str, int]]:
        return {sig for s in self.statements if s.kind == "show" for sig in s.shows}


# --------------------------------------------------------------------- checks
#: how a check reports a finding: file, line, code, message
_Add: TypeAlias = Callable[[str | Path, int, str, str], None]



def lint(master: str | Path | None = None) -> tuple[Finding, ...]:
    """Lint a rule base and return its findings, sorted by file, line and code.

    Parameters
    ----------
    master:
        The master file or its folder; by default the bundled encodings.
    """
    enc = Encodings(master)
    out: list[Finding] = []

    def add(file: str | Path, line: int, code: str, message: str) -> None:
        out.append(Finding(file=display_path(file, enc.root), line=line, code=code, message=message))

    for file, line, message in enc.errors:
        add(file, line or 1, "syntax", f"does not parse: {message}")
    for f, line, target in enc.missing_includes:
        add(f, line, "syntax", f'#include "{target}": no such file')
    if any(_engine.NOT_UTF8 in message for _, _, message in enc.errors):
        # a file that is not UTF-8 is not parsed (see describe_files): every other check
        # would report what its statements define as missing; fix the encoding first
        return tuple(sorted(set(out), key=lambda f: (f.file, f.line, f.code, f.message)))

    # not-included
    for p in enc.files:
        if p not in enc.included and p not in enc.invariant_files:
            add(p, 1, "not-included", f'not included by {enc.rel(enc.master)} (add #include "{enc.rel(p)}".)')

    inputs = enc.declared_inputs()
    input_sigs = {(n, a) for n, rows in inputs.items() for a, _, _ in rows}
    defined = enc.defined()
    pragmas = enc.defined_pragmas()
    shown = enc.shown()
    known = set(defined) | CASE_INTERFACE | pragmas
    names: dict[str, set[int]] = defaultdict(set)
    for n, a in known:
        names[n].add(a)

    used: set[tuple[str, int]] = set(PYTHON_READS) | shown
    read_inputs: set[tuple[str, int]] = set()
    for s in list(enc.statements) + list(enc.invariant_statements):
        for lit in s.body:
            used.add((lit.name, lit.arity))
        read_inputs.update(s.reads)

    # undefined (body predicates and inputs read through true/1)
    for s in enc.statements:
        _undefined(s, known, names, inputs, input_sigs, add)
    inv_known = set(known) | {sig for s in enc.invariant_statements if s.kind in _RULE_KINDS for sig in s.heads}
    inv_known |= {("cf_" + n, a) for n, a in known}  # the counterfactual copy (pyreasoner verify)
    inv_known |= {ALLOW_REJECTED, EXPLORE}
    for stms in _invariant_files(enc).values():
        if _requirements_met(stms, enc):
            for s in stms:
                _undefined(s, inv_known, names, inputs, input_sigs, add)

    # unused (not reported for a file the master does not include: that is its finding)
    included = {str(p) for p in enc.included}
    for sig, (file, line) in sorted(defined.items()):
        if sig not in used and sig not in CASE_INTERFACE and file in included:
            add(file, line, "unused", f"{sig[0]}/{sig[1]} is defined but never used in a body nor shown")

    # unused-input
    for name, rows in sorted(inputs.items()):
        for arity, file, line in rows:
            if (name, arity) not in read_inputs and (name, arity) not in used and file in included:
                add(file, line, "unused-input", f"input {name}/{arity} is declared but no rule reads true({name}(…))")

    # number
    for s in enc.statements:
        if s.kind in ("rule", "constraint", "show", "external", "minimize"):
            for number in sorted(set(s.numbers) - ALLOWED_NUMBERS):
                add(s.file, s.line, "number", f"numeric literal {number} in a rule body: declare param(Name, {number}, Provision) "
                    "and read it with param/3")

    # statute files: citation blocks, no views
    for file, stms in sorted(enc.by_file.items()):
        if enc.view_of(file) is None and enc.is_statute_file(file):
            _citation(file, stms, enc.citation_blocks(file), add)
        if enc.part(file) == "statutes":
            for s in stms:
                refs = sorted({(lit.name, lit.arity) for lit in s.literals} & VIEW_PREDICATES)
                if refs:
                    add(file, s.line, "statute-view", "a statute file refers to views ("
                        + ", ".join(f"{n}/{a}" for n, a in refs) + "); view-dependent rules belong in views/")

    # ordinary-read: true_ordinary/1 exists for duty facts only (prologue/facts.lp)
    burden_of = {lit.args[0]: lit.args[1] for s in enc.statements if s.kind == "fact" for lit in s.literals
                 if lit.head and (lit.name, lit.arity) == (BURDEN.name, BURDEN.arity)}
    for s in enc.statements:
        for lit in s.body:
            if (lit.name, lit.arity) == (TRUE_ORDINARY.name, TRUE_ORDINARY.arity):
                m = _FACT_NAME.match(lit.args[0])
                cls = burden_of.get(m.group(1)) if m else None
                if m and cls is not None and cls != "duty":
                    add(s.file, s.line, "ordinary-read", f"true_ordinary({lit.args[0]}) reads a fact of burden class "
                        f"{cls}: true_ordinary/1 is derived for duty facts only (prologue/facts.lp), so an "
                        f"established {m.group(1)} would read false; read true({lit.args[0]})")

    # declaration: one fact per key, and the whole rule base loads as the Python layer reads it
    first: dict[tuple[str, tuple[str, ...]], tuple[str, int, tuple[str, ...]]] = {}
    for s in enc.statements:
        if s.kind != "fact":
            continue
        for lit in s.literals:
            n_key = _DECLARATION_KEYS.get((lit.name, lit.arity)) if lit.head else None
            if n_key is None:
                continue
            key, args = (lit.name, tuple(lit.args[:n_key])), tuple(lit.args)
            seen = first.setdefault(key, (s.file, s.line, args))
            if seen[2] != args:
                add(s.file, s.line, "declaration", f"{lit.name}({', '.join(key[1])}, …) is declared again with other "
                    f"values (first at {display_path(seen[0], enc.root)}:{seen[1]}): only one can be meant")
    if not enc.errors and not enc.missing_includes:
        from .errors import EncodingError
        from .rulebase import RuleBase

        try:
            RuleBase(enc.master)
        except EncodingError as exc:
            add(exc.file or enc.master, 1, "declaration", f"the rule base does not load: "
                f"{exc.where + ': ' if exc.where else ''}{exc.message}")

    # view files
    view_files = {f for f in enc.by_file if enc.part(f) == "views"}
    defined_in: dict[tuple[str, int], set[str]] = defaultdict(set)
    for s in enc.statements:
        if s.kind in _RULE_KINDS:
            for sig in s.heads:
                defined_in[sig].add(s.file)
    for file in sorted(view_files):
        _view_file(enc, file, enc.by_file[file], defined_in, view_files, add)

    return tuple(sorted(set(out), key=lambda f: (f.file, f.line, f.code, f.message)))


def _invariant_files(enc: Encodings) -> dict[str, list[_engine.StatementInfo]]:
    out: dict[str, list[_engine.StatementInfo]] = defaultdict(list)
    for s in enc.invariant_statements:
        out[s.file].append(s)
    return out


def _requirements_met(stms: Iterable[_engine.StatementInfo], enc: Encodings) -> bool:
    """An invariant file whose ``requires(I, Provision)`` / ``requires_input(I, Name)``
    is not met is skipped (``pyreasoner verify`` reports it as skipped)."""
    provisions = {s.literals[0].args[0] for s in enc.statements if s.kind == "fact" and s.heads == (PROVISION,)}
    inputs = enc.declared_inputs()
    for s in stms:
        if s.kind != "fact":
            continue
        for lit in s.literals:
            if (lit.name, lit.arity) == REQUIRES and lit.args[1] not in provisions:
                return False
            if (lit.name, lit.arity) == REQUIRES_INPUT and lit.args[1] not in inputs:
                return False
    return True


def _undefined(s: _engine.StatementInfo, known: Collection[tuple[str, int]], names: Mapping[str, set[int]],
               inputs: Mapping[str, list[tuple[int, str, int]]], input_sigs: Collection[tuple[str, int]], add: _Add
               ) -> None:
    for lit in s.body:
        sig = (lit.name, lit.arity)
        if sig in known:
            continue
        other = sorted(names.get(lit.name, ()))
        if other:
            hint = f"; {lit.name} is defined with arity {', '.join(map(str, other))}"
        else:
            hint = suggest(lit.name, {n for n, _ in known})
        add(s.file, s.line, "undefined", f"{lit.name}/{lit.arity} is used in a body but nothing defines it{hint}")
    for name, arity in s.reads:
        if (name, arity) in input_sigs:
            continue
        if name in inputs:
            hint = f"; input {name} has arity {', '.join(str(a) for a, _, _ in inputs[name])}"
        else:
            hint = suggest(name, inputs)
        add(s.file, s.line, "undefined", f"reads true({name}/{arity}) but no input/4 declares {name}/{arity}{hint}")


def _citation(file: str, stms: Iterable[_engine.StatementInfo], blocks: Sequence[citations.Block], add: _Add) -> None:
    """A statute file's citation blocks: each has its Reading and Deviation lines and
    declares its own provision; every rule is under one, and every provision fact under
    its own."""
    declared: set[int] = set()  # the header lines of the blocks that declare their provision
    for s in stms:
        if s.kind not in _RULE_KINDS:
            continue
        block = citations.at(blocks, s.line)
        if s.kind == "fact" and s.heads == (PROVISION,):
            pid = s.literals[0].args[0]
            if block is None:
                add(file, s.line, "citation", f"provision({pid}, …) declared without a citation block "
                    f"('%% [{pid}] 法 第…条第…款 / Law Art. …')")
            elif pid != block.provision:
                add(file, s.line, "citation",
                    f"provision({pid}, …) declared under the citation block of [{block.provision}]")
            else:
                declared.add(block.line)
            continue
        if block is None:
            add(file, s.line, "citation", "rule outside any citation block: start its group with "
                "'%% [id] 法 第…条 / Law Art. …', '%% Reading:', '%% Deviation:' and provision(id, …)")
    for block in blocks:
        for key in ("Reading:", "Deviation:"):
            if key not in block.text:
                add(file, block.line, "citation", f"citation block [{block.provision}] lacks its '%% {key}' line")
        if block.line not in declared:
            add(file, block.line, "citation", f"citation block [{block.provision}] declares no provision("
                f"{block.provision}, …) fact")


def _view_file(enc: Encodings, file: str, stms: Sequence[_engine.StatementInfo],
               defined_in: Mapping[tuple[str, int], set[str]], view_files: set[str], add: _Add) -> None:
    views = [s for s in stms if s.kind == "fact" and s.heads == (VIEW,)]
    is_issue_file = any(s.kind == "fact" and s.heads == (ISSUE,) for s in stms)
    if not views:
        if not is_issue_file:
            add(file, 1, "view-decl", "a file under views/ declares neither an issue (issue/3) nor a view (view/2)")
        return
    if len(views) > 1:
        add(file, views[1].line, "view-decl", "a view file declares exactly one view (one file per view)")
        return
    issue, view = views[0].literals[0].args
    for name, arity in (VIEW_LABEL, VIEW_STATUS, VIEW_SOURCE):
        rows = [s for s in stms if s.kind == "fact" and s.heads == ((name, arity),)
                and s.literals[0].args[:2] == (issue, view)]
        if not rows:
            add(file, views[0].line, "view-decl", f"view {issue}/{view} has no {name}({issue}, {view}, …) declaration")
        elif name == VIEW_STATUS.name and rows[0].literals[0].args[2] not in VIEW_STATUSES:
            add(file, rows[0].line, "view-decl", f"view_status must be one of {', '.join(VIEW_STATUSES)}, "
                f"got {rows[0].literals[0].args[2]}")
    own_heads = {sig for s in stms if s.kind in _RULE_KINDS for sig in s.heads}
    for s in stms:
        if s.kind not in _RULE_KINDS:
            continue
        heads = {n for n, _ in s.heads}
        if s.kind == "fact" and heads <= VIEW_DECLARATIONS:
            if s.literals[0].args[:2] != (issue, view):
                add(file, s.line, "view-decl", f"declares {s.literals[0].name} for {'/'.join(s.literals[0].args[:2])} "
                    f"in the file of view {issue}/{view}")
            continue
        guarded = any((lit.name, lit.arity) == ADOPT and lit.sign == 0 and lit.args == (issue, view)
                      for lit in s.body)
        if not guarded:
            add(file, s.line, "view-guard", f"rule not guarded by adopt({issue}, {view}) in its body")
        for lit in s.body:
            sig = (lit.name, lit.arity)
            where = defined_in.get(sig, set())
            if sig in own_heads or not where:
                continue
            if where <= view_files and file not in where:
                others = ", ".join(sorted(enc.rel(w) for w in where))
                add(file, s.line, "view-helper", f"reads {sig[0]}/{sig[1]}, defined only in another view file ({others}); "
                    "move the helper to the statute file it belongs to")


def format_findings(findings: Iterable[Finding]) -> str:
    return "\n".join(str(f) for f in findings)
