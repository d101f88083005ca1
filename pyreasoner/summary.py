"""Corpus statistics over a batch's results (``pyreasoner summary results.jsonl``).

For each view of each contested issue: how many answers adopt it and how its
outcomes are distributed (by kind, form and basis); for each issue: in how many
of the cases that raise it the views disagree (the answers adopting different
views of the issue reach different outcomes); and the cases that diverge most
(the most distinct outcome sets among their answers). The results file is read
as a stream: memory holds the counts and the top cases only.

``pandas`` and ``matplotlib`` are optional (``pip install 'pyreasoner[stats]'``):
:meth:`Summary.outcome_frame` and :func:`answers_frame` give DataFrames, and
``--plot FILE`` draws, per contested issue, a heat map of the outcomes that differ
between its views (PNG, SVG or PDF).

>>> import json, tempfile, os
>>> rec = {"index": 0, "case": "c1", "source": "x", "consistent": True, "selection": {}, "in_all": [],
...        "in_some": [], "answers": [
...   {"views": {"b": "joint"}, "outcomes": [{"kind": "civil", "party": "p", "form": "joint_several",
...     "args": ["m"], "basis": ["ecl_38_2", "cc_1168"], "atom": "..."}], "displaced": []},
...   {"views": {"b": "supplementary"}, "outcomes": [], "displaced": []}]}
>>> path = os.path.join(tempfile.mkdtemp(), "r.jsonl")
>>> _ = open(path, "w").write(json.dumps(rec) + "\\n")
>>> s = summarise(path)
>>> s.disagreement["b"]
(1, 1)
>>> s.outcomes[("b", "joint")]["civil joint_several [ecl_38_2+cc_1168]"]
1
"""

from __future__ import annotations

import collections
import dataclasses
import heapq
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

from .errors import CaseError, UsageError
from .result import _pandas

if TYPE_CHECKING:
    import pandas

__all__ = ["PLOT_SUFFIXES", "Summary", "answers_frame", "distinguishing", "outcome_label", "plot", "summarise"]

#: The label of an answer with no outcome at all.
NO_OUTCOME = "(no outcome)"


class OutcomeJSON(TypedDict):
    """An outcome of a record (:meth:`pyreasoner.result.Outcome.to_json`)."""

    kind: str
    party: str
    form: str
    #: integers, or terms as text
    args: list[int | str]
    basis: list[str]
    atom: str


class DisplacedJSON(TypedDict):
    provision: str
    by: str


class AnswerJSON(TypedDict):
    """An answer of a record (:meth:`pyreasoner.result.Answer.to_json`)."""

    views: dict[str, str]
    outcomes: list[OutcomeJSON]
    displaced: list[DisplacedJSON]
    completion: NotRequired[dict[str, str]]
    assumed: NotRequired[list[str]]


class ErrorJSON(TypedDict):
    """The error of an error record (``kind``: ``invalid``, ``inconsistent``, ``timeout``, ...)."""

    kind: str
    message: str
    core: NotRequired[list[str]]


class RecordJSON(TypedDict, total=False):
    """A record of a results file (``pyreasoner batch``), as read back: ``index``, ``case``
    and ``source``, then either the result's keys (:meth:`pyreasoner.result.Result.to_json`)
    or ``error``; every record ends with its ``provenance``. Only ``index`` is checked on reading."""

    index: int
    case: str | None
    source: str
    consistent: bool
    selection: dict[str, str]
    answers: list[AnswerJSON]
    in_all: list[str]
    in_some: list[str]
    core: list[str]
    cut: str
    error: ErrorJSON
    explanation: object
    provenance: dict[str, object]


