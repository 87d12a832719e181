"""Chapter 01 (the RNN): a whole batch of sequences, the parameters of a stack, W in TensorFlow 1's layout.

    h_t = tanh(W [h_{t-1}, x_t] + b),  W = [W_h W_x] of shape (H, H + D)
    TensorFlow 1 (BasicRNNCell): h_t = tanh([x_t, h_{t-1}] @ kernel + b),  kernel of shape (D + H, H)
"""
import numpy as np

from .. import rnn
from .checking import Exercise, Probe, Wrong, as_whole_number, cases, compare, shape_of
from . import predict
from .diagnose import WEIGHT_SLIP, has_shape
from .slips import ACTS, ORDER_SLIP, layer


def _loop(W, b, xs, h0, carry=True, **slip):
    """Every h_t, (B, T, H), stepping with slips.layer (tanh unless ``slip`` says otherwise); with
    carry=False every step starts again from h0 (the state not carried)."""
    slip.setdefault("act", np.tanh)
    h, hs = h0, []
    for t in range(xs.shape[1]):
        h = layer(W, b, xs[:, t], h if carry else h0, **slip)  # (B, H)
        hs.append(h)
    return np.stack(hs, axis=1)                                # (B, T, H)


def check_rnn_forward(answer):
    for k, case in enumerate(cases(103)):
        B, D, H, rng = case.B, case.D, case.H, case.rng
        T = (5, 3, 7, 1, 6)[k]
        T = T + 1 if T == B else T  # T != B, so that time first shows in the shape; the one-example case has T = 1
        W, b = rnn.init_params(D, H, rng)["W"], rng.standard_normal(H)  # a nonzero bias, so a missing one shows
        xs, h0 = rng.standard_normal((B, T, D)), rng.standard_normal((B, H))  # h0 not zero: it must be used
        where = f"for B={B}, T={T}, D={D}, H={H}"
        out = answer(W, b, xs, h0, probes=[Probe((W.T, b, xs, h0), WEIGHT_SLIP, has_shape((B, T, H)))])
        want = rnn.forward({"W": W, "b": b}, xs, h0)[0]                # (B, T, H)
        shape = shape_of(out)
        if shape == (B, H):
            raise Wrong(f"your result has shape (B, H) = {shape}, one state: return h_t for every step, not only "
                        f"the last, (B, T, H) ({where})")
        if shape == (T, B, H) and T != B:
            raise Wrong(f"your result has shape (T, B, H) = {shape}, time first; this course puts the batch first, "
                        f"(B, T, H), as rnn.forward does ({where})")
        if shape == (B, T + 1, H):
            raise Wrong(f"your result has T + 1 states along time: h_0 is the given start, not an output; "
                        f"hs[:, t - 1] is h_t for t = 1 ... T ({where})")
        slips = [(np.concatenate([h0[:, None], want[:, :-1]], axis=1), "off by one: hs[:, 0] is h_1, the state "
                                                                        "after reading x_1, not h_0; and h_T is the "
                                                                        "last entry"),
                 (_loop(W, b, xs, h0, carry=False), "every step starts from h0: the state must be carried, h_t "
                                                    "from h_{t-1}"),
                 (_loop(W, b, xs, np.zeros_like(h0)), "start from the given h0, not from zeros"),
                 (_loop(W, b, xs, h0, order="xh"), ORDER_SLIP),
                 (_loop(W, b, xs, h0, bias=False), "the bias b is missing"),
                 (_loop(W, b, xs, h0, act=ACTS["identity"]), "the activation (tanh) is missing"),
                 (_loop(W, b, xs, h0, act=ACTS["sigmoid"]), "h_t uses tanh (values between -1 and 1), not the "
                                                            "sigmoid"),
                 (_loop(W, b, xs, h0, bias_outside=True), "the bias b is added inside tanh, before it is applied")]

        def first_wrong_step(out=out, want=want):
            wrong = ~np.all(np.isclose(np.asarray(out, dtype=float), want, rtol=1e-6, atol=1e-9), axis=(0, 2))
            t = int(np.argmax(wrong)) + 1
            if t == 1:
                return "h_1 already differs: look at one step"
            right = "h_1 is" if t == 2 else f"h_1 ... h_{t - 1} are"
            return f"{right} right and h_{t} differs: look at how the state is carried to the next step"
        compare(out, want, f"hs ({where})", slips, within=(-1, 1, "the range of tanh"), letters="(B, T, H)",
                explain=first_wrong_step)


def _stacked(D, H, L):
    return H * (H + D) + H + (L - 1) * (H * (H + H) + H)


def check_stacked_rnn_param_count(answer):
    # (3, 5, 3) first: there every slip has its own count; L = 1 is a single layer
    for D, H, L in ((3, 5, 3), (10, 64, 2), (7, 2, 4), (1, 6, 1), (128, 256, 5)):
        out = as_whole_number(answer(D, H, L), f"the count for D={D}, H={H}, L={L}")
        want = _stacked(D, H, L)
        if out == want:
            continue
        one = H * (H + D) + H
        known = {L * one: "every layer above the first reads the h_t of the layer below (H numbers), not x_t "
                          "(D numbers)",
                 one: "each of the L layers has its own W and b",
                 _stacked(D, H, L) + L * H: "one bias per layer is ours; two per layer (bias_ih and bias_hh) is "
                                            "PyTorch's count",
                 one + (L - 1) * (H * H + H): "a layer above the first reads two things, as every RNN layer does: "
                                              "its own h_{t-1} and its input, the h_t of the layer below",
                 _stacked(D, H, L) - L * H: "each layer's bias b has parameters too",
                 L * (H * (H + H) + H): "the first layer reads x_t, D numbers, not H",
                 _stacked(D, H, L + 1): "there are L layers: the first reads x_t, L - 1 more sit above it",
                 _stacked(D, H, L - 1): "there are L layers: the first reads x_t, L - 1 more sit above it"}
        raise Wrong(f"for D={D}, H={H}, L={L} you return {out}; " +
                    known.get(out, "count each layer's W and b from their shapes, then add the layers up"))


