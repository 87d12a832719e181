"""Chapter 05's exercises: input_and_candidate and cell_state, whose common slips are now named."""
import numpy as np

from lstm_helpers import exercises as ex, lstm


def sig(z):
    return 1 / (1 + np.exp(-z))


def both(act_i=sig, act_g=np.tanh, order="hx", bias=True, swap=False, transpose=False):
    def fn(W_i, b_i, W_c, b_c, x, h):
        hx = np.concatenate([h, x] if order == "hx" else [x, h], 1)
        Wi, Wc = (W_i, W_c) if not transpose else (W_i.T, W_c.T)
        i, g = act_i(hx @ Wi.T + b_i * bias), act_g(hx @ Wc.T + b_c * bias)
        return (g, i) if swap else (i, g)
    return fn


def layers(p, x, h, order="hx", acts=None, no_bias=""):
    hx = np.concatenate([h, x] if order == "hx" else [x, h], 1)
    act = {"f": sig, "i": sig, "c": np.tanh, "o": sig, **(acts or {})}
    return {k: act[k](hx @ p[f"W_{k}"].T + (0 if k in no_bias else p[f"b_{k}"])) for k in "fico"}


def cell(form, **kw):
    def fn(p, x_t, h_prev, c_prev):
        g = layers(p, x_t, h_prev, **kw)
        return form(g["f"], g["i"], g["c"], c_prev)
    return fn


def transposed(p):
    return {k: (v.T if k.startswith("W") else v) for k, v in p.items()}


def right(f, i, g, c):
    return f * c + i * g


def cell_without_return(p, x_t, h_prev, c_prev):
    g = layers(p, x_t, h_prev)
    c_t = g["f"] * c_prev + g["i"] * g["c"]  # noqa: F841 (the slip under test)


CATALOGUE = {
    "input_and_candidate": [
        ("W not transposed", lambda Wi, bi, Wc, bc, x, h: both()(Wi.T, bi, Wc.T, bc, x, h),
         "runs only with the weights transposed"),
        ("pair swapped", both(swap=True), "in the order (i_t, g_t)"),
        ("[x, h]", both(order="xh"), "hidden state first"),
        ("candidate with the sigmoid", both(act_g=sig), "not a gate"),
        ("gate with tanh", both(act_i=np.tanh), "the input gate uses the sigmoid"),
        ("no biases", both(bias=False), "bias b_i is missing"),
        ("weights swapped", lambda Wi, bi, Wc, bc, x, h: both()(Wc, bc, Wi, bi, x, h), "you used the candidate's"),
        ("candidate gated", lambda *a: (both()(*a)[0], both()(*a)[0] * both()(*a)[1]), "the candidate itself"),
        ("one array", lambda *a: np.stack(both()(*a)), "return a pair"),
        ("calls the package", lambda Wi, bi, Wc, bc, x, h: tuple(lstm.step(
            {"W_f": Wi, "b_f": bi, "W_i": Wi, "b_i": bi, "W_c": Wc, "b_c": bc, "W_o": Wi, "b_o": bi}, x, h, h)[1:3]),
         "lstm.step is what you are rebuilding"),
    ],
    "cell_state": [
        ("[x, h]", cell(right, order="xh"), "hidden state first"),
        ("candidate with the sigmoid", cell(right, acts={"c": sig}), "not a gate"),
        ("gates with tanh", cell(right, acts={"f": np.tanh, "i": np.tanh}), "the gates use the sigmoid"),
        ("forget gate with tanh", cell(right, acts={"f": np.tanh}), "the forget gate f_t is a gate"),
        ("sigmoid and tanh swapped", cell(right, acts={"f": np.tanh, "i": np.tanh, "c": sig}), "wrong way round"),
        ("no biases", cell(right, no_bias="fic"), "biases are missing"),
        ("no candidate bias", cell(right, no_bias="c"), "b_c"),
        ("f and i swapped", cell(lambda f, i, g, c: i * c + f * g), "f_t and i_t are swapped"),
        ("no forget gate", cell(lambda f, i, g, c: c + i * g), "scaled by the forget gate"),
        ("squashed", cell(lambda f, i, g, c: np.tanh(f * c + i * g)), "not squashed"),
        ("h_t instead", lambda p, x, h, c: layers(p, x, h)["o"] * np.tanh(cell(right)(p, x, h, c)), "not h_t"),
        ("no return", cell_without_return, "no `return`"),
        ("W not transposed", lambda p, x, h, c: cell(right)(transposed(p), x, h, c),
         "runs only with the weights transposed"),
        ("arguments swapped", lambda p, x, h, c: cell(right)(p, x, c, h), "h_prev and c_prev are swapped"),
        ("calls the package", lambda p, x, h, c: lstm.step(p, x, h, c).c, "lstm.step is what you are rebuilding"),
        ("what is kept scaled", cell(lambda f, i, g, c: 1.1 * f * c + i * g), "look at what is kept"),
        ("what is written scaled", cell(lambda f, i, g, c: f * c + 1.1 * i * g), "look at what is written"),
    ],
}


def test_reasonable_variants_of_correct_answers_pass():
    assert ex.check("input_and_candidate", both())
    assert ex.check("input_and_candidate", lambda *a: list(both()(*a)))
    assert ex.check("cell_state", cell(right))
