"""Reading a case from a TOML file an instructor writes by hand.

The format is documented in the README ("Adding a case"). Every mistake is
reported as a CaseError carrying the file and, where it can be found, the line.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

from ._case import Case, Published, random_batch, random_parameters
from ._errors import CaseError
from ._quantities import Key

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TOP_LEVEL = {
    "name", "description", "source", "sizes", "activations", "loss", "reduction",
    "eta", "x", "y", "layers", "init", "published", "weight_decay", "weight_decay_half",
}
REQUIRED = ("name", "description", "sizes", "activations", "loss", "eta")
INIT_KEYS = {"seed", "bias", "batch", "scale"}
LAYER_KEYS = {"W", "b"}
PUBLISHED_KEYS = {"quantity", "layer", "value", "decimals"}


class _Source:
    """The text of a case file, to point errors at lines."""

    def __init__(self, path: Path, text: str):
        self.path, self.text = str(path), text

    def line_of(self, pattern: str, occurrence: int = 0) -> int | None:
        matches = list(re.finditer(pattern, self.text, flags=re.MULTILINE))
        if occurrence < len(matches):
            return self.text.count("\n", 0, matches[occurrence].start()) + 1
        return None

    def key_line(self, key: str, occurrence: int = 0) -> int | None:
        return self.line_of(rf"^\s*{re.escape(key)}\s*=", occurrence)

    def table_line(self, table: str, occurrence: int = 0) -> int | None:
        return self.line_of(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]", occurrence)

    def error(self, message: str, line: int | None = None) -> CaseError:
        return CaseError(message, path=self.path, line=line)


def load_case(path: str | Path) -> Case:
    """Read and validate one case file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseError(f"cannot read the case file: {exc.strerror or exc}", path=str(path)) from None
    source = _Source(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise source.error(f"not valid TOML: {exc}", line) from None
    return _case_from_dict(data, source)


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _array(source: _Source, value, what: str, line: int | None, ndim: int) -> np.ndarray:
    try:
        array = np.array(value, dtype=np.float64)
    except (ValueError, TypeError):
        raise source.error(f"{what} must be a {'matrix (a list of equal-length rows)' if ndim == 2 else 'list'} of numbers", line) from None
    if array.ndim != ndim:
        shape = "a matrix: a list of rows, e.g. [[1.0, 2.0], [3.0, 4.0]]" if ndim == 2 else "a flat list of numbers"
        raise source.error(f"{what} must be {shape}; got {array.ndim} dimension(s)", line)
    return array


def _case_from_dict(data: dict, source: _Source) -> Case:
    unknown = sorted(set(data) - TOP_LEVEL)
    if unknown:
        raise source.error(f"unknown field {unknown[0]!r}; the fields are: {', '.join(sorted(TOP_LEVEL))}", source.key_line(unknown[0]))
    for key in REQUIRED:
        if key not in data:
            raise source.error(f"missing required field {key!r}")

    sizes = data["sizes"]
    if not (isinstance(sizes, list) and len(sizes) >= 2 and all(isinstance(n, int) and n > 0 for n in sizes)):
        raise source.error("sizes must list at least two positive integers: the input size, then each layer's size", source.key_line("sizes"))
    activations = data["activations"]
    if not (isinstance(activations, list) and all(isinstance(a, str) for a in activations)):
        raise source.error("activations must be a list of names, one per layer", source.key_line("activations"))
    if len(activations) != len(sizes) - 1:
        raise source.error(f"{len(sizes) - 1} layers (from sizes) but {len(activations)} activations", source.key_line("activations"))

    init = data.get("init")
    if init is not None:
        if not isinstance(init, dict):
            raise source.error("init must be a table: [init] with seed = N", source.line_of(r"^\s*\[init\]"))
        bad = sorted(set(init) - INIT_KEYS)
        if bad:
            raise source.error(f"unknown field {bad[0]!r} in [init]; the fields are: {', '.join(sorted(INIT_KEYS))}", source.key_line(bad[0]))
        if not isinstance(init.get("seed"), int):
            raise source.error("[init] needs an integer seed", source.line_of(r"^\s*\[init\]"))
    seed = init["seed"] if init else None
    rng = np.random.default_rng(seed) if init else None

    if "layers" in data:
        if init is not None:
            raise source.error("give either [[layers]] with the parameters or [init] with a seed, not both", source.table_line("layers"))
        weights, biases = _layers(data["layers"], source, len(sizes) - 1)
    elif init is not None:
        scale = init.get("scale", 1.0)
        if not isinstance(scale, (int, float)) or isinstance(scale, bool) or scale < 0:
            raise source.error("[init] scale must be a number >= 0 (it multiplies the drawn weights)", source.key_line("scale"))
        weights, biases = random_parameters(sizes, bias=bool(init.get("bias", True)), rng=rng)
        weights = tuple(scale * W for W in weights)
    else:
        raise source.error("give the parameters as [[layers]] tables (W = ..., optional b = ...) or draw them with [init] seed = N")

    if "x" in data or "y" in data:
        if "x" not in data or "y" not in data:
            raise source.error("give both x and y, or neither (then [init] batch = N draws them)")
        x = _array(source, data["x"], "x", source.key_line("x"), 2)
        y = _array(source, data["y"], "y", source.key_line("y"), 2)
    elif init is not None and isinstance(init.get("batch"), int) and init["batch"] > 0:
        x, y = random_batch(sizes, data["loss"], init["batch"], rng=rng)
    else:
        raise source.error("give x and y (one column per sample), or [init] with seed and batch to draw them")

    eta = data["eta"]
    if not isinstance(eta, (int, float)) or isinstance(eta, bool):
        raise source.error("eta must be a number", source.key_line("eta"))
    decay = data.get("weight_decay", 0.0)
    if not isinstance(decay, (int, float)) or isinstance(decay, bool):
        raise source.error("weight_decay must be a number (lambda of L2 weight decay)", source.key_line("weight_decay"))
    decay_half = data.get("weight_decay_half", True)
    if not isinstance(decay_half, bool):
        raise source.error("weight_decay_half must be true (lambda/2 sum W^2) or false (lambda sum W^2)", source.key_line("weight_decay_half"))

    published = tuple(_published(p, source, i) for i, p in enumerate(_list_of_tables(data.get("published", []), "published", source)))
    case_kwargs = dict(
        name=_text(data, "name", source),
        description=_text(data, "description", source),
        source=_text(data, "source", source, default=""),
        activations=tuple(activations),
        loss=_text(data, "loss", source),
        reduction=_text(data, "reduction", source, default="sum"),
        weights=weights,
        biases=biases,
        x=x,
        y=y,
        eta=float(eta),
        published=published,
        seed=seed,
        path=source.path,
        weight_decay=float(decay),
        weight_decay_half=decay_half,
    )
    if tuple(sizes) != (x.shape[0],) + tuple(W.shape[0] for W in weights):
        raise source.error(
            f"sizes {sizes} do not match the data: x has {x.shape[0]} rows and the layers have "
            f"{[W.shape[0] for W in weights]} units", source.key_line("sizes"))
    try:
        return Case(**case_kwargs)
    except CaseError as exc:
        raise source.error(exc.message, _line_for_message(exc.message, source)) from None


def _line_for_message(message: str, source: _Source) -> int | None:
    """Best guess at the line a validation message is about."""
    match = re.match(r"layer (\d+): (W|b|unknown activation|softmax)", message)
    if match:
        layer = int(match.group(1)) - 1
        if match.group(2) in ("W", "b"):
            return source.key_line(match.group(2), layer) or source.table_line("layers", layer)
        return source.key_line("activations")
    for field in ("loss", "reduction", "eta", "x", "y", "weight_decay"):
        if message.startswith((field + " ", f"unknown {field}")):
            return source.key_line(field)
    if "published" in message:
        return source.table_line("published")
    return None


def _text(data, key, source, default=None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise source.error(f"{key} must be a string", source.key_line(key))
    return value


def _list_of_tables(value, name, source):
    if not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
        raise source.error(f"{name} must be written as [[{name}]] tables", source.key_line(name))
    return value


def _layers(tables, source: _Source, n_layers: int):
    tables = _list_of_tables(tables, "layers", source)
    if len(tables) != n_layers:
        raise source.error(f"sizes say {n_layers} layers but there are {len(tables)} [[layers]] tables", source.table_line("layers", len(tables) - 1 if tables else 0))
    weights, biases = [], []
    for i, table in enumerate(tables):
        bad = sorted(set(table) - LAYER_KEYS)
        if bad:
            raise source.error(f"layer {i + 1}: unknown field {bad[0]!r}; a layer has W and optionally b", source.table_line("layers", i))
        if "W" not in table:
            raise source.error(f"layer {i + 1}: missing W", source.table_line("layers", i))
        weights.append(_array(source, table["W"], f"layer {i + 1}: W", source.key_line("W", i), 2))
        biases.append(_array(source, table["b"], f"layer {i + 1}: b", source.table_line("layers", i), 1) if "b" in table else None)
    return tuple(weights), tuple(biases)


def _published(table: dict, source: _Source, index: int) -> Published:
    line = source.table_line("published", index)
    bad = sorted(set(table) - PUBLISHED_KEYS)
    if bad:
        raise source.error(f"unknown field {bad[0]!r} in [[published]]; the fields are: {', '.join(sorted(PUBLISHED_KEYS))}", line)
    for key in ("quantity", "value", "decimals"):
        if key not in table:
            raise source.error(f"[[published]] needs {key!r}", line)
    layer = table.get("layer")
    if table["quantity"] != "loss" and not isinstance(layer, int):
        raise source.error("[[published]] needs the layer (an integer from 1) of the quantity", line)
    if not isinstance(table["decimals"], int) or table["decimals"] < 0:
        raise source.error("decimals must be a whole number: the decimal places the value was published with", line)
    value = np.array(table["value"], dtype=np.float64)
    return Published(Key(table["quantity"], None if table["quantity"] == "loss" else layer), value, table["decimals"])
