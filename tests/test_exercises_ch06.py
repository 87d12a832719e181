"""Chapter 06's exercises: hidden_state, lstm_step (the common slips named, the package switched off) and
lstm_param_count."""
import numpy as np

from lstm_helpers import exercises as ex, lstm


RNG = np.random.default_rng(0)


def sig(z):
    return 1 / (1 + np.exp(-z))


def hidden(form, order="hx", act=sig, bias=True):
    def fn(W_o, b_o, x, h, c):
        hx = np.concatenate([h, x] if order == "hx" else [x, h], 1)
        return form(act(hx @ W_o.T + b_o * bias), c)
    return fn


def layers(p, x, h, order="hx", acts=None, no_bias=""):
    hx = np.concatenate([h, x] if order == "hx" else [x, h], 1)
    act = {"f": sig, "i": sig, "c": np.tanh, "o": sig, **(acts or {})}
    return {k: act[k](hx @ p[f"W_{k}"].T + (0 if k in no_bias else p[f"b_{k}"])) for k in "fico"}


def step(update=lambda g, c: g["f"] * c + g["i"] * g["c"], read=lambda g, c, c_prev: g["o"] * np.tanh(c), **kw):
    def fn(p, x_t, h_prev, c_prev):
        g = layers(p, x_t, h_prev, **kw)
        c = update(g, c_prev)
        return read(g, c, c_prev), c
    return fn


def step_for_one_example(p, x_t, h_prev, c_prev):
    hx = np.concatenate([h_prev, x_t])  # axis 0: right for 1-D vectors, wrong for a batch
    f, i, o = (sig(p[f"W_{k}"] @ hx + p[f"b_{k}"]) for k in "fio")
    c = f * c_prev + i * np.tanh(p["W_c"] @ hx + p["b_c"])
    return o * np.tanh(c), c


