"""Chapter 06's exercises: hidden_states (every h_t of a run, h fed back), lstm_step_fused (one stacked weight,
blocks f, i, o, C~) and pytorch_lstm_param_count (nn.LSTM with L layers), the common slips named and the package
switched off."""
import itertools

import numpy as np

from lstm_helpers import exercises as ex, frameworks, lstm
from lstm_helpers.exercises import ch06

RNG = np.random.default_rng(0)


def sig(z):
    return 1 / (1 + np.exp(-z))


def readouts(read=lambda o, c: o * np.tanh(c), order="hx", act=sig, bias=True, feed_back=True, c_shift=0,
             last_only=False, time_first=False):
    """hidden_states with one slip: the read-out, [x, h], the gate's activation, no bias, h_0 at every step,
    C_{t-1} for C_t (c_shift=1), only the last h, the time axis first."""
    def fn(W_o, b_o, xs, h0, cs):
        h, hs = h0, []
        for t in range(xs.shape[1]):
            h_in = h if feed_back else h0
            hx = np.concatenate([h_in, xs[:, t]] if order == "hx" else [xs[:, t], h_in], 1)
            c = cs[:, t - c_shift]
            h = read(act(hx @ W_o.T + b_o * bias), c)
            hs.append(h)
        if last_only:
            return h
        return np.stack(hs, axis=0 if time_first else 1)
    return fn


def feeds_back_the_cell(W_o, b_o, xs, h0, cs):
    """Every step's h_t right, but C_t handed on as the next h_{t-1}."""
    h, hs = h0, []
    for t in range(xs.shape[1]):
        o = sig(np.concatenate([h, xs[:, t]], 1) @ W_o.T + b_o)
        hs.append(o * np.tanh(cs[:, t]))
        h = cs[:, t]
    return np.stack(hs, axis=1)


def fused(order="fioc", acts=None, hx_order="hx", bias=True, split_rows=False, swap_pair=False,
          read=lambda o, c: o * np.tanh(c)):
    """lstm_step_fused with one slip: the blocks read in another order, another activation on a block, [x, h],
    no bias, the pre-activations split along the batch axis, (c_t, h_t), the read-out."""
    def fn(W, b, x_t, h_prev, c_prev):
        H = h_prev.shape[1]
        hx = np.concatenate([h_prev, x_t] if hx_order == "hx" else [x_t, h_prev], 1)
        z = hx @ W.T + b * bias                                     # (B, 4H)
        if split_rows:
            z = z.reshape(z.shape[0], H, 4).transpose(0, 2, 1).reshape(z.shape[0], 4 * H)  # unit by unit
        act = {"f": sig, "i": sig, "o": sig, "c": np.tanh, **(acts or {})}
        g = {k: act[k](z[:, j * H:(j + 1) * H]) for j, k in enumerate(order)}
        c = g["f"] * c_prev + g["i"] * g["c"]
        h = read(g["o"], c)
        return (c, h) if swap_pair else (h, c)
    return fn


def pytorch_count(D, H, L):
    return 4 * (H * (D + H) + 2 * H) + (L - 1) * 4 * (H * 2 * H + 2 * H)


