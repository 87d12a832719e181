"""Chapter 04 (the forget gate): f_t of every step of a recorded run; how long a memory lasts for a given bias.

    f_t = sigmoid(W_f [h_{t-1}, x_t] + b_f) for t = 1 ... T;  with nothing written, C_t = f^t C_0
"""
import numpy as np

from .. import lstm
from ..activations import sigmoid
from .checking import Exercise, Probe, Wrong, as_whole_number, cases, close, compare, shape_of
from . import predict
from .diagnose import WEIGHT_SLIP, has_shape, narrow_layer
from .slips import layer, layer_slips


def _works_only_for(what):
    """The message for an answer that raised on a run but works on ``what`` (one step, one example)."""
    return (f"your code works for {what} but not for a whole run: xs is (B, T, D) and h_prevs (B, T, H), so axis 1 "
            "is time; [h_{t-1}, x_t] joins the features, the last axis")


TIME_FIRST_SLIP = ("the steps are stacked along the first axis, (T, B, H); the result is batch first like xs, "
                   "(B, T, H), with f[:, t - 1] = f_t")


def _recorded_run(case):
    """p and (W_f, b_f, xs, h_prevs) of a run of a random LSTM over T steps, T unlike B, D, H and H + D."""
    B, D, H, rng = case.B, case.D, case.H, case.rng
    T = int(next(t for t in rng.permutation(np.arange(2, 10)) if t not in (B, D, H, H + D)))
    p = lstm.init_params(D, H, rng)
    p["b_f"] = rng.standard_normal(H)  # a bias that differs per unit, so a missing or misplaced one shows
    xs, h0 = rng.standard_normal((B, T, D)), rng.standard_normal((B, H))
    out, _ = lstm.forward(p, xs, h0=h0)
    h_prevs = np.concatenate([h0[:, None], out.h[:, :-1]], axis=1)  # (B, T, H): h_{t-1} beside x_t
    return p, (p["W_f"], p["b_f"], xs, h_prevs)


def check_forget_gates(answer):
    for case in cases(13):
        p, args = _recorded_run(case)
        W_f, b_f, xs, h_prevs = args
        B, T, H = h_prevs.shape

        def reference(W_f, b_f, xs, h_prevs, p=p):
            B, T, D = xs.shape  # every step at once: the (B, T) pairs as one batch of B * T rows
            rows = lstm.step({**p, "W_f": W_f, "b_f": b_f}, xs.reshape(B * T, D), h_prevs.reshape(B * T, -1),
                             np.zeros((B * T, h_prevs.shape[2])))
            return rows.f.reshape(B, T, -1)
        want = reference(*args)
        out = answer(*args, probes=[Probe((W_f.T, b_f, xs, h_prevs), WEIGHT_SLIP, has_shape((B, T, H))),
                                    Probe((W_f, b_f, xs[:, 0], h_prevs[:, 0]),
                                          _works_only_for("one step (x_t of shape (B, D), h_prev (B, H))"),
                                          has_shape((B, H))),
                                    Probe((W_f, b_f, xs[0, 0], h_prevs[0, 0]),
                                          _works_only_for("one example at one step (1-D x_t and h_prev)"),
                                          has_shape((H,)))])
        if shape_of(out) == (T, B, H) and close(out, np.swapaxes(want, 0, 1)):
            raise Wrong(f"f ({case.label}, T={T}): {TIME_FIRST_SLIP}")
        shifted = np.concatenate([np.zeros((B, 1, H)), h_prevs[:, :-1]], axis=1)  # read as if it held h_t
        slips = layer_slips(*args, "sigmoid", "a gate", "b_f") + [
            (layer(W_f, b_f, xs, shifted), "h_prevs is already lined up with xs: h_prevs[:, t - 1] is h_{t-1}, the "
                                           "state the step with input xs[:, t - 1] reads; do not shift it")]
        compare(out, want, f"f ({case.label}, T={T})", slips, within=(0, 1, "a gate's range"), letters="(B, T, H)",
                explain=narrow_layer(answer, args, ("W", "b", "x", "h"), reference, weight="W_f", bias="b_f"))


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
    "forget_gates": Exercise(
        check_forget_gates,
        "The same layer as for one step, at every step at once: join [h_prevs, xs] along the last axis (the "
        "features; axis 1 is time), multiply by W_f transposed (@ works over the leading axes B and T), add b_f, "
        "apply the sigmoid. A loop over the steps that fills f[:, t - 1] works too.",
        "def forget_gates(W_f, b_f, xs, h_prevs):\n"
        "    hx = np.concatenate([h_prevs, xs], axis=-1)      # (B, T, H + D), hidden state first\n"
        "    return 1 / (1 + np.exp(-(hx @ W_f.T + b_f)))      # (B, T, H)",
        call="forget_gates(W_f, b_f, xs, h_prevs)",
        returns="f for every step, an array of shape (B, T, H)",
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
