"""Chapter 01's exercises: rnn_forward, stacked_rnn_param_count and to_input_first, each with its catalogue of
wrong answers."""
import numpy as np

from lstm_helpers import exercises as ex, rnn
from test_exercises import assert_wrong


RNG = np.random.default_rng(0)


def sig(z):
    return 1 / (1 + np.exp(-z))


def loop(W, b, xs, h0, act=np.tanh, order="hx", bias=True, carry=True, start=None, transpose_W=False):
    """The forward loop, with one slip switched on by a keyword."""
    h = h0 if start is None else start
    hs = []
    for t in range(xs.shape[1]):
        prev = h if carry else h0
        hx = np.concatenate([prev, xs[:, t]] if order == "hx" else [xs[:, t], prev], axis=1)
        z = hx @ (W if transpose_W else W.T)
        h = act(z + b if bias else z)
        hs.append(h)
    return np.stack(hs, axis=1)


def right(W, b, xs, h0):
    return loop(W, b, xs, h0)


def stacked(D, H, L):
    return H * (H + D) + H + (L - 1) * (2 * H * H + H)


def kernel(W, H, at):
    return np.concatenate([W[:, at:], W[:, :at]], axis=1).T


CATALOGUE = {
    "rnn_forward": [
        ("only the last h", lambda W, b, xs, h0: right(W, b, xs, h0)[:, -1], "not only"),
        ("time first", lambda W, b, xs, h0: right(W, b, xs, h0).transpose(1, 0, 2), "batch first"),
        ("a list of states", lambda W, b, xs, h0: list(right(W, b, xs, h0).transpose(1, 0, 2)), "time first"),
        ("state not carried", lambda W, b, xs, h0: loop(W, b, xs, h0, carry=False), "state must be carried"),
        ("off by one: h0 in, h_T out",
         lambda W, b, xs, h0: np.concatenate([h0[:, None], right(W, b, xs, h0)[:, :-1]], axis=1), "off by one"),
        ("h0 and every h_t", lambda W, b, xs, h0: np.concatenate([h0[:, None], right(W, b, xs, h0)], axis=1),
         "T + 1 states"),
        ("[x, h]", lambda W, b, xs, h0: loop(W, b, xs, h0, order="xh"), "hidden state first"),
        ("W not transposed", lambda W, b, xs, h0: loop(W, b, xs, h0, transpose_W=True),
         "runs only with the weights transposed"),
        ("no bias", lambda W, b, xs, h0: loop(W, b, xs, h0, bias=False), "bias b is missing"),
        ("no tanh", lambda W, b, xs, h0: loop(W, b, xs, h0, act=lambda z: z), "activation (tanh) is missing"),
        ("sigmoid", lambda W, b, xs, h0: loop(W, b, xs, h0, act=sig), "not the sigmoid"),
        ("zeros for h0", lambda W, b, xs, h0: loop(W, b, xs, h0, start=np.zeros_like(h0)), "not from zeros"),
        ("calls rnn.forward", lambda W, b, xs, h0: rnn.forward({"W": W, "b": b}, xs, h0)[0],
         "rnn.forward is what you are rebuilding"),
        ("loops with rnn.step", lambda W, b, xs, h0: np.stack(
            [rnn.step({"W": W, "b": b}, xs[:, t], h0) for t in range(xs.shape[1])], axis=1),
         "rnn.step is what you are rebuilding"),
    ],
    "stacked_rnn_param_count": [
        ("every layer reads D (L times one layer)", lambda D, H, L: L * (H * (H + D) + H), "not x_t"),
        ("one shared W (L ignored)", lambda D, H, L: H * (H + D) + H, "its own W and b"),
        ("PyTorch's two biases", lambda D, H, L: stacked(D, H, L) + L * H, "PyTorch"),
        ("upper layers without recurrent weights", lambda D, H, L: H * (H + D) + H + (L - 1) * (H * H + H),
         "reads two things"),
        ("no biases", lambda D, H, L: stacked(D, H, L) - L * H, "bias b has parameters too"),
        ("the first layer reads H", lambda D, H, L: L * (2 * H * H + H), "not H"),
        ("L + 1 layers", lambda D, H, L: stacked(D, H, L + 1), "there are L layers"),
        ("hard-coded", lambda D, H, L: 155, "count each layer"),
        ("a fraction", lambda D, H, L: stacked(D, H, L) + 0.5, "whole number"),
        ("calls the package", lambda D, H, L: sum(v.size for v in rnn.init_params(D, H, RNG).values()) +
         (L - 1) * sum(v.size for v in rnn.init_params(H, H, RNG).values()), "count the parameters yourself"),
    ],
    "to_input_first": [
        ("W.T without reordering", lambda W, H: W.T, "still in our order"),
        ("reordered, not transposed", lambda W, H: np.concatenate([W[:, H:], W[:, :H]], axis=1), "transposed"),
        ("W as it is", lambda W, H: W, "our W as it is"),
        ("split at D", lambda W, H: kernel(W, H, W.shape[1] - H), "split at H, not at D"),
        ("off by one (H + 1)", lambda W, H: kernel(W, H, H + 1), "off by one"),
        ("off by one (H - 1)", lambda W, H: kernel(W, H, H - 1), "off by one"),
        ("columns reversed", lambda W, H: W[:, ::-1].T, "reverses each block"),
        ("the pair (W_x, W_h)", lambda W, H: (W[:, H:].T, W[:, :H].T), "shape"),
        ("hard-coded H = 4", lambda W, H: kernel(W, 4, 4), "not H - 1"),  # the first case has H = 5
    ],
}


