"""The seed 003 asker's derivation: W2 times sigmoid'(z2) taken as a matrix
product (a number) where an element-wise product belongs, then stacked x^T
rows, so every row of dC/dW1 comes out the same."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def train_step(x, y, W1, W2, eta):
    a1 = sigmoid(W1 @ x)
    yhat = sigmoid(W2 @ a1)
    delta2 = (yhat - y) * yhat * (1 - yhat)
    g = delta2 * (W2 @ (a1 * (1 - a1)))  # BUG: a matrix product, not (W2.T @ delta2) * sigma'(z1)
    dW1 = g * np.ones((W1.shape[0], 1)) @ x.T  # every row the same
    return W1 - eta * dW1, W2 - eta * delta2 @ a1.T
