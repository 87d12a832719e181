"""Chapter 02 (the long-term dependency problem): the Jacobian of one RNN step; clipping by global norm;
a prediction read backwards from the bound (how far back it is sure to be small).

    dh_t/dh_{t-1} = diag(1 - h_t^2) W_h,  h_t = tanh(W_h h_{t-1} + W_x x_t + b)
    clip: if ||g|| > max_norm, every gradient is scaled by max_norm / ||g|| (Pascanu et al. 2013)
    ||dh_T/dh_t|| <= rho^(T - t): with rho = 0.8 the bound is below 0.01 from T - t = 21 on
"""
import numpy as np

from .. import optim, rnn
from .checking import Exercise, Probe, Wrong, cases, compare, describe, shape_of
from . import predict
from .diagnose import has_shape
from .slips import ORDER_SLIP

TRANSPOSED_W = ("your code runs only with W transposed: W has shape (H, H + D), one row per unit of h_t, and W_h "
                "is its first H columns")


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
        where = f"dh_t/dh_{{t-1}} (for D={D}, H={H})"
        out = answer(W, b, x, h_prev, probes=[Probe((W.T, b, x, h_prev), TRANSPOSED_W, has_shape((H, H)))])
        shape = shape_of(out)
        if H != D and shape == (H, H + D):
            raise Wrong(f"{where} has shape (H, H + D) = {shape}: only W_h, the first H columns of W, act on "
                        "h_{t-1}, so the Jacobian is (H, H)")
        if H != D and shape == (H, D):
            raise Wrong(f"{where} has shape (H, D) = {shape}: that is the derivative with respect to x_t; the "
                        "exercise asks for the one with respect to h_{t-1}, shape (H, H)")
        W_h = W[:, :H]
        h = np.tanh(W_h @ h_prev + W[:, H:] @ x + b)
        h_xh = np.tanh(W @ np.concatenate([x, h_prev]) + b)  # with [x, h]
        h_no_b = np.tanh(W_h @ h_prev + W[:, H:] @ x)
        want = _jacobian(W, b, x, h_prev)
        slips = [(W_h, "the derivative of tanh, diag(1 - h_t^2), is missing"),
                 (W_h * (1 - h ** 2)[None, :], "diag(1 - h_t^2) multiplies W_h from the left (scales its rows), "
                                               "not its columns"),
                 (want.T, "the Jacobian is transposed: row k is the gradient of h_t[k]"),
                 ((1 - h_prev ** 2)[:, None] * W_h, "tanh' is taken at the new state h_t, not at h_{t-1}"),
                 ((1 - h_no_b ** 2)[:, None] * W_h, "h_t includes the bias b: tanh' is taken at "
                                                    "h_t = tanh(W_h h_{t-1} + W_x x_t + b)"),
                 ((1 - np.tanh(h) ** 2)[:, None] * W_h, "h_t is already tanh(z): tanh'(z) = 1 - h_t^2, without a "
                                                        "second tanh"),
                 ((h * (1 - h))[:, None] * W_h, "h (1 - h) is the sigmoid's derivative; h_t comes from tanh"),
                 ((1 - h_xh ** 2)[:, None] * W[:, D:], ORDER_SLIP),
                 ((1 - h_xh ** 2)[:, None] * W_h, ORDER_SLIP),
                 ((1 - h ** 2)[:, None] * W[:, D:], ORDER_SLIP)]
        compare(out, want, where, slips, letters="(H, H)")


