"""Property: on any network gradcheck can describe, the two references agree."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradcheck import Case, case_references
from gradcheck._case import random_batch, random_parameters

ELEMENTWISE = ["sigmoid", "tanh", "relu", "leaky_relu", "softplus", "identity"]
OUTPUTS = {  # loss -> output activations it goes with
    "half_squared_error": ELEMENTWISE,
    "squared_error": ELEMENTWISE,
    "binary_cross_entropy": ["sigmoid"],
    "categorical_cross_entropy": ["softmax"],
}


@st.composite
def cases(draw):
    loss = draw(st.sampled_from(sorted(OUTPUTS)))
    depth = draw(st.integers(1, 4))
    hidden = draw(st.lists(st.sampled_from(ELEMENTWISE), min_size=depth - 1, max_size=depth - 1))
    activations = tuple(hidden) + (draw(st.sampled_from(OUTPUTS[loss])),)
    min_out = 2 if loss == "categorical_cross_entropy" else 1
    sizes = [draw(st.integers(1, 6)) for _ in range(depth)] + [draw(st.integers(min_out, 5))]
    batch = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.sampled_from([0.5, 1.0, 3.0]))
    rng = np.random.default_rng(seed)
    weights, biases = random_parameters(sizes, bias=draw(st.booleans()), rng=rng)
    x, y = random_batch(sizes, loss, batch, rng=rng)
    return Case(
        name=f"property_{seed}", description="hypothesis", source="", activations=activations, loss=loss,
        reduction=draw(st.sampled_from(["sum", "mean"])), weights=tuple(scale * W for W in weights), biases=biases,
        x=x, y=y, eta=draw(st.floats(0.01, 10.0)), seed=seed,
        weight_decay=draw(st.sampled_from([0.0, 0.0, 0.1])), weight_decay_half=draw(st.booleans()),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_jax_and_finite_differences_agree_on_any_network(case):
    refs = case_references(case)
    disagreeing = [f"{a.comparison.key}{list(a.comparison.worst_index)}: {a.comparison.max_abs_err:.3g} > {a.comparison.tolerance:.3g}"
                   for a in refs.agreements if not a.comparison.agree]
    assert not disagreeing, (case.activations, case.loss, case.sizes, case.batch)
