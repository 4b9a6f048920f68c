"""How far apart two values of a quantity may be before they disagree.

An entry agrees when

    |got - expected| <= err_expected + err_got

where each side's error bound is what its own method cannot resolve:

* a finite-difference value carries its per-entry bound (see _finite_diff.py);
* a published value carries half a unit in its last published place;
* a value computed in floating point of precision eps carries
  rtol(eps) * M, with rtol(eps) = n * eps and M the entry's *magnitude*.

M is the quantity evaluated with absolute values throughout (|W|^T |delta|,
|a| (1 + |a|) for the sigmoid derivative a (1 - a), and so on): the size of the
terms the computation adds before they cancel, which is what rounding errors
scale with (Higham, Accuracy and Stability of Numerical Algorithms, ch. 3).
Where M is much larger than the value, the quantity is ill-conditioned and
the tolerance widens with it; where the value is zero, M is not, so a zero
entry gets a tolerance of the right size rather than none.

n is the length of the longest chain of operations behind a quantity: the
dot products of the forward and backward passes (2 sum(n_l)), the batch sum
(B) and a few operations per activation and loss (10 per layer). rtol = n eps
is the classic worst-case bound gamma_n; typical rounding errors are far
smaller, while every bug gradcheck looks for changes a value by a large
fraction of itself.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._activations import ACTIVATIONS
from ._losses import LOSSES
from ._quantities import Key, Reference

OPS_PER_LAYER = 10


def eps_of(dtype) -> float:
    """Unit roundoff of a floating dtype; integer or unknown dtypes count as float64."""
    dtype = np.dtype(dtype)
    if not np.issubdtype(dtype, np.floating):
        dtype = np.dtype(np.float64)
    return float(np.finfo(dtype).eps)


def chain_length(case) -> int:
    return 2 * sum(case.sizes) + case.batch + OPS_PER_LAYER * case.n_layers


def rtol(case, dtype) -> float:
    return chain_length(case) * eps_of(dtype)


def _slope(act, z, a) -> np.ndarray:
    """How far a rounding error in z can move f(z): |f'(z)|, or the steepest
    one-sided slope (1) for activations with kinks, whose side rounding may
    flip, and for softmax."""
    if act.kinks or act.derivative is None:
        return np.ones_like(z)
    return np.abs(act.derivative(z, a, np))


def forward_magnitudes(case, zs, activations) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """M of z_l and of a_l per layer: M(z_l) = |W_l| M(a_(l-1)) + |b_l|,
    M(a_l) = M(f(z_l)) + slope_l M(z_l), M(a_0) = |x|; M(f(z)) is |a|, or the
    activation's value_magnitude where its formula adds larger terms."""
    z_mag, a_mag = {}, {0: np.abs(case.x)}
    for l in range(1, case.n_layers + 1):
        W, b = case.weights[l - 1], case.biases[l - 1]
        z_mag[l] = np.abs(W) @ a_mag[l - 1] + (0.0 if b is None else np.abs(b)[:, None])
        act, z, a = ACTIVATIONS[case.activations[l - 1]], zs[l - 1], activations[l]
        value = np.abs(a) if act.value_magnitude is None else act.value_magnitude(z, a, np)
        a_mag[l] = value + _slope(act, z, a) * z_mag[l]
    return z_mag, a_mag


def loss_magnitude(case, loss_value, a_out, z_mag_out) -> float:
    """M of the loss: the size of the terms it sums before they cancel."""
    mean = 1.0 / case.batch if case.reduction == "mean" else 1.0
    terms = mean * float(np.sum((np.abs(a_out) + np.abs(case.y)) * (1.0 + z_mag_out)))
    return abs(float(loss_value)) + terms + case.decay * sum(float(np.sum(W * W)) for W in case.weights)


class Magnitudes(Mapping):
    """M per quantity; those of the updates and new parameters are computed
    only when asked for (on a large network they are large, and often unused)."""

    def __init__(self):
        self._values, self._later = {}, {}

    def __setitem__(self, key, value):
        self._values[key] = value

    def later(self, key, compute):
        self._later[key] = compute

    def __getitem__(self, key):
        if key not in self._values and key in self._later:
            self._values[key] = self._later.pop(key)()
        return self._values[key]

    def __iter__(self):
        return iter([*self._values, *self._later])

    def __len__(self):
        return len(self._values) + len(self._later)


def magnitudes(case, reference: Reference) -> Magnitudes:
    """M for every quantity, from the forward values of a reference."""
    ref = reference.values
    mean = 1.0 / case.batch if case.reduction == "mean" else 1.0
    L = case.n_layers
    mags = Magnitudes()
    abs_a = [np.abs(case.x)] + [np.abs(ref[Key("a", l)]) for l in range(1, L + 1)]
    z_mag, a_mag = forward_magnitudes(case, [ref[Key("z", l)] for l in range(1, L + 1)],
                                      [case.x] + [ref[Key("a", l)] for l in range(1, L + 1)])
    dact_mag = {}
    for l in range(1, L + 1):
        act = ACTIVATIONS[case.activations[l - 1]]
        z, a = ref[Key("z", l)], ref[Key("a", l)]
        # A rounding error in z moves f'(z) by at most |f''| |dz| <= |dz| for
        # these activations, hence the factor (1 + |z|).
        dact_mag[l] = act.derivative_magnitude(z, a, np) * (1.0 + z_mag[l])
        mags[Key("z", l)] = z_mag[l]
        mags[Key("a", l)] = a_mag[l]

    y = np.abs(case.y)
    loss = LOSSES[case.loss]
    delta_mag = loss.delta_magnitude(abs_a[L], y, dact_mag[L]) * (1.0 + z_mag[L]) * mean
    mags[Key("loss", None)] = np.asarray(loss_magnitude(case, ref[Key("loss", None)], abs_a[L], z_mag[L]))
    for l in range(L, 0, -1):
        if l < L:
            delta_mag = (np.abs(case.weights[l]).T @ delta_mag) * dact_mag[l]
        mags[Key("delta", l)] = delta_mag
        # M(a_(l-1)), not |a_(l-1)|: a value computed in low precision carries
        # the rounding of z, which dominates when a is tiny (next to a ReLU kink)
        dW = delta_mag @ a_mag[l - 1].T + 2 * case.decay * np.abs(case.weights[l - 1])
        mags[Key("dW", l)] = dW
        mags.later(Key("update_W", l), lambda dW=dW: case.eta * dW)
        mags.later(Key("W_new", l), lambda dW=dW, l=l: np.abs(case.weights[l - 1]) + case.eta * dW)
        if case.biases[l - 1] is not None:
            db = delta_mag.sum(axis=1)
            mags[Key("db", l)] = db
            mags.later(Key("update_b", l), lambda db=db: case.eta * db)
            mags.later(Key("b_new", l), lambda db=db, l=l: np.abs(case.biases[l - 1]) + case.eta * db)
    return mags


def computed_error(case, magnitude: np.ndarray, dtype) -> np.ndarray:
    """Error bound of a value computed in floating point of the given dtype."""
    return rtol(case, dtype) * magnitude
