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
from ..i18n import tr


def _works_only_for(what):
    """The message for an answer that raised on a run but works on ``what`` (one step, one example)."""
    return tr("ex04.works_only_for", what=what)


def time_first_slip():
    """The steps stacked along the first axis, in the current language."""
    return tr("ex04.time_first")


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
                                          _works_only_for(tr("ex04.one_step")),
                                          has_shape((B, H))),
                                    Probe((W_f, b_f, xs[0, 0], h_prevs[0, 0]),
                                          _works_only_for(tr("ex04.one_example")),
                                          has_shape((H,)))])
        if shape_of(out) == (T, B, H) and close(out, np.swapaxes(want, 0, 1)):
            raise Wrong(tr("ex04.time_first_wrong", what=tr("ex04.gates_what", B=B, D=case.D, H=H, T=T),
                           slip=time_first_slip()))
        shifted = np.concatenate([np.zeros((B, 1, H)), h_prevs[:, :-1]], axis=1)  # read as if it held h_t
        slips = layer_slips(*args, "sigmoid", "a gate", "b_f") + [
            (layer(W_f, b_f, xs, shifted), tr("ex04.shifted"))]
        compare(out, want, tr("ex04.gates_what", B=B, D=case.D, H=H, T=T), slips,
                within=(0, 1, tr("ex04.gate_range")), letters="(B, T, H)",
                explain=narrow_layer(answer, args, ("W", "b", "x", "h"), reference, weight="W_f", bias="b_f"))


def check_steps_to_forget(answer):
    for b in (2.0, -1.0, 0.0, 0.4, 3.0, 5.0):  # 2.0 first: there every slip gives its own number
        f = float(sigmoid(b))
        want = int(np.ceil(np.log(0.01) / np.log(f)))  # the first t with f^t < 1 %
        out = as_whole_number(answer(b), f"steps_to_forget({b})")  # code: the same in every language
        if out == want:
            continue
        if out == want - 1 or out == int(np.floor(np.log(0.01) / np.log(f))):
            raise Wrong(tr("ex04.steps_too_few", b=b, out=out))
        if out == want + 1:
            raise Wrong(tr("ex04.steps_one_more", b=b, out=out))
        if out == int(np.ceil(np.log(0.01) / np.log(1 - f))):
            raise Wrong(tr("ex04.steps_forgotten", b=b, out=out))
        raise Wrong(tr("ex04.steps_otherwise", b=b, out=out))


def check_predict_survival(answer):
    f = float(sigmoid(2.0))
    predict.number(answer, f ** 10, tr("ex04.survival_what"), slips=[
        (f, tr("ex04.survival_one_step")),
        (10 * f, tr("ex04.survival_added")),
        (1 - 10 * (1 - f), tr("ex04.survival_linear")),
        (2.0 ** -10, tr("ex04.survival_inverse")),
        (f ** 9, tr("ex04.survival_count")),
        (f ** 11, tr("ex04.survival_count"))])

EXERCISES = {
    "forget_gates": Exercise(
        check_forget_gates,
        "ex04.forget_gates_hint",
        call="forget_gates(W_f, b_f, xs, h_prevs)",
        returns="ex04.forget_gates_returns",
        guarded=("lstm.step", "lstm.forward")),
    "steps_to_forget": Exercise(
        check_steps_to_forget,
        "ex04.steps_to_forget_hint",
        call="steps_to_forget(b_f)",
        returns="ex04.steps_to_forget_returns"),
    "predict_survival": Exercise(
        check_predict_survival,
        "ex04.predict_survival_hint",
        returns="exercises.returns_prediction"),
}
