"""Chapter 05 (the input gate): what a step writes, from the two layers stacked in one matrix; the new cell state.

    i_t = sigmoid(W_i [h_{t-1}, x_t] + b_i),  C~_t = tanh(W_c [h_{t-1}, x_t] + b_c),  W = [W_i; W_c] (2H, H + D)
    C_t = f_t * C_{t-1} + i_t * C~_t
"""
import numpy as np

from .. import lstm
from .checking import Exercise, Probe, Wrong, cases, compare, shape_of
from . import predict
from .diagnose import has_shape, layer_probes, narrow_cell, narrow_layer
from .slips import ACTS, ORDER_SLIP, cell_slips, layer


def _params(case, biases):
    """LSTM parameters for a case, with random nonzero biases ``biases`` (so a missing one shows)."""
    p = lstm.init_params(case.D, case.H, case.rng)
    for k in biases:
        p[k] = case.rng.standard_normal(case.H)
    return p


STACKED_WEIGHT_SLIP = ("your code runs only with the weights transposed: W has shape (2H, H + D), one row per unit of "
                       "the two layers, and a batch of rows [h_{t-1}, x_t], shape (B, H + D), meets it as W.T")
BY_COLUMNS_SLIP = ("your code splits W by columns; the two layers are stacked by rows: W's first H rows are W_i, its "
                   "last H rows W_c, each of shape (H, H + D) (and b likewise)")
HALVES_SLIP = ("the halves are the wrong way round: the first H rows of W (and entries of b) are the input gate's, "
               "which takes the sigmoid; the last H are the candidate's, which takes tanh")


def check_written(answer):
    for case in cases(17):
        B, H, rng = case.B, case.H, case.rng
        p = _params(case, ("b_i", "b_c"))
        W, b = np.concatenate([p["W_i"], p["W_c"]]), np.concatenate([p["b_i"], p["b_c"]])  # (2H, H + D), (2H,)
        x, h = rng.standard_normal((B, case.D)), rng.standard_normal((B, H))
        args, roles = (W, b, x, h), ("W", "b", "x", "h")

        def reference(W, b, x, h, p=p):
            H = len(b) // 2
            s = lstm.step({**p, "W_i": W[:H], "b_i": b[:H], "W_c": W[H:], "b_c": b[H:]}, x, h, np.zeros_like(h))
            return s.i * s.g
        by_columns = np.concatenate([W[:H], W[H:]], axis=1)  # (H, 2(H + D)): splitting it by columns gives W_i, W_c
        out = answer(*args, probes=[Probe((W.T, b, x, h), STACKED_WEIGHT_SLIP, has_shape((B, H))),
                                    Probe((by_columns, b, x, h), BY_COLUMNS_SLIP, has_shape((B, H))),
                                    *layer_probes(args, roles, (B, H))[1:]])  # one example; inputs as columns
        if shape_of(out) == (2, B, H):
            raise Wrong(f"you return two arrays of shape (B, H) ({case.label}); return one: what the step writes "
                        "into the cell, i_t * C~_t")

        def product(i_act="sigmoid", g_act="tanh", **slip):
            """i_t * C~_t from the halves of W and b, with a slip switched on."""
            return layer(W[:H], b[:H], x, h, ACTS[i_act], **slip) * layer(W[H:], b[H:], x, h, ACTS[g_act], **slip)
        i, g = layer(W[:H], b[:H], x, h, ACTS["sigmoid"]), layer(W[H:], b[H:], x, h, ACTS["tanh"])
        slips = [(product("tanh", "sigmoid"), HALVES_SLIP),
                 (product("sigmoid", "sigmoid"), "the candidate C~_t is not a gate: it uses tanh (values between -1 "
                                                 "and 1), not the sigmoid"),
                 (product("tanh", "tanh"), "the input gate i_t is a gate: it uses the sigmoid (values between 0 and "
                                           "1), not tanh"),
                 (i + g, "the input gate scales the candidate: what is written is a product, not a sum"),
                 (i, "that is the input gate alone, how much is written; it scales the candidate C~_t"),
                 (g, "that is the candidate alone, what could be written; the input gate scales it"),
                 (product(order="xh"), ORDER_SLIP),
                 (product(bias=False), "the bias b is missing"),
                 (product("identity", "identity"), "the activations (the sigmoid and tanh) are missing")]
        compare(out, reference(*args), f"i_t * C~_t ({case.label})", slips,
                within=(-1, 1, "a gate in (0, 1) times a candidate in (-1, 1)"), letters="(B, H)",
                explain=narrow_layer(answer, args, roles, reference, weight="W", bias="b"))


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
    "written": Exercise(
        check_written,
        "One product for both layers: z = [h_prev, x_t] W^T + b has 2H columns, the input gate's H first, then the "
        "candidate's H. The sigmoid on the first half, tanh on the second; what is written is their product.",
        "def written(W, b, x_t, h_prev):\n"
        "    H = h_prev.shape[1]\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)      # (B, H + D)\n"
        "    z = hx @ W.T + b                                 # (B, 2H): the input gate's H, then the candidate's H\n"
        "    i_t = 1 / (1 + np.exp(-z[:, :H]))               # (B, H), in (0, 1)\n"
        "    g_t = np.tanh(z[:, H:])                          # (B, H), in (-1, 1)\n"
        "    return i_t * g_t                                 # (B, H)",
        call="written(W, b, x_t, h_prev)",
        returns="i_t * C~_t, an array of shape (B, H)",
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
