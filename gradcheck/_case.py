"""A case: one network, its parameters, one batch, a learning rate, and
optionally published answers. Immutable once made."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._activations import ACTIVATIONS
from ._errors import CaseError
from ._losses import LOSSES, REDUCTIONS
from ._network import Structure
from ._quantities import Key, LAYER_QUANTITIES


@dataclass(frozen=True, eq=False)
class Published:
    """A value published for a case, at the precision it was published."""

    key: Key
    value: np.ndarray
    decimals: int

    @property
    def half_unit(self) -> float:
        """Half a unit in the last published place: the rounding error allowed."""
        return 0.5 * 10.0 ** (-self.decimals)


@dataclass(frozen=True, eq=False)
class Case:
    name: str
    description: str
    source: str
    activations: tuple[str, ...]
    loss: str
    reduction: str
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray | None, ...]
    x: np.ndarray
    y: np.ndarray
    eta: float
    published: tuple[Published, ...] = ()
    seed: int | None = None
    path: str | None = None
    weight_decay: float = 0.0  # lambda of L2 weight decay
    weight_decay_half: bool = True  # the term is lambda/2 sum W^2 (True) or lambda sum W^2

    @property
    def decay(self) -> float:
        """The coefficient of sum ||W_l||^2 in the loss."""
        return self.weight_decay / 2 if self.weight_decay_half else self.weight_decay

    def __post_init__(self):
        for array in (*self.weights, *(b for b in self.biases if b is not None), self.x, self.y):
            array.flags.writeable = False
        validate(self)

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.x.shape[0],) + tuple(W.shape[0] for W in self.weights)

    @property
    def n_layers(self) -> int:
        return len(self.weights)

    @property
    def batch(self) -> int:
        return self.x.shape[1]

    @property
    def structure(self) -> Structure:
        return Structure(self.activations, self.loss, self.reduction, tuple(b is not None for b in self.biases), self.decay)


def validate(case: Case) -> None:
    """Raise CaseError, naming the fix, if the case is not a well-formed network."""

    def fail(message):
        raise CaseError(message, path=case.path)

    n_layers = len(case.weights)
    if n_layers == 0:
        fail("a case needs at least one layer")
    if len(case.activations) != n_layers or len(case.biases) != n_layers:
        fail(f"{n_layers} weight matrices but {len(case.activations)} activations and {len(case.biases)} biases")
    for l, act in enumerate(case.activations, start=1):
        if act not in ACTIVATIONS:
            fail(f"layer {l}: unknown activation {act!r}; known: {', '.join(ACTIVATIONS)}")
        if act == "softmax" and l != n_layers:
            fail(f"layer {l}: softmax is only supported on the output layer")
    if case.loss not in LOSSES:
        fail(f"unknown loss {case.loss!r}; known: {', '.join(LOSSES)}")
    needed = LOSSES[case.loss].output_activation
    if needed is not None and case.activations[-1] != needed:
        fail(f"loss {case.loss!r} needs a {needed} output layer, not {case.activations[-1]!r}")
    if case.activations[-1] == "softmax" and case.loss != "categorical_cross_entropy":
        fail("a softmax output layer goes with the loss 'categorical_cross_entropy'")
    if case.reduction not in REDUCTIONS:
        fail(f"unknown reduction {case.reduction!r}; use 'sum' or 'mean'")
    if case.x.ndim != 2:
        fail(f"x must be a matrix of shape (n_0, batch), one column per sample; got shape {case.x.shape}")
    fan_in = case.x.shape[0]
    for l, (W, b) in enumerate(zip(case.weights, case.biases), start=1):
        if W.ndim != 2 or W.shape[1] != fan_in:
            fail(f"layer {l}: W must have shape (n_{l}, {fan_in}) to take the {fan_in} inputs of layer {l}; got {W.shape}")
        if b is not None and b.shape != (W.shape[0],):
            fail(f"layer {l}: b must have shape ({W.shape[0]},); got {b.shape}")
        fan_in = W.shape[0]
    if case.y.shape != (fan_in, case.x.shape[1]):
        fail(f"y must have shape ({fan_in}, {case.x.shape[1]}): one column of {fan_in} targets per sample; got {case.y.shape}")
    if not (np.isfinite(case.eta) and case.eta > 0):
        fail(f"eta must be a positive number; got {case.eta}")
    if not (np.isfinite(case.weight_decay) and case.weight_decay >= 0):
        fail(f"weight_decay must be a number >= 0; got {case.weight_decay}")
    arrays = [("x", case.x), ("y", case.y)] + [(f"W{l}", W) for l, W in enumerate(case.weights, 1)]
    arrays += [(f"b{l}", b) for l, b in enumerate(case.biases, 1) if b is not None]
    for name, array in arrays:
        if not np.all(np.isfinite(array)):
            fail(f"{name} contains NaN or infinity")
    for pub in case.published:
        if pub.key.quantity != "loss" and pub.key.quantity not in LAYER_QUANTITIES:
            fail(f"published quantity {pub.key.quantity!r} is not one of loss, {', '.join(LAYER_QUANTITIES)}")
        if pub.key.layer is not None and not 1 <= pub.key.layer <= n_layers:
            fail(f"published {pub.key}: layer must be between 1 and {n_layers}")
        expected = quantity_shape(case, pub.key)
        if pub.value.shape != expected:
            fail(f"published {pub.key}: value must have shape {expected}; got {pub.value.shape}")


def quantity_shape(case: Case, key: Key) -> tuple[int, ...]:
    """The shape a quantity has in the canonical convention."""
    if key.layer is None:
        return ()
    n_out = case.weights[key.layer - 1].shape[0]
    if key.quantity in ("z", "a", "delta"):
        return (n_out, case.x.shape[1])
    if key.quantity in ("db", "update_b", "b_new"):
        return (n_out,)
    return case.weights[key.layer - 1].shape


def random_parameters(sizes, *, bias: bool, rng: np.random.Generator):
    """Weights ~ N(0, 1/fan_in) (keeps pre-activations of order one), biases ~ N(0, 0.1^2)."""
    weights = tuple(rng.standard_normal((n_out, n_in)) / np.sqrt(n_in) for n_in, n_out in zip(sizes, sizes[1:]))
    biases = tuple(0.1 * rng.standard_normal(n_out) if bias else None for n_out in sizes[1:])
    return weights, biases


def random_batch(sizes, loss: str, batch: int, *, rng: np.random.Generator):
    """Inputs ~ N(0, 1); targets valid for the loss (probabilities, one-hot rows)."""
    x = rng.standard_normal((sizes[0], batch))
    n_out = sizes[-1]
    if loss == "categorical_cross_entropy":
        y = np.eye(n_out)[:, rng.integers(0, n_out, size=batch)]
    else:
        y = rng.uniform(0.0, 1.0, size=(n_out, batch))
    return x, y
