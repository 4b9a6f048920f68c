"""Grading throughput: 200 generated submissions (correct, buggy and hostile)
graded with 1 and with 2 jobs; every summary must say what it should.

    python benchmarks/grade_throughput.py [--submissions 200] [--timeout 1]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from gradcheck import Convention, load_catalogue, select_cases
from gradcheck._grade import find_submissions, grade
from gradcheck._runner import Limits

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "seed003_train_step"
CORRECT = (EXAMPLE / "correct.py").read_text()

# kind -> (source of backprop.py, text the first finding must contain; "" means every case passes)
KINDS = {
    "correct": (CORRECT, ""),
    "askers_derivation": ((EXAMPLE / "buggy.py").read_text(), "matrix_product_for_elementwise"),
    "uphill": (CORRECT.replace("W1 - eta", "W1 + eta"), "uphill"),
    "eta_twice": (CORRECT.replace("W2 - eta *", "W2 - eta * eta *"), "eta_twice"),
    "infinite_loop": ("def train_step(*a):\n    while True:\n        pass\n", "timed out"),
    "os_exit": ("import os\ndef train_step(*a):\n    os._exit(3)\n", "exited with code 3"),
    "raises": ("def train_step(*a):\n    raise ValueError('nope')\n", "raised ValueError: nope"),
    "prints": ("def train_step(*a):\n    while True:\n        print('x' * 1000)\n", "printed more than"),
    "nan": (CORRECT.replace("return W1 - eta", "return float('nan') * W1 - eta"), "W_new[1]"),
    "wrong_type": ("def train_step(*a):\n    return 'two arrays'\n", "is str"),
}
# how often each kind appears among the submissions: half correct, the rest spread
WEIGHTS = {"correct": 10, "askers_derivation": 2, "uphill": 2, "eta_twice": 2, "infinite_loop": 1, "os_exit": 1,
           "raises": 1, "prints": 1, "nan": 1, "wrong_type": 1}


def make(root: Path, n: int) -> dict[str, str]:
    kinds = [k for k, w in WEIGHTS.items() for _ in range(w)]
    expected = {}
    for i in range(n):
        kind = kinds[i % len(kinds)]
        name = f"student_{i:03d}_{kind}"
        (root / name).mkdir()
        (root / name / "backprop.py").write_text(KINDS[kind][0])
        expected[name] = kind
    return expected


def verify(graded, expected) -> int:
    wrong = 0
    for g in graded:
        row = g.summary
        kind = expected[row["submission"]]
        text = KINDS[kind][1]
        ok = row["passed"] == row["cases"] if not text else (row["passed"] < row["cases"] and text in row["first_finding"])
        if not ok:
            wrong += 1
            print(f"  WRONG SUMMARY {row}")
    return wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=1.0)
    args = parser.parse_args()
    from gradcheck._case_file import tomllib

    conv = Convention(**tomllib.loads((EXAMPLE / "gradcheck.toml").read_text()))
    cases = select_cases(conv, load_catalogue(), n_random=1)
    root = Path(tempfile.mkdtemp(prefix="gradcheck-bench-"))
    try:
        expected = make(root, args.submissions)
        submissions = find_submissions([str(root / "*")], "backprop.py", "train_step")
        limits = Limits(timeout=args.timeout, max_output=100_000)
        print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
              f"{len(submissions)} submissions x {len(cases)} cases, timeout {args.timeout:g} s")
        print(f"{'jobs':>4} {'seconds':>8} {'submissions/s':>14} {'wrong summaries':>16}")
        failures = 0
        for jobs in (1, 2):
            start = time.perf_counter()
            graded = grade(submissions, conv, cases, limits=limits, jobs=jobs)
            seconds = time.perf_counter() - start
            wrong = verify(graded, expected)
            failures += wrong
            print(f"{jobs:>4} {seconds:>8.1f} {len(graded) / seconds:>14.2f} {wrong:>16}")
        return 1 if failures else 0
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    sys.exit(main())
