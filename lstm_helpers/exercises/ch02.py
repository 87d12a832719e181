"""Chapter 02 (the long-term dependency problem): the Jacobian of one RNN step; clipping by global norm;
a prediction read backwards from the bound (how far back it is sure to be small).

    dh_t/dh_{t-1} = diag(1 - h_t^2) W_h,  h_t = tanh(W_h h_{t-1} + W_x x_t + b)
    clip: if ||g|| > max_norm, every gradient is scaled by max_norm / ||g|| (Pascanu et al. 2013)
    ||dh_T/dh_t|| <= rho^(T - t): with rho = 0.8 the bound is below 0.01 from T - t = 21 on
"""
import numpy as np

from .. import optim, rnn
from .checking import Exercise, Probe, Wrong, case_rng, cases, compare, describe, shape_of
from . import predict
from .diagnose import has_shape
from .slips import order_slip
from ..i18n import tr

TRANSPOSED_W = "ex02.transposed_W"  # a key: a probe's explanation is looked up when it is shown


def _jacobian(W, b, x, h_prev):
    """dh_t/dh_{t-1} from the package's own backward: H copies of the step, copy k asks for h_t[k]."""
    H = len(h_prev)
    _, cache = rnn.forward({"W": W, "b": b}, np.broadcast_to(x, (H, 1, len(x))), np.broadcast_to(h_prev, (H, H)))
    return rnn.backward(np.eye(H)[:, None, :], cache)["h0"]


def check_step_jacobian(answer):
    for case in cases(11):
        D, H, rng = case.D, case.H, case.rng
        W, b = rnn.init_params(D, H, rng)["W"], rng.standard_normal(H)  # a nonzero bias, so a missing one shows
        x, h_prev = rng.standard_normal(D), rng.standard_normal(H)
        where = tr("ex02.jacobian_what", D=D, H=H)
        out = answer(W, b, x, h_prev, probes=[Probe((W.T, b, x, h_prev), TRANSPOSED_W, has_shape((H, H)))])
        shape = shape_of(out)
        if H != D and shape == (H, H + D):
            raise Wrong(tr("ex02.jacobian_whole_W", where=where, shape=shape))
        if H != D and shape == (H, D):
            raise Wrong(tr("ex02.jacobian_wrt_x", where=where, shape=shape))
        W_h = W[:, :H]
        h = np.tanh(W_h @ h_prev + W[:, H:] @ x + b)
        h_xh = np.tanh(W @ np.concatenate([x, h_prev]) + b)  # with [x, h]
        h_no_b = np.tanh(W_h @ h_prev + W[:, H:] @ x)
        want = _jacobian(W, b, x, h_prev)
        slips = [(W_h, tr("ex02.jacobian_no_derivative")),
                 (W_h * (1 - h ** 2)[None, :], tr("ex02.jacobian_columns")),
                 (want.T, tr("ex02.jacobian_transposed")),
                 ((1 - h_prev ** 2)[:, None] * W_h, tr("ex02.jacobian_at_h_prev")),
                 ((1 - h_no_b ** 2)[:, None] * W_h, tr("ex02.jacobian_no_bias")),
                 ((1 - np.tanh(h) ** 2)[:, None] * W_h, tr("ex02.jacobian_tanh_twice")),
                 ((h * (1 - h))[:, None] * W_h, tr("ex02.jacobian_sigmoid")),
                 ((1 - h_xh ** 2)[:, None] * W[:, D:], order_slip()),
                 ((1 - h_xh ** 2)[:, None] * W_h, order_slip()),
                 ((1 - h ** 2)[:, None] * W[:, D:], order_slip())]
        compare(out, want, where, slips, letters="(H, H)")


