"""Every buggy implementation is caught at the right place with the right
mistake named; every correct-but-suspicious one passes."""

import pytest
from diagnosis_suite import buggy_suite, correct_suite

import gradcheck

CATALOGUE = gradcheck.load_catalogue()


def run(fn, conv):
    return gradcheck.check(fn, conv, gradcheck.select_cases(conv, CATALOGUE, n_random=3))


@pytest.mark.parametrize("entry", buggy_suite(), ids=lambda e: e.name)
def test_buggy_code_is_caught_localised_and_named(entry):
    report = run(entry.fn, entry.convention)
    assert not report.passed
    caught = [c for c in report.cases if c.status != "pass"]
    for case in caught:
        if entry.first is None:
            assert case.status == "error"
            assert entry.bug in [d.bug for d in case.diagnosis], (case.case_name, case.error)
            continue
        first = case.first
        assert first is not None, case.case_name
        assert (first.key.quantity, first.key.layer) == entry.first, (case.case_name, first.message)
        assert entry.bug in [d.bug for d in first.diagnosis], (case.case_name, [d.bug for d in first.diagnosis])


@pytest.mark.parametrize("entry", correct_suite(), ids=lambda e: e.name)
def test_correct_code_that_looks_suspicious_passes(entry):
    report = run(entry.fn, entry.convention)
    assert report.passed, [f.message for c in report.cases for f in c.findings]


def test_seed000_report_names_the_bug_in_words():
    from diagnosis_suite import DEMO_CONVENTION, backprop_seed000_bug

    from gradcheck._render_report import report_text

    text = report_text(run(backprop_seed000_bug, DEMO_CONVENTION))
    assert "built from the layer's outputs instead of its inputs" in text
    assert "inputs^T delta" in text


def test_seed003_report_names_the_askers_mistake_in_words():
    from diagnosis_suite import _example

    from gradcheck._render_report import report_text

    entry = _example("seed003_train_step", "train_step", ("W_new", 1), "matrix_product_for_elementwise")
    case = gradcheck.get_case("worked_2_2_1_sigmoid")
    text = report_text(gradcheck.check(entry.fn, entry.convention, [case]))
    assert "a matrix product where an element-wise product belongs" in text
    assert "every row of dC/dW_1 comes out equal" in text
    assert "return the deltas and dC/dW as well" in text
