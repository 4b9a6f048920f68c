"""Deliberately buggy backprops, each with the first wrong quantity and the
mistake gradcheck must name, and correct ones that look suspicious.

Used by tests/test_diagnosis.py and benchmarks/diagnosis_rates.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np

from gradcheck import Convention
from gradcheck._demo import CONVENTION as DEMO_CONVENTION, backprop as demo_backprop, backprop_seed000_bug

ROOT = Path(__file__).resolve().parents[1]


class Buggy(NamedTuple):
    name: str
    fn: Callable
    convention: Convention
    first: tuple  # (quantity, layer) of the first wrong quantity; None when the function crashes
    bug: str


class Correct(NamedTuple):
    name: str
    fn: Callable
    convention: Convention


def _load(path, name):
    spec = importlib.util.spec_from_file_location(f"suite_{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def _example(folder, function, first, bug):
    from gradcheck._case_file import tomllib

    config = tomllib.loads((ROOT / "examples" / folder / "gradcheck.toml").read_text())
    return Buggy(f"example {folder}", _load(ROOT / "examples" / folder / "buggy.py", function), Convention(**config), first, bug)


# ---- a plain three-layer backprop with one mistake switched on ----------------------------------------

def _sig(z):
    return 1 / (1 + np.exp(-z))


ACT = {"sigmoid": _sig, "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
PRIME_OF_A = {"sigmoid": lambda a: a * (1 - a), "tanh": lambda a: 1 - a * a}


def make(bug=None, activations=("sigmoid", "tanh", "sigmoid"), loss="half_squared_error", reduction="mean",
         decay=0.0, half=True):
    """backprop(x, y, weights, biases) -> (loss, deltas, dWs, dbs), columns are samples."""
    coef = decay / 2 if half else decay

    def backprop(x, y, weights, biases):
        B = x.shape[1]
        s = 1.0 / B if reduction == "mean" else 1.0
        zs, acts = [], [x]
        for W, b, name in zip(weights, biases, activations):
            zs.append(W @ acts[-1] + b[:, None])
            acts.append(ACT[name](zs[-1]))
        L = len(weights)
        aL = acts[-1]
        fp = [PRIME_OF_A[n](a) for n, a in zip(activations, acts[1:])]
        if bug == "out_deriv_at_a":
            fp[-1] = PRIME_OF_A[activations[-1]](ACT[activations[-1]](aL))
        if bug == "hidden_deriv_at_a":
            fp[1] = PRIME_OF_A[activations[1]](ACT[activations[1]](acts[2]))
        if bug == "hidden_tanh_1_minus_a":
            fp[1] = 1 - acts[2]
        if bug == "hidden_formula_on_z":
            fp[0] = PRIME_OF_A[activations[0]](zs[0])
        if loss == "binary_cross_entropy":
            delta = s * (aL - y) * (fp[-1] if bug == "ce_extra_derivative" else 1)
        else:
            delta = s * (aL - y) * (1 if bug == "out_deriv_omitted" else fp[-1])
        delta = {"out_sign": -delta, "out_no_mean": delta / s, "out_factor2": 2 * delta, "out_extra_half": delta / 2,
                 "out_divided": delta / B}.get(bug, delta)
        deltas = [None] * L
        deltas[-1] = delta
        for l in range(L - 2, -1, -1):
            if bug == "missing_transpose" and l == 0:
                deltas[l] = (weights[l + 1] @ deltas[l + 1]) * fp[l]
            elif bug == "off_by_one" and l == 0:
                deltas[l] = (weights[l + 1].T @ deltas[l + 1]) * fp[l + 1]
            else:
                deltas[l] = (weights[l + 1].T @ deltas[l + 1]) * fp[l]
        dWs = [d @ a.T + 2 * coef * W for d, a, W in zip(deltas, acts, weights)]
        if bug == "dW_outputs":
            dWs[1] = deltas[1] @ acts[2].T
        if bug == "dW_transposed":
            dWs[0] = acts[0] @ deltas[0].T
        if bug == "decay_missing":
            dWs[-1] = deltas[-1] @ acts[-2].T
        if bug == "decay_convention":
            dWs[-1] = deltas[-1] @ acts[-2].T + (2 * decay if half else decay) * weights[-1]
        dbs = [d.sum(axis=1) for d in deltas]
        if bug == "db_not_summed":
            dbs[-1] = deltas[-1]
        if bug == "db_wrong_axis":
            dbs[1] = deltas[1].sum(axis=0)
        C = s * (0.5 * np.sum((aL - y) ** 2) if loss == "half_squared_error"
                 else -np.sum(y * np.log(aL) + (1 - y) * np.log(1 - aL))) + coef * sum(np.sum(W * W) for W in weights)
        return C, deltas, dWs, dbs

    return backprop


def make_step(bug=None, **family):
    """step(x, y, weights, biases, eta) -> (W_news, b_news), from a correct gradient."""
    grad = make(None, **family)

    def step(x, y, weights, biases, eta):
        _, _, dWs, dbs = grad(x, y, weights, biases)
        factor = {"eta_twice": eta * eta, "eta_missing": 1.0, "uphill": -eta}.get(bug, eta)
        return [W - factor * dW for W, dW in zip(weights, dWs)], [b - eta * db for b, db in zip(biases, dbs)]

    return step


FULL = dict(call="x, y, weights, biases", returns="(loss, deltas, dWs, dbs)", samples="columns", weights="out_in")
A = Convention(activations=("sigmoid", "tanh", "sigmoid"), reduction="mean", **FULL)
A_SUM = A.with_options(reduction="sum")
SQUARE = A.with_options(sizes=(3, 4, 4, 2))
DECAY = A.with_options(weight_decay=0.1)
BCE = Convention(activations=("tanh", "tanh", "sigmoid"), loss="binary_cross_entropy", reduction="mean", **FULL)
STEP = A.with_options(call="x, y, weights, biases, eta", returns="(W_news, b_news)")


def buggy_suite() -> list[Buggy]:
    fam = dict(activations=("sigmoid", "tanh", "sigmoid"))
    return [
        _example("seed000_single_layer", "backprop", ("W_new", 1), "derivative_formula_on_z"),
        _example("seed003_train_step", "train_step", ("W_new", 1), "matrix_product_for_elementwise"),
        _example("nielsen_network", "check_backprop", ("dW", 2), "derivative_at_a"),
        _example("cs231n_two_layer", "check_loss", ("db", 2), "bias_wrong_axis"),
        _example("deeplearning_ai", "check_backward", ("dW", 1), "tanh_derivative_1_minus_a"),
        _example("in_place", "train", ("W_new", 2), "uphill"),
        Buggy("seed 000 kron(outputs^T, delta)", backprop_seed000_bug, DEMO_CONVENTION, None, "outputs_instead_of_inputs"),
        Buggy("seed 000 kron, where it fits: 2 inputs + bias, 3 outputs", backprop_seed000_bug,
              DEMO_CONVENTION.with_options(sizes=(2, 3), batch=1), ("W_new", 1), "outputs_instead_of_inputs"),
        Buggy("output delta sign flipped", make("out_sign", **fam), A, ("delta", 3), "sign_flipped"),
        Buggy("mean loss without 1/B", make("out_no_mean", **fam), A, ("delta", 3), "missing_batch_mean"),
        Buggy("sum loss divided by B", make("out_divided", **fam, reduction="sum"), A_SUM, ("delta", 3), "extra_batch_mean"),
        Buggy("squared error's 2 kept", make("out_factor2", **fam), A, ("delta", 3), "factor_2"),
        Buggy("an extra 1/2", make("out_extra_half", **fam), A, ("delta", 3), "factor_half"),
        Buggy("output derivative at a", make("out_deriv_at_a", **fam), A, ("delta", 3), "derivative_at_a"),
        Buggy("output derivative omitted", make("out_deriv_omitted", **fam), A, ("delta", 3), "derivative_omitted"),
        Buggy("hidden derivative at a", make("hidden_deriv_at_a", **fam), A, ("delta", 2), "derivative_at_a"),
        Buggy("tanh' as 1 - a", make("hidden_tanh_1_minus_a", **fam), A, ("delta", 2), "tanh_derivative_1_minus_a"),
        Buggy("derivative formula on z", make("hidden_formula_on_z", **fam), A, ("delta", 1), "derivative_formula_on_z"),
        Buggy("missing transpose (square W_2)", make("missing_transpose", **fam), SQUARE, ("delta", 1), "missing_transpose"),
        Buggy("next layer's derivative", make("off_by_one", **fam), SQUARE, ("delta", 1), "off_by_one_layer"),
        Buggy("dW from the outputs", make("dW_outputs", **fam), A, ("dW", 2), "outputs_instead_of_inputs"),
        Buggy("dW transposed", make("dW_transposed", **fam), A, ("dW", 1), "transposed"),
        Buggy("bias gradient not summed", make("db_not_summed", **fam), A, ("db", 3), "bias_not_summed"),
        Buggy("bias gradient over units", make("db_wrong_axis", **fam), A, ("db", 2), "bias_wrong_axis"),
        Buggy("weight decay forgotten", make("decay_missing", **fam, decay=0.1), DECAY, ("dW", 3), "decay_missing"),
        Buggy("weight decay as lambda W for lambda sum W^2", make("decay_convention", **fam, decay=0.1), DECAY, ("dW", 3), "decay_convention"),
        Buggy("cross-entropy times sigmoid'", make("ce_extra_derivative", activations=("tanh", "tanh", "sigmoid"),
                                                   loss="binary_cross_entropy"), BCE, ("delta", 3), "cross_entropy_extra_derivative"),
        Buggy("eta applied twice", make_step("eta_twice", **fam), STEP, ("W_new", 3), "eta_twice"),
        Buggy("eta not applied", make_step("eta_missing", **fam), STEP, ("W_new", 3), "eta_missing"),
        Buggy("step uphill", make_step("uphill", **fam), STEP, ("W_new", 3), "uphill"),
    ]


# ---- correct code that looks suspicious ---------------------------------------------------------------

def _relu_mask_from_output(x, y, weights, biases):
    (W1, W2), (b1, b2) = weights, biases
    a1 = np.maximum(W1 @ x + b1[:, None], 0)
    a2 = _sig(W2 @ a1 + b2[:, None])
    d2 = (a2 - y) * a2 * (1 - a2)
    d1 = (W2.T @ d2) * (a1 > 0)  # the mask from the output equals the mask from z
    return [d1, d2], [d1 @ x.T, d2 @ a1.T], [d1.sum(1), d2.sum(1)]


def _sigmoid_prime_from_exp(x, y, weights, biases):
    (W1, W2), (b1, b2) = weights, biases
    prime = lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2
    z1 = W1 @ x + b1[:, None]
    a1 = _sig(z1)
    z2 = W2 @ a1 + b2[:, None]
    a2 = _sig(z2)
    d2 = (a2 - y) * prime(z2)
    d1 = (W2.T @ d2) * prime(z1)
    return [d1, d2], [d1 @ x.T, d2 @ a1.T], [d1.sum(1), d2.sum(1)]


def _target_minus_output(x, y, weights, biases, eta):
    """delta = (t - y) f'(z) throughout, and W + eta delta x^T: consistent, so right."""
    (W1, W2), (b1, b2) = weights, biases
    a1 = _sig(W1 @ x + b1[:, None])
    a2 = _sig(W2 @ a1 + b2[:, None])
    d2 = (y - a2) * a2 * (1 - a2)
    d1 = (W2.T @ d2) * a1 * (1 - a1)
    return [d1, d2], [W1 + eta * d1 @ x.T, W2 + eta * d2 @ a1.T], [b1 + eta * d1.sum(1), b2 + eta * d2.sum(1)]


