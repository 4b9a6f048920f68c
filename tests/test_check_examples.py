"""Every example style: the correct version passes, the buggy one fails at the right place."""

import json
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
GRADCHECK = str(Path(sys.executable).with_name("gradcheck"))
SCHEMA = json.loads((ROOT / "gradcheck" / "report.schema.json").read_text())

# (folder, function, first wrong quantity, its layer) for the buggy version
EXAMPLES = [
    ("seed000_single_layer", "backprop", "W_new", 1),
    ("seed003_train_step", "train_step", "W_new", 1),
    ("nielsen_network", "check_backprop", "dW", 2),
    ("cs231n_two_layer", "check_loss", "db", 2),
    ("deeplearning_ai", "check_backward", "dW", 1),
    ("in_place", "train", "W_new", 2),
]


def check(pytester, folder, version, function):
    result = pytester.run(GRADCHECK, "check", str(ROOT / "examples" / folder / f"{version}.py:{function}"), "--format", "json")
    report = json.loads(result.stdout.str())
    jsonschema.validate(report, SCHEMA)
    return result.ret, report


@pytest.mark.parametrize("folder, function, quantity, layer", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_correct_version_passes_every_fitting_case(pytester, folder, function, quantity, layer):
    ret, report = check(pytester, folder, "correct", function)
    assert ret == 0
    assert report["status"] == "pass" and report["cases"]
    assert all(case["status"] == "pass" and case["checked"] for case in report["cases"])


@pytest.mark.parametrize("folder, function, quantity, layer", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_buggy_version_fails_with_the_first_wrong_quantity_marked(pytester, folder, function, quantity, layer):
    ret, report = check(pytester, folder, "buggy", function)
    assert ret == 1
    failed = [case for case in report["cases"] if case["status"] == "fail"]
    assert failed and all(case["status"] != "pass" for case in report["cases"])
    for case in failed:
        firsts = [f for f in case["findings"] if f["first"]]
        assert len(firsts) == 1
        assert (firsts[0]["quantity"], firsts[0]["layer"]) == (quantity, layer), case["name"]


def test_text_report_shows_the_worst_entry_and_both_references(pytester):
    result = pytester.run(GRADCHECK, "check", str(ROOT / "examples/seed003_train_step/buggy.py:train_step"), "--case", "worked_2_2_1_sigmoid")
    assert result.ret == 1
    result.stdout.fnmatch_lines([
        "FAIL  worked_2_2_1_sigmoid: checked W_new[[]2[]], W_new[[]1[]]",
        "  * W_new[[]1[]] (return[[]0[]]) disagrees with both references at 4 of 4 entries*<- the error starts here",
        "*yours 0.10533939, jax 0.10130458, finite differences 0.10130458",
        "*yours*expected (jax)",
    ])


def test_demo_shows_a_pass_and_a_caught_bug(pytester):
    result = pytester.run(GRADCHECK, "demo")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["=== a correct backprop*", "PASS  single_layer_sigmoid_bias*",
                                 "=== seed 000's bug*", "ERROR single_layer_sigmoid_bias*", "demo: the correct version passed and the bug was caught."])
