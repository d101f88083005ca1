"""Typed errors. Each names the file, the key or line, and what was expected.

>>> from pyreasoner.errors import CaseError
>>> str(CaseError("cases/x.yaml", "line 4: facts.established[0]", "unknown predicate 'sol' (did you mean 'sold'?)"))
"cases/x.yaml: line 4: facts.established[0]: unknown predicate 'sol' (did you mean 'sold'?)"
"""

from __future__ import annotations

__all__ = ["CaseError", "EncodingError", "PyreasonerError", "UsageError", "WorkerDied"]


class PyreasonerError(Exception):
    """Base of every error pyreasoner raises on purpose.

    Parameters
    ----------
    file:
        The file at fault (or a label such as ``<api>``).
    where:
        The line and/or key inside it, or ``None``.
    message:
        What was wrong and what was expected, in one line.
    """

    def __init__(self, file: str, where: str | None, message: str) -> None:
        self.file = file
        self.where = where
        self.message = message
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[PyreasonerError], tuple[str, str | None, str]]:
        # so that an error crosses from a worker process intact
        return (type(self), (self.file, self.where, self.message))

    def __str__(self) -> str:
        parts = [self.file] + ([self.where] if self.where else []) + [self.message]
        # one line of bounded length, whatever the input held, and no terminal control codes
        return ": ".join(_clean(str(p)) for p in parts)


#: The most characters one part (file, where, message) of an error line keeps.
MAX_PART = 1000
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROL.update({0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"})


def _clean(text: str) -> str:
    """Control characters escaped (``\\n``, ``\\x1b``, ...), cut to :data:`MAX_PART` characters."""
    if len(text) > MAX_PART:
        text = text[:MAX_PART] + f"... ({len(text) - MAX_PART:,} more characters)"
    return text.translate(_CONTROL)


class CaseError(PyreasonerError):
    """A case file or case object is invalid."""


class EncodingError(PyreasonerError):
    """The encodings are malformed or inconsistent."""


class UsageError(PyreasonerError):
    """A request (view selection, option) does not fit the encodings."""


class WorkerDied(UsageError):
    """A worker process of a batch died (out of memory, or killed); the records written so
    far are kept. ``stuck``: it was found dead before the pool reported it; if it died while
    writing its result, the process pool's own thread waits for the rest of that message
    for ever (CPython's ``ProcessPoolExecutor``), and a program can then only end with
    ``os._exit`` (the command line does)."""

    stuck: bool = False
