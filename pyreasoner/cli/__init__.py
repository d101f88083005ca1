"""The ``pyreasoner`` command line: the only part of the package that parses arguments and
prints (the top layer: CLI → tools → API → model → engine; ``tests/test_architecture.py``).

Exit codes: 0 success, 1 invalid input or inconsistent encodings, 2 usage.
No user error ends in a Python traceback.

How a command is built (the pattern every module of this package follows):

- one module per command group, ``pyreasoner/cli/<group>.py``, named in
  :data:`_COMMAND_MODULES`; it imports the tool or API module it drives, never the reverse;
- its ``register(sub)`` adds the parser(s) and binds ``set_defaults(run=run)``;
- ``run(args) -> int`` builds what the command needs and no more: a :class:`Reasoner`
  through :func:`._common.make_reasoner` only when it solves or reads the declarations,
  the master file (:func:`._common.master_path`) when the tool reads the encodings
  itself, nothing at all for ``summary`` and ``completion``;
- the tool module returns values or text; ``run`` prints them, and passes a callback
  when the tool reports progress on standard error. The tool module imports neither
  ``argparse`` nor ``pyreasoner.cli`` and never prints.

Errors are :class:`PyreasonerError`: :func:`main` prints them on one line, naming the
command-line option where the Python API names its parameter (:data:`_FLAGS`).

>>> main(["views"])  # doctest: +ELLIPSIS
issue a: ...
0
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import PyreasonerError, UsageError, WorkerDied
from ._common import add_solving_options, err

__all__ = ["add_solving_options", "completion_script", "main"]


class _Version(argparse.Action):
    """``--version``: pyreasoner's and clingo's versions and the fingerprint of the rule base
    (the one ``--encodings`` names when it comes first, else the bundled one)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        from ..lint import display_path
        from ..rulebase import _root, provenance

        encodings = getattr(namespace, "encodings", None)
        try:
            info = provenance(encodings)
            where = display_path(_root(encodings))
        except (OSError, PyreasonerError) as exc:
            parser.exit(1, f"pyreasoner: error: {exc}\n")
        sys.stdout.write(f"pyreasoner {info['pyreasoner']} (clingo {info['clingo']}); rule base {where}, "
                         f"fingerprint {info['rules']}\n")
        parser.exit(0)


#: The command modules, in the order their commands are listed: each is ``pyreasoner.cli.<name>``
#: with ``register(sub)`` (see the module docstring).
_COMMAND_MODULES: tuple[str, ...] = (
    "solving",
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

def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pyreasoner", description="Enumerate every consistent liability outcome of "
                                "e-commerce platform cases under Chinese law, one answer set per scholarly view.")
    p.add_argument("--version", action=_Version, help="print the versions of pyreasoner and clingo and the "
                   "fingerprint of the rule base, and exit")
    p.add_argument("--encodings", metavar="PATH", help="master file or folder of the encodings (default: bundled)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    for command in sub.choices.values():  # global options after the command too: `lint --encodings DIR`
        if not any("--encodings" in a.option_strings for a in command._actions):
            command.add_argument("--encodings", metavar="PATH", default=argparse.SUPPRESS,
                                 help="master file or folder of the encodings (as before the command)")
    return p


#: The Python API names its parameters in errors (``views``); the command line names its options.
_FLAGS = {"views": "--view", "target": "--outcome", "only": "--invariant", "chunk_size": "--chunk-size",
          "config.timeout": "--timeout", "config.memory": "--max-memory", "workers": "--workers",
          "recycle": "--recycle", "out": "--out", "resume": "--resume", "executor": "--executor",
          "scheduler": "--scheduler", "time_limit": "--time-limit", "max_answers": "--max-answers",
          "bounds": "--bound", "numbers": "--numbers", "timeout": "--timeout"}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except PyreasonerError as exc:
        if isinstance(exc, UsageError) and exc.file in _FLAGS:
            exc = UsageError(_FLAGS[exc.file], exc.where, exc.message)
        err(str(exc))
        if isinstance(exc, WorkerDied) and exc.stuck:  # the pool's thread may never end: do not wait for it
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(2)
        return 2 if isinstance(exc, UsageError) else 1
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except OSError as exc:  # stdout on a full disk, say: one line, and no second failure at exit
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        err(f"cannot write the output{where}: {exc.strerror or exc}")
        _drop_stdout()
        return 1
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    """Run the command: ``args.run(args)``, which builds what it needs; its output paths are
    checked first, so that a bad one fails at once and not after the work (``_check_outputs``)."""
    _check_outputs(args)
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)


#: Per command, its options that name an output written at the end, and whether each is a
#: file or a folder (batch and generate check and create their own).
_OUTPUTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "verify": (("out", "--out", "folder"),),
    "diff": (("out", "--out", "file"),),
    "test": (("junit_xml", "--junit-xml", "file"),),
    "summary": (("plot", "--plot", "file"),),
}


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse an output path that cannot be written, naming the option and the path: a file
    whose folder is missing or is not a folder, a file that is a folder, a folder that is a
    file, or a folder this user may not write in."""
    for attr, flag, kind in _OUTPUTS.get(getattr(args, "command", ""), ()):
        value = getattr(args, attr, None)
        if not value or value == "-":
            continue
        path = Path(value)
        try:
            if kind == "folder":
                if path.exists() and not path.is_dir():
                    raise UsageError(flag, str(path), "is a file; expected a folder (created if missing)")
                parent = next((p for p in (path, *path.parents) if p.exists()), Path("."))
                if not parent.is_dir():
                    raise UsageError(flag, str(path), f"{str(parent)!r} is a file; expected a folder")
            else:
                if path.is_dir():
                    raise UsageError(flag, str(path), "is a folder; expected a file")
                if path.is_symlink() and not path.exists():
                    raise UsageError(flag, str(path), "is a symbolic link that leads to no file (or a loop)")
                parent = path.parent
                if not parent.is_dir():
                    raise UsageError(flag, str(path), f"no such folder {str(parent)!r}")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise UsageError(flag, str(path), f"the folder {str(parent)!r} is not writable")
        except OSError as exc:  # a symbolic link loop, say
            raise UsageError(flag, str(path), f"cannot use this path: {exc.strerror or exc}") from None


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
