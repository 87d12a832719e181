"""Gradient checking by central differences.

    df/da_k ~ (f(a + eps e_k) - f(a - eps e_k)) / (2 eps)

compared with the analytic gradient by the relative error
||g_num - g|| / (||g_num|| + ||g||). In float64 with eps = 1e-6 a correct
backward pass gives about 1e-9 or less; a wrong one gives 1e-2 or more.
"""
import numpy as np


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
        raise TypeError("a must be a float numpy array that f reads")
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
        raise ValueError(f"cannot compare arrays of shapes {a.shape} and {b.shape}")
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
        raise KeyError(f"no analytic gradient given for {missing}")
    return {k: rel_error(numerical_gradient(f, a, eps), grads[k]) for k, a in arrays.items()}
