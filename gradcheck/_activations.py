"""Activation functions, each with its derivative beside it.

Every function takes the array module ``xp`` (numpy or jax.numpy) so that the
finite-difference reference (numpy) and the autodiff reference (JAX) evaluate
the very same formula. Element-wise activations work on any shape; softmax
normalises over the units axis, which is axis -2 in the column convention
(units, batch).
"""

from __future__ import annotations

from typing import Callable, NamedTuple


class Activation(NamedTuple):
    name: str
    forward: Callable  # (z, xp) -> a
    derivative: Callable  # (z, a, xp) -> da/dz, element-wise (None for softmax)
    # Absolute-value evaluation of the usual textbook derivative formula: bounds
    # the size of the terms a hand-written derivative adds or subtracts, which
    # is what its rounding error scales with (see _tolerance.py).
    derivative_magnitude: Callable  # (z, a, xp) -> bound
    kinks: tuple[float, ...] = ()  # points where the derivative jumps
    # Absolute-value evaluation of the forward formula, when it is larger than
    # |a|: 0.5 (1 + tanh(z/2)) adds terms of size 1 even where a is tiny.
    value_magnitude: Callable | None = None  # (z, a, xp) -> bound; None means |a|


def _sigmoid(z, xp):
    # tanh form: no overflow for large |z|, the same formula in numpy and JAX
    return 0.5 * (1.0 + xp.tanh(0.5 * z))


def _softplus(z, xp):
    # logaddexp rather than log1p(exp(-|z|)) + max(z, 0): equally stable, and
    # its derivative is right at z = 0, where autodiff through abs and max is not
    return xp.logaddexp(0.0, z)


def _softmax(z, xp):
    shifted = z - xp.max(z, axis=-2, keepdims=True)
    e = xp.exp(shifted)
    return e / xp.sum(e, axis=-2, keepdims=True)


LEAKY_SLOPE = 0.01

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "sigmoid",
            _sigmoid,
            lambda z, a, xp: a * (1.0 - a),
            lambda z, a, xp: xp.abs(a) * (1.0 + xp.abs(a)),
            value_magnitude=lambda z, a, xp: 0.5 * (1.0 + xp.abs(xp.tanh(0.5 * z))),
        ),
        Activation(
            "tanh",
            lambda z, xp: xp.tanh(z),
            lambda z, a, xp: 1.0 - a * a,
            lambda z, a, xp: 1.0 + a * a,
        ),
        Activation(
            "relu",
            lambda z, xp: xp.maximum(z, 0.0),
            lambda z, a, xp: xp.where(z > 0, 1.0, 0.0),
            lambda z, a, xp: xp.where(z > 0, 1.0, 0.0),
            kinks=(0.0,),
        ),
        Activation(
            "leaky_relu",
            lambda z, xp: xp.where(z > 0, z, LEAKY_SLOPE * z),
            lambda z, a, xp: xp.where(z > 0, 1.0, LEAKY_SLOPE),
            lambda z, a, xp: xp.where(z > 0, 1.0, LEAKY_SLOPE),
            kinks=(0.0,),
        ),
        Activation(
            "softplus",
            _softplus,
            lambda z, a, xp: _sigmoid(z, xp),
            lambda z, a, xp: 1.0 + 0.0 * z,
        ),
        Activation(
            "identity",
            lambda z, xp: z,
            lambda z, a, xp: 1.0 + 0.0 * z,
            lambda z, a, xp: 1.0 + 0.0 * z,
        ),
        Activation(
            "softmax",
            _softmax,
            None,
            lambda z, a, xp: 1.0 + 0.0 * z,
        ),
    )
}
