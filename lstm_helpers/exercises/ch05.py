"""Chapter 05 (the input gate): the input gate with the candidate; the new cell state from the parameters.

    i_t = sigmoid(W_i [h_{t-1}, x_t] + b_i),  C~_t = tanh(W_c [h_{t-1}, x_t] + b_c)
    C_t = f_t * C_{t-1} + i_t * C~_t
"""
import numpy as np

from .. import lstm
from .checking import Exercise, as_pair, cases, compare
from . import predict
from .diagnose import layer_probes, narrow_cell, narrow_layer
from .slips import ACTS, cell_slips, layer, layer_slips


def _params(case, biases):
    """LSTM parameters for a case, with random nonzero biases ``biases`` (so a missing one shows)."""
    p = lstm.init_params(case.D, case.H, case.rng)
    for k in biases:
        p[k] = case.rng.standard_normal(case.H)
    return p


def check_input_and_candidate(answer):
    for case in cases(17):
        B, H, rng = case.B, case.H, case.rng
        p = _params(case, ("b_i", "b_c"))
        x, h = rng.standard_normal((B, case.D)), rng.standard_normal((B, H))
        args, roles = (p["W_i"], p["b_i"], p["W_c"], p["b_c"], x, h), ("W", "b", "W", "b", "x", "h")

        def reference(W_i, b_i, W_c, b_c, x, h, p=p):
            s = lstm.step({**p, "W_i": W_i, "b_i": b_i, "W_c": W_c, "b_c": b_c}, x, h, np.zeros_like(h))
            return s.i, s.g
        out = as_pair(answer(*args, probes=layer_probes(args, roles, (B, H), pair=True)), "(i_t, g_t)")
        i, g = reference(*args)
        i_args, c_args = (p["W_i"], p["b_i"], x, h), (p["W_c"], p["b_c"], x, h)
        compare(out[0], i, f"i_t ({case.label})",
                [(g, "return the pair in the order (i_t, g_t): the input gate first, then the candidate"),
                 (layer(*c_args, ACTS["sigmoid"]), "i_t uses W_i and b_i; you used the candidate's weights")]
                + layer_slips(*i_args, "sigmoid", "the input gate", "b_i"),
                within=(0, 1, "a gate's range"), letters="(B, H)",
                explain=narrow_layer(answer, args, roles, lambda *a: reference(*a)[0], pick=lambda o: o[0],
                                     weight="W_i", bias="b_i"))
        compare(out[1], g, f"g_t, the candidate C~_t ({case.label})",
                [(i * g, "return the candidate itself; the input gate scales it only in the update"),
                 (layer(*i_args, ACTS["tanh"]), "C~_t uses W_c and b_c; you used the input gate's weights")]
                + layer_slips(*c_args, "tanh", "the candidate (not a gate)", "b_c"),
                within=(-1, 1, "the range of tanh"), letters="(B, H)",
                explain=narrow_layer(answer, args, roles, lambda *a: reference(*a)[1], pick=lambda o: o[1],
                                     weight="W_c", bias="b_c"))


def check_cell_state(answer):
    for case in cases(19):
        B, H, rng = case.B, case.H, case.rng
        p = _params(case, ("b_f", "b_i", "b_c", "b_o"))
        x, h, c = rng.standard_normal((B, case.D)), rng.standard_normal((B, H)), 2 * rng.standard_normal((B, H))

        def reference(p, x, h, c):
            return lstm.step(p, x, h, c).c
        args, roles = (p, x, h, c), ("p", "x", "h", "c")
        out = answer(*args, probes=layer_probes(args, roles, (B, H)))
        compare(out, reference(*args), f"C_t ({case.label})",
                cell_slips(p, x, h, c) + [(lstm.step(p, x, h, c).h, "return the new cell state C_t, not h_t")],
                letters="(B, H)", explain=narrow_cell(answer, p, x, h, c, reference))



def check_predict_accumulate(answer):
    predict.number(answer, 2.0, "C_4", rel=0, abs_tol=1e-6, slips=[
        (0.5, "f = 1 keeps what is there: each step adds, it does not overwrite"),
        (0.5 ** 4, "the candidate is added at each step, not multiplied"),
        (1.5, "count the steps: four writes of 0.5"),
        (2.5, "count the steps: four writes of 0.5, starting from C_0 = 0"),
        (0.0, "i = 1 writes the whole candidate at every step")])

EXERCISES = {
    "input_and_candidate": Exercise(
        check_input_and_candidate,
        "Two layers on the same [h_prev, x_t]: the gate with W_i, b_i and the sigmoid; the candidate with W_c, "
        "b_c and tanh.",
        "def input_and_candidate(W_i, b_i, W_c, b_c, x_t, h_prev):\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)        # (B, H + D)\n"
        "    i_t = 1 / (1 + np.exp(-(hx @ W_i.T + b_i)))       # (B, H), in (0, 1)\n"
        "    g_t = np.tanh(hx @ W_c.T + b_c)                    # (B, H), in (-1, 1)\n"
        "    return i_t, g_t",
        call="input_and_candidate(W_i, b_i, W_c, b_c, x_t, h_prev)",
        returns="the pair (i_t, g_t), each an array of shape (B, H)",
        guarded=("lstm.step", "lstm.forward")),
    "cell_state": Exercise(
        check_cell_state,
        "Compute f_t, i_t and C~_t from [h_prev, x_t] with their own weights, then "
        "C_t = f_t * C_{t-1} + i_t * C~_t, entry by entry.",
        "def cell_state(p, x_t, h_prev, c_prev):\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)                # (B, H + D)\n"
        "    sigmoid = lambda z: 1 / (1 + np.exp(-z))\n"
        "    f = sigmoid(hx @ p[\"W_f\"].T + p[\"b_f\"])\n"
        "    i = sigmoid(hx @ p[\"W_i\"].T + p[\"b_i\"])\n"
        "    g = np.tanh(hx @ p[\"W_c\"].T + p[\"b_c\"])\n"
        "    return f * c_prev + i * g                                   # (B, H)",
        call="cell_state(p, x_t, h_prev, c_prev)",
        returns="C_t, an array of shape (B, H)",
        guarded=("lstm.step", "lstm.forward")),
    "predict_accumulate": Exercise(
        check_predict_accumulate,
        "C_t = f * C_(t-1) + i * C~_t with f = i = 1: each step adds C~_t to the cell.",
        "prediction = 2.0",
        returns="one number: your prediction"),
}
