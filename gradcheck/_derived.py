"""From gradients to updates: the part of every reference that is plain arithmetic."""

from __future__ import annotations

import numpy as np

from ._quantities import Key, Reference


def assemble(case, method: str, *, loss, zs, activations, deltas, dWs, dbs, errors=None) -> Reference:
    """Build a Reference from the primary quantities of a method.

    ``errors`` maps ("delta" | "dW" | "db", layer) to that method's per-entry
    error bound; the updates and new parameters inherit it, scaled by eta.
    """
    errors = errors or {}
    values, error = {Key("loss", None): np.asarray(loss)}, {}
    eta = case.eta
    for l in range(1, case.n_layers + 1):
        W, b = case.weights[l - 1], case.biases[l - 1]
        values[Key("z", l)] = zs[l - 1]
        values[Key("a", l)] = activations[l]
        values[Key("delta", l)] = deltas[l - 1]
        values[Key("dW", l)] = dWs[l - 1]
        values[Key("update_W", l)] = -eta * np.asarray(dWs[l - 1])
        values[Key("W_new", l)] = W - eta * np.asarray(dWs[l - 1])
        if b is not None:
            values[Key("db", l)] = dbs[l - 1]
            values[Key("update_b", l)] = -eta * np.asarray(dbs[l - 1])
            values[Key("b_new", l)] = b - eta * np.asarray(dbs[l - 1])
        for name, derived in (("delta", ()), ("dW", ("update_W", "W_new")), ("db", ("update_b", "b_new"))):
            if (name, l) in errors:
                error[Key(name, l)] = errors[name, l]
                for d in derived:
                    error[Key(d, l)] = eta * errors[name, l]
    return Reference(method, values, error)