def _gradients(case):
    """(grads, max_norm) for case 0..3: norms above, below and far above max_norm; keys and shapes differ."""
    rng = np.random.default_rng([3, case])
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
         "the norm is the global one, over all gradients together, not one per array"),
        (scaled(norm, always=True), "clip only when the norm is above max_norm: smaller gradients stay as they are"),
        ({k: np.clip(g, -m, m) for k, g in grads.items()},
         "that clips each entry (by value); clipping by norm scales every array by one factor, so the direction "
         "is kept"),
        (scaled(squares), "the norm is the square root of the sum of squares"),
        (scaled(sum(np.linalg.norm(g) for g in grads.values())),
         "the global norm is the square root of the sum of all squares, not the sum of the arrays' norms"),
        (scaled(np.sqrt(squares / size)), "the norm adds up the squares; it does not average them"),
    ]
    if norm > m:
        slips += [({k: g * norm / m for k, g in grads.items()}, "scale by max_norm / norm, not norm / max_norm"),
                  (grads, f"nothing was scaled, though the global norm, {norm:.3g}, is above max_norm = {m:g}")]
    if m != 1:
        slips.append(({k: g / norm for k, g in grads.items()}, "scale to max_norm, not to norm 1"))
    return slips


def check_clip(answer):
    for case in range(4):
        grads, m = _gradients(case)
        want = {k: v.copy() for k, v in grads.items()}
        optim.clip_grad_norm(want, m)
        out = answer(grads, m)
        if not isinstance(out, dict):
            raise Wrong(f"return a dict with the same keys as grads; yours is {describe(out)}")
        if set(out) != set(grads):
            raise Wrong(f"return a dict with the same keys as grads, {sorted(grads)}; yours has "
                        f"{sorted(map(str, out))}")
        where = f"(gradients of global norm {optim.global_norm(grads):.3g}, max_norm = {m:g})"
        slips = _clip_slips(grads, m)
        for k in grads:
            compare(out[k], want[k], f"the clipped {k!r} {where}", [(s[k], why) for s, why in slips])



def check_predict_bound(answer):
    linear = "the bound shrinks by the factor 0.8 at each step back, 0.8^(T - t); it does not lose 0.2 per step"
    value = "the question asks for a distance, a number of steps back, not for the bound's value there"
    predict.number(answer, 21, "the smallest distance T - t at which ||dh_T/dh_t|| is sure to be below 0.01",
                   rel=0.001, slips=[
                       (np.log(0.01) / np.log(0.8), "a distance is a whole number of steps: the smallest whole "
                                                    "T - t with 0.8^(T - t) below 0.01"),
                       (20, "at that distance the bound 0.8^(T - t) is still above 0.01"),
                       (22, "the bound is below 0.01 at that distance, but that is not the smallest such distance"),
                       (4.95, linear), (5, linear), (0.8 ** 21, value), (0.8 ** 20, value)])


EXERCISES = {
    "step_jacobian": Exercise(
        check_step_jacobian,
        "h_t = tanh(z) with z = W_h h_{t-1} + W_x x_t + b; the chain rule gives tanh'(z) times dz/dh.",
        "def step_jacobian(W, b, x_t, h_prev):\n    H = len(h_prev)\n"
        "    h = np.tanh(W[:, :H] @ h_prev + W[:, H:] @ x_t + b)\n"
        "    return (1 - h**2)[:, None] * W[:, :H]  # diag(1 - h^2) W_h",
        call="step_jacobian(W, b, x_t, h_prev)",
        returns="dh_t/dh_{t-1}, an array of shape (H, H)",
        guarded=("rnn.step", "rnn.forward", "rnn.backward", "gradflow.state_jacobians")),
    "clip": Exercise(
        check_clip,
        "Compute one norm over all arrays together: sqrt of the sum of every squared entry.",
        "def clip(grads, max_norm):\n    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))\n"
        "    scale = min(1.0, max_norm / norm)\n    return {k: g * scale for k, g in grads.items()}",
        call="clip(grads, max_norm)",
        returns="a dict with the keys of grads and the scaled arrays",
        guarded=("optim.clip_grad_norm", "optim.global_norm")),
    "predict_bound": Exercise(
        check_predict_bound,
        "Each of the T - t Jacobians diag(1 - h^2) W_h has norm at most ||W_h|| = rho = 0.8, so the bound is "
        "0.8^(T - t); a distance is a whole number of steps.",
        "prediction = 21  # 0.8^20 = 0.0115 is still above 0.01; 0.8^21 = 0.0092 is below",
        returns="one number: your prediction"),
}
