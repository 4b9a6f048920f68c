"""Case files: the bundled ones load, and every mistake is named with its line."""

import shutil
import textwrap
from pathlib import Path

import numpy as np
import pytest

from gradcheck import CaseError, load_case, load_catalogue
from gradcheck._catalogue import bundled_cases_dir

GOOD = textwrap.dedent(
    """\
    name = "tiny"
    description = "a 2-3-1 network"
    sizes = [2, 3, 1]
    activations = ["tanh", "sigmoid"]
    loss = "half_squared_error"
    reduction = "mean"
    eta = 0.5
    x = [[0.1, 0.2], [0.3, -0.4]]
    y = [[1.0, 0.0]]

    [[layers]]
    W = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]
    b = [0.0, 0.1, 0.2]

    [[layers]]
    W = [[0.7, 0.8, 0.9]]
    """
)


def write(tmp_path, text, name="case.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_bundled_catalogue_holds_the_three_seed_cases():
    names = {c.name for c in load_catalogue()}
    assert {"worked_2_2_1_sigmoid", "single_layer_sigmoid_bias", "three_layer_sigmoid_4_5_3_2"} <= names


def test_every_bundled_case_is_non_square_or_says_why():
    for case in load_catalogue():
        assert case.description
        square = [l for l, W in enumerate(case.weights, 1) if W.shape[0] == W.shape[1]]
        if square:
            assert "W2^T happens to equal x" in Path(case.path).read_text(), case.name


def test_a_good_file_loads_into_an_immutable_case(tmp_path):
    case = load_case(write(tmp_path, GOOD))
    assert case.sizes == (2, 3, 1) and case.batch == 2 and case.reduction == "mean"
    with pytest.raises(ValueError):
        case.weights[0][0, 0] = 1.0
    with pytest.raises(AttributeError):
        case.eta = 2.0


def test_seeded_parameters_are_reproducible(tmp_path):
    text = GOOD.split("[[layers]]")[0].replace("x = [[0.1, 0.2], [0.3, -0.4]]\ny = [[1.0, 0.0]]\n", "")
    text += "[init]\nseed = 7\nbatch = 4\n"
    first, second = load_case(write(tmp_path, text, "a.toml")), load_case(write(tmp_path, text, "b.toml"))
    assert first.seed == 7 and first.batch == 4
    for W1, W2 in zip(first.weights, second.weights):
        assert np.array_equal(W1, W2)


@pytest.mark.parametrize(
    "old, new, message, line",
    [
        ('"tanh", "sigmoid"', '"tanh", "sigmoidd"', "unknown activation 'sigmoidd'", 4),
        ("W = [[0.7, 0.8, 0.9]]", "W = [[0.7, 0.8]]", "layer 2: W must have shape (n_2, 3)", 16),
        ('loss = "half_squared_error"\n', "", "missing required field 'loss'", None),
        ("eta = 0.5", "eta = 0.5\netta = 1", "unknown field 'etta'", 8),
        ("b = [0.0, 0.1, 0.2]", "b = [0.0, 0.1]", "layer 1: b must have shape (3,)", 13),
        ('y = [[1.0, 0.0]]', 'y = [[1.0, 0.0, 1.0]]', "y must have shape (1, 2)", 9),
        ('activations = ["tanh", "sigmoid"]', 'activations = ["tanh"]', "2 layers (from sizes) but 1 activations", 4),
        ("sizes = [2, 3, 1]", "sizes = [2, 3 1]", "not valid TOML", 3),
    ],
)
def test_mistakes_are_named_with_file_and_line(tmp_path, old, new, message, line):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(CaseError) as info:
        load_case(path)
    assert message in str(info.value)
    assert info.value.path == str(path)
    assert info.value.line == line


def test_missing_file_is_a_case_error(tmp_path):
    with pytest.raises(CaseError, match="cannot read the case file"):
        load_case(tmp_path / "nope.toml")


def test_extra_case_folders_join_the_catalogue(tmp_path):
    write(tmp_path, GOOD)
    names = [c.name for c in load_catalogue([tmp_path])]
    assert "tiny" in names and "worked_2_2_1_sigmoid" in names


def test_duplicate_names_are_refused(tmp_path):
    shutil.copy(bundled_cases_dir() / "worked_2_2_1_sigmoid.toml", tmp_path / "copy.toml")
    with pytest.raises(CaseError, match="also used by"):
        load_catalogue([tmp_path])
