"""Chapter 06 (the output gate): h_t from the output gate; a whole LSTM step; the LSTM's parameter count.

    o_t = sigmoid(W_o [h_{t-1}, x_t] + b_o),  h_t = o_t * tanh(C_t)
"""
import numpy as np

from .. import lstm
from ..activations import sigmoid
from .checking import Exercise, Wrong, as_pair, as_whole_number, cases, compare
from . import predict
from .diagnose import layer_probes, narrow, narrow_cell, narrow_layer
from .slips import ORDER_SLIP, cell_slips, hidden_slips, layer_slips, lstm_gates


def _params(case):
    p = lstm.init_params(case.D, case.H, case.rng)
    for k in ("b_f", "b_i", "b_c", "b_o"):
        p[k] = case.rng.standard_normal(case.H)  # nonzero biases, so a missing one shows
    return p


def check_hidden_state(answer):
    for case in cases(23):
        B, H, rng = case.B, case.H, case.rng
        p = _params(case)
        x, h = rng.standard_normal((B, case.D)), rng.standard_normal((B, H))
        c = 2 * rng.standard_normal((B, H))  # a cell state beyond (-1, 1), so a missing tanh shows
        args, roles = (p["W_o"], p["b_o"], x, h, c), ("W", "b", "x", "h", "c")

        def reference(W_o, b_o, x, h, c, p=p):
            o = lstm.step({**p, "W_o": W_o, "b_o": b_o}, x, h, np.zeros_like(h)).o
            return o * np.tanh(c)
        o = lstm.step(p, x, h, np.zeros_like(h)).o
        slips = ([(value * np.tanh(c), why) for value, why in layer_slips(*args[:4], "sigmoid", "the output gate",
                                                                          "b_o")]
                 + hidden_slips(o, c))
        out = answer(*args, probes=layer_probes(args, roles, (B, H)))
        compare(out, reference(*args), f"h_t ({case.label})", slips,
                within=(-1, 1, "o_t, between 0 and 1, times tanh(C_t), between -1 and 1"), letters="(B, H)",
                explain=narrow_layer(answer, args, roles, reference, weight="W_o", bias="b_o"))


def check_lstm_step(answer):
    for case in cases(29):
        B, H, rng = case.B, case.H, case.rng
        p = _params(case)
        x, h, c = rng.standard_normal((B, case.D)), rng.standard_normal((B, H)), 2 * rng.standard_normal((B, H))
        args, roles = (p, x, h, c), ("p", "x", "h", "c")

        def reference(p, x, h, c):
            s = lstm.step(p, x, h, c)
            return s.h, s.c
        s = lstm.step(p, x, h, c)
        out = as_pair(answer(*args, probes=layer_probes(args, roles, (B, H), pair=True)), "(h_t, c_t)")
        compare(out[1], s.c, f"c_t ({case.label})",
                [(s.h, "the pair is (h_t, c_t): the hidden state first")] + cell_slips(p, x, h, c),
                letters="(B, H)", explain=narrow_cell(answer, p, x, h, c, lambda *a: reference(*a)[1],
                                                      pick=lambda o: o[1]))
        o_slips = [(gates["o"] * np.tanh(s.c), why) for gates, why in
                   [(lstm_gates(p, x, h, order="xh"), ORDER_SLIP),
                    (lstm_gates(p, x, h, acts={"o": "tanh"}), "the output gate o_t is a gate: it uses the sigmoid "
                                                              "(values between 0 and 1), not tanh"),
                    (lstm_gates(p, x, h, no_bias="o"), "the bias b_o of the output gate is missing"),
                    (lstm_gates(p, x, h, acts={"o": "flipped sigmoid"}), "that is 1 - sigmoid(z) for o_t: mind the "
                                                                         "sign in the sigmoid")]]
        half = {**p, "W_o": np.zeros_like(p["W_o"]), "b_o": np.zeros_like(p["b_o"])}  # o_t = 1/2 everywhere
        explain_h = lambda: narrow(
            answer, [((half, x, h, c), "even with o_t = 1/2 everywhere your h_t differs: look at how C_t is read out")],
            lambda *a: reference(*a)[0], pick=lambda o: o[0],
            all_right="with o_t = 1/2 everywhere your h_t is right: look at the output gate o_t")
        compare(out[0], s.h, f"h_t ({case.label})",
                [(s.c, "the pair is (h_t, c_t): the hidden state first")] + hidden_slips(s.o, s.c, c) + o_slips,
                within=(-1, 1, "o_t, between 0 and 1, times tanh(C_t), between -1 and 1"), letters="(B, H)",
                explain=explain_h)


