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
from collections.abc import Mapping

import numpy as np

from ..activations import sigmoid
from ..i18n import tr
from .checking import text

ACTS = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "identity": lambda z: z,
    "flipped sigmoid": lambda z: sigmoid(-z),  # 1 / (1 + exp(z)): the sign in the exponent lost
}


class _Texts(Mapping):
    """A dict of texts looked up when read, so that each reads in the language current at that moment."""

    def __init__(self, keys):
        self._keys = keys

    def __getitem__(self, k):
        return tr(self._keys[k])

    def __iter__(self):
        return iter(self._keys)

    def __len__(self):
        return len(self._keys)


RANGE = _Texts({"sigmoid": "exercises.range_sigmoid", "tanh": "exercises.range_tanh"})
THE = _Texts({"sigmoid": "exercises.the_sigmoid", "tanh": "exercises.the_tanh"})
# the names a caller gives layer_slips, in English: read in the current language
_NAMES = {"a gate": "exercises.name_a_gate", "the output gate": "exercises.name_output_gate"}


def order_slip():
    """The slip [x_t, h_{t-1}] for [h_{t-1}, x_t], in the current language."""
    return tr("exercises.order_slip")


def __getattr__(name):
    """ORDER_SLIP, in the language current when it is read (``order_slip()`` reads it at use)."""
    if name == "ORDER_SLIP":
        return order_slip()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    name = text(_NAMES.get(name, name))
    slips = [
        (layer(W, b, x, h, right, order="xh"), order_slip()),
        (layer(W, b, x, h, ACTS[other]), tr("exercises.layer_other_act", name=name, act=THE[act],
                                            range=RANGE[act], other=THE[other])),
        (layer(W, b, x, h, ACTS["identity"]), tr("exercises.layer_no_act", act=THE[act])),
        (layer(W, b, x, h, right, bias=False), tr("exercises.bias_missing", bias=bias_name)),
        (layer(W, b, x, h, right, bias_outside=True), tr("exercises.bias_outside", bias=bias_name, act=THE[act])),
        (layer(W, b, x, h, right, use_h=False), tr("exercises.layer_no_h")),
        (layer(W, b, x, h, right, use_x=False), tr("exercises.layer_no_x")),
    ]
    if act == "sigmoid":
        slips.append((layer(W, b, x, h, ACTS["flipped sigmoid"]), tr("exercises.flipped_sigmoid")))
    return slips


# --- the LSTM ---

RIGHT = {"f": "sigmoid", "i": "sigmoid", "c": "tanh", "o": "sigmoid"}
WORD = _Texts({k: f"exercises.word_{k}" for k in "fico"})  # "the forget gate f_t", ...


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
    out = [(lstm_gates(p, x, h, order="xh"), order_slip())]
    for k in keys:
        other = "tanh" if RIGHT[k] == "sigmoid" else "sigmoid"
        what = (tr("exercises.gate_not_tanh", gate=WORD[k]) if other == "tanh"
                else tr("exercises.candidate_not_sigmoid"))
        out.append((lstm_gates(p, x, h, acts={k: other}), what))
        out.append((lstm_gates(p, x, h, no_bias=k), tr("exercises.gate_bias_missing", k=k, gate=WORD[k])))
    if len(keys) > 1:
        gates = [k for k in keys if RIGHT[k] == "sigmoid"]
        out.append((lstm_gates(p, x, h, acts={k: "tanh" for k in gates}), tr("exercises.gates_not_tanh")))
        if "c" in keys:
            swapped = {"c": "sigmoid", **{k: "tanh" for k in gates}}
            out.append((lstm_gates(p, x, h, acts=swapped), tr("exercises.acts_swapped")))
        out.append((lstm_gates(p, x, h, no_bias=keys), tr("exercises.biases_missing")))
    return out


def update_slips(f, i, g, c_prev):
    """(C_t, explanation) for the common slips in C_t = f_t * C_{t-1} + i_t * C~_t, given the gates."""
    return [
        (i * c_prev + f * g, tr("exercises.update_swapped")),
        (c_prev + i * g, tr("exercises.update_no_forget")),
        (f * c_prev + g, tr("exercises.update_no_input")),
        (f * c_prev + i, tr("exercises.update_no_candidate")),
        (f * c_prev * i * g, tr("exercises.update_multiplied")),
        (np.tanh(f * c_prev + i * g), tr("exercises.update_squashed")),
        ((1 - f) * c_prev + i * g, tr("exercises.update_forgotten_fraction")),
        (f * c_prev + (1 - f) * g, tr("exercises.update_coupled")),
        (f * c_prev + i * np.tanh(g), tr("exercises.update_tanh_twice")),
        (f * c_prev - i * g, tr("exercises.update_subtracted")),
    ]


def cell_slips(p, x, h, c_prev):
    """(C_t, explanation) for the common slips in computing the new cell state from the parameters."""
    g = lstm_gates(p, x, h)
    slips = [(update(gates, c_prev), why) for gates, why in gate_slips(p, x, h, "fic")]
    slips += update_slips(g["f"], g["i"], g["c"], c_prev)
    slips += [(update(lstm_gates(p, x, c_prev), h), tr("exercises.cell_h_c_swapped")),
              (update(g, h), tr("exercises.cell_forget_scales_h"))]
    return slips


def hidden_slips(o, c, c_prev=None):
    """(h_t, explanation) for the common slips in reading out h_t = o_t * tanh(C_t), given o_t."""
    slips = [
        (o * c, tr("exercises.hidden_not_squashed")),
        (np.tanh(o * c), tr("exercises.hidden_tanh_outside")),
        (np.tanh(c), tr("exercises.hidden_no_gate")),
        (o, tr("exercises.hidden_gate_alone")),
        (o * sigmoid(c), tr("exercises.hidden_sigmoid")),
        (o + np.tanh(c), tr("exercises.hidden_sum")),
    ]
    if c_prev is not None:
        slips.append((o * np.tanh(c_prev), tr("exercises.hidden_old_state")))
    return slips
