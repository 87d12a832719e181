"""Chapter 04's exercises: forget_gate (a transposed W is named, not a raw numpy error) and steps_to_forget."""
import numpy as np

from lstm_helpers import exercises as ex, lstm
from test_exercises import assert_wrong


def sig(z):
    return 1 / (1 + np.exp(-z))


def hx(h, x):
    return np.concatenate([h, x], axis=1)


def lifetime(f):
    return np.log(0.01) / np.log(f)


def via_package(W_f, b_f, x_t, h_prev):
    H = len(b_f)
    p = {**lstm.init_params(x_t.shape[1], H, np.random.default_rng(0)), "W_f": W_f, "b_f": b_f}
    return lstm.step(p, x_t, h_prev, np.zeros_like(h_prev)).f


CATALOGUE = {
    "forget_gate": [
        ("W not transposed", lambda W, b, x, h: sig(hx(h, x) @ W + b), "runs only with the weights transposed"),
        ("[x, h]", lambda W, b, x, h: sig(np.concatenate([x, h], 1) @ W.T + b), "hidden state first"),
        ("tanh", lambda W, b, x, h: np.tanh(hx(h, x) @ W.T + b), "the sigmoid (values between 0 and 1), not tanh"),
        ("no activation", lambda W, b, x, h: hx(h, x) @ W.T + b, "activation (the sigmoid) is missing"),
        ("no bias", lambda W, b, x, h: sig(hx(h, x) @ W.T), "bias b_f is missing"),
        ("1 - f", lambda W, b, x, h: 1 - sig(hx(h, x) @ W.T + b), "mind the sign"),
        ("h_prev left out", lambda W, b, x, h: sig(x @ W[:, h.shape[1]:].T + b), "h_{t-1} is missing"),
        ("1-D concatenation", lambda W, b, x, h: sig(np.concatenate([h, x]) @ W.T + b), "one example"),
        ("the RNN's step", lambda W, b, x, h: np.tanh(hx(h, x) @ W.T + b), "not tanh"),
        ("calls the package", via_package, "lstm.step is what you are rebuilding"),
        ("a gate out of range", lambda W, b, x, h: 2 * sig(hx(h, x) @ W.T + b), "between 0 and 1"),
    ],
    "steps_to_forget": [
        ("not rounded", lambda b: lifetime(sig(b)), "whole number"),
        ("rounded down", lambda b: int(lifetime(sig(b))), "still leave at least 1 %"),
        ("one too many", lambda b: int(np.ceil(lifetime(sig(b)))) + 1, "one step fewer"),
        ("f = b_f", lambda b: int(np.ceil(np.log(0.01) / np.log(abs(b) + 0.5))), "f = sigmoid(b_f)"),
        ("1 - f", lambda b: int(np.ceil(lifetime(1 - sig(b)))), "fraction kept"),
        ("hard-coded", lambda b: 37, "for b_f = -1.0"),
        ("a string", lambda b: "37", "whole number"),
    ],
}


def test_a_transposed_W_is_named_not_a_numpy_error():
    r = assert_wrong("forget_gate", lambda W, b, x, h: sig(hx(h, x) @ W + b), "W.T")
    assert r.message.startswith("your code runs only with the weights transposed")


def test_reasonable_variants_of_correct_answers_pass():
    assert ex.check("forget_gate", lambda W, b, x, h: sig(h @ W[:, :h.shape[1]].T + x @ W[:, h.shape[1]:].T + b))
    assert ex.check("steps_to_forget", lambda b: np.ceil(lifetime(sig(b))))  # a float that is whole

    def loop(b_f):
        f, t = sig(b_f), 0
        while f ** t >= 0.01:
            t += 1
        return t
    assert ex.check("steps_to_forget", loop)
