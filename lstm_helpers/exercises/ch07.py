"""Chapter 07 (the whole LSTM at work): the gradient along the cell path; PyTorch's parameters in our layout.

    along the cell path alone, dC_T/dC_t = f_{t+1} * ... * f_T (entry by entry)
    PyTorch stacks the gates i, f, g, o, keeps the input and recurrent weights apart and has two biases
    (frameworks.py); ours: W (H, H + D) per gate, hidden-state columns first, b = bias_ih + bias_hh
"""
import numpy as np

from .. import frameworks, lstm
from .checking import Exercise, Wrong, cases, compare, describe, shape_of
from . import predict
from .slips import WORD


def check_cell_path_gradient(answer):
    for k, (T, H) in enumerate(((6, 2), (9, 3), (4, 5), (1, 3), (7, 1))):  # a single step and a single unit last
        rng = np.random.default_rng([31, k])
        p = lstm.init_params(2, H, rng, forget_bias=2.0)
        for k in ("f", "i", "c", "o"):
            p[f"W_{k}"][:, :H] = 0.0  # the gates read only x, so C_T reaches C_t along the cell path alone
        x = rng.standard_normal((1, T, 2))
        out_, cache = lstm.forward(p, x, force={"i": 0.0})
        want = lstm.backward(np.zeros((1, T, H)), cache, dc_last=np.ones((1, H)), states=True)["c"][0]  # (T, H)
        f = out_.f[0]                                                                                   # (T, H)
        got = answer(f)
        rev = np.cumprod(f[::-1], axis=0)[::-1]  # f[t] * ... * f[T-1]
        slips = [(rev, "the product starts at the gate of step t + 1: step t's own forget gate acts on C_{t-1}, "
                       "not on C_t"),
                 (np.cumprod(f, axis=0), "C_T depends on C_t through the gates of the later steps, t + 1 to T, not "
                                         "the earlier ones"),
                 (np.concatenate([rev[1:], np.zeros((1, H))]), "the row of step T is 1: C_T is C_T"),
                 (np.cumprod(f[::-1], axis=0), "row t - 1 belongs to step t: the reversed product has to be "
                                               "turned back"),
                 (np.ones((T, H)), "each later forget gate scales the gradient; ones would mean f = 1 everywhere"),
                 (np.broadcast_to(f.prod(axis=0), (T, H)), "each step has its own product: only the gates after "
                                                           "step t enter row t - 1"),
                 (f, "the gradient multiplies all the forget gates after step t, not one")]
        compare(got, want, f"the array of gradients (for T={T}, H={H})", slips, within=(0, 1, "a product of gates"),
                letters="(T, H)")


def _block(W, k, H):
    """Rows k H ... (k + 1) H of a stacked array: PyTorch's block of layer k (order i, f, g, o)."""
    return W[k * H:(k + 1) * H]


def check_from_pytorch(answer):
    for case in cases(41, edges=((1, 1, 3), (1, 3, 1))):  # B is not used: a state dict has no batch
        D, H, rng = case.D, case.H, case.rng
        p = lstm.init_params(D, H, rng)
        for k in ("b_f", "b_i", "b_c", "b_o"):
            p[k] = rng.standard_normal(H)
        state = frameworks.to_pytorch(p)
        split = rng.standard_normal(4 * H)  # two nonzero biases whose sum is ours, as a trained nn.LSTM has
        state["bias_ih_l0"], state["bias_hh_l0"] = state["bias_ih_l0"] - split, split
        where = f" (for D={D}, H={H})"
        out = answer(state)
        want = frameworks.from_pytorch(state)
        keys = sorted(lstm.PARAM_KEYS)
        if not isinstance(out, dict):
            raise Wrong(f"return a dict with the keys {keys}; yours is {describe(out)}")
        if sorted(map(str, out)) != keys:
            raise Wrong(f"return a dict with the keys {keys}; yours has {sorted(map(str, out))}")
        w_ih, w_hh, b_ih, b_hh = (state[k] for k in frameworks.PYTORCH_KEYS)
        hh_first, ih_first = np.concatenate([w_hh, w_ih], axis=1), np.concatenate([w_ih, w_hh], axis=1)
        for g in ("f", "i", "c", "o"):
            k = frameworks.PYTORCH_ORDER.index(g)
            if shape_of(out[f"W_{g}"]) == (H + D, H):
                raise Wrong(f"W_{g} has shape (H + D, H), transposed: ours is (H, H + D), one row per unit"
                            + where)
            slips = [(_block(hh_first, j, H), f"those are PyTorch's rows of {WORD[other]}: it stacks the gates "
                                              "i, f, g, o")
                     for j, other in enumerate(frameworks.PYTORCH_ORDER) if other != g]
            slips.append((_block(ih_first, k, H), "our W's first H columns act on h_{t-1}: weight_hh_l0's columns "
                                                  "come first, then weight_ih_l0's"))
            compare(out[f"W_{g}"], want[f"W_{g}"], f"W_{g}" + where, slips, letters="(H, H + D)")
        for g in ("f", "i", "c", "o"):
            k = frameworks.PYTORCH_ORDER.index(g)
            slips = [(_block(b_ih, k, H), "bias_hh_l0 is left out: the cell adds both biases, every step"),
                     (_block(b_hh, k, H), "bias_ih_l0 is left out: the cell adds both biases, every step"),
                     (_block((b_ih + b_hh) / 2, k, H), "the cell adds the two biases; it does not average them")]
            slips += [(_block(b_ih + b_hh, j, H), f"that is PyTorch's bias of {WORD[other]}: it stacks the gates "
                                                  "i, f, g, o")
                      for j, other in enumerate(frameworks.PYTORCH_ORDER) if other != g]
            compare(out[f"b_{g}"], want[f"b_{g}"], f"b_{g}" + where, slips, letters="(H,)")



