"""Chapter 07's exercises: cell_path_gradient and to_pytorch, with their catalogues."""
import numpy as np

from lstm_helpers import exercises as ex, frameworks, gradflow


def rev_cumprod(f):
    return np.cumprod(f[::-1], axis=0)[::-1]


def right_path(f):
    return np.concatenate([rev_cumprod(f)[1:], np.ones((1, f.shape[1]))])


def mapping(order=("i", "f", "c", "o"), split_bias=(1.0, 0.0), h_first=True, transpose=False, whole=False):
    def fn(p):
        H = p["W_f"].shape[0]
        W = np.concatenate([p[f"W_{g}"] for g in order])
        b = np.concatenate([p[f"b_{g}"] for g in order])
        hh, ih = (W[:, :H], W[:, H:]) if h_first else (W[:, -H:], W[:, :-H])
        if whole:
            ih = W
        if transpose:
            hh, ih = hh.T, ih.T
        return {"weight_ih_l0": ih, "weight_hh_l0": hh, "bias_ih_l0": split_bias[0] * b,
                "bias_hh_l0": split_bias[1] * b}
    return fn


CATALOGUE = {
    "cell_path_gradient": [
        ("own gate included", rev_cumprod, "starts at the gate of step t + 1"),
        ("earlier gates", lambda f: np.cumprod(f, axis=0), "later steps"),
        ("last row zero", lambda f: np.concatenate([rev_cumprod(f)[1:], np.zeros((1, f.shape[1]))]),
         "row of step T is 1"),
        ("not turned back", lambda f: np.cumprod(f[::-1], axis=0), "turned back"),
        ("ones", lambda f: np.ones_like(f), "f = 1 everywhere"),
        ("one product for all", lambda f: np.broadcast_to(f.prod(axis=0), f.shape), "its own product"),
        ("the gates themselves", lambda f: f.copy(), "not one"),
        ("a sum", lambda f: np.concatenate([np.cumsum(f[::-1], 0)[::-1][1:], np.ones((1, f.shape[1]))]),
         "between 0 and 1"),
        ("the package's function itself", gradflow.forget_products, "gradflow.forget_products is what you are"),
        ("calls the package", lambda f: gradflow.forget_products(f), "gradflow.forget_products is what you are"),
        ("hard-coded T", lambda f: right_path(f)[:6], "shape"),
    ],
    "to_pytorch": [
        ("our order", mapping(order=("f", "i", "c", "o")), "yours are stacked f, i, g, o"),
        ("Keras-like order i, f, o, g", mapping(order=("i", "f", "o", "c")), "yours are stacked i, f, o, g"),
        ("bias twice", mapping(split_bias=(1.0, 1.0)), "counted twice"),
        ("no bias", mapping(split_bias=(0.0, 0.0)), "biases are missing"),
        ("x's columns first", mapping(h_first=False), "first H columns act on h_{t-1}"),
        ("transposed (Keras)", mapping(transpose=True), "Keras stores the transpose"),
        ("weights not split", mapping(whole=True), "keeps the weights on x_t and on h_{t-1} apart"),
        ("ih and hh swapped", lambda p: {**mapping()(p), "weight_ih_l0": mapping()(p)["weight_hh_l0"],
                                         "weight_hh_l0": mapping()(p)["weight_ih_l0"]}, "other way round"),
        ("keys of its own", lambda p: {"W": p["W_f"]}, "keys"),
        ("the package's function itself", frameworks.to_pytorch, "frameworks.to_pytorch is what you are rebuilding"),
        ("calls the package", lambda p: frameworks.to_pytorch(p), "frameworks.to_pytorch is what you are rebuilding"),
        ("biases in our order", lambda p: {**mapping()(p), "bias_ih_l0": np.concatenate([p[f"b_{g}"] for g in "fico"])},
         "your biases are stacked f, i, g, o"),
    ],
}


def test_reasonable_variants_of_correct_answers_pass():
    assert ex.check("cell_path_gradient", right_path)
    assert ex.check("to_pytorch", mapping())
    assert ex.check("to_pytorch", mapping(split_bias=(0.5, 0.5)))  # any split of the bias computes the same cell
    assert ex.check("to_pytorch", mapping(split_bias=(0.0, 1.0)))
