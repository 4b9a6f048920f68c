"""Reference 2: central finite differences in float64, in numpy alone.

It never touches JAX: the forward pass is evaluated with numpy, many
perturbations at once by stacking them on a leading axis. delta_l is the
derivative of the loss with respect to a zero probe added to z_l.

Step: h = eps^(1/3) max(1, |theta|), rounded so that theta +- h is exact,
which balances the O(h^2) truncation error of the central difference against
the O(eps M_C / h) rounding error. Each entry is also differenced with step 2h;
the truncation error of the step-h value is a third of |D(h) - D(2h)|, so

    error bound = |D(h) - D(2h)| + 4 eps M_C / h

bounds both. The second term is the rounding of the four loss values, at
the scale of M_C, the loss's magnitude: the sum of the absolute terms it is
computed from, which can far exceed |C| (a cross-entropy near zero is a
difference of logits of size |z|). The evaluations at theta + h and theta - h
run the same operations on operands that differ by O(h), so their rounding
errors largely cancel in the difference; what is left is a few eps M_C, not
the worst-case n eps M_C of a single evaluation. Near a kink (ReLU at 0) the
two steps disagree and the bound grows, honestly, to the size of the jump.
"""

from __future__ import annotations

import numpy as np

from ._derived import assemble
from ._network import forward
from ._tolerance import forward_magnitudes, loss_magnitude

EPS = np.finfo(np.float64).eps
STEP_SCALE = EPS ** (1.0 / 3.0)
# Entries perturbed in one stacked evaluation, capped so that a stack of
# perturbed copies of the leaf stays within about this many float64 numbers.
STACK_BUDGET = 4_000_000


def _leaves(case):
    """The arrays to differentiate: each W, each b, each z-probe."""
    leaves = []
    for l in range(1, case.n_layers + 1):
        leaves.append(("dW", l, np.asarray(case.weights[l - 1], dtype=np.float64)))
        if case.biases[l - 1] is not None:
            leaves.append(("db", l, np.asarray(case.biases[l - 1], dtype=np.float64)))
        leaves.append(("delta", l, np.zeros((case.weights[l - 1].shape[0], case.batch))))
    return leaves


def _loss_with(case, kind: str, layer: int, stack: np.ndarray) -> np.ndarray:
    """The loss with one leaf replaced by a stack of perturbed copies."""
    weights = list(case.weights)
    biases = list(case.biases)
    probes = [np.zeros((W.shape[0], case.batch)) for W in case.weights]
    target = {"dW": weights, "db": biases, "delta": probes}[kind]
    target[layer - 1] = stack
    return forward(case.structure, weights, biases, case.x, case.y, probes, xp=np).loss


def _gradient(case, kind: str, layer: int, theta: np.ndarray, loss_rounding: float):
    flat = theta.ravel()
    h = STEP_SCALE * np.maximum(1.0, np.abs(flat))
    h = (flat + h) - flat  # exactly representable step
    grad = np.empty_like(flat)
    err = np.empty_like(flat)
    chunk = max(1, STACK_BUDGET // (4 * flat.size))
    for start in range(0, flat.size, chunk):
        idx = np.arange(start, min(start + chunk, flat.size))
        k = idx.size
        stack = np.repeat(flat[None, :], 4 * k, axis=0)
        rows = np.arange(4 * k)
        steps = np.concatenate([h[idx], -h[idx], 2 * h[idx], -2 * h[idx]])
        stack[rows, np.tile(idx, 4)] += steps
        f = _loss_with(case, kind, layer, stack.reshape((4 * k,) + theta.shape))
        fp, fm, f2p, f2m = f[:k], f[k:2 * k], f[2 * k:3 * k], f[3 * k:]
        d1 = (fp - fm) / (2 * h[idx])
        d2 = (f2p - f2m) / (4 * h[idx])
        grad[idx] = d1
        err[idx] = np.abs(d1 - d2) + 4 * loss_rounding / h[idx]
    return grad.reshape(theta.shape), err.reshape(theta.shape)


def fd_reference(case):
    """All quantities of ``case`` by central differences (float64, numpy only)."""
    trace = forward(case.structure, case.weights, case.biases, case.x, case.y, xp=np)
    z_mag, _ = forward_magnitudes(case, trace.zs, trace.activations)
    loss_rounding = EPS * loss_magnitude(case, trace.loss, trace.activations[-1], z_mag[case.n_layers])
    found, errors = {}, {}
    for kind, layer, theta in _leaves(case):
        found[kind, layer], errors[kind, layer] = _gradient(case, kind, layer, theta, loss_rounding)
    n = case.n_layers
    return assemble(
        case,
        "finite_differences",
        loss=trace.loss,
        zs=trace.zs,
        activations=trace.activations,
        deltas=[found["delta", l] for l in range(1, n + 1)],
        dWs=[found["dW", l] for l in range(1, n + 1)],
        dbs=[found.get(("db", l)) for l in range(1, n + 1)],
        errors=errors,
    )
