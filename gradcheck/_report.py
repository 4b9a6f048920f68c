"""What a check found: immutable values, rendered by _render_report.py."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._convention import Convention
from ._quantities import Key


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
    got_matrix: np.ndarray | None = None  # canonical, small quantities only
    expected_matrix: np.ndarray | None = None
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


@dataclass(frozen=True, eq=False)
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
