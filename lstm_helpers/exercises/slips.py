"""The cells computed the wrong ways students compute them, to name a slip when an answer matches one.

A checker compares an answer with the package's own math first; only when they differ does
it compare with the values below, each of which is the right computation with one slip:
[x_t, h_{t-1}] instead of [h_{t-1}, x_t], the other activation, no activation, no bias, the
bias outside the activation, one input left out, the sigmoid's sign flipped; for the LSTM
also f_t and i_t swapped, a missing gate in the update, C_t squashed, tanh(o_t * C_t) instead
of o_t * tanh(C_t), the old state read out, and so on. The messages name the slip without
giving the whole answer. With no slip switched on, ``layer`` and ``lstm_gates``/``update``/
``readout`` equal the package's cells (tests/test_exercises_common.py checks it).
"""
import numpy as np

from ..activations import sigmoid

ACTS = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "identity": lambda z: z,
    "flipped sigmoid": lambda z: sigmoid(-z),  # 1 / (1 + exp(z)): the sign in the exponent lost
}
RANGE = {"sigmoid": "values between 0 and 1", "tanh": "values between -1 and 1"}
THE = {"sigmoid": "the sigmoid", "tanh": "tanh"}
ORDER_SLIP = ("the concatenation is [h_{t-1}, x_t], hidden state first: the first H columns of each W act on "
              "h_{t-1}, the last D on x_t")


def layer(W, b, x, h, act=sigmoid, order="hx", bias=True, use_h=True, use_x=True, bias_outside=False):
    """act(W [h, x] + b) for rows x (..., D) and h (..., H), with the slips switched by the keywords."""
    H = W.shape[0]
    D = W.shape[1] - H
    W_h, W_x = (W[:, :H], W[:, H:]) if order == "hx" else (W[:, D:], W[:, :D])  # [x, h] reads W the other way
    z = np.zeros(np.broadcast_shapes(np.shape(h)[:-1], np.shape(x)[:-1]) + (H,))
    if use_h:
        z = z + h @ W_h.T
    if use_x:
        z = z + x @ W_x.T
    if bias and not bias_outside:
        z = z + b
    out = act(z)
    return out + b if bias_outside else out


def layer_slips(W, b, x, h, act="sigmoid", name="a gate", bias_name="b"):
    """(value, explanation) for the slips of one layer act(W [h_{t-1}, x_t] + b)."""
    right = ACTS[act]
    other = "tanh" if act == "sigmoid" else "sigmoid"
    slips = [
        (layer(W, b, x, h, right, order="xh"), ORDER_SLIP),
        (layer(W, b, x, h, ACTS[other]), f"{name} uses {THE[act]} ({RANGE[act]}), not {THE[other]}"),
        (layer(W, b, x, h, ACTS["identity"]), f"the activation ({THE[act]}) is missing"),
        (layer(W, b, x, h, right, bias=False), f"the bias {bias_name} is missing"),
        (layer(W, b, x, h, right, bias_outside=True), f"the bias {bias_name} is added inside {THE[act]}, "
                                                      "before it is applied"),
        (layer(W, b, x, h, right, use_h=False), "h_{t-1} is missing: the layer reads [h_{t-1}, x_t], both"),
        (layer(W, b, x, h, right, use_x=False), "x_t is missing: the layer reads [h_{t-1}, x_t], both"),
    ]
    if act == "sigmoid":
        slips.append((layer(W, b, x, h, ACTS["flipped sigmoid"]),
                      "that is 1 - sigmoid(z): mind the sign, sigmoid(z) = 1 / (1 + exp(-z)) grows with z"))
    return slips


# --- the LSTM ---

RIGHT = {"f": "sigmoid", "i": "sigmoid", "c": "tanh", "o": "sigmoid"}
WORD = {"f": "the forget gate f_t", "i": "the input gate i_t", "c": "the candidate C~_t", "o": "the output gate o_t"}


def lstm_gates(p, x, h, order="hx", acts=None, no_bias=()):
    """The four layers {f, i, c, o} (c is the candidate), each act(W_k [h, x] + b_k), with slips."""
    acts = {**RIGHT, **(acts or {})}
    return {k: layer(p[f"W_{k}"], p[f"b_{k}"], x, h, ACTS[acts[k]], order=order, bias=k not in no_bias)
            for k in "fico"}


def update(g, c_prev):
    """C_t = f_t * C_{t-1} + i_t * C~_t."""
    return g["f"] * c_prev + g["i"] * g["c"]


