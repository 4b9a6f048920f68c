"""A wrong quantity as two HTML tables, the person's and the reference's,
side by side, with the wrong entries highlighted. Large quantities are cut
to a window around the worst entry."""

from __future__ import annotations

from html import escape

import numpy as np

from ._quantities import axes_words

WINDOW = 10  # rows and columns shown at most


def _span(n: int, centre: int) -> range:
    start = min(max(centre - WINDOW // 2, 0), max(n - WINDOW, 0))
    return range(start, min(start + WINDOW, n))


def _as_2d(array: np.ndarray) -> np.ndarray:
    return array.reshape(1, -1) if array.ndim == 1 else array.reshape(1, 1) if array.ndim == 0 else array


def _table(caption: str, values: np.ndarray, wrong: np.ndarray, worst, rows: range, cols: range, other, who) -> str:
    head = "".join(f"<th>{j}</th>" for j in cols)
    lines = [f'<table class="gc-matrix"><caption>{escape(caption)}</caption><tr><th></th>{head}</tr>']
    for i in rows:
        cells = []
        for j in cols:
            kind = ' class="gc-worst"' if (i, j) == worst else ' class="gc-wrong"' if wrong[i, j] else ""
            title = f"[{i}, {j}] {who[0]} {values[i, j]:.10g}, {who[1]} {other[i, j]:.10g}"
            cells.append(f'<td{kind} title="{escape(title)}">{values[i, j]:.4g}</td>')
        lines.append(f"<tr><th>{i}</th>{''.join(cells)}</tr>")
    lines.append("</table>")
    return "".join(lines)


def matrix_pair_html(finding) -> str:
    """Both tables and a line saying what the axes are and what is shown."""
    got, expected = _as_2d(finding.got_array), _as_2d(finding.expected_array)
    wrong = _as_2d(finding.wrong)
    worst = tuple(finding.worst_index or ())
    worst = (0, worst[0]) if len(worst) == 1 else (0, 0) if not worst else worst
    rows, cols = _span(got.shape[0], worst[0]), _span(got.shape[1], worst[1])
    yours = _table("yours", got, wrong, worst, rows, cols, expected, ("yours", "expected"))
    reference = _table("expected (JAX)", expected, wrong, worst, rows, cols, got, ("expected", "yours"))
    words = []
    if finding.key is not None and finding.key.layer is not None:
        row_words, col_words = axes_words(finding.key.quantity, finding.key.layer)
        if finding.got_array.ndim == 2:
            words.append(f"rows: {row_words}; columns: {col_words}")
        elif finding.got_array.ndim == 1:
            words.append(f"entries: {row_words}")
    if len(rows) < got.shape[0] or len(cols) < got.shape[1]:
        words.append(f"showing rows {rows.start} to {rows.stop - 1} and columns {cols.start} to {cols.stop - 1} "
                     f"of {finding.got_array.shape}, around the worst entry")
    n_shown = int(wrong[rows.start:rows.stop, cols.start:cols.stop].sum())
    words.append(f"{n_shown} wrong entr{'y' if n_shown == 1 else 'ies'} shown highlighted, the worst darkest "
                 "(hover over an entry for both values in full)")
    return (f'<div class="gc-pair">{yours}{reference}</div>'
            f'<p class="gc-axes">{escape("; ".join(words))} (gradcheck\'s layout: W is (out, in), '
            'samples are columns)</p>')
