"""``pyreasoner test``: run the ``expect`` blocks of case files, like ``openfisca test``.

Every expectation of every case under the given files and folders is one test: the
case is solved under the expectation's view selection and the expectation's checks
(:meth:`pyreasoner.expect.Expectation.failures`) are applied. One line per test, a
closing line ``N passed, M failed``, exit status 1 when anything failed, and
``--junit-xml FILE`` for CI. A case file that does not load is one failed test; a case
without expectations is skipped (or a failure with ``require_expectation``, as in the
repository's own corpus test, ``tests/test_cases.py``, which runs on this module).

>>> from pyreasoner import Reasoner
>>> from pyreasoner.case import Case
>>> from pyreasoner.expect import expectation_from_data
>>> exp = expectation_from_data({"count": 1, "all": [], "note": "no facts, one empty answer"})
>>> [t.status for t in run_tests(Reasoner(), collect_cases([Case(id="empty", facts=(), expect=(exp,))]))]
['pass']
"""

from __future__ import annotations

import dataclasses
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from .case import Case, find_case_files, load_case
from .errors import PyreasonerError, UsageError
from .expect import Expectation, selection_key
from .reasoner import Reasoner
from .report import TEST_WORDS
from .views import parse_selection

__all__ = ["TestItem", "TestOutcome", "check", "collect", "collect_cases", "run_tests", "summary_line",
           "write_junit"]


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class TestItem:
    """One test: a case and one of its expectations (``None``: the case has none, or did
    not load, and ``error`` says why)."""

    __test__ = False  # not a pytest test class

    name: str
    file: str
    case: Case | None = None
    expectation: Expectation | None = None
    error: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class TestOutcome:
    """The result of one test: ``pass``, ``fail``, ``skip`` or ``xfail`` (an expectation marked
    ``xfail: <reason>`` that fails, as it must; one that holds is a ``fail``) with the reasons."""

    __test__ = False

    item: TestItem
    status: str
    failures: tuple[str, ...] = ()
    seconds: float = 0.0


def _items_of(case: Case, file: str, require_expectation: bool) -> Iterator[TestItem]:
    if not case.expect:
        yield TestItem(name=f"{case.id}[no-expectation]", file=file, case=case,
                       error="the case has no expectation" + ("" if require_expectation else " (skipped)"))
        return
    labels: Counter[str] = Counter()
    for exp in case.expect:
        labels[exp.label] += 1
        suffix = f"#{labels[exp.label]}" if labels[exp.label] > 1 else ""
        yield TestItem(name=f"{case.id}[{exp.label}{suffix}]", file=file, case=case, expectation=exp)


def collect(paths: Iterable[str | Path], reasoner: Reasoner, *, require_expectation: bool = False) -> list[TestItem]:
    """The tests of every case file under ``paths`` (files or folders), in file order.

    A missing path raises :class:`~pyreasoner.errors.UsageError`; a case file that does
    not load is one item whose ``error`` is the one-line load error.
    """
    items: list[TestItem] = []
    for path in find_case_files(paths):
        try:
            case = load_case(path, reasoner.vocabulary)
        except PyreasonerError as exc:
            items.append(TestItem(name=f"{path.stem}[load]", file=str(path), error=str(exc)))
            continue
        items.extend(_items_of(case, str(path), require_expectation))
    return items


def collect_cases(cases: Iterable[Case], *, require_expectation: bool = False) -> list[TestItem]:
    """The tests of cases already loaded (or built through the API)."""
    return [item for case in cases for item in _items_of(case, case.path or f"<case {case.id}>", require_expectation)]


def check(reasoner: Reasoner, case: Case, expectation: Expectation) -> list[str]:
    """What does not hold of ``expectation`` on ``case`` (empty: it holds). A ``count`` key
    naming an issue or view the rule base lacks is a :class:`UsageError` naming the key."""
    for selection, _ in expectation.counts:
        key = selection_key(selection)
        try:
            parse_selection(dict(selection), reasoner.issues)
        except UsageError as exc:
            raise UsageError(case.path or f"<case {case.id}>", f"count[{key}]", exc.message) from None
    result = reasoner.solve(case, views=dict(expectation.views), include_rejected=expectation.include_rejected,
                            explore=expectation.explore)
    return expectation.failures(result)


def run_tests(reasoner: Reasoner, items: Iterable[TestItem], *, require_expectation: bool = False
              ) -> Iterator[TestOutcome]:
    """Run each test, yielding its outcome as soon as it is known."""
    for item in items:
        t0 = time.perf_counter()
        if item.expectation is None or item.case is None:
            loaded = item.case is not None
            status = "skip" if loaded and not require_expectation else "fail"
            yield TestOutcome(item=item, status=status, failures=(item.error or "",))
            continue
        try:
            failures = tuple(check(reasoner, item.case, item.expectation))
        except PyreasonerError as exc:  # e.g. an expectation naming a view the rule base lacks
            failures = (str(exc),)
        if item.expectation.xfail:  # a holding the rule base cannot reproduce yet: it must fail (strict)
            status = "xfail" if failures else "fail"
            failures = failures or (f"expected to fail ({item.expectation.xfail}), but it holds: drop the xfail",)
        else:
            status = "fail" if failures else "pass"
        yield TestOutcome(item=item, status=status, failures=failures, seconds=time.perf_counter() - t0)


def summary_line(outcomes: Sequence[TestOutcome], lang: str = "en") -> str:
    """``N passed, M failed`` (and ``, K skipped`` when some were), in ``lang``'s words."""
    w = TEST_WORDS[lang]
    n = Counter(o.status for o in outcomes)
    parts = [w["passed"].format(n=n["pass"]), w["failed"].format(n=n["fail"])]
    parts += [w["skipped"].format(n=n["skip"])] if n["skip"] else []
    parts += [w["xfailed"].format(n=n["xfail"])] if n["xfail"] else []
    return w["sep"].join(parts)


def write_junit(outcomes: Sequence[TestOutcome], out: str | Path | IO[str], *, suite: str = "pyreasoner") -> None:
    """Write the outcomes as a JUnit XML report (one ``testcase`` per expectation,
    ``classname`` the case file, ``name`` the case id and view selection)."""
    n = Counter(o.status for o in outcomes)
    root = ET.Element("testsuites")
    ts = ET.SubElement(root, "testsuite", name=suite, tests=str(len(outcomes)), failures=str(n["fail"]),
                       errors="0", skipped=str(n["skip"]), time=f"{sum(o.seconds for o in outcomes):.3f}")
    for o in outcomes:
        tc = ET.SubElement(ts, "testcase", classname=o.item.file, name=o.item.name, time=f"{o.seconds:.3f}")
        if o.status == "fail":
            el = ET.SubElement(tc, "failure", message=o.failures[0] if o.failures else "failed")
            note = o.item.expectation.note if o.item.expectation else ""
            el.text = "\n".join(o.failures) + (f"\nnote: {note}" if note else "")
        elif o.status == "skip":
            ET.SubElement(tc, "skipped", message=o.failures[0] if o.failures else "")
        elif o.status == "xfail" and o.item.expectation is not None:
            ET.SubElement(tc, "skipped", type="xfail", message=f"expected failure: {o.item.expectation.xfail}")
    ET.indent(root)
    data = ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
    if isinstance(out, (str, Path)):
        if str(out) == "-":
            sys.stdout.write(data)
        else:
            Path(out).write_text(data, encoding="utf-8")
    else:
        out.write(data)
