"""Between gradcheck's canonical arrays and the person's own layout.

Inputs go out as fresh copies in the person's layout; what comes back is
read through the returns template, checked for type and shape, and turned
into canonical quantities. Problems become Findings, never exceptions.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._quantities import Key
from ._template import Slot

_BIAS_PART = {"dW": "db", "update_W": "update_b", "W_new": "b_new"}
W_LIKE = tuple(_BIAS_PART)
B_LIKE = tuple(_BIAS_PART.values())


class Layout(NamedTuple):
    samples: str  # "columns" | "rows"
    weights: str  # "out_in" | "in_out"


class Problem(NamedTuple):
    key: Key | None
    name: str
    kind: str  # "type" | "shape"
    message: str
    value: np.ndarray | None = None  # a wrongly shaped array, turned as the layout turns it


def user_weight(case, conv, layout: Layout, l: int) -> np.ndarray:
    W, b = case.weights[l - 1], case.biases[l - 1]
    if conv.augmented:
        column = b[:, None]
        W = np.hstack([W, column] if conv.bias == "last" else [column, W])
    return np.array(W.T if layout.weights == "in_out" else W)


def user_bias(case, conv, l: int) -> np.ndarray:
    b = case.biases[l - 1]
    return np.array({"flat": b, "column": b[:, None], "row": b[None, :]}[conv.bias_shape])


def user_inputs(case, conv, layout: Layout) -> dict:
    """Every name a call template may use, bound to fresh copies."""
    x = np.array(case.x if layout.samples == "columns" else case.x.T)
    if conv.labels == "integer":
        y = np.argmax(case.y, axis=0)
    else:
        y = np.array(case.y if layout.samples == "columns" else case.y.T)
    weights = [user_weight(case, conv, layout, l) for l in range(1, case.n_layers + 1)]
    biases = [user_bias(case, conv, l) for l in range(1, case.n_layers + 1)] if conv.bias == "separate" else []
    names = {"x": x, "y": y, "eta": case.eta, "weights": weights, "biases": biases, "sizes": list(case.sizes)}
    params = {}
    for l, W in enumerate(weights, start=1):
        names[f"W{l}"] = params[f"W{l}"] = W
    for l, b in enumerate(biases, start=1):
        names[f"b{l}"] = params[f"b{l}"] = b
    names["params"] = params
    if case.n_layers == 1:
        names["W"] = weights[0]
        if biases:
            names["b"] = biases[0]
    return names


def _path_text(path) -> str:
    return "return" + "".join(f"[{p!r}]" for p in path)


def _navigate(returned, path):
    value = returned
    for depth, step in enumerate(path):
        where = _path_text(path[:depth])
        if isinstance(step, int):
            if not isinstance(value, (tuple, list)):
                return None, f"{where} is {type(value).__name__}, expected a tuple or list"
            if step >= len(value):
                return None, f"{where} has {len(value)} items, expected at least {step + 1}"
        elif not hasattr(value, "__getitem__") or not hasattr(value, "keys"):
            return None, f"{where} is {type(value).__name__}, expected a dict"
        elif step not in value:
            return None, f"{where} has no key {step!r} (it has {', '.join(map(repr, value.keys()))})"
        value = value[step]
    return value, None


def expected_user_shape(case, conv, layout: Layout, key: Key) -> tuple[tuple[int, ...], str]:
    """The shape the person's layout gives a quantity, and why."""
    n = case.weights[key.layer - 1].shape[0] if key.layer else 1
    if key.quantity == "loss":
        return (), "a number"
    if key.quantity == "delta":
        if layout.samples == "columns":
            return (n, case.batch), f"({n} units, {case.batch} samples)"
        return (case.batch, n), f"({case.batch} samples, {n} units)"
    if key.quantity in W_LIKE:
        shape = user_weight(case, conv, layout, key.layer).shape
        extra = " + bias" if conv.augmented else ""
        why = f"({n} outputs, {shape[1]} inputs{extra})" if layout.weights == "out_in" else f"({shape[0]} inputs{extra}, {n} outputs)"
        return shape, why
    return user_bias(case, conv, key.layer).shape, f"({n} units)"


