"""Every public module's docstring example runs."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pyreasoner
import pytest

MODULES = sorted(m.name for m in pkgutil.iter_modules(pyreasoner.__path__, "pyreasoner.")
                 if not m.name.split(".")[-1].startswith("_"))


@pytest.mark.parametrize("name", MODULES)
def test_module_docstring_examples(name):
    module = importlib.import_module(name)
    assert module.__doc__ and ">>>" in module.__doc__, f"{name} needs a runnable example in its docstring"
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