CATALOGUE = {
    "hidden_state": [
        ("no tanh", hidden(lambda o, c: o * c), "squashed by tanh"),
        ("tanh(o C)", hidden(lambda o, c: np.tanh(o * c)), "tanh(o_t * C_t) is not o_t * tanh(C_t)"),
        ("the gate alone", hidden(lambda o, c: o), "not the gate o_t alone"),
        ("no gate", hidden(lambda o, c: np.tanh(c)), "output gate is missing"),
        ("sigmoid of C", hidden(lambda o, c: o * sig(c)), "not the sigmoid"),
        ("added", hidden(lambda o, c: o + np.tanh(c)), "not a sum"),
        ("[x, h]", hidden(lambda o, c: o * np.tanh(c), order="xh"), "hidden state first"),
        ("gate with tanh", hidden(lambda o, c: o * np.tanh(c), act=np.tanh), "uses the sigmoid"),
        ("no bias", hidden(lambda o, c: o * np.tanh(c), bias=False), "bias b_o is missing"),
        ("W not transposed", lambda W, b, x, h, c: hidden(lambda o, c: o * np.tanh(c))(W.T, b, x, h, c),
         "runs only with the weights transposed"),
        ("calls the package", lambda W, b, x, h, c: lstm.step({"W_f": W, "b_f": b, "W_i": W, "b_i": b, "W_c": W,
                                                               "b_c": b, "W_o": W, "b_o": b}, x, h, c).h,
         "lstm.step is what you are rebuilding"),
    ],
    "lstm_step": [
        ("tanh(o C)", step(read=lambda g, c, cp: np.tanh(g["o"] * c)), "tanh(o_t * C_t) is not o_t * tanh(C_t)"),
        ("no tanh on C", step(read=lambda g, c, cp: g["o"] * c), "squashed by tanh"),
        ("reads the old state", step(read=lambda g, c, cp: g["o"] * np.tanh(cp)), "not C_{t-1}"),
        ("[x, h]", step(order="xh"), "hidden state first"),
        ("candidate with the sigmoid", step(acts={"c": sig}), "not a gate"),
        ("output gate with tanh", step(acts={"o": np.tanh}), "the output gate o_t is a gate"),
        ("sigmoid and tanh swapped", step(acts={"f": np.tanh, "i": np.tanh, "o": np.tanh, "c": sig}),
         "wrong way round"),
        ("no biases", step(no_bias="fico"), "biases are missing"),
        ("no output bias", step(no_bias="o"), "b_o"),
        ("f and i swapped", step(update=lambda g, c: g["i"] * c + g["f"] * g["c"]), "f_t and i_t are swapped"),
        ("no forget gate", step(update=lambda g, c: c + g["i"] * g["c"]), "scaled by the forget gate"),
        ("C squashed", step(update=lambda g, c: np.tanh(g["f"] * c + g["i"] * g["c"])), "not squashed"),
        ("pair swapped", lambda p, x, h, c: step()(p, x, h, c)[::-1], "the pair is (h_t, c_t)"),
        ("h_prev and c_prev swapped", lambda p, x, h, c: step()(p, x, c, h), "h_prev and c_prev are swapped"),
        ("W not transposed", lambda p, x, h, c: step()({k: (v.T if k.startswith("W") else v) for k, v in p.items()},
                                                       x, h, c), "runs only with the weights transposed"),
        ("1-D concatenation", step_for_one_example, "one example"),
        ("calls lstm.step", lambda p, x, h, c: tuple(lstm.step(p, x, h, c))[:-3:-1],
         "lstm.step is what you are rebuilding"),
        ("calls lstm.forward", lambda p, x, h, c: (lambda out: (out.h[:, 0], out.c[:, 0]))(
            lstm.forward(p, x[:, None], h, c)[0]), "lstm.forward is what you are rebuilding"),
        ("output gate too steep", step(acts={"o": lambda z: sig(2 * z)}), "look at the output gate"),
        ("read-out halved", step(read=lambda g, c, cp: 0.5 * g["o"] * np.tanh(c)), "how C_t is read out"),
        ("one value", lambda p, x, h, c: step()(p, x, h, c)[0], "return a pair"),
    ],
    "lstm_param_count": [
        ("one layer", lambda D, H: H * (H + D) + H, "the LSTM has four"),
        ("three layers", lambda D, H: 3 * (H * (H + D) + H), "the candidate C~ is a layer too"),
        ("no biases", lambda D, H: 4 * H * (H + D), "also has a bias"),
        ("one bias", lambda D, H: 4 * H * (H + D) + H, "its own bias"),
        ("PyTorch's count", lambda D, H: 4 * (H * (H + D) + 2 * H), "PyTorch"),
        ("no recurrent weights", lambda D, H: 4 * (H * D + H), "also act on h_{t-1}"),
        ("no input weights", lambda D, H: 4 * (H * H + H), "also act on x_t"),
        ("square weights", lambda D, H: 4 * ((H + D) ** 2 + H), "H rows"),
        ("hard-coded", lambda D, H: 48, "for D=10, H=20"),
        ("calls the package", lambda D, H: sum(v.size for v in lstm.init_params(D, H, RNG).values()),
         "count the parameters yourself"),
    ],
}


def test_reasonable_variants_of_correct_answers_pass():
    assert ex.check("hidden_state", hidden(lambda o, c: o * np.tanh(c)))
    assert ex.check("lstm_step", step())
    assert ex.check("lstm_step", lambda p, x, h, c: list(step()(p, x, h, c)))

    def stacked(p, x_t, h_prev, c_prev):  # one matmul for the four layers, as the package does
        H = h_prev.shape[1]
        W = np.concatenate([p[f"W_{k}"] for k in "fico"])
        b = np.concatenate([p[f"b_{k}"] for k in "fico"])
        z = np.concatenate([h_prev, x_t], 1) @ W.T + b
        f, i, o, g = sig(z[:, :H]), sig(z[:, H:2 * H]), sig(z[:, 3 * H:]), np.tanh(z[:, 2 * H:3 * H])
        c = f * c_prev + i * g
        return o * np.tanh(c), c
    assert ex.check("lstm_step", stacked)
    assert ex.check("lstm_param_count", lambda D, H: 4 * H * (H + D + 1))
