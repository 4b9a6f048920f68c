"""The pytest plugin end to end: an instructor's test file, run by pytest."""

import textwrap

# Inline pytester runs drop the modules they imported; re-importing jaxlib's
# C extension then aborts the process. Importing JAX here keeps it loaded.
import jax  # noqa: F401

TEST_FILE = textwrap.dedent(
    """
    import numpy as np
    import pytest
    import gradcheck

    SPEC = gradcheck.Convention(call="x, y, W1, W2, eta", returns="(W1_new, W2_new)", samples="columns",
                                weights="out_in", bias="none", activations=("sigmoid", "sigmoid"))

    def s(z):
        return 1 / (1 + np.exp(-z))

    def train_step(x, y, W1, W2, eta):
        a1 = s(W1 @ x); a2 = s(W2 @ a1)
        d2 = (a2 - y) * a2 * (1 - a2); d1 = (W2.T @ d2) * a1 * (1 - a1)
        return W1 - eta * d1 @ x.T, W2 - eta * d2 @ a1.T

    def buggy_step(x, y, W1, W2, eta):
        a1 = s(W1 @ x); a2 = s(W2 @ a1)
        d2 = (a2 - y) * a2 * (1 - a2); d1 = (W2.T @ d2) * a1 * (1 - a1)
        return W1 - eta * d1 @ x.T, W2 + eta * d2 @ a1.T   # uphill

    @pytest.mark.gradcheck(SPEC)
    def test_correct(gradcheck_case):
        gradcheck.assert_backprop(train_step, SPEC, gradcheck_case)

    @pytest.mark.gradcheck(SPEC)
    def test_buggy(gradcheck_case):
        gradcheck.assert_backprop(buggy_step, SPEC, gradcheck_case)
    """
)


def test_each_case_is_an_item_and_failures_show_the_report(pytester):
    pytester.makepyfile(test_student=TEST_FILE)
    result = pytester.runpytest("--gradcheck-random", "2")
    result.assert_outcomes(passed=3, failed=3)
    result.stdout.fnmatch_lines(["*W_new[[]2[]] (return[[]1[]]) disagrees with both references*<- the error starts here*"])
    result.stdout.fnmatch_lines(["*FAILED test_student.py::test_buggy[[]worked_2_2_1_sigmoid[]]*"])


def test_instructor_cases_join_from_the_command_line(pytester):
    pytester.makepyfile(test_student=TEST_FILE)
    hidden = pytester.mkdir("hidden")
    (hidden / "hidden_case.toml").write_text(textwrap.dedent(
        """
        name = "hidden_case"
        description = "an instructor's hidden 3-4-2 case"
        sizes = [3, 4, 2]
        activations = ["sigmoid", "sigmoid"]
        loss = "half_squared_error"
        eta = 0.3
        [init]
        seed = 11
        bias = false
        batch = 2
        """))
    result = pytester.runpytest("--gradcheck-random", "0", "--gradcheck-cases", str(hidden), "-k", "correct", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*test_correct?hidden_case? PASSED*"])


def test_missing_marker_is_a_usage_error(pytester):
    pytester.makepyfile(test_x="def test_it(gradcheck_case):\n    pass\n")
    result = pytester.runpytest()
    assert result.ret != 0
    assert "needs @pytest.mark.gradcheck(gradcheck.Convention(...))" in result.stdout.str() + result.stderr.str()
