"""Optimisers and gradient clipping for dicts of arrays.

``params`` and ``grads`` are dicts with the same keys; the optimisers update
``params`` in place (so views and references to them stay valid).

SGD with momentum:  v = mu v + g;  p -= lr v
Adam (Kingma & Ba 2015):  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
                          p -= lr m_hat / (sqrt(v_hat) + eps)
Clipping by global norm (Pascanu, Mikolov & Bengio 2013): if ||g|| > max_norm,
scale every gradient by max_norm / ||g||, so the direction is kept.
"""
import numpy as np

from .i18n import tr


def _check_keys(params, grads):
    missing = [k for k in params if k not in grads]
    if missing:
        raise KeyError(tr("errors.grads_missing", missing=missing))
    for k, p in params.items():
        if np.shape(grads[k]) != p.shape:
            raise ValueError(tr("errors.grads_shape", param=k, got=np.shape(grads[k]), shape=p.shape))


class SGD:
    """Stochastic gradient descent, optionally with momentum."""

    def __init__(self, params, lr=0.1, momentum=0.0):
        if lr <= 0 or not 0 <= momentum < 1:
            raise ValueError(tr("errors.sgd_args", lr=lr, momentum=momentum))
        self.params, self.lr, self.momentum = params, lr, momentum
        self.velocity = {k: np.zeros_like(p) for k, p in params.items()}

    def step(self, grads):
        """Update the parameters in place from ``grads`` (only the parameters' keys are read)."""
        _check_keys(self.params, grads)
        for k, p in self.params.items():
            v = self.velocity[k]
            v *= self.momentum
            v += grads[k]
            p -= self.lr * v


class Adam:
    """Adam with bias correction."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        if lr <= 0 or not all(0 <= b < 1 for b in betas):
            raise ValueError(tr("errors.adam_args", lr=lr, betas=betas))
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = {k: np.zeros_like(p) for k, p in params.items()}
        self.v = {k: np.zeros_like(p) for k, p in params.items()}
        self.t = 0

    def step(self, grads):
        """Update the parameters in place from ``grads`` (only the parameters' keys are read)."""
        _check_keys(self.params, grads)
        b1, b2 = self.betas
        self.t += 1
        lr_t = self.lr * np.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)
        for k, p in self.params.items():
            g, m, v = grads[k], self.m[k], self.v[k]
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * (g * g)
            p -= lr_t * m / (np.sqrt(v) + self.eps)


def global_norm(grads, keys=None):
    """sqrt of the sum of squares of every entry of the gradients (of ``keys``, default all)."""
    keys = grads.keys() if keys is None else keys
    return float(np.sqrt(sum(float(np.sum(np.square(grads[k], dtype=np.float64))) for k in keys)))


def clip_grad_norm(grads, max_norm, keys=None):
    """Scale the gradients (of ``keys``, default all) in place so their global norm is at most max_norm.

    Returns
    -------
    norm : float, the global norm before clipping
    """
    if max_norm <= 0:
        raise ValueError(tr("errors.max_norm", max_norm=max_norm))
    keys = list(grads.keys() if keys is None else keys)
    norm = global_norm(grads, keys)
    if norm > max_norm:
        scale = max_norm / norm
        for k in keys:
            grads[k] *= scale
    return norm
