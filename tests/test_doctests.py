"""Every public module's docstring example runs, and so does every example in a public
docstring (``doctest.testmod`` runs the examples of the module's functions and classes too)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pyreasoner
import pytest


def _public(name: str) -> bool:
    return not any(part.startswith("_") for part in name.split(".")[1:])


#: the package, its modules and its subpackages: each needs a runnable example at its top
TOP = ["pyreasoner"] + sorted(m.name for m in pkgutil.iter_modules(pyreasoner.__path__, "pyreasoner.")
                              if _public(m.name))
#: the modules inside subpackages, and the private engine: their examples run where they have any
#: (``__main__`` is left out: importing it runs the command line)
INNER = sorted(m.name for m in pkgutil.walk_packages(pyreasoner.__path__, "pyreasoner.")
               if m.name not in TOP and m.name != "pyreasoner.__main__")


def _run(name: str) -> doctest.TestResults:
    module = importlib.import_module(name)
    return doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)


@pytest.mark.parametrize("name", TOP)
def test_module_docstring_examples(name):
    module = importlib.import_module(name)
    assert module.__doc__ and ">>>" in module.__doc__, f"{name} needs a runnable example in its docstring"
    assert _run(name).failed == 0


@pytest.mark.parametrize("name", INNER)
def test_every_docstring_example_runs(name):
    assert _run(name).failed == 0
