"""Chapter 06 (the output gate): every h_t of a run from its cell states; a whole step from one stacked weight;
the parameter count of PyTorch's nn.LSTM with L layers.

    o_t = sigmoid(W_o [h_{t-1}, x_t] + b_o),  h_t = o_t * tanh(C_t)
    one stacked weight, as lstm.py keeps it: W (4H, H + D), row blocks f, i, o, C~; b (4H,)
    nn.LSTM(D, H, num_layers=L): 4(H(D + H) + 2H) + (L - 1) * 4(H * 2H + 2H) parameters
"""
import itertools

import numpy as np

from .. import lstm
from ..activations import sigmoid
from .checking import Exercise, Probe, Wrong, as_pair, as_whole_number, cases, close, compare, shape_of
from . import predict
from .diagnose import WEIGHT_SLIP, has_shape, layer_probes, narrow, narrow_cell
from .slips import cell_slips, hidden_slips, layer, layer_slips, lstm_gates, readout, update

FUSED_ORDER = ("f", "i", "o", "c")  # the row blocks of the stacked weight, as lstm.py stacks them (c: the candidate)
STACKED_WEIGHT_SLIP = ("your code runs only with W transposed: W has shape (4H, H + D), one row per unit of the four "
                       "layers, and a batch of rows [h_{t-1}, x_t], shape (B, H + D), meets it as W.T")


def _params(case):
    p = lstm.init_params(case.D, case.H, case.rng)
    for k in ("b_f", "b_i", "b_c", "b_o"):
        p[k] = case.rng.standard_normal(case.H)  # nonzero biases, so a missing one shows
    return p


# --- every h_t of a run ---

def _hidden_run(W_o, b_o, xs, h0, cs, gate=None, read=None, feed_back=True):
    """Every h_t = o_t * tanh(C_t) of a run, h_t fed back as the next h_{t-1}, (B, T, H); with one slip:
    ``gate`` the index of a layer_slips entry for o_t, ``read`` the index of a hidden_slips entry for h_t,
    ``feed_back=False`` reads h_0 at every step."""
    h, hs = h0, []
    for t in range(xs.shape[1]):
        x, c, h_in = xs[:, t], cs[:, t], (h if feed_back else h0)
        o = layer(W_o, b_o, x, h_in) if gate is None else \
            layer_slips(W_o, b_o, x, h_in, "sigmoid", "the output gate", "b_o")[gate][0]
        h = o * np.tanh(c) if read is None else hidden_slips(o, c)[read][0]
        hs.append(h)
    return np.stack(hs, axis=1)


def check_hidden_states(answer):
    for case in cases(23):
        B, D, H, rng = case.B, case.D, case.H, case.rng
        T = B + H + 1  # never B or H, so a time axis in the wrong place shows in the shape
        p = _params(case)
        xs, h0 = rng.standard_normal((B, T, D)), rng.standard_normal((B, H))
        run, _ = lstm.forward(p, xs, h0, 2 * rng.standard_normal((B, H)))
        cs, want = run.c, run.h                                       # (B, T, H) each
        args = (p["W_o"], p["b_o"], xs, h0, cs)
        out = answer(*args, probes=[Probe((p["W_o"].T,) + args[1:], WEIGHT_SLIP, has_shape((B, T, H)))])
        shape = shape_of(out)
        if shape == (B, H):
            raise Wrong(f"hs has shape (B, H) = {shape}, one step's h: return h_t for every step, (B, T, H) "
                        f"({case.label}, T={T})")
        if shape == (T, B, H):
            raise Wrong(f"hs has shape (T, B, H) = {shape}: the time axis comes second, as in xs and cs, so hs is "
                        f"(B, T, H); stack the steps along axis 1 ({case.label}, T={T})")
        o1, c1 = run.o[:, 0], cs[:, 0]
        gate_whys = [why for _, why in layer_slips(*args[:2], xs[:, 0], h0, "sigmoid", "the output gate", "b_o")]
        read_whys = [why for _, why in hidden_slips(o1, c1)]
        c_before = "h_t reads out the new cell state C_t, cs[:, t - 1], not C_{t-1}"
        slips = ([(_hidden_run(*args, feed_back=False), "the output gate of step t reads h_{t-1}, the h the step "
                                                        "before computed; h_0 only at step 1")]
                 + [(_hidden_run(*args[:4], np.roll(cs, 1, axis=1)), c_before),
                    (_hidden_run(*args[:4], np.concatenate([np.zeros_like(cs[:, :1]), cs[:, :-1]], axis=1)),
                     c_before)]
                 + [(_hidden_run(*args, gate=k), why) for k, why in enumerate(gate_whys)]
                 + [(_hidden_run(*args, read=k), why) for k, why in enumerate(read_whys)])

        def explain(out=out, want=want):
            first = np.asarray(out, dtype=float)[:, 0]
            if close(first, want[:, 0]):
                return ("your h_1 is right and later steps differ: look at what each step feeds the next "
                        "(the output gate of step t reads h_{t-1})")
            return "your h_1 already differs: look at the output gate and the read-out of step 1"
        compare(out, want, f"hs ({case.label}, T={T})", slips,
                within=(-1, 1, "o_t, between 0 and 1, times tanh(C_t), between -1 and 1"), letters="(B, T, H)",
                explain=explain)


