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

from .case import find_case_files, load_cases
from .errors import CaseError, PyreasonerError, UsageError
from .reasoner import MAX_ANSWERS, TIME_LIMIT, Reasoner
from .report import render_result, render_views

__all__ = ["add_solving_options", "completion_script", "main"]


def add_solving_options(sp: argparse.ArgumentParser) -> None:
    """Options shared by every command that solves: --view, --include-rejected, --explore."""
    sp.add_argument("--view", action="append", default=[], metavar="ISSUE=VIEW",
                    help="fix the view of an issue (repeatable), e.g. --view b=joint")
    sp.add_argument("--include-rejected", action="store_true", help="let views the paper rejects be adopted too")
    sp.add_argument("--explore", action="store_true", help="leave unknown facts open and show each completion")


class _Version(argparse.Action):
    """``--version``: pyreasoner's and clingo's versions and the fingerprint of the rule base
    (the one ``--encodings`` names when it comes first, else the bundled one)."""

    def __init__(self, option_strings, dest, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from .lint import display_path
        from .rulebase import _root, provenance

        encodings = getattr(namespace, "encodings", None)
        try:
            info = provenance(encodings)
            where = display_path(_root(encodings))
        except (OSError, PyreasonerError) as exc:
            parser.exit(1, f"pyreasoner: error: {exc}\n")
        sys.stdout.write(f"pyreasoner {info['pyreasoner']} (clingo {info['clingo']}); rule base {where}, "
                         f"fingerprint {info['rules']}\n")
        parser.exit(0)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pyreasoner", description="Enumerate every consistent liability outcome of "
                                "e-commerce platform cases under Chinese law, one answer set per scholarly view.")
    p.add_argument("--version", action=_Version, help="print the versions of pyreasoner and clingo and the "
                   "fingerprint of the rule base, and exit")
    p.add_argument("--encodings", metavar="PATH", help="master file or folder of the encodings (default: bundled)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("solve", help="solve cases and print every answer set")
    s.add_argument("cases", nargs="+", metavar="CASE", help="case files or folders; '-' reads one case document "
                   "(YAML or JSON) from standard input")
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

    co = sub.add_parser("completion", help="print a shell completion script: eval \"$(pyreasoner completion bash)\"")
    co.add_argument("shell", choices=("bash", "zsh"), help="zsh loads it through bashcompinit")

    pr = sub.add_parser("program", help="print the exact program of a case for plain clingo")
    pr.add_argument("case", metavar="CASE")
    add_solving_options(pr)
    _register_extra(sub)
    for command in sub.choices.values():  # global options after the command too: `lint --encodings DIR`
        if not any("--encodings" in a.option_strings for a in command._actions):
            command.add_argument("--encodings", metavar="PATH", default=argparse.SUPPRESS,
                                 help="master file or folder of the encodings (as before the command)")
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
    "testing",
    "diff",
)


def _register_extra(sub) -> None:
    import importlib

    for name in _COMMAND_MODULES:
        importlib.import_module(f"pyreasoner.{name}").register(sub)


def _err(message: str) -> None:
    print(f"pyreasoner: error: {message}", file=sys.stderr)


#: The Python API names its parameters in errors (``views``); the command line names its options.
_FLAGS = {"views": "--view", "target": "--outcome", "only": "--invariant", "chunk_size": "--chunk-size",
          "config.timeout": "--timeout", "config.memory": "--max-memory", "workers": "--workers",
          "recycle": "--recycle", "out": "--out", "resume": "--resume", "executor": "--executor",
          "scheduler": "--scheduler", "time_limit": "--time-limit", "max_answers": "--max-answers"}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except PyreasonerError as exc:
        if isinstance(exc, UsageError) and exc.file in _FLAGS:
            exc = UsageError(_FLAGS[exc.file], exc.where, exc.message)
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


def completion_script(shell: str = "bash") -> str:
    """A completion script for bash (and zsh through ``bashcompinit``): the commands, and
    each command's options, read from the parser; file names elsewhere."""
    parser = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    top = sorted(sub.choices) + sorted(o for a in parser._actions for o in a.option_strings if o.startswith("--"))
    cases = []
    for name, command in sorted(sub.choices.items()):
        opts = sorted({o for a in command._actions for o in a.option_strings if o.startswith("--")})
        cases.append(f"    {name}) opts=\"{' '.join(opts)}\" ;;")
    lines = [
        "# pyreasoner completion (generated by: pyreasoner completion " + shell + ")",
        *(["autoload -U +X bashcompinit && bashcompinit"] if shell == "zsh" else []),
        "_pyreasoner() {",
        "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmd=\"\" skip=0 w opts",
        "  for w in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do",
        "    if [ $skip = 1 ]; then skip=0; continue; fi",
        "    case \"$w\" in --encodings) skip=1 ;; -*) ;; *) cmd=\"$w\"; break ;; esac",
        "  done",
        "  case \"$cmd\" in",
        *cases,
        f"    *) opts=\"{' '.join(top)}\" ;;",
        "  esac",
        "  if [ -z \"$cmd\" ] || [ \"${cur#-}\" != \"$cur\" ]; then",
        "    COMPREPLY=( $(compgen -W \"$opts\" -- \"$cur\") )",
        "  else",
        "    COMPREPLY=( $(compgen -f -- \"$cur\") )",
        "  fi",
        "}",
        "complete -o default -F _pyreasoner pyreasoner",
    ]
    return "\n".join(lines) + "\n"


def _drop_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _run(args: argparse.Namespace) -> int:
    if args.command == "completion":
        sys.stdout.write(completion_script(args.shell))
        return 0
    reasoner = Reasoner(args.encodings)
    if getattr(args, "run", None) is not None:
        return args.run(args, reasoner)
    cmd = args.command
    if cmd == "views":
        if args.format == "json":
            print(json.dumps([{"id": i.id, "label": {"zh": i.label_zh, "en": i.label_en},
                               "views": [{"id": v.id, "label": {"zh": v.label_zh, "en": v.label_en},
                                          "status": v.status, "source": v.source, "source_zh": v.source_zh,
                                          "counterpoints": [{"provision": p, "text": t, "text_zh": z} for (p, t), (_, z)
                                                            in zip(v.counterpoints, v.counterpoints_zh, strict=True)]}
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
        named = [c for c in args.cases if c != "-"]
        if named:
            find_case_files(named)  # fail early on a missing path
        options = dict(views=args.view, include_rejected=args.include_rejected, explore=args.explore,
                       time_limit=args.time_limit, max_answers=args.max_answers)
        if not 0 < args.time_limit <= 86_400:
            raise UsageError("--time-limit", str(args.time_limit), "expected seconds above 0 and at most 86400")
        if args.max_answers < 1:
            raise UsageError("--max-answers", str(args.max_answers), "expected a whole number of answers >= 1")
        first = True
        for item in _cases(args.cases, reasoner):
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


def _cases(paths: Sequence[str], reasoner: Reasoner):
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


def _stdin_case(reasoner: Reasoner):
    """One case document (YAML or JSON) from standard input, or its :class:`CaseError`: read
    with the same bounds and checks as a case file (size, UTF-8, byte-order mark, empty
    input, duplicate keys, YAML expansion bound)."""
    from .case import MAX_CASE_BYTES, _load_yaml, case_from_data

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
