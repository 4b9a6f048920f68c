"""Reference 3: numbers published with a case, at their published precision."""

from __future__ import annotations

import numpy as np

from ._quantities import Reference


def published_reference(case) -> Reference | None:
    """The case's published values as a Reference, or None if it has none.

    Each value's error bound is half a unit in its last published place.
    """
    if not case.published:
        return None
    values = {p.key: p.value for p in case.published}
    error = {p.key: np.full(p.value.shape, p.half_unit) for p in case.published}
    return Reference("published", values, error)