# --- a whole step from one stacked weight ---

def _stacked(p, order=FUSED_ORDER):
    """The four layers of ``p`` stacked in ``order``: W (4H, H + D), b (4H,)."""
    return np.concatenate([p[f"W_{k}"] for k in order]), np.concatenate([p[f"b_{k}"] for k in order])


def _read_as(p, order=FUSED_ORDER, interleaved=False):
    """The per-layer parameters an answer sees when it reads the blocks of the stacked weight in ``order``
    (or, ``interleaved``, takes row 4j + k as unit j of layer k)."""
    W, b = _stacked(p)
    H = b.size // 4
    rows = [slice(k, None, 4) if interleaved else slice(k * H, (k + 1) * H) for k in range(4)]
    return {**{f"W_{g}": W[r] for g, r in zip(order, rows)}, **{f"b_{g}": b[r] for g, r in zip(order, rows)}}


def _order_name(order):
    return ", ".join("C~" if g == "c" else g for g in order)


def _reading_slips(p, x, h, c_prev):
    """((h_t, C_t), explanation) for an answer that splits the stacked weight the wrong way."""
    named = {("i", "f", "c", "o"): "that is PyTorch's order, i, f, g, o; the blocks here are stacked f, i, o, C~ "
                                   "(the three sigmoids side by side), as in lstm.py",
             ("f", "i", "c", "o"): "that is the order of the equations, f, i, C~, o; the blocks here are stacked f, "
                                   "i, o, C~ (the three sigmoids side by side), as in lstm.py"}
    out = []
    for order in itertools.permutations(FUSED_ORDER):
        if order != FUSED_ORDER:
            why = named.get(order, f"your code reads the four blocks as {_order_name(order)}; they are stacked f, "
                                   "i, o, C~ from the top")
            out.append((_read_as(p, order), why))
    out.append((_read_as(p, interleaved=True), "the four layers are consecutive blocks of H rows (rows 0:H the "
                                               "forget gate, H:2H the input gate, ...), not interleaved unit by unit"))
    slips = []
    for q, why in out:
        g = lstm_gates(q, x, h)
        c = update(g, c_prev)
        slips.append(((readout(g, c), c), why))
    return slips


class _Fused:
    """An answer taking (W, b, x_t, h_prev, c_prev), called with a parameter dict (for narrowing down)."""

    def __init__(self, answer):
        self.answer = answer

    def quietly(self, p, x, h, c):
        return self.answer.quietly(*_stacked(p), x, h, c)


