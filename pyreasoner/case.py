"""Cases: established facts about parties, goods, conduct, dates and amounts.

Size (over ~500 lines, #15): one concept, the case format, whose readers (YAML, JSON,
``.lp``) share one validation and one error vocabulary; split, each reader would need the
validator's internals.

A case file is YAML or JSON with ``id``, ``title``, ``source``, ``facts`` grouped
by status (``established`` / ``refuted`` / ``unknown``) and optional ``expect``
entries; or a ``.lp`` file holding only facts (a plain atom is established,
``refuted(A).`` and ``unknown(A).`` give the other statuses). Every fact is
checked against the vocabulary before anything is grounded; every problem is a
one-line :class:`~pyreasoner.errors.CaseError` naming the file and the line or key.

A fact is written ``"sold(m, g, c)"`` or ``{sold: [m, g, c]}`` (for one argument,
``{unsafe: g}`` too).

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import case_from_data
>>> doc = {"id": "demo", "facts": {"established": ["party(p, platform)"]}}
>>> case_from_data(doc, Reasoner().vocabulary, file="<doc>").facts[0].atom
'party(p,platform)'
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from . import contract, terms
from .errors import CaseError
from .expect import Expectation, expectation_from_data
from .vocabulary import Vocabulary, is_count_term, suggest

__all__ = ["CASE_SUFFIXES", "STATUSES", "Case", "Fact", "case_from_data", "find_case_files",
           "load_case", "load_cases"]

#: The statuses of a case fact: the keys of ``facts`` and the predicates the solver gets.
STATUSES = tuple(p.name for p in contract.STATUSES)
CASE_SUFFIXES = (".yaml", ".yml", ".json", ".lp")
#: Suffixes read as JSON Lines: one case document per line (what ``pyreasoner generate`` writes
#: and ``pyreasoner batch`` reads); :func:`load_cases` reads them too, a case per line.
JSONL_SUFFIXES = (".jsonl", ".ndjson")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\Z")
_TOP_KEYS = ("id", "title", "source", "notes", "facts", "expect")


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Fact:
    """One fact of a case with its status."""

    predicate: str
    args: tuple[terms.Raw, ...]
    status: str

    @property
    def term(self) -> terms.Raw:
        return (self.predicate, self.args) if self.args else self.predicate

    @property
    def atom(self) -> str:
        """The canonical text of the fact, e.g. ``sold(m,g,c)``."""
        return terms.show(self.term)


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Case:
    """A case: its identity, its facts and (for the test corpus) its expectations."""

    id: str
    facts: tuple[Fact, ...]
    title: str = ""
    source: str = ""
    notes: str = ""
    expect: tuple[Expectation, ...] = ()
    path: str | None = None

    def facts_with(self, status: str) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.status == status)

    def _repr_html_(self) -> str:
        """A table in Jupyter: the case's facts by status."""
        import html

        head = f"<p><b>case {html.escape(self.id)}</b>" + (f": {html.escape(self.title)}" if self.title else "") + "</p>"
        rows = "".join(f"<tr><td>{s}</td><td>{html.escape(f.atom)}</td></tr>" for s in STATUSES
                       for f in self.facts_with(s))
        return head + f"<table><thead><tr><th>status</th><th>fact</th></tr></thead><tbody>{rows}</tbody></table>"


# --------------------------------------------------------------------- parsing
def _fail(file: str, where: str | None, message: str, lines: Mapping[str, int] | None = None,
          key: str | None = None) -> CaseError:
    if key is not None:
        line = (lines or {}).get(key)
        where = f"line {line}: {key}" if line else key
    return CaseError(file, where, message)


#: The largest case file read, in bytes (a larger one is refused before it is read).
MAX_CASE_BYTES = 64 * 2 ** 20
#: The most YAML nodes aliases may add to a case document, each alias counted at every use
#: as the nodes it stands for (a "billion laughs" document is refused in time and memory
#: linear in its own size).
MAX_ALIAS_NODES = 100_000

_YAMLBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlLoader(_YAMLBase):  # type: ignore[misc]  # the base is chosen at import (CSafeLoader if built), so Any
    """The safe loader (libyaml's when installed) with impossible dates refused at their line."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> datetime.date | datetime.datetime:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        raise yaml.constructor.ConstructorError(None, None, f"impossible date {node.value!r}; expected a real "
                                                "calendar date (YYYY-MM-DD)", node.start_mark) from None


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

# The scalars of YAML 1.2's core schema, not YAML 1.1's (PyYAML's): in YAML 1.1 `030` is 24
# (octal), `30:00` is 1800 (base 60), `0x1E`, `0b11` and `1_0` are numbers and `yes`, `on`
# are booleans, so a number in a mapping fact (`{causal_weight: [p, 030]}`) meant something
# else than the same text in an atom (`causal_weight(p, 030)`, 30). Here an integer is
# decimal digits (leading zeros allowed, read as decimal), a float is plain, a boolean is
# true or false; any other scalar is a string, which the vocabulary refuses where it wants a
# number, naming the key.
_INT, _FLOAT, _BOOL = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"
_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT, _BOOL)]
    for first, resolvers in _YAMLBase.yaml_implicit_resolvers.items()}
_YamlLoader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_YamlLoader.add_implicit_resolver(
    _FLOAT, re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
                       r"|\.(?:nan|NaN|NAN))$"), list("-+0123456789."))
_YamlLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _decimal_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if not re.fullmatch(r"[-+]?[0-9]+", text):  # an explicit !!int tag on another form
        raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not a decimal integer", node.start_mark)
    return int(text)


def _core_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    text = loader.construct_scalar(node)
    if text.lower() not in ("true", "false"):  # an explicit !!bool tag on yes/no/on/off
        raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not true or false", node.start_mark)
    return text.lower() == "true"


_YamlLoader.add_constructor(_INT, _decimal_int)
_YamlLoader.add_constructor(_BOOL, _core_bool)


def _yaml_lines(root: yaml.Node | None, file: str) -> dict[str, int]:
    """Map key paths (``facts.established[2]``) to their line, reject duplicate keys, and
    refuse a document whose aliases add more than :data:`MAX_ALIAS_NODES` nodes."""
    lines: dict[str, int] = {}
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:  # nodes of the expanded tree, each distinct node counted once
        known = sizes.get(id(node))
        if known is None:
            sizes[id(node)] = 0  # a node that holds itself (``&a [*a]``) adds nothing more here
            children = (node.value if isinstance(node, yaml.SequenceNode) else
                        [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else [])
            known = sizes[id(node)] = 1 + sum(size(c) for c in children)
        return known

    if root is not None:
        expanded = size(root)
        if expanded - len(sizes) > MAX_ALIAS_NODES:
            raise CaseError(file, None, f"YAML aliases expand the document by {expanded - len(sizes):,} nodes; "
                            f"expected at most {MAX_ALIAS_NODES:,}")

    def walk(node: yaml.Node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for k, v in node.value:
                key = str(k.value)
                sub = f"{path}.{key}" if path else key
                if key in seen:
                    raise CaseError(file, f"line {k.start_mark.line + 1}: {sub}", "duplicate key")
                seen.add(key)
                lines[sub] = k.start_mark.line + 1
                walk(v, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                sub = f"{path}[{i}]"
                lines[sub] = v.start_mark.line + 1
                walk(v, sub)

    if root is not None:
        walk(root, "")
    return lines


def _load_yaml(text: str, file: str, where: str | None = None) -> tuple[Any, dict[str, int]]:
    """Parse YAML once: the node tree (for lines, duplicate keys and the expansion bound),
    then the document built from it. Every problem is a CaseError (``where`` prefixes it)."""
    def at(mark: yaml.Mark | None) -> str | None:
        line = f"line {mark.line + 1}" if mark is not None else None
        return ": ".join(p for p in (where, line) if p) or None

    loader = _YamlLoader(text)
    try:
        root = loader.get_single_node()
        try:
            lines = _yaml_lines(root, file)
        except CaseError as exc:
            if where is None:
                raise
            raise CaseError(file, ": ".join(p for p in (where, exc.where) if p), exc.message) from None
        return (loader.construct_document(root) if root is not None else None), lines
    except yaml.constructor.ConstructorError as exc:
        problem = " ".join(str(exc.problem or exc.context or "cannot build a value").split())
        raise CaseError(file, at(exc.problem_mark or exc.context_mark), f"YAML error: {problem}") from None
    except yaml.MarkedYAMLError as exc:
        problem = " ".join(str(exc.problem or exc.context or "syntax error").split())
        raise CaseError(file, at(exc.problem_mark or exc.context_mark), f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise CaseError(file, where, f"YAML error: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise CaseError(file, where, "YAML nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor's own complaint (a bad !!binary, ...)
        raise CaseError(file, where, f"YAML error: cannot build a value: {' '.join(str(exc).split())}") from None
    finally:
        loader.dispose()


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    out = {}  # some key is there twice: which is the first
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def load_json(text: str, file: str, where: str | None = None) -> Any:
    """Parse one JSON document; a duplicate key, a syntax error, a number too long or a
    nesting too deep is a CaseError (``where`` prefixes its position)."""
    def at(extra: str | None) -> str | None:
        return ": ".join(p for p in (where, extra) if p) or None

    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as exc:
        raise CaseError(file, at(f"key {exc.key!r}"), "duplicate key in a JSON object") from None
    except json.JSONDecodeError as exc:
        pos = f"line {exc.lineno}, column {exc.colno}" if where is None else f"column {exc.colno}"
        raise CaseError(file, at(pos), f"JSON syntax error: {exc.msg}") from None
    except RecursionError:
        raise CaseError(file, where, "JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        if "integer string conversion" in str(exc):
            raise CaseError(file, where, "JSON error: a number with thousands of digits; expected a case's numbers "
                            "below 2^31") from None
        raise CaseError(file, where, f"JSON error: {' '.join(str(exc).split())}") from None


def read_case_text(path: Path) -> str:
    """The text of a case file: a regular file (not a FIFO, device or folder: reading one
    could block or never end) of at most :data:`MAX_CASE_BYTES`, UTF-8 (a byte-order mark is
    dropped), not empty."""
    file = str(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise CaseError(file, None, "not a regular file (a folder, FIFO, socket or device); expected a case file")
        if st.st_size > MAX_CASE_BYTES:
            raise CaseError(file, None, f"{st.st_size:,} bytes; expected a case file of at most {MAX_CASE_BYTES:,}")
        with path.open("rb") as fh:
            data = fh.read(MAX_CASE_BYTES + 1)
    except OSError as exc:
        raise CaseError(file, None, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_CASE_BYTES:
        raise CaseError(file, None, f"more than {MAX_CASE_BYTES:,} bytes; expected a smaller case file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseError(file, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CaseError(file, None, "the file is empty; expected a case")
    return text


def _read_document(path: Path) -> tuple[Any, dict[str, int]]:
    file = str(path)
    text = read_case_text(path)
    if path.suffix == ".json":
        return load_json(text, file), {}
    return _load_yaml(text, file)


_READ_MEMO_MAX = 1 << 16


def _fact_from_item(item: Any, vocab: Vocabulary) -> tuple[str, tuple[terms.Raw, ...]]:
    """Read one fact item (string or one-key mapping); raise ValueError with a reason."""
    if isinstance(item, str):
        term = terms.parse(item)
        args: tuple[Any, ...]
        if isinstance(term, str):
            name, args = term, ()
        elif isinstance(term, tuple) and term[0]:
            name, args = term
            for a in args:
                # a pair of numbers is the split form of a count (as results print it): the
                # vocabulary checks it; any other compound term is refused here
                if isinstance(a, tuple) and not is_count_term(a):
                    raise ValueError(f"argument {terms.show(a)} of '{name}' is a compound term; expected a constant, number or string")
        else:
            raise ValueError(f"expected an atom such as 'sold(m, g, c)', got {item!r}")
        return name, vocab.check(name, args)
    if isinstance(item, dict):
        if len(item) != 1:
            raise ValueError(f"a fact mapping has exactly one key (the predicate), got {len(item)}")
        (name, value), = item.items()
        if not isinstance(name, str):
            raise ValueError(f"a predicate name must be text, got {name!r}")
        if isinstance(value, list):
            args = tuple(value)
        elif value is None:
            args = ()
        else:
            args = (value,)
        return name, vocab.check(name, args)
    raise ValueError(f"a fact is a string like 'sold(m, g, c)' or a mapping like {{sold: [m, g, c]}}, got {_kind(item)}")


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a mapping",
            str: "text"}.get(type(value), type(value).__name__)


def case_from_data(doc: Any, vocab: Vocabulary, *, file: str, lines: Mapping[str, int] | None = None,
                   default_id: str | None = None) -> Case:
    """Validate a case document (already parsed from YAML/JSON) and build a :class:`Case`."""
    if not isinstance(doc, dict):
        raise CaseError(file, None, f"a case is a mapping with keys id, title, source, facts, expect; got {_kind(doc)}")
    for key in doc:
        if key not in _TOP_KEYS:
            raise _fail(file, None, f"unknown key {key!r}{suggest(key, _TOP_KEYS)}; expected one of {', '.join(_TOP_KEYS)}",
                        lines, key=str(key))
    case_id = doc.get("id", default_id)
    if not isinstance(case_id, str) or not _ID.match(case_id):
        raise _fail(file, None, f"'id' must be text of letters, digits, '_', '.', '-' (got {case_id!r})", lines, key="id")
    strings = {}
    for key in ("title", "source", "notes"):
        value = doc.get(key, "")
        if not isinstance(value, str):
            raise _fail(file, None, f"'{key}' must be text, got {_kind(value)}", lines, key=key)
        strings[key] = value
    facts_doc = doc.get("facts")
    if not isinstance(facts_doc, dict):
        raise _fail(file, None, f"'facts' must be a mapping with keys {', '.join(STATUSES)}; got {_kind(facts_doc)}",
                    lines, key="facts")
    facts: list[Fact] = []
    idents: list[tuple[str, tuple[terms.Raw, ...]]] = []
    seen: dict[tuple[str, tuple[terms.Raw, ...]], str] = {}
    memo = vocab.fact_memo
    for status, items in facts_doc.items():
        key = f"facts.{status}"
        if status not in STATUSES:
            raise _fail(file, None, f"unknown status {status!r}{suggest(status, STATUSES)}; expected one of {', '.join(STATUSES)}",
                        lines, key=key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise _fail(file, None, f"expected a list of facts, got {_kind(items)}", lines, key=key)
        for i, item in enumerate(items):
            # a fact text is read once per status (a corpus repeats its facts case after case)
            known: tuple[tuple[str, tuple[terms.Raw, ...]], Fact] | None = (
                memo.get((item, status)) if type(item) is str else None)
            if known is None:
                try:
                    ident = _fact_from_item(item, vocab)
                except ValueError as exc:
                    raise _fail(file, None, str(exc), lines, key=f"{key}[{i}]") from None
                fact = Fact(predicate=ident[0], args=ident[1], status=status)
                if type(item) is str:
                    if len(memo) >= _READ_MEMO_MAX:
                        memo.clear()
                    memo[item, status] = (ident, fact)
            else:
                ident, fact = known
            other = seen.setdefault(ident, status)
            if len(seen) == len(facts):  # not added: the fact was there before
                name, args = ident
                what = "listed twice" if other == status else f"both {other} and {status}"
                raise _fail(file, None, f"the fact {terms.show((name, args) if args else name)} is {what}", lines,
                            key=f"{key}[{i}]")
            facts.append(fact)
            idents.append(ident)
    conflict = vocab.case_conflict(idents)
    if conflict is not None:  # again, with each fact's key for the message
        keys = [f"facts.{status}[{i}]" for status, items in facts_doc.items() if items for i in range(len(items))]
        conflict = vocab.case_conflict(idents, keys)
        assert conflict is not None
        raise _fail(file, None, conflict[1], lines, key=keys[conflict[0]])
    expect_doc = doc.get("expect", [])
    if not isinstance(expect_doc, list):
        raise _fail(file, None, f"'expect' must be a list, got {_kind(expect_doc)}", lines, key="expect")
    expectations = []
    for i, entry in enumerate(expect_doc):
        try:
            expectations.append(expectation_from_data(entry))
        except ValueError as exc:
            raise _fail(file, None, str(exc), lines, key=f"expect[{i}]") from None
    return Case(id=case_id, facts=tuple(facts), expect=tuple(expectations), path=file, **strings)


def _case_from_lp(path: Path, vocab: Vocabulary) -> Case:
    """A ``.lp`` case: facts only, read by a term parser (never handed to clingo as text)."""
    file = str(path)
    text = read_case_text(path)
    facts: list[Fact] = []
    lp_lines: list[str] = []
    seen: dict[tuple[str, tuple[terms.Raw, ...]], str] = {}
    for lineno, stmt in _lp_statements(text, file):
        where = f"line {lineno}"
        if stmt.startswith(("#", ":~")) or ":-" in stmt:
            raise CaseError(file, where, "a .lp case holds facts only; rules, constraints and directives (#...) are not allowed")
        try:
            term = terms.parse(stmt)
        except ValueError as exc:
            raise CaseError(file, where, f"expected a fact: {exc}") from None
        status = contract.ESTABLISHED.name
        args: tuple[terms.Raw, ...]
        if isinstance(term, tuple) and term[0] in STATUSES and len(term[1]) == 1:
            status, term = term[0], term[1][0]
        try:
            if isinstance(term, str):
                name, args = term, ()
            elif isinstance(term, tuple) and term[0]:
                name, args = term
            else:
                raise ValueError(f"expected an atom, got {stmt!r}")
            args = vocab.check(name, args)
        except ValueError as exc:
            raise CaseError(file, where, str(exc)) from None
        ident = (name, args)
        if ident in seen:
            other = seen[ident]
            what = "listed twice" if other == status else f"both {other} and {status}"
            raise CaseError(file, where, f"the fact {terms.show((name, args) if args else name)} is {what}")
        seen[ident] = status
        facts.append(Fact(predicate=name, args=args, status=status))
        lp_lines.append(f"line {lineno}")
    if not facts:
        raise CaseError(file, None, "no facts; expected a .lp case to state at least one fact")
    conflict = vocab.case_conflict([(f.predicate, f.args) for f in facts], lp_lines)
    if conflict is not None:
        raise CaseError(file, lp_lines[conflict[0]], conflict[1])
    if not facts:
        raise CaseError(file, None, "no facts; expected a .lp case to state at least one fact")
    meta = _lp_metadata(text, file)
    expectations = []
    for i, entry in enumerate(meta.get("expect", []) or []):
        try:
            expectations.append(expectation_from_data(entry))
        except ValueError as exc:
            raise CaseError(file, f"%! expect[{i}]", str(exc)) from None
    case_id = meta.get("id", path.stem)
    if not isinstance(case_id, str) or not _ID.match(case_id):
        raise CaseError(file, "%! id", f"'id' must be text of letters, digits, '_', '.', '-' (got {case_id!r})")
    strings = {}
    for key in ("title", "source", "notes"):
        if not isinstance(meta.get(key, ""), str):
            raise CaseError(file, f"%! {key}", f"'{key}' must be text")
        strings[key] = meta.get(key, "")
    return Case(id=case_id, facts=tuple(facts), expect=tuple(expectations), path=file, **strings)


def _lp_metadata(text: str, file: str) -> dict[str, Any]:

    """Metadata of a .lp case: lines starting with ``%!`` hold YAML (id, title, source,
    notes, expect). Plain clingo reads them as comments."""
    lines = [ln.strip()[2:] for ln in text.splitlines() if ln.strip().startswith("%!")]
    if not lines:
        return {}
    indent = min((len(ln) - len(ln.lstrip(" ")) for ln in lines if ln.strip()), default=0)
    meta, _ = _load_yaml("\n".join(ln[indent:] for ln in lines), file, "%! metadata")
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise CaseError(file, "%! metadata", "expected a mapping of id, title, source, notes, expect")
    allowed = ("id", "title", "source", "notes", "expect")
    for key in meta:
        if key not in allowed:
            raise CaseError(file, f"%! {key}", f"unknown key {key!r}{suggest(str(key), allowed)}; expected one of {', '.join(allowed)}")
    if not isinstance(meta.get("expect", []), (list, type(None))):
        raise CaseError(file, "%! expect", "'expect' must be a list")
    return meta


def _lp_statements(text: str, file: str) -> Iterator[tuple[int, str]]:
    """Split .lp text into statements ending in '.', dropping % comments; keep line numbers."""
    buf: list[str] = []
    start = None
    in_str = False
    line = 1
    i = 0
    while i < len(text):
        ch = text[i]
        if in_str:
            buf.append(ch)
            if ch == "\\" and i + 1 < len(text):
                buf.append(text[i + 1])
                i += 1
            elif ch == '"':
                in_str = False
            elif ch == "\n":
                raise CaseError(file, f"line {line}", "a string runs past the end of the line")
        elif ch == "%":
            if text.startswith("%*", i):
                end = text.find("*%", i + 2)
                if end < 0:
                    raise CaseError(file, f"line {line}", "unterminated block comment")
                line += text.count("\n", i, end)
                i = end + 2
                continue
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        elif ch == '"':
            in_str = True
            buf.append(ch)
        elif ch == "." and not (i + 1 < len(text) and text[i + 1] == "."):
            stmt = "".join(buf).strip()
            if not stmt:
                raise CaseError(file, f"line {line}", "empty statement")
            yield (start or line), stmt
            buf, start = [], None
        else:
            if start is None and not ch.isspace():
                start = line
            buf.append(ch)
        if ch == "\n":
            line += 1
        i += 1
    if "".join(buf).strip():
        raise CaseError(file, f"line {start or line}", "the last statement does not end with '.'")


def load_case(path: str | Path, vocab: Vocabulary) -> Case:
    """Load and validate one case file (YAML, JSON or .lp)."""
    path = Path(path)
    if path.is_dir():
        raise CaseError(str(path), None, f"is a folder; expected one case file ({', '.join(CASE_SUFFIXES)})")
    if path.suffix not in CASE_SUFFIXES:
        raise CaseError(str(path), None, f"unknown case file type '{path.suffix}'; expected one of {', '.join(CASE_SUFFIXES)}")
    if path.suffix == ".lp":
        return _case_from_lp(path, vocab)
    doc, lines = _read_document(path)
    return case_from_data(doc, vocab, file=str(path), lines=lines, default_id=None)


def find_case_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into case files, sorted within each folder."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            # not only regular files: a FIFO or a broken link with a case suffix is reported by load_case
            found = sorted(f for f in p.rglob("*") if f.suffix in CASE_SUFFIXES and not f.is_dir())
            if not found:
                raise CaseError(str(p), None, f"no case files ({', '.join(CASE_SUFFIXES)}) in this folder")
            out.extend(found)
        elif p.exists():
            out.append(p)  # a JSON Lines file too (load_cases reads it a case per line)
        else:
            raise CaseError(str(p), None, "no such file or folder")
    return out


def load_cases(paths: Iterable[str | Path], vocab: Vocabulary) -> Iterator[Case | CaseError]:
    """Load every case under ``paths``; yield a :class:`CaseError` (not raise) for a bad
    one so that one bad file never stops the rest. A duplicate id is an error on the
    second file (or line) that uses it. A JSON Lines file given by name (``.jsonl``,
    ``.ndjson``: what ``pyreasoner generate`` writes) holds a case per line, each read as the
    batch reads it and named by its line; a folder's walk reads case files only, as ever."""
    ids: dict[str, str] = {}
    for path in find_case_files(paths):
        for where, case in _cases_in(path, vocab):
            if isinstance(case, CaseError):
                yield case
                continue
            if case.id in ids:
                yield CaseError(str(path), ": ".join(p for p in (where, "id") if p),
                                f"duplicate case id {case.id!r} (first used in {ids[case.id]})")
                continue
            ids[case.id] = str(path) + (f", {where}" if where else "")
            yield case


