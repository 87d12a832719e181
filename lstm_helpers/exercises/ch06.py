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
from ..i18n import tr
from .checking import Exercise, Probe, Wrong, as_pair, as_whole_number, cases, close, compare, shape_of
from . import diagnose, predict
from .diagnose import has_shape, layer_probes, narrow, narrow_cell
from .slips import cell_slips, hidden_slips, layer, layer_slips, lstm_gates, readout, update

# the texts a student reads are in lstm_helpers/texts/ex06.toml, looked up when shown
FUSED_ORDER = ("f", "i", "o", "c")  # the row blocks of the stacked weight, as lstm.py stacks them (c: the candidate)


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
        out = answer(*args, probes=[Probe((p["W_o"].T,) + args[1:], diagnose.WEIGHT_SLIP, has_shape((B, T, H)))])
        shape = shape_of(out)
        if shape == (B, H):
            raise Wrong(tr("ex06.shape_bh", shape=shape, label=case.label, T=T))
        if shape == (T, B, H):
            raise Wrong(tr("ex06.shape_tbh", shape=shape, label=case.label, T=T))
        o1, c1 = run.o[:, 0], cs[:, 0]
        gate_whys = [why for _, why in layer_slips(*args[:2], xs[:, 0], h0, "sigmoid", "the output gate", "b_o")]
        read_whys = [why for _, why in hidden_slips(o1, c1)]
        c_before = tr("ex06.c_before")
        slips = ([(_hidden_run(*args, feed_back=False), tr("ex06.h0_every_step"))]
                 + [(_hidden_run(*args[:4], np.roll(cs, 1, axis=1)), c_before),
                    (_hidden_run(*args[:4], np.concatenate([np.zeros_like(cs[:, :1]), cs[:, :-1]], axis=1)),
                     c_before)]
                 + [(_hidden_run(*args, gate=k), why) for k, why in enumerate(gate_whys)]
                 + [(_hidden_run(*args, read=k), why) for k, why in enumerate(read_whys)])

        def explain(out=out, want=want):
            first = np.asarray(out, dtype=float)[:, 0]
            if close(first, want[:, 0]):
                return tr("ex06.later_steps_differ")
            return tr("ex06.h1_differs")
        compare(out, want, tr("ex06.what_hs", label=case.label, T=T), slips, within=(-1, 1, tr("ex06.within_h")),
                letters="(B, T, H)", explain=explain)


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
    named = {("i", "f", "c", "o"): "ex06.order_pytorch", ("f", "i", "c", "o"): "ex06.order_equations"}
    out = []
    for order in itertools.permutations(FUSED_ORDER):
        if order != FUSED_ORDER:
            why = tr(named[order]) if order in named else tr("ex06.order_other", order=_order_name(order))
            out.append((_read_as(p, order), why))
    out.append((_read_as(p, interleaved=True), tr("ex06.interleaved")))
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
        probes[0] = probes[0]._replace(explanation=tr("ex06.stacked_weight_slip"))
        out = as_pair(answer(*args, probes=probes), "(h_t, c_t)")
        reading = _reading_slips(p, x, h, c)
        fused = _Fused(answer)
        compare(out[1], s.c, tr("ex06.what_label", name="c_t", label=case.label),
                [(s.h, tr("ex06.pair_h_first"))]
                + [(value[1], why) for value, why in reading] + cell_slips(p, x, h, c),
                letters="(B, H)", explain=narrow_cell(fused, p, x, h, c, lambda *a: reference(*a)[1],
                                                      pick=lambda o: o[1]))
        o_slips = [(gates["o"] * np.tanh(s.c), why) for gates, why in
                   [(lstm_gates(p, x, h, acts={"o": "tanh"}), tr("ex06.o_sigmoid")),
                    (lstm_gates(p, x, h, no_bias="o"), tr("ex06.o_no_bias")),
                    (lstm_gates(p, x, h, acts={"o": "flipped sigmoid"}), tr("ex06.o_flipped"))]]
        half = {**p, "W_o": np.zeros_like(p["W_o"]), "b_o": np.zeros_like(p["b_o"])}  # o_t = 1/2 everywhere
        explain_h = lambda: narrow(
            fused, [((half, x, h, c), tr("ex06.half_differs"))],
            lambda *a: reference(*a)[0], pick=lambda o: o[0], all_right=tr("ex06.half_right"))
        compare(out[0], s.h, tr("ex06.what_label", name="h_t", label=case.label),
                [(s.c, tr("ex06.pair_h_first"))]
                + [(value[0], why) for value, why in reading] + hidden_slips(s.o, s.c, c) + o_slips,
                within=(-1, 1, tr("ex06.within_h")), letters="(B, H)", explain=explain_h)


