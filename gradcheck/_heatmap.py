"""Heatmaps of a wrong quantity: the person's value, the reference's, and
the error per entry. Needs matplotlib, an optional extra: without it,
callers say how to get the pictures instead of failing."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np

from ._quantities import axes_words

PLOTS_HINT = "pip install 'gradcheck[plots]' (it adds matplotlib)"
MARKED_AT_MOST = 400  # wrong entries get a dot when the quantity has at most this many


def plots_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def has_picture(finding) -> bool:
    return finding.got_array is not None and finding.got_array.ndim >= 1


def _as_2d(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array, dtype=np.float64)
    return array.reshape(-1, 1) if array.ndim == 1 else array


def _largest(values: np.ndarray) -> float:
    """The largest finite value, for a colour scale; 1 when there is none."""
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size and finite.max() > 0 else 1.0


def heatmap_png(finding, title: str) -> bytes:
    """Three panels, yours and expected on one colour scale, then |yours - expected|."""
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.ticker import MaxNLocator, NullLocator
    from matplotlib.figure import Figure  # no pyplot: no global state, no second copy shown in notebooks

    got = _as_2d(np.where(np.isfinite(finding.got_array), finding.got_array, np.nan))
    expected = _as_2d(finding.expected_array)
    wrong = _as_2d(finding.wrong).astype(bool)
    error = np.abs(got - expected)
    scale = _largest(np.abs(np.concatenate([got.ravel(), expected.ravel()])))
    tall = got.shape[0] / max(got.shape[1], 1)
    height = 3.4 if tall <= 1.5 else min(4.6, 1.8 + 0.3 * got.shape[0])
    figure = Figure(figsize=(11, height), dpi=100)
    figure.subplots_adjust(left=0.05, right=0.97, bottom=0.16, top=0.82, wspace=0.35)
    FigureCanvasAgg(figure)
    panels = figure.subplots(1, 3)
    aspect = "equal" if 0.25 <= tall <= 4 else "auto"
    rows, cols = axes_words(finding.key.quantity, finding.key.layer) if finding.key else ("", "")
    for axis, values, name, colours, limits in (
        (panels[0], got, "yours", "RdBu_r", (-scale, scale)),
        (panels[1], expected, "expected (JAX)", "RdBu_r", (-scale, scale)),
        (panels[2], error, "|yours - expected| (dots: wrong)", "Reds", (0, _largest(error))),
    ):
        cmap = colormaps[colours].with_extremes(bad="#7a7a7a")  # grey: NaN or infinity
        image = axis.imshow(values, cmap=cmap, vmin=limits[0], vmax=limits[1], aspect=aspect, interpolation="nearest")
        figure.colorbar(image, ax=axis, shrink=0.85)
        axis.set_title(name, fontsize=10)
        axis.set_ylabel(rows, fontsize=8)
        axis.set_xlabel(cols, fontsize=8)
        axis.tick_params(labelsize=7)
        axis.xaxis.set_major_locator(MaxNLocator(integer=True) if got.shape[1] > 1 else NullLocator())
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    if wrong.size <= MARKED_AT_MOST:
        i, j = np.nonzero(wrong)
        panels[2].scatter(j, i, s=6, c="black")
    figure.suptitle(title, fontsize=11)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def picture_title(case_result, finding) -> str:
    return f"{case_result.case_name}: {finding.key} wrong at {finding.n_wrong} of {finding.n_entries} entries"


def picture_name(case_result, finding) -> str:
    stem = f"{case_result.case_name}-{finding.key.quantity}_{finding.key.layer}"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", stem) + ".png"


def write_pictures(report, folder: Path) -> list[Path]:
    """One PNG per wrong quantity of every case; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for case in report.cases:
        for finding in case.findings:
            if has_picture(finding):
                path = folder / picture_name(case, finding)
                path.write_bytes(heatmap_png(finding, picture_title(case, finding)))
                written.append(path)
    return written
