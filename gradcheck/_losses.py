"""Loss functions of the output layer.

A loss gives one value per sample, summed over the output units; the case's
reduction then sums or averages it over the batch. Cross-entropies are written
on the pre-activation z of their matching output activation, the numerically
stable form, so the references stay exact where the output saturates.
"""

from __future__ import annotations

from typing import Callable, NamedTuple


class Loss(NamedTuple):
    name: str
    per_sample: Callable  # (z, a, y, xp) -> shape (..., batch)
    output_activation: str | None  # the activation this loss requires, if any
    # Bound on the size of the terms in the usual hand-written formula for
    # dC/dz of the output layer, per sample (see _tolerance.py).
    delta_magnitude: Callable  # (a, y, dmag_act) -> array


def _softplus(z, xp):
    # see _activations._softplus: autodiff through abs and max is wrong at z = 0
    return xp.logaddexp(0.0, z)


def _log_softmax(z, xp):
    shifted = z - xp.max(z, axis=-2, keepdims=True)
    return shifted - xp.log(xp.sum(xp.exp(shifted), axis=-2, keepdims=True))


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss(
            "half_squared_error",
            lambda z, a, y, xp: 0.5 * xp.sum((a - y) ** 2, axis=-2),
            None,
            lambda a, y, dmag: (abs(a) + abs(y)) * dmag,
        ),
        Loss(
            "squared_error",
            lambda z, a, y, xp: xp.sum((a - y) ** 2, axis=-2),
            None,
            lambda a, y, dmag: 2.0 * (abs(a) + abs(y)) * dmag,
        ),
        Loss(
            "binary_cross_entropy",
            lambda z, a, y, xp: xp.sum(_softplus(z, xp) - y * z, axis=-2),
            "sigmoid",
            lambda a, y, dmag: abs(a) + abs(y),
        ),
        Loss(
            "categorical_cross_entropy",
            lambda z, a, y, xp: -xp.sum(y * _log_softmax(z, xp), axis=-2),
            "softmax",
            lambda a, y, dmag: abs(a) + abs(y),
        ),
    )
}

REDUCTIONS = ("sum", "mean")
