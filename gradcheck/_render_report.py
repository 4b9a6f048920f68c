"""A check Report as text for people and as JSON for programs (schema:
gradcheck/report.schema.json, described in the README)."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from ._jsonable import jsonable
from ._quantities import DESCRIPTIONS
from ._report import SMALL

SCHEMA_VERSION = 1


def _side_by_side(got: np.ndarray, expected: np.ndarray, indent: str) -> list[str]:
    fmt = lambda m: np.array2string(np.atleast_2d(m), precision=6, suppress_small=False, separator=" ").splitlines()
    left, right = fmt(got), fmt(expected)
    width = max(len(line) for line in left + ["yours"])
    lines = [f"{indent}{'yours':<{width}}   expected (jax)"]
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        lines.append(f"{indent}{a:<{width}}   {b}")
    return lines


def mode_words(report) -> str:
    how = {"exhaustive": "every entry", "fast": "along random directions, every entry JAX disputes differenced"}
    return ", ".join(f"{m} ({how[m]})" for m in report.mode.split("/"))


def worst_entry_words(finding) -> str:
    """The errors of a mismatch and its worst entry against both references."""
    return (f"max abs err {finding.max_abs_err:.3g}, max rel err {finding.max_rel_err:.3g}; "
            f"at {list(finding.worst_index)}: yours {finding.got:.8g}, jax {finding.expected['jax']:.8g}, "
            f"finite differences {finding.expected['finite_differences']:.8g}")


def report_text(report) -> str:
    lines = [f"gradcheck {report.target}", f"  layout {report.layout_note}", f"  finite differences: {mode_words(report)}"]
    for case in report.cases:
        seed = f" (seed {case.seed})" if case.seed is not None else ""
        if case.status == "error":
            lines.append(f"ERROR {case.case_name}{seed}: {case.error}")
            lines += [f"  likely mistake: {d.words}" for d in case.diagnosis]
            continue
        checked = ", ".join(map(str, case.checked)) or "nothing"
        lines.append(f"{case.status.upper():<5} {case.case_name}{seed}: checked {checked}")
        for finding in case.findings:
            mark = "  <- the error starts here" if finding.first else ""
            lines.append(f"  {'*' if finding.first else '-'} {finding.message}{mark}")
            if finding.kind == "mismatch":
                what = DESCRIPTIONS.get(finding.key.quantity, "") if finding.key else ""
                lines.append(f"      {what}: {worst_entry_words(finding)}")
                if finding.got_array is not None and finding.got_array.size <= SMALL:
                    lines += _side_by_side(finding.got_array, finding.expected_array, "      ")
            if finding.first:
                for d in finding.diagnosis:
                    lines.append(f"    likely mistake: {d.words}")
                    lines.append(f"      your code computes {d.formula}")
                if not finding.diagnosis and finding.kind in ("mismatch", "shape"):
                    lines.append("    no known mistake matches this value; the entries that differ most:")
                    lines += [f"      {list(index)}: yours {got:.8g}, expected {expected:.8g}" for index, got, expected in finding.largest]
                if finding.hint:
                    lines.append(f"    note: {finding.hint}")
        for note in case.notes:
            lines.append(f"  note: {note}")
    first_case = report.cases[0] if report.cases else None
    if first_case is not None and first_case.not_returned:
        lines.append(f"not checked, because the function does not return them: {', '.join(first_case.not_returned)}")
    counts = report.counts()
    lines.append(f"{counts['pass']} passed, {counts['fail']} failed, {counts['error']} errors")
    return "\n".join(lines)


def _finding_json(finding) -> dict:
    return {
        "quantity": finding.key.quantity if finding.key else None,
        "layer": finding.key.layer if finding.key else None,
        "name": finding.name,
        "kind": finding.kind,
        "message": finding.message,
        "first": finding.first,
        "n_wrong": finding.n_wrong,
        "n_entries": finding.n_entries,
        "max_abs_err": finding.max_abs_err,
        "max_rel_err": finding.max_rel_err,
        "worst_index": list(finding.worst_index) if finding.worst_index is not None else None,
        "got": finding.got,
        "expected": finding.expected or None,
        "diagnosis": [d._asdict() for d in finding.diagnosis],
        "hint": finding.hint,
    }


def report_json(report) -> dict:
    counts = report.counts()
    return jsonable({
        "schema_version": SCHEMA_VERSION,
        "target": report.target,
        "status": "pass" if report.passed else "fail",
        "layout": report.layout_note,
        "mode": report.mode,
        "convention": asdict(report.convention),
        "summary": {"passed": counts["pass"], "failed": counts["fail"], "errors": counts["error"]},
        "cases": [
            {
                "name": case.case_name,
                "seed": case.seed,
                "status": case.status,
                "error": case.error,
                "diagnosis": [d._asdict() for d in case.diagnosis],
                "checked": [{"quantity": k.quantity, "layer": k.layer} for k in case.checked],
                "not_returned": list(case.not_returned),
                "notes": list(case.notes),
                "findings": [_finding_json(f) for f in case.findings],
            }
            for case in report.cases
        ],
    })