def case_from_json_line(text: str, vocab: Vocabulary, *, file: str, line: int | str) -> Case:
    """The case of one line of a JSON Lines file (as the batch and :func:`load_cases` read
    it): every error names the file and the line (``line N: column C``, ``line N: facts…``)."""
    where = f"line {line}"
    doc = load_json(text, file, where)
    try:
        return case_from_data(doc, vocab, file=file)
    except CaseError as exc:
        raise CaseError(file, f"{where}: {exc.where}" if exc.where else where, exc.message) from None


def decode_line(raw: bytes) -> str:
    """One line of a JSON Lines file as text, as every reader of such files reads it (``solve``,
    ``check``, ``test`` and the batch): UTF-8, at most :data:`MAX_CASE_BYTES` bytes; raises
    ``ValueError`` with what is wrong and what was expected."""
    if len(raw) > MAX_CASE_BYTES:
        raise ValueError(f"more than {MAX_CASE_BYTES:,} bytes; expected a smaller case document")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason} at byte {exc.start}); expected a UTF-8 encoded line") from None


def _cases_in(path: Path, vocab: Vocabulary) -> Iterator[tuple[str | None, Case | CaseError]]:
    """``(line or None, case or its error)`` of one case file, or of each non-blank line of a
    JSON Lines file."""
    if path.suffix not in JSONL_SUFFIXES:
        try:
            yield None, load_case(path, vocab)
        except CaseError as exc:
            yield None, exc
        return
    file = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield None, CaseError(file, None, f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        try:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                where = f"line {lineno}"
                try:
                    text = decode_line(raw)
                except ValueError as exc:
                    yield where, CaseError(file, where, str(exc))
                    continue
                try:
                    yield where, case_from_json_line(text.removeprefix("\ufeff") if lineno == 1 else text, vocab,
                                                     file=file, line=lineno)
                except CaseError as exc:
                    yield where, exc
        except OSError as exc:
            yield None, CaseError(file, None, f"cannot read: {exc.strerror or exc}")
