"""Chapter 01's exercises: rnn_step, rnn_param_count and split_W, each with its catalogue of wrong answers."""
import numpy as np

from lstm_helpers import exercises as ex, rnn
from test_exercises import assert_wrong


RNG = np.random.default_rng(0)


def sig(z):
    return 1 / (1 + np.exp(-z))


def hx(h, x):
    return np.concatenate([h, x], axis=1)


CATALOGUE = {
    "rnn_step": [
        ("W not transposed", lambda W, b, x, h: np.tanh(hx(h, x) @ W + b), "runs only with the weights transposed"),
        ("[x, h]", lambda W, b, x, h: np.tanh(np.concatenate([x, h], 1) @ W.T + b), "hidden state first"),
        ("x's columns first", lambda W, b, x, h: np.tanh(x @ W[:, :x.shape[1]].T + h @ W[:, x.shape[1]:].T + b),
         "hidden state first"),
        ("sigmoid", lambda W, b, x, h: sig(hx(h, x) @ W.T + b), "tanh (values between -1 and 1), not the sigmoid"),
        ("no activation", lambda W, b, x, h: hx(h, x) @ W.T + b, "activation (tanh) is missing"),
        ("no bias", lambda W, b, x, h: np.tanh(hx(h, x) @ W.T), "bias b is missing"),
        ("bias outside", lambda W, b, x, h: np.tanh(hx(h, x) @ W.T) + b, "inside tanh"),
        ("h_prev left out", lambda W, b, x, h: np.tanh(x @ W[:, h.shape[1]:].T + b), "h_{t-1} is missing"),
        ("x_t left out", lambda W, b, x, h: np.tanh(h @ W[:, :h.shape[1]].T + b), "x_t is missing"),
        ("1-D concatenation", lambda W, b, x, h: np.tanh(np.concatenate([h, x]) @ W.T + b), "one example"),
        ("columns", lambda W, b, x, h: np.tanh(W @ np.concatenate([h, x], 1).T + b[:, None]), "transposed"),
        ("hard-coded H = 4", lambda W, b, x, h: np.tanh(hx(h, x) @ W.T + b)[:, :4], "shape"),
        ("bias twice", lambda W, b, x, h: np.tanh(hx(h, x) @ W.T + 2 * b), "only the bias b acts"),
        ("first example only", lambda W, b, x, h: np.broadcast_to(np.tanh(hx(h, x) @ W.T + b)[:1], (len(x), len(b))),
         "wrong values"),
        ("calls the package", lambda W, b, x, h: rnn.step({"W": W, "b": b}, x, h),
         "rnn.step is what you are rebuilding"),
        ("cast to int", lambda W, b, x, h: np.tanh(hx(h, x) @ W.T + b).astype(int), "fractions were lost"),
    ],
    "rnn_param_count": [
        ("no bias", lambda D, H: H * (H + D), "the bias b has parameters too"),
        ("no input weights", lambda D, H: H * H + H, "H + D columns"),
        ("no recurrent weights", lambda D, H: H * D + H, "also acts on h_{t-1}"),
        ("square W", lambda D, H: (H + D) ** 2 + H, "one row per hidden unit"),
        ("bias per input", lambda D, H: H * (H + D) + D, "one entry per hidden unit"),
        ("PyTorch's two biases", lambda D, H: H * (H + D) + 2 * H, "PyTorch"),
        ("the LSTM's count", lambda D, H: 4 * (H * (H + D) + H), "LSTM"),
        ("hard-coded", lambda D, H: 35, "from their shapes"),
        ("a fraction", lambda D, H: H * (H + D) + H + 0.5, "whole number"),
        ("calls the package", lambda D, H: sum(v.size for v in rnn.init_params(D, H, RNG).values()),
         "count the parameters yourself"),
    ],
    "split_W": [
        ("hard-coded H = 4 (the reviewer's)", lambda W, H: (W[:, :4], W[:, 4:]), "shape"),
        ("the wrong way round", lambda W, H: (W[:, H:], W[:, :H]), "wrong way round"),
        ("x's columns first", lambda W, H: (W[:, :W.shape[1] - H], W[:, W.shape[1] - H:]), "hidden state first"),
        ("off by one", lambda W, H: (W[:, :H + 1], W[:, H + 1:]), "off by one"),
        ("rows", lambda W, H: (W[:H], W[H:]), "not the rows"),
        ("W_h transposed", lambda W, H: (W[:, :H].T, W[:, H:]), "not transposed"),
        ("both transposed", lambda W, H: (W[:, :H].T, W[:, H:].T), "transposed"),
        ("one array", lambda W, H: W, "return a pair"),
        ("three pieces", lambda W, H: (W[:, :H], W[:, H:], W), "return a pair"),
        ("halves", lambda W, H: np.split(W, [W.shape[1] // 2], axis=1), "W_h"),
    ],
}


def test_reasonable_variants_of_correct_answers_pass():
    assert ex.check("split_W", lambda W, H: np.split(W, [H], axis=1))  # a list, not a tuple
    assert ex.check("rnn_step", lambda W, b, x, h: np.tanh(h @ W[:, :h.shape[1]].T + x @ W[:, h.shape[1]:].T + b))
    assert ex.check("rnn_step", lambda W, b, x, h: np.tanh(W @ hx(h, x).T + b[:, None]).T)
    assert ex.check("rnn_step", lambda W, b, x, h: np.tanh(hx(h, x) @ W.T + b).astype(np.float32))
    assert ex.check("rnn_param_count", lambda D, H: H * (H + D + 1))
    assert ex.check("rnn_param_count", lambda D, H: float(H * (H + D) + H))


def test_an_unknown_mistake_is_narrowed_down_without_the_numbers():
    def mixed(W, b, x, h):  # right whenever h_prev or x_t is 0
        H = len(b)
        return np.tanh(hx(h, x) @ W.T + b + 0.1 * (h @ W[:, :H].T) * (x @ W[:, H:].T))
    assert_wrong("rnn_step", mixed, "largest difference", "how the two parts are combined")

    def bias_doubled(W, b, x, h):
        return np.tanh(hx(h, x) @ W.T + 2 * b)
    assert_wrong("rnn_step", bias_doubled, "only the bias b acts")

    def x_scaled(W, b, x, h):
        return np.tanh(hx(h, 2 * x) @ W.T + b)
    assert_wrong("rnn_step", x_scaled, "look at how x_t enters")

    def h_scaled(W, b, x, h):
        return np.tanh(hx(2 * h, x) @ W.T + b)
    assert_wrong("rnn_step", h_scaled, "look at how h_{t-1} enters")
