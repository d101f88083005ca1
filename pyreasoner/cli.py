"""The ``pyreasoner`` command line.

Exit codes: 0 success, 1 invalid input or inconsistent encodings, 2 usage.
No user error ends in a Python traceback.

>>> main(["views"])  # doctest: +ELLIPSIS
issue a: ...
0
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from . import __version__
from .case import find_case_files, load_cases
from .errors import CaseError, PyreasonerError, UsageError
from .reasoner import MAX_ANSWERS, TIME_LIMIT, Reasoner
from .report import render_result, render_views

__all__ = ["add_solving_options", "main"]


def add_solving_options(sp: argparse.ArgumentParser) -> None:
    """Options shared by every command that solves: --view, --include-rejected, --explore."""
    sp.add_argument("--view", action="append", default=[], metavar="ISSUE=VIEW",
                    help="fix the view of an issue (repeatable), e.g. --view b=joint")
    sp.add_argument("--include-rejected", action="store_true", help="let views the paper rejects be adopted too")
    sp.add_argument("--explore", action="store_true", help="leave unknown facts open and show each completion")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pyreasoner", description="Enumerate every consistent liability outcome of "
                                "e-commerce platform cases under Chinese law, one answer set per scholarly view.")
    p.add_argument("--version", action="version", version=f"pyreasoner {__version__}")
    p.add_argument("--encodings", metavar="PATH", help="master file or folder of the encodings (default: bundled)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("solve", help="solve cases and print every answer set")
    s.add_argument("cases", nargs="+", metavar="CASE", help="case files or folders")
    add_solving_options(s)
    s.add_argument("--format", choices=("text", "json"), default="text", help="json: one JSON object per case per line")
    s.add_argument("--lang", choices=("en", "zh"), default="en")
    s.add_argument("--timing", action="store_true", help="include ground/solve times in JSON output")
    s.add_argument("--time-limit", type=float, default=TIME_LIMIT, metavar="SECONDS",
                   help=f"seconds of search per case (default {TIME_LIMIT:g}); past it the answers found so far, "
                   "marked as cut short")
    s.add_argument("--max-answers", type=int, default=MAX_ANSWERS, metavar="N",
                   help=f"the most answers per case (default {MAX_ANSWERS}); more are announced as cut short")

    v = sub.add_parser("views", help="list the contested issues and their views")
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.add_argument("--lang", choices=("en", "zh"), default="en")

    vo = sub.add_parser("vocab", help="list the input vocabulary")
    vo.add_argument("--format", choices=("text", "json"), default="text")
    vo.add_argument("--lang", choices=("en", "zh"), default="en")

    sub.add_parser("schema", help="print the JSON Schema of the case format")

    pr = sub.add_parser("program", help="print the exact program of a case for plain clingo")
    pr.add_argument("case", metavar="CASE")
    add_solving_options(pr)
    _register_extra(sub)
    return p


#: Modules that add commands: each has ``register(subparsers)`` which adds its parsers
#: and sets ``run=callable(args, reasoner) -> int`` with ``set_defaults``.
_COMMAND_MODULES: tuple[str, ...] = (
    "lint",
    "check",
    "verify",
    "coverage",
    "explain",
    "batch",
    "generate",
    "summary",
)


def _register_extra(sub) -> None:
    import importlib

    for name in _COMMAND_MODULES:
        importlib.import_module(f"pyreasoner.{name}").register(sub)


def _err(message: str) -> None:
    print(f"pyreasoner: error: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except PyreasonerError as exc:
        _err(str(exc))
        return 2 if isinstance(exc, UsageError) else 1
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except OSError as exc:  # stdout on a full disk, say: one line, and no second failure at exit
        _err(f"cannot write the output: {exc.strerror or exc}")
        _drop_stdout()
        return 1
    except KeyboardInterrupt:
        return 130


def _drop_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _run(args: argparse.Namespace) -> int:
    reasoner = Reasoner(args.encodings)
    if getattr(args, "run", None) is not None:
        return args.run(args, reasoner)
    cmd = args.command
    if cmd == "views":
        if args.format == "json":
            print(json.dumps([{"id": i.id, "label": {"zh": i.label_zh, "en": i.label_en},
                               "views": [{"id": v.id, "label": {"zh": v.label_zh, "en": v.label_en},
                                          "status": v.status, "source": v.source,
                                          "counterpoints": [{"provision": p, "text": t} for p, t in v.counterpoints]}
                                         for v in i.views]} for i in reasoner.issues.values()],
                             ensure_ascii=False, indent=2))
        else:
            print(render_views(reasoner.rulebase, args.lang))
        return 0
    if cmd == "vocab":
        if args.format == "json":
            print(json.dumps(reasoner.vocabulary.to_json(), ensure_ascii=False, indent=2))
        else:
            print(reasoner.vocabulary.describe(args.lang))
        return 0
    if cmd == "schema":
        print(json.dumps(reasoner.vocabulary.json_schema(), ensure_ascii=False, indent=2))
        return 0
    if cmd == "program":
        case = reasoner.load(args.case)
        sys.stdout.write(reasoner.program(case, views=args.view, include_rejected=args.include_rejected,
                                          explore=args.explore))
        return 0
    if cmd == "solve":
        status = 0
        find_case_files(args.cases)  # fail early on a missing path
        options = dict(views=args.view, include_rejected=args.include_rejected, explore=args.explore,
                       time_limit=args.time_limit, max_answers=args.max_answers)
        if not 0 < args.time_limit <= 86_400:
            raise UsageError("--time-limit", str(args.time_limit), "expected seconds above 0 and at most 86400")
        if args.max_answers < 1:
            raise UsageError("--max-answers", str(args.max_answers), "expected a whole number of answers >= 1")
        first = True
        for item in load_cases(args.cases, reasoner.vocabulary):
            if isinstance(item, CaseError):
                _err(str(item))
                status = 1
                continue
            result = reasoner.solve(item, **options)
            if args.format == "json":
                print(json.dumps(result.to_json(timing=args.timing), ensure_ascii=False, sort_keys=False))
            else:
                if not first:
                    print()
                print(render_result(result, reasoner.rulebase, args.lang))
            first = False
            sys.stdout.flush()
        return status
    raise UsageError("pyreasoner", cmd, "unknown command")  # pragma: no cover - argparse prevents it