def test_reasonable_variants_of_correct_answers_pass():
    def preallocated(W, b, xs, h0):
        B, T, D = xs.shape
        H = len(b)
        hs = np.zeros((B, T, H))
        h = h0
        for t in range(T):
            h = np.tanh(h @ W[:, :H].T + xs[:, t] @ W[:, H:].T + b)
            hs[:, t] = h
        return hs
    assert ex.check("rnn_forward", preallocated)
    assert ex.check("rnn_forward", lambda W, b, xs, h0: right(W, b, xs, h0).astype(np.float32))
    assert ex.check("to_input_first", lambda W, H: np.vstack([W[:, H:].T, W[:, :H].T]))
    assert ex.check("to_input_first", lambda W, H: np.roll(W, -H, axis=1).T)
    assert ex.check("stacked_rnn_param_count", lambda D, H, L: H * (H + D + 1) + (L - 1) * H * (2 * H + 1))
    assert ex.check("stacked_rnn_param_count", lambda D, H, L: float(stacked(D, H, L)))


def test_the_kernel_gives_tensorflows_pre_activation():
    """concat([x_t, h_prev], 1) @ kernel (TensorFlow 1's BasicRNNCell) equals our [h_prev, x_t] @ W.T."""
    scope = {"np": np}
    exec(ex.model_answer("to_input_first"), scope)
    rng = np.random.default_rng(3)
    B, D, H = 4, 3, 5
    W, x, h = rng.standard_normal((H, H + D)), rng.standard_normal((B, D)), rng.standard_normal((B, H))
    kernel_ = scope["to_input_first"](W, H)
    assert kernel_.shape == (D + H, H)
    np.testing.assert_allclose(np.concatenate([x, h], 1) @ kernel_, np.concatenate([h, x], 1) @ W.T, rtol=1e-12)


def test_an_unknown_mistake_in_rnn_forward_says_where_it_starts():
    def late_bias(W, b, xs, h0):  # right at t = 1, then the bias is doubled
        out = right(W, b, xs, h0)
        if xs.shape[1] > 1:
            out[:, 1:] = loop(W, 2 * b, xs[:, 1:], out[:, 0])
        return out
    assert_wrong("rnn_forward", late_bias, "h_1 is right and h_2 differs", "carried")

    def scaled_x(W, b, xs, h0):
        return loop(W, b, 2 * xs, h0)
    assert_wrong("rnn_forward", scaled_x, "h_1 already differs")
