"""Which cases fit a function: catalogue cases of its model family, plus
seeded random cases of that family with non-square layers."""

from __future__ import annotations

import re

import numpy as np

from ._case import Case, random_batch, random_parameters
from ._errors import UnknownCaseError
from ._kinks import kink_points

RANDOM_WIDTHS = (2, 7)  # layer widths are drawn from this range, inclusive
RANDOM_BATCHES = (2, 4)


def fits(case: Case, conv) -> bool:
    if conv.activations is not None and case.activations != conv.activations:
        return False
    if (case.loss, case.reduction) != (conv.loss, conv.reduction):
        return False
    if case.weight_decay != conv.weight_decay or (conv.weight_decay and case.weight_decay_half != conv.weight_decay_half):
        return False
    has_bias = [b is not None for b in case.biases]
    if conv.bias == "none" and any(has_bias):
        return False
    if conv.bias != "none" and not all(has_bias):
        return False
    if conv.batch is not None and case.batch != conv.batch:
        return False
    return conv.sizes is None or case.sizes == conv.sizes


def _non_square_sizes(n_layers: int, rng: np.random.Generator, avoid: int) -> tuple[int, ...]:
    """Widths where no layer is square and no width equals the batch size, so
    that a transposed or swapped axis cannot fit by chance."""
    low, high = RANDOM_WIDTHS
    sizes = [int(rng.integers(low, high + 1))]
    while len(sizes) < n_layers + 1:
        n = int(rng.integers(low, high + 1))
        if n != sizes[-1] and n != avoid:
            sizes.append(n)
    return tuple(sizes)


MAX_DRAWS = 100


def random_case(conv, seed: int) -> Case:
    """One random case of the family; the same seed gives the same case.

    Parameters and inputs are redrawn (from the same generator) until no
    activation input sits within the finite-difference step of a kink."""
    if conv.activations is None:
        raise ValueError("a random case needs the family's activations")
    rng = np.random.default_rng(seed)
    batch = conv.batch or int(rng.integers(RANDOM_BATCHES[0], RANDOM_BATCHES[1] + 1))
    sizes = conv.sizes or _non_square_sizes(len(conv.activations), rng, avoid=batch)
    for _ in range(MAX_DRAWS):
        case = _draw(conv, seed, sizes, batch, rng)
        if not any(mask.any() for mask in kink_points(case).values()):
            break
    return case


def _draw(conv, seed, sizes, batch, rng) -> Case:
    weights, biases = random_parameters(sizes, bias=conv.bias != "none", rng=rng)
    x, y = random_batch(sizes, conv.loss, batch, rng=rng)
    return Case(
        name=f"random_{seed}",
        description=f"random {'-'.join(map(str, sizes))} network of the family, batch {batch}",
        source="gradcheck random case",
        activations=conv.activations,
        loss=conv.loss,
        reduction=conv.reduction,
        weights=weights,
        biases=biases,
        x=x,
        y=y,
        eta=float(np.round(rng.uniform(0.05, 0.5), 3)),
        seed=seed,
        weight_decay=conv.weight_decay,
        weight_decay_half=conv.weight_decay_half,
    )


def select_cases(conv, catalogue, *, names=(), n_random: int = 0, seed: int = 0) -> tuple[Case, ...]:
    """The cases to run: those named, or else every fitting catalogue case and
    ``n_random`` random ones with seeds seed, seed + 1, ..."""
    if names:
        by_name = {c.name: c for c in catalogue}
        chosen = []
        for name in names:
            if name in by_name:
                chosen.append(by_name[name])
            elif re.fullmatch(r"random_\d+", name) and conv.activations is not None:
                chosen.append(random_case(conv, int(name.split("_")[1])))
            else:
                raise UnknownCaseError(f"no case named {name!r}; `gradcheck cases list` shows the catalogue, and random_N re-runs random case N")
        return tuple(chosen)
    fitting = [c for c in catalogue if fits(c, conv)]
    randoms = [random_case(conv, seed + i) for i in range(n_random)] if conv.activations is not None else []
    return tuple(fitting + randoms)
