"""Seed 000's single-layer backprop with the derivative taken at net, not at
the output: activation_diff expects f(net), but gets net."""
import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def activation_diff(out):
    return out * (1.0 - out)


def feedforward(sample, weights):
    net = np.concatenate([sample, np.ones((sample.shape[0], 1))], axis=1) @ weights
    return sigmoid(net), net


def backprop(random_sample, target_outputs, weights, learning_rate):
    outputs, net = feedforward(random_sample, weights)
    error_vector = target_outputs - outputs
    delta = error_vector * activation_diff(net)  # BUG: should be activation_diff(outputs)
    biases = np.ones((random_sample.shape[0], 1))
    weights_delta = learning_rate * np.matmul(np.concatenate([random_sample, biases], axis=1).T, delta)
    return weights + weights_delta
