"""All references of a case at once, and how far they are from each other."""

from __future__ import annotations

from dataclasses import dataclass

import functools

from ._case import Case
from ._compare import QuantityComparison, compare
from ._finite_diff import fd_reference
from ._jax_reference import jax_reference
from ._published import published_reference
from ._kinks import kink_points, undecidable
from ._quantities import Reference
from ._tolerance import magnitudes as _magnitudes


@dataclass(frozen=True)
class Agreement:
    """``first`` compared against ``second`` on one quantity."""

    first: str
    second: str
    comparison: QuantityComparison


@dataclass(frozen=True, eq=False)
class CaseReferences:
    case: Case
    references: tuple[Reference, ...]  # jax, finite differences[, published]
    magnitudes: dict
    agreements: tuple[Agreement, ...]
    undecidable: dict  # Key -> mask of entries with no derivative (see _kinks.py)

    @property
    def n_undecidable(self) -> int:
        """Entries of delta, dW and db that sit on a kink."""
        return sum(int(m.sum()) for k, m in self.undecidable.items() if k.quantity in ("delta", "dW", "db"))

    @property
    def consistent(self) -> bool:
        """True when every reference agrees with every other within tolerance."""
        return all(a.comparison.agree for a in self.agreements)

    def reference(self, method: str) -> Reference:
        return next(r for r in self.references if r.method == method)


@functools.lru_cache(maxsize=256)  # cases compare by identity: one computation per case object
def case_references(case: Case) -> CaseReferences:
    """Every reference of ``case``, their magnitudes, kinks and agreement."""
    jax_ref = jax_reference(case)
    fd_ref = fd_reference(case)
    mags = _magnitudes(case, jax_ref)
    skip = undecidable(case, kink_points(case))
    agreements = [Agreement("finite_differences", "jax", c)
                  for c in compare(case, fd_ref, jax_ref, magnitudes=mags, undecidable=skip)]
    references = [jax_ref, fd_ref]
    published = published_reference(case)
    if published is not None:
        references.append(published)
        for ref in (jax_ref, fd_ref):
            agreements += [Agreement(ref.method, "published", c)
                           for c in compare(case, ref, published, magnitudes=mags, undecidable=skip)]
    return CaseReferences(case, tuple(references), mags, tuple(agreements), skip)
