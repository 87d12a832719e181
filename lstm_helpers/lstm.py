"""The LSTM cell: init_params, step, forward, backward.

With [h_{t-1}, x_t] the concatenation of the previous hidden state and the input
(hidden state first, as in the tutorial):

    f_t  = sigmoid(W_f [h_{t-1}, x_t] + b_f)      forget gate   (遗忘门)
    i_t  = sigmoid(W_i [h_{t-1}, x_t] + b_i)      input gate    (输入门)
    C~_t = tanh(W_c [h_{t-1}, x_t] + b_c)         candidate, called g in code (not a gate: range (-1, 1))
    C_t  = f_t * C_{t-1} + i_t * C~_t             new cell state (细胞状态)
    o_t  = sigmoid(W_o [h_{t-1}, x_t] + b_o)      output gate   (输出门)
    h_t  = o_t * tanh(C_t)                        hidden state / output

Hochreiter & Schmidhuber (1997) without the forget gate; the forget gate is from
Gers, Schmidhuber & Cummins (2000). Each W_* has shape (H, H + D): its first H
columns act on h_{t-1}, the last D on x_t. Biases have shape (H,).

Three variants are options of the same cell (``init_params``), and the parameters say
which cell they are, so every function here computes the variant it is given:

    forget_gate=False   the 1997 cell: f_t = 1, no W_f, b_f
    coupled=True        i_t = 1 - f_t: the cell writes as much as it forgets; no W_i, b_i
    peepholes=True      (Gers & Schmidhuber 2000) the gates also read the cell state through
                        element-wise weights p_f, p_i, p_o of shape (H,): f_t and i_t add
                        p * C_{t-1} to their pre-activation, o_t adds p_o * C_t

For speed the four weights are stacked once per call into one (4H, H + D)
matrix, the input's contribution for all steps is one matmul, the weight
gradients of all steps are one matmul after the backward loop, and the loop over
time does only what must be sequential. The stacked order inside is f, i, o, g
(the three sigmoids side by side); the public names never depend on it. Inside
forward and backward, each step's arrays are kept feature-major, (4H, B) and
(H, B), so that every gate is one contiguous block (about 2x faster elementwise
work at teaching sizes); what callers see is always (B, ...).
"""
from typing import NamedTuple

import numpy as np

from . import initializers, shapes
from .activations import sigmoid_into
from .i18n import tr

PARAM_KEYS = ("W_f", "b_f", "W_i", "b_i", "W_c", "b_c", "W_o", "b_o")  # the standard cell
PEEPHOLE_KEYS = ("p_f", "p_i", "p_o")
_STACK = ("f", "i", "o", "c")  # order of the gates in the stacked weight
_ROWS = {"f": 0, "i": 1, "o": 2, "g": 3}  # block of each activation in the stacked (4H, B) arrays
FORCE_RANGES = {"f": (0.0, 1.0), "i": (0.0, 1.0), "o": (0.0, 1.0), "g": (-1.0, 1.0)}


class LSTMRecord(NamedTuple):
    """What the cell computed. From ``step`` each field is (B, H); from ``forward`` (B, T, H)."""
    f: np.ndarray  # forget gate, in (0, 1)
    i: np.ndarray  # input gate, in (0, 1)
    g: np.ndarray  # candidate C~, in (-1, 1)
    o: np.ndarray  # output gate, in (0, 1)
    c: np.ndarray  # cell state C
    h: np.ndarray  # hidden state h = o * tanh(C)


