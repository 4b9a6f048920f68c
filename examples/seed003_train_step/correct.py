"""Seed 003's 2-2-1 network, one step of gradient descent, done right."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def train_step(x, y, W1, W2, eta):
    a1 = sigmoid(W1 @ x)
    yhat = sigmoid(W2 @ a1)
    delta2 = (yhat - y) * yhat * (1 - yhat)
    delta1 = (W2.T @ delta2) * a1 * (1 - a1)
    return W1 - eta * delta1 @ x.T, W2 - eta * delta2 @ a1.T