def check_predict_winner(answer):
    predict.choice(answer, ("LSTM", "RNN", "both", "neither"), "LSTM",
                   "which model ends below a quarter of the baseline at T = 100", slips={
                       "RNN": "chapter 02's RNN of this size stayed at the baseline at T = 100",
                       "both": "chapter 02's RNN of this size stayed at the baseline at T = 100",
                       "neither": "the LSTM's cell path can carry the gradient 100 steps back once f is near 1"})

EXERCISES = {
    "cell_path_gradient": Exercise(
        check_cell_path_gradient,
        "Along the cell path C_T = f_T * C_{T-1} = f_T * f_{T-1} * C_{T-2} = ...: multiply the forget gates of "
        "the steps after t (f_k is f[k - 1]). A reversed cumulative product does it for every t.",
        "def cell_path_gradient(f):\n"
        "    T, H = f.shape\n"
        "    out = np.ones((T, H))           # row t - 1 holds dC_T/dC_t; row T - 1 is 1\n"
        "    for t in range(T - 1, 0, -1):   # steps t = T - 1, ..., 1\n"
        "        out[t - 1] = out[t] * f[t]  # dC_T/dC_t = dC_T/dC_(t+1) * f_(t+1), f_(t+1) = f[t]\n"
        "    return out",
        call="cell_path_gradient(f)",
        returns="dC_T/dC_t for every step, an array of shape (T, H)",
        guarded=("lstm.step", "lstm.forward", "lstm.backward", "gradflow.state_jacobians",
                 "gradflow.forget_products")),
    "from_pytorch": Exercise(
        check_from_pytorch,
        "PyTorch's row blocks of H are the gates i, f, g (our c), o, in that order. Join weight_hh_l0 and "
        "weight_ih_l0 side by side (hidden-state columns first) to get (4H, H + D), then cut rows; the cell adds "
        "both biases.",
        "def from_pytorch(state):\n"
        "    W = np.concatenate([state[\"weight_hh_l0\"], state[\"weight_ih_l0\"]], axis=1)  # (4H, H + D)\n"
        "    b = state[\"bias_ih_l0\"] + state[\"bias_hh_l0\"]                               # (4H,)\n"
        "    H = W.shape[0] // 4\n"
        "    p = {}\n"
        "    for k, g in enumerate([\"i\", \"f\", \"c\", \"o\"]):  # PyTorch's order; its g is our c\n"
        "        p[\"W_\" + g], p[\"b_\" + g] = W[k * H:(k + 1) * H], b[k * H:(k + 1) * H]  # (H, H + D), (H,)\n"
        "    return p",
        call="from_pytorch(state)",
        returns="a dict of W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o: each W (H, H + D), each b (H,)",
        guarded=("frameworks.from_pytorch", "frameworks.to_pytorch")),
    "predict_winner": Exercise(
        check_predict_winner,
        "Chapter 02 gave a plain RNN this task at T = 100; chapter 04 showed what the cell path does when f is "
        "near 1.",
        'prediction = "LSTM"',
        returns='one of "LSTM", "RNN", "both", "neither"'),
}