def _kernel(W, H, at):
    """[W's columns from ``at`` on, then the first ``at``], transposed: input first when at = H."""
    return np.concatenate([W[:, at:], W[:, :at]], axis=1).T


def check_to_input_first(answer):
    sizes = ((5, 2), (2, 5), (4, 1), (1, 3), (3, 6))  # (H, D): D, H - 1 and H + 1 differ in the first
    for k, (H, D) in enumerate(sizes):
        W = np.random.default_rng([11, k]).standard_normal((H, H + D))
        where = f" (for H={H}, D={D})"
        out = answer(W, H)
        want = _kernel(W, H, H)                                            # (D + H, H)
        if shape_of(out) == (H, H + D):
            if np.asarray(out).dtype.kind in "biuf" and np.allclose(out, W):
                raise Wrong("that is our W as it is; TensorFlow's kernel has one row per entry of [x_t, h_{t-1}] "
                            "and one column per unit, (D + H, H)" + where)
            raise Wrong("the kernel has shape (D + H, H), one column per unit: TensorFlow multiplies the row "
                        "[x_t, h_{t-1}] by the kernel from the right, so it is transposed" + where)
        slips = [(W.T, "that is W transposed, with the blocks still in our order: the kernel's first D rows act on "
                       "x_t, the last H on h_{t-1}"),
                 (_kernel(W, H, D), "split at H, not at D: W's first H columns act on h_{t-1}, the last D on x_t"),
                 (_kernel(W, H, H + 1), "off by one: W's first H columns act on h_{t-1}, not H + 1"),
                 (_kernel(W, H, H - 1), "off by one: W's first H columns act on h_{t-1}, not H - 1"),
                 (W[:, ::-1].T, "reversing the columns also reverses each block inside: move the two blocks, keep "
                                "each block's columns in their order")]
        compare(out, want, "the kernel" + where, slips, letters="(D + H, H)")


def check_predict_h_shape(answer):
    predict.shape(answer, (4, 7, 5), "the shape of rnn.forward's output for x of shape (4, 7, 3) and H = 5", slips=[
        ((4, 5), "rnn.forward returns h_t for every step, not only the last"),
        ((7, 4, 5), "the package puts the batch first: (B, T, H)"),
        ((4, 7, 3), "each h_t has H entries, not D"),
        ((4, 7, 8), "H + D is the width of W (it acts on [h, x]); h_t itself has H entries"),
        ((5, 7, 4), "the package's order is (B, T, H)")])

EXERCISES = {
    "rnn_forward": Exercise(
        check_rnn_forward,
        "Loop over t = 1 ... T: h_t = tanh([h_{t-1}, x_t] W^T + b), with x_t = xs[:, t - 1], shape (B, D), and "
        "the state carried from step to step, starting from h0. Collect the h_t and stack them along axis 1.",
        "def rnn_forward(W, b, xs, h0):\n"
        "    B, T, D = xs.shape\n"
        "    h, hs = h0, []\n"
        "    for t in range(1, T + 1):\n"
        "        hx = np.concatenate([h, xs[:, t - 1]], axis=1)  # (B, H+D): hidden state first\n"
        "        h = np.tanh(hx @ W.T + b)                        # h_t, (B, H)\n"
        "        hs.append(h)\n"
        "    return np.stack(hs, axis=1)                          # (B, T, H)",
        call="rnn_forward(W, b, xs, h0)",
        returns="hs, an array of shape (B, T, H)",
        guarded=("rnn.step", "rnn.forward")),
    "stacked_rnn_param_count": Exercise(
        check_stacked_rnn_param_count,
        "Count one layer as W (one row per unit, one column per entry of what it reads) plus b. Layer 1 reads "
        "[h_{t-1}, x_t], H + D numbers; each layer above reads [its own h_{t-1}, the h_t below], H + H.",
        "def stacked_rnn_param_count(D, H, L):\n"
        "    first = H * (H + D) + H          # reads x_t: D inputs\n"
        "    above = H * (H + H) + H          # reads the h_t of the layer below: H inputs\n"
        "    return first + (L - 1) * above",
        call="stacked_rnn_param_count(D, H, L)",
        returns="a whole number",
        guarded=("rnn.init_params",)),
    "to_input_first": Exercise(
        check_to_input_first,
        "W's first H columns act on h_{t-1}, the last D on x_t. Put the x_t block first, then transpose: "
        "the kernel has one row per entry of [x_t, h_{t-1}].",
        "def to_input_first(W, H):\n"
        "    W_h, W_x = W[:, :H], W[:, H:]                   # (H, H), (H, D)\n"
        "    return np.concatenate([W_x, W_h], axis=1).T     # (D + H, H)",
        call="to_input_first(W, H)",
        returns="the kernel, an array of shape (D + H, H)"),
    "predict_h_shape": Exercise(
        check_predict_h_shape,
        "One h_t per step and per sequence; each h_t has H entries. The package writes (B, T, ...).",
        "prediction = (4, 7, 5)",
        returns="a tuple of whole numbers: your prediction of the shape"),
}
