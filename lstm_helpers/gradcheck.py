"""Gradient checking by central differences.

    df/da_k ~ (f(a + eps e_k) - f(a - eps e_k)) / (2 eps)

compared with the analytic gradient by the relative error
||g_num - g|| / (||g_num|| + ||g||). In float64 with eps = 1e-6 a correct
backward pass gives about 1e-9 or less; a wrong one gives 1e-2 or more.

The step eps trades two errors: truncation, f'''(a) eps^2 / 6 from the Taylor
series, which grows like eps^2, and round-off, about u |f| / eps when f is
computed to a relative precision u (machine epsilon), which grows like 1/eps as
eps shrinks. Their sum is smallest near eps ~ u^(1/3): about 6e-6 in float64,
5e-3 in float32 (``errors_by_step`` gives the whole curve).
"""
import numpy as np

from . import lstm
from .i18n import tr


def numerical_gradient(f, a, eps=1e-6):
    """Central-difference gradient of the scalar ``f()`` with respect to the array ``a``.

    ``a`` is perturbed in place, one entry at a time, and restored exactly.

    Parameters
    ----------
    f : callable with no arguments returning a float (it must read ``a``)
    a : float ndarray
    eps : float

    Returns
    -------
    grad : ndarray of the shape of ``a``
    """
    if not (isinstance(a, np.ndarray) and np.issubdtype(a.dtype, np.floating)):
        raise TypeError(tr("errors.gradcheck_array"))
    grad = np.zeros(a.shape, dtype=np.float64)
    it = np.nditer(a, flags=["multi_index"], op_flags=["readwrite"])
    for _ in it:
        k = it.multi_index
        old = a[k].copy()
        a[k] = old + eps
        f_plus = float(f())
        a[k] = old - eps
        f_minus = float(f())
        a[k] = old
        grad[k] = (f_plus - f_minus) / (2 * eps)
    return grad


def rel_error(a, b):
    """||a - b|| / (||a|| + ||b||), and 0 when both are 0."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(tr("errors.compare_shapes", a=a.shape, b=b.shape))
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def check_gradients(f, arrays, grads, eps=1e-6):
    """Relative error of every analytic gradient against central differences.

    Parameters
    ----------
    f : callable with no arguments returning the scalar loss; it must read the
        arrays in ``arrays`` (parameters, inputs, initial states) each time it runs
    arrays : dict name -> float ndarray, perturbed in place and restored
    grads : dict name -> analytic gradient of f with respect to arrays[name]

    Returns
    -------
    errors : dict name -> relative error
    """
    missing = [k for k in arrays if k not in grads]
    if missing:
        raise KeyError(tr("errors.no_analytic", missing=missing))
    return {k: rel_error(numerical_gradient(f, a, eps), grads[k]) for k, a in arrays.items()}


def errors_by_step(f, arrays, grads, eps_values):
    """Relative error of central differences against the analytic gradient, for each step eps.

    Every array counts at once: the numerical gradients of all of them, joined, against the
    analytic ones, joined (``check_gradients`` gives one error per array instead).

    Parameters
    ----------
    f : callable with no arguments returning the scalar loss; it must read the arrays
    arrays : dict name -> float ndarray, perturbed in place and restored
    grads : dict name -> analytic gradient of f with respect to arrays[name]
    eps_values : sequence of floats, the steps to try

    Returns
    -------
    errors : ndarray of shape (len(eps_values),)
    """
    missing = [k for k in arrays if k not in grads]
    if missing:
        raise KeyError(tr("errors.no_analytic", missing=missing))
    analytic = np.concatenate([np.ravel(grads[k]) for k in arrays]).astype(np.float64)
    return np.array([rel_error(np.concatenate([np.ravel(numerical_gradient(f, a, eps)) for a in arrays.values()]),
                               analytic) for eps in eps_values])


def lstm_example(rng, batch_size=2, seq_len=3, input_size=2, hidden_size=2, dtype=np.float64):
    """A small LSTM loss to check: L = the sum over every step of w_t . h_t, so dL/dh = w.

    The parameters, the inputs and w are drawn in float64, in that order, and then cast, so
    the float32 example holds the float64 one's numbers, rounded.

    Parameters
    ----------
    rng : numpy.random.Generator
    batch_size, seq_len, input_size, hidden_size : int, B, T, D, H
    dtype : float dtype of everything, the loss's arithmetic included

    Returns
    -------
    loss : callable with no arguments: the loss at the parameters as they are now
    params : dict from lstm.init_params (perturb them in place: loss reads them)
    grads : dict with the params' keys, from lstm.backward
    """
    p = lstm.init_params(input_size, hidden_size, rng)
    x = rng.standard_normal((batch_size, seq_len, input_size))   # (B, T, D)
    w = rng.standard_normal((batch_size, seq_len, hidden_size))  # (B, T, H)
    p = {k: v.astype(dtype) for k, v in p.items()}
    x, w = x.astype(dtype), w.astype(dtype)

    def loss():
        return np.sum(w * lstm.forward(p, x)[0].h)
    _, cache = lstm.forward(p, x)
    grads = lstm.backward(w, cache)
    return loss, p, {k: grads[k] for k in p}
