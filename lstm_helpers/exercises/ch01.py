"""Chapter 01 (the RNN): one step, its number of parameters, W split into the blocks for h and x.

    h_t = tanh(W [h_{t-1}, x_t] + b),  W = [W_h W_x] of shape (H, H + D)
"""
import numpy as np

from .. import rnn
from .checking import Exercise, Wrong, as_pair, as_whole_number, cases, close, compare, shape_of
from . import predict
from .diagnose import layer_probes, narrow_layer
from .slips import layer_slips


def _rnn_reference(W, b, x, h):
    return rnn.step({"W": W, "b": b}, x, h)


def check_rnn_step(answer):
    for case in cases(101):
        B, D, H, rng = case.B, case.D, case.H, case.rng
        q = rnn.init_params(D, H, rng)
        W, b = q["W"], rng.standard_normal(H)  # a nonzero bias, so a missing one shows
        x, h = rng.standard_normal((B, D)), rng.standard_normal((B, H))
        args, roles = (W, b, x, h), ("W", "b", "x", "h")
        out = answer(*args, probes=layer_probes(args, roles, (B, H)))
        compare(out, _rnn_reference(*args), f"h_t ({case.label})", layer_slips(W, b, x, h, "tanh", "h_t", "b"),
                within=(-1, 1, "the range of tanh"), letters="(B, H)",
                explain=narrow_layer(answer, args, roles, _rnn_reference))


def check_rnn_param_count(answer):
    for D, H in ((3, 5), (10, 64), (7, 2), (1, 6), (128, 256)):  # (3, 5) first: there every slip has its own count
        out = as_whole_number(answer(D, H), f"the count for D={D}, H={H}")
        want = H * (H + D) + H
        if out == want:
            continue
        known = {H * (H + D): "the bias b has parameters too",
                 H * H + H: "W acts on [h_{t-1}, x_t], so it has H + D columns, not H",
                 H * D + H: "W also acts on h_{t-1}: it has H + D columns, not D",
                 (H + D) * (H + D) + H: "W has one row per hidden unit, H rows",
                 H * (H + D) + D: "b has one entry per hidden unit (H), not one per input",
                 H * (H + D) + 2 * H: "our RNN has one bias; two per unit (bias_ih and bias_hh) is PyTorch's count",
                 4 * (H * (H + D) + H): "that is the LSTM's count (four layers); the RNN has one layer"}
        raise Wrong(f"for D={D}, H={H} you return {out}; " +
                    known.get(out, "count the entries of W and of b from their shapes"))


def check_split_W(answer):
    sizes = ((4, 3), (2, 5), (5, 2), (1, 3), (4, 1))  # (H, D); H = 4 first, then other H
    for k, (H, D) in enumerate(sizes):
        W = np.random.default_rng([7, k]).standard_normal((H, H + D))
        pair = as_pair(answer(W, H), "(W_h, W_x)")
        shapes = [shape_of(a) or () for a in pair]
        where = f" (for H={H}, D={D})"
        if H != D and shapes == [(H, D), (H, H)]:
            if all(np.asarray(a).dtype.kind in "biuf" for a in pair) and close(pair[0], W[:, H:]):
                raise Wrong("the pair is the wrong way round: W_h (acting on h_{t-1}, H columns) comes first, "
                            f"then W_x (acting on x_t, D columns){where}")
            raise Wrong("W_h has D columns and W_x H: W's first H columns act on h_{t-1} (hidden state first), "
                        f"the last D on x_t{where}")
        if shapes and len(shapes[0]) == 2 and shapes[0][1] in (H - 1, H + 1):
            raise Wrong(f"W_h has {shapes[0][1]} columns: off by one, it should have H = {H}{where}")
        if shapes and len(shapes[0]) == 2 and shapes[0][1] == H + D:
            raise Wrong(f"split the columns (axis 1), not the rows: both blocks keep all H rows{where}")
        compare(pair[0], W[:, :H], "W_h" + where, [(W[:, :H].T, "W_h is W's first H columns as they are, not "
                                                                 "transposed")], letters="(H, H)")
        compare(pair[1], W[:, H:], "W_x" + where, letters="(H, D)")



def check_predict_h_shape(answer):
    predict.shape(answer, (4, 7, 5), "the shape of rnn.forward's output for x of shape (4, 7, 3) and H = 5", slips=[
        ((4, 5), "rnn.forward returns h_t for every step, not only the last"),
        ((7, 4, 5), "the package puts the batch first: (B, T, H)"),
        ((4, 7, 3), "each h_t has H entries, not D"),
        ((4, 7, 8), "H + D is the width of W (it acts on [h, x]); h_t itself has H entries"),
        ((5, 7, 4), "the package's order is (B, T, H)")])

EXERCISES = {
    "rnn_step": Exercise(
        check_rnn_step,
        "Join [h_prev, x_t] along the feature axis, multiply by W transposed, add b, apply tanh. "
        "Shapes: W (H, H + D), h_prev (B, H), x_t (B, D).",
        "def rnn_step(W, b, x_t, h_prev):\n    hx = np.concatenate([h_prev, x_t], axis=1)  # (B, H+D)\n"
        "    return np.tanh(hx @ W.T + b)                  # (B, H)",
        call="rnn_step(W, b, x_t, h_prev)",
        returns="h_t, an array of shape (B, H)",
        guarded=("rnn.step", "rnn.forward")),
    "rnn_param_count": Exercise(
        check_rnn_param_count,
        "W has one row per hidden unit and one column per entry of [h_{t-1}, x_t]; b one per unit.",
        "def rnn_param_count(D, H):\n    return H * (H + D) + H",
        call="rnn_param_count(D, H)",
        returns="a whole number",
        guarded=("rnn.init_params",)),
    "split_W": Exercise(
        check_split_W,
        "The first H columns of W act on h_{t-1}, the remaining D on x_t.",
        "def split_W(W, H):\n    return W[:, :H], W[:, H:]",
        call="split_W(W, H)",
        returns="the pair (W_h, W_x): arrays of shape (H, H) and (H, D)"),
    "predict_h_shape": Exercise(
        check_predict_h_shape,
        "One h_t per step and per sequence; each h_t has H entries. The package writes (B, T, ...).",
        "prediction = (4, 7, 5)",
        returns="a tuple of whole numbers: your prediction of the shape"),
}
