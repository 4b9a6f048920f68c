"""A check Report as HTML: a fragment for notebooks (Report._repr_html_) or
a self-contained page (`gradcheck check --format html`). Nothing is fetched
from anywhere: the style sheet is inline and pictures are data: URIs. Every
text that came from the person's code is escaped."""

from __future__ import annotations

import base64
from html import escape
from importlib.resources import files

from ._heatmap import PLOTS_HINT, has_picture, heatmap_png, picture_title, plots_available
from ._html_matrix import matrix_pair_html
from ._quantities import DESCRIPTIONS
from ._render_report import mode_words, worst_entry_words

_STATUS = {"pass": ("PASS", "gc-pass"), "fail": ("FAIL", "gc-fail"), "error": ("ERROR", "gc-error")}


def _badge(status: str) -> str:
    word, kind = _STATUS[status]
    return f'<span class="gc-verdict {kind}">{word}</span>'


def _anchor(case) -> str:
    return "gc-case-" + "".join(ch if ch.isalnum() else "-" for ch in case.case_name)


def _first_words(case) -> tuple[str, str]:
    """The first wrong quantity and the likely mistake, for the summary table."""
    if case.status == "error":
        mistake = case.diagnosis[0].words if case.diagnosis else ""
        return "could not be checked", mistake
    first = case.first
    if first is None:
        return "", ""
    mistake = first.diagnosis[0].words if first.diagnosis else ""
    return str(first.key) if first.key is not None else first.name, mistake


def _summary(report) -> str:
    rows = []
    for case in report.cases:
        seed = f" (seed {case.seed})" if case.seed is not None else ""
        name = escape(case.case_name + seed)
        link = f'<a href="#{_anchor(case)}">{name}</a>' if case.status != "pass" else name
        first, mistake = _first_words(case)
        rows.append(f"<tr><td>{_badge(case.status)}</td><td>{link}</td><td>{len(case.checked)}</td>"
                    f"<td>{escape(first)}</td><td>{escape(mistake)}</td></tr>")
    return ('<table class="gc-cases"><tr><th>verdict</th><th>case</th><th>quantities checked</th>'
            f'<th>first wrong quantity</th><th>likely mistake</th></tr>{"".join(rows)}</table>')


def _diagnosis(diagnoses) -> str:
    return "".join(f'<div class="gc-diagnosis"><strong>Likely mistake:</strong> {escape(d.words)}<br>'
                   f"your code computes <code>{escape(d.formula)}</code></div>" for d in diagnoses)


def _picture(case, finding, pictures: bool) -> str:
    if not (pictures and has_picture(finding) and plots_available()):
        return ""
    png = base64.b64encode(heatmap_png(finding, picture_title(case, finding))).decode("ascii")
    alt = escape(f"heatmaps of {finding.key}: yours, expected, and the error per entry")
    return f'<img class="gc-heatmap" alt="{alt}" src="data:image/png;base64,{png}">'


def _finding(case, finding, pictures: bool) -> str:
    what = DESCRIPTIONS.get(finding.key.quantity, "") if finding.key is not None else ""
    title = escape(str(finding.key) if finding.key is not None else finding.name)
    mark = ' <span class="gc-first-mark">&larr; the error starts here</span>' if finding.first else ""
    parts = [f"<h4>{title} <small>{escape(what)}</small>{mark}</h4>", f"<p>{escape(finding.message)}</p>"]
    if finding.kind == "mismatch":
        parts.append(f'<p class="gc-meta">{escape(worst_entry_words(finding))}</p>')
    if finding.first:
        parts.append(_diagnosis(finding.diagnosis))
        if not finding.diagnosis and finding.kind in ("mismatch", "shape"):
            parts.append('<p class="gc-note">No known mistake matches this value.</p>')
        if finding.hint:
            parts.append(f'<p class="gc-hint">{escape(finding.hint)}</p>')
    if finding.got_array is not None:
        parts.append(matrix_pair_html(finding))
    parts.append(_picture(case, finding, pictures))
    return f'<div class="gc-finding">{"".join(parts)}</div>'


def _case(case, pictures: bool) -> str:
    seed = f" (seed {case.seed})" if case.seed is not None else ""
    parts = [f'<h3 id="{_anchor(case)}">{_badge(case.status)}{escape(case.case_name + seed)}</h3>']
    if case.status == "error":
        parts.append(f"<p>{escape(case.error or '')}</p>")
        parts.append(_diagnosis(case.diagnosis))
    else:
        checked = ", ".join(map(str, case.checked)) or "nothing"
        parts.append(f'<p class="gc-meta">checked {escape(checked)}</p>')
        parts += [_finding(case, finding, pictures) for finding in case.findings]
    parts += [f'<p class="gc-note">{escape(note)}</p>' for note in case.notes]
    return f'<section class="gc-case">{"".join(parts)}</section>'


def _header(report) -> str:
    counts = report.counts()
    verdict = "pass" if report.passed else ("fail" if counts["fail"] else "error")
    return (f"<h2>{_badge(verdict)}gradcheck <code>{escape(report.target)}</code></h2>"
            f'<p class="gc-meta">{counts["pass"]} passed, {counts["fail"]} failed, {counts["error"]} errors; '
            f"layout {escape(report.layout_note)}; finite differences: {escape(mode_words(report))}</p>")


def report_html(report, *, standalone: bool, pictures: bool = True) -> str:
    """The report as HTML: a whole page when ``standalone``, else a fragment."""
    style = files("gradcheck").joinpath("report.css").read_text(encoding="utf-8")
    parts = [f"<style>{style}</style>", _header(report), _summary(report)]
    wants_pictures = pictures and any(has_picture(f) for c in report.cases for f in c.findings)
    if wants_pictures and not plots_available():
        parts.append(f'<p class="gc-hint">Heatmaps of the wrong entries need matplotlib: {escape(PLOTS_HINT)}.</p>')
    parts += [_case(case, pictures) for case in report.cases if case.status != "pass"]
    first_case = report.cases[0] if report.cases else None
    if first_case is not None and first_case.not_returned:
        parts.append(f'<p class="gc-note">Not checked, because the function does not return them: '
                     f'{escape(", ".join(first_case.not_returned))}.</p>')
    body = f'<div class="gradcheck-report">{"".join(parts)}</div>'
    if not standalone:
        return body
    title = escape(f"gradcheck {report.target}: {'pass' if report.passed else 'fail'}")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f"<body>{body}</body></html>\n")
