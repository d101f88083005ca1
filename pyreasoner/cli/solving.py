"""``solve``, ``program``, ``views``, ``vocab``, ``schema`` and ``completion``: the commands
on the Python API itself (:class:`Reasoner` and :mod:`pyreasoner.report`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence

from ..case import Case, find_case_files, load_cases
from ..errors import CaseError, UsageError
from ..reasoner import MAX_ANSWERS, TIME_LIMIT, Reasoner
from ..report import render_result, render_views
from ._common import add_lang, add_solving_options, err, make_reasoner, make_rulebase

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``solve``, ``views``, ``vocab``, ``schema``, ``completion`` and ``program``."""
    s = sub.add_parser("solve", help="solve cases and print every answer set")
    s.add_argument("cases", nargs="+", metavar="CASE", help="case files, folders or JSON Lines files (a case a line); '-' reads one case document "
                   "(YAML or JSON) from standard input")
    add_solving_options(s)
    s.add_argument("--format", choices=("text", "json"), default="text", help="json: one JSON object per case per line")
    add_lang(s)
    s.add_argument("--timing", action="store_true", help="include ground/solve times in JSON output")
    s.add_argument("--time-limit", type=float, default=TIME_LIMIT, metavar="SECONDS",
                   help=f"seconds of search per case (default {TIME_LIMIT:g}); past it the answers found so far, "
                   "marked as cut short")
    s.add_argument("--max-answers", type=int, default=MAX_ANSWERS, metavar="N",
                   help=f"the most answers per case (default {MAX_ANSWERS}); more are announced as cut short")
    s.set_defaults(run=run_solve)

    v = sub.add_parser("views", help="list the contested issues and their views")
    v.add_argument("--format", choices=("text", "json"), default="text")
    add_lang(v)
    v.set_defaults(run=run_views)

    vo = sub.add_parser("vocab", help="list the input vocabulary")
    vo.add_argument("--format", choices=("text", "json"), default="text")
    add_lang(vo)
    vo.set_defaults(run=run_vocab)

    sub.add_parser("schema", help="print the JSON Schema of the case format").set_defaults(run=run_schema)

    co = sub.add_parser("completion", help="print a shell completion script: eval \"$(pyreasoner completion bash)\"")
    co.add_argument("shell", choices=("bash", "zsh"), help="zsh loads it through bashcompinit")
    co.set_defaults(run=run_completion)

    pr = sub.add_parser("program", help="print the exact program of a case for plain clingo")
    pr.add_argument("case", metavar="CASE")
    add_solving_options(pr)
    pr.set_defaults(run=run_program)


def run_completion(args: argparse.Namespace) -> int:
    """Reads the parser only: no encodings."""
    from . import completion_script

    sys.stdout.write(completion_script(args.shell))
    return 0


def run_schema(args: argparse.Namespace) -> int:
    """Reads the declarations of the encodings (the vocabulary) only: no Reasoner."""
    print(json.dumps(make_rulebase(args).vocabulary.json_schema(), ensure_ascii=False, indent=2))
    return 0


def run_views(args: argparse.Namespace) -> int:
    rulebase = make_rulebase(args)
    if args.format == "json":
        print(json.dumps([{"id": i.id, "label": {"zh": i.label_zh, "en": i.label_en},
                           "views": [{"id": v.id, "label": {"zh": v.label_zh, "en": v.label_en},
                                      "status": v.status, "source": v.source, "source_zh": v.source_zh,
                                      "in_force": v.in_force, "in_force_zh": v.in_force_zh,
                                      "off_by_default": v.off_by_default,
                                      "counterpoints": [{"provision": p, "text": t, "text_zh": z} for (p, t), (_, z)
                                                        in zip(v.counterpoints, v.counterpoints_zh, strict=True)]}
                                     for v in i.views]} for i in rulebase.issues.values()],
                         ensure_ascii=False, indent=2))
    else:
        print(render_views(rulebase, args.lang))
    return 0


def run_vocab(args: argparse.Namespace) -> int:
    vocabulary = make_rulebase(args).vocabulary
    if args.format == "json":
        print(json.dumps(vocabulary.to_json(), ensure_ascii=False, indent=2))
    else:
        print(vocabulary.describe(args.lang))
    return 0


def run_program(args: argparse.Namespace) -> int:
    reasoner = make_reasoner(args)
    case = reasoner.load(args.case)
    sys.stdout.write(reasoner.program(case, views=args.view, include_rejected=args.include_rejected,
                                      explore=args.explore))
    return 0


def run_solve(args: argparse.Namespace) -> int:
    reasoner = make_reasoner(args)
    status = 0
    named = [c for c in args.cases if c != "-"]
    if named:
        find_case_files(named)  # fail early on a missing path
    if not 0 < args.time_limit <= 86_400:
        raise UsageError("--time-limit", str(args.time_limit), "expected seconds above 0 and at most 86400")
    if args.max_answers < 1:
        raise UsageError("--max-answers", str(args.max_answers), "expected a whole number of answers >= 1")
    first = True
    for item in _cases(args.cases, reasoner):
        if isinstance(item, CaseError):
            err(str(item))
            status = 1
            continue
        result = reasoner.solve(item, views=args.view, include_rejected=args.include_rejected, explore=args.explore,
                                time_limit=args.time_limit, max_answers=args.max_answers)
        if args.format == "json":
            print(json.dumps(result.to_json(timing=args.timing), ensure_ascii=False, sort_keys=False))
        else:
            if not first:
                print()
            print(render_result(result, reasoner.rulebase, args.lang))
        first = False
        sys.stdout.flush()
    return status


def _cases(paths: Sequence[str], reasoner: Reasoner) -> Iterator[Case | CaseError]:
    """The cases of ``paths`` in order, ``-`` being one case document read from standard input."""
    files: list[str] = []
    for path in [*paths, None]:
        if path is not None and path != "-":
            files.append(path)
            continue
        if files:
            yield from load_cases(files, reasoner.vocabulary)
            files = []
        if path == "-":
            yield _stdin_case(reasoner)


def _stdin_case(reasoner: Reasoner) -> Case | CaseError:
    """One case document (YAML or JSON) from standard input, or its :class:`CaseError`: read
    with the same bounds and checks as a case file (size, UTF-8, byte-order mark, empty
    input, duplicate keys, YAML expansion bound)."""
    from ..case import MAX_CASE_BYTES, _load_yaml, case_from_data

    file = "<stdin>"
    data = sys.stdin.buffer.read(MAX_CASE_BYTES + 1)
    try:
        if len(data) > MAX_CASE_BYTES:
            raise CaseError(file, None, f"more than {MAX_CASE_BYTES:,} bytes; expected a smaller case document")
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise CaseError(file, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        if not text.strip():
            raise CaseError(file, None, "standard input is empty; expected a case")
        doc, lines = _load_yaml(text, file)
        return case_from_data(doc, reasoner.vocabulary, file=file, lines=lines)
    except CaseError as exc:
        return exc
