"""The references agree with each other, and with published and hand-derived numbers."""

import numpy as np
import pytest

import gradcheck
from gradcheck import Key, case_references, fd_reference, jax_reference, load_catalogue
from gradcheck._compare import compare

CATALOGUE = load_catalogue()


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda c: c.name)
def test_jax_and_finite_differences_agree_on_every_quantity(case):
    result = case_references(case)
    fd_vs_jax = [a.comparison for a in result.agreements if a.first == "finite_differences" and a.second == "jax"]
    keys = {c.key for c in fd_vs_jax}
    for layer in range(1, case.n_layers + 1):
        expected = {"delta", "dW", "update_W", "W_new"} | ({"db", "update_b", "b_new"} if case.biases[layer - 1] is not None else set())
        assert {k.quantity for k in keys if k.layer == layer} >= expected
    disagreeing = [f"{c.key}{list(c.worst_index)}: {c.max_abs_err:.3g} > {c.tolerance:.3g}" for c in fd_vs_jax if not c.agree]
    assert not disagreeing


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda c: c.name)
def test_the_tolerance_has_teeth(case):
    """Small changes to any gradient are seen: against JAX a relative change of
    1e-5 of the largest entry (the tolerance widens with ill-conditioning, as
    in the saturated case), against finite differences (whose own error bound
    is wider where the loss curves sharply) one of 1e-4. Entries that are
    exactly zero must stay zero to 1e-9. Every mistake gradcheck looks for is
    orders of magnitude larger; the agreement above is not bought with a loose
    tolerance."""
    refs = case_references(case)
    jax_ref, fd_ref = refs.reference("jax"), refs.reference("finite_differences")
    for key in jax_ref.values:
        if key.quantity not in ("delta", "dW", "db"):
            continue
        mask = refs.undecidable.get(key, np.zeros(jax_ref.values[key].shape, dtype=bool))
        if mask.all():
            continue  # every entry sits on a kink: nothing to judge
        value = np.where(mask, 0.0, jax_ref.values[key])
        worst = np.unravel_index(np.argmax(np.abs(value)), value.shape)
        for expected, relative in ((jax_ref, 1e-5), (fd_ref, 1e-4)):
            nudged = np.array(jax_ref.values[key])
            nudged[worst] += relative * value[worst] if value[worst] != 0 else 1e-9
            (comparison,) = compare(case, {key: nudged}, expected, magnitudes=refs.magnitudes)
            assert not comparison.agree, f"{key}: a change of {relative:g} passed against {expected.method}"


@pytest.mark.parametrize("case", [c for c in CATALOGUE if c.published], ids=lambda c: c.name)
def test_published_numbers_are_reproduced_at_their_precision(case):
    for method in (jax_reference, fd_reference):
        ref = method(case)
        for pub in case.published:
            # independent of gradcheck's comparison code: round and compare
            assert np.all(np.abs(ref.values[pub.key] - pub.value) <= pub.half_unit), (method.__name__, pub.key)
            assert np.array_equal(np.round(ref.values[pub.key], pub.decimals), pub.value) or np.all(
                np.abs(np.round(ref.values[pub.key], pub.decimals) - pub.value) <= 10.0 ** -pub.decimals
            )


def test_worked_example_matches_the_published_answer_entry_by_entry():
    """Seed 003: W1_new = [[0.10130, 0.80391], [0.40403, 0.61210]]."""
    published = np.array([[0.10130, 0.80391], [0.40403, 0.61210]])
    case = gradcheck.get_case("worked_2_2_1_sigmoid")
    for ref in (jax_reference(case), fd_reference(case)):
        assert np.array_equal(np.round(ref.values[Key("W_new", 1)], 5), published)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _assert_matches_hand_derivation(ref, key, expected):
    """JAX to rounding; finite differences within the error bound they state
    for themselves (which this also checks is honest)."""
    got = ref.values[key]
    if ref.method == "jax":
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-14, err_msg=str(key))
    else:
        excess = np.abs(got - expected) - ref.error[key]
        assert np.all(excess <= 1e-15), f"{key}: off by more than its own error bound"
        assert np.max(ref.error[key]) <= 1e-8 * max(1.0, np.max(np.abs(expected))), f"{key}: error bound is loose"


def test_single_layer_case_matches_the_textbook_formulas():
    """Seed 000's answer: delta = (a - t) f'(z), dC/dW = delta x^T (inputs, not outputs)."""
    case = gradcheck.get_case("single_layer_sigmoid_bias")
    W, b, x, t = case.weights[0], case.biases[0], case.x, case.y
    a = _sigmoid(W @ x + b[:, None])
    delta = (a - t) * a * (1 - a)
    expected = {Key("delta", 1): delta, Key("dW", 1): delta @ x.T, Key("db", 1): delta.sum(axis=1),
                Key("W_new", 1): W - case.eta * delta @ x.T}
    for ref in (jax_reference(case), fd_reference(case)):
        for key, value in expected.items():
            _assert_matches_hand_derivation(ref, key, value)


def test_three_layer_case_matches_the_delta_recursion():
    """Seed 002: delta_l = (W_(l+1)^T delta_(l+1)) * sigma'(z_l), written out by hand."""
    case = gradcheck.get_case("three_layer_sigmoid_4_5_3_2")
    a, zs = [case.x], []
    for W, b in zip(case.weights, case.biases):
        zs.append(W @ a[-1] + b[:, None])
        a.append(_sigmoid(zs[-1]))
    deltas = [None] * 3
    deltas[2] = (a[3] - case.y) * a[3] * (1 - a[3])
    for l in (1, 0):
        deltas[l] = (case.weights[l + 1].T @ deltas[l + 1]) * a[l + 1] * (1 - a[l + 1])
    for ref in (jax_reference(case), fd_reference(case)):
        for l in range(3):
            _assert_matches_hand_derivation(ref, Key("delta", l + 1), deltas[l])
            _assert_matches_hand_derivation(ref, Key("dW", l + 1), deltas[l] @ a[l].T)


def test_cross_entropy_output_exactly_at_zero():
    """Found by the property test: a dead ReLU makes z_2 exactly -0.0, where
    autodiff through a piecewise 'stable' softplus gave dC/dz_2 off by 0.5."""
    case = gradcheck.Case(
        name="dead_relu_bce", description="", source="", activations=("relu", "sigmoid"),
        loss="binary_cross_entropy", reduction="sum", weights=(np.array([[0.0945]]), np.array([[-0.2614]])),
        biases=(None, None), x=np.array([[-0.4131]]), y=np.array([[0.0919]]), eta=1.0)
    expected = 0.5 - 0.0919  # sigmoid(0) - y
    for ref in (jax_reference(case), fd_reference(case)):
        assert abs(ref.values[Key("delta", 2)][0, 0] - expected) < 1e-9, ref.method
