"""The GRU cell (Cho et al. 2014): init_params, step, forward, backward.

With [h_{t-1}, x_t] the concatenation of the previous hidden state and the input,
as in the tutorial:

    z_t = sigmoid(W_z [h_{t-1}, x_t] + b_z)          update gate (更新门)
    r_t = sigmoid(W_r [h_{t-1}, x_t] + b_r)          reset gate  (重置门)
    n_t = tanh(W_n [r_t * h_{t-1}, x_t] + b_n)       candidate, in (-1, 1)
    h_t = z_t * h_{t-1} + (1 - z_t) * n_t            the new state: keep (z) or replace (1 - z)

This is the update of Cho et al., PyTorch and d2l; colah's post writes z for 1 - z,
the same cell with the gate's meaning flipped. There is no separate cell state: h_t
is both the memory and the output.

The reset gate acts on h_{t-1} before the matrix product, as in Cho et al. PyTorch's
nn.GRU (and Keras with reset_after=True) applies it after the product:

    n_t = tanh(W_n[:, H:] x_t + b_n + r_t * (W_n[:, :H] h_{t-1} + b_hn))

which is a different function, not the same one written another way (chapter 09).
``init_params(..., reset_after=True)`` makes that form: its parameters have one more
bias, b_hn (H,), and every function here computes the form its parameters have.

Each W_* has shape (H, H + D): its first H columns act on h_{t-1} (for n: on
r_t * h_{t-1}), the last D on x_t. Biases have shape (H,). Arrays are batch-major,
(B, ...), as in rnn.py; the input's part of every step is one matrix product before
the loop and the weight gradients one product after it.
"""
from typing import NamedTuple

import numpy as np

from . import initializers, shapes
from .activations import sigmoid_into

PARAM_KEYS = ("W_z", "b_z", "W_r", "b_r", "W_n", "b_n")  # with reset_after, also b_hn
_STACK = ("z", "r", "n")  # order of the blocks in the stacked (3H, H + D) weight
FORCE_RANGES = {"z": (0.0, 1.0), "r": (0.0, 1.0)}  # the gates ``step`` can fix by hand


class GRURecord(NamedTuple):
    """What the cell computed. From ``step`` each field is (B, H); from ``forward`` (B, T, H)."""
    z: np.ndarray  # update gate, in (0, 1): how much of h_{t-1} is kept
    r: np.ndarray  # reset gate, in (0, 1): how much of h_{t-1} the candidate reads
    n: np.ndarray  # candidate, in (-1, 1)
    h: np.ndarray  # hidden state h = z * h_{t-1} + (1 - z) * n


def init_params(input_size, hidden_size, rng, recurrent_init="orthogonal", dtype=np.float64, reset_after=False):
    """Fresh GRU parameters.

    Parameters
    ----------
    input_size : int, D
    hidden_size : int, H
    rng : numpy.random.Generator
    recurrent_init : "orthogonal" or "uniform"
        How the first H columns of each W are drawn (see ``initializers``).
    dtype : float dtype
    reset_after : bool
        PyTorch's form: the reset gate multiplies W_n[:, :H] h_{t-1} + b_hn (see the module's text).

    Returns
    -------
    params : dict of W_z, W_r, W_n of shape (H, H + D) and b_z, b_r, b_n of shape (H,); with
        ``reset_after``, also b_hn of shape (H,)
    """
    q = {}
    for gate in _STACK:
        q[f"W_{gate}"] = initializers.recurrent_weight(input_size, hidden_size, rng, recurrent_init, dtype)
        q[f"b_{gate}"] = np.zeros(hidden_size, dtype=dtype)
    q = {key: q[key] for key in PARAM_KEYS}
    if reset_after:
        q["b_hn"] = np.zeros(hidden_size, dtype=dtype)
    return q


def resets_after(q):
    """True for PyTorch's form (the parameters have b_hn), False for Cho's."""
    return isinstance(q, dict) and "b_hn" in q


def sizes(q):
    """(D, H): input size and hidden size of a parameter dict."""
    return shapes.sizes(q, "W_z", "gru")


def _stacked(q):
    """Check ``q`` and stack it: W (3H, H + D), b (3H,), in the order z, r, n."""
    D, H = sizes(q)
    spec = {}
    for gate in _STACK:
        spec[f"W_{gate}"] = (H, H + D)
        spec[f"b_{gate}"] = (H,)
    if resets_after(q):
        spec["b_hn"] = (H,)
    dtype = shapes.check_params(q, spec, "gru")
    W = np.concatenate([q[f"W_{g}"] for g in _STACK])  # (3H, H + D)
    b = np.concatenate([q[f"b_{g}"] for g in _STACK])  # (3H,)
    return W, b, q.get("b_hn"), D, H, dtype


