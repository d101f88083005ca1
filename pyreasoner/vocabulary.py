"""The input vocabulary: every predicate a case may state, declared once in the encodings.

The declaration lives in ``encodings/vocabulary/*.lp`` as facts (``input/4``,
``arg/4``, ``burden/2``, ``value_set/3``, ``value/2``). The rule base grounds
those files with clingo and hands the facts to :meth:`Vocabulary.from_facts`;
nothing here parses comments.

>>> from pyreasoner import Reasoner
>>> vocab = Reasoner().vocabulary
>>> vocab["sold"].arity
3
>>> vocab.check("sold", ("m", "g", "c"))
('m', 'g', 'c')
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeGuard

from .contract import ARG, BURDEN, INPUT, VALUE, VALUE_SET
from .terms import Text

if TYPE_CHECKING:
    from .terms import Raw

__all__ = [
    "COUNT_BASE",
    "COUNT_LIMIT",
    "Argument",
    "Predicate",
    "Vocabulary",
    "count_term",
    "count_value",
    "is_date",
    "shift_date",
    "suggest",
]

IDENT = re.compile(r"[a-z][A-Za-z0-9_]*\Z")
#: Entity slots (argument roles) that name a party of that very role (``party/2``).
_PARTY_SLOTS = ("platform", "merchant", "consumer", "regulator", "person")
#: Entity slots that name some party, of whatever role.
_ANY_PARTY = ("provider", "defendant", "unit", "party")
#: Other roles a party slot accepts: the direct infringer of knew/2 and red_flag/2 is a
#: merchant under ECL 38(1) and a network user (网络用户) under the notice-and-takedown rules
#: (Tort Law Art. 36(3), CC Art. 1197, ECL Art. 45), which read the same two facts.
_ALSO_ACCEPTS = {"merchant": frozenset({"user"})}
#: Entity slots that name a thing, never a party.
THING_ROLES = _THING_SLOTS = ("goods", "order")
#: A name as courts write it (淘宝, 天猫, 京东商城): a non-ASCII letter, then letters, digits,
#: ``_``, ``-``, ``·``. Such an entity becomes a clingo string (``"淘宝"``): quoted in the
#: output, as given.
NAME = re.compile(r"(?![A-Za-z])[^\W\d_][\w\-·]*\Z")
TYPES = ("entity", "integer", "date", "yuan", "string", "count", "amount")

#: A ``count`` (number of things) or ``amount`` (whole yuan) may exceed clingo's 32-bit
#: integers, so it reaches the program as the pair ``(H, L)`` with N = H * COUNT_BASE + L
#: and 0 <= L < COUNT_BASE: pairs compare in clingo exactly as the numbers do (tuples
#: compare lexicographically). The encodings declare the same base (``count_base/1`` in
#: vocabulary/core.lp; a test keeps the two equal) and compare thresholds in that form.
COUNT_BASE = 10 ** 9
#: Counts and amounts are exact below this bound (H stays a 32-bit integer).
COUNT_LIMIT = 10 ** 18

#: The largest multiple the encodings apply to a ``yuan`` amount (FSL Art. 148(2): ten
#: times the price; a test checks every ``*_multiple`` parameter against it). clingo's
#: integers are 32-bit and its arithmetic wraps without a word (ten times 300,000,000
#: comes out as -1,294,967,296), so an amount, and the sum of the amounts of one
#: predicate over the same entities (the losses of one claimant on one item, which the
#: rules add up), must stay below YUAN_LIMIT for every product to be exact.
YUAN_MULTIPLE_MAX = 10
YUAN_LIMIT = (2 ** 31 - 1) // YUAN_MULTIPLE_MAX + 1
#: An ``integer`` (a causal weight, a number of days or months) stays below this bound: the
#: Civil Code Art. 1172 shares (statutes/cc_1172.lp) add a weight times the platform's
#: percentage (at most 100 + 50 + 20 + 20 = 190) to a weight times 100, at most 290 times
#: the bound, which stays below 2^31.
INTEGER_LIMIT = 4_000_000


#: the split form ``(H, L)`` of a count or an amount, a tuple compound
CountTerm: TypeAlias = "tuple[str, tuple[int, int]]"
#: the ground declaration facts the rule base hands over, by signature; each row's
#: values are read (and checked where they come from a user's encodings) below
DeclarationFacts: TypeAlias = "Mapping[tuple[str, int], Sequence[tuple[Any, ...]]]"


def count_term(value: int) -> CountTerm:
    """The split form of a count: ``(H, L)`` as a term (a tuple compound)."""
    return ("", (value // COUNT_BASE, value % COUNT_BASE))


def is_count_term(term: object) -> TypeGuard[CountTerm]:
    """Whether ``term`` has the shape of a split form ``(H, L)`` (two integers); the
    vocabulary checks the ranges where the argument is a count or an amount."""
    return (isinstance(term, tuple) and len(term) == 2 and term[0] == "" and isinstance(term[1], tuple)
            and len(term[1]) == 2 and all(type(v) is int for v in term[1]))


def count_value(term: CountTerm) -> int:
    """The number a split form stands for (the inverse of :func:`count_term`)."""
    high, low = term[1]
    return high * COUNT_BASE + low
BURDENS = ("claimant", "defendant", "duty")


def is_date(value: Any) -> bool:
    """Whether ``value`` is a valid calendar date written as the integer YYYYMMDD."""
    if isinstance(value, bool) or not isinstance(value, int) or not 10000101 <= value <= 99991231:
        return False
    try:
        datetime.date(value // 10000, value // 100 % 100, value % 100)
    except ValueError:
        return False
    return True


def shift_date(value: int, days: int) -> int:
    """The YYYYMMDD date ``days`` days after ``value`` (before, if negative)."""
    d = datetime.date(value // 10000, value // 100 % 100, value % 100) + datetime.timedelta(days=days)
    return d.year * 10000 + d.month * 100 + d.day


def suggest(word: object, choices: Iterable[str]) -> str:
    """A did-you-mean suffix, or an empty string."""
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Argument:
    """One argument of an input predicate."""

    position: int
    role: str
    type: str
    #: For a ``set(S)`` type: the name of the value set and its members.
    value_set: str | None = None
    values: tuple[str, ...] = ()

    @property
    def type_label(self) -> str:
        return f"one of {{{', '.join(self.values)}}}" if self.value_set else self.type


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Predicate:
    """An input predicate with its arguments, burden class and descriptions."""

    name: str
    arity: int
    description_en: str
    description_zh: str
    burden: str
    arguments: tuple[Argument, ...]

    @property
    def signature(self) -> str:
        return f"{self.name}/{self.arity}"

    def template(self) -> str:
        if not self.arguments:
            return self.name
        return f"{self.name}({', '.join(a.role.upper() for a in self.arguments)})"


def _slot_kind(role: str) -> str | None:
    """What an entity argument of this role names: ``thing``, ``party`` or neither (``None``)."""
    return "thing" if role in _THING_SLOTS else ("party" if role in _PARTY_SLOTS + _ANY_PARTY else None)


#: the words of ``pyreasoner vocab --lang zh``
_ZH = {"burden": "举证责任", "claimant": "主张方", "defendant": "抗辩方", "duty": "义务履行",
       "entity": "实体", "integer": "整数", "yuan": "金额（元）", "date": "日期", "string": "字符串",
       "one_of": "之一"}


class Vocabulary(Mapping[str, Predicate]):
    """The input predicates, keyed by name (a name has one arity)."""

    def __init__(self, predicates: Mapping[str, Predicate], value_sets: Mapping[str, tuple[str, str, tuple[str, ...]]]):
        self._predicates = dict(sorted(predicates.items()))
        self.value_sets = dict(sorted(value_sets.items()))
        #: (fact text, status) -> its checked (name, args) and its :class:`pyreasoner.case.Fact`
        #: (``Any``: case imports this module): a corpus repeats the same facts (parties,
        #: roles) case after case (bounded; see pyreasoner.case)
        self.fact_memo: dict[tuple[str, str], tuple[tuple[str, tuple[Raw, ...]], Any]] = {}
        #: per predicate with a ``yuan`` argument: its index, and the indexes of the arguments
        #: that say which amounts are added up together (all but the yuan and date ones)
        self._yuan_slots: dict[str, tuple[int, tuple[int, ...]]] = {}
        for name, pred in self._predicates.items():
            for j, arg in enumerate(pred.arguments):
                if arg.type == "yuan":
                    others = tuple(k for k, a in enumerate(pred.arguments) if a.type not in ("yuan", "date"))
                    self._yuan_slots[name] = (j, others)
                    break
        #: per predicate, the entity arguments entity_conflict reads: (index, argument, kind)
        self._entity_slots: dict[str, tuple[tuple[int, Argument, str], ...]] = {}
        for name, pred in self._predicates.items():
            slots = tuple((j, arg, kind) for j, arg in enumerate(pred.arguments) if arg.type == "entity"
                          for kind in [_slot_kind(arg.role)] if kind is not None)
            if slots:
                self._entity_slots[name] = slots

    # Mapping protocol
    def __getitem__(self, name: str) -> Predicate:
        return self._predicates[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._predicates)

    def __len__(self) -> int:
        return len(self._predicates)

    @classmethod
    def from_facts(cls, facts: DeclarationFacts, where: str) -> Vocabulary:
        """Build the vocabulary from the grounded declaration facts.

        Raises :class:`~pyreasoner.errors.EncodingError` for an inconsistent declaration.
        """
        from .errors import EncodingError

        sets: dict[str, tuple[str, str, list[str]]] = {}
        for name, en, zh in facts[VALUE_SET]:
            sets[name] = (str(en), str(zh), [])
        for name, val in facts[VALUE]:
            if name not in sets:
                raise EncodingError(where, f"value({name}, {val})", "value of an undeclared value_set")
            sets[name][2].append(val)
        args: dict[str, dict[int, Argument]] = {}
        for pred, pos, role, typ in facts[ARG]:
            if isinstance(typ, tuple) and typ[0] == "set" and len(typ[1]) == 1:
                sname = typ[1][0]
                if sname not in sets:
                    raise EncodingError(where, f"arg({pred}, {pos}, ...)", f"unknown value set '{sname}'")
                arg = Argument(position=pos, role=role, type="set", value_set=sname, values=tuple(sorted(sets[sname][2])))
            elif typ in TYPES:
                arg = Argument(position=pos, role=role, type=typ)
            else:
                raise EncodingError(where, f"arg({pred}, {pos}, ...)", f"unknown type {typ!r}; expected one of {', '.join(TYPES)} or set(S)")
            args.setdefault(pred, {})[pos] = arg
        burdens: dict[str, str] = dict(facts[BURDEN])

        preds: dict[str, Predicate] = {}
        for name, arity, en, zh in facts[INPUT]:
            if name in preds:
                raise EncodingError(where, f"input({name}, ...)", "an input predicate is declared twice (one name, one arity)")
            got = args.get(name, {})
            if sorted(got) != list(range(1, arity + 1)):
                raise EncodingError(where, f"input({name}, {arity}, ...)", f"arguments declared at positions {sorted(got)}; expected 1..{arity}")
            burden = burdens.get(name)
            if burden not in BURDENS:
                raise EncodingError(where, f"input({name}, ...)", f"burden class {burden!r}; expected one of {', '.join(BURDENS)}")
            preds[name] = Predicate(name=name, arity=arity, description_en=str(en), description_zh=str(zh),
                                    burden=burden, arguments=tuple(got[i] for i in range(1, arity + 1)))
        for pred in args:
            if pred not in preds:
                raise EncodingError(where, f"arg({pred}, ...)", "argument of an undeclared input predicate")
        return cls(preds, {k: (v[0], v[1], tuple(sorted(v[2]))) for k, v in sets.items()})

    # ------------------------------------------------------------------ checks
    def check(self, name: str, args: Sequence[Any]) -> tuple[Raw, ...]:
        """Check a fact's predicate and arguments; return the arguments converted.

        Raises ``ValueError`` with a one-line reason (the caller adds file and key).
        """
        pred = self._predicates.get(name)
        if pred is None:
            if not self._predicates:  # the rule base, not the case, is what is missing
                raise ValueError(f"unknown predicate '{name}': the rule base declares no case inputs at all "
                                 "(input/4); expected the encodings' master file or folder")
            raise ValueError(f"unknown predicate '{name}'{suggest(name, self._predicates)}")
        if len(args) != pred.arity:
            raise ValueError(f"'{name}' takes {pred.arity} argument(s) ({pred.template()}), got {len(args)}")
        return tuple(self._convert(pred, a, v) for a, v in zip(pred.arguments, args, strict=True))  # arity checked

    def case_conflict(self, facts: Sequence[tuple[str, tuple[Raw, ...]]],
                      keys: Sequence[str] | None = None) -> tuple[int, str] | None:
        """The first fact that does not fit with the others, as ``(index, reason)``:
        :meth:`entity_conflict`, then :meth:`amount_conflict`. What every loader checks once a
        case's facts are read (``keys`` name the facts in the messages that cite another)."""
        return self.entity_conflict(facts, keys) or self.amount_conflict(facts)

    def amount_conflict(self, facts: Sequence[tuple[str, tuple[Raw, ...]]]) -> tuple[int, str] | None:
        """The first fact whose ``yuan`` amount brings the sum of its predicate's amounts over
        the same entities (``loss(c, g, A, D)`` for one claimant and item) to YUAN_LIMIT or
        more, as ``(index, reason)``: the rules add such amounts up and multiply the sum, and
        clingo's 32-bit arithmetic would wrap without a word. ``None`` when every sum fits."""
        slots = self._yuan_slots
        if not slots:
            return None
        sums: dict[tuple[str, tuple[Raw, ...]], int] = {}
        for i, (name, args) in enumerate(facts):
            slot = slots.get(name)
            if slot is None or len(args) <= slot[0]:
                continue
            j, others = slot
            value = args[j]
            if not isinstance(value, int):
                continue
            group = (name, tuple(args[k] for k in others if k < len(args)))
            total = sums[group] = sums.get(group, 0) + value
            if total >= YUAN_LIMIT:
                shown = ", ".join(str(a.value if isinstance(a, Text) else a) for a in group[1])
                return i, (f"the amounts of '{name}' for ({shown}) add up to {total:,} yuan; expected a sum below "
                           f"{YUAN_LIMIT:,} (the rules add them up and multiply the sum by up to "
                           f"{YUAN_MULTIPLE_MAX}, in clingo's 32-bit integers)")
        return None

    def entity_conflict(self, facts: Sequence[tuple[str, tuple[Raw, ...]]],
                        keys: Sequence[str] | None = None) -> tuple[int, str] | None:
        """The first fact whose entity argument is of the wrong kind, as ``(index, reason)``:
        an entity declared a party of one role (``party(c, consumer)``) in a slot that wants
        another (``on_platform(m, c)``: a platform), or one entity used both as goods (or an
        order) and as a party. An entity may hold several roles (``party(p, platform)`` and
        ``party(p, merchant)``: a platform selling on its own account); an entity with no
        ``party`` fact has no declared role. ``None`` when every argument fits."""
        roles: dict[Raw, set[str]] = {}
        for name, args in facts:
            if name == "party" and len(args) == 2:
                roles.setdefault(args[0], set()).add(str(args[1]))
        used: dict[Raw, tuple[str, int]] = {}  # entity -> (kind, first fact index): "thing" or "party"
        slots_of = self._entity_slots
        for i, (name, args) in enumerate(facts):
            slots = slots_of.get(name)
            if slots is None:
                continue
            for j, arg, kind in slots:  # in position order
                if j >= len(args):  # a fact of another arity: the caller refuses it
                    break
                value = args[j]
                declared = roles.get(value)
                if declared:
                    shown = value.value if isinstance(value, Text) else value
                    if (arg.role in _PARTY_SLOTS and arg.role not in declared
                            and not declared & _ALSO_ACCEPTS.get(arg.role, frozenset())):
                        return i, (f"argument {arg.position} ({arg.role}) of '{name}' must be a {arg.role}, but "
                                   f"'{shown}' is declared a {' and a '.join(sorted(declared))} (party/2)")
                    if kind == "thing":
                        return i, (f"argument {arg.position} ({arg.role}) of '{name}' must be {arg.role}, but "
                                   f"'{shown}' is declared a party ({', '.join(sorted(declared))})")
                first = used.get(value)
                if first is None:
                    used[value] = (kind, i)
                elif first[0] != kind:
                    shown = value.value if isinstance(value, Text) else value
                    was = "goods or an order" if first[0] == "thing" else "a party"
                    where = keys[first[1]] if keys else f"fact {first[1] + 1}"
                    return i, (f"argument {arg.position} ({arg.role}) of '{name}': '{shown}' is already {was} "
                               f"({where}); expected one entity to be one kind of thing")
        return None

    @staticmethod
    def _convert(pred: Predicate, arg: Argument, value: Any) -> Any:
        # The message (where, the value shown) is built only when the value is refused:
        # reading a large corpus checks millions of arguments that are fine.
        if isinstance(value, Text):
            value_kind = "string"
        elif isinstance(value, bool) or value is None or isinstance(value, (float, list, dict, tuple)):
            value_kind = "other"
        else:
            value_kind = "int" if isinstance(value, int) else ("date" if isinstance(value, datetime.date) else "str")
        t, extra = arg.type, ""
        if t == "entity":
            if value_kind == "str" and IDENT.match(value):
                return value
            if value_kind in ("str", "string"):
                text = value.value if isinstance(value, Text) else value
                if NAME.match(text):
                    return Text(text)
            expected = ("a constant (lower-case letter, then letters, digits, _) or a name in Chinese "
                        "(e.g. 淘宝)")
        elif t == "set":
            if value_kind == "str" and value in arg.values:
                return value
            expected = f"one of {{{', '.join(arg.values)}}}"
            extra = suggest(value, arg.values) if value_kind == "str" else ""
        elif t in ("integer", "yuan"):
            limit = YUAN_LIMIT if t == "yuan" else INTEGER_LIMIT
            if value_kind == "int" and 0 <= value < limit:
                return value
            # every count, weight and amount of the vocabulary is one: a negative one means nothing
            expected = ((f"a whole number of yuan (>= 0) below {limit:,}" if t == "yuan"
                         else f"a whole number (>= 0) below {limit:,}")
                        + " (clingo computes in 32-bit integers)")
        elif t in ("count", "amount"):
            if value_kind == "int" and 0 <= value < COUNT_LIMIT:
                return count_term(value)
            if (value_kind == "other" and is_count_term(value)
                    and 0 <= value[1][0] < COUNT_LIMIT // COUNT_BASE and 0 <= value[1][1] < COUNT_BASE):
                return value  # already in split form (as `pyreasoner program` prints it)
            expected = ("a whole number of yuan" if t == "amount" else "a whole number") + " from 0 to below 10^18"
        elif t == "string":
            if value_kind in ("string", "str"):
                return value if isinstance(value, Text) else Text(value)
            expected = "a string"
        elif t == "date":
            if value_kind == "date" and not isinstance(value, datetime.datetime):
                return value.year * 10000 + value.month * 100 + value.day
            if value_kind == "str" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                try:
                    d = datetime.date.fromisoformat(value)
                except ValueError:
                    pass
                else:
                    return d.year * 10000 + d.month * 100 + d.day
            if value_kind == "int" and is_date(value):
                return value
            expected = "a date as YYYYMMDD (or YYYY-MM-DD)"
        else:  # pragma: no cover
            raise ValueError(f"argument {arg.position} ({arg.role}) of '{pred.name}': unsupported type {t}")
        shown = repr(value.value if isinstance(value, Text) else value)
        raise ValueError(f"argument {arg.position} ({arg.role}) of '{pred.name}' must be {expected}, got {shown}{extra}")

    # ------------------------------------------------------------------ output
    def describe(self, lang: str = "en") -> str:
        """A readable listing of the vocabulary (``pyreasoner vocab``), every word in ``lang``
        (the names of predicates, roles and values are the vocabulary's own)."""
        zh = lang == "zh"
        words = _ZH if zh else {}
        width = max((len(p.template()) for p in self._predicates.values()), default=0)
        lines = []
        for pred in self._predicates.values():
            desc = pred.description_zh if zh else pred.description_en
            lines.append(f"{pred.template():<{width}}  {desc}  [{words.get('burden', 'burden')}: "
                         f"{words.get(pred.burden, pred.burden)}]")
            for arg in pred.arguments:
                label = (f"{{{', '.join(arg.values)}}} {_ZH['one_of']}" if arg.value_set else _ZH.get(arg.type, arg.type)) \
                    if zh else arg.type_label
                lines.append(f"    {arg.position}. {arg.role}: {label}")
        return "\n".join(lines)

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {"name": p.name, "arity": p.arity, "description": {"en": p.description_en, "zh": p.description_zh},
             "burden": p.burden,
             "arguments": [{"position": a.position, "role": a.role, "type": a.type,
                            **({"values": list(a.values)} if a.value_set else {})} for a in p.arguments]}
            for p in self._predicates.values()
        ]

    def json_schema(self) -> dict[str, Any]:
        """A JSON Schema (draft 2020-12) of the case format (``pyreasoner schema``)."""
        fact_forms = []
        for pred in self._predicates.values():
            items = [_arg_schema(a) for a in pred.arguments]
            mapping_value: dict[str, Any] = {"type": "array", "prefixItems": items, "minItems": pred.arity,
                                   "maxItems": pred.arity, "items": False}
            if pred.arity == 1:
                mapping_value = {"anyOf": [mapping_value, items[0]]}
            fact_forms.append({"type": "object", "properties": {pred.name: mapping_value},
                               "required": [pred.name], "additionalProperties": False,
                               "description": pred.description_en})
            fact_forms.append({"type": "string", "pattern": _string_pattern(pred),
                               "description": pred.description_en})
        fact = {"anyOf": fact_forms}
        facts_list = {"type": "array", "items": {"$ref": "#/$defs/fact"}}
        atom = {"type": "string"}
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "pyreasoner case",
            "type": "object",
            "required": ["id", "facts"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"},
                "title": {"type": "string"},
                "source": {"type": "string"},
                "notes": {"type": "string"},
                "facts": {"type": "object", "additionalProperties": False,
                          "properties": dict.fromkeys(("established", "refuted", "unknown"), facts_list)},
                "expect": {"type": "array", "items": {"$ref": "#/$defs/expectation"}},
            },
            "$defs": {
                "fact": fact,
                "expectation": {
                    "type": "object", "additionalProperties": False, "required": ["note"],
                    "properties": {
                        "views": {"type": "object", "additionalProperties": {"type": "string"}},
                        "include_rejected": {"type": "boolean"},
                        "explore": {"type": "boolean"},
                        "all": {"type": "array", "items": atom},
                        "some": {"type": "array", "items": atom},
                        "none": {"type": "array", "items": atom},
                        "exactly": {"type": "array", "items": atom},
                        "count": {"oneOf": [
                            {"type": "integer", "minimum": 0},
                            {"type": "object", "minProperties": 1,
                             "propertyNames": {"pattern": r"^[^=,]+=[^=,]+(,[^=,]+=[^=,]+)*$"},
                             "additionalProperties": {"type": "integer", "minimum": 0}}]},
                        "consistent": {"type": "boolean"},
                        "core": {"type": "array", "items": atom},
                        "xfail": {"type": "string", "minLength": 1},
                        "note": {"type": "string", "minLength": 1},
                    },
                },
            },
        }


