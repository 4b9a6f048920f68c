"""The catalogue is broad, every case is sound, and correct code never fails on it."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import gradcheck
from gradcheck import Convention, Key, case_references, load_catalogue

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = load_catalogue()
_spec = importlib.util.spec_from_file_location("generic_numpy_backprop", ROOT / "examples" / "generic_numpy_backprop.py")
generic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generic)


def family_of(case, **options) -> Convention:
    return Convention(
        call="x, y, weights, biases", returns="(loss, deltas, dWs, dbs)", samples="columns", weights="out_in",
        bias="separate" if all(b is not None for b in case.biases) else "none",
        activations=case.activations, loss=case.loss, reduction=case.reduction,
        weight_decay=case.weight_decay, weight_decay_half=case.weight_decay_half).with_options(**options)


def implementation(case, dtype):
    return generic.make_backprop(case.activations, case.loss, case.reduction, case.weight_decay,
                                 case.weight_decay_half, dtype)


def test_the_catalogue_covers_what_it_promises():
    acts = {a for c in CATALOGUE for a in c.activations}
    assert acts == {"sigmoid", "tanh", "relu", "leaky_relu", "softplus", "identity", "softmax"}
    assert {c.loss for c in CATALOGUE} == {"half_squared_error", "squared_error", "binary_cross_entropy", "categorical_cross_entropy"}
    assert {c.reduction for c in CATALOGUE} == {"sum", "mean"}
    assert {c.n_layers for c in CATALOGUE} >= {1, 2, 3, 4}
    assert {c.batch == 1 for c in CATALOGUE} == {True, False}
    assert {all(b is None for b in c.biases) for c in CATALOGUE} == {True, False}
    assert {(c.weight_decay > 0, c.weight_decay_half) for c in CATALOGUE} >= {(True, True), (True, False)}
    assert all(c.description for c in CATALOGUE)


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda c: c.name)
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_correct_code_passes_every_case_in_float64_and_float32(case, dtype):
    report = gradcheck.check(implementation(case, dtype), family_of(case), [case])
    (result,) = report.cases
    assert result.status == "pass", [f.message for f in result.findings]
    assert {k.quantity for k in result.checked} >= {"loss", "delta", "dW"}


def test_a_relu_at_its_kink_is_not_differentiable_not_wrong():
    case = gradcheck.get_case("relu_at_kink_3_4_2")
    refs = case_references(case)
    assert refs.undecidable[Key("delta", 1)][:, 0].all()  # the zero sample, every unit
    assert not refs.undecidable[Key("delta", 1)][:, 1:].any()
    assert not refs.undecidable[Key("delta", 2)].any()  # the output layer does not depend on it
    # both one-sided conventions for relu'(0) pass, and the note says why entries were not judged
    for mask in (lambda z: z > 0, lambda z: z >= 0):
        def backprop(x, y, weights, biases, mask=mask):
            (W1, W2), (b1, b2) = weights, biases
            z1 = W1 @ x + b1[:, None]; a1 = np.maximum(z1, 0)
            a2 = 1 / (1 + np.exp(-(W2 @ a1 + b2[:, None])))
            d2 = (a2 - y) * a2 * (1 - a2); d1 = (W2.T @ d2) * mask(z1)
            return [d1, d2], [d1 @ x.T, d2 @ a1.T], [d1.sum(1), d2.sum(1)]
        report = gradcheck.check(backprop, family_of(case, returns="(deltas, dWs, dbs)"), [case])
        assert report.passed
        assert "not differentiable here" in report.cases[0].notes[0]


def test_random_relu_cases_keep_away_from_kinks():
    conv = Convention(activations=("relu", "leaky_relu", "identity"))
    for seed in range(30):
        refs = case_references(gradcheck.random_case(conv, seed))
        assert refs.n_undecidable == 0
