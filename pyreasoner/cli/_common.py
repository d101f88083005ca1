"""What every command module of the CLI shares: the solving options, ``--lang``, the one
error line, and the three ways to reach the encodings, the least a command needs: a
:class:`Reasoner` to solve, the :class:`RuleBase` to read the declarations, or only the
master file for the tools that read the encodings themselves."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EncodingError
from ..reasoner import Reasoner
from ..rulebase import RuleBase, default_master

__all__ = ["add_lang", "add_solving_options", "err", "make_reasoner", "make_rulebase", "master_path"]


def add_solving_options(sp: argparse.ArgumentParser) -> None:
    """Options shared by every command that solves: --view, --include-rejected, --explore."""
    sp.add_argument("--view", action="append", default=[], metavar="ISSUE=VIEW",
                    help="fix the view of an issue (repeatable), e.g. --view b=joint")
    sp.add_argument("--include-rejected", action="store_true", help="let views the paper rejects be adopted too")
    sp.add_argument("--explore", action="store_true", help="leave unknown facts open and show each completion")


def add_lang(sp: argparse.ArgumentParser) -> None:
    """``--lang {en,zh}``: the language of the words a command prints (identifiers and atoms stay as they are)."""
    sp.add_argument("--lang", choices=("en", "zh"), default="en")


def make_reasoner(args: argparse.Namespace) -> Reasoner:
    """The :class:`Reasoner` of ``--encodings`` (the bundled encodings by default)."""
    encodings: str | None = getattr(args, "encodings", None)
    return Reasoner(encodings)


def make_rulebase(args: argparse.Namespace) -> RuleBase:
    """Only the declarations of ``--encodings`` (vocabulary, issues, provisions, parameters), for
    the commands that read them and solve nothing (``views``, ``vocab``, ``schema``, ``generate``)."""
    return RuleBase(master_path(args))


def master_path(args: argparse.Namespace) -> Path:
    """The master file ``--encodings`` names, resolved as :class:`Reasoner` resolves it, for
    the commands that read the encodings themselves (``lint``, ``verify``, ``coverage --space``)
    and so need no Reasoner."""
    encodings: str | None = getattr(args, "encodings", None)
    master = default_master() if encodings is None else Path(encodings)
    if master.is_dir():
        master = master / "main.lp"
    if not master.is_file():
        raise EncodingError(str(master), None, "no such master file")
    return master.resolve()


def err(message: str) -> None:
    """The one error line: ``pyreasoner: error: MESSAGE`` on standard error."""
    print(f"pyreasoner: error: {message}", file=sys.stderr)
