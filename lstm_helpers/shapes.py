"""Input checks shared by the cells: clear messages that name the expected shapes.

Shape letters used throughout the package:
B batch, T time steps, D input size (features), H hidden size, V vocabulary.

Every check returns a float array in the parameters' dtype and never modifies
the caller's array (numpy may return the caller's array itself when no
conversion is needed; the cells only read it).
"""
import numpy as np


class ShapeError(ValueError):
    """An array has the wrong shape, dtype or values for the cell it is given to."""


def _float_array(a, name, dtype):
    try:
        arr = np.asarray(a)
    except Exception as exc:  # ragged lists and the like
        raise ShapeError(f"{name} could not be turned into an array: {exc}") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ShapeError(f"{name} must hold numbers; got an array of dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise ShapeError(f"{name} must be real; got dtype {arr.dtype}")
    arr = arr.astype(dtype, copy=False)
    if not np.isfinite(arr).all():
        raise ShapeError(f"{name} contains NaN or infinity; every entry must be a finite number")
    return arr


def sizes(p, key, cell):
    """(D, H) of a cell's parameter dict, read from its weight ``key`` of shape (H, H + D)."""
    if not isinstance(p, dict) or key not in p or np.ndim(p[key]) != 2:
        raise ShapeError(f"{cell.upper()} parameters must be a dict with {key} of shape (H, H + D) "
                         f"(make them with {cell}.init_params)")
    H = np.shape(p[key])[0]
    return np.shape(p[key])[1] - H, H


def check_params(p, spec, cell):
    """Check a parameter dict against ``spec`` (key -> expected shape).

    Returns the common float dtype of the parameters.
    """
    if not isinstance(p, dict):
        raise ShapeError(f"{cell} parameters must be a dict with keys {list(spec)}; got {type(p).__name__}")
    missing = [k for k in spec if k not in p]
    if missing:
        raise ShapeError(f"{cell} parameters are missing {missing}; expected the keys {list(spec)} "
                         f"(make them with {cell}.init_params)")
    dtype = np.asarray(p[next(iter(spec))]).dtype
    if not np.issubdtype(dtype, np.floating):
        raise ShapeError(f"{cell} parameters must be float arrays; got dtype {dtype}")
    for k, shape in spec.items():
        a = p[k]
        if not isinstance(a, np.ndarray):
            raise ShapeError(f"{cell} parameter {k} must be a numpy array; got {type(a).__name__}")
        if a.shape != shape:
            raise ShapeError(f"{cell} parameter {k} has shape {a.shape}; expected {shape}")
        if a.dtype != dtype:
            raise ShapeError(f"{cell} parameters must share one dtype; {k} is {a.dtype}, not {dtype}")
        if not np.isfinite(a).all():
            raise ShapeError(f"{cell} parameter {k} contains NaN or infinity (did training diverge? "
                             "try a smaller learning rate or gradient clipping)")
    return dtype


def check_sequence(x, input_size, dtype, name="x"):
    """x : array_like of shape (B, T, D) with D == input_size."""
    x = _float_array(x, name, dtype)
    if x.ndim != 3:
        hint = f"; for one sequence of shape (T, D) use {name}[None]" if x.ndim == 2 else ""
        raise ShapeError(f"{name} must have shape (B, T, D) = (batch, time, features); "
                         f"got shape {x.shape}{hint}")
    B, T, D = x.shape
    if D != input_size:
        raise ShapeError(f"{name} has {D} features but the parameters expect input_size={input_size} "
                         f"({name} has shape {x.shape}; expected (B, T, {input_size}))")
    if B == 0 or T == 0:
        raise ShapeError(f"{name} must hold at least one sequence of at least one step; got shape {x.shape}")
    return x


def check_input(x_t, input_size, dtype, name="x_t"):
    """x_t : array_like of shape (B, D) with D == input_size."""
    x_t = _float_array(x_t, name, dtype)
    if x_t.ndim != 2:
        hint = f"; for a single example of shape (D,) use {name}[None]" if x_t.ndim == 1 else ""
        raise ShapeError(f"{name} must have shape (B, D) = (batch, features); got shape {x_t.shape}{hint}")
    if x_t.shape[1] != input_size:
        raise ShapeError(f"{name} has {x_t.shape[1]} features but the parameters expect "
                         f"input_size={input_size} ({name} has shape {x_t.shape}; expected (B, {input_size}))")
    if x_t.shape[0] == 0:
        raise ShapeError(f"{name} must hold at least one example; got shape {x_t.shape}")
    return x_t


def check_state(s, batch, hidden_size, dtype, name):
    """A state (h or c), or its zeros when ``s`` is None: shape (B, H)."""
    if s is None:
        return np.zeros((batch, hidden_size), dtype=dtype)
    s = _float_array(s, name, dtype)
    if s.shape != (batch, hidden_size):
        raise ShapeError(f"{name} must have shape (B, H) = ({batch}, {hidden_size}) to match the input's "
                         f"batch and the parameters' hidden_size; got shape {s.shape}")
    return s


def check_grad(d, shape, dtype, name):
    """An upstream gradient of a known shape."""
    d = _float_array(d, name, dtype)
    if d.shape != shape:
        raise ShapeError(f"{name} must have shape {shape}, the shape of what it is the gradient of; "
                         f"got shape {d.shape}")
    return d


def check_force(force, ranges, batch, hidden_size, dtype, example):
    """Gates fixed by hand, checked: {name: (B, H) array}, or None when nothing is forced.

    ``ranges`` maps each gate that may be forced to its (low, high); ``example`` is shown when force is no dict.
    """
    if not force:
        return None
    if not isinstance(force, dict):
        raise TypeError(f"force must be a dict like {example}; got {type(force).__name__}")
    checked = {}
    for name, value in force.items():
        if name not in ranges:
            raise ValueError(f"force can fix the gates {sorted(ranges)}; got {name!r}")
        lo, hi = ranges[name]
        v = np.asarray(value, dtype=dtype)
        if not np.all((v >= lo) & (v <= hi)):
            raise ValueError(f"a forced {name} must lie in [{lo:g}, {hi:g}]; got {value!r}")
        try:
            checked[name] = np.broadcast_to(v, (batch, hidden_size))
        except ValueError:
            raise ShapeError(f"force[{name!r}] must be a number or broadcast to (B, H) = ({batch}, {hidden_size}); "
                             f"got shape {v.shape}") from None
    return checked


def check_lengths(lengths, batch, steps):
    """Each sequence's own length, for right-padded sequences: ints of shape (B,), each in [1, T]; None stays None."""
    if lengths is None:
        return None
    a = np.asarray(lengths)
    if a.shape != (batch,) or not np.issubdtype(a.dtype, np.integer) or (a.size and (a.min() < 1 or a.max() > steps)):
        raise ShapeError(f"lengths must be whole numbers of shape (B,) = ({batch},), each between 1 and T = {steps} "
                         f"(how many steps of each right-padded sequence are real); got {lengths!r:.80}")
    return a