def init_params(input_size, hidden_size, rng, forget_bias=1.0, recurrent_init="orthogonal",
                dtype=np.float64, forget_gate=True, coupled=False, peepholes=False):
    """Fresh LSTM parameters.

    Parameters
    ----------
    input_size : int, D
    hidden_size : int, H
    rng : numpy.random.Generator
    forget_bias : float
        Initial value of b_f. 1.0 (Jozefowicz et al. 2015) starts f near 0.73;
        larger values start the cell remembering longer.
    recurrent_init : "orthogonal" or "uniform"
        How the first H columns of each W are drawn (see ``initializers``).
    dtype : float dtype
    forget_gate, coupled, peepholes : bool
        The variants (see the module's text). A variant draws the same numbers as the standard
        cell from ``rng`` and keeps the blocks it has, so with one seed the cells share them.
        Peephole weights start at 0, where the cell computes what it would without them.

    Returns
    -------
    params : dict of W_f, W_i, W_c, W_o of shape (H, H + D) and b_f, b_i, b_c, b_o of shape (H,)
        (without W_f, b_f when forget_gate=False; without W_i, b_i when coupled), and with
        peepholes p_f, p_i, p_o of shape (H,) for the gates the cell has
    """
    if coupled and not forget_gate:
        raise ValueError(tr("errors.coupled_needs_forget"))
    p = {}
    for gate in ("f", "i", "c", "o"):
        p[f"W_{gate}"] = initializers.recurrent_weight(input_size, hidden_size, rng, recurrent_init, dtype)
        p[f"b_{gate}"] = np.zeros(hidden_size, dtype=dtype)
    p["b_f"][:] = forget_bias
    dropped = ("f",) * (not forget_gate) + ("i",) * coupled
    p = {k: v for k, v in p.items() if k[2:] not in dropped}
    if peepholes:
        for gate in ("f", "i", "o"):
            if gate not in dropped:
                p[f"p_{gate}"] = np.zeros(hidden_size, dtype=dtype)
    return p


class _Variant(NamedTuple):
    """Which cell a parameter dict is: the standard one is (True, True, None)."""
    forget_gate: bool
    input_gate: bool                  # False: coupled, i = 1 - f
    peep: tuple = None                # (p_f, p_i, p_o) as (H, 1) columns, None for a gate without one


def variant(p):
    """The variant a parameter dict holds: (forget_gate, coupled, peepholes), each a bool."""
    v = _variant(p)
    return v.forget_gate, not v.input_gate, v.peep is not None


def _variant(p):
    has_f, has_i = "W_f" in p, "W_i" in p
    if not has_f and not has_i:
        raise shapes.ShapeError(tr("errors.lstm_needs_gate"))
    peep_keys = [k for k in PEEPHOLE_KEYS if k in p]
    if not peep_keys:
        return _Variant(has_f, has_i)
    expected = [k for k, has in zip(PEEPHOLE_KEYS, (has_f, has_i, True)) if has]
    if peep_keys != expected:
        raise shapes.ShapeError(tr("errors.peepholes", expected=expected, got=peep_keys))
    return _Variant(has_f, has_i, tuple(np.asarray(p[k])[:, None] if k in p else None for k in PEEPHOLE_KEYS))


def sizes(p):
    """(D, H): input size and hidden size of a parameter dict."""
    return shapes.sizes(p, "W_c", "lstm")


def _stacked(p):
    """Check ``p`` and stack it: W (4H, H + D), b (4H,), in the order f, i, o, g, and its variant.
    A gate the variant lacks gets a block of zeros (its value is set, not computed)."""
    D, H = sizes(p)
    v = _variant(p)
    spec = {}
    for gate in ("c", "o", "f", "i"):
        if f"W_{gate}" in p or gate in ("c", "o"):
            spec[f"W_{gate}"] = (H, H + D)
            spec[f"b_{gate}"] = (H,)
    for k in PEEPHOLE_KEYS:
        if k in p:
            spec[k] = (H,)
    dtype = shapes.check_params(p, spec, "lstm")
    W = np.concatenate([p[f"W_{g}"] if f"W_{g}" in p else np.zeros((H, H + D), dtype) for g in _STACK])
    b = np.concatenate([p[f"b_{g}"] if f"b_{g}" in p else np.zeros(H, dtype) for g in _STACK])
    return W, b, D, H, dtype, v


