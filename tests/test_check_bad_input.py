"""Bad input gets one clear message, never a traceback; other cases still run."""

import json
import sys
from pathlib import Path

import numpy as np

import gradcheck
from gradcheck import Convention

GRADCHECK = str(Path(sys.executable).with_name("gradcheck"))
FAMILY = ["--activations", "sigmoid,sigmoid", "--samples", "columns", "--weights", "out_in",
          "--call", "x, y, W1, b1, W2, b2, eta", "--returns", "(W1_new, b1_new, W2_new, b2_new)"]

CODE = '''
import numpy as np
def s(z):
    return 1 / (1 + np.exp(-z))
def step(x, y, W1, b1, W2, b2, eta):
    a1 = s(W1 @ x + b1[:, None]); a2 = s(W2 @ a1 + b2[:, None])
    d2 = (a2 - y) * a2 * (1 - a2); d1 = (W2.T @ d2) * a1 * (1 - a1)
    return W1 - eta * d1 @ x.T, b1 - eta * d1.sum(1), W2 - eta * d2 @ a1.T, b2 - eta * d2.sum(1)
def raises_on_batches_of_3(x, y, W1, b1, W2, b2, eta):
    if x.shape[1] == 3:
        raise RuntimeError("boom")
    return step(x, y, W1, b1, W2, b2, eta)
def returns_none(x, y, W1, b1, W2, b2, eta):
    return None
def wrong_shape(x, y, W1, b1, W2, b2, eta):
    out = list(step(x, y, W1, b1, W2, b2, eta)); out[2] = out[2].T
    return tuple(out)
def nan(x, y, W1, b1, W2, b2, eta):
    out = list(step(x, y, W1, b1, W2, b2, eta)); out[0] = out[0] * np.nan
    return tuple(out)
def exits(x, y, W1, b1, W2, b2, eta):
    raise SystemExit(3)
'''


def run(pytester, target, *extra):
    pytester.makepyfile(student=CODE)
    result = pytester.run(GRADCHECK, "check", f"student.py:{target}", *FAMILY, "--random", "4", *extra)
    assert "Traceback" not in result.stderr.str() + result.stdout.str()
    return result


def report(pytester, target):
    result = run(pytester, target, "--format", "json")
    return result.ret, json.loads(result.stdout.str())


def test_correct_function_passes(pytester):
    ret, rep = report(pytester, "step")
    fitting = sum(1 for c in gradcheck.load_catalogue() if gradcheck._family.fits(c, Convention(activations=("sigmoid", "sigmoid"))))
    assert fitting >= 1
    assert ret == 0 and rep["summary"] == {"passed": fitting + 4, "failed": 0, "errors": 0}


def test_a_raising_case_is_an_error_and_the_others_still_run(pytester):
    ret, rep = report(pytester, "raises_on_batches_of_3")
    assert ret == 1
    statuses = {c["status"] for c in rep["cases"]}
    assert statuses == {"pass", "error"}
    error = next(c for c in rep["cases"] if c["status"] == "error")
    assert error["error"].startswith("your function raised RuntimeError: boom (at student.py:")


def test_returning_none_is_a_type_finding(pytester):
    ret, rep = report(pytester, "returns_none")
    assert ret == 1
    finding = rep["cases"][0]["findings"][0]
    assert finding["kind"] == "type" and "NoneType" in finding["message"]


def test_wrong_shape_names_the_quantity_and_the_expected_shape(pytester):
    ret, rep = report(pytester, "wrong_shape")
    assert ret == 1
    finding = next(f for f in rep["cases"][0]["findings"] if f["first"])
    assert (finding["kind"], finding["quantity"], finding["layer"]) == ("shape", "W_new", 2)
    assert "expected" in finding["message"] and "outputs" in finding["message"]


def test_nan_is_its_own_finding(pytester):
    ret, rep = report(pytester, "nan")
    assert ret == 1
    finding = next(f for f in rep["cases"][0]["findings"] if f["quantity"] == "W_new" and f["layer"] == 1)
    assert finding["kind"] == "nan" and "NaN" in finding["message"]


def test_sys_exit_in_student_code_is_a_case_error(pytester):
    ret, rep = report(pytester, "exits")
    assert ret == 1 and all(c["status"] == "error" and "SystemExit" in c["error"] for c in rep["cases"])


def test_missing_file_is_exit_2_with_one_line(pytester):
    result = pytester.run(GRADCHECK, "check", "nowhere.py:f", *FAMILY)
    assert result.ret == 2
    assert result.stderr.lines == ["gradcheck: error: no such file: nowhere.py; give the path of the .py file that defines f"]


def test_missing_function_lists_what_is_there(pytester):
    result = run(pytester, "nope")
    assert result.ret == 2
    assert "has no 'nope'; callables defined there:" in result.stderr.str() and "step" in result.stderr.str()


def test_import_error_is_exit_2(pytester):
    pytester.makepyfile(broken="import no_such_module_anywhere\n")
    result = pytester.run(GRADCHECK, "check", "broken.py:f", *FAMILY)
    assert result.ret == 2
    assert "importing broken.py failed: ModuleNotFoundError" in result.stderr.str()


def test_bad_template_is_exit_2(pytester):
    result = run(pytester, "step", "--returns", "(W1_new, oops)")
    assert result.ret == 2
    assert "'oops' names no quantity" in result.stderr.str()


def _rows_in_out(x, y, W1, b1, W2, b2, eta):
    """Samples as rows, W as (in, out): nothing declared."""
    s = lambda z: 1 / (1 + np.exp(-z))
    a1 = s(x @ W1 + b1)
    a2 = s(a1 @ W2 + b2)
    d2 = (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ W2.T) * a1 * (1 - a1)
    return W1 - eta * x.T @ d1, b1 - eta * d1.sum(0), W2 - eta * a1.T @ d2, b2 - eta * d2.sum(0)


def test_layout_is_inferred_from_shapes_and_said():
    conv = Convention(call="x, y, W1, b1, W2, b2, eta", returns="(W1_new, b1_new, W2_new, b2_new)", activations=("sigmoid", "sigmoid"))
    cases = gradcheck.select_cases(conv, gradcheck.load_catalogue(), n_random=3)
    report = gradcheck.check(_rows_in_out, conv, cases)
    assert report.passed
    assert report.layout_note.startswith("inferred: samples as rows, weights as in_out")


def test_square_layers_require_a_declaration():
    conv = Convention(call="x, y, W1, b1, W2, b2, eta", returns="(W1_new, b1_new, W2_new, b2_new)",
                      activations=("sigmoid", "sigmoid"), sizes=(3, 3, 3))
    cases = gradcheck.select_cases(conv, gradcheck.load_catalogue(), n_random=1)
    try:
        gradcheck.check(_rows_in_out, conv, cases)
    except gradcheck.ConventionError as exc:
        assert "--samples" in str(exc) and "--weights" in str(exc)
    else:
        raise AssertionError("a square network was checked without a declared layout")
