"""False-alarm rate: correct backprop must never be flagged.

Runs examples/generic_numpy_backprop.py (a correct implementation written
independently of gradcheck) for several model families, in float64 and in
float32, over seeded random cases of each family: plain ones, saturated ones
(weights x 8 to x 15) and, for families with ReLU-like activations, ones with
an activation input placed within 1e-9 of the kink. Every check of every case
must pass; the script prints the count of false disagreements and exits 1 if
there is any. As a control, the same cases must catch a wrong variant (dC/dW
doubled) every time: a harness that passes everything would also score zero.

    python benchmarks/false_alarms.py [--per-family 130] [--seed 0]
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import platform
import sys
import time
from pathlib import Path

import numpy as np

import gradcheck
from gradcheck import Convention

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("generic_numpy_backprop", ROOT / "examples" / "generic_numpy_backprop.py")
generic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generic)

FAMILIES = [
    dict(activations=("sigmoid",), loss="half_squared_error", reduction="sum"),
    dict(activations=("sigmoid", "sigmoid"), loss="half_squared_error", reduction="sum", bias="none"),
    dict(activations=("tanh", "sigmoid"), loss="binary_cross_entropy", reduction="mean"),
    dict(activations=("relu", "softmax"), loss="categorical_cross_entropy", reduction="mean", weight_decay=0.05, weight_decay_half=False),
    dict(activations=("leaky_relu", "identity"), loss="squared_error", reduction="mean"),
    dict(activations=("relu", "relu", "identity"), loss="half_squared_error", reduction="mean", weight_decay=0.1),
    dict(activations=("softplus", "tanh", "sigmoid", "identity"), loss="half_squared_error", reduction="sum"),
    dict(activations=("sigmoid", "tanh", "sigmoid"), loss="binary_cross_entropy", reduction="sum"),
]
KINKED = {"relu", "leaky_relu"}


def family_convention(family) -> Convention:
    return Convention(call="x, y, weights, biases", returns="(loss, deltas, dWs, dbs)", samples="columns",
                      weights="out_in", **family)


def saturated(case, rng):
    factor = rng.uniform(8.0, 15.0)
    return dataclasses.replace(case, name=case.name + "_saturated", weights=tuple(factor * W for W in case.weights))


def near_kink(case, rng):
    """Shift one bias of a kinked layer so that one activation input sits within 1e-9 of 0."""
    layers = [l for l, a in enumerate(case.activations) if a in KINKED]
    l = layers[rng.integers(len(layers))]
    trace = gradcheck._network.forward(case.structure, case.weights, case.biases, case.x, case.y, xp=np)
    z = trace.zs[l]
    unit, sample = rng.integers(z.shape[0]), rng.integers(z.shape[1])
    biases = list(case.biases)
    b = np.array(biases[l])
    b[unit] -= z[unit, sample] - rng.uniform(-1e-9, 1e-9)
    biases[l] = b
    return dataclasses.replace(case, name=case.name + "_near_kink", biases=tuple(biases))


def doubled_gradients(fn):
    def wrong(x, y, weights, biases):
        loss, deltas, dWs, dbs = fn(x, y, weights, biases)
        return loss, deltas, [2 * dW for dW in dWs], dbs
    return wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-family", type=int, default=130, help="cases per family (default: 130)")
    parser.add_argument("--seed", type=int, default=0, help="first seed (default: 0)")
    args = parser.parse_args()
    start = time.perf_counter()
    total_cases = total_checks = false = missed = 0
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, numpy {np.__version__}")
    print(f"{'family':<62} {'cases':>6} {'checks':>7} {'false':>6} {'caught 2x dW':>13}")
    for family in FAMILIES:
        conv = family_convention(family)
        rng = np.random.default_rng(args.seed)
        kinked = any(a in KINKED for a in conv.activations)
        n_cases = n_checks = n_false = n_caught = 0
        for i in range(args.per_family):
            case = gradcheck.random_case(conv, args.seed + i)
            kind = i % 5
            if kind == 0:
                case = saturated(case, rng)
            elif kind == 1 and kinked:
                case = near_kink(case, rng)
            for dtype in (np.float64, np.float32):
                fn = generic.make_backprop(conv.activations, conv.loss, conv.reduction, conv.weight_decay,
                                           conv.weight_decay_half, dtype)
                (result,) = gradcheck.check(fn, conv, [case]).cases
                n_checks += 1
                if result.status != "pass":
                    n_false += 1
                    detail = result.error or "; ".join(f.message for f in result.findings[:2])
                    print(f"  FALSE ALARM {case.name} ({np.dtype(dtype).name}): {detail}")
            exact = generic.make_backprop(conv.activations, conv.loss, conv.reduction, conv.weight_decay,
                                          conv.weight_decay_half, np.float64)
            (control,) = gradcheck.check(doubled_gradients(exact), conv, [case]).cases
            n_caught += control.status == "fail"
            if control.status != "fail":
                print(f"  control bug not caught on {case.name}: {control.status}")
            n_cases += 1
        label = f"{','.join(conv.activations)} {conv.loss} {conv.reduction}" + (f" decay {conv.weight_decay:g}" if conv.weight_decay else "")
        print(f"{label:<62} {n_cases:>6} {n_checks:>7} {n_false:>6} {n_caught:>7}/{n_cases}")
        total_cases, total_checks, false = total_cases + n_cases, total_checks + n_checks, false + n_false
        missed += n_cases - n_caught
    print(f"false disagreements: {false} of {total_checks} checks on {total_cases} cases; "
          f"control bug missed in {missed} of {total_cases} cases ({time.perf_counter() - start:.0f} s)")
    return 1 if false or missed else 0


if __name__ == "__main__":
    sys.exit(main())