_ARG_PATTERNS = {
    "entity": r"[a-z][A-Za-z0-9_]*",
    "integer": r"-?[0-9]+",
    "date": r"[0-9]{8}",
    "yuan": r"[0-9]+",
    "string": r'"(?:[^"\\]|\\.)*"',
    "count": r"[0-9]+",
    "amount": r"[0-9]+",
}


def _arg_schema(arg: Argument) -> dict[str, Any]:
    if arg.value_set:
        return {"enum": list(arg.values)}
    by_type: dict[str, dict[str, Any]] = {
        "entity": {"type": "string", "pattern": "^" + _ARG_PATTERNS["entity"] + "$"},
        "integer": {"type": "integer", "minimum": 0, "maximum": INTEGER_LIMIT - 1},
        "date": {"anyOf": [{"type": "integer", "minimum": 10000101, "maximum": 99991231},
                           {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}]},
        "yuan": {"type": "integer", "minimum": 0, "maximum": YUAN_LIMIT - 1},
        "string": {"type": "string"},
        "count": {"type": "integer", "minimum": 0, "maximum": COUNT_LIMIT - 1},
        "amount": {"type": "integer", "minimum": 0, "maximum": COUNT_LIMIT - 1},
    }
    return by_type[arg.type]


def _string_pattern(pred: Predicate) -> str:
    if not pred.arguments:
        return rf"^\s*{pred.name}\s*$"
    parts = []
    for a in pred.arguments:
        parts.append("(?:" + "|".join(re.escape(v) for v in a.values) + ")" if a.value_set else _ARG_PATTERNS[a.type])
    return rf"^\s*{pred.name}\s*\(\s*" + r"\s*,\s*".join(parts) + r"\s*\)\s*$"
