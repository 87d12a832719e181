"""Weight initialisation for the recurrent cells.

Input weights: uniform in [-1/sqrt(H), 1/sqrt(H)], as PyTorch's nn.RNN and nn.LSTM.
Recurrent weights: a random orthogonal matrix (Saxe et al. 2014) by default: all
its singular values are 1, so at the start a signal passed through W_h neither
grows nor shrinks. "uniform" gives PyTorch's init instead, whose spectral radius
is about 0.6, so a vanilla RNN starts out forgetting fast.
"""
import numpy as np

RECURRENT_INITS = ("orthogonal", "uniform")


def orthogonal(n, rng, dtype=np.float64):
    """A random (n, n) orthogonal matrix, uniform over the orthogonal group."""
    a = rng.standard_normal((n, n))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))  # makes the distribution uniform (Mezzadri 2007)
    return q.astype(dtype)


def uniform(shape, hidden_size, rng, dtype=np.float64):
    """Uniform in [-1/sqrt(H), 1/sqrt(H)]."""
    bound = 1.0 / np.sqrt(hidden_size)
    return rng.uniform(-bound, bound, size=shape).astype(dtype)


def recurrent_weight(input_size, hidden_size, rng, recurrent_init="orthogonal", dtype=np.float64):
    """One weight W of shape (H, H + D) acting on [h_{t-1}, x_t]: first H columns on h."""
    if recurrent_init not in RECURRENT_INITS:
        raise ValueError(f"recurrent_init must be one of {RECURRENT_INITS}; got {recurrent_init!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy Generator, e.g. np.random.default_rng(0); "
                        f"got {type(rng).__name__}")
    for name, n in (("input_size", input_size), ("hidden_size", hidden_size)):
        if not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"{name} must be a positive integer; got {n!r}")
    H, D = hidden_size, input_size
    W = np.empty((H, H + D), dtype=dtype)
    if recurrent_init == "orthogonal":
        W[:, :H] = orthogonal(H, rng, dtype)
    else:
        W[:, :H] = uniform((H, H), H, rng, dtype)
    W[:, H:] = uniform((H, D), H, rng, dtype)
    return W
