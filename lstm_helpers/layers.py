"""Stacked and bidirectional recurrent layers over any cell: "rnn", "lstm" or "gru".

Stacked: layer l + 1 reads layer l's hidden states h_t (never its cell state C_t) as its
input sequence; each layer has its own initial state. Bidirectional: each layer has two
cells with their own parameters, one reading x_1 ... x_T and one reading x_T ... x_1;
their outputs are put side by side per step, so the next layer (or the caller) reads
2H features at every step, the forward cell's first.

The output at step t of the backward direction has read x_t ... x_T: at the last step it
has read x_T alone. ``final`` holds each direction's own last state (the backward
direction's is the one after reading x_1), in PyTorch's layout.

Sequences of different lengths, padded at the end to T steps, take ``lengths`` (B,): each
direction then reads only a sequence's real steps, as PyTorch's packed sequences do. The
backward direction starts at each sequence's own last real step, and ``final`` holds the
states after each sequence's real steps. Outputs at padded steps are not meaningful.

    net = layers.init_params("lstm", D, H, rng, num_layers=2, bidirectional=True)
    out, final, cache = layers.forward(net, x)     # out (B, T, 2H); final["h"] (L * 2, B, H)
    grads = layers.backward(dout, cache)           # like net, plus "x" (B, T, D)
"""
import numpy as np

from . import gru, lstm, rnn, shapes
from .i18n import tr

CELLS = {"rnn": rnn, "lstm": lstm, "gru": gru}


def init_params(cell, input_size, hidden_size, rng, num_layers=1, bidirectional=False, **cell_kwargs):
    """Parameters of a stack: {"cell": name, "layers": [{"fwd": params, "bwd": params (bidirectional)}, ...]}.

    Layer 0 reads input_size features; every later layer reads hidden_size, or 2 * hidden_size when
    bidirectional. ``cell_kwargs`` go to the cell's init_params (e.g. forget_bias, dtype).
    """
    if cell not in CELLS:
        raise ValueError(tr("errors.cell_choice", cells=sorted(CELLS), cell=cell))
    if not isinstance(num_layers, (int, np.integer)) or num_layers < 1:
        raise ValueError(tr("errors.num_layers", num_layers=num_layers))
    directions = ("fwd", "bwd") if bidirectional else ("fwd",)
    stack = []
    for layer in range(num_layers):
        d_in = input_size if layer == 0 else hidden_size * len(directions)
        stack.append({d: CELLS[cell].init_params(d_in, hidden_size, rng, **cell_kwargs) for d in directions})
    return {"cell": cell, "layers": stack}


def _check(net):
    if not isinstance(net, dict) or net.get("cell") not in CELLS or not net.get("layers"):
        raise shapes.ShapeError(tr("errors.stack_dict"))
    return CELLS[net["cell"]], net["layers"], len(net["layers"][0])


def run_cell(cell, params, x, state=(), lengths=None):
    """One cell over a sequence, whatever the cell: (h for every step (B, T, H), the final state, the cell's cache).

    cell is the module (rnn, lstm or gru); state is () for zeros, else (h0, c0) or (h0,); the final state
    is (h_T, C_T) for an LSTM, (h_T,) otherwise, or with ``lengths`` (B,) each sequence's state after its
    own last real step.
    """
    if cell is lstm:
        out, cache = lstm.forward(params, x, *state)
        states = (out.h, out.c)
    elif cell is gru:
        out, cache = gru.forward(params, x, *state)
        states = (out.h,)
    else:
        hs, cache = rnn.forward(params, x, *state)
        states = (hs,)
    last = np.full(len(x), x.shape[1] - 1) if lengths is None else lengths - 1
    rows = np.arange(len(x))
    return states[0], tuple(s[rows, last] for s in states), cache


def reverse(x, lengths=None):
    """Each sequence of x (B, T, ...) in reverse order; with ``lengths`` only its first lengths[b] steps
    (the padding stays at the end). Applied twice, it gives x back."""
    if lengths is None:
        return x[:, ::-1]
    t = np.arange(x.shape[1])
    index = np.where(t < lengths[:, None], lengths[:, None] - 1 - t, t)            # (B, T)
    return np.take_along_axis(x, index.reshape(index.shape + (1,) * (x.ndim - 2)), axis=1)


