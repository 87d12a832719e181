"""Chapter 07's exercises: cell_path_gradient and from_pytorch (PyTorch's four arrays in our layout), with their
catalogues."""
import numpy as np

from lstm_helpers import exercises as ex, frameworks, gradflow


def rev_cumprod(f):
    return np.cumprod(f[::-1], axis=0)[::-1]


def right_path(f):
    return np.concatenate([rev_cumprod(f)[1:], np.ones((1, f.shape[1]))])


def reading(order=("i", "f", "c", "o"), hh_first=True, bias=lambda ih, hh: ih + hh, transpose=False):
    """from_pytorch with one slip: the blocks read in another order, the x columns first, the biases combined
    otherwise than by their sum, every W transposed."""
    def fn(state):
        ih, hh = state["weight_ih_l0"], state["weight_hh_l0"]
        W = np.concatenate([hh, ih] if hh_first else [ih, hh], axis=1)   # (4H, H + D)
        b = bias(state["bias_ih_l0"], state["bias_hh_l0"])
        H = W.shape[0] // 4
        p = {}
        for k, g in enumerate(order):
            p[f"W_{g}"] = W[k * H:(k + 1) * H].T if transpose else W[k * H:(k + 1) * H]
            p[f"b_{g}"] = b[k * H:(k + 1) * H]
        return p
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
    "from_pytorch": [
        ("our order f, i, g, o", reading(order=("f", "i", "c", "o")), "rows of the input gate i_t"),
        ("order f, i, o, g", reading(order=("f", "i", "o", "c")), "it stacks the gates i, f, g, o"),
        ("g and o swapped", reading(order=("i", "f", "o", "c")), "rows of the output gate o_t"),
        ("x's columns first", reading(hh_first=False), "weight_hh_l0's columns come first"),
        ("only bias_ih", reading(bias=lambda ih, hh: ih), "bias_hh_l0 is left out"),
        ("only bias_hh", reading(bias=lambda ih, hh: hh), "bias_ih_l0 is left out"),
        ("biases averaged", reading(bias=lambda ih, hh: (ih + hh) / 2), "does not average"),
        ("W transposed", reading(transpose=True), "transposed"),
        ("keys of its own", lambda s: {"W_g": s["weight_ih_l0"]}, "keys"),
        ("the package's function itself", frameworks.from_pytorch, "frameworks.from_pytorch is what you are"),
        ("calls the package", lambda s: frameworks.from_pytorch(s), "frameworks.from_pytorch is what you are"),
        ("not a dict", lambda s: list(s.values()), "return a dict"),
    ],
}


def test_reasonable_variants_of_correct_answers_pass():
    assert ex.check("cell_path_gradient", right_path)
    assert ex.check("from_pytorch", reading())
    assert ex.check("from_pytorch", lambda s: {k: v.tolist() for k, v in reading()(s).items()})  # lists are arrays
