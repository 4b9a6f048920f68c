"""One step of gradient descent that updates W and b in place."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def train(x, y, W1, b1, W2, b2, eta):
    a1 = sigmoid(W1 @ x + b1[:, None])
    a2 = sigmoid(W2 @ a1 + b2[:, None])
    d2 = (a2 - y) * a2 * (1 - a2)
    d1 = (W2.T @ d2) * a1 * (1 - a1)
    W2 -= eta * d2 @ a1.T
    b2 -= eta * d2.sum(axis=1)
    W1 -= eta * d1 @ x.T
    b1 -= eta * d1.sum(axis=1)
