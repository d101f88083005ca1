"""``pyreasoner diff``: :mod:`pyreasoner.diff` between two rule bases (folders or git
revisions of the encodings) and/or two view selections, in the words of ``--lang``."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from ..diff import Side, diff_corpus, render_diff, rules_at_revision
from ..errors import UsageError
from ..query import Query
from ..reasoner import Reasoner
from ..report import DIFF_WORDS
from ._common import add_lang, make_reasoner

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyreasoner diff``."""
    p = sub.add_parser("diff", help="the cases of a corpus whose outcomes change between two rule bases "
                       "or two view selections",
                       description="Solve a corpus on two sides (two rule bases: folders or git revisions of "
                       "the encodings; and/or two view selections) and list the cases whose outcomes change, "
                       "grouped by provision and by view, with counts.")
    p.add_argument("corpus", nargs="+", metavar="CORPUS", help="folders, case files or .jsonl files of cases")
    p.add_argument("--old", metavar="RULES", help="the old rule base: a folder or master file of encodings, or a git "
                   "revision of the encodings folder (e.g. HEAD, main~3); default: the current encodings")
    p.add_argument("--new", metavar="RULES", help="the new rule base (as --old); default: the current encodings")
    p.add_argument("--old-view", action="append", default=[], metavar="ISSUE=VIEW", help="fix a view on the old side")
    p.add_argument("--new-view", action="append", default=[], metavar="ISSUE=VIEW", help="fix a view on the new side")
    p.add_argument("--view", action="append", default=[], metavar="ISSUE=VIEW", help="fix a view on both sides")
    p.add_argument("--include-rejected", action="store_true", help="let views the paper rejects be adopted too")
    p.add_argument("--out", metavar="FILE", help="write the detail, one JSON object per changed case, to FILE "
                   "('-': stdout, instead of the text)")
    p.add_argument("--chunk-size", type=int, default=64, metavar="N", help="cases grounded together (default 64)")
    add_lang(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    reasoner = make_reasoner(args)
    w = DIFF_WORDS[args.lang]
    if args.chunk_size < 1:
        raise UsageError("--chunk-size", str(args.chunk_size), "expected a positive number")
    current = reasoner.rulebase.master.parent
    with contextlib.ExitStack() as stack:
        def rules(spec: str | None) -> tuple[Reasoner, str]:
            if spec is None:
                return reasoner, _shown(current)
            path = Path(spec)
            if path.exists():
                return Reasoner(path), _shown(path)
            folder = stack.enter_context(rules_at_revision(spec, current))
            return Reasoner(folder), f"{_shown(current)}@{spec}"

        def with_views(views: Sequence[str]) -> str:
            return w["with"].format(views=", ".join(views)) if views else ""

        r_old, l_old = rules(args.old)
        r_new, l_new = rules(args.new)
        if args.new is None and args.old is not None:
            l_new += w["working_tree"]
        old = Side(r_old, views=[*args.view, *args.old_view], include_rejected=args.include_rejected,
                   label=l_old + with_views(args.old_view))
        new = Side(r_new, views=[*args.view, *args.new_view], include_rejected=args.include_rejected,
                   label=l_new + with_views(args.new_view))
        for side, flag in ((old, "--old-view"), (new, "--new-view")):
            try:
                Query.of(side.reasoner.issues, list(side.views), include_rejected=side.include_rejected)
            except UsageError as exc:
                raise UsageError(flag, exc.where, exc.message) from None
        report = diff_corpus(args.corpus, old, new, chunk_size=args.chunk_size)
        # exit 1 when a case could not be solved on a side: the comparison is then incomplete
        status = 1 if report.invalid else 0
        if args.out == "-":
            sys.stdout.writelines(report.records())
            return status
        print(render_diff(report, " ".join(args.corpus), r_new.rulebase, lang=args.lang))
        if args.out:
            with open(args.out, "w", encoding="utf-8") as fh:
                fh.writelines(report.records())
            print(w["detail"].format(n=len(report.changed), out=args.out), file=sys.stderr)
        return status


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
