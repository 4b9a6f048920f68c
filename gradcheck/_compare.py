"""Entry-by-entry comparison of quantities, pointing at the worst entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ._errors import GradcheckError
from ._quantities import Key, Reference, backprop_order
from ._tolerance import computed_error, magnitudes as _magnitudes, rtol as _rtol

_SQRT_EPS = float(np.sqrt(np.finfo(np.float64).eps))


@dataclass(frozen=True)
class QuantityComparison:
    """How one quantity compares; the numbers describe its worst entry.

    The worst entry is the one furthest beyond its tolerance (or, when all
    agree, the one with the largest absolute difference).
    ``max_rel_err`` is relative to each entry, or to sqrt(eps) times the
    largest entry of the quantity where the entry is smaller than that, so
    that zeros do not make it infinite.
    """

    key: Key
    agree: bool
    n_entries: int
    n_wrong: int
    max_abs_err: float
    max_rel_err: float
    worst_index: tuple[int, ...]
    got: float
    expected: float
    tolerance: float


def compare_arrays(key: Key, got, expected, tolerance, *, wrong=None) -> QuantityComparison:
    """Compare entry by entry. ``wrong`` may replace the plain ``|diff| > tolerance``
    verdict (a caller judging against several references passes its own)."""
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    tolerance = np.broadcast_to(np.asarray(tolerance, dtype=np.float64), expected.shape)
    diff = np.abs(got - expected)
    if wrong is None:
        wrong = ~(diff <= tolerance)  # NaN counts as wrong
    floor = max(_SQRT_EPS * float(np.max(np.abs(expected), initial=0.0)), np.finfo(np.float64).tiny)
    rel = diff / np.maximum(np.abs(expected), floor)
    if wrong.any():
        excess = np.where(np.isfinite(diff), diff / np.maximum(tolerance, np.finfo(np.float64).tiny), np.inf)
        flat = int(np.argmax(np.where(wrong, excess, -1.0)))
    else:
        flat = int(np.argmax(diff)) if diff.size else 0
    index = np.unravel_index(flat, expected.shape) if expected.shape else ()
    with np.errstate(invalid="ignore"):
        return QuantityComparison(
            key=key,
            agree=not wrong.any(),
            n_entries=int(expected.size),
            n_wrong=int(wrong.sum()),
            max_abs_err=float(np.nanmax(diff)) if not np.isnan(diff).all() else float("nan"),
            max_rel_err=float(np.nanmax(rel)) if not np.isnan(rel).all() else float("nan"),
            worst_index=tuple(int(i) for i in index),
            got=float(got[index]),
            expected=float(expected[index]),
            tolerance=float(tolerance[index]),
        )


def compare(
    case,
    got: Mapping[Key, np.ndarray] | Reference,
    expected: Reference,
    *,
    magnitudes: Mapping[Key, np.ndarray] | None = None,
    rtol: Mapping | None = None,
    undecidable: Mapping[Key, np.ndarray] | None = None,
) -> tuple[QuantityComparison, ...]:
    """Compare every quantity ``got`` has against ``expected``, in backprop order.

    Tolerance per entry: ``expected``'s own error bound, plus ``got``'s
    (its error bound when ``got`` is a Reference), plus the rounding error of
    a computation in ``got``'s dtype: ``rtol[dtype] * M``. ``rtol`` maps dtypes
    to a relative tolerance and overrides the derived default (chain length
    times eps) for those dtypes; see _tolerance.py for M and the derivation.
    Entries marked in ``undecidable`` (no derivative there) always agree.
    """
    if magnitudes is None:
        computed = expected if expected.method != "published" else got
        if not isinstance(computed, Reference) or Key("a", case.n_layers) not in computed.values:
            raise GradcheckError("compare needs magnitudes=... (gradcheck._tolerance.magnitudes(case, jax_reference(case))) "
                                 "when neither side is a computed reference")
        magnitudes = _magnitudes(case, computed)
    overrides = {np.dtype(k): v for k, v in (rtol or {}).items()}
    values = got.values if isinstance(got, Reference) else got
    own_error = got.error if isinstance(got, Reference) else {}
    results = []
    for key in sorted(values, key=lambda k: backprop_order(k, case.n_layers)):
        if key not in expected.values:
            continue
        value = np.asarray(values[key])
        dtype = value.dtype if np.issubdtype(value.dtype, np.floating) else np.dtype(np.float64)
        rel = overrides.get(dtype, _rtol(case, dtype))
        tol = expected.error[key] + rel * magnitudes[key] + computed_error(case, magnitudes[key], np.float64)
        if key in own_error:
            tol = tol + own_error[key]
        if undecidable is not None and key in undecidable:
            tol = np.where(undecidable[key], np.inf, tol)
        results.append(compare_arrays(key, value, expected.values[key], tol))
    return tuple(results)