def _step(a, h_prev, W_h, b_hn, H, hn, h, force=None):
    """One step in place. a (B, 3H) holds the input's part plus bias of z, r, n and becomes [z, r, n].
    Writes the new state h and hn, what the candidate's recurrent part read: r * h_prev (Cho's form,
    b_hn None), or W_n[:, :H] h_prev + b_hn (PyTorch's form); each (B, H). ``force`` maps "z", "r"
    to (B, H) values that replace the computed gates."""
    zr = a[:, :2 * H]
    zr += h_prev @ W_h[:2 * H].T                 # W_z and W_r read h_{t-1}
    sigmoid_into(zr, zr)                         # z, r
    if force:                                    # gates fixed by hand (step only)
        for k, name in enumerate(_STACK[:2]):
            if name in force:
                zr[:, k * H:(k + 1) * H] = force[name]
    r, n = zr[:, H:], a[:, 2 * H:]
    if b_hn is None:                             # Cho: the reset before the product
        np.multiply(r, h_prev, out=hn)           # r * h_{t-1}
        n += hn @ W_h[2 * H:].T
    else:                                        # PyTorch: the reset after the product
        np.matmul(h_prev, W_h[2 * H:].T, out=hn)
        hn += b_hn                               # W_nh h_{t-1} + b_hn
        n += r * hn
    np.tanh(n, out=n)
    np.subtract(h_prev, n, out=h)
    h *= zr[:, :H]
    h += n                                       # h = n + z (h_{t-1} - n) = z h_{t-1} + (1 - z) n


def step(q, x_t, h_prev, force=None):
    """One GRU step.

    Parameters
    ----------
    q : dict from ``init_params``
    x_t : ndarray of shape (B, D)
    h_prev : ndarray of shape (B, H)
    force : dict, optional
        Gates fixed by hand instead of computed, e.g. {"z": 1.0} for a cell that keeps
        h_{t-1} exactly; keys z and r, values in [0, 1], numbers or arrays broadcastable to (B, H).

    Returns
    -------
    GRURecord of z, r, n, h, each of shape (B, H)
    """
    W, b, b_hn, D, H, dtype = _stacked(q)
    x_t = shapes.check_input(x_t, D, dtype)
    h_prev = shapes.check_state(h_prev, x_t.shape[0], H, dtype, "h_prev")
    force = shapes.check_force(force, FORCE_RANGES, x_t.shape[0], H, dtype, "{'z': 1.0}")
    a = x_t @ W[:, H:].T + b                     # (B, 3H)
    hn, h = np.empty_like(h_prev), np.empty_like(h_prev)
    with np.errstate(over="ignore"):             # exp(-z) = inf for z << 0 gives sigmoid's limit 0
        _step(a, h_prev, W[:, :H], b_hn, H, hn, h, force)
    return GRURecord(z=a[:, :H], r=a[:, H:2 * H], n=a[:, 2 * H:], h=h)


def forward(q, x, h0=None):
    """Run the GRU over whole sequences.

    Parameters
    ----------
    q : dict from ``init_params``
    x : ndarray of shape (B, T, D)
    h0 : ndarray of shape (B, H), optional (zeros when None)

    Returns
    -------
    out : GRURecord of z, r, n, h, each of shape (B, T, H)
    cache : what ``backward`` needs
    """
    W, b, b_hn, D, H, dtype = _stacked(q)
    x = shapes.check_sequence(x, D, dtype)
    B, T, _ = x.shape
    h0 = shapes.check_state(h0, B, H, dtype, "h0")

    xs = np.ascontiguousarray(x.transpose(1, 0, 2))   # (T, B, D) time-major, kept for backward
    A = xs @ W[:, H:].T + b                            # (T, B, 3H) the input's part of every step, one matmul
    W_h = np.ascontiguousarray(W[:, :H])               # (3H, H)
    Hs = np.empty((T + 1, B, H), dtype)                # Hs[0] = h0, Hs[t + 1] = h_t
    HN = np.empty((T, B, H), dtype)                    # what the candidate's recurrent part read (see _step)
    Hs[0] = h0
    with np.errstate(over="ignore"):
        for t in range(T):
            _step(A[t], Hs[t], W_h, b_hn, H, HN[t], Hs[t + 1])
    gates = A.transpose(1, 0, 2)                       # (B, T, 3H)
    out = GRURecord(z=gates[..., :H], r=gates[..., H:2 * H], n=gates[..., 2 * H:], h=Hs[1:].transpose(1, 0, 2))
    return out, (xs, W, b_hn is not None, A, Hs, HN)


