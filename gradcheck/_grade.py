"""Grading many submissions: one isolated check each, in parallel, one report
per submission, a summary, and Gradescope's results.json."""

from __future__ import annotations

import glob
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ._check import check
from ._errors import GradcheckError
from ._references import case_references
from ._render_report import report_json, report_text
from ._runner import Isolated, Limits


@dataclass(frozen=True)
class Submission:
    name: str  # the student's folder or file name
    target: str  # path/to/file.py:function


@dataclass(frozen=True)
class Graded:
    submission: Submission
    report: object | None  # a Report, or None when nothing could run
    error: str | None = None

    @property
    def summary(self) -> dict:
        if self.report is None:
            return {"submission": self.submission.name, "passed": 0, "cases": 0, "first_finding": f"error: {self.error}"}
        first = next((c for c in self.report.cases if c.status != "pass"), None)
        if first is None:
            finding = ""
        elif first.status == "error":
            finding = f"{first.case_name}: {first.error}"
        else:
            f = first.first
            named = f"; {f.diagnosis[0].bug}" if f.diagnosis else ""
            finding = f"{first.case_name}: {f.key}{named}" if f.kind == "mismatch" else f"{first.case_name}: {f.message}{named}"
        return {"submission": self.submission.name, "passed": self.report.counts()["pass"], "cases": len(self.report.cases),
                "first_finding": finding}


def find_submissions(patterns, file_name: str, function: str) -> list[Submission]:
    """Folders (the file inside each) or files, from paths or glob patterns."""
    found = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) or [pattern]
        for match in matches:
            path = Path(match)
            if path.is_dir():
                found.append(Submission(path.name, f"{path / file_name}:{function}"))
            elif path.suffix == ".py":
                found.append(Submission(path.stem, f"{path}:{function}"))
            else:
                raise GradcheckError(f"{match} is neither a folder nor a .py file; pass student folders or their .py files")
    names = [s.name for s in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise GradcheckError(f"two submissions are both named {duplicates[0]!r}; pass each student's folder once")
    return found


def grade_one(submission: Submission, conv, cases, limits: Limits, mode: str = "auto") -> Graded:
    try:
        return Graded(submission, check(Isolated(submission.target, limits), conv, cases, target=submission.target,
                                            mode=mode).without_arrays())
    except GradcheckError as exc:
        return Graded(submission, None, str(exc))


def grade(submissions, conv, cases, *, limits: Limits = Limits(), jobs: int = 1, mode: str = "auto",
          progress=None) -> list[Graded]:
    """Every submission, ``jobs`` at a time. The references are computed once,
    up front; each submission's function runs in its own worker process."""
    for case in cases:
        case_references(case, mode)
    done = []

    def one(submission):
        graded = grade_one(submission, conv, cases, limits, mode)
        done.append(submission)
        if progress is not None:
            progress(len(done) - 1, len(submissions), submission.name)
        return graded

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, submissions))


def gradescope_results(graded: Graded, *, points_per_case: float = 1.0, partial: str = "case",
                       hidden: frozenset = frozenset()) -> dict:
    """Gradescope's results.json: a test per case, ``partial`` = "case" (all or
    nothing per case) or "quantity" (the share of checked quantities that agree).
    Cases named in ``hidden`` are shown only after grades are published."""
    if graded.report is None:
        return {"score": 0.0, "output": f"gradcheck could not check this submission: {graded.error}", "tests": []}
    tests = []
    for case in graded.report.cases:
        if case.status == "pass":
            share = 1.0
        elif case.status == "error" or partial == "case" or not case.checked:
            share = 0.0
        else:
            wrong = {f.key for f in case.findings if f.key is not None}
            share = sum(k not in wrong for k in case.checked) / len(case.checked)
        single = type(graded.report)(graded.report.target, graded.report.convention, graded.report.layout_note, (case,))
        tests.append({
            "name": case.case_name,
            "score": round(points_per_case * share, 4),
            "max_score": points_per_case,
            "status": "passed" if case.status == "pass" else "failed",
            "output": report_text(single),
            "visibility": "after_published" if case.case_name in hidden else "visible",
        })
    return {"score": round(sum(t["score"] for t in tests), 4), "tests": tests}


def write_reports(graded: list[Graded], out: Path, **gradescope) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for g in graded:
        folder = out / g.submission.name
        folder.mkdir(exist_ok=True)
        if g.report is not None:
            (folder / "report.json").write_text(json.dumps(report_json(g.report), indent=2))
            (folder / "report.txt").write_text(report_text(g.report) + "\n")
        (folder / "results.json").write_text(json.dumps(gradescope_results(g, **gradescope), indent=2))
    (out / "summary.json").write_text(json.dumps([g.summary for g in graded], indent=2))


def summary_table(graded: list[Graded]) -> str:
    rows = [g.summary for g in graded]
    width = max([len("submission")] + [len(r["submission"]) for r in rows])
    lines = [f"{'submission':<{width}}  passed  first finding"]
    lines += [f"{r['submission']:<{width}}  {r['passed']:>3}/{r['cases']:<3} {r['first_finding']}" for r in rows]
    return "\n".join(lines)
