"""The cs231n two-layer net with the output bias gradient summed over the wrong axis."""
import numpy as np


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {
            "W1": std * np.random.randn(input_size, hidden_size), "b1": np.zeros(hidden_size),
            "W2": std * np.random.randn(hidden_size, output_size), "b2": np.zeros(output_size),
        }

    def loss(self, X, y=None):
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        N = X.shape[0]
        hidden = np.maximum(0, X.dot(W1) + b1)
        scores = hidden.dot(W2) + b2
        shifted = scores - scores.max(axis=1, keepdims=True)
        probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        loss = -np.log(probs[np.arange(N), y]).sum() / N
        dscores = probs.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads = {"W2": hidden.T.dot(dscores), "b2": dscores.sum(axis=1)}  # BUG: summed over classes, not samples
        dhidden = dscores.dot(W2.T)
        dhidden[hidden <= 0] = 0
        grads["W1"] = X.T.dot(dhidden)
        grads["b1"] = dhidden.sum(axis=0)
        return loss, grads


# --- adapter for gradcheck: a TwoLayerNet holding the given parameters ---
def check_loss(x, y, W1, b1, W2, b2):
    net = TwoLayerNet(W1.shape[0], W1.shape[1], W2.shape[1])
    net.params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    return net.loss(x, y)