def check_lstm_step_fused(answer):
    for case in cases(29):
        B, H, rng = case.B, case.H, case.rng
        p = _params(case)
        x, h, c = rng.standard_normal((B, case.D)), rng.standard_normal((B, H)), 2 * rng.standard_normal((B, H))
        W, b = _stacked(p)
        args, roles = (W, b, x, h, c), ("W", "b", "x", "h", "c")

        def reference(p, x, h, c):
            s = lstm.step(p, x, h, c)
            return s.h, s.c
        s = lstm.step(p, x, h, c)
        probes = layer_probes(args, roles, (B, H), pair=True)
        probes[0] = probes[0]._replace(explanation=STACKED_WEIGHT_SLIP)
        out = as_pair(answer(*args, probes=probes), "(h_t, c_t)")
        reading = _reading_slips(p, x, h, c)
        fused = _Fused(answer)
        compare(out[1], s.c, f"c_t ({case.label})",
                [(s.h, "the pair is (h_t, c_t): the hidden state first")]
                + [(value[1], why) for value, why in reading] + cell_slips(p, x, h, c),
                letters="(B, H)", explain=narrow_cell(fused, p, x, h, c, lambda *a: reference(*a)[1],
                                                      pick=lambda o: o[1]))
        o_slips = [(gates["o"] * np.tanh(s.c), why) for gates, why in
                   [(lstm_gates(p, x, h, acts={"o": "tanh"}), "the output gate o_t is a gate: it uses the sigmoid "
                                                              "(values between 0 and 1), not tanh"),
                    (lstm_gates(p, x, h, no_bias="o"), "the output gate's bias (rows 2H:3H of b) is missing"),
                    (lstm_gates(p, x, h, acts={"o": "flipped sigmoid"}), "that is 1 - sigmoid(z) for o_t: mind the "
                                                                         "sign in the sigmoid")]]
        half = {**p, "W_o": np.zeros_like(p["W_o"]), "b_o": np.zeros_like(p["b_o"])}  # o_t = 1/2 everywhere
        explain_h = lambda: narrow(
            fused, [((half, x, h, c), "even with o_t = 1/2 everywhere your h_t differs: look at how C_t is read out")],
            lambda *a: reference(*a)[0], pick=lambda o: o[0],
            all_right="with o_t = 1/2 everywhere your h_t is right: look at the output gate o_t, rows 2H:3H")
        compare(out[0], s.h, f"h_t ({case.label})",
                [(s.c, "the pair is (h_t, c_t): the hidden state first")]
                + [(value[0], why) for value, why in reading] + hidden_slips(s.o, s.c, c) + o_slips,
                within=(-1, 1, "o_t, between 0 and 1, times tanh(C_t), between -1 and 1"), letters="(B, H)",
                explain=explain_h)


# --- counting PyTorch's parameters ---

def check_pytorch_lstm_param_count(answer):
    # (5, 3, 2) first: there every slip has its own count; L = 1 once, where the layers above do not show
    for D, H, L in ((5, 3, 2), (10, 20, 1), (1, 1, 3), (7, 4, 3), (128, 256, 2)):
        out = as_whole_number(answer(D, H, L), f"the count for D={D}, H={H}, L={L}")
        first, above = 4 * (H * (D + H) + 2 * H), 4 * (H * 2 * H + 2 * H)  # layer 1 reads D, the others H
        want = first + (L - 1) * above
        if out == want:
            continue
        known = {
            4 * (H * (D + H) + H) + (L - 1) * 4 * (H * 2 * H + H):
                "that is our count, one bias per block; PyTorch keeps two, bias_ih and bias_hh",
            L * first: "every layer above the first reads the H outputs of the layer below, not the D inputs",
            first: f"that is one layer; num_layers={L} stacks {L} of them",
            first + L * above: "L - 1 layers sit above the first, not L",
            first + (L - 1) * 4 * (H * H + 2 * H): "a layer above the first reads the H outputs from below and its "
                                                   "own h_{t-1}: H + H columns",
            3 * (H * (D + H) + 2 * H) + (L - 1) * 3 * (H * 2 * H + 2 * H):
                "that is three blocks per layer (a GRU's count); the LSTM has four: i, f, g, o",
            (H * (D + H) + 2 * H) + (L - 1) * (H * 2 * H + 2 * H):
                "that is nn.RNN's count, one block per layer; the LSTM has four: i, f, g, o",
            4 * H * (D + H) + (L - 1) * 4 * H * 2 * H: "the biases are missing: two vectors of 4H in every layer"}
        raise Wrong(f"for D={D}, H={H}, L={L} you return {out}; " +
                    known.get(out, "count each layer's two weights and two biases from their shapes"))



