"""`gradcheck demo`: seed 000's single-layer network, right and wrong.

Both functions are written as in seed 000: a row-vector sample, the bias as
a constant input 1 appended to x, weights of shape (n_in + 1, n_out), delta
defined as (t - out) f'(net), and the updated weights returned.
"""

import numpy as np

from ._convention import Convention

CONVENTION = Convention(
    call="x, y, W, eta",
    returns="W_new",
    samples="rows",
    weights="in_out",
    bias="last",
    activations=("sigmoid",),
    loss="half_squared_error",
    reduction="sum",
)


def _feedforward(sample, weights):
    net = np.concatenate([sample, np.ones((sample.shape[0], 1))], axis=1) @ weights
    return 1.0 / (1.0 + np.exp(-net)), net


def backprop(sample, target, weights, eta):
    """Right: the weight change is eta * inputs^T delta."""
    outputs, net = _feedforward(sample, weights)
    delta = (target - outputs) * outputs * (1.0 - outputs)
    inputs = np.concatenate([sample, np.ones((sample.shape[0], 1))], axis=1)
    return weights + eta * inputs.T @ delta


def backprop_seed000_bug(sample, target, weights, eta):
    """Wrong, as in the guide seed 000 asks about: kron(outputs^T, delta)."""
    outputs, net = _feedforward(sample, weights)
    delta = (target - outputs) * outputs * (1.0 - outputs)
    return weights + eta * np.kron(outputs.T, delta)