def check_lstm_param_count(answer):
    for D, H in ((3, 2), (10, 20), (1, 1), (7, 4), (128, 256)):  # (3, 2) first: there every slip has its own count
        out = as_whole_number(answer(D, H), f"the count for D={D}, H={H}")
        want = 4 * (H * (H + D) + H)
        if out == want:
            continue
        known = {H * (H + D) + H: "that is one layer; the LSTM has four (f, i, C~ and o), each with its own "
                                  "weights and bias",
                 3 * (H * (H + D) + H): "that is three layers; the candidate C~ is a layer too, so there are four",
                 4 * H * (H + D): "each of the four layers also has a bias of H entries",
                 4 * H * (H + D) + H: "each of the four layers has its own bias",
                 4 * (H * (H + D) + 2 * H): "that is PyTorch's count, with two biases per layer; ours has one",
                 4 * (H * D + H): "the weights also act on h_{t-1}: each has H + D columns",
                 4 * (H * H + H): "the weights also act on x_t: each has H + D columns",
                 4 * ((H + D) * (H + D) + H): "each weight has one row per hidden unit, H rows"}
        raise Wrong(f"for D={D}, H={H} you return {out}; " +
                    known.get(out, "count the four layers' weights and biases from their shapes"))



def check_predict_h(answer):
    predict.number(answer, 0.5 * float(np.tanh(100.0)), "h_t", slips=[
        (50.0, "h_t = o_t * tanh(C_t): the cell state is squashed by tanh first"),
        (1.0, "the output gate still scales tanh(C_t)"),
        (100.0, "h_t = o_t * tanh(C_t): the cell state is squashed by tanh first, then scaled by o_t"),
        (float(sigmoid(0.5)), "o_t = 0.5 is the gate's value already: do not apply the sigmoid again"),
        (0.0, "tanh(100) is not 0: it is as close to 1 as a float can tell")])

EXERCISES = {
    "hidden_state": Exercise(
        check_hidden_state,
        "Compute o_t like any gate (sigmoid, its own weights W_o, b_o), then squash the cell state with tanh and "
        "multiply.",
        "def hidden_state(W_o, b_o, x_t, h_prev, c_t):\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)         # (B, H + D)\n"
        "    o_t = 1 / (1 + np.exp(-(hx @ W_o.T + b_o)))        # (B, H), in (0, 1)\n"
        "    return o_t * np.tanh(c_t)                           # (B, H), in (-1, 1)",
        call="hidden_state(W_o, b_o, x_t, h_prev, c_t)",
        returns="h_t, an array of shape (B, H)",
        guarded=("lstm.step", "lstm.forward")),
    "lstm_step": Exercise(
        check_lstm_step,
        "Four layers on the same [h_prev, x_t] (sigmoid, sigmoid, tanh, sigmoid), then "
        "c_t = f*c_prev + i*g and h_t = o*tanh(c_t). Return (h_t, c_t).",
        "def lstm_step(p, x_t, h_prev, c_prev):\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)                # (B, H + D)\n"
        "    sigmoid = lambda z: 1 / (1 + np.exp(-z))\n"
        "    f = sigmoid(hx @ p[\"W_f\"].T + p[\"b_f\"])\n"
        "    i = sigmoid(hx @ p[\"W_i\"].T + p[\"b_i\"])\n"
        "    g = np.tanh(hx @ p[\"W_c\"].T + p[\"b_c\"])\n"
        "    o = sigmoid(hx @ p[\"W_o\"].T + p[\"b_o\"])\n"
        "    c_t = f * c_prev + i * g\n"
        "    return o * np.tanh(c_t), c_t",
        call="lstm_step(p, x_t, h_prev, c_prev)",
        returns="the pair (h_t, c_t), each an array of shape (B, H)",
        guarded=("lstm.step", "lstm.forward")),
    "lstm_param_count": Exercise(
        check_lstm_param_count,
        "Four layers (f, i, C~, o), each with a weight of H rows and H + D columns and a bias of H.",
        "def lstm_param_count(D, H):\n    return 4 * (H * (H + D) + H)",
        call="lstm_param_count(D, H)",
        returns="a whole number",
        guarded=("lstm.init_params",)),
    "predict_h": Exercise(
        check_predict_h,
        "h_t = o_t * tanh(C_t); tanh of a large number is very close to 1.",
        "prediction = 0.5",
        returns="one number: your prediction"),
}
