"""Chapter 03 (the LSTM network): a gate as a sigmoid layer and a product; the cell state's update;
a prediction of what a forget gate just below 1 leaves of the cell over 50 steps.

    gated v = sigmoid(z) * v,    C_t = f_t * C_{t-1} + i_t * C~_t,    with f fixed and i = 0: C_T = f^T C_0
"""
import numpy as np

from .. import lstm
from ..activations import sigmoid
from .checking import Exercise, cases, compare
from . import predict
from .slips import update_slips


def check_apply_gate(answer):
    shapes = [(c.B, c.H) for c in cases(5)] + [(7,)]  # batches of several sizes and one plain vector
    for k, shape in enumerate(shapes):
        rng = np.random.default_rng([5, k])
        v, z = rng.standard_normal(shape), 3 * rng.standard_normal(shape)
        z.flat[0] = -40.0  # a gate nearly shut: a naive 1 / (1 + exp(-z)) still gives 0 here
        out = answer(v, z)
        slips = [(np.tanh(z) * v, "a gate uses the sigmoid (values between 0 and 1), not tanh"),
                 (z * v, "the gate's layer is sigmoid(z), not z itself"),
                 (sigmoid(z) + v, "a gate multiplies pointwise; it does not add"),
                 (sigmoid(v) * z, "v is the vector let through, z the gate's pre-activation: the sigmoid acts on z"),
                 (sigmoid(z * v), "the sigmoid acts on z alone; what it gives then multiplies v"),
                 (sigmoid(z), "return the vector let through, not the gate alone"),
                 (sigmoid(-z) * v, "that is 1 - sigmoid(z): mind the sign, sigmoid(z) = 1 / (1 + exp(-z)) "
                                   "grows with z"),
                 (np.maximum(z, 0) * v, "a gate uses the sigmoid (values between 0 and 1), not a ReLU")]
        compare(out, sigmoid(z) * v, f"the gated vector (for v and z of shape {shape})", slips)


def check_cell_update(answer):
    for case in cases(9):
        rng, shape = case.rng, (case.B, case.H)
        f, i = rng.uniform(0.05, 0.95, shape), rng.uniform(0.05, 0.95, shape)
        g, c_prev = rng.uniform(-0.95, 0.95, shape), 2 * rng.standard_normal(shape)
        out = answer(f, i, g, c_prev)
        p = lstm.init_params(1, case.H, rng)
        want = lstm.step(p, np.zeros((case.B, 1)), np.zeros(shape), c_prev, force={"f": f, "i": i, "g": g}).c
        compare(out, want, f"C_t (for arrays of shape {shape})", update_slips(f, i, g, c_prev))



def check_predict_conveyor(answer):
    predict.number(answer, 0.7 * 0.99 ** 50, "C_50", slips=[
        (0.7, "f = 0.99 is close to 1 but not 1: the cell keeps 0.99 of its value at every step, and 50 steps "
              "compound"),
        (0.7 * (1 - 50 * 0.01), "the losses compound: each step keeps 0.99 of what is left, not of C_0"),
        (0.99 ** 50, "that is the share of C_0 that is kept; C_50 starts from C_0 = 0.7"),
        (0.0, "i = 0 writes nothing new, but f = 0.99 keeps most of the old value at each step"),
        (0.7 * 0.9 ** 50, "the forget gate is forced to 0.99, not 0.9"),
        (0.7 ** 50, "at every step the cell is multiplied by f = 0.99, not by 0.7"),
        (0.7 * 0.99 * 50, "nothing is added: with i = 0 the cell only keeps what it has")])


EXERCISES = {
    "apply_gate": Exercise(
        check_apply_gate,
        "A gate is a sigmoid layer (values between 0 and 1) and a pointwise multiplication.",
        "def apply_gate(v, z):\n    return 1 / (1 + np.exp(-z)) * v",
        call="apply_gate(v, z)",
        returns="the gated vector, an array of the shape of v",
        guarded=("lstm.step", "lstm.forward")),
    "cell_update": Exercise(
        check_cell_update,
        "The old state, scaled by what is kept, plus the candidate, scaled by what is written.",
        "def cell_update(f, i, g, c_prev):\n    return f * c_prev + i * g",
        call="cell_update(f, i, g, c_prev)",
        returns="C_t, an array of the shape of c_prev",
        guarded=("lstm.step", "lstm.forward")),
    "predict_conveyor": Exercise(
        check_predict_conveyor,
        "C_t = f * C_(t-1) + i * C~_t, with f = 0.99 and i = 0 at every step.",
        "prediction = 0.7 * 0.99 ** 50  # 0.42: even f = 0.99 loses nearly 40 % of C_0 over 50 steps",
        returns="one number: your prediction"),
}
