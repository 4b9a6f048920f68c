"""Entries that have no derivative: an activation input at (or within the
finite-difference step of) a kink, such as ReLU at 0.

There, autodiff picks one of the one-sided derivatives by convention (JAX's
maximum splits ties), finite differences average them, and a hand-written
mask picks either: no value is right or wrong. Every entry whose value
depends on such a point is marked undecidable.

Dependence, for a kink at unit i of layer l in sample b:
delta_l[i, b]; delta_k[:, b] for every earlier layer k < l; row i of dW_l
and db_l[i]; all of dW_k and db_k for k < l (they sum over sample b); and the
updates and new parameters built from them. Later layers do not depend on it.

"Within the step": perturbing a parameter theta by up to 2h, with
h = eps^(1/3) max(1, |theta|), moves z by at most about 2h times the
magnitude of z, so a kink closer than 4 eps^(1/3) (1 + M_z) is treated as
being on it.
"""

from __future__ import annotations

import numpy as np

from ._activations import ACTIVATIONS
from ._finite_diff import STEP_SCALE
from ._network import forward
from ._tolerance import forward_magnitudes
from ._quantities import Key


def kink_points(case) -> dict[int, np.ndarray]:
    """Per layer, a boolean (units, batch) mask of activation inputs at a kink."""
    if not any(ACTIVATIONS[name].kinks for name in case.activations):
        return {l: np.zeros((W.shape[0], case.batch), dtype=bool) for l, W in enumerate(case.weights, start=1)}
    trace = forward(case.structure, case.weights, case.biases, case.x, case.y, xp=np)
    z_mag, _ = forward_magnitudes(case, trace.zs, trace.activations)
    points = {}
    for l, act_name in enumerate(case.activations, start=1):
        z = trace.zs[l - 1]
        near = np.zeros(z.shape, dtype=bool)
        for k in ACTIVATIONS[act_name].kinks:
            near |= np.abs(z - k) <= 4 * STEP_SCALE * (1.0 + z_mag[l])
        points[l] = near
    return points


def undecidable(case, points: dict[int, np.ndarray]) -> dict[Key, np.ndarray]:
    """Per quantity, a boolean mask of entries that depend on a kink point."""
    L = case.n_layers
    masks: dict[Key, np.ndarray] = {}
    # samples touched by a kink in any layer at or after layer k
    for k in range(1, L + 1):
        n = case.weights[k - 1].shape[0]
        later = np.zeros(case.batch, dtype=bool)
        for l in range(k + 1, L + 1):
            later |= points[l].any(axis=0)
        delta = points[k] | later[None, :]
        masks[Key("delta", k)] = delta
        rows = points[k].any(axis=1) | later.any()
        W_mask = np.broadcast_to(rows[:, None], case.weights[k - 1].shape).copy()
        b_mask = rows.copy() if case.biases[k - 1] is not None else None
        for quantity in ("dW", "update_W", "W_new"):
            masks[Key(quantity, k)] = W_mask
        if b_mask is not None:
            for quantity in ("db", "update_b", "b_new"):
                masks[Key(quantity, k)] = b_mask
        assert delta.shape == (n, case.batch)
    return masks
