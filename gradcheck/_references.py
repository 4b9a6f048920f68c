"""All references of a case at once, and how far they are from each other."""

from __future__ import annotations

from dataclasses import dataclass

import functools

from ._case import Case
import numpy as np

from ._compare import QuantityComparison, compare, compare_arrays
from ._finite_diff import fd_directional, fd_entries, fd_reference
from ._jax_reference import jax_reference
from ._published import published_reference
from ._kinks import kink_points, undecidable
from ._quantities import Key, Reference
from ._tolerance import rtol
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
    mode: str = "exhaustive"  # or "fast": finite differences along directions, entries on demand

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

    def fd_at(self, key: Key, mask: np.ndarray):
        """Finite-difference values and error bounds of ``key`` (NaN outside
        ``mask`` in fast mode, where only the entries asked for are computed)."""
        if self.mode == "exhaustive":
            fd = self.reference("finite_differences")
            return fd.values[key], fd.error[key]
        jax = self.reference("jax")
        if key.quantity in ("loss", "z", "a") or not mask.any():
            return np.where(mask, jax.values[key], np.nan), np.zeros(jax.values[key].shape)
        grad = {"update_W": "dW", "W_new": "dW", "update_b": "db", "b_new": "db"}.get(key.quantity, key.quantity)
        g, e = fd_entries(self.case, grad, key.layer, mask)
        eta = self.case.eta
        if key.quantity.startswith("update"):
            return -eta * g, eta * e
        if key.quantity.endswith("_new"):
            old = self.case.weights[key.layer - 1] if grad == "dW" else self.case.biases[key.layer - 1]
            return old - eta * g, eta * e
        return g, e


AUTO_EXHAUSTIVE_LIMIT = 200_000  # entries (parameters and z-probes) up to which "auto" differences every entry
DIRECTIONS = 2  # random directions per quantity in fast mode
DIRECTION_SEED = 0


def n_entries(case: Case) -> int:
    return sum(W.size + W.shape[0] * (case.batch + (b is not None)) for W, b in zip(case.weights, case.biases))


def resolve_mode(case: Case, mode: str) -> str:
    if mode not in ("auto", "exhaustive", "fast"):
        raise ValueError(f"mode must be auto, exhaustive or fast; got {mode!r}")
    if mode == "auto":
        return "exhaustive" if n_entries(case) <= AUTO_EXHAUSTIVE_LIMIT else "fast"
    return mode


def _directional_agreements(case, jax_ref, mags, skip) -> list[Agreement]:
    """Finite differences against JAX along random directions, per quantity."""
    rng = np.random.default_rng(DIRECTION_SEED)
    eps_chain = rtol(case, np.float64)
    agreements = []
    for l in range(1, case.n_layers + 1):
        for kind in ("delta", "dW", "db"):
            key = Key(kind, l)
            if key not in jax_ref.values:
                continue
            found, projected, tolerance = [], [], []
            value, mag = jax_ref.values[key], mags[key]
            for _ in range(DIRECTIONS):
                if kind == "dW":  # rank one: u^T E v is nonzero for any nonzero E, almost surely
                    u, v = (r / np.max(np.abs(r)) for r in (rng.standard_normal(value.shape[0]), rng.standard_normal(value.shape[1])))
                    direction, along, size = (u, v), float(u @ value @ v), float(np.abs(u) @ mag @ np.abs(v))
                else:
                    t = rng.standard_normal(value.shape)
                    t /= np.max(np.abs(t))
                    direction, along, size = t, float(np.sum(value * t)), float(np.sum(mag * np.abs(t)))
                d, err = fd_directional(case, kind, l, direction)
                found.append(d)
                projected.append(along)
                kinked = key in skip and skip[key].any()
                tolerance.append(np.inf if kinked else err + 2 * eps_chain * size)
            agreements.append(Agreement("finite_differences", "jax",
                                        compare_arrays(key, np.array(found), np.array(projected), np.array(tolerance))))
    return agreements


@functools.lru_cache(maxsize=256)  # cases compare by identity: one computation per case object
def case_references(case: Case, mode: str = "exhaustive") -> CaseReferences:
    """Every reference of ``case``, their magnitudes, kinks and agreement.

    ``mode`` "exhaustive" differences every entry; "fast" checks finite
    differences against JAX along random directions and leaves entries to be
    differenced on demand (CaseReferences.fd_at); "auto" picks by size."""
    mode = resolve_mode(case, mode)
    jax_ref = jax_reference(case)
    mags = _magnitudes(case, jax_ref)
    skip = undecidable(case, kink_points(case))
    if mode == "fast":
        return CaseReferences(case, (jax_ref,), mags, tuple(_directional_agreements(case, jax_ref, mags, skip)), skip, mode)
    fd_ref = fd_reference(case)
    agreements = [Agreement("finite_differences", "jax", c)
                  for c in compare(case, fd_ref, jax_ref, magnitudes=mags, undecidable=skip)]
    references = [jax_ref, fd_ref]
    published = published_reference(case)
    if published is not None:
        references.append(published)
        for ref in (jax_ref, fd_ref):
            agreements += [Agreement(ref.method, "published", c)
                           for c in compare(case, ref, published, magnitudes=mags, undecidable=skip)]
    return CaseReferences(case, tuple(references), mags, tuple(agreements), skip, mode)
