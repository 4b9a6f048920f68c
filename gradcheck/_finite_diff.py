"""Reference 2: central finite differences in float64, in numpy alone.

It never touches JAX: the loss is evaluated with numpy, many perturbations
at once by stacking them on a leading axis. delta_l is the derivative of the
loss with respect to a zero probe added to z_l. Every parameter of layer l
reaches the loss only through z_l = W_l a_(l-1) + b_l, so a perturbed W_l[i, j]
is evaluated as z_l with row i moved by h a_(l-1)[j, :] (and b_l[i] as row i
moved by h). Below the output layer that moves only row i of a_l, so z_(l+1)
moves by W_(l+1)[:, i] times that change, and only layers l+1..L run on the
stack. The weight decay term is evaluated with the perturbed weight. The loss
values are those of the perturbed parameters, up to rounding.

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

import functools

import numpy as np

from ._activations import ACTIVATIONS
from ._derived import assemble
from ._network import forward, loss_from
from ._tolerance import forward_magnitudes, loss_magnitude

EPS = np.finfo(np.float64).eps
STEP_SCALE = EPS ** (1.0 / 3.0)
# Perturbations evaluated at once, capped so that the stack of perturbed z_l
# stays within about this many float64 numbers (32 MB).
STACK_BUDGET = 4_000_000


def _leaves(case, trace):
    """Per layer, the arrays to differentiate, each entry as a change of z_l:
    W_l[i, j] moves row i of z_l by a_(l-1)[j, :], b_l[i] moves row i by 1,
    the probe entry (i, b) moves z_l[i, b] alone."""
    leaves = []
    for l in range(1, case.n_layers + 1):
        W, a_prev = np.asarray(case.weights[l - 1], dtype=np.float64), trace.activations[l - 1]
        n, batch = W.shape[0], case.batch
        rows_W = np.repeat(np.arange(n), W.shape[1])
        leaves.append(("dW", l, W, rows_W, np.tile(a_prev, (n, 1))))
        if case.biases[l - 1] is not None:
            b = np.asarray(case.biases[l - 1], dtype=np.float64)
            leaves.append(("db", l, b, np.arange(n), np.ones((n, batch))))
        leaves.append(("delta", l, np.zeros((n, batch)), np.repeat(np.arange(n), batch), np.tile(np.eye(batch), (n, 1))))
    return leaves


def _gradient(case, trace, kind, layer, theta, rows, directions, loss_rounding, only=None):
    """Central differences of every entry of one leaf (or of the flat indices
    ``only``), many at a time; entries not computed are NaN."""
    flat = theta.ravel()
    h = STEP_SCALE * np.maximum(1.0, np.abs(flat))
    h = (flat + h) - flat  # exactly representable step
    weights_sq = sum(float(np.sum(W * W)) for W in case.weights)
    grad, err = np.full_like(flat, np.nan), np.full_like(flat, np.nan)
    chunk = max(1, STACK_BUDGET // (4 * trace.zs[min(layer, case.n_layers - 1)].size))
    todo = np.arange(flat.size) if only is None else np.asarray(only, dtype=int)
    for start in range(0, todo.size, chunk):
        idx = todo[start:start + chunk]
        k = idx.size
        steps = np.concatenate([h[idx], -h[idx], 2 * h[idx], -2 * h[idx]])
        entries = np.tile(idx, 4)
        f = _perturbed_loss(case, trace, layer, rows[entries], steps[:, None] * directions[entries])
        if case.decay:  # the decay term of the perturbed weights
            f = f + case.decay * weights_sq
            if kind == "dW":
                f = f + case.decay * ((flat[entries] + steps) ** 2 - flat[entries] ** 2)
        fp, fm, f2p, f2m = f[:k], f[k:2 * k], f[2 * k:3 * k], f[3 * k:]
        d1 = (fp - fm) / (2 * h[idx])
        d2 = (f2p - f2m) / (4 * h[idx])
        grad[idx] = d1
        err[idx] = np.abs(d1 - d2) + 4 * loss_rounding / h[idx]
    return grad.reshape(theta.shape), err.reshape(theta.shape)


def _perturbed_loss(case, trace, layer, rows, moves):
    """The loss (decay left out) with row rows[r] of z_layer moved by moves[r],
    for each r. Below the output layer only that row of a_layer changes, so
    z_(layer+1) moves by W_(layer+1)[:, row] times the change, and the stack
    starts there."""
    z = trace.zs[layer - 1]
    if layer == case.n_layers:
        stack = np.repeat(z[None], len(rows), axis=0)
        stack[np.arange(len(rows)), rows] += moves
        return loss_from(case.structure, layer, stack, case.weights, case.biases, case.y, xp=np)
    act = ACTIVATIONS[case.activations[layer - 1]]
    change = act.forward(z[rows] + moves, np) - trace.activations[layer][rows]
    stack = trace.zs[layer][None] + case.weights[layer][:, rows].T[:, :, None] * change[:, None, :]
    return loss_from(case.structure, layer + 1, stack, case.weights, case.biases, case.y, xp=np)


@functools.lru_cache(maxsize=64)  # cases compare by identity
def _start(case):
    """The unperturbed forward pass and the rounding scale of the loss."""
    trace = forward(case.structure, case.weights, case.biases, case.x, case.y, xp=np)
    z_mag, _ = forward_magnitudes(case, trace.zs, trace.activations)
    return trace, EPS * loss_magnitude(case, trace.loss, trace.activations[-1], z_mag[case.n_layers])


def fd_entries(case, kind: str, layer: int, mask: np.ndarray):
    """Central differences of the entries of dW, db or delta of ``layer`` where
    ``mask`` is True (values and error bounds; NaN elsewhere): the drill-down
    of the fast mode."""
    trace, loss_rounding = _start(case)
    for leaf_kind, leaf_layer, theta, rows, directions in _leaves(case, trace):
        if (leaf_kind, leaf_layer) == (kind, layer):
            return _gradient(case, trace, kind, layer, theta, rows, directions, loss_rounding, only=np.flatnonzero(mask))
    raise KeyError((kind, layer))


def fd_directional(case, kind: str, layer: int, direction):
    """Central difference of the loss along ``direction``, with its error bound:
    the fast mode's check that the finite differences and JAX agree, four
    evaluations per direction. For db and delta the direction is an array
    shaped like the quantity; for dW it is the rank-one u v^T, given as (u, v)
    (max |u| = max |v| = 1), so it never has to be formed."""
    trace, loss_rounding = _start(case)
    W = np.asarray(case.weights[layer - 1], dtype=np.float64)
    theta = {"dW": W, "db": case.biases[layer - 1], "delta": np.zeros(trace.zs[layer - 1].shape)}[kind]
    h = STEP_SCALE * max(1.0, float(np.max(np.abs(theta), initial=0.0)))
    if kind == "dW":
        u, v = direction
        move = np.outer(u, v @ trace.activations[layer - 1])
    else:
        move = direction[:, None] + 0 * trace.zs[layer - 1] if kind == "db" else direction
    steps = np.array([h, -h, 2 * h, -2 * h])
    stack = trace.zs[layer - 1][None] + steps[:, None, None] * move[None]
    f = loss_from(case.structure, layer, stack, case.weights, case.biases, case.y, xp=np)
    if case.decay:
        f = f + case.decay * sum(float(np.sum(V * V)) for V in case.weights)
        if kind == "dW":  # sum (W + s u v^T)^2 - sum W^2, evaluated without forming u v^T
            f = f + case.decay * (2 * steps * float(u @ W @ v) + steps ** 2 * float(u @ u) * float(v @ v))
    d1, d2 = (f[0] - f[1]) / (2 * h), (f[2] - f[3]) / (4 * h)
    return d1, abs(d1 - d2) + 4 * loss_rounding / h


def fd_reference(case):
    """All quantities of ``case`` by central differences (float64, numpy only)."""
    trace, loss_rounding = _start(case)
    found, errors = {}, {}
    for kind, layer, theta, rows, directions in _leaves(case, trace):
        found[kind, layer], errors[kind, layer] = _gradient(case, trace, kind, layer, theta, rows, directions, loss_rounding)
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
