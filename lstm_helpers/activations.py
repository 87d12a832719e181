"""Activation functions of the RNN and LSTM cells, and their derivatives.

sigmoid(z) = 1 / (1 + exp(-z)) squashes to (0, 1): the gates.
tanh(z) squashes to (-1, 1): the RNN's state, the LSTM's candidate and its output.

The derivatives are written in terms of the function's *output*, which is what
the backward passes keep: sigma' = s (1 - s), tanh' = 1 - t^2.
"""
import numpy as np


def sigmoid(z, out=None):
    """Logistic sigmoid, numerically stable for any finite z.

    Evaluates exp only at -|z|, so it never overflows (no warning at
    z = +-1000) and keeps full relative precision for very negative z.

    Parameters
    ----------
    z : array_like
    out : ndarray of the same shape and a float dtype, optional
        Where to write the result (may be ``z`` itself).

    Returns
    -------
    s : ndarray, values in [0, 1], the dtype of ``z`` (float64 for integers).
    """
    z = np.asarray(z)
    if not np.issubdtype(z.dtype, np.floating):
        z = z.astype(np.float64)
    neg = z < 0  # (...)
    e = np.abs(z)
    np.negative(e, out=e)
    np.exp(e, out=e)  # exp(-|z|) in (0, 1]
    if out is None:
        out = np.empty_like(e)
    np.add(e, 1.0, out=out)
    np.divide(1.0, out, out=out)  # 1 / (1 + exp(-|z|)) = sigmoid(|z|)
    # sigmoid(-|z|) = exp(-|z|) / (1 + exp(-|z|)), without the cancellation of 1 - sigmoid(|z|)
    np.multiply(e, out, out=out, where=neg)
    return out


def dsigmoid(s):
    """Derivative of the sigmoid, from its output s = sigmoid(z): s (1 - s)."""
    return s * (1.0 - s)


def tanh(z, out=None):
    """Hyperbolic tangent (numpy's, which is stable for any finite z)."""
    return np.tanh(z, out=out)


def dtanh(t):
    """Derivative of tanh, from its output t = tanh(z): 1 - t^2."""
    return 1.0 - t * t
