"""Chapter 03 (the LSTM network): a gate as a sigmoid layer and a product; the cell state's update;
a prediction of what a forget gate just below 1 leaves of the cell over 50 steps.

    gated v = sigmoid(z) * v,    C_t = f_t * C_{t-1} + i_t * C~_t,    with f fixed and i = 0: C_T = f^T C_0
"""
import numpy as np

from .. import lstm
from ..activations import sigmoid
from .checking import Exercise, case_rng, cases, compare
from . import predict
from .slips import update_slips
from ..i18n import tr


def check_apply_gate(answer):
    shapes = [(c.B, c.H) for c in cases(5)] + [(7,)]  # batches of several sizes and one plain vector
    for k, shape in enumerate(shapes):
        rng = case_rng([5, k])
        v, z = rng.standard_normal(shape), 3 * rng.standard_normal(shape)
        z.flat[0] = -40.0  # a gate nearly shut: a naive 1 / (1 + exp(-z)) still gives 0 here
        out = answer(v, z)
        slips = [(np.tanh(z) * v, tr("ex03.gate_tanh")),
                 (z * v, tr("ex03.gate_no_sigmoid")),
                 (sigmoid(z) + v, tr("ex03.gate_added")),
                 (sigmoid(v) * z, tr("ex03.gate_swapped")),
                 (sigmoid(z * v), tr("ex03.gate_of_product")),
                 (sigmoid(z), tr("ex03.gate_alone")),
                 (sigmoid(-z) * v, tr("exercises.flipped_sigmoid")),
                 (np.maximum(z, 0) * v, tr("ex03.gate_relu"))]
        compare(out, sigmoid(z) * v, tr("ex03.gate_what", shape=shape), slips)


def check_cell_update(answer):
    for case in cases(9):
        rng, shape = case.rng, (case.B, case.H)
        f, i = rng.uniform(0.05, 0.95, shape), rng.uniform(0.05, 0.95, shape)
        g, c_prev = rng.uniform(-0.95, 0.95, shape), 2 * rng.standard_normal(shape)
        out = answer(f, i, g, c_prev)
        p = lstm.init_params(1, case.H, rng)
        want = lstm.step(p, np.zeros((case.B, 1)), np.zeros(shape), c_prev, force={"f": f, "i": i, "g": g}).c
        compare(out, want, tr("ex03.update_what", shape=shape), update_slips(f, i, g, c_prev))



def check_predict_conveyor(answer):
    predict.number(answer, 0.7 * 0.99 ** 50, "C_50", slips=[
        (0.7, tr("ex03.conveyor_one")),
        (0.7 * (1 - 50 * 0.01), tr("ex03.conveyor_linear")),
        (0.99 ** 50, tr("ex03.conveyor_share")),
        (0.0, tr("ex03.conveyor_zero")),
        (0.7 * 0.9 ** 50, tr("ex03.conveyor_09")),
        (0.7 ** 50, tr("ex03.conveyor_07")),
        (0.7 * 0.99 * 50, tr("ex03.conveyor_added"))])


EXERCISES = {
    "apply_gate": Exercise(
        check_apply_gate,
        "ex03.apply_gate_hint",
        call="apply_gate(v, z)",
        returns="ex03.apply_gate_returns",
        guarded=("lstm.step", "lstm.forward")),
    "cell_update": Exercise(
        check_cell_update,
        "ex03.cell_update_hint",
        call="cell_update(f, i, g, c_prev)",
        returns="ex03.cell_update_returns",
        guarded=("lstm.step", "lstm.forward")),
    "predict_conveyor": Exercise(
        check_predict_conveyor,
        "ex03.predict_conveyor_hint",
        returns="exercises.returns_prediction"),
}
