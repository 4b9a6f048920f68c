"""The ``call`` and ``returns`` templates: small Python expressions, parsed
with ``ast`` and never evaluated.

``call`` is an argument list, e.g. ``x, y, W1, W2, eta`` or ``params, x, eta=eta``.
``returns`` is the shape of what comes back, e.g. ``(W1_new, W2_new)``,
``(dbs, dWs)``, ``(loss, {'W1': dW1, 'b1': db1})`` or ``None`` (the function
updates its arguments in place).
"""

from __future__ import annotations

import ast
import re
from typing import NamedTuple

from ._errors import ConventionError

_PER_LAYER = r"(delta|dW|db|update_W|update_b|W_new|b_new)"
_LISTS = {
    "deltas": "delta", "dWs": "dW", "dbs": "db", "updates_W": "update_W", "updates_b": "update_b",
    "W_news": "W_new", "b_news": "b_new",
    "nabla_w": "dW", "nabla_b": "db",
}


class Slot(NamedTuple):
    """One place in the returned value: ``path`` from the top (indices and
    keys), ``quantity`` and ``layer`` (None: a list over all layers, or the loss)."""

    path: tuple
    quantity: str
    layer: int | None
    is_list: bool


def quantity_of(name: str) -> tuple[str, int | None, bool] | None:
    """(quantity, layer, is_list) named by ``name``, or None if it names none."""
    if name == "loss":
        return ("loss", None, False)
    if name in _LISTS:
        return (_LISTS[name], None, True)
    match = re.fullmatch(_PER_LAYER + r"(\d*)", name) or re.fullmatch(r"(W|b)(\d+)_new", name)
    if match is None:
        return None
    quantity, layer = match.group(1), match.group(2)
    if quantity in ("W", "b"):
        quantity += "_new"
    return (quantity, int(layer) if layer else 1, False)


def parse_returns(template: str) -> tuple[Slot, ...] | None:
    """The slots of a returns template; None for an in-place function."""
    try:
        tree = ast.parse(template.strip() or "None", mode="eval").body
    except SyntaxError as exc:
        raise ConventionError(f"returns {template!r} is not a Python expression: {exc.msg}") from None
    slots: list[Slot] = []

    def walk(node, path):
        if isinstance(node, ast.Constant) and node.value is None and not path:
            return
        if isinstance(node, (ast.Tuple, ast.List)):
            for i, element in enumerate(node.elts):
                walk(element, path + (i,))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if not (isinstance(key, ast.Constant) and isinstance(key.value, (str, int))):
                    raise ConventionError(f"returns {template!r}: dictionary keys must be literal strings, like {{'W1': dW1}}")
                walk(value, path + (key.value,))
        elif isinstance(node, ast.Name):
            if node.id == "_":
                return
            named = quantity_of(node.id)
            if named is None:
                raise ConventionError(
                    f"returns {template!r}: {node.id!r} names no quantity; use loss, delta1, dW1, db1, update_W1, "
                    "update_b1, W1_new, b1_new (any layer number), the lists deltas, dWs, dbs, W_news, b_news, "
                    "nabla_w, nabla_b, or _ for a value to ignore")
            slots.append(Slot(path, *named))
        else:
            raise ConventionError(f"returns {template!r}: use names, tuples, lists and dicts with literal keys only")

    walk(tree, ())
    if not slots and not (isinstance(tree, ast.Constant) and tree.value is None):
        raise ConventionError(f"returns {template!r} names no quantity to check")
    return tuple(slots) if slots else None


class CallTemplate(NamedTuple):
    positional: tuple  # ast nodes
    keywords: tuple  # (name, ast node)


ARGUMENT_NAMES = "x, y, eta, W1.., b1.., W, b (one layer), weights, biases, params, sizes"


def parse_call(template: str) -> CallTemplate:
    try:
        call = ast.parse(f"f({template})", mode="eval").body
    except SyntaxError as exc:
        raise ConventionError(f"call {template!r} is not an argument list: {exc.msg}") from None
    return CallTemplate(tuple(call.args), tuple((k.arg, k.value) for k in call.keywords))


def build_arguments(template: str, names: dict) -> tuple[list, dict]:
    """The positional and keyword arguments a call template asks for."""
    parsed = parse_call(template)

    def value(node):
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise ConventionError(f"call {template!r}: unknown argument {node.id!r}; available: {ARGUMENT_NAMES}")
            return names[node.id]
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [value(e) for e in node.elts]
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Dict):
            return {value(k): value(v) for k, v in zip(node.keys, node.values)}
        raise ConventionError(f"call {template!r}: use names, constants, lists and dicts only")

    return [value(n) for n in parsed.positional], {k: value(v) for k, v in parsed.keywords}


def call_names(template: str) -> set[str]:
    """Every name a call template uses."""
    parsed = parse_call(template)
    nodes = list(parsed.positional) + [v for _, v in parsed.keywords]
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}