CATALOGUE = {
    "hidden_states": [
        ("h_0 at every step", readouts(feed_back=False), "reads h_{t-1}, the h the step before computed"),
        ("C_{t-1} for C_t", readouts(c_shift=1), "not C_{t-1}"),
        ("no tanh", readouts(read=lambda o, c: o * c), "squashed by tanh"),
        ("tanh(o C)", readouts(read=lambda o, c: np.tanh(o * c)), "tanh(o_t * C_t) is not o_t * tanh(C_t)"),
        ("sigmoid of C", readouts(read=lambda o, c: o * sig(c)), "not the sigmoid"),
        ("no bias", readouts(bias=False), "bias b_o is missing"),
        ("[x, h]", readouts(order="xh"), "hidden state first"),
        ("gate with tanh", readouts(act=np.tanh), "uses the sigmoid"),
        ("W not transposed", lambda W, b, xs, h0, cs: readouts()(W.T, b, xs, h0, cs),
         "runs only with the weights transposed"),
        ("only the last h", readouts(last_only=True), "one step's h"),
        ("time axis first", readouts(time_first=True), "the time axis comes second"),
        ("output gate too steep", readouts(act=lambda z: sig(2 * z)), "your h_1 already differs"),
        ("feeds back C_t", feeds_back_the_cell, "your h_1 is right and later steps differ"),
        ("calls lstm.step", lambda W, b, xs, h0, cs: lstm.step({"W_f": W, "b_f": b, "W_i": W, "b_i": b, "W_c": W,
                                                                 "b_c": b, "W_o": W, "b_o": b}, xs[:, 0], h0,
                                                                cs[:, 0]).h[:, None],
         "lstm.step is what you are rebuilding"),
        ("calls lstm.forward", lambda W, b, xs, h0, cs: lstm.forward(
            {"W_f": W, "b_f": b, "W_i": W, "b_i": b, "W_c": W, "b_c": b, "W_o": W, "b_o": b}, xs, h0)[0].h,
         "lstm.forward is what you are rebuilding"),
    ],
    "lstm_step_fused": [
        ("PyTorch's order i, f, g, o", fused(order="ifco"), "PyTorch's order"),
        ("the equations' order f, i, C~, o", fused(order="fico"), "the order of the equations"),
        ("f and i blocks swapped", fused(order="ifoc"), "reads the four blocks as i, f, o, C~"),
        ("candidate through the sigmoid", fused(acts={"c": sig}), "not a gate"),
        ("output gate through tanh", fused(acts={"o": np.tanh}), "the output gate o_t is a gate"),
        ("split unit by unit", fused(split_rows=True), "not interleaved"),
        ("pair swapped", fused(swap_pair=True), "the pair is (h_t, c_t)"),
        ("tanh(o C)", fused(read=lambda o, c: np.tanh(o * c)), "tanh(o_t * C_t) is not o_t * tanh(C_t)"),
        ("[x, h]", fused(hx_order="xh"), "hidden state first"),
        ("no bias", fused(bias=False), "biases are missing"),
        ("W not transposed", lambda W, b, x, h, c: fused()(W.T, b, x, h, c), "runs only with W transposed"),
        ("calls lstm.step", lambda W, b, x, h, c: tuple(lstm.step(
            {f"W_{k}": W[j * h.shape[1]:(j + 1) * h.shape[1]] for j, k in enumerate("fioc")}
            | {f"b_{k}": b[j * h.shape[1]:(j + 1) * h.shape[1]] for j, k in enumerate("fioc")}, x, h, c))[:-3:-1],
         "lstm.step is what you are rebuilding"),
        ("read-out halved", fused(read=lambda o, c: 0.5 * o * np.tanh(c)), "how C_t is read out"),
    ],
    "pytorch_lstm_param_count": [
        ("our one-bias count", lambda D, H, L: 4 * (H * (D + H) + H) + (L - 1) * 4 * (H * 2 * H + H),
         "one bias per block"),
        ("every layer reads D", lambda D, H, L: L * 4 * (H * (D + H) + 2 * H), "not the D inputs"),
        ("one layer", lambda D, H, L: 4 * (H * (D + H) + 2 * H), "that is one layer"),
        ("L layers above the first", lambda D, H, L: pytorch_count(D, H, L) + 4 * (H * 2 * H + 2 * H),
         "not L"),
        ("no recurrent weights above", lambda D, H, L: 4 * (H * (D + H) + 2 * H) + (L - 1) * 4 * (H * H + 2 * H),
         "its own h_{t-1}"),
        ("three gates", lambda D, H, L: 3 * (H * (D + H) + 2 * H) + (L - 1) * 3 * (H * 2 * H + 2 * H), "GRU"),
        ("the RNN's count", lambda D, H, L: (H * (D + H) + 2 * H) + (L - 1) * (H * 2 * H + 2 * H), "nn.RNN"),
        ("no biases", lambda D, H, L: 4 * H * (D + H) + (L - 1) * 4 * H * 2 * H, "biases are missing"),
        ("hard-coded", lambda D, H, L: pytorch_count(5, 3, 2), "for D=10, H=20, L=1"),
        ("calls the package", lambda D, H, L: sum(v.size for v in lstm.init_params(D, H, RNG).values()),
         "count the parameters yourself"),
    ],
}


def test_reasonable_variants_of_correct_answers_pass():
    assert ex.check("hidden_states", readouts())
    assert ex.check("hidden_states", lambda *a: list(map(list, readouts()(*a))))  # nested lists are arrays too
    assert ex.check("lstm_step_fused", fused())
    assert ex.check("lstm_step_fused", lambda *a: list(fused()(*a)))

    def four_splits(W, b, x_t, h_prev, c_prev):  # np.split along the columns, as a student may write it
        z = np.concatenate([h_prev, x_t], 1) @ W.T + b
        f, i, o, g = np.split(z, 4, axis=1)
        c = sig(f) * c_prev + sig(i) * np.tanh(g)
        return sig(o) * np.tanh(c), c
    assert ex.check("lstm_step_fused", four_splits)
    assert ex.check("pytorch_lstm_param_count", lambda D, H, L: 4 * H * (D + H + 2) + (L - 1) * 8 * H * (H + 1))


def test_the_stacked_order_is_the_packages():
    """The exercise says the blocks are stacked 'as lstm.py does it': hold it to that."""
    assert ch06.FUSED_ORDER == lstm._STACK


def test_the_pytorch_count_matches_the_layout_for_one_layer_and_reasoning_for_more():
    """torch is not a dependency of the course: for L = 1 count frameworks.to_pytorch's arrays; for L > 1 each layer
    above has weight_ih_l{k} (4H, H) (it reads the H outputs below), weight_hh_l{k} (4H, H) and two biases (4H,)."""
    for D, H in ((1, 1), (3, 5), (10, 20)):
        arrays = frameworks.to_pytorch(lstm.init_params(D, H, RNG))
        assert pytorch_count(D, H, 1) == sum(a.size for a in arrays.values())
        above = 4 * H * H + 4 * H * H + 4 * H + 4 * H
        for L in (2, 3):
            assert pytorch_count(D, H, L) == pytorch_count(D, H, 1) + (L - 1) * above


def test_the_slip_runs_without_slips_are_the_package():
    """ch06's own loop (_hidden_run) and reading of the stacked weight (_read_as) equal the package's cell."""
    rng = np.random.default_rng(1)
    p = lstm.init_params(3, 4, rng)
    xs, h0, c0 = rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    out, _ = lstm.forward(p, xs, h0, c0)
    np.testing.assert_allclose(ch06._hidden_run(p["W_o"], p["b_o"], xs, h0, out.c), out.h, rtol=1e-12)
    q = ch06._read_as(p)
    for k in p:
        np.testing.assert_array_equal(q[k], p[k])
    for order in itertools.permutations("fioc"):  # every other reading differs
        if order != tuple("fioc"):
            assert not all(np.array_equal(ch06._read_as(p, order)[k], p[k]) for k in p)