def _activate(z, c_prev, c, tc, h, H, force=None, v=_Variant(True, True)):
    """Turn pre-activations into gates and the new states, in place, feature-major.

    z (4H, B) becomes [f; i; o; g]; writes c, tc = tanh(c) and h, each (H, B).
    ``force`` maps gate names to (H, B) values that replace the computed ones (a cell without
    a forget gate has f forced to 1); ``v`` is the variant. The caller silences exp's overflow
    (see activations.sigmoid_into).
    """
    p_f, p_i, p_o = v.peep or (None, None, None)
    if p_f is not None:
        z[:H] += p_f * c_prev                # peepholes: f and i read C_{t-1}
    if p_i is not None:
        z[H:2 * H] += p_i * c_prev
    late_o = p_o is not None                 # o reads C_t, so it waits for it
    sigmoid_into(z[:2 * H] if late_o else z[:3 * H], out=z[:2 * H] if late_o else z[:3 * H])  # f, i (, o)
    np.tanh(z[3 * H:], out=z[3 * H:])  # g
    if force:
        for name, value in force.items():
            if not (late_o and name == "o"):
                k = _ROWS[name]
                z[k * H:(k + 1) * H] = value
    f, i, o, g = z[:H], z[H:2 * H], z[2 * H:3 * H], z[3 * H:]
    if not v.input_gate:
        np.subtract(1.0, f, out=i)           # coupled: i = 1 - f
    np.multiply(f, c_prev, out=c)
    np.multiply(i, g, out=h)  # h as scratch space
    c += h                    # C_t = f * C_{t-1} + i * C~_t
    if late_o:
        o += p_o * c
        sigmoid_into(o, out=o)
        if force and "o" in force:
            o[:] = force["o"]
    np.tanh(c, out=tc)
    np.multiply(o, tc, out=h)  # h_t = o * tanh(C_t)


def _record(gates, c, h, H):
    """An LSTMRecord from stacked gates [f, i, o, g] along the last axis."""
    return LSTMRecord(f=gates[..., :H], i=gates[..., H:2 * H], g=gates[..., 3 * H:],
                      o=gates[..., 2 * H:3 * H], c=c, h=h)


def _check_force(force, B, H, dtype):
    """Forced gate values as (H, B) arrays, keyed by gate name."""
    checked = shapes.check_force(force, FORCE_RANGES, B, H, dtype, "{'f': 1.0, 'i': 0.0}")
    return checked and {name: v.T for name, v in checked.items()}


def _forces(force, B, H, dtype, v):
    """The checked forced gates, with what the variant fixes: a cell without a forget gate has f = 1."""
    checked = _check_force(force, B, H, dtype) or {}
    if not v.input_gate and "i" in checked:
        raise ValueError(tr("errors.coupled_force_i"))
    if not v.forget_gate and "f" not in checked:
        checked["f"] = np.ones((H, B), dtype)
    return checked or None


def step(p, x_t, h_prev, c_prev, force=None):
    """One LSTM step.

    Parameters
    ----------
    p : dict from ``init_params``
    x_t : ndarray of shape (B, D)
    h_prev, c_prev : ndarray of shape (B, H)
    force : dict, optional
        Gates fixed by hand instead of computed, e.g. {"f": 1.0, "i": 0.0} for a
        cell that never forgets and never writes; keys f, i, o (in [0, 1]) and
        g (in [-1, 1]), values numbers or arrays broadcastable to (B, H).

    Returns
    -------
    LSTMRecord of f, i, g, o, c, h, each of shape (B, H)
    """
    W, b, D, H, dtype, v = _stacked(p)
    x_t = shapes.check_input(x_t, D, dtype)
    B = x_t.shape[0]
    h_prev = shapes.check_state(h_prev, B, H, dtype, "h_prev")
    c_prev = shapes.check_state(c_prev, B, H, dtype, "c_prev")
    z = W[:, :H] @ h_prev.T + W[:, H:] @ x_t.T + b[:, None]  # (4H, B)
    c, tc, h = (np.empty((H, B), dtype) for _ in range(3))
    with np.errstate(over="ignore"):  # exp(-z) = inf for z << 0 gives sigmoid's limit 0
        _activate(z, c_prev.T, c, tc, h, H, _forces(force, B, H, dtype, v), v)
    return _record(z.T, c.T, h.T, H)


