"""Speed of gradcheck against the anchors, on the same networks, in one run.

For each network (float64, sigmoid hidden layers, softmax cross-entropy
averaged over a batch of 10): gradcheck's exhaustive check (JAX reference,
finite differences of every entry, and the judgement of a correct backprop;
not run above 100,000 parameters, where "auto" would not pick it), its fast
mode, and the floor the fast mode is held to (the backprop itself and one
JAX pass),
torch.autograd.gradcheck with fast_mode False and True, and
jax.test_util.check_grads (order 1, reverse mode); wall time after one
warm-up run on the same shapes, and function evaluations. Then the whole
catalogue through the CLI as a process, against `python -c "import jax"`.

    pip install -e ".[bench]" && python benchmarks/speed.py
"""

from __future__ import annotations

import importlib.util
import os
import platform
import resource
import subprocess
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

NETWORKS = [(2, 2, 1), (784, 30, 10), (784, 100, 10), (784, 1000, 200, 10)]
BATCH = 10
TORCH_EXHAUSTIVE_LIMIT = 100_000  # parameters; beyond this torch's slow mode is estimated, not run


def case_for(sizes):
    acts = ("sigmoid",) * (len(sizes) - 2) + ("softmax",)
    conv = Convention(call="x, y, weights, biases", returns="(loss, deltas, dWs, dbs)", samples="columns", weights="out_in",
                      activations=acts, loss="categorical_cross_entropy", reduction="mean", sizes=sizes, batch=BATCH)
    return conv, gradcheck.random_case(conv, 0)


def timed(fn):
    """Mean wall time after a warm-up (compilation, caches): repeated for at
    least a second, at most 20 times, so short runs are not one noisy sample."""
    fn()
    runs, start = 0, time.perf_counter()
    while runs < 20 and (runs == 0 or time.perf_counter() - start < 1.0):
        fn()
        runs += 1
    return (time.perf_counter() - start) / runs


def gradcheck_run(conv, case, mode):
    import dataclasses

    def run():
        fresh = dataclasses.replace(case)  # a new object: nothing cached from the last run
        report = gradcheck.check(generic.make_backprop(conv.activations, conv.loss, conv.reduction), conv, [fresh], mode=mode)
        assert report.passed and report.mode == mode
    return run


def own_backprop_and_jax(conv, case):
    """The floor the fast mode is measured against: the person's backprop once, and one JAX reference pass."""
    import dataclasses

    fn = generic.make_backprop(conv.activations, conv.loss, conv.reduction)

    def run():
        fn(case.x, case.y, list(case.weights), list(case.biases))
        gradcheck.jax_reference(dataclasses.replace(case))
    return run


def torch_check(case, fast):
    import torch

    params = [torch.tensor(np.asarray(W), dtype=torch.float64, requires_grad=True) for W in case.weights]
    params += [torch.tensor(np.asarray(b), dtype=torch.float64, requires_grad=True) for b in case.biases]
    x, y = torch.tensor(case.x), torch.tensor(case.y)
    L = case.n_layers

    def loss(*p):
        a = x
        for l in range(L):
            z = p[l] @ a + p[L + l][:, None]
            a = torch.sigmoid(z) if l < L - 1 else z
        return -(y * torch.log_softmax(a, dim=0)).sum() / x.shape[1]

    return lambda: torch.autograd.gradcheck(loss, tuple(params), fast_mode=fast)


def jax_check(case):
    import jax
    import jax.numpy as jnp
    from jax.test_util import check_grads

    jax.config.update("jax_enable_x64", True)
    params = [jnp.asarray(W) for W in case.weights] + [jnp.asarray(b) for b in case.biases]
    x, y, L = jnp.asarray(case.x), jnp.asarray(case.y), case.n_layers

    def loss(p):
        a = x
        for l in range(L):
            z = p[l] @ a + p[L + l][:, None]
            a = jax.nn.sigmoid(z) if l < L - 1 else z
        return -(y * jax.nn.log_softmax(a, axis=0)).sum() / x.shape[1]

    return lambda: check_grads(loss, (params,), order=1, modes=["rev"])


def main() -> int:
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit("benchmarks/speed.py needs the comparison tools: pip install -e \".[bench]\"")
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()}, Python {platform.python_version()}; "
          f"torch {__import__('torch').__version__}, jax {__import__('jax').__version__}; float64, batch {BATCH}")
    print(f"{'network':<18} {'params':>8}  {'tool':<34} {'seconds':>9} {'x gradcheck':>12} {'evaluations':>14}")
    for sizes in NETWORKS:
        conv, case = case_for(sizes)
        n = sum(W.size for W in case.weights) + sum(b.size for b in case.biases)
        probes = sum(W.shape[0] for W in case.weights) * BATCH
        name = "-".join(map(str, sizes))
        ours = timed(gradcheck_run(conv, case, "exhaustive")) if n <= 100_000 else None
        fast = timed(gradcheck_run(conv, case, "fast"))
        floor = timed(own_backprop_and_jax(conv, case))
        ours = ours or fast
        rows = [("gradcheck exhaustive", ours if n <= 100_000 else None, f"{4 * (n + probes)} + 1 VJP"),
                ("gradcheck fast", fast, f"{4 * 2 * 3 * (len(sizes) - 1)} + 1 VJP"),
                ("your backprop + 1 JAX pass (floor)", floor, "")]
        if n <= TORCH_EXHAUSTIVE_LIMIT:
            rows.append(("torch gradcheck fast_mode=False", timed(torch_check(case, False)), f"{2 * n} + 1 VJP"))
        else:
            rows.append(("torch gradcheck fast_mode=False", None, f"{2 * n} + 1 VJP"))
        rows.append(("torch gradcheck fast_mode=True", timed(torch_check(case, True)), "2 + 1 VJP"))
        rows.append(("jax check_grads (rev)", timed(jax_check(case)), "2 + 1 VJP"))
        for tool, seconds, evaluations in rows:
            shown = f"{seconds:9.3f}" if seconds is not None else "  not run"
            base = ours if n <= 100_000 else fast
            ratio = f"{seconds / base:12.1f}" if seconds is not None else "            "
            print(f"{name:<18} {n:>8}  {tool:<34} {shown} {ratio} {evaluations:>14}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{'':<18} {'':>8}  fast mode / floor: {fast / floor:.1f}x; "
              f"peak resident memory of this process so far: {peak:.0f} MiB")
    exe = Path(sys.executable)
    import_jax = min(_process([str(exe), "-c", "import jax"]) for _ in range(3))
    validate = [str(exe.with_name("gradcheck")), "cases", "validate", str(ROOT / "cases")]
    import tempfile

    with tempfile.TemporaryDirectory() as empty:
        cold = _process(validate, GRADCHECK_CACHE_DIR=empty)
        warm = min(_process(validate, GRADCHECK_CACHE_DIR=empty) for _ in range(3))
    n = len(gradcheck.load_catalogue())
    print(f"\nwhole process: python -c 'import jax' {import_jax:.2f} s; gradcheck cases validate (all {n} catalogue "
          f"cases, both references): first run {cold:.2f} s = {cold / import_jax:.1f}x, later runs (compiled "
          f"references cached) {warm:.2f} s = {warm / import_jax:.1f}x")
    return 0


def _process(command, **env) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env={**os.environ, **env})
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
