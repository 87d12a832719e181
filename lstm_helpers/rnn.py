"""The vanilla RNN cell: init_params, step, forward, backward.

    h_t = tanh(W [h_{t-1}, x_t] + b)

W has shape (H, H + D): its first H columns (W_h) act on h_{t-1}, the last D
(W_x) on x_t, so W [h; x] = W_h h + W_x x. The same W and b serve every step.
Backpropagation through time multiplies, per step back, by the Jacobian
dh_t/dh_{t-1} = diag(1 - h_t^2) W_h: the product of many of them is why
gradients vanish or explode over long gaps (Bengio, Simard & Frasconi 1994).
"""
import numpy as np

from . import initializers, shapes

PARAM_KEYS = ("W", "b")


def init_params(input_size, hidden_size, rng, recurrent_init="orthogonal", dtype=np.float64):
    """Fresh RNN parameters.

    Parameters
    ----------
    input_size : int, D
    hidden_size : int, H
    rng : numpy.random.Generator
    recurrent_init : "orthogonal" or "uniform" (see ``initializers``)
    dtype : float dtype

    Returns
    -------
    params : dict of W of shape (H, H + D) and b of shape (H,)
    """
    return {"W": initializers.recurrent_weight(input_size, hidden_size, rng, recurrent_init, dtype),
            "b": np.zeros(hidden_size, dtype=dtype)}


def sizes(q):
    """(D, H): input size and hidden size of a parameter dict."""
    return shapes.sizes(q, "W", "rnn")


def _checked(q):
    D, H = sizes(q)
    dtype = shapes.check_params(q, {"W": (H, H + D), "b": (H,)}, "rnn")
    return q["W"], q["b"], D, H, dtype


def step(q, x_t, h_prev):
    """One RNN step.

    Parameters
    ----------
    q : dict from ``init_params``
    x_t : ndarray of shape (B, D)
    h_prev : ndarray of shape (B, H)

    Returns
    -------
    h : ndarray of shape (B, H)
    """
    W, b, D, H, dtype = _checked(q)
    x_t = shapes.check_input(x_t, D, dtype)
    h_prev = shapes.check_state(h_prev, x_t.shape[0], H, dtype, "h_prev")
    return np.tanh(h_prev @ W[:, :H].T + x_t @ W[:, H:].T + b)  # (B, H)


def forward(q, x, h0=None):
    """Run the RNN over whole sequences.

    Parameters
    ----------
    q : dict from ``init_params``
    x : ndarray of shape (B, T, D)
    h0 : ndarray of shape (B, H), optional (zeros when None)

    Returns
    -------
    hs : ndarray of shape (B, T, H), the hidden state after every step
    cache : what ``backward`` needs
    """
    W, b, D, H, dtype = _checked(q)
    x = shapes.check_sequence(x, D, dtype)
    B, T, _ = x.shape
    h0 = shapes.check_state(h0, B, H, dtype, "h0")

    xs = x.transpose(1, 0, 2)            # (T, B, D) time-major
    Z = xs @ W[:, H:].T + b              # (T, B, H) the input's part of every step, one matmul
    Wh_T = np.ascontiguousarray(W[:, :H].T)  # (H, H)
    Hs = np.empty((T + 1, B, H), dtype)  # Hs[0] = h0, Hs[t + 1] = h_t
    Hs[0] = h0
    rec = np.empty((B, H), dtype)
    for t in range(T):
        np.matmul(Hs[t], Wh_T, out=rec)
        Z[t] += rec
        np.tanh(Z[t], out=Hs[t + 1])
    return Hs[1:].transpose(1, 0, 2), (xs, W, Hs)


def backward(dh, cache, states=False, input_grad=True):
    """Backpropagation through time.

    Parameters
    ----------
    dh : ndarray of shape (B, T, H), dL/dh_t for every step
    cache : from ``forward``
    states : bool
        Also return dL/dh_t for every step (key h, shape (B, T, H)): how strongly
        the loss depends on each step's state (gradient flow).
    input_grad : bool
        False skips dL/dx (key x), e.g. for a one-hot input whose gradient nothing reads.

    Returns
    -------
    grads : dict of W (H, H + D), b (H,), x (B, T, D) (with ``input_grad``), h0 (B, H); with ``states``,
        also h
    """
    xs, W, Hs = cache
    T, B, D = xs.shape
    H = Hs.shape[2]
    dhs = shapes.check_grad(dh, (B, T, H), W.dtype, "dh").transpose(1, 0, 2)  # (T, B, H)
    Wh = W[:, :H]                        # (H, H)
    dZ = np.empty((T, B, H), W.dtype)    # dL/d(pre-activation)
    dh_next = np.zeros((B, H), W.dtype)
    dH_all = np.empty((T, B, H), W.dtype) if states else None
    for t in range(T - 1, -1, -1):
        h = Hs[t + 1]
        dht = dhs[t] + dh_next                                # dL/dh_t
        if states:
            dH_all[t] = dht
        np.multiply(dht, 1.0 - h * h, out=dZ[t])              # through tanh
        np.matmul(dZ[t], Wh, out=dh_next)                     # to h_{t-1}

    dZ2 = dZ.reshape(T * B, H)
    dW = np.empty_like(W)                                     # (H, H+D)
    np.matmul(dZ2.T, Hs[:-1].reshape(T * B, H), out=dW[:, :H])
    np.matmul(dZ2.T, xs.reshape(T * B, D), out=dW[:, H:])
    grads = {"W": dW, "b": dZ2.sum(axis=0), "h0": dh_next}
    if input_grad:
        grads["x"] = (dZ @ W[:, H:]).transpose(1, 0, 2)
    if states:
        grads["h"] = dH_all.transpose(1, 0, 2)
    return grads
