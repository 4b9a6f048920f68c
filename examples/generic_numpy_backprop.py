"""A correct, general backprop in plain numpy, written from the textbook
equations and independent of gradcheck's code: any depth, every activation
and loss gradcheck knows, sum or mean, L2 weight decay, float64 or float32.

gradcheck's tests and benchmarks/false_alarms.py use it as "a correct
implementation" that must never be flagged. Check it with, e.g.:

    gradcheck check examples/generic_numpy_backprop.py:sigmoid_sigmoid_backprop \\
        --activations sigmoid,sigmoid --call "x, y, weights, biases" --returns "(loss, deltas, dWs, dbs)"
"""
import numpy as np

LEAKY_SLOPE = 0.01


def _act(name, z):
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0)
    if name == "leaky_relu":
        return np.where(z > 0, z, LEAKY_SLOPE * z)
    if name == "softplus":
        return np.logaddexp(0, z)
    if name == "identity":
        return z
    if name == "softmax":
        e = np.exp(z - z.max(axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)
    raise ValueError(name)


def _act_prime(name, z, a):
    if name == "sigmoid":
        return a * (1 - a)
    if name == "tanh":
        return 1 - a * a
    if name == "relu":
        return (z > 0).astype(z.dtype)
    if name == "leaky_relu":
        return np.where(z > 0, 1, LEAKY_SLOPE).astype(z.dtype)
    if name == "softplus":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "identity":
        return np.ones_like(z)
    raise ValueError(name)


def _loss(name, z, a, y):
    if name == "half_squared_error":
        return 0.5 * np.sum((a - y) ** 2)
    if name == "squared_error":
        return np.sum((a - y) ** 2)
    if name == "binary_cross_entropy":  # on the logits, so saturation cannot give log(0)
        return np.sum(np.logaddexp(0, z) - y * z)
    if name == "categorical_cross_entropy":
        shifted = z - z.max(axis=0, keepdims=True)
        return -np.sum(y * (shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))))
    raise ValueError(name)


def _output_delta(name, act, z, a, y):
    if name == "half_squared_error":
        return (a - y) * _act_prime(act, z, a)
    if name == "squared_error":
        return 2 * (a - y) * _act_prime(act, z, a)
    return a - y  # cross-entropy with its matching sigmoid or softmax output


def make_backprop(activations, loss, reduction="sum", weight_decay=0.0, weight_decay_half=True, dtype=np.float64):
    """backprop(x, y, weights, biases) -> (loss, deltas, dWs, dbs); columns are samples."""
    decay = weight_decay / 2 if weight_decay_half else weight_decay

    def backprop(x, y, weights, biases):
        with np.errstate(over="ignore", under="ignore"):
            x, y = x.astype(dtype), y.astype(dtype)
            weights = [W.astype(dtype) for W in weights]
            biases = [b.astype(dtype) for b in biases] or [None] * len(weights)
            scale = dtype(1.0 / x.shape[1]) if reduction == "mean" else dtype(1.0)
            zs, acts = [], [x]
            for W, b, act in zip(weights, biases, activations):
                z = W @ acts[-1] + (0 if b is None else b[:, None])
                zs.append(z)
                acts.append(_act(act, z))
            C = scale * _loss(loss, zs[-1], acts[-1], y) + dtype(decay) * sum(np.sum(W * W) for W in weights)
            deltas = [None] * len(weights)
            deltas[-1] = scale * _output_delta(loss, activations[-1], zs[-1], acts[-1], y)
            for l in range(len(weights) - 2, -1, -1):
                deltas[l] = (weights[l + 1].T @ deltas[l + 1]) * _act_prime(activations[l], zs[l], acts[l + 1])
            dWs = [d @ a.T + dtype(2 * decay) * W for d, a, W in zip(deltas, acts, weights)]
            dbs = [d.sum(axis=1) for d in deltas]
            return C, deltas, dWs, dbs

    return backprop


sigmoid_sigmoid_backprop = make_backprop(("sigmoid", "sigmoid"), "half_squared_error")