def forward(p, x, h0=None, c0=None, force=None):
    """Run the LSTM over whole sequences.

    Parameters
    ----------
    p : dict from ``init_params``
    x : ndarray of shape (B, T, D)
    h0, c0 : ndarray of shape (B, H), optional (zeros when None)
    force : dict, optional
        Gates fixed by hand at every step (see ``step``); backward treats them as constants.

    Returns
    -------
    out : LSTMRecord of f, i, g, o, c, h, each of shape (B, T, H)
    cache : what ``backward`` needs
    """
    W, b, D, H, dtype, v = _stacked(p)
    x = shapes.check_sequence(x, D, dtype)
    B, T, _ = x.shape
    h0 = shapes.check_state(h0, B, H, dtype, "h0")
    c0 = shapes.check_state(c0, B, H, dtype, "c0")
    force = _forces(force, B, H, dtype, v)

    xs = np.ascontiguousarray(x.transpose(1, 0, 2))  # (T, B, D) time-major, kept for backward
    Z = np.matmul(W[:, H:], xs.transpose(0, 2, 1))    # (T, 4H, B) the input's part of every step, one call
    Z += b[:, None]
    Wh = np.ascontiguousarray(W[:, :H])   # (4H, H)
    Hs = np.empty((T + 1, H, B), dtype)   # Hs[0] = h0, Hs[t + 1] = h_t
    Cs = np.empty((T + 1, H, B), dtype)
    TC = np.empty((T, H, B), dtype)       # tanh(C_t), kept for backward
    Hs[0], Cs[0] = h0.T, c0.T
    rec = np.empty((4 * H, B), dtype)     # the recurrent part of one step
    with np.errstate(over="ignore"):      # exp(-z) = inf for z << 0 gives sigmoid's limit 0
        for t in range(T):
            np.matmul(Wh, Hs[t], out=rec)     # (4H, B)
            Z[t] += rec
            _activate(Z[t], Cs[t], Cs[t + 1], TC[t], Hs[t + 1], H, force, v)

    out = _record(Z.transpose(2, 0, 1), Cs[1:].transpose(2, 0, 1), Hs[1:].transpose(2, 0, 1), H)
    cache = (xs, W, Z, Hs, Cs, TC, tuple(force or ()), (v, tuple(p)))
    return out, cache


