"""Chapter 05's exercises: written (the two layers stacked in one W) and cell_state, whose common slips are named."""
import numpy as np

from lstm_helpers import exercises as ex, lstm


def sig(z):
    return 1 / (1 + np.exp(-z))


def halves(W, b, x, h, order="hx", bias=True):
    """The pre-activations of the input gate and of the candidate, from W (2H, H + D) and b (2H,)."""
    H = h.shape[-1]
    z = np.concatenate([h, x] if order == "hx" else [x, h], -1) @ W.T + b * bias  # (B, 2H)
    return z[..., :H], z[..., H:]


def write(act_i=sig, act_g=np.tanh, combine=np.multiply, **kw):
    def fn(W, b, x, h):
        z_i, z_g = halves(W, b, x, h, **kw)
        return combine(act_i(z_i), act_g(z_g))
    return fn


def split_by_columns(W, b, x, h):
    W_i, W_c = np.split(W, 2, axis=1)
    hx = np.concatenate([h, x], 1)
    return sig(hx @ W_i.T + b[:len(b) // 2]) * np.tanh(hx @ W_c.T + b[len(b) // 2:])


def one_example(W, b, x_t, h_prev):  # 1-D vectors: joined along axis 0
    H = len(h_prev)
    z = np.concatenate([h_prev, x_t]) @ W.T + b
    return sig(z[:H]) * np.tanh(z[H:])


def via_package(W, b, x, h):
    H = h.shape[1]
    p = {k: v for g in "fico" for k, v in ((f"W_{g}", W[H:] if g == "c" else W[:H]),
                                           (f"b_{g}", b[H:] if g == "c" else b[:H]))}
    s = lstm.step(p, x, h, np.zeros_like(h))
    return s.i * s.g


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
    "written": [
        ("halves swapped", write(act_i=np.tanh, act_g=sig), "the halves are the wrong way round"),
        ("sigmoid on both", write(act_g=sig), "not a gate"),
        ("tanh on both", write(act_i=np.tanh), "the input gate i_t is a gate"),
        ("the pair", write(combine=lambda i, g: (i, g)), "return one"),
        ("the pair as one array", write(combine=lambda i, g: np.stack([i, g])), "return one"),
        ("i + C~", write(combine=np.add), "not a sum"),
        ("the gate alone", write(combine=lambda i, g: i), "the input gate alone"),
        ("split by columns", split_by_columns, "stacked by rows"),
        ("no bias", write(bias=False), "bias b is missing"),
        ("[x, h]", write(order="xh"), "hidden state first"),
        ("W not transposed", lambda W, b, x, h: write()(W.T, b, x, h), "runs only with the weights transposed"),
        ("one example", one_example, "one example"),
        ("calls the package", via_package, "lstm.step is what you are rebuilding"),
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
    assert ex.check("written", write())

    def two_layers(W, b, x, h):  # the halves taken first, then one layer each
        H = len(b) // 2
        W_i, W_c, b_i, b_c = W[:H], W[H:], b[:H], b[H:]
        hx = np.concatenate([h, x], axis=1)
        return sig(hx @ W_i.T + b_i) * np.tanh(hx @ W_c.T + b_c)
    assert ex.check("written", two_layers)
    assert ex.check("cell_state", cell(right))
