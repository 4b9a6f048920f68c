"""How well gradcheck localises and names mistakes: the regression suite of
tests/diagnosis_suite.py over the catalogue and 3 random cases per family.

For each buggy implementation: the cases that catch it, whether every one
marks the right first wrong quantity and layer, and whether it names the
right mistake (other mistakes that match the same numbers are listed too).
For each correct one: whether every case passes.

    python benchmarks/diagnosis_rates.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import gradcheck  # noqa: E402
from diagnosis_suite import buggy_suite, correct_suite  # noqa: E402


def main() -> int:
    catalogue = gradcheck.load_catalogue()
    caught = localised = named = 0
    buggy = buggy_suite()
    print(f"{'buggy implementation':<46} {'caught':>9} {'first':>6} {'named':>6}  also matched")
    for entry in buggy:
        cases = gradcheck.select_cases(entry.convention, catalogue, n_random=3)
        report = gradcheck.check(entry.fn, entry.convention, cases)
        failing = [c for c in report.cases if c.status != "pass"]
        firsts = [c.first for c in failing]
        if entry.first is None:
            ok_first = all(c.status == "error" for c in failing)
            names = [[d.bug for d in c.diagnosis] for c in failing]
        else:
            ok_first = all(f is not None and (f.key.quantity, f.key.layer) == entry.first for f in firsts)
            names = [[d.bug for d in f.diagnosis] if f else [] for f in firsts]
        ok_name = bool(failing) and all(entry.bug in n for n in names)
        others = sorted({b for n in names for b in n} - {entry.bug})
        caught += bool(failing)
        localised += bool(failing) and ok_first
        named += ok_name
        print(f"{entry.name:<46} {len(failing):>4}/{len(report.cases):<4} {'yes' if ok_first else 'NO':>6} "
              f"{'yes' if ok_name else 'NO':>6}  {', '.join(others)}")
    passed = 0
    correct = correct_suite()
    print(f"\n{'correct implementation':<46} {'passed':>9}")
    for entry in correct:
        report = gradcheck.check(entry.fn, entry.convention, gradcheck.select_cases(entry.convention, catalogue, n_random=3))
        ok = sum(c.status == "pass" for c in report.cases)
        passed += report.passed
        print(f"{entry.name:<46} {ok:>4}/{len(report.cases):<4}")
    n = len(buggy)
    print(f"\nbuggy: caught {caught}/{n}, first wrong quantity right {localised}/{n}, mistake named {named}/{n}; "
          f"correct: passed {passed}/{len(correct)}")
    return 0 if caught == localised == named == n and passed == len(correct) else 1


if __name__ == "__main__":
    sys.exit(main())
