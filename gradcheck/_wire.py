"""What crosses between gradcheck and the worker that runs a person's code.

Values are nested tuples, lists, dicts, numbers, strings, None and numeric
numpy arrays, written as JSON with arrays as base64 .npy bytes and read back
with allow_pickle=False: the worker is untrusted, and unpickling what it
sends could run code in gradcheck. Anything else is sent as a description of
its type, so the report can say what came back.

This module imports nothing of gradcheck: the worker loads it by path.
"""

from __future__ import annotations

import base64
import io
import json
import struct

import numpy as np

MAX_MESSAGE = 512 * 1024 * 1024


def encode(value):
    if isinstance(value, (np.integer, np.floating, np.bool_)):  # before float: np.float64 is a float
        return encode(np.asarray(value))
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return {"__float__": repr(float(value))}
    if isinstance(value, np.ndarray) and (np.issubdtype(value.dtype, np.number) or value.dtype == bool):
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        return {"__array__": base64.b64encode(buffer.getvalue()).decode("ascii")}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, (str, int)) for k in value):
        return {"__dict__": [[k, encode(v)] for k, v in value.items()]}
    return {"__unsupported__": type(value).__name__}


class Unsupported:
    """A value that could not cross: only its type name did."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name}>"


def decode(value):
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__float__" in value:
        return float(value["__float__"])
    if "__array__" in value:
        return np.load(io.BytesIO(base64.b64decode(value["__array__"])), allow_pickle=False)
    if "__tuple__" in value:
        return tuple(decode(v) for v in value["__tuple__"])
    if "__dict__" in value:
        return {k: decode(v) for k, v in value["__dict__"]}
    return Unsupported(str(value.get("__unsupported__", "?")))


def send(stream, message: dict) -> None:
    data = json.dumps(message).encode("utf-8")
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def receive(stream) -> dict | None:
    """The next message, or None at end of stream."""
    header = stream.read(8)
    if len(header) < 8:
        return None
    (size,) = struct.unpack(">Q", header)
    if size > MAX_MESSAGE:
        raise ValueError(f"message of {size} bytes is larger than {MAX_MESSAGE}")
    data = stream.read(size)
    if len(data) < size:
        return None
    return json.loads(data.decode("utf-8"))


def changed_paths(before, after, path=()) -> list:
    """Paths of the array leaves (or containers) that differ between two argument trees."""
    if isinstance(before, np.ndarray):
        same = isinstance(after, np.ndarray) and before.shape == after.shape and np.array_equal(before, after, equal_nan=True)
        return [] if same else [path]
    if isinstance(before, (list, tuple)):
        if not isinstance(after, (list, tuple)) or len(after) != len(before):
            return [path]
        return [p for i, (b, a) in enumerate(zip(before, after)) for p in changed_paths(b, a, path + (i,))]
    if isinstance(before, dict):
        if not isinstance(after, dict) or set(after) != set(before):
            return [path]
        return [p for k in before for p in changed_paths(before[k], after[k], path + (k,))]
    return []
