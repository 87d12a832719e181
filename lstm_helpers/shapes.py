"""Input checks shared by the cells: clear messages that name the expected shapes.

Shape letters used throughout the package:
B batch, T time steps, D input size (features), H hidden size, V vocabulary.

Every check returns a float array in the parameters' dtype and never modifies
the caller's array (numpy may return the caller's array itself when no
conversion is needed; the cells only read it).
"""
import numpy as np

from .i18n import tr


class ShapeError(ValueError):
    """An array has the wrong shape, dtype or values for the cell it is given to."""


def _float_array(a, name, dtype):
    try:
        arr = np.asarray(a)
    except Exception as exc:  # ragged lists and the like
        raise ShapeError(tr("errors.not_array", name=name, exc=exc)) from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ShapeError(tr("errors.not_numbers", name=name, dtype=arr.dtype))
    if np.iscomplexobj(arr):
        raise ShapeError(tr("errors.not_real", name=name, dtype=arr.dtype))
    arr = arr.astype(dtype, copy=False)
    if not np.isfinite(arr).all():
        raise ShapeError(tr("errors.not_finite", name=name))
    return arr


def sizes(p, key, cell):
    """(D, H) of a cell's parameter dict, read from its weight ``key`` of shape (H, H + D)."""
    if not isinstance(p, dict) or key not in p or np.ndim(p[key]) != 2:
        raise ShapeError(tr("errors.params_weight", CELL=cell.upper(), param=key, cell=cell))
    H = np.shape(p[key])[0]
    return np.shape(p[key])[1] - H, H


def check_params(p, spec, cell):
    """Check a parameter dict against ``spec`` (key -> expected shape).

    Returns the common float dtype of the parameters.
    """
    if not isinstance(p, dict):
        raise ShapeError(tr("errors.params_not_dict", cell=cell, keys=list(spec), type=type(p).__name__))
    missing = [k for k in spec if k not in p]
    if missing:
        raise ShapeError(tr("errors.params_missing", cell=cell, missing=missing, keys=list(spec)))
    dtype = np.asarray(p[next(iter(spec))]).dtype
    if not np.issubdtype(dtype, np.floating):
        raise ShapeError(tr("errors.params_not_float", cell=cell, dtype=dtype))
    for k, shape in spec.items():
        a = p[k]
        if not isinstance(a, np.ndarray):
            raise ShapeError(tr("errors.param_not_array", cell=cell, param=k, type=type(a).__name__))
        if a.shape != shape:
            raise ShapeError(tr("errors.param_shape", cell=cell, param=k, shape=a.shape, expected=shape))
        if a.dtype != dtype:
            raise ShapeError(tr("errors.params_dtype", cell=cell, param=k, dtype=a.dtype, expected=dtype))
        if not np.isfinite(a).all():
            raise ShapeError(tr("errors.param_not_finite", cell=cell, param=k))
    return dtype


def check_sequence(x, input_size, dtype, name="x"):
    """x : array_like of shape (B, T, D) with D == input_size."""
    x = _float_array(x, name, dtype)
    if x.ndim != 3:
        hint = tr("errors.sequence_hint", name=name) if x.ndim == 2 else ""
        raise ShapeError(tr("errors.sequence_rank", name=name, shape=x.shape, hint=hint))
    B, T, D = x.shape
    if D != input_size:
        raise ShapeError(tr("errors.sequence_features", name=name, D=D, input_size=input_size, shape=x.shape))
    if B == 0 or T == 0:
        raise ShapeError(tr("errors.sequence_empty", name=name, shape=x.shape))
    return x


def check_input(x_t, input_size, dtype, name="x_t"):
    """x_t : array_like of shape (B, D) with D == input_size."""
    x_t = _float_array(x_t, name, dtype)
    if x_t.ndim != 2:
        hint = tr("errors.input_hint", name=name) if x_t.ndim == 1 else ""
        raise ShapeError(tr("errors.input_rank", name=name, shape=x_t.shape, hint=hint))
    if x_t.shape[1] != input_size:
        raise ShapeError(tr("errors.input_features", name=name, D=x_t.shape[1], input_size=input_size, shape=x_t.shape))
    if x_t.shape[0] == 0:
        raise ShapeError(tr("errors.input_empty", name=name, shape=x_t.shape))
    return x_t


def check_state(s, batch, hidden_size, dtype, name):
    """A state (h or c), or its zeros when ``s`` is None: shape (B, H)."""
    if s is None:
        return np.zeros((batch, hidden_size), dtype=dtype)
    s = _float_array(s, name, dtype)
    if s.shape != (batch, hidden_size):
        raise ShapeError(tr("errors.state_shape", name=name, batch=batch, hidden_size=hidden_size, shape=s.shape))
    return s


def check_grad(d, shape, dtype, name):
    """An upstream gradient of a known shape."""
    d = _float_array(d, name, dtype)
    if d.shape != shape:
        raise ShapeError(tr("errors.grad_shape", name=name, expected=shape, shape=d.shape))
    return d


def check_force(force, ranges, batch, hidden_size, dtype, example):
    """Gates fixed by hand, checked: {name: (B, H) array}, or None when nothing is forced.

    ``ranges`` maps each gate that may be forced to its (low, high); ``example`` is shown when force is no dict.
    """
    if not force:
        return None
    if not isinstance(force, dict):
        raise TypeError(tr("errors.force_type", example=example, type=type(force).__name__))
    checked = {}
    for name, value in force.items():
        if name not in ranges:
            raise ValueError(tr("errors.force_gate", gates=sorted(ranges), name=name))
        lo, hi = ranges[name]
        v = np.asarray(value, dtype=dtype)
        if not np.all((v >= lo) & (v <= hi)):
            raise ValueError(tr("errors.force_range", name=name, lo=lo, hi=hi, value=value))
        try:
            checked[name] = np.broadcast_to(v, (batch, hidden_size))
        except ValueError:
            raise ShapeError(tr("errors.force_shape", name=name, batch=batch, hidden_size=hidden_size,
                                shape=v.shape)) from None
    return checked


def check_lengths(lengths, batch, steps):
    """Each sequence's own length, for right-padded sequences: ints of shape (B,), each in [1, T]; None stays None."""
    if lengths is None:
        return None
    a = np.asarray(lengths)
    if a.shape != (batch,) or not np.issubdtype(a.dtype, np.integer) or (a.size and (a.min() < 1 or a.max() > steps)):
        raise ShapeError(tr("errors.lengths", batch=batch, steps=steps, lengths=lengths))
    return a