# --- counting PyTorch's parameters ---

def check_pytorch_lstm_param_count(answer):
    # (5, 3, 2) first: there every slip has its own count; L = 1 once, where the layers above do not show
    for D, H, L in ((5, 3, 2), (10, 20, 1), (1, 1, 3), (7, 4, 3), (128, 256, 2)):
        out = as_whole_number(answer(D, H, L), tr("ex06.count_what", D=D, H=H, L=L))
        first, above = 4 * (H * (D + H) + 2 * H), 4 * (H * 2 * H + 2 * H)  # layer 1 reads D, the others H
        want = first + (L - 1) * above
        if out == want:
            continue
        known = {
            4 * (H * (D + H) + H) + (L - 1) * 4 * (H * 2 * H + H): ("count_one_bias", {}),
            L * first: ("count_reads_d", {}),
            first: ("count_one_layer", {"L": L}),
            first + L * above: ("count_l_layers", {}),
            first + (L - 1) * 4 * (H * H + 2 * H): ("count_h_plus_h", {}),
            3 * (H * (D + H) + 2 * H) + (L - 1) * 3 * (H * 2 * H + 2 * H): ("count_gru", {}),
            (H * (D + H) + 2 * H) + (L - 1) * (H * 2 * H + 2 * H): ("count_rnn", {}),
            4 * H * (D + H) + (L - 1) * 4 * H * 2 * H: ("count_no_bias", {})}
        key, fields = known.get(out, ("count_default", {}))
        raise Wrong(tr("ex06.count_wrong", D=D, H=H, L=L, out=out, why=tr(f"ex06.{key}", **fields)))



def check_predict_h(answer):
    predict.number(answer, 0.5 * float(np.tanh(100.0)), "h_t", slips=[
        (50.0, tr("ex06.h_squashed")),
        (1.0, tr("ex06.h_still_scales")),
        (100.0, tr("ex06.h_squashed_then")),
        (float(sigmoid(0.5)), tr("ex06.h_sigmoid_again")),
        (0.0, tr("ex06.h_not_zero"))])

EXERCISES = {
    "hidden_states": Exercise(
        check_hidden_states,
        "ex06.hint_hidden_states",
        call="hidden_states(W_o, b_o, xs, h0, cs)",
        returns="ex06.returns_hidden_states",
        guarded=("lstm.step", "lstm.forward")),
    "lstm_step_fused": Exercise(
        check_lstm_step_fused,
        "ex06.hint_lstm_step_fused",
        call="lstm_step_fused(W, b, x_t, h_prev, c_prev)",
        returns="ex06.returns_lstm_step_fused",
        guarded=("lstm.step", "lstm.forward")),
    "pytorch_lstm_param_count": Exercise(
        check_pytorch_lstm_param_count,
        "ex06.hint_pytorch_lstm_param_count",
        call="pytorch_lstm_param_count(D, H, L)",
        returns="ex06.returns_count",
        guarded=("lstm.init_params",)),
    "predict_h": Exercise(
        check_predict_h,
        "ex06.hint_predict_h",
        returns="ex06.returns_prediction"),
}
