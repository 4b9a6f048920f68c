"""`gradcheck cases ...` end to end, as a user runs it."""

import json
import subprocess
import sys
import zipfile

import numpy as np
import pytest


from pathlib import Path

# The console script installed beside this interpreter, whether or not its
# virtual environment is activated.
GRADCHECK = str(Path(sys.executable).with_name("gradcheck"))


def run(pytester, *args):
    return pytester.run(GRADCHECK, *args)


def test_cases_list_names_every_case(pytester):
    result = run(pytester, "cases", "list")
    assert result.ret == 0
    for name in ("worked_2_2_1_sigmoid", "single_layer_sigmoid_bias", "three_layer_sigmoid_4_5_3_2"):
        assert any(line.startswith(name) for line in result.outlines)


def test_cases_show_json_reproduces_the_published_answer_from_both_references(pytester):
    result = run(pytester, "cases", "show", "worked_2_2_1_sigmoid", "--format", "json")
    assert result.ret == 0
    report = json.loads(result.stdout.str())
    published = [[0.10130, 0.80391], [0.40403, 0.61210]]
    for method in ("jax", "finite_differences"):
        layer1 = report["references"][method]["layers"][0]
        assert layer1["layer"] == 1
        assert np.array_equal(np.round(layer1["W_new"], 5), published), method
    assert report["references"]["published"]["layers"][0]["W_new"] == published
    assert report["consistent"] is True
    pairs = {tuple(a["between"]) for a in report["agreement"]}
    assert pairs == {("finite_differences", "jax"), ("jax", "published"), ("finite_differences", "published")}


def test_cases_show_text_states_the_agreement(pytester):
    result = run(pytester, "cases", "show", "three_layer_sigmoid_4_5_3_2")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*delta[[]1[]]: error signal delta_l = dC/dz_l*", "*fd vs jax: all agree on 28 quantities*"])


def test_unknown_case_is_one_clear_line_and_exit_2(pytester):
    result = run(pytester, "cases", "show", "no_such_case")
    assert result.ret == 2
    assert result.stderr.lines[-1].startswith("gradcheck: error: no case named 'no_such_case'")
    assert "Traceback" not in result.stderr.str()


def test_bad_case_folder_is_exit_2_with_file_and_line(pytester):
    pytester.makefile(".toml", broken='name = "x"\ndescription = "y"\nsizes = [2, 1]\nactivations = ["sigmod"]\n'
                      'loss = "half_squared_error"\neta = 1.0\nx = [[1.0], [2.0]]\ny = [[1.0]]\n[[layers]]\nW = [[1.0, 2.0]]\n')
    result = run(pytester, "cases", "list", "--cases", str(pytester.path))
    assert result.ret == 2
    assert "broken.toml:4: layer 1: unknown activation 'sigmod'" in result.stderr.str()


def test_help_lists_the_commands(pytester):
    result = run(pytester, "--help")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*cases*", "*Exit status: 0 all agree, 1 a disagreement, 2*"])


def test_the_wheel_ships_the_catalogue_and_the_report_files(tmp_path):
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(root)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("gradcheck-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n.split("/")[-1] for n in names if n.startswith("gradcheck/cases/") and n.endswith(".toml")}
    bundled = {p.name for p in (root / "cases").glob("*.toml")}
    assert bundled and shipped == bundled
    assert {"gradcheck/report.css", "gradcheck/report.schema.json"} <= set(names)


def test_cases_validate_explains_each_bad_file_and_passes_good_ones(pytester):
    root = Path(__file__).resolve().parents[1]
    good = (root / "cases" / "worked_2_2_1_sigmoid.toml").read_text()
    folder = pytester.mkdir("mine")
    (folder / "good.toml").write_text(good)
    (folder / "bad_activation.toml").write_text(good.replace('"sigmoid", "sigmoid"', '"sigmoid", "sigmod"').replace("worked_2_2_1_sigmoid", "a"))
    (folder / "bad_shape.toml").write_text(good.replace("W = [[0.3, 0.9]]", "W = [[0.3, 0.9, 0.1]]").replace("worked_2_2_1_sigmoid", "b"))
    (folder / "missing.toml").write_text(good.replace('loss = "half_squared_error"\n', "").replace("worked_2_2_1_sigmoid", "c"))
    result = run(pytester, "cases", "validate", str(folder))
    assert result.ret == 1
    out = result.stdout.str()
    assert "bad_activation.toml:8: layer 2: unknown activation 'sigmod'" in out
    assert "bad_shape.toml:19: layer 2: W must have shape (n_2, 2)" in out
    assert "missing.toml: missing required field 'loss'" in out
    assert "ok    " in out and "good.toml: worked_2_2_1_sigmoid" in out
    assert "1 of 4 case files are valid" in out


def test_cases_validate_passes_the_bundled_catalogue(pytester):
    root = Path(__file__).resolve().parents[1]
    result = run(pytester, "cases", "validate", str(root / "cases"))
    assert result.ret == 0
    assert "relu_at_kink_3_4_2, 3-4-2; 20 entries not differentiable (at a kink)" in result.stdout.str()
