"""The fast mode reaches the same verdicts and names the same mistakes as the
exhaustive one, and its reference check still catches a wrong reference."""

import numpy as np
import pytest
from diagnosis_suite import buggy_suite, correct_suite
from test_catalogue import family_of, implementation

import gradcheck
from gradcheck import Key, case_references, load_catalogue

CATALOGUE = load_catalogue()


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda c: c.name)
def test_references_agree_along_directions_and_correct_code_passes(case):
    refs = case_references(case, "fast")
    assert refs.mode == "fast" and refs.consistent
    for dtype in (np.float64, np.float32):
        report = gradcheck.check(implementation(case, dtype), family_of(case), [case], mode="fast")
        assert report.passed and report.mode == "fast", [f.message for c in report.cases for f in c.findings]


@pytest.mark.parametrize("entry", buggy_suite(), ids=lambda e: e.name)
def test_fast_mode_localises_and_names_like_the_exhaustive_one(entry):
    cases = gradcheck.select_cases(entry.convention, CATALOGUE, n_random=2)
    fast = gradcheck.check(entry.fn, entry.convention, cases, mode="fast")
    exhaustive = gradcheck.check(entry.fn, entry.convention, cases, mode="exhaustive")
    for a, b in zip(fast.cases, exhaustive.cases):
        assert a.status == b.status
        if a.first is not None:
            assert a.first.key == b.first.key and a.first.diagnosis == b.first.diagnosis
            assert a.first.expected == b.first.expected  # the drill-down differenced the same entries


@pytest.mark.parametrize("entry", correct_suite(), ids=lambda e: e.name)
def test_fast_mode_passes_correct_code(entry):
    assert gradcheck.check(entry.fn, entry.convention, gradcheck.select_cases(entry.convention, CATALOGUE, n_random=2),
                           mode="fast").passed


def test_directional_check_catches_a_wrong_reference(monkeypatch):
    case = gradcheck.get_case("three_layer_sigmoid_4_5_3_2")
    real = gradcheck._references.jax_reference

    def off_by_a_part_in_a_million(c):
        ref = real(c)
        values = dict(ref.values)
        values[Key("dW", 2)] = values[Key("dW", 2)] * (1 + 1e-6)
        return gradcheck.Reference("jax", values)

    monkeypatch.setattr(gradcheck._references, "jax_reference", off_by_a_part_in_a_million)
    gradcheck._references.case_references.cache_clear()
    refs = case_references(case, "fast")
    assert not refs.consistent
    assert [str(a.comparison.key) for a in refs.agreements if not a.comparison.agree] == ["dW[2]"]
    gradcheck._references.case_references.cache_clear()


def test_auto_picks_by_size():
    small = gradcheck.get_case("worked_2_2_1_sigmoid")
    conv = gradcheck.Convention(activations=("sigmoid", "softmax"), loss="categorical_cross_entropy", sizes=(784, 300, 10), batch=2)
    large = gradcheck.random_case(conv, 0)
    assert gradcheck._references.resolve_mode(small, "auto") == "exhaustive"
    assert gradcheck._references.resolve_mode(large, "auto") == "fast"
