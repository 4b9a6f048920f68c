"""All references of a case at once, and how far they are from each other."""

from __future__ import annotations

from dataclasses import dataclass

from ._case import Case
from ._compare import QuantityComparison, compare
from ._finite_diff import fd_reference
from ._jax_reference import jax_reference
from ._published import published_reference
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

    @property
    def consistent(self) -> bool:
        """True when every reference agrees with every other within tolerance."""
        return all(a.comparison.agree for a in self.agreements)

    def reference(self, method: str) -> Reference:
        return next(r for r in self.references if r.method == method)


def case_references(case: Case) -> CaseReferences:
    jax_ref = jax_reference(case)
    fd_ref = fd_reference(case)
    mags = _magnitudes(case, jax_ref)
    agreements = [Agreement("finite_differences", "jax", c) for c in compare(case, fd_ref, jax_ref, magnitudes=mags)]
    references = [jax_ref, fd_ref]
    published = published_reference(case)
    if published is not None:
        references.append(published)
        for ref in (jax_ref, fd_ref):
            agreements += [Agreement(ref.method, "published", c) for c in compare(case, ref, published, magnitudes=mags)]
    return CaseReferences(case, tuple(references), mags, tuple(agreements))
