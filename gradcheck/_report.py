"""What a check found: immutable values, rendered by _render_report.py."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ._convention import Convention
from ._quantities import Key

SMALL = 36  # quantities with at most this many entries are printed whole


@dataclass(frozen=True, eq=False)
class Finding:
    """One quantity of one case that is wrong, or could not be read."""

    key: Key | None  # None when the problem is not about one quantity
    name: str  # the person's own name for the quantity, e.g. "return[0]"
    kind: str  # "mismatch" | "nan" | "shape" | "type"
    message: str
    first: bool = False  # the first wrong quantity in backprop order
    n_wrong: int = 0
    n_entries: int = 0
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    worst_index: tuple[int, ...] | None = None  # canonical index
    got: float | None = None
    expected: dict = field(default_factory=dict)  # method -> value at worst_index
    got_array: np.ndarray | None = None  # the whole quantity, canonical layout, float64
    expected_array: np.ndarray | None = None  # JAX's value of it
    wrong: np.ndarray | None = None  # bool, the entries that disagree with both references
    largest: tuple = ()  # (index, got, expected) of the entries that differ most
    diagnosis: tuple = ()  # Diagnosis values that match, on the first finding only
    hint: str | None = None  # what else would localise it, on the first finding only


@dataclass(frozen=True, eq=False)
class CaseResult:
    case_name: str
    seed: int | None
    status: str  # "pass" | "fail" | "error"
    checked: tuple[Key, ...] = ()
    not_returned: tuple[str, ...] = ()  # canonical quantity names the function does not give
    findings: tuple[Finding, ...] = ()
    error: str | None = None  # why the case could not be checked
    diagnosis: tuple = ()  # Diagnosis values read from the error, if any
    notes: tuple[str, ...] = ()  # e.g. entries where the references cannot decide

    @property
    def first(self) -> Finding | None:
        return next((f for f in self.findings if f.first), None)


@dataclass(frozen=True, eq=False, repr=False)
class Report:
    target: str
    convention: Convention
    layout_note: str
    cases: tuple[CaseResult, ...]
    mode: str = "exhaustive"  # how the finite differences ran: exhaustive, fast, or both

    @property
    def passed(self) -> bool:
        return all(c.status == "pass" for c in self.cases)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def counts(self) -> dict[str, int]:
        return {s: sum(c.status == s for c in self.cases) for s in ("pass", "fail", "error")}

    def without_arrays(self) -> "Report":
        """The same report without the per-entry arrays (what a grader keeps
        of many submissions: text and JSON need only the worst entries)."""
        def slim(finding):
            small = finding.got_array is not None and finding.got_array.size <= SMALL
            return finding if small else replace(finding, got_array=None, expected_array=None, wrong=None)

        cases = tuple(replace(c, findings=tuple(map(slim, c.findings))) for c in self.cases)
        return replace(self, cases=cases)

    def to_text(self) -> str:
        from ._render_report import report_text

        return report_text(self)

    def to_json(self) -> dict:
        """The report as JSON-ready data (schema: gradcheck/report.schema.json)."""
        from ._render_report import report_json

        return report_json(self)

    def to_html(self, *, pictures: bool = True) -> str:
        """A self-contained HTML page: no script, style sheet or image is
        fetched from anywhere. ``pictures``: embed heatmaps of the failing
        quantities when matplotlib is installed."""
        from ._render_html import report_html

        return report_html(self, standalone=True, pictures=pictures)

    def _repr_html_(self) -> str:  # how Jupyter shows a report
        from ._render_html import report_html

        return report_html(self, standalone=False, pictures=True)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        counts = self.counts()
        return (f"<gradcheck Report {self.target}: {counts['pass']} passed, {counts['fail']} failed, "
                f"{counts['error']} errors>")
