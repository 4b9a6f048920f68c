"""How a person's backprop function is called and what it returns: the
declaration that lets gradcheck check code as it was written.

``call`` and ``returns`` are Python expressions over a fixed vocabulary of
names (README, "Checking your backprop"); the layout fields say how arrays
are oriented; the family fields say which networks the function implements.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

from ._activations import ACTIVATIONS
from ._errors import ConventionError
from ._losses import LOSSES, REDUCTIONS

CHOICES = {
    "samples": ("columns", "rows"),
    "weights": ("out_in", "in_out"),
    "bias": ("separate", "none", "last", "first"),
    "bias_shape": ("flat", "column", "row"),
    "labels": ("onehot", "integer"),
}


@dataclass(frozen=True)
class Convention:
    call: str = "x, y, weights, biases, eta"
    returns: str = "W_news, b_news"
    samples: str | None = None  # None: infer from the shapes the function accepts
    weights: str | None = None  # None: infer likewise
    bias: str = "separate"
    bias_shape: str = "flat"
    labels: str = "onehot"
    delta_sign: int = 1  # -1 when the code's delta is (t - y) f'(z) = -dC/dz
    activations: tuple[str, ...] | None = None
    loss: str = "half_squared_error"
    reduction: str = "sum"
    weight_decay: float = 0.0  # lambda of L2 weight decay in the function's loss
    weight_decay_half: bool = True  # lambda/2 sum W^2 (True) or lambda sum W^2
    batch: int | None = None  # a fixed batch size, e.g. 1 for per-sample code
    sizes: tuple[int, ...] | None = None  # fixed layer sizes, if the code needs them

    def __post_init__(self):
        for name, allowed in CHOICES.items():
            value = getattr(self, name)
            if value is not None and value not in allowed:
                raise ConventionError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
        if self.delta_sign not in (1, -1):
            raise ConventionError(f"delta_sign must be 1 (delta = dC/dz) or -1 (delta = -dC/dz); got {self.delta_sign!r}")
        if self.activations is not None:
            object.__setattr__(self, "activations", tuple(self.activations))
            for act in self.activations:
                if act not in ACTIVATIONS:
                    raise ConventionError(f"unknown activation {act!r}; known: {', '.join(ACTIVATIONS)}")
        if self.loss not in LOSSES:
            raise ConventionError(f"unknown loss {self.loss!r}; known: {', '.join(LOSSES)}")
        if self.reduction not in REDUCTIONS:
            raise ConventionError(f"reduction must be 'sum' or 'mean'; got {self.reduction!r}")
        if self.labels == "integer" and self.loss != "categorical_cross_entropy":
            raise ConventionError("integer labels go with loss = 'categorical_cross_entropy'")
        if self.sizes is not None:
            object.__setattr__(self, "sizes", tuple(self.sizes))
            if self.activations is not None and len(self.sizes) != len(self.activations) + 1:
                raise ConventionError(f"sizes {list(self.sizes)} give {len(self.sizes) - 1} layers but there are {len(self.activations)} activations")
        if self.batch is not None and (not isinstance(self.batch, int) or self.batch < 1):
            raise ConventionError(f"batch must be a positive whole number; got {self.batch!r}")

    @property
    def augmented(self) -> bool:
        """Bias folded into W as the weight of a constant input 1."""
        return self.bias in ("first", "last")

    @classmethod
    def from_file(cls, path) -> "Convention":
        """The conventions in a TOML file (README, "Declaring conventions")."""
        from ._case_file import tomllib

        try:
            config = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConventionError(f"cannot read the config file {path}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConventionError(f"{path}: not valid TOML: {exc}") from None
        try:
            return cls().with_options(**config)
        except (TypeError, ConventionError) as exc:
            raise ConventionError(f"{path}: {exc}") from None

    def with_options(self, **options) -> "Convention":
        """A copy with the options that are not None replaced."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise ConventionError(f"unknown convention option {unknown[0]!r}; the options are: {', '.join(sorted(known))}")
        return replace(self, **{k: v for k, v in options.items() if v is not None})
