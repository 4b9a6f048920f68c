"""Names of the quantities every check is about, and sets of their values."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping, NamedTuple

import numpy as np

# Per layer, in the order backprop produces them.
LAYER_QUANTITIES = ("z", "a", "delta", "dW", "db", "update_W", "update_b", "W_new", "b_new")
QUANTITIES = ("loss",) + LAYER_QUANTITIES

DESCRIPTIONS = {
    "loss": "the loss C",
    "z": "pre-activation z_l = W_l a_(l-1) + b_l",
    "a": "activation a_l = f(z_l)",
    "delta": "error signal delta_l = dC/dz_l",
    "dW": "weight gradient dC/dW_l",
    "db": "bias gradient dC/db_l",
    "update_W": "weight update -eta dC/dW_l",
    "update_b": "bias update -eta dC/db_l",
    "W_new": "updated weights W_l - eta dC/dW_l",
    "b_new": "updated biases b_l - eta dC/db_l",
}


class Key(NamedTuple):
    """One quantity of one layer; ``layer`` is None for the loss."""

    quantity: str
    layer: int | None

    def __str__(self) -> str:
        return self.quantity if self.layer is None else f"{self.quantity}[{self.layer}]"


_STAGE = {"z": 1, "a": 1, "delta": 2, "dW": 3, "db": 3, "update_W": 4, "update_b": 4, "W_new": 5, "b_new": 5}


def backprop_order(key: Key, n_layers: int) -> tuple:
    """Sort key: the loss, the forward values, the deltas from the output layer
    backwards, then the gradients, the updates and the new parameters, each
    from the output layer backwards."""
    if key.layer is None:
        return (0, 0, 0)
    stage = _STAGE[key.quantity]
    position = key.layer if stage == 1 else n_layers - key.layer
    return (stage, position, LAYER_QUANTITIES.index(key.quantity))


def axes_words(quantity: str, layer: int) -> tuple[str, str]:
    """What the rows and the columns of a quantity are, in the canonical layout."""
    rows = f"units of layer {layer}"
    if quantity in ("z", "a", "delta"):
        return rows, "samples"
    if quantity in ("db", "update_b", "b_new"):
        return rows, ""
    return rows, f"units of layer {layer - 1}" + (" (the inputs)" if layer == 1 else "")


def read_only_copy(value, dtype=None) -> np.ndarray:
    """A copy no one can change: the person's code may still hold the original."""
    array = np.array(value, dtype=dtype, copy=True)
    array.flags.writeable = False
    return array


def _frozen(values: Mapping[Key, np.ndarray]) -> Mapping[Key, np.ndarray]:
    return MappingProxyType({key: read_only_copy(value, np.float64) for key, value in values.items()})


@dataclass(frozen=True, eq=False)
class Reference:
    """Reference values of the quantities of one case, from one method.

    ``error`` bounds, entry by entry, how far each value may be from the exact
    one; it is what this reference's own method cannot resolve.
    """

    method: str
    values: Mapping[Key, np.ndarray]
    error: Mapping[Key, np.ndarray] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "values", _frozen(self.values))
        # no stated error: exact to rounding (a read-only broadcast zero, no memory)
        error = {k: np.broadcast_to(np.float64(0.0), v.shape) for k, v in self.values.items() if k not in self.error}
        error.update(_frozen({k: v for k, v in self.error.items() if k in self.values}))
        object.__setattr__(self, "error", MappingProxyType(error))

    def __getitem__(self, key: Key) -> np.ndarray:
        return self.values[key]