def _gradients(case):
    """(grads, max_norm) for case 0..3: norms above, below and far above max_norm; keys and shapes differ."""
    rng = case_rng([3, case])
    if case == 0:
        sizes, scale, max_norm = {"W": (3, 4), "b": (3,), "V": (2, 5)}, 2.0, 1.0
    elif case == 1:
        sizes, scale, max_norm = {"W": (4, 2), "b": (4,)}, 0.1, 5.0  # already small: nothing to clip
    elif case == 2:
        sizes, scale, max_norm = {"W_f": (2, 5), "b_f": (2,), "W_o": (2, 5)}, 10.0, 2.5
    else:
        sizes, scale, max_norm = {"W": (4, 4)}, 1.0, 0.5  # one array: there per-array and global agree
    return {k: scale * rng.standard_normal(shape) for k, shape in sizes.items()}, max_norm


def _clip_slips(grads, m):
    """(clipped dict, explanation) for the common slips in clipping by global norm."""
    norm = optim.global_norm(grads)
    squares = norm ** 2
    size = sum(g.size for g in grads.values())

    def scaled(n, always=False):  # scaled as if the global norm were n
        return {k: g * (m / n if always or n > m else 1.0) for k, g in grads.items()}
    slips = [
        ({k: g * min(1.0, m / np.linalg.norm(g)) for k, g in grads.items()},
         tr("ex02.clip_per_array")),
        (scaled(norm, always=True), tr("ex02.clip_always")),
        ({k: np.clip(g, -m, m) for k, g in grads.items()}, tr("ex02.clip_by_value")),
        (scaled(squares), tr("ex02.clip_no_sqrt")),
        (scaled(sum(np.linalg.norm(g) for g in grads.values())), tr("ex02.clip_sum_of_norms")),
        (scaled(np.sqrt(squares / size)), tr("ex02.clip_mean")),
    ]
    if norm > m:
        slips += [({k: g * norm / m for k, g in grads.items()}, tr("ex02.clip_inverted")),
                  (grads, tr("ex02.clip_nothing", norm=norm, m=m))]
    if m != 1:
        slips.append(({k: g / norm for k, g in grads.items()}, tr("ex02.clip_to_one")))
    return slips


def check_clip(answer):
    for case in range(4):
        grads, m = _gradients(case)
        want = {k: v.copy() for k, v in grads.items()}
        optim.clip_grad_norm(want, m)
        out = answer(grads, m)
        if not isinstance(out, dict):
            raise Wrong(tr("ex02.clip_not_a_dict", got=describe(out)))
        if set(out) != set(grads):
            raise Wrong(tr("ex02.clip_keys", keys=sorted(grads), got=sorted(map(str, out))))
        norm = optim.global_norm(grads)
        slips = _clip_slips(grads, m)
        for k in grads:
            compare(out[k], want[k], tr("ex02.clip_what", name=repr(k), norm=norm, m=m),
                    [(s[k], why) for s, why in slips])



def check_predict_bound(answer):
    linear = tr("ex02.bound_linear")
    value = tr("ex02.bound_value")
    predict.number(answer, 21, tr("ex02.bound_what"), rel=0.001, slips=[
                       (np.log(0.01) / np.log(0.8), tr("ex02.bound_fraction")),
                       (20, tr("ex02.bound_20")),
                       (22, tr("ex02.bound_22")),
                       (4.95, linear), (5, linear), (0.8 ** 21, value), (0.8 ** 20, value)])


EXERCISES = {
    "step_jacobian": Exercise(
        check_step_jacobian,
        "ex02.step_jacobian_hint",
        call="step_jacobian(W, b, x_t, h_prev)",
        returns="ex02.step_jacobian_returns",
        guarded=("rnn.step", "rnn.forward", "rnn.backward", "gradflow.state_jacobians")),
    "clip": Exercise(
        check_clip,
        "ex02.clip_hint",
        call="clip(grads, max_norm)",
        returns="ex02.clip_returns",
        guarded=("optim.clip_grad_norm", "optim.global_norm")),
    "predict_bound": Exercise(
        check_predict_bound,
        "ex02.predict_bound_hint",
        returns="exercises.returns_prediction"),
}
