"""Hostile student code, run isolated: each misbehaviour is one clear finding
with the right status, in bounded time, and the other cases still pass."""

import json
import sys
import time
from pathlib import Path

import pytest

GRADCHECK = str(Path(sys.executable).with_name("gradcheck"))
FAMILY = ["--activations", "sigmoid,sigmoid", "--samples", "columns", "--weights", "out_in",
          "--call", "x, y, W1, b1, W2, b2, eta", "--returns", "(W1_new, b1_new, W2_new, b2_new)",
          "--random", "2", "--timeout", "3", "--memory", "1024", "--max-output", "100000"]

STUDENT = '''
import os, sys, time
import numpy as np

def _step(x, y, W1, b1, W2, b2, eta):
    s = lambda z: 1 / (1 + np.exp(-z))
    a1 = s(W1 @ x + b1[:, None]); a2 = s(W2 @ a1 + b2[:, None])
    d2 = (a2 - y) * a2 * (1 - a2); d1 = (W2.T @ d2) * a1 * (1 - a1)
    return W1 - eta * d1 @ x.T, b1 - eta * d1.sum(1), W2 - eta * d2 @ a1.T, b2 - eta * d2.sum(1)

def hostile(misbehave):
    def fn(x, y, W1, b1, W2, b2, eta):
        if x.shape[1] == 4:          # only on batches of 4: random_0 here
            return misbehave(x, y, W1, b1, W2, b2, eta)
        return _step(x, y, W1, b1, W2, b2, eta)
    return fn

def _loop(*a):
    while True:
        pass

def _segfault(*a):
    import ctypes
    ctypes.string_at(0)

def _mutate(x, y, W1, b1, W2, b2, eta):
    out = _step(x, y, W1.copy(), b1, W2, b2, eta)
    W1 += 1.0
    return out

def _nan(*a):
    out = list(_step(*a)); out[2] = out[2] * np.nan
    return tuple(out)

def _wrong_shape(*a):
    out = list(_step(*a)); out[0] = out[0].T
    return tuple(out)

def _peek(*a):
    import gradcheck
    return gradcheck.jax_reference

infinite_loop = hostile(_loop)
sleeps = hostile(lambda *a: time.sleep(100))
calls_exit = hostile(lambda *a: sys.exit(3))
calls_os_exit = hostile(lambda *a: os._exit(7))
segfaults = hostile(_segfault)
allocates_50_gib = hostile(lambda *a: np.ones(50 * 2**30 // 8))
prints_forever = hostile(lambda *a: [print("spam " * 100) for _ in iter(int, 1)])
mutates_input = hostile(_mutate)
returns_nan = hostile(_nan)
wrong_shape = hostile(_wrong_shape)
wrong_type = hostile(lambda *a: "four arrays")
raises = hostile(lambda *a: 1 / 0)
reads_the_reference = hostile(_peek)
'''

# function -> (status of random_0, text its finding or error must contain)
HOSTILE = {
    "infinite_loop": ("error", "timed out after 3 s"),
    "sleeps": ("error", "timed out after 3 s"),
    "calls_exit": ("error", "SystemExit: sys.exit(3) called"),
    "calls_os_exit": ("error", "exited with code 7"),
    "segfaults": ("error", "killed by signal SIGSEGV"),
    "allocates_50_gib": ("error", "exceeded the memory limit of 1024 MiB"),
    "prints_forever": ("error", "printed more than 100000 bytes"),
    "mutates_input": ("pass", "modified its input W1 in place"),
    "returns_nan": ("fail", "contains NaN"),
    "wrong_shape": ("fail", "has shape"),
    "wrong_type": ("fail", "is str, expected a tuple or list"),
    "raises": ("error", "ZeroDivisionError"),
    "reads_the_reference": ("error", "ModuleNotFoundError"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_function_is_contained(pytester, name):
    status, text = HOSTILE[name]
    pytester.makepyfile(student=STUDENT)
    start = time.monotonic()
    result = pytester.run(GRADCHECK, "check", f"student.py:{name}", *FAMILY, "--format", "json", timeout=120)
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    report = json.loads(result.stdout.str())
    cases = {c["name"]: c for c in report["cases"]}
    hostile = cases.pop("random_0")
    assert hostile["status"] == status
    said = (hostile["error"] or "") + " ".join(hostile["notes"]) + " ".join(f["message"] for f in hostile["findings"])
    assert text in said
    assert cases and all(c["status"] == "pass" for c in cases.values()), {n: c["status"] for n, c in cases.items()}
    assert result.ret == (0 if status == "pass" else 1)
    assert elapsed < 60


def test_the_reference_is_not_importable_in_the_worker(pytester):
    """Even a correct answer obtained by importing gradcheck cannot happen: the import fails."""
    pytester.makepyfile(student=STUDENT)
    result = pytester.run(GRADCHECK, "check", "student.py:reads_the_reference", *FAMILY, "--format", "json", timeout=120)
    hostile = next(c for c in json.loads(result.stdout.str())["cases"] if c["name"] == "random_0")
    assert "import of gradcheck halted" in hostile["error"] or "ModuleNotFoundError" in hostile["error"]
