"""The public helper for tests: fail with the same report the CLI prints."""

from __future__ import annotations

from ._check import check
from ._convention import Convention
from ._render_report import report_text


class BackpropMismatch(AssertionError):
    """A backprop function disagrees with the references on a case."""


def assert_backprop(fn, convention: Convention, case) -> None:
    """Check ``fn`` on one case; raise BackpropMismatch with the report if it fails."""
    __tracebackhide__ = True
    report = check(fn, convention, [case], target=getattr(fn, "__qualname__", None))
    if not report.passed:
        raise BackpropMismatch("\n" + report_text(report))
