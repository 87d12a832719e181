"""Chapter 05 (the input gate): what a step writes, from the two layers stacked in one matrix; the new cell state.

    i_t = sigmoid(W_i [h_{t-1}, x_t] + b_i),  C~_t = tanh(W_c [h_{t-1}, x_t] + b_c),  W = [W_i; W_c] (2H, H + D)
    C_t = f_t * C_{t-1} + i_t * C~_t
"""
import numpy as np

from .. import lstm
from .checking import Exercise, Probe, Wrong, cases, compare, shape_of
from . import predict
from .diagnose import has_shape, layer_probes, narrow_cell, narrow_layer
from .slips import ACTS, cell_slips, layer, order_slip
from ..i18n import tr


def _params(case, biases):
    """LSTM parameters for a case, with random nonzero biases ``biases`` (so a missing one shows)."""
    p = lstm.init_params(case.D, case.H, case.rng)
    for k in biases:
        p[k] = case.rng.standard_normal(case.H)
    return p


# keys: a probe's explanation is looked up when it is shown
STACKED_WEIGHT_SLIP = "ex05.stacked_weight_slip"
BY_COLUMNS_SLIP = "ex05.by_columns_slip"


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
            raise Wrong(tr("ex05.written_two_arrays", label=case.label))

        def product(i_act="sigmoid", g_act="tanh", **slip):
            """i_t * C~_t from the halves of W and b, with a slip switched on."""
            return layer(W[:H], b[:H], x, h, ACTS[i_act], **slip) * layer(W[H:], b[H:], x, h, ACTS[g_act], **slip)
        i, g = layer(W[:H], b[:H], x, h, ACTS["sigmoid"]), layer(W[H:], b[H:], x, h, ACTS["tanh"])
        slips = [(product("tanh", "sigmoid"), tr("ex05.halves_swapped")),
                 (product("sigmoid", "sigmoid"), tr("exercises.candidate_not_sigmoid")),
                 (product("tanh", "tanh"), tr("exercises.gate_not_tanh", gate=tr("exercises.word_i"))),
                 (i + g, tr("ex05.written_sum")),
                 (i, tr("ex05.written_gate_alone")),
                 (g, tr("ex05.written_candidate_alone")),
                 (product(order="xh"), order_slip()),
                 (product(bias=False), tr("exercises.bias_missing", bias="b")),
                 (product("identity", "identity"), tr("ex05.written_no_acts"))]
        compare(out, reference(*args), tr("ex05.written_what", label=case.label), slips,
                within=(-1, 1, tr("ex05.written_range")), letters="(B, H)",
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
        compare(out, reference(*args), tr("ex05.cell_what", label=case.label),
                cell_slips(p, x, h, c) + [(lstm.step(p, x, h, c).h, tr("ex05.cell_is_h"))],
                letters="(B, H)", explain=narrow_cell(answer, p, x, h, c, reference))



def check_predict_accumulate(answer):
    predict.number(answer, 2.0, "C_4", rel=0, abs_tol=1e-6, slips=[
        (0.5, tr("ex05.accumulate_overwrite")),
        (0.5 ** 4, tr("ex05.accumulate_multiplied")),
        (1.5, tr("ex05.accumulate_count")),
        (2.5, tr("ex05.accumulate_count_from_zero")),
        (0.0, tr("ex05.accumulate_zero"))])

EXERCISES = {
    "written": Exercise(
        check_written,
        "ex05.written_hint",
        call="written(W, b, x_t, h_prev)",
        returns="ex05.written_returns",
        guarded=("lstm.step", "lstm.forward")),
    "cell_state": Exercise(
        check_cell_state,
        "ex05.cell_state_hint",
        call="cell_state(p, x_t, h_prev, c_prev)",
        returns="ex05.cell_state_returns",
        guarded=("lstm.step", "lstm.forward")),
    "predict_accumulate": Exercise(
        check_predict_accumulate,
        "ex05.predict_accumulate_hint",
        returns="exercises.returns_prediction"),
}
