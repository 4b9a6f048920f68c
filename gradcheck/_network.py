"""The canonical network: one forward pass, written once for numpy and JAX.

Convention (the README states it too): samples are columns. x has shape
(n_0, B); layer l (numbered from 1) has W_l of shape (n_l, n_(l-1)) and an
optional bias b_l of shape (n_l,); z_l = W_l a_(l-1) + b_l and a_l = f_l(z_l)
with a_0 = x. The loss C sums the per-sample loss over the batch, or averages
it when the reduction is "mean", then adds decay * sum_l ||W_l||^2 (L2 weight
decay, never on biases, never averaged over the batch).

Every array may carry extra leading axes (a stack of perturbed parameters);
the finite-difference reference evaluates many perturbations in one call that
way. ``probes`` are arrays added to each z_l; dC/dprobe_l at zero is delta_l.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

from ._activations import ACTIVATIONS
from ._losses import LOSSES


class Structure(NamedTuple):
    """What a network computes, apart from its numbers: the key of compiled code."""

    activations: tuple[str, ...]
    loss: str
    reduction: str
    has_bias: tuple[bool, ...]
    decay: float = 0.0  # C gains decay * sum of squared weights (L2 weight decay)


class Trace(NamedTuple):
    zs: tuple  # z_1 .. z_L
    activations: tuple  # a_0 = x, a_1 .. a_L
    loss: object


def forward(structure: Structure, weights: Sequence, biases: Sequence, x, y, probes=None, *, xp) -> Trace:
    trace = _run(structure, 1, None, x, weights, biases, y, probes, xp=xp)
    total = trace.loss
    if structure.decay:
        total = total + structure.decay * sum(xp.sum(W * W, axis=(-2, -1)) for W in weights)
    return Trace(trace.zs, (x,) + trace.activations, total)


def loss_from(structure: Structure, layer: int, z, weights: Sequence, biases: Sequence, y, *, xp):
    """The loss, weight decay left out, given z_layer (which may carry leading
    stack axes): the layers before it are not recomputed."""
    return _run(structure, layer, z, None, weights, biases, y, None, xp=xp, trace_output=False).loss


def _run(structure, first, z_first, x, weights, biases, y, probes, *, xp, trace_output=True) -> Trace:
    """Layers ``first``..L; z of layer ``first`` is given, or computed from x.
    Without ``trace_output``, the output activation is skipped when the loss
    is computed from z alone (the cross-entropies)."""
    zs, activations, a = [], [], x
    skip_output = not trace_output and LOSSES[structure.loss].output_activation is not None
    for index in range(first - 1, len(weights)):
        if index == first - 1 and z_first is not None:
            z = z_first
        else:
            z = xp.matmul(weights[index], a)
            if biases[index] is not None:
                z = z + biases[index][..., :, None]
        if probes is not None:
            z = z + probes[index]
        if not (skip_output and index == len(weights) - 1):
            a = ACTIVATIONS[structure.activations[index]].forward(z, xp)
        zs.append(z)
        activations.append(a)
    total = xp.sum(LOSSES[structure.loss].per_sample(zs[-1], a, y, xp), axis=-1)
    if structure.reduction == "mean":
        total = total / y.shape[-1]
    return Trace(tuple(zs), tuple(activations), total)