def forward(net, x, initial=None, lengths=None):
    """Run the stack over sequences.

    Parameters
    ----------
    net : from ``init_params``
    x : ndarray of shape (B, T, D)
    initial : dict with "h" (and for an LSTM "c") of shape (L * directions, B, H), optional (zeros)
    lengths : ints of shape (B,), optional: sequences padded at the end, each lengths[b] steps long

    Returns
    -------
    out : ndarray of shape (B, T, H * directions), the last layer's hidden states
    final : dict with "h" (and "c" for an LSTM), each (L * directions, B, H): layer by layer, the
        forward direction first; the backward direction's final state is the one after reading x_1
    cache : what ``backward`` needs
    """
    cell, stack, n_dir = _check(net)
    x = np.asarray(x)
    lengths = shapes.check_lengths(lengths, *x.shape[:2]) if x.ndim == 3 else lengths
    keys = ("h", "c") if cell is lstm else ("h",)
    finals = {k: [] for k in keys}
    caches = []
    inp = x
    for layer, params in enumerate(stack):
        outs, layer_caches = [], {}
        for k, direction in enumerate(("fwd", "bwd")[:n_dir]):
            index = layer * n_dir + k
            state = tuple(initial[key][index] for key in keys) if initial is not None else ()
            seq = inp if direction == "fwd" else reverse(inp, lengths)
            hs, final, cache = run_cell(cell, params[direction], seq, state, lengths)
            outs.append(hs if direction == "fwd" else reverse(hs, lengths))  # back in time order
            layer_caches[direction] = cache
            for key, value in zip(keys, final):
                finals[key].append(value)
        caches.append(layer_caches)
        inp = np.concatenate(outs, axis=-1) if n_dir == 2 else outs[0]
    final = {key: np.stack(values) for key, values in finals.items()}
    return inp, final, (cell, n_dir, caches, lengths)


def backward(dout, cache, dfinal=None):
    """Backpropagation through the stack and through time.

    Parameters
    ----------
    dout : ndarray of shape (B, T, H * directions), dL/d(out)
    cache : from ``forward``
    dfinal : dict like ``final``, optional: dL/d(final states) when the loss reads them

    Returns
    -------
    grads : {"layers": [{"fwd": grads, "bwd": grads}, ...], "x": (B, T, D), "h" (and "c"): the initial
        states' gradients, (L * directions, B, H)}
    """
    cell, n_dir, caches, lengths = cache
    if dfinal is not None and lengths is not None and (lengths < dout.shape[1]).any():
        raise NotImplementedError(tr("errors.padded_final_states"))
    keys = ("h", "c") if cell is lstm else ("h",)
    grads = {"layers": [None] * len(caches)}
    d_init = {key: [None] * (len(caches) * n_dir) for key in keys}
    d_inp = dout
    for layer in range(len(caches) - 1, -1, -1):
        H = d_inp.shape[-1] // n_dir
        layer_grads, d_below = {}, 0.0
        for k, direction in enumerate(("fwd", "bwd")[:n_dir]):
            index = layer * n_dir + k
            dh = d_inp[..., k * H:(k + 1) * H]
            if direction == "bwd":
                dh = reverse(dh, lengths)                                # the order this cell read
            dh = np.array(dh)
            dc_last = None
            if dfinal is not None:
                dh[:, -1] += dfinal["h"][index]
                if cell is lstm:
                    dc_last = dfinal["c"][index]
            if cell is lstm:
                g = lstm.backward(dh, caches[layer][direction], dc_last=dc_last)
            else:
                g = cell.backward(dh, caches[layer][direction])
            dx = g.pop("x")
            d_below = d_below + (dx if direction == "fwd" else reverse(dx, lengths))
            for key in keys:
                d_init[key][index] = g.pop(f"{key}0")
            layer_grads[direction] = g
        grads["layers"][layer] = layer_grads
        d_inp = d_below
    grads["x"] = d_inp
    for key in keys:
        grads[key] = np.stack(d_init[key])
    return grads
