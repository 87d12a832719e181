"""Chapter 04's exercises: forget_gates over a recorded run (a transposed W or a join along time is named, not a raw
numpy error) and steps_to_forget."""
import numpy as np

from lstm_helpers import exercises as ex, lstm
from test_exercises import assert_wrong


def sig(z):
    return 1 / (1 + np.exp(-z))


def hx(h, x):
    return np.concatenate([h, x], axis=-1)


def gates(W, b, xs, hs):
    return sig(hx(hs, xs) @ W.T + b)


def lifetime(f):
    return np.log(0.01) / np.log(f)


def via_package(W_f, b_f, xs, h_prevs):
    (B, T, D), H = xs.shape, len(b_f)
    p = {**lstm.init_params(D, H, np.random.default_rng(0)), "W_f": W_f, "b_f": b_f}
    return lstm.step(p, xs.reshape(B * T, D), h_prevs.reshape(B * T, H), np.zeros((B * T, H))).f.reshape(B, T, H)


def per_step(W, b, xs, hs):
    return [sig(np.concatenate([hs[:, k], xs[:, k]], axis=1) @ W.T + b) for k in range(xs.shape[1])]


def shifted(W, b, xs, hs):
    h_t = np.concatenate([np.zeros_like(hs[:, :1]), hs[:, :-1]], axis=1)  # as if h_prevs held h_t
    return gates(W, b, xs, h_t)


CATALOGUE = {
    "forget_gates": [
        ("joined along axis 1 (time)", lambda W, b, xs, hs: sig(np.concatenate([hs, xs], axis=1) @ W.T + b),
         "axis 1 is time"),
        ("W not transposed", lambda W, b, xs, hs: sig(hx(hs, xs) @ W + b), "runs only with the weights transposed"),
        ("[x, h]", lambda W, b, xs, hs: sig(hx(xs, hs) @ W.T + b), "hidden state first"),
        ("tanh", lambda W, b, xs, hs: np.tanh(hx(hs, xs) @ W.T + b), "the sigmoid (values between 0 and 1), not tanh"),
        ("no activation", lambda W, b, xs, hs: hx(hs, xs) @ W.T + b, "activation (the sigmoid) is missing"),
        ("no bias", lambda W, b, xs, hs: sig(hx(hs, xs) @ W.T), "bias b_f is missing"),
        ("1 - f", lambda W, b, xs, hs: 1 - gates(W, b, xs, hs), "mind the sign"),
        ("h left out", lambda W, b, xs, hs: sig(xs @ W[:, hs.shape[-1]:].T + b), "h_{t-1} is missing"),
        ("a gate out of range", lambda W, b, xs, hs: 2 * gates(W, b, xs, hs), "between 0 and 1"),
        ("time axis first", lambda W, b, xs, hs: np.swapaxes(gates(W, b, xs, hs), 0, 1), "(T, B, H)"),
        ("a list of steps", per_step, "stacked along the first axis"),
        ("h_prevs shifted", shifted, "do not shift it"),
        ("1-D concatenation", lambda W, b, x, h: sig(np.concatenate([h, x]) @ W.T + b), "one example at one step"),
        ("the last step only", lambda W, b, xs, hs: gates(W, b, xs, hs)[:, -1], "(B, T, H)"),
        ("calls the package", via_package, "lstm.step is what you are rebuilding"),
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
    r = assert_wrong("forget_gates", lambda W, b, xs, hs: sig(hx(hs, xs) @ W + b), "W.T")
    assert r.message.startswith("your code runs only with the weights transposed")


def test_the_cases_are_recorded_runs_with_a_length_unlike_every_other_size():
    """h_prevs[:, t - 1] is the h_{t-1} of a real run, so the right answer is the run's own forget gates."""
    from lstm_helpers.exercises import ch04
    from lstm_helpers.exercises.checking import cases
    for case in cases(13):
        p, (W_f, b_f, xs, h_prevs) = ch04._recorded_run(case)
        (B, T, D), H = xs.shape, len(b_f)
        assert T > 1 and T not in (B, D, H, H + D) and np.abs(b_f).min() > 0
        out, _ = lstm.forward(p, xs, h0=h_prevs[:, 0])
        np.testing.assert_array_equal(h_prevs[:, 1:], out.h[:, :-1])
        np.testing.assert_allclose(gates(W_f, b_f, xs, h_prevs), out.f, rtol=1e-12)


def test_reasonable_variants_of_correct_answers_pass():
    def loop(W_f, b_f, xs, h_prevs):
        f = np.zeros(xs.shape[:2] + b_f.shape)
        for t in range(1, xs.shape[1] + 1):  # f[:, t - 1] is f_t
            f[:, t - 1] = sig(np.concatenate([h_prevs[:, t - 1], xs[:, t - 1]], axis=1) @ W_f.T + b_f)
        return f
    assert ex.check("forget_gates", loop)
    assert ex.check("forget_gates", lambda W, b, xs, hs: sig(hs @ W[:, :hs.shape[-1]].T + xs @ W[:, hs.shape[-1]:].T
                                                             + b))
    assert ex.check("forget_gates", lambda W, b, xs, hs: np.stack(per_step(W, b, xs, hs), axis=1))
    assert ex.check("steps_to_forget", lambda b: np.ceil(lifetime(sig(b))))  # a float that is whole

    def count(b_f):
        f, t = sig(b_f), 0
        while f ** t >= 0.01:
            t += 1
        return t
    assert ex.check("steps_to_forget", count)
