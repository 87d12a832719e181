"""Chapter 07 (the whole LSTM at work): the gradient along the cell path; our parameters in PyTorch's layout.

    along the cell path alone, dC_T/dC_t = f_{t+1} * ... * f_T (entry by entry)
    PyTorch stacks the gates i, f, g, o and keeps the input and recurrent weights apart (frameworks.py)
"""
import itertools

import numpy as np

from .. import frameworks, lstm
from .checking import Exercise, Wrong, as_array, cases, compare, describe, shape_of
from . import predict

PYTORCH = {"weight_ih_l0": "(4H, D)", "weight_hh_l0": "(4H, H)", "bias_ih_l0": "(4H,)", "bias_hh_l0": "(4H,)"}


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


def _stack(p, order, cols):
    return np.concatenate([p[f"W_{g}"][:, cols] for g in order])


def _order_name(order):
    return ", ".join("g" if g == "c" else g for g in order)


def check_to_pytorch(answer):
    for case in cases(37, edges=((1, 1, 3), (1, 3, 1))):  # B is not used: a parameter dict has no batch
        D, H, rng = case.D, case.H, case.rng
        p = lstm.init_params(D, H, rng)
        for k in ("b_f", "b_i", "b_c", "b_o"):
            p[k] = rng.standard_normal(H)
        where = f" (for D={D}, H={H})"
        out = answer(p)
        want = frameworks.to_pytorch(p)
        if not isinstance(out, dict):
            raise Wrong(f"return a dict with the keys {sorted(want)}; yours is {describe(out)}")
        if sorted(map(str, out)) != sorted(want):
            raise Wrong(f"return a dict with the keys {sorted(want)}; yours has {sorted(map(str, out))}")
        shapes = {k: shape_of(v) for k, v in out.items()}
        if H != D and shapes["weight_ih_l0"] == (4 * H, H) and shapes["weight_hh_l0"] == (4 * H, D):
            raise Wrong("weight_ih_l0 acts on the input x_t, (4H, D), and weight_hh_l0 on h_{t-1}, (4H, H): yours "
                        "are the other way round" + where)
        for k in ("weight_ih_l0", "weight_hh_l0"):
            if shapes[k] == (4 * H, H + D):
                raise Wrong(f"{k} has shape (4H, H + D): PyTorch keeps the weights on x_t and on h_{{t-1}} apart, "
                            "weight_ih_l0 (4H, D) and weight_hh_l0 (4H, H)" + where)
            if shapes[k] == want[k].shape[::-1] != want[k].shape:
                raise Wrong(f"{k} has shape {shapes[k]}, transposed: PyTorch stores {PYTORCH[k]}, one row per unit "
                            "of each gate (Keras stores the transpose)" + where)
        ours = ("f", "i", "c", "o")
        orders = [o for o in itertools.permutations(ours) if o != frameworks.PYTORCH_ORDER]
        for k, cols in (("weight_ih_l0", slice(H, None)), ("weight_hh_l0", slice(None, H))):
            slips = [(_stack(p, o, cols), f"PyTorch stacks the gates in the order i, f, g, o; yours are stacked "
                                          f"{_order_name(o)}") for o in orders]
            if k == "weight_ih_l0":
                slips.append((_stack(p, frameworks.PYTORCH_ORDER, slice(None, D)), "our W's first H columns act on "
                                                                                    "h_{t-1}, the last D on x_t"))
            else:
                slips.append((_stack(p, frameworks.PYTORCH_ORDER, slice(D, None)), "our W's first H columns act on "
                                                                                     "h_{t-1}, the last D on x_t"))
            compare(out[k], want[k], k + where, slips, letters=PYTORCH[k])
        for k in ("bias_ih_l0", "bias_hh_l0"):
            as_array(out[k], k + where, (4 * H,), "(4H,)")
        b = want["bias_ih_l0"]
        total = np.asarray(out["bias_ih_l0"], dtype=float) + np.asarray(out["bias_hh_l0"], dtype=float)
        slips = [(2 * b, "the cell adds the two biases, so our bias is counted twice: put it in one of them and "
                         "zeros in the other (or split it)"),
                 (np.zeros_like(b), "the biases are missing: the cell adds bias_ih_l0 and bias_hh_l0, and their sum "
                                    "must be our bias")]
        slips += [(np.concatenate([p[f"b_{g}"] for g in o]), f"PyTorch stacks the gates in the order i, f, g, o; "
                                                              f"your biases are stacked {_order_name(o)}")
                  for o in orders]
        compare(total, b, "bias_ih_l0 + bias_hh_l0, what the cell adds" + where, slips, letters="(4H,)")



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
    "to_pytorch": Exercise(
        check_to_pytorch,
        "Stack the weights in PyTorch's order i, f, g (our c), o: that gives (4H, H + D). Its first H columns are "
        "weight_hh_l0, the rest weight_ih_l0. One bias gets the stacked b, the other zeros.",
        "def to_pytorch(p):\n"
        "    H = p[\"W_f\"].shape[0]\n"
        "    W = np.concatenate([p[\"W_i\"], p[\"W_f\"], p[\"W_c\"], p[\"W_o\"]])   # (4H, H + D)\n"
        "    b = np.concatenate([p[\"b_i\"], p[\"b_f\"], p[\"b_c\"], p[\"b_o\"]])   # (4H,)\n"
        "    return {\"weight_ih_l0\": W[:, H:], \"weight_hh_l0\": W[:, :H],\n"
        "            \"bias_ih_l0\": b, \"bias_hh_l0\": np.zeros_like(b)}",
        call="to_pytorch(p)",
        returns="a dict of weight_ih_l0 (4H, D), weight_hh_l0 (4H, H), bias_ih_l0 (4H,) and bias_hh_l0 (4H,)",
        guarded=("frameworks.to_pytorch",)),
    "predict_winner": Exercise(
        check_predict_winner,
        "Chapter 02 gave a plain RNN this task at T = 100; chapter 04 showed what the cell path does when f is "
        "near 1.",
        'prediction = "LSTM"',
        returns='one of "LSTM", "RNN", "both", "neither"'),
}