def _column_bias_gradients(x, y, weights, biases):
    deltas, dWs, dbs = _sigmoid_prime_from_exp(x, y, weights, biases)
    return deltas, dWs, [db[:, None] for db in dbs]  # (n, 1) columns for flat biases


def _float32(x, y, weights, biases):
    deltas, dWs, dbs = _sigmoid_prime_from_exp(x.astype(np.float32), y.astype(np.float32),
                                               [W.astype(np.float32) for W in weights], [b.astype(np.float32) for b in biases])
    return deltas, dWs, dbs


TWO = dict(call="x, y, weights, biases", returns="(deltas, dWs, dbs)", samples="columns", weights="out_in")


def correct_suite() -> list[Correct]:
    return [
        Correct("ReLU mask from the output", _relu_mask_from_output, Convention(activations=("relu", "sigmoid"), **TWO)),
        Correct("sigmoid' as exp(-z)/(1+exp(-z))^2", _sigmoid_prime_from_exp, Convention(activations=("sigmoid", "sigmoid"), **TWO)),
        Correct("(t - y) convention, declared", _target_minus_output,
                Convention(activations=("sigmoid", "sigmoid"), call="x, y, weights, biases, eta",
                           returns="(deltas, W_news, b_news)", samples="columns", weights="out_in", delta_sign=-1)),
        Correct("bias gradients as columns", _column_bias_gradients, Convention(activations=("sigmoid", "sigmoid"), **TWO)),
        Correct("float32 throughout", _float32, Convention(activations=("sigmoid", "sigmoid"), **TWO)),
        Correct("seed 000's inputs^T delta, 2 inputs + bias, 3 outputs", demo_backprop,
                DEMO_CONVENTION.with_options(sizes=(2, 3), batch=1)),
    ]
