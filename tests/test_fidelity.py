"""docs/fidelity.md agrees with the rule base (issue #12, section 4).

The page lists every proposition of the two source papers with where it is encoded and how
faithfully, and a machine-readable table of every view with the status and source its file
declares. These tests fail when a view file changes its status or source, when a view is
added or removed, when a row names a file that does not exist or a section the paper does
not have, and when the counts no longer match the table."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import ROOT

FIDELITY = ROOT / "docs" / "fidelity.md"
SOURCES = ROOT / "docs" / "sources.md"
STATUSES = ("faithful", "reading", "not encoded")
_ROW_ID = re.compile(r"^(Q|C)\d{2}$")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _block(text: str, name: str) -> list[str]:
    """The lines between ``<!-- name:begin -->`` and ``<!-- name:end -->``."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    assert begin in text and end in text, f"docs/fidelity.md: no {begin} ... {end} block"
    return text.split(begin, 1)[1].split(end, 1)[0].strip().splitlines()


def _views_table(text: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    rows = {}
    for line in _block(text, "views-table"):
        cells = _cells(line)
        if len(cells) != 5 or cells[0] in ("issue", "") or set(cells[0]) <= {"-"}:
            continue
        issue, view, status, default, source = cells
        assert (issue, view) not in rows, f"docs/fidelity.md: view {issue}/{view} listed twice"
        rows[(issue, view)] = (status, default, source)
    return rows


def _propositions(text: str) -> list[dict[str, str]]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        cells = _cells(line) if line.startswith("| ") else []
        if cells and _ROW_ID.match(cells[0]):
            assert len(cells) == 6, f"docs/fidelity.md:{number}: a proposition row has 6 columns, got {len(cells)}"
            rows.append(dict(zip(("id", "text", "section", "where", "status", "why"), cells, strict=True), line=str(number)))
    return rows


def _default(view) -> str:
    """Whether a view is adopted without being asked for (``View.off_by_default``)."""
    if view.off_by_default:
        return "off"
    return f"on: the law in force ({view.in_force})" if view.in_force else "on"


def _declared_views(reasoner) -> dict[tuple[str, str], tuple[str, str, str]]:
    return {(issue.id, v.id): (v.status, _default(v), v.source)
            for issue in reasoner.rulebase.issues.values() for v in issue.views}


def _expected_table(declared: dict[tuple[str, str], tuple[str, str, str]]) -> str:
    return "\n".join(f"| {i} | {v} | {s} | {d} | {src} |" for (i, v), (s, d, src) in sorted(declared.items()))


@pytest.fixture(scope="module")
def page() -> str:
    return FIDELITY.read_text(encoding="utf-8")


def test_every_view_has_the_status_and_source_its_file_declares(reasoner, page):
    declared = _declared_views(reasoner)
    listed = _views_table(page)
    assert declared, "the rule base declares no views"
    assert listed == declared, (
        "docs/fidelity.md views table disagrees with the view files; it should read:\n" + _expected_table(declared))


def test_every_view_is_tied_to_a_proposition_row(reasoner, page):
    """A view exists because a paper states it (or the page says it is a reading)."""
    wheres = " ".join(r["where"] for r in _propositions(page))
    untied = sorted(f"{i}/{v}" for i, v in _declared_views(reasoner) if f"{i}/{v}" not in wheres)
    assert untied == [], f"views named in no proposition row of docs/fidelity.md: {untied}"


def test_a_reading_view_is_never_listed_as_faithful(reasoner, page):
    """A view whose file says `reading` is encoded as a reading in every row that names it."""
    rows = _propositions(page)
    wrong = [f"{r['id']} ({i}/{v})" for (i, v), (status, _, _) in _declared_views(reasoner).items() if status == "reading"
             for r in rows if f"{i}/{v}" in r["where"] and r["status"] == "faithful"]
    assert wrong == []


def test_proposition_rows_are_well_formed(page):
    rows = _propositions(page)
    assert len(rows) >= 100, f"only {len(rows)} propositions"
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for r in rows:
        where = f"docs/fidelity.md:{r['line']} ({r['id']})"
        assert r["status"] in STATUSES, f"{where}: status {r['status']!r}, expected one of {STATUSES}"
        assert r["why"] or r["status"] == "faithful", f"{where}: a reading or an omission says why"
        if r["status"] == "not encoded":
            assert r["where"] == "—", f"{where}: 'not encoded' but names {r['where']!r}"
        else:
            assert "`" in r["where"], f"{where}: {r['status']} but names no file, predicate or view"


def _paper_sections(paper_heading: str) -> set[str]:
    text = SOURCES.read_text(encoding="utf-8")
    part = text.split(paper_heading, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    return {_cells(line)[0] for line in part.splitlines() if re.match(r"^\| \d", line)}


def test_every_section_cited_is_one_the_paper_has(page):
    """The section numbers are the papers' own (docs/sources.md lists each paper's sections)."""
    known = {"Q": _paper_sections("### Qin 2025"), "C": _paper_sections("### The Art. 286-1 paper")}
    assert {"5.2.3", "4.1.1", "3.2.1"} <= known["Q"] and {"3", "4.1", "4.2"} <= known["C"]
    bad = []
    for r in _propositions(page):
        cited = re.sub(r"\((ref|n)\.[^)]*\)", "", r["section"])
        numbers = re.findall(r"\d+(?:\.\d+)*", cited)
        assert numbers, f"docs/fidelity.md:{r['line']}: no section in {r['section']!r}"
        bad += [f"{r['id']} §{n}" for n in numbers if n not in known[r["id"][0]]]
    assert bad == [], f"sections the paper does not have: {bad}"


def test_every_file_a_row_names_exists(page):
    missing = []
    for r in _propositions(page):
        for ref in re.findall(r"`([^`]+)`", r["where"]):
            path = ref.split(" ", 1)[0]
            if not re.search(r"\.(lp|yaml|md)$|/$", path):
                continue                       # a predicate, an atom or a view
            base = ROOT if path.startswith(("cases/", "docs/")) else ROOT / "encodings"
            if not (base / path).exists():
                missing.append(f"{r['id']}: {path}")
    assert missing == []


def test_the_counts_match_the_table(page):
    rows = _propositions(page)
    counts = Counter((r["id"][0], r["status"]) for r in rows)
    expected = [f"- {paper}: {sum(counts[(k, s)] for s in STATUSES)} propositions — "
                + ", ".join(f"{counts[(k, s)]} {s}" for s in STATUSES)
                for k, paper in (("Q", "Qin 2025"), ("C", "the Art. 286-1 paper"))]
    assert _block(page, "counts") == expected, "the counts block should read:\n" + "\n".join(expected)


# ----------------------------------------------------------------- worked examples

def _worked_examples(text: str) -> list[dict[str, str]]:
    rows = []
    for line in _block(text, "worked-examples"):
        cells = _cells(line)
        if len(cells) != 6 or cells[0] in ("example", "") or set(cells[0]) <= {"-"}:
            continue
        rows.append(dict(zip(("example", "paper", "section", "case", "issue", "view"), cells, strict=True)))
    return rows


def _case_file(case_id: str):
    import yaml

    for path in sorted((ROOT / "cases").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("id") == case_id:
            return path, data
    raise AssertionError(f"docs/fidelity.md names case {case_id!r}, which no file in cases/ has")


def test_each_worked_example_is_a_case_citing_the_papers_section(page):
    rows = _worked_examples(page)
    assert {r["paper"] for r in rows} == {"Qin 2025", "the Art. 286-1 paper"}, "both papers' examples are listed"
    for r in rows:
        path, data = _case_file(r["case"].strip("`"))
        source = str(data.get("source", "")) + " " + str(data.get("notes", ""))
        assert r["paper"].lower().removeprefix("the ") in source.lower(), f"{path.name}: its source does not name {r['paper']}"
        assert f"§{r['section']}" in source, f"{path.name}: its source does not cite §{r['section']}"


def test_each_worked_example_states_an_answer_under_every_view_of_its_issue(reasoner, page):
    """The paper's own view, and every other view (rejected ones too), each has an expectation."""
    issues = reasoner.rulebase.issues
    missing = []
    for r in _worked_examples(page):
        path, data = _case_file(r["case"].strip("`"))
        if r["issue"] == "—":          # no contested issue: one answer, the same under every view
            assert any(e.get("count") == 1 and not e.get("views") for e in data.get("expect", [])), (
                f"{path.name}: raises no contested issue, so it expects exactly one answer (count: 1)")
            continue
        issue = issues[r["issue"]]
        assert r["view"] in {v.id for v in issue.views}, f"{r['case']}: no view {r['issue']}/{r['view']}"
        fixed = {(e.get("views") or {}).get(issue.id) for e in data.get("expect", [])}
        missing += [f"{path.name}: {issue.id}={v.id}" for v in issue.views if v.id not in fixed]
    assert missing == [], f"worked examples with no stated answer under a view: {missing}"
