"""One exception hierarchy: every error gradcheck raises names its cause and its fix."""

from __future__ import annotations


class GradcheckError(Exception):
    """Base class of every error gradcheck raises on purpose."""


class CaseError(GradcheckError):
    """A case file or case definition is wrong.

    ``path`` and ``line`` point at the offending place when known.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        where = path if path is not None else "<case>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class UnknownCaseError(GradcheckError):
    """A case name is not in the catalogue."""


class ConventionError(GradcheckError):
    """The declared conventions are contradictory or unknown."""


class TargetError(GradcheckError):
    """The function to check cannot be found or imported."""