def check_predict_h(answer):
    predict.number(answer, 0.5 * float(np.tanh(100.0)), "h_t", slips=[
        (50.0, "h_t = o_t * tanh(C_t): the cell state is squashed by tanh first"),
        (1.0, "the output gate still scales tanh(C_t)"),
        (100.0, "h_t = o_t * tanh(C_t): the cell state is squashed by tanh first, then scaled by o_t"),
        (float(sigmoid(0.5)), "o_t = 0.5 is the gate's value already: do not apply the sigmoid again"),
        (0.0, "tanh(100) is not 0: it is as close to 1 as a float can tell")])

EXERCISES = {
    "hidden_states": Exercise(
        check_hidden_states,
        "Loop over the steps: step t computes o_t from [h_{t-1}, x_t] (sigmoid, W_o, b_o), then h_t = o_t * "
        "tanh(C_t) with C_t = cs[:, t - 1]; that h_t is the next step's h_{t-1}. Stack the h_t along axis 1.",
        "def hidden_states(W_o, b_o, xs, h0, cs):\n"
        "    h, hs = h0, []\n"
        "    for t in range(xs.shape[1]):                                # row t is step t + 1\n"
        "        hx = np.concatenate([h, xs[:, t]], axis=1)              # (B, H + D)\n"
        "        o = 1 / (1 + np.exp(-(hx @ W_o.T + b_o)))               # (B, H)\n"
        "        h = o * np.tanh(cs[:, t])                               # (B, H), fed back\n"
        "        hs.append(h)\n"
        "    return np.stack(hs, axis=1)                                 # (B, T, H)",
        call="hidden_states(W_o, b_o, xs, h0, cs)",
        returns="hs, an array of shape (B, T, H)",
        guarded=("lstm.step", "lstm.forward")),
    "lstm_step_fused": Exercise(
        check_lstm_step_fused,
        "z = [h_prev, x_t] @ W.T + b is (B, 4H); its column blocks of H are the forget gate, the input gate, the "
        "output gate and the candidate, in that order. Sigmoid on the three gates, tanh on the candidate, then "
        "the usual update and read-out. Return (h_t, c_t).",
        "def lstm_step_fused(W, b, x_t, h_prev, c_prev):\n"
        "    H = h_prev.shape[1]\n"
        "    z = np.concatenate([h_prev, x_t], axis=1) @ W.T + b   # (B, 4H): one matrix product\n"
        "    sigmoid = lambda a: 1 / (1 + np.exp(-a))\n"
        "    f, i, o = sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), sigmoid(z[:, 2 * H:3 * H])  # (B, H) each\n"
        "    g = np.tanh(z[:, 3 * H:])                              # (B, H), the candidate\n"
        "    c_t = f * c_prev + i * g\n"
        "    return o * np.tanh(c_t), c_t",
        call="lstm_step_fused(W, b, x_t, h_prev, c_prev)",
        returns="the pair (h_t, c_t), each an array of shape (B, H)",
        guarded=("lstm.step", "lstm.forward")),
    "pytorch_lstm_param_count": Exercise(
        check_pytorch_lstm_param_count,
        "Per layer: four blocks (i, f, g, o), each with an input weight, a recurrent weight (H x H) and two "
        "biases of H. Layer 1's input weight has D columns; every layer above reads the H outputs below it.",
        "def pytorch_lstm_param_count(D, H, L):\n"
        "    first = 4 * (H * (D + H) + 2 * H)       # reads x_t: D inputs\n"
        "    above = 4 * (H * (H + H) + 2 * H)       # reads the h_t of the layer below: H inputs\n"
        "    return first + (L - 1) * above",
        call="pytorch_lstm_param_count(D, H, L)",
        returns="a whole number",
        guarded=("lstm.init_params",)),
    "predict_h": Exercise(
        check_predict_h,
        "h_t = o_t * tanh(C_t); tanh of a large number is very close to 1.",
        "prediction = 0.5",
        returns="one number: your prediction"),
}