def outcome_label(outcome: OutcomeJSON) -> str:
    """The key an outcome is counted under: kind, form and basis (not the parties),
    e.g. ``civil joint_several [ecl_38_2+cc_1168]``."""
    return f"{outcome['kind']} {outcome['form']} [{'+'.join(outcome['basis'])}]"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Summary:
    """The statistics of a results file."""

    cases: int
    consistent: int
    errors: dict[str, int]
    #: (issue, view) -> outcome label -> number of answers adopting the view with that outcome
    outcomes: dict[tuple[str, str], dict[str, int]]
    #: (issue, view) -> (answers adopting it, cases with such an answer)
    adoption: dict[tuple[str, str], tuple[int, int]]
    #: issue -> (cases raising it, cases where its views disagree)
    disagreement: dict[str, tuple[int, int]]
    #: (distinct outcome sets, answers, index, case id), most divergent first
    divergent: tuple[tuple[int, int, int, str], ...]

    def disagreement_rate(self, issue: str) -> float:
        raised, split = self.disagreement.get(issue, (0, 0))
        return split / raised if raised else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "cases": self.cases, "consistent": self.consistent, "errors": dict(sorted(self.errors.items())),
            "views": [{"issue": i, "view": v, "answers": self.adoption[(i, v)][0], "cases": self.adoption[(i, v)][1],
                       "outcomes": dict(sorted(self.outcomes.get((i, v), {}).items(), key=lambda kv: (-kv[1], kv[0])))}
                      for i, v in sorted(self.adoption)],
            "disagreement": {i: {"raised": r, "disagree": d, "rate": round(d / r, 4) if r else 0.0}
                             for i, (r, d) in sorted(self.disagreement.items())},
            "divergent": [{"index": ix, "case": c, "outcome_sets": n, "answers": a} for n, a, ix, c in self.divergent],
        }

    def render(self) -> str:
        lines = [f"{self.cases} cases: {self.consistent} consistent"
                 + "".join(f", {n} {k}" for k, n in sorted(self.errors.items()))]
        lines.append("")
        lines.append("Outcomes per view (share of the answers adopting the view that reach the outcome):")
        for (i, v) in sorted(self.adoption):
            answers, cases = self.adoption[(i, v)]
            lines.append(f"  {i}={v}: {answers} answers in {cases} cases")
            dist = sorted(self.outcomes.get((i, v), {}).items(), key=lambda kv: (-kv[1], kv[0]))
            for label, n in dist:
                lines.append(f"      {n / answers:6.1%}  {n:>7}  {label}")
        lines.append("")
        lines.append("Disagreement per issue (cases where the views of the issue reach different outcomes):")
        for i, (raised, split) in sorted(self.disagreement.items()):
            rate = split / raised if raised else 0.0
            lines.append(f"  {i}: {split}/{raised} cases ({rate:.1%})")
        if self.divergent:
            lines.append("")
            lines.append("Cases that diverge most (distinct outcome sets among their answers):")
            for n, a, ix, c in self.divergent:
                lines.append(f"  #{ix} {c}: {n} outcome sets in {a} answers")
        return "\n".join(lines)

    def outcome_frame(self) -> pandas.DataFrame:
        """A pandas DataFrame: issue, view, outcome, answers, share (needs pandas)."""
        pd = _pandas()
        rows: list[dict[str, str | int | float]] = []
        for (i, v), (answers, _) in sorted(self.adoption.items()):
            for label, n in sorted(self.outcomes.get((i, v), {}).items()):
                rows.append({"issue": i, "view": v, "outcome": label, "answers": n, "share": n / answers})
        frame: pandas.DataFrame = pd.DataFrame(rows, columns=["issue", "view", "outcome", "answers", "share"])
        return frame


