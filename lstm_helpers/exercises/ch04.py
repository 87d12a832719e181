"""Chapter 04 (the forget gate): f_t itself; how long a memory lasts for a given forget bias.

    f_t = sigmoid(W_f [h_{t-1}, x_t] + b_f);  with nothing written, C_t = f^t C_0
"""
import numpy as np

from .. import lstm
from ..activations import sigmoid
from .checking import Exercise, Wrong, as_whole_number, cases, compare
from . import predict
from .diagnose import layer_probes, narrow_layer
from .slips import layer_slips


def check_forget_gate(answer):
    for case in cases(13):
        B, D, H, rng = case.B, case.D, case.H, case.rng
        p = lstm.init_params(D, H, rng)
        p["b_f"] = rng.standard_normal(H)  # a bias that differs per unit, so a missing or misplaced one shows
        x, h = rng.standard_normal((B, D)), rng.standard_normal((B, H))
        args, roles = (p["W_f"], p["b_f"], x, h), ("W", "b", "x", "h")

        def reference(W_f, b_f, x, h, p=p):
            return lstm.step({**p, "W_f": W_f, "b_f": b_f}, x, h, np.zeros_like(h)).f
        out = answer(*args, probes=layer_probes(args, roles, (B, H)))
        compare(out, reference(*args), f"f_t ({case.label})", layer_slips(*args, "sigmoid", "a gate", "b_f"),
                within=(0, 1, "a gate's range"), letters="(B, H)",
                explain=narrow_layer(answer, args, roles, reference, weight="W_f", bias="b_f"))


def check_steps_to_forget(answer):
    for b in (2.0, -1.0, 0.0, 0.4, 3.0, 5.0):  # 2.0 first: there every slip gives its own number
        f = float(sigmoid(b))
        want = int(np.ceil(np.log(0.01) / np.log(f)))  # the first t with f^t < 1 %
        out = as_whole_number(answer(b), f"steps_to_forget({b})")
        if out == want:
            continue
        if out == want - 1 or out == int(np.floor(np.log(0.01) / np.log(f))):
            raise Wrong(f"for b_f = {b} you return {out}: that many steps still leave at least 1 %")
        if out == want + 1:
            raise Wrong(f"for b_f = {b} you return {out}: off by one, one step fewer already leaves less than 1 %")
        if out == int(np.ceil(np.log(0.01) / np.log(1 - f))):
            raise Wrong(f"for b_f = {b} you return {out}: f is the fraction kept at each step (1 - f is forgotten)")
        raise Wrong(f"for b_f = {b} you return {out}; remember that f = sigmoid(b_f), and that the value left "
                    "after t steps is f**t")



def check_predict_survival(answer):
    f = float(sigmoid(2.0))
    predict.number(answer, f ** 10, "the fraction left after 10 steps", slips=[
        (f, "that is one step; the value is multiplied by f at each of the 10 steps"),
        (10 * f, "the forget gates multiply, they do not add"),
        (1 - 10 * (1 - f), "the losses compound: multiply by f ten times"),
        (2.0 ** -10, "f is sigma(b_f), not 1/b_f"),
        (f ** 9, "count the steps: 10 forget gates act on the value"),
        (f ** 11, "count the steps: 10 forget gates act on the value")])

EXERCISES = {
    "forget_gate": Exercise(
        check_forget_gate,
        "Exactly like one RNN step, with the sigmoid in place of tanh: join [h_prev, x_t], multiply "
        "by W_f transposed, add b_f.",
        "def forget_gate(W_f, b_f, x_t, h_prev):\n    hx = np.concatenate([h_prev, x_t], axis=1)\n"
        "    return 1 / (1 + np.exp(-(hx @ W_f.T + b_f)))",
        call="forget_gate(W_f, b_f, x_t, h_prev)",
        returns="f_t, an array of shape (B, H)",
        guarded=("lstm.step", "lstm.forward")),
    "steps_to_forget": Exercise(
        check_steps_to_forget,
        "With nothing written, C_t = f**t C_0. Find the smallest whole t with f**t < 0.01: "
        "take logarithms (both are negative).",
        "def steps_to_forget(b_f):\n    f = 1 / (1 + np.exp(-b_f))\n"
        "    return int(np.ceil(np.log(0.01) / np.log(f)))",
        call="steps_to_forget(b_f)",
        returns="a whole number of steps"),
    "predict_survival": Exercise(
        check_predict_survival,
        "With the weights at zero, f = sigma(b_f) at every step, and C_t = f * C_(t-1).",
        "prediction = (1 / (1 + np.exp(-2.0))) ** 10",
        returns="one number: your prediction"),
}