def backward(dh, cache, states=False, input_grad=True):
    """Backpropagation through time.

    Parameters
    ----------
    dh : ndarray of shape (B, T, H)
        dL/dh_t for every step, from whatever reads the hidden states.
    cache : from ``forward``
    states : bool
        Also return dL/dh_t for every step (key h, shape (B, T, H)), counting every use of h_t.
    input_grad : bool
        False skips dL/dx (key x), e.g. for a one-hot input whose gradient nothing reads.

    Returns
    -------
    grads : dict with the parameters' keys (W_z, b_z, ..., and b_hn with reset_after), x (B, T, D)
        (with ``input_grad``) and h0 (B, H); with ``states``, also h (B, T, H)
    """
    xs, W, reset_after, A, Hs, HN = cache
    T, B, D = xs.shape
    H = Hs.shape[2]
    dtype = W.dtype
    dhs = shapes.check_grad(dh, (B, T, H), dtype, "dh").transpose(1, 0, 2)   # (T, B, H)
    W_zr_h, W_n_h = W[:2 * H, :H], W[2 * H:, :H]    # what z, r read of h_{t-1}; the candidate's recurrent part
    dA = np.empty_like(A)                          # dL/d(pre-activations) [z, r, n], (T, B, 3H)
    dHN = np.empty_like(HN) if reset_after else None  # dL/d(W_nh h_{t-1} + b_hn), PyTorch's form
    dh_next = np.zeros((B, H), dtype)              # dL/dh_t through h_t's later uses
    dH_all = np.empty((T, B, H), dtype) if states else None
    for t in range(T - 1, -1, -1):
        z, r, n = A[t, :, :H], A[t, :, H:2 * H], A[t, :, 2 * H:]
        h_prev = Hs[t]
        dht = dhs[t] + dh_next                     # dL/dh_t
        if states:
            dH_all[t] = dht
        da = dA[t]
        np.multiply(dht * (h_prev - n), z * (1.0 - z), out=da[:, :H])      # through z: dh (h_{t-1} - n) sigma'
        np.multiply(dht * (1.0 - z), 1.0 - n * n, out=da[:, 2 * H:])      # through n: dh (1 - z) tanh'
        if not reset_after:                                                 # n reads W_nh (r * h_{t-1})
            drh = da[:, 2 * H:] @ W_n_h                                     # dL/d(r * h_{t-1})
            np.multiply(drh * h_prev, r * (1.0 - r), out=da[:, H:2 * H])   # through r
            via_n = drh * r
        else:                                                               # n reads r * (W_nh h_{t-1} + b_hn)
            np.multiply(da[:, 2 * H:], r, out=dHN[t])
            np.multiply(da[:, 2 * H:] * HN[t], r * (1.0 - r), out=da[:, H:2 * H])
            via_n = dHN[t] @ W_n_h
        dh_next = dht * z + via_n + da[:, :2 * H] @ W_zr_h                  # to h_{t-1}: direct, via n, via z and r

    # The weight gradients sum over all steps and rows: one product each after the loop. W_z and W_r
    # read [h_{t-1}, x_t]; W_n reads [r_t * h_{t-1}, x_t] (Cho), or h_{t-1} under the reset (PyTorch).
    dA2 = dA.reshape(T * B, 3 * H)
    Hprev = Hs[:T].reshape(T * B, H)
    dW = np.empty_like(W)
    dW[:2 * H, :H] = dA2[:, :2 * H].T @ Hprev
    if reset_after:
        dW[2 * H:, :H] = dHN.reshape(T * B, H).T @ Hprev
    else:
        dW[2 * H:, :H] = dA2[:, 2 * H:].T @ HN.reshape(T * B, H)
    dW[:, H:] = dA2.T @ xs.reshape(T * B, D)
    db = dA2.sum(axis=0)

    grads = {}
    for k, gate in enumerate(_STACK):
        grads[f"W_{gate}"] = dW[k * H:(k + 1) * H]
        grads[f"b_{gate}"] = db[k * H:(k + 1) * H]
    grads = {key: grads[key] for key in PARAM_KEYS}
    if reset_after:
        grads["b_hn"] = dHN.reshape(T * B, H).sum(axis=0)
    if input_grad:
        grads["x"] = (dA @ W[:, H:]).transpose(1, 0, 2)                    # (B, T, D)
    grads["h0"] = dh_next
    if states:
        grads["h"] = dH_all.transpose(1, 0, 2)
    return grads