def _as_array(value):
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - anything unconvertible is a type problem
        return None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        return None
    return array


def _to_canonical(case, conv, layout: Layout, key: Key, name: str, value, out: dict, problems: list):
    array = _as_array(value)
    if array is None:
        problems.append(Problem(key, name, "type", f"{name} is {type(value).__name__}, expected a numpy array"))
        return
    shape, why = expected_user_shape(case, conv, layout, key)
    if key.quantity in B_LIKE and array.size == shape_size(shape) and array.ndim <= 2 and max(array.shape, default=1) == array.size:
        array = array.reshape(shape)  # (n,), (n, 1) and (1, n) all hold one bias per unit
    if key.quantity == "loss" and array.size == 1:
        array = array.reshape(())
    if array.shape != shape:
        turned = array.T if array.ndim == 2 and (
            (key.quantity in W_LIKE and layout.weights == "in_out") or (key.quantity not in W_LIKE and layout.samples == "rows")
        ) else array
        problems.append(Problem(key, name, "shape", f"{name} has shape {array.shape}; expected {shape} {why}", turned))
        return
    if key.quantity == "delta":
        out[key] = conv.delta_sign * (array if layout.samples == "columns" else array.T)
    elif key.quantity in W_LIKE:
        W = array.T if layout.weights == "in_out" else array
        if conv.augmented:
            W, b = (W[:, :-1], W[:, -1]) if conv.bias == "last" else (W[:, 1:], W[:, 0])
            out[Key(_BIAS_PART[key.quantity], key.layer)] = b
        out[key] = W
    elif key.quantity in B_LIKE:
        out[key] = array.reshape(-1)
    else:
        out[key] = array


def shape_size(shape) -> int:
    return int(np.prod(shape)) if shape else 1


def read_returns(returned, slots: tuple[Slot, ...], case, conv, layout: Layout):
    """Canonical quantities from what the function returned.

    Returns (values, names, problems): values maps Key to a canonical array,
    names maps Key to the person's own name for it (e.g. "return[1]['W1']").
    """
    values, names, problems = {}, {}, []
    for slot in slots:
        value, error = _navigate(returned, slot.path)
        name = _path_text(slot.path)
        if error is not None:
            problems.append(Problem(Key(slot.quantity, slot.layer), name, "type", error))
            continue
        if slot.is_list:
            if not isinstance(value, (tuple, list)) or len(value) != case.n_layers:
                got = f"{len(value)} items" if isinstance(value, (tuple, list)) else type(value).__name__
                problems.append(Problem(Key(slot.quantity, None), name, "type",
                                        f"{name} should be a list of {case.n_layers} arrays, one per layer; got {got}"))
                continue
            items = [(Key(slot.quantity, l), f"{name}[{l - 1}]", v) for l, v in enumerate(value, start=1)]
        else:
            if slot.layer is not None and slot.layer > case.n_layers:
                problems.append(Problem(None, name, "type", f"the returns template names layer {slot.layer}, but this case has {case.n_layers} layers"))
                continue
            items = [(Key(slot.quantity, slot.layer), name, value)]
        for key, item_name, item in items:
            if key.quantity in B_LIKE and case.biases[key.layer - 1] is None:
                continue  # a bias-free case: nothing to check
            _to_canonical(case, conv, layout, key, item_name, item, values, problems)
            names[key] = item_name
            if conv.augmented and key.quantity in W_LIKE:
                names[Key(_BIAS_PART[key.quantity], key.layer)] = f"{item_name} (bias {conv.bias})"
    return values, names, problems


def read_in_place(inputs: dict, case, conv, layout: Layout):
    """New parameters of a function that updates its arguments in place."""
    values, names, problems = {}, {}, []
    params = inputs["params"]
    for l in range(1, case.n_layers + 1):
        for prefix, quantity in (("W", "W_new"), ("b", "b_new")):
            name = f"{prefix}{l}"
            if name in params and (prefix == "W" or case.biases[l - 1] is not None):
                key = Key(quantity, l)
                _to_canonical(case, conv, layout, key, f"{name} after the call", params[name], values, problems)
                names[key] = f"{name} (updated in place)"
    return values, names, problems