def readout(g, c):
    """h_t = o_t * tanh(C_t)."""
    return g["o"] * np.tanh(c)


def gate_slips(p, x, h, keys="fic"):
    """(gates, explanation) for the slips in the layers ``keys`` (those the value at hand depends on)."""
    out = [(lstm_gates(p, x, h, order="xh"), ORDER_SLIP)]
    for k in keys:
        other = "tanh" if RIGHT[k] == "sigmoid" else "sigmoid"
        what = (f"{WORD[k]} is a gate: it uses the sigmoid (values between 0 and 1), not tanh" if other == "tanh"
                else "the candidate C~_t is not a gate: it uses tanh (values between -1 and 1), not the sigmoid")
        out.append((lstm_gates(p, x, h, acts={k: other}), what))
        out.append((lstm_gates(p, x, h, no_bias=k), f"the bias b_{k} of {WORD[k]} is missing"))
    if len(keys) > 1:
        gates = [k for k in keys if RIGHT[k] == "sigmoid"]
        out.append((lstm_gates(p, x, h, acts={k: "tanh" for k in gates}),
                    "the gates use the sigmoid (values between 0 and 1), not tanh"))
        if "c" in keys:
            swapped = {"c": "sigmoid", **{k: "tanh" for k in gates}}
            out.append((lstm_gates(p, x, h, acts=swapped), "the sigmoid and tanh are the wrong way round: the gates "
                                                          "use the sigmoid, the candidate tanh"))
        out.append((lstm_gates(p, x, h, no_bias=keys), "the biases are missing"))
    return out


def update_slips(f, i, g, c_prev):
    """(C_t, explanation) for the common slips in C_t = f_t * C_{t-1} + i_t * C~_t, given the gates."""
    return [
        (i * c_prev + f * g, "f_t and i_t are swapped: the forget gate scales the old state C_{t-1}, the input "
                             "gate the candidate"),
        (c_prev + i * g, "the old state is scaled by the forget gate f_t"),
        (f * c_prev + g, "the candidate is scaled by the input gate i_t"),
        (f * c_prev + i, "what is written is i_t times the candidate C~_t, not i_t alone"),
        (f * c_prev * i * g, "the kept part and the written part are added, not multiplied"),
        (np.tanh(f * c_prev + i * g), "C_t is not squashed: only h_t = o_t * tanh(C_t) is"),
        ((1 - f) * c_prev + i * g, "f_t is the fraction kept (f = 1 keeps everything), not the fraction forgotten"),
        (f * c_prev + (1 - f) * g, "the candidate is scaled by its own gate i_t, not by 1 - f_t "
                                   "(coupled gates are a variant, not our cell)"),
        (f * c_prev + i * np.tanh(g), "the candidate already went through tanh once; a second tanh is too many"),
        (f * c_prev - i * g, "the written part is added, not subtracted"),
    ]


def cell_slips(p, x, h, c_prev):
    """(C_t, explanation) for the common slips in computing the new cell state from the parameters."""
    g = lstm_gates(p, x, h)
    slips = [(update(gates, c_prev), why) for gates, why in gate_slips(p, x, h, "fic")]
    slips += update_slips(g["f"], g["i"], g["c"], c_prev)
    slips += [(update(lstm_gates(p, x, c_prev), h), "h_prev and c_prev are swapped: the layers read h_{t-1}, "
                                                    "the forget gate scales C_{t-1}"),
              (update(g, h), "the forget gate scales the old cell state C_{t-1}, not h_{t-1}")]
    return slips


def hidden_slips(o, c, c_prev=None):
    """(h_t, explanation) for the common slips in reading out h_t = o_t * tanh(C_t), given o_t."""
    slips = [
        (o * c, "h_t = o_t * tanh(C_t): the cell state is squashed by tanh before the gate reads it out"),
        (np.tanh(o * c), "tanh(o_t * C_t) is not o_t * tanh(C_t): tanh acts on C_t first, then the gate multiplies"),
        (np.tanh(c), "the output gate is missing: h_t is tanh(C_t) scaled by o_t"),
        (o, "return h_t, not the gate o_t alone"),
        (o * sigmoid(c), "the cell state is squashed with tanh (values between -1 and 1), not the sigmoid"),
        (o + np.tanh(c), "the gate multiplies: o_t * tanh(C_t), not a sum"),
    ]
    if c_prev is not None:
        slips.append((o * np.tanh(c_prev), "h_t reads out the new cell state C_t, not C_{t-1}"))
    return slips