def _records(path: str | Path) -> Iterator[RecordJSON]:
    path = Path(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise UsageError(str(path), None, f"cannot read the results: {exc.strerror}") from None
    seen = False
    with fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            if not raw.endswith(b"\n"):
                break  # a torn last line of an interrupted run: not a record yet
            try:
                rec: RecordJSON = json.loads(raw)
            except ValueError as exc:
                raise CaseError(str(path), f"line {lineno}", f"not a JSON record: {exc}") from None
            if not isinstance(rec, dict) or "index" not in rec:
                raise CaseError(str(path), f"line {lineno}", "expected a batch record with 'index' and 'case'")
            problem = _malformed(rec)
            if problem is not None:
                raise CaseError(str(path), f"line {lineno}: {problem[0]}", problem[1])
            seen = True
            yield rec
    if not seen:
        raise CaseError(str(path), None, "no records; expected the JSON Lines output of pyreasoner batch")


def _malformed(rec: Mapping[str, object]) -> tuple[str, str] | None:
    """``(key, what was expected)`` for the first field of a batch record that the statistics
    read and that has the wrong shape (``None``: the record reads), so that a damaged or foreign
    file is refused at its line and key instead of failing inside the counting."""
    if not isinstance(rec["index"], int) or isinstance(rec["index"], bool):
        return "index", f"expected a whole number, got {rec['index']!r}"
    if "error" in rec:
        error = rec["error"]
        if not isinstance(error, dict) or not isinstance(error.get("kind", ""), str):
            return "error", "expected an object with a text 'kind'"
        return None
    answers = rec.get("answers", [])
    if not isinstance(answers, list):
        return "answers", f"expected a list of answers, got {type(answers).__name__}"
    for i, ans in enumerate(answers):
        if not isinstance(ans, dict):
            return f"answers[{i}]", f"expected an object, got {type(ans).__name__}"
        views = ans.get("views")
        if not isinstance(views, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in views.items()):
            return f"answers[{i}].views", "expected an object of issue: view, both text"
        outcomes = ans.get("outcomes")
        if not isinstance(outcomes, list):
            return f"answers[{i}].outcomes", "expected a list of outcomes"
        for j, o in enumerate(outcomes):
            key = f"answers[{i}].outcomes[{j}]"
            if not isinstance(o, dict):
                return key, f"expected an object, got {type(o).__name__}"
            for field in ("kind", "form", "atom"):
                if not isinstance(o.get(field), str):
                    return f"{key}.{field}", "expected text"
            basis = o.get("basis")
            if not isinstance(basis, list) or not all(isinstance(b, str) for b in basis):
                return f"{key}.basis", "expected a list of provision ids (text)"
    return None


def summarise(path: str | Path, *, top: int = 10) -> Summary:
    """Read a results file (``pyreasoner batch --out``) and compute its statistics."""
    if type(top) is not int:
        raise UsageError("top", repr(top), "expected a whole number of cases")
    cases = consistent = 0
    errors: collections.Counter[str] = collections.Counter()
    outcomes: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    answers_n: collections.Counter[tuple[str, str]] = collections.Counter()
    cases_n: collections.Counter[tuple[str, str]] = collections.Counter()
    raised: collections.Counter[str] = collections.Counter()
    split: collections.Counter[str] = collections.Counter()
    heap: list[tuple[int, int, int, str]] = []
    for rec in _records(path):
        cases += 1
        if "error" in rec:
            errors[rec["error"].get("kind", "error")] += 1
            continue
        consistent += 1
        answers = rec.get("answers", [])
        per_issue: dict[str, dict[str, set[frozenset[str]]]] = collections.defaultdict(
            lambda: collections.defaultdict(set))
        seen_views: set[tuple[str, str]] = set()
        sets: set[frozenset[str]] = set()
        for ans in answers:
            labels = sorted({outcome_label(o) for o in ans["outcomes"]}) or [NO_OUTCOME]  # once per answer
            atoms = frozenset(o["atom"] for o in ans["outcomes"])
            sets.add(atoms)
            for issue, view in ans["views"].items():
                key = (issue, view)
                answers_n[key] += 1
                seen_views.add(key)
                for label in labels:
                    outcomes[key][label] += 1
                per_issue[issue][view].add(atoms)
        for key in seen_views:
            cases_n[key] += 1
        for issue, by_view in per_issue.items():
            raised[issue] += 1
            if len({frozenset(v) for v in by_view.values()}) > 1:
                split[issue] += 1
        item = (len(sets), len(answers), -rec["index"], str(rec.get("case")))
        if top > 0 and len(sets) > 1:
            if len(heap) < top:
                heapq.heappush(heap, item)
            else:
                heapq.heappushpop(heap, item)
    divergent = tuple((n, a, -ni, c) for n, a, ni, c in sorted(heap, reverse=True))
    return Summary(cases=cases, consistent=consistent, errors=dict(errors),
                   outcomes={k: dict(v) for k, v in outcomes.items()},
                   adoption={k: (answers_n[k], cases_n[k]) for k in answers_n},
                   disagreement={i: (raised[i], split[i]) for i in raised}, divergent=divergent)


def answers_frame(path: str | Path) -> pandas.DataFrame:
    """A pandas DataFrame with one row per (case, answer, outcome), in the documented column
    order (:data:`pyreasoner.result.FRAME_COLUMNS`: index, source, case, status, answer, one
    ``view_<issue>`` column per issue, the outcome's kind, party, form and arguments, the
    numbers of its form in their own columns, basis, atom, and for a case without answers
    its core or error message). An answer without outcomes gives one row with empty outcome
    columns; an inconsistent case one row with its core; an error record one row with its
    kind and message (needs pandas)."""
    from .result import frame_rows, order_columns

    pd = _pandas()
    rows: list[dict[str, Any]] = []
    for rec in _records(path):
        rows.extend(frame_rows(cast(dict[str, Any], rec)))  # frame_rows reads a plain dict (a record or a Result's JSON)
    frame: pandas.DataFrame = pd.DataFrame(rows, columns=order_columns(rows))
    return frame


#: file types ``--plot`` writes (by the suffix)
PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def distinguishing(summary: Summary) -> dict[str, tuple[list[str], list[str], list[list[float]]]]:
    """Per contested issue: its views (those some answer adopts), the outcomes whose share
    differs between those views, and the share matrix (outcome x view: the share of the
    answers adopting the view that reach the outcome, 0..1). Outcomes with the same
    share under every view of the issue do not distinguish them and are left out; an
    issue with one view only has nothing to distinguish."""
    out: dict[str, tuple[list[str], list[str], list[list[float]]]] = {}
    for issue in sorted({i for i, _ in summary.adoption}):
        views = sorted(v for i, v in summary.adoption if i == issue and summary.adoption[(i, v)][0])
        if len(views) < 2:
            continue
        labels = sorted({lab for v in views for lab in summary.outcomes.get((issue, v), {})})
        rows = []
        for lab in labels:
            shares = [summary.outcomes.get((issue, v), {}).get(lab, 0) / summary.adoption[(issue, v)][0] for v in views]
            if max(shares) - min(shares) > 1e-12:
                rows.append((lab, shares))
        rows.sort(key=lambda r: (-(max(r[1]) - min(r[1])), r[0]))
        out[issue] = (views, [r[0] for r in rows], [r[1] for r in rows])
    return out


def plot(summary: Summary, out: str | Path, *, top: int = 0) -> None:
    """Save what distinguishes the views: one heat map per contested issue, an outcome per
    row and a view per column, each cell the share (0-100 %) of the answers adopting the
    view that reach the outcome. Every outcome whose share differs between the views of
    the issue is shown (``top`` > 0: only that many per issue, the widest spread first);
    outcomes the same under every view are counted in the panel's title. PNG, SVG or PDF,
    by the suffix."""
    out = Path(out)
    if out.suffix.lower() not in PLOT_SUFFIXES:
        raise UsageError(str(out), None, f"the chart's file type is given by its suffix: expected one of "
                         f"{', '.join(PLOT_SUFFIXES)}")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("--plot", str(out), "matplotlib is not installed: pip install 'pyreasoner[stats]'") from None
    panels = distinguishing(summary)
    if top > 0:
        panels = {i: (v, labs[:top], m[:top]) for i, (v, labs, m) in panels.items()}
    shown = {i: p for i, p in panels.items() if p[1]}
    heights = [max(len(p[1]), 1) * 0.42 + 1.6 for p in shown.values()] or [2.0]
    width = max([7.0] + [4.0 + 1.1 * len(p[0]) + 0.07 * max(len(lab) for lab in p[1]) for p in shown.values()])
    fig, axes = plt.subplots(len(heights), 1, figsize=(min(width, 30), sum(heights)), squeeze=False,
                             gridspec_kw={"height_ratios": heights})
    if not shown:
        ax = axes[0][0]
        ax.axis("off")
        ax.text(0.5, 0.5, "no outcome differs between the views of any issue", ha="center", va="center")
    for ax, (issue, (views, labels, matrix)) in zip([a[0] for a in axes], shown.items(), strict=False):  # no panel shown: one empty axes
        im = ax.imshow(matrix, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
        ax.set_xticks(range(len(views)), [f"{issue}={v}" for v in views], rotation=30, ha="right", fontsize="small")
        ax.set_yticks(range(len(labels)), labels, fontsize="small")
        for r, row in enumerate(matrix):
            for c, share in enumerate(row):
                ax.text(c, r, f"{share:.0%}", ha="center", va="center", fontsize="x-small",
                        color="white" if share > 0.6 else "black")
        same = len({lab for v in views for lab in summary.outcomes.get((issue, v), {})}) - len(labels)
        ax.set_title(f"issue {issue}: outcomes that differ between its views"
                     + (f" ({same} the same under every view, not shown)" if same > 0 else ""), fontsize="medium")
        fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02, label="share of answers")
    agree = sorted(i for i in {i for i, _ in summary.adoption} if i not in shown)
    fig.suptitle(f"What distinguishes the views ({summary.cases} cases)"
                 + (f"; views agree on every outcome: issue {', '.join(agree)}" if agree else ""))
    fig.tight_layout(rect=(0, 0, 1, 0.98))
    try:
        fig.savefig(out, metadata={"Date": None} if out.suffix.lower() == ".svg" else
                    ({"CreationDate": None} if out.suffix.lower() == ".pdf" else None))
    except OSError as exc:  # a missing folder, a folder, a full disk
        raise UsageError("--plot", str(out), f"cannot write: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
