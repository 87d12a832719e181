"""Activation functions of the RNN and LSTM cells, and their derivatives.

sigmoid(z) = 1 / (1 + exp(-z)) squashes to (0, 1): the gates.
tanh(z) squashes to (-1, 1): the RNN's state, the LSTM's candidate and its output.

The derivatives are written in terms of the function's *output*, which is what
the backward passes keep: sigma' = s (1 - s), tanh' = 1 - t^2.
"""
import numpy as np


def sigmoid(z, out=None):
    """Logistic sigmoid 1 / (1 + exp(-z)), stable for any finite z.

    This form keeps full relative precision at both ends. For z << 0, exp(-z)
    overflows to inf and 1 / (1 + inf) = 0, the correct limit: that overflow is
    expected, so it raises no warning (z = -1000 gives 0, z = +1000 gives 1).

    Parameters
    ----------
    z : array_like
    out : float ndarray of the shape of z, optional
        Where to write the result (may be ``z`` itself).

    Returns
    -------
    s : ndarray, values in [0, 1], the dtype of ``z`` (float64 for integers).
    """
    z = np.asarray(z)
    if z.dtype.kind != "f":  # ints, bools
        z = z.astype(np.float64)
    if out is None:
        out = np.empty_like(z)
    with np.errstate(over="ignore", under="ignore"):
        sigmoid_into(z, out)
    return out if out.ndim else out[()]


def sigmoid_into(z, out):
    """The sigmoid's arithmetic alone, for the cells' inner loops: no checks, and the caller
    silences exp's expected overflow once around its loop (``np.errstate(over="ignore")``),
    which costs about a microsecond each time it is entered.

    z, out : float ndarrays of one shape (``out`` may be ``z``)
    """
    np.negative(z, out=out)
    np.exp(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)
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
