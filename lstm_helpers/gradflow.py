"""How much the last state depends on earlier ones: ||dh_T / dh_t|| over the distance T - t.

By the chain rule, dh_T/dh_t of a vanilla RNN is a product of T - t Jacobians
diag(1 - h_k^2) W_h. Its norm is at most ||W_h||^(T - t) because |tanh'| <= 1:
when the largest singular value of W_h is below 1 the gradient must vanish
exponentially; above 1 it can explode (Bengio, Simard & Frasconi 1994;
Pascanu, Mikolov & Bengio 2013). In an LSTM the cell state adds a path whose
Jacobian is diag(f_k), close to the identity while f is close to 1; along that
path alone, dC_T/dC_t = diag(f_{t+1} ... f_T) (``forget_products``). The total
dh_T/dC_t also runs through h_k and back into the gates, and can vanish or
explode like an RNN's.

The Jacobians are not written out by hand here: they come from the cells' own
backward passes, run on H copies of the sequence at once with dL/dh_T set to
the H unit vectors, so row k of the result is the gradient of h_T[k].
"""
import numpy as np

from . import initializers, lstm, rnn
from .i18n import tr


def state_jacobians(cell, params, x, h0=None, c0=None):
    """dh_{T-1}/dh_t (and, for an LSTM, dh_{T-1}/dC_t) for every step t of one sequence.

    Parameters
    ----------
    cell : "rnn" or "lstm"
    params : the cell's parameter dict
    x : ndarray of shape (T, D), one sequence
    h0, c0 : ndarray of shape (H,), optional

    Returns
    -------
    J_h : ndarray of shape (T, H, H), J_h[t] = dh_{T-1}/dh_t (J_h[T-1] is the identity)
    J_c : ndarray of shape (T, H, H) for an LSTM, else None
    """
    module = {"rnn": rnn, "lstm": lstm}[cell]
    D, H = module.sizes(params)
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != D:
        raise ValueError(tr("gradflow.bad_sequence", D=D, shape=x.shape))
    T = x.shape[0]
    xb = np.broadcast_to(x, (H, T, D))                  # H copies of the sequence
    starts = {}
    for name, s in (("h0", h0), ("c0", c0)):
        if s is not None:
            starts[name] = np.broadcast_to(np.asarray(s, dtype=float), (H, H))
    dh = np.zeros((H, T, H))
    dh[:, -1] = np.eye(H)                               # copy k asks for the gradient of h_T[k]
    if cell == "rnn":
        _, cache = rnn.forward(params, xb, starts.get("h0"))
        grads = rnn.backward(dh, cache, states=True)
        return grads["h"].transpose(1, 0, 2), None
    _, cache = lstm.forward(params, xb, starts.get("h0"), starts.get("c0"))
    grads = lstm.backward(dh, cache, states=True)
    return grads["h"].transpose(1, 0, 2), grads["c"].transpose(1, 0, 2)


def step_norms(g):
    """The mean over the batch of ||g[:, t]|| for every step t, computed in float64.

    g : ndarray of shape (B, T, H), e.g. SequenceModel.state_gradients(x, y)["h"]
    Returns an ndarray of shape (T,). In float32 the squares of entries below about 1e-23
    underflow to 0, so the norm of a small but nonzero gradient would read 0.
    """
    g = np.asarray(g, dtype=np.float64)
    if g.ndim != 3:
        raise ValueError(tr("gradflow.bad_g", shape=g.shape))
    return np.linalg.norm(g, axis=2).mean(axis=0)


def spectral_norms(J):
    """The largest singular value of each matrix in a stack of shape (T, H, H)."""
    return np.linalg.svd(J, compute_uv=False)[..., 0]


def forget_products(f):
    """The cell path alone, by distance: max over units of f_{t+1} * ... * f_T.

    f : ndarray of shape (T, H), the forget gates of one sequence (lstm.forward(...)[0].f[0])
    Returns an ndarray of shape (T,) whose entry d is the largest singular value of
    dC_T/dC_{T-d} along the cell path (a diagonal matrix: its largest entry); entry 0 is 1.
    """
    f = np.asarray(f, dtype=np.float64)
    if f.ndim != 2:
        raise ValueError(tr("gradflow.bad_f", shape=f.shape))
    back = np.cumprod(f[::-1], axis=0)                  # row d-1: f_T * ... * f_{T-d+1}
    return np.concatenate([[1.0], back.max(axis=1)[:-1]])


def _scaled(W, hidden_size, radius, input_scale, rng):
    H = hidden_size
    W[:, :H] = radius * initializers.orthogonal(H, rng)
    W[:, H:] *= input_scale


def rnn_with_radius(input_size, hidden_size, radius, rng, input_scale=1.0):
    """RNN parameters whose recurrent weight is ``radius`` times an orthogonal matrix.

    Every singular value (and eigenvalue modulus) of W_h is then exactly ``radius``.
    """
    q = rnn.init_params(input_size, hidden_size, rng)
    _scaled(q["W"], hidden_size, radius, input_scale, rng)
    return q


def lstm_with_radius(input_size, hidden_size, radius, rng, input_scale=1.0, forget_bias=1.0):
    """LSTM parameters on the same footing as ``rnn_with_radius``.

    Each gate's recurrent block W_*h is ``radius`` times its own orthogonal matrix and its
    input block is scaled by ``input_scale``, exactly as the RNN's W_h and W_x.
    """
    p = lstm.init_params(input_size, hidden_size, rng, forget_bias=forget_bias)
    for gate in ("f", "i", "c", "o"):
        _scaled(p[f"W_{gate}"], hidden_size, radius, input_scale, rng)
    return p
