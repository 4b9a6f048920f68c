"""pytest plugin: one test item per case that fits a backprop function.

    SPEC = gradcheck.Convention(call="x, y, W1, W2, eta", returns="(W1_new, W2_new)", ...)

    @pytest.mark.gradcheck(SPEC)
    def test_student(gradcheck_case):
        gradcheck.assert_backprop(student.train_step, SPEC, gradcheck_case)

Instructors add hidden cases with ``--gradcheck-cases DIR``.
"""

from __future__ import annotations

import pytest

from ._convention import Convention

_options = pytest.StashKey[dict]()


def pytest_addoption(parser):
    group = parser.getgroup("gradcheck", "checking hand-written backprop")
    group.addoption("--gradcheck-cases", action="append", default=[], metavar="DIR",
                    help="also run the case files (*.toml) in DIR; repeatable")
    group.addoption("--gradcheck-random", type=int, default=3, metavar="N",
                    help="random cases of each family to add (default: 3)")
    group.addoption("--gradcheck-seed", type=int, default=0, metavar="SEED",
                    help="seed of the first random case (default: 0)")


def pytest_configure(config):
    config.addinivalue_line("markers", "gradcheck(convention): parametrize `gradcheck_case` with every case that fits the convention")
    config.stash[_options] = {
        "dirs": config.getoption("gradcheck_cases"),
        "random": config.getoption("gradcheck_random"),
        "seed": config.getoption("gradcheck_seed"),
    }


def pytest_generate_tests(metafunc):
    if "gradcheck_case" not in metafunc.fixturenames:
        return
    from ._catalogue import load_catalogue
    from ._family import select_cases

    marker = metafunc.definition.get_closest_marker("gradcheck")
    if marker is None or not marker.args or not isinstance(marker.args[0], Convention):
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: a test using gradcheck_case needs "
                                "@pytest.mark.gradcheck(gradcheck.Convention(...))")
    options = metafunc.config.stash[_options]
    cases = select_cases(marker.args[0], load_catalogue(options["dirs"]), n_random=options["random"], seed=options["seed"])
    metafunc.parametrize("gradcheck_case", cases, ids=[c.name for c in cases])