def backward(dh, cache, dc_last=None, states=False, input_grad=True):
    """Backpropagation through time.

    Parameters
    ----------
    dh : ndarray of shape (B, T, H)
        dL/dh_t for every step, from whatever reads the hidden states.
    cache : from ``forward``
    dc_last : ndarray of shape (B, H), optional
        dL/dC_T when the loss also reads the final cell state.
    states : bool
        Also return dL/dh_t and dL/dC_t for every step (keys h and c, shape (B, T, H)):
        how strongly the loss depends on each step's state (gradient flow). dL/dC_t
        counts every use of C_t, h_t = o_t tanh(C_t) included.
    input_grad : bool
        False skips dL/dx (key x), e.g. for a one-hot input whose gradient nothing reads.

    Returns
    -------
    grads : dict with dW_f ... under the parameters' keys (W_f, b_f, ...), x (B, T, D) (with
        ``input_grad``), h0 and c0 (B, H); with ``states``, also h and c (B, T, H)
    """
    xs, W, A, Hs, Cs, TC, forced, (v, keys) = cache
    p_f, p_i, p_o = v.peep or (None, None, None)
    T, B, D = xs.shape
    H = Hs.shape[1]
    dtype = W.dtype
    dhs = shapes.check_grad(dh, (B, T, H), dtype, "dh")
    dhs = np.ascontiguousarray(dhs.transpose(1, 2, 0))  # (T, H, B)
    dc = np.zeros((H, B), dtype)           # dL/dC_t
    if dc_last is not None:
        dc[:] = shapes.check_grad(dc_last, (B, H), dtype, "dc_last").T

    Wh_T = np.ascontiguousarray(W[:, :H].T)  # (H, 4H)
    dZ = np.empty_like(A)                  # dL/d(pre-activations), (T, 4H, B)
    dh_next = np.zeros((H, B), dtype)      # dL/dh_t through h_t's later uses
    dht = np.empty((H, B), dtype)
    tmp = np.empty((H, B), dtype)
    dsig = np.empty((3 * H, B), dtype)
    if states:
        dH_all, dC_all = np.empty((T, H, B), dtype), np.empty((T, H, B), dtype)
    for t in range(T - 1, -1, -1):
        a, tc = A[t], TC[t]
        f, i, o, g = a[:H], a[H:2 * H], a[2 * H:3 * H], a[3 * H:]
        np.add(dhs[t], dh_next, out=dht)                # dL/dh_t
        np.multiply(tc, tc, out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        tmp *= o
        tmp *= dht
        dc += tmp                                       # dL/dC_t: + dh_t o (1 - tanh^2 C_t)
        dz = dZ[t]
        np.multiply(dht, tc, out=dz[2 * H:3 * H])       # dL/do
        if p_o is not None:                             # peephole: o read C_t
            dz[2 * H:3 * H] *= o * (1.0 - o)
            if "o" in forced:
                dz[2 * H:3 * H] = 0.0
            dc += dz[2 * H:3 * H] * p_o
        if states:
            dH_all[t], dC_all[t] = dht, dc
        np.multiply(dc, Cs[t], out=dz[:H])              # dL/df
        np.multiply(dc, g, out=dz[H:2 * H])             # dL/di
        np.multiply(dc, i, out=dz[3 * H:])              # dL/dg
        if not v.input_gate:                            # coupled: i = 1 - f, so dL/df gains -dL/di
            dz[:H] -= dz[H:2 * H]
            dz[H:2 * H] = 0.0
        if p_o is None:
            np.subtract(1.0, a[:3 * H], out=dsig)
            dsig *= a[:3 * H]
            dz[:3 * H] *= dsig                          # sigma' = s (1 - s)
        else:
            dz[:2 * H] *= a[:2 * H] * (1.0 - a[:2 * H])
        np.multiply(g, g, out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        dz[3 * H:] *= tmp                               # tanh' = 1 - g^2
        for name in forced:                             # a gate fixed by hand is a constant
            dz[_ROWS[name] * H:(_ROWS[name] + 1) * H] = 0.0
        dc *= f                                         # to C_{t-1}
        if p_f is not None:                             # peepholes: f and i read C_{t-1}
            dc += dz[:H] * p_f
        if p_i is not None:
            dc += dz[H:2 * H] * p_i
        np.matmul(Wh_T, dz, out=dh_next)                # to h_{t-1}

    # Every dz_t is known now, so the weight gradients, sums of dz_t [h_{t-1}, x_t]^T over all steps
    # and rows, are one matrix product each: far faster than a product per step inside the loop at
    # B = 1, and no slower at B = 32 (benchmarks/lstm_speed.py measures both).
    dZ2 = dZ.transpose(0, 2, 1).reshape(T * B, 4 * H)  # one row per (step, example)
    Hprev = Hs[:T].transpose(0, 2, 1).reshape(T * B, H)  # h_{t-1}, the same rows
    dW = np.concatenate([dZ2.T @ Hprev, dZ2.T @ xs.reshape(T * B, D)], axis=1)  # (4H, H+D)
    db = dZ2.sum(axis=0)                                # (4H,)

    grads = {}
    for k, gate in enumerate(_STACK):
        grads[f"W_{gate}"] = dW[k * H:(k + 1) * H]
        grads[f"b_{gate}"] = db[k * H:(k + 1) * H]
    if v.peep is not None:                              # dp = sum over steps and rows of dz * the C it read
        grads["p_f"] = np.einsum("thb,thb->h", dZ[:, :H], Cs[:T])
        grads["p_i"] = np.einsum("thb,thb->h", dZ[:, H:2 * H], Cs[:T])
        grads["p_o"] = np.einsum("thb,thb->h", dZ[:, 2 * H:3 * H], Cs[1:])
    grads = {key: grads[key] for key in keys}
    if input_grad:
        grads["x"] = (dZ2 @ W[:, H:]).reshape(T, B, D).transpose(1, 0, 2)  # dz_t W_x, (B, T, D)
    grads["h0"] = np.ascontiguousarray(dh_next.T)
    grads["c0"] = np.ascontiguousarray(dc.T)
    if states:
        grads["h"] = dH_all.transpose(2, 0, 1)
        grads["c"] = dC_all.transpose(2, 0, 1)
    return grads
