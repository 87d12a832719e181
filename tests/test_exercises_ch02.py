"""Chapter 02's exercises: step_jacobian (now with a nonzero bias) and clip, with their catalogues."""
import numpy as np

from lstm_helpers import exercises as ex, gradflow, optim, rnn


def parts(W, b, x, h_prev):
    H = len(h_prev)
    return W[:, :H], W[:, H:], H


def jac(form):
    """A Jacobian answer built from h_t = tanh(W_h h + W_x x + b)."""
    def fn(W, b, x_t, h_prev):
        W_h, W_x, H = parts(W, b, x_t, h_prev)
        h = np.tanh(W_h @ h_prev + W_x @ x_t + b)
        return form(h, W_h, W, b, x_t, h_prev)
    return fn


def no_bias(W, b, x_t, h_prev):  # the reviewer's: passed while the only case had b = 0
    W_h, W_x, H = parts(W, b, x_t, h_prev)
    h = np.tanh(W_h @ h_prev + W_x @ x_t)
    return (1 - h ** 2)[:, None] * W_h


def via_backward(W, b, x_t, h_prev):
    H = len(h_prev)
    _, cache = rnn.forward({"W": W, "b": b}, np.broadcast_to(x_t, (H, 1, len(x_t))), np.broadcast_to(h_prev, (H, H)))
    return rnn.backward(np.eye(H)[:, None], cache)["h0"]


def global_norm(grads):
    return np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))


def clip_with(norm_of, always=False):
    def fn(grads, max_norm):
        n = norm_of(grads)
        scale = max_norm / n if always or n > max_norm else 1.0
        return {k: g * scale for k, g in grads.items()}
    return fn


CATALOGUE = {
    "step_jacobian": [
        ("no bias (the reviewer's)", no_bias, "includes the bias b"),
        ("no tanh'", jac(lambda h, W_h, *a: W_h), "derivative of tanh"),
        ("scales the columns", jac(lambda h, W_h, *a: W_h * (1 - h ** 2)[None, :]), "not its columns"),
        ("transposed", jac(lambda h, W_h, *a: ((1 - h ** 2)[:, None] * W_h).T), "transposed"),
        ("tanh' at h_prev", jac(lambda h, W_h, W, b, x, hp: (1 - hp ** 2)[:, None] * W_h), "not at h_{t-1}"),
        ("tanh twice", jac(lambda h, W_h, *a: (1 - np.tanh(h) ** 2)[:, None] * W_h), "second tanh"),
        ("sigmoid's derivative", jac(lambda h, W_h, *a: (h * (1 - h))[:, None] * W_h), "sigmoid's derivative"),
        ("the whole W", jac(lambda h, W_h, W, *a: (1 - h ** 2)[:, None] * W), "only W_h"),
        ("with respect to x", jac(lambda h, W_h, W, *a: (1 - h ** 2)[:, None] * W[:, W_h.shape[0]:]),
         "with respect to x_t"),
        ("[x, h]", lambda W, b, x, hp: (1 - np.tanh(W @ np.concatenate([x, hp]) + b) ** 2)[:, None] * W[:, len(x):],
         "hidden state first"),
        ("W transposed", lambda W, b, x, hp: (1 - np.tanh(np.concatenate([hp, x]) @ W + b) ** 2)[:, None] * W[:len(hp)],
         "runs only with W transposed"),
        ("a vector", jac(lambda h, W_h, *a: 1 - h ** 2), "shape"),
        ("calls the package", lambda W, b, x, hp: gradflow.state_jacobians("rnn", {"W": W, "b": b}, x[None], hp)[0][0],
         "gradflow.state_jacobians is what you are rebuilding"),
        ("calls the package's backward", via_backward, "rnn.forward is what you are rebuilding"),
    ],
    "clip": [
        ("each array by its own norm", lambda g, m: {k: v * min(1, m / np.linalg.norm(v)) for k, v in g.items()},
         "global one"),
        ("always scales", clip_with(global_norm, always=True), "only when the norm is above max_norm"),
        ("by value", lambda g, m: {k: np.clip(v, -m, m) for k, v in g.items()}, "by value"),
        ("no square root", clip_with(lambda g: sum(np.sum(v ** 2) for v in g.values())), "square root"),
        ("inverted factor", lambda g, m: {k: v * max(1, global_norm(g) / m) for k, v in g.items()}, "max_norm / norm"),
        ("min(1, norm / max_norm)", lambda g, m: {k: v * min(1, global_norm(g) / m) for k, v in g.items()},
         "nothing was scaled"),
        ("sum of the norms", clip_with(lambda g: sum(np.linalg.norm(v) for v in g.values())),
         "sum of the arrays' norms"),
        ("mean of squares", clip_with(lambda g: np.sqrt(np.mean(np.concatenate([v.ravel() for v in g.values()]) ** 2))),
         "does not average"),
        ("to unit norm", lambda g, m: {k: v / global_norm(g) for k, v in g.items()}, "not to norm 1"),
        ("unchanged", lambda g, m: g, "nothing was scaled"),
        ("keys lost", lambda g, m: {"W": g["W"]}, "same keys"),
        ("a list", lambda g, m: list(g.values()), "return a dict"),
        ("calls the package", lambda g, m: (optim.clip_grad_norm(g, m), g)[1], "optim.clip_grad_norm is what you"),
        ("its norm from the package", clip_with(lambda g: optim.global_norm(g)), "optim.global_norm is what you"),
    ],
}


def test_reasonable_variants_of_correct_answers_pass():
    assert ex.check("step_jacobian", jac(lambda h, W_h, *a: np.diag(1 - h ** 2) @ W_h))
    assert ex.check("clip", clip_with(global_norm))

    def in_place(grads, max_norm):  # scaling the arrays it was given and returning them is fine too
        n = global_norm(grads)
        for g in grads.values():
            g *= min(1.0, max_norm / n)
        return grads
    assert ex.check("clip", in_place)
