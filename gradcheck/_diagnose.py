"""Naming the mistake: what the first wrong quantity would be under each
known mistake, computed from the reference intermediates, and which of those
the person's value matches.

A hypothesis matches when every entry agrees within
(rtol(dtype) + rtol(float64)) (M + |candidate|) + the JAX error, the same
rule as the verdict (README, Tolerances), widened by the candidate's own size
because a wrong formula can be larger than the right one.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._activations import ACTIVATIONS
from ._quantities import Key
from ._tolerance import rtol


class Diagnosis(NamedTuple):
    bug: str  # a stable name, e.g. "derivative_at_a"
    words: str  # what went wrong, for a student
    formula: str  # the formula the code computes instead


class _Candidate(NamedTuple):
    diagnosis: Diagnosis
    value: np.ndarray


def _ref(refs, quantity, layer):
    return refs.reference("jax").values[Key(quantity, layer)]


def _a(case, refs, l):
    return case.x if l == 0 else _ref(refs, "a", l)


def _f_prime_at(act, p):
    return act.derivative(p, act.forward(p, np), np)


def _upstream(case, refs, l):
    """dC/da_l times what the output delta multiplies by f'(z) (None for
    cross-entropy outputs, whose delta is a - y directly)."""
    if l < case.n_layers:
        return case.weights[l].T @ _ref(refs, "delta", l + 1)
    scale = 1.0 / case.batch if case.reduction == "mean" else 1.0
    a, y = _ref(refs, "a", l), case.y
    if case.loss == "half_squared_error":
        return scale * (a - y)
    if case.loss == "squared_error":
        return 2 * scale * (a - y)
    return None


def _scaled(base, quantity, layer, case, *, step=False):
    """Sign and constant-factor mistakes of any quantity."""
    name = f"{quantity}[{layer}]"
    out = [_Candidate(Diagnosis("uphill" if step else "sign_flipped",
                                "the step goes uphill: W + eta dC/dW where W - eta dC/dW belongs (a sign flipped in delta or in the update)"
                                if step else f"{name} has the wrong sign: (t - y) where (y - t) belongs, or the other way round. "
                                "If your code means delta = (t - y) f'(z) throughout, declare --delta-sign -1",
                                f"-({name})"), -base)]
    B = case.batch
    if B > 1 and case.reduction == "mean":
        out.append(_Candidate(Diagnosis("missing_batch_mean", f"{name} is {B} times too large: the loss is averaged over the "
                                        f"batch, so every gradient carries a factor 1/B (B = {B})", f"B * {name}"), B * base))
    if B > 1 and case.reduction == "sum":
        out.append(_Candidate(Diagnosis("extra_batch_mean", f"{name} is divided by the batch size B = {B}, but this loss is "
                                        "summed over the batch, not averaged", f"{name} / B"), base / B))
    out.append(_Candidate(Diagnosis("factor_2", f"{name} is twice too large: a factor 2 (the derivative of the square without the 1/2 "
                                    "of the loss, or counted twice)", f"2 {name}"), 2 * base))
    out.append(_Candidate(Diagnosis("factor_half", f"{name} is half what it should be: a 1/2 too many (the loss has no 1/2, "
                                    "so its derivative keeps the 2)", f"{name} / 2"), base / 2))
    return out


def _delta_candidates(case, refs, l) -> list[_Candidate]:
    act = ACTIVATIONS[case.activations[l - 1]]
    z, a, delta = _ref(refs, "z", l), _ref(refs, "a", l), _ref(refs, "delta", l)
    u = _upstream(case, refs, l)
    out = _scaled(delta, "delta", l, case)
    where = "the output layer" if l == case.n_layers else f"hidden layer {l}"
    if u is not None and act.derivative is not None:
        out.append(_Candidate(Diagnosis("derivative_at_a", f"in {where}, the activation derivative is evaluated at the "
                                        f"activation a = f(z) instead of at z: f'(a) where f'(z) belongs (e.g. sigmoid_prime(a))",
                                        f"... * f'(a_{l})"), u * _f_prime_at(act, a)))
        if act.name in ("sigmoid", "tanh"):
            formula = "z (1 - z)" if act.name == "sigmoid" else "1 - z^2"
            out.append(_Candidate(Diagnosis("derivative_formula_on_z", f"in {where}, the derivative's formula in terms of the "
                                            f"output is applied to z: {formula} where {'a (1 - a)' if act.name == 'sigmoid' else '1 - a^2'} "
                                            "belongs (an activation_diff(out) called with net)", f"... * {formula}"),
                                  u * act.derivative(z, z, np)))
        if act.name != "identity":
            out.append(_Candidate(Diagnosis("derivative_omitted", f"in {where}, the activation derivative f'(z) is left out",
                                            f"delta_{l} without * f'(z_{l})"), u))
        if act.name == "tanh":
            out.append(_Candidate(Diagnosis("tanh_derivative_1_minus_a", f"in {where}, tanh' is written 1 - a; it is 1 - a^2",
                                            "... * (1 - a)"), u * (1 - a)))
    if l == case.n_layers and case.loss == "binary_cross_entropy":
        out.append(_Candidate(Diagnosis("cross_entropy_extra_derivative", "the output delta is multiplied by sigmoid'(z) on top "
                                        "of cross-entropy: with a sigmoid output and cross-entropy, dC/dz is simply (a - y), "
                                        "the sigmoid' cancels", "(a - y) * a (1 - a)"), delta * a * (1 - a)))
    if l < case.n_layers and act.derivative is not None:
        W_next, d_next = case.weights[l], _ref(refs, "delta", l + 1)
        fz = act.derivative(z, a, np)
        if W_next.shape[0] == W_next.shape[1]:
            out.append(_Candidate(Diagnosis("missing_transpose", f"the delta recursion uses W_{l + 1} where its transpose "
                                            f"belongs: delta_{l} = (W_{l + 1}^T delta_{l + 1}) * f'(z_{l}) moves the error backwards "
                                            "through the weights (seed 002)", f"(W_{l + 1} delta_{l + 1}) * f'(z_{l})"),
                                  (W_next @ d_next) * fz))
        if W_next.shape[0] == 1:
            out.append(_Candidate(Diagnosis("matrix_product_for_elementwise", f"a matrix product where an element-wise "
                                            f"product belongs: W_{l + 1} f'(z_{l}) is a number, so every unit of layer {l} gets "
                                            f"the same delta and every row of dC/dW_{l} comes out equal (seed 003's derivation); "
                                            f"the right form is (W_{l + 1}^T delta_{l + 1}) * f'(z_{l})",
                                            f"delta_{l + 1} (W_{l + 1} f'(z_{l}))"),
                                  np.broadcast_to(d_next * (W_next @ fz), z.shape)))
        for other in (l - 1, l + 1):
            if 1 <= other <= case.n_layers and other != l and _ref(refs, "z", other).shape == z.shape:
                other_act = ACTIVATIONS[case.activations[other - 1]]
                if other_act.derivative is not None:
                    out.append(_Candidate(Diagnosis("off_by_one_layer", f"delta_{l} uses layer {other}'s activation "
                                                    f"derivative: f'(z_{other}) where f'(z_{l}) belongs (an index off by one)",
                                                    f"... * f'(z_{other})"),
                                          u * other_act.derivative(_ref(refs, "z", other), _ref(refs, "a", other), np)))
    return out


def _weight_candidates(case, refs, l) -> list[_Candidate]:
    dW, delta = _ref(refs, "dW", l), _ref(refs, "delta", l)
    a_in, a_out, W = _a(case, refs, l - 1), _a(case, refs, l), case.weights[l - 1]
    decay = 2 * case.decay * W
    out = _scaled(dW, "dW", l, case)
    outputs_words = Diagnosis("outputs_instead_of_inputs", f"dC/dW_{l} is built from the layer's outputs instead of its "
                              f"inputs: the weight gradient is delta_{l} times the layer's inputs a_{l - 1}^T (x for the "
                              "first layer), not its outputs, e.g. kron(outputs^T, delta) (seed 000)", f"delta_{l} a_{l}^T")
    from_outputs = delta @ a_out.T
    out.append(_Candidate(outputs_words, from_outputs + (decay if from_outputs.shape == dW.shape else 0)))
    if a_out.shape[0] == a_in.shape[0] + 1:
        # weights with the bias folded in as a constant input, as in seed 000: one output more than inputs makes
        # outputs^T delta the weights' shape, and its first (or last) columns land on the canonical W
        out += [_Candidate(outputs_words, from_outputs[:, :-1] + decay), _Candidate(outputs_words, from_outputs[:, 1:] + decay)]
    out.append(_Candidate(Diagnosis("transposed", f"dC/dW_{l} is transposed: a_{l - 1} delta_{l}^T where delta_{l} a_{l - 1}^T "
                                    "belongs (or the other way round, for your layout)", f"(dC/dW_{l})^T"), dW.T))
    if case.weight_decay:
        out.append(_Candidate(Diagnosis("decay_missing", "the weight decay term is missing from dC/dW", "dC/dW without 2 c W"),
                              dW - decay))
        other = case.weight_decay * (2.0 if case.weight_decay_half else 1.0) * W
        out.append(_Candidate(Diagnosis("decay_convention", "the weight decay uses the other convention: lambda W and 2 lambda W "
                                        "are the gradients of lambda/2 sum W^2 and lambda sum W^2", "dC/dW with the other decay"),
                              dW - decay + other))
    for cand in _delta_candidates(case, refs, l):
        if cand.diagnosis.bug in ("sign_flipped", "missing_batch_mean", "extra_batch_mean", "factor_2", "factor_half"):
            continue  # the same factors on dC/dW are tried above
        d = cand.diagnosis
        out.append(_Candidate(Diagnosis(d.bug, d.words + f" (so dC/dW_{l} = delta_{l} a_{l - 1}^T is wrong too)", d.formula),
                              np.asarray(cand.value) @ a_in.T + decay))
    return out


def _bias_candidates(case, refs, l) -> list[_Candidate]:
    db, delta = _ref(refs, "db", l), _ref(refs, "delta", l)
    out = _scaled(db, "db", l, case)
    out.append(_Candidate(Diagnosis("bias_not_summed", f"dC/db_{l} is not summed over the samples of the batch: it is the sum "
                                    f"of delta_{l} over samples", f"delta_{l}"), delta))
    out.append(_Candidate(Diagnosis("bias_wrong_axis", f"dC/db_{l} is summed over the wrong axis: over the units instead of "
                                    "over the samples", f"sum of delta_{l} over units"), delta.sum(axis=0)))
    return out


def _step_candidates(case, refs, key) -> list[_Candidate]:
    """For updates and new parameters, as the gradient each implies."""
    grad = "dW" if key.quantity in ("update_W", "W_new") else "db"
    base = _ref(refs, grad, key.layer)
    eta = case.eta
    out = [_Candidate(Diagnosis("uphill", "the step goes uphill: W + eta dC/dW where W - eta dC/dW belongs (a sign flipped in "
                                "delta or in the update)", "W + eta dC/dW"), -base)]
    if eta != 1:
        out.append(_Candidate(Diagnosis("eta_twice", "the learning rate is applied twice", "W - eta^2 dC/dW"), eta * base))
        out.append(_Candidate(Diagnosis("eta_missing", "the learning rate is not applied", "W - dC/dW"), base / eta))
    gradient = _weight_candidates(case, refs, key.layer) if grad == "dW" else _bias_candidates(case, refs, key.layer)
    return out + [c for c in gradient if c.diagnosis.bug != "sign_flipped"]


def _as_gradient(case, key, value):
    """Updates and new parameters turned into the gradient they imply."""
    if key.quantity in ("update_W", "update_b"):
        return -value / case.eta
    if key.quantity in ("W_new", "b_new"):
        old = case.weights[key.layer - 1] if key.quantity == "W_new" else case.biases[key.layer - 1]
        return (old - value) / case.eta
    return value


def diagnose(case, key: Key, got, refs, dtype) -> tuple[Diagnosis, ...]:
    """Every known mistake whose value ``got`` matches (canonical orientation;
    a wrongly shaped array is tried as given and transposed)."""
    if key is None or key.layer is None:
        return ()
    got = np.asarray(got, dtype=np.float64)
    if key.quantity == "delta":
        candidates = _delta_candidates(case, refs, key.layer)
    elif key.quantity == "dW":
        candidates = _weight_candidates(case, refs, key.layer)
    elif key.quantity == "db":
        candidates = _bias_candidates(case, refs, key.layer)
    else:
        candidates = _step_candidates(case, refs, key)
        if got.shape == _ref(refs, key.quantity, key.layer).shape:
            got = _as_gradient(case, key, got)
    grad_key = {"update_W": "dW", "W_new": "dW", "update_b": "db", "b_new": "db"}.get(key.quantity, key.quantity)
    mags = refs.magnitudes[Key(grad_key, key.layer)]
    jax_err = refs.reference("jax").error[Key(grad_key, key.layer)]
    rel = rtol(case, dtype) + rtol(case, np.float64)
    found = []
    for cand in candidates:
        value = np.asarray(cand.value, dtype=np.float64)
        for shaped in (got, got.T) if got.ndim == 2 else (got,):
            if shaped.shape != value.shape:
                continue
            scale = mags if mags.shape == value.shape else np.max(mags, initial=0.0)
            err = jax_err if np.shape(jax_err) == value.shape else np.max(jax_err, initial=0.0)
            if np.all(np.abs(shaped - value) <= rel * (scale + np.abs(value)) + err):
                if cand.diagnosis.bug not in (d.bug for d in found):
                    found.append(cand.diagnosis)
                break
    return tuple(found)


def diagnose_exception(case, conv, layout, text: str) -> tuple[Diagnosis, ...]:
    """A numpy broadcast error between the weights and an array of the wrong
    shape: say which array that is, when its shape gives it away."""
    import re

    from ._layout import user_weight

    match = re.search(r"shapes \(([\d, ]*)\) \(([\d, ]*)\)", text)
    if not match:
        return ()
    shapes = [tuple(int(n) for n in group.replace(" ", "").split(",") if n) for group in match.groups()]
    found = []
    for l in range(1, case.n_layers + 1):
        W_shape = user_weight(case, conv, layout, l).shape
        n_out = case.weights[l - 1].shape[0]
        for mine, other in (shapes, shapes[::-1]):
            if mine != W_shape or len(other) != 2:
                continue
            if other == W_shape[::-1]:
                found.append(Diagnosis("transposed", f"the weight change of layer {l} has shape {other}, the transpose of the "
                                       f"weights' {W_shape}: a transposed product (delta x^T where x^T delta belongs, or the "
                                       "other way round)", "(dC/dW)^T"))
            elif other[0] == other[1] and other[0] % n_out == 0:
                found.append(Diagnosis("outputs_instead_of_inputs", f"the weight change of layer {l} has shape {other}, "
                                       f"outputs by outputs, where the weights have shape {W_shape}: it is built from the "
                                       "layer's outputs instead of its inputs, e.g. kron(outputs^T, delta). The weight change "
                                       "is the layer's inputs (with the bias input) times delta: inputs^T delta (seed 000)",
                                       "kron(outputs^T, delta)"))
    return tuple(dict.fromkeys(found))
