"""Seed 000's step as the guide wrote it: the weight change built with
kron(outputs^T, delta), from the layer's outputs instead of its inputs.

On most networks numpy rejects the shapes. With 2 inputs (plus the bias
input) and 3 outputs they fit, and the numbers are silently wrong:

    gradcheck check examples/seed000_single_layer/kron.py:backprop --sizes 2,3 --batch 1
"""
import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def activation_diff(out):
    return out * (1.0 - out)


def feedforward(sample, weights):
    net = np.concatenate([sample, np.ones((sample.shape[0], 1))], axis=1) @ weights
    return sigmoid(net), net


def backprop(random_sample, target_outputs, weights, eta):
    outputs, net = feedforward(random_sample, weights)
    error_vector = target_outputs - outputs
    delta = error_vector * activation_diff(outputs)
    weights_delta = eta * np.kron(outputs.T, delta)  # BUG: the inputs, not the outputs: inputs^T delta
    return weights + weights_delta
