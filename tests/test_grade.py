"""gradcheck grade: many submissions, one report each, a correct summary,
Gradescope's results.json; and the pytest plugin under xdist and JUnit XML."""

import json
import shutil
import sys
import textwrap
from pathlib import Path

import jax  # noqa: F401  (keeps jaxlib loaded across inline pytester runs; see test_pytest_plugin.py)

ROOT = Path(__file__).resolve().parents[1]
GRADCHECK = str(Path(sys.executable).with_name("gradcheck"))
EXAMPLE = ROOT / "examples" / "seed003_train_step"


def make_submissions(root: Path):
    for name, source in {"alice": EXAMPLE / "correct.py", "bob": EXAMPLE / "buggy.py"}.items():
        (root / name).mkdir()
        shutil.copy(source, root / name / "backprop.py")
    (root / "carol").mkdir()
    (root / "carol" / "backprop.py").write_text("def train_step(*args):\n    while True:\n        pass\n")
    (root / "dave").mkdir()  # submitted nothing


def test_grade_writes_a_correct_summary_and_gradescope_results(pytester):
    make_submissions(pytester.path)
    result = pytester.run(GRADCHECK, "grade", "alice", "bob", "carol", "dave", "--function", "train_step",
                          "--config", str(EXAMPLE / "gradcheck.toml"), "--jobs", "2", "--timeout", "2",
                          "--random", "1", "--out", "out", timeout=300)
    assert result.ret == 0, result.stderr.str()
    summary = {row["submission"]: row for row in json.loads((pytester.path / "out" / "summary.json").read_text())}
    assert summary["alice"]["passed"] == summary["alice"]["cases"] == 2
    assert summary["bob"]["passed"] == 0 and "W_new[1]; matrix_product_for_elementwise" in summary["bob"]["first_finding"]
    assert summary["carol"]["passed"] == 0 and "timed out after 2 s" in summary["carol"]["first_finding"]
    assert summary["dave"]["first_finding"].startswith("error: no such file")
    alice = json.loads((pytester.path / "out" / "alice" / "results.json").read_text())
    assert alice["score"] == 2.0 and [t["status"] for t in alice["tests"]] == ["passed", "passed"]
    assert set(alice["tests"][0]) == {"name", "score", "max_score", "status", "output", "visibility"}
    bob = json.loads((pytester.path / "out" / "bob" / "results.json").read_text())
    assert bob["score"] == 0.0 and "matrix product where an element-wise product belongs" in bob["tests"][0]["output"]
    assert (pytester.path / "out" / "bob" / "report.txt").read_text().startswith("gradcheck ")


def test_partial_credit_per_quantity_and_hidden_cases(pytester):
    pytester.mkdir("hidden")
    shutil.copy(ROOT / "cases" / "worked_2_2_1_sigmoid.toml", pytester.path / "hidden" / "hidden.toml")
    text = (pytester.path / "hidden" / "hidden.toml").read_text().replace('name = "worked_2_2_1_sigmoid"', 'name = "secret"')
    (pytester.path / "hidden" / "hidden.toml").write_text(text)
    make_submissions(pytester.path)
    result = pytester.run(GRADCHECK, "grade", "bob", "--function", "train_step", "--config", str(EXAMPLE / "gradcheck.toml"),
                          "--random", "0", "--partial", "quantity", "--points", "2", "--hidden-cases", "hidden",
                          "--out", "out", timeout=300)
    assert result.ret == 0, result.stderr.str()
    tests = {t["name"]: t for t in json.loads((pytester.path / "out" / "bob" / "results.json").read_text())["tests"]}
    # bob's W2 update is right and W1's is wrong: half of the checked quantities
    assert tests["worked_2_2_1_sigmoid"]["score"] == 1.0 and tests["worked_2_2_1_sigmoid"]["max_score"] == 2.0
    assert tests["secret"]["visibility"] == "after_published" and tests["worked_2_2_1_sigmoid"]["visibility"] == "visible"


PLUGIN_TEST = textwrap.dedent(
    """
    import numpy as np, pytest, gradcheck

    SPEC = gradcheck.Convention(call="x, y, W1, W2, eta", returns="(W1_new, W2_new)", samples="columns",
                                weights="out_in", bias="none", activations=("sigmoid", "sigmoid"))

    def step(x, y, W1, W2, eta):
        s = lambda z: 1 / (1 + np.exp(-z))
        a1 = s(W1 @ x); a2 = s(W2 @ a1)
        d2 = (a2 - y) * a2 * (1 - a2); d1 = (W2.T @ d2) * a1 * (1 - a1)
        return W1 - eta * d1 @ x.T, W2 - eta * d2 @ a1.T

    @pytest.mark.gradcheck(SPEC)
    def test_step(gradcheck_case):
        gradcheck.assert_backprop(step, SPEC, gradcheck_case)
    """
)


def test_plugin_under_xdist_and_junit_xml(pytester):
    pytester.makepyfile(test_student=PLUGIN_TEST)
    result = pytester.runpytest_subprocess("-n", "2", "--gradcheck-random", "3", "--junitxml", "junit.xml", timeout=300)
    result.assert_outcomes(passed=4)
    xml = (pytester.path / "junit.xml").read_text()
    for name in ("worked_2_2_1_sigmoid", "random_0", "random_1", "random_2"):
        assert f'name="test_step[{name}]"' in xml
