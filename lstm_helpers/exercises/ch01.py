"""Chapter 01 (the RNN): a whole batch of sequences, the parameters of a stack, W in TensorFlow 1's layout.

    h_t = tanh(W [h_{t-1}, x_t] + b),  W = [W_h W_x] of shape (H, H + D)
    TensorFlow 1 (BasicRNNCell): h_t = tanh([x_t, h_{t-1}] @ kernel + b),  kernel of shape (D + H, H)
"""
import numpy as np

from .. import rnn
from .checking import Exercise, Probe, Wrong, as_whole_number, case_rng, cases, compare, shape_of
from . import predict
from .diagnose import WEIGHT_SLIP, has_shape
from .slips import ACTS, layer, order_slip
from ..i18n import tr


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
        where = tr("ex01.where_BTDH", B=B, T=T, D=D, H=H)
        out = answer(W, b, xs, h0, probes=[Probe((W.T, b, xs, h0), WEIGHT_SLIP, has_shape((B, T, H)))])
        want = rnn.forward({"W": W, "b": b}, xs, h0)[0]                # (B, T, H)
        shape = shape_of(out)
        if shape == (B, H):
            raise Wrong(tr("ex01.forward_last_only", shape=shape, where=where))
        if shape == (T, B, H) and T != B:
            raise Wrong(tr("ex01.forward_time_first", shape=shape, where=where))
        if shape == (B, T + 1, H):
            raise Wrong(tr("ex01.forward_h0_included", where=where))
        slips = [(np.concatenate([h0[:, None], want[:, :-1]], axis=1), tr("ex01.forward_shifted")),
                 (_loop(W, b, xs, h0, carry=False), tr("ex01.forward_not_carried")),
                 (_loop(W, b, xs, np.zeros_like(h0)), tr("ex01.forward_zero_start")),
                 (_loop(W, b, xs, h0, order="xh"), order_slip()),
                 (_loop(W, b, xs, h0, bias=False), tr("exercises.bias_missing", bias="b")),
                 (_loop(W, b, xs, h0, act=ACTS["identity"]), tr("exercises.layer_no_act", act="tanh")),
                 (_loop(W, b, xs, h0, act=ACTS["sigmoid"]), tr("ex01.forward_sigmoid")),
                 (_loop(W, b, xs, h0, bias_outside=True), tr("exercises.bias_outside", bias="b", act="tanh"))]

        def first_wrong_step(out=out, want=want):
            wrong = ~np.all(np.isclose(np.asarray(out, dtype=float), want, rtol=1e-6, atol=1e-9), axis=(0, 2))
            t = int(np.argmax(wrong)) + 1
            if t == 1:
                return tr("ex01.forward_first_step")
            if t == 2:
                return tr("ex01.forward_second_step", t=t)
            return tr("ex01.forward_step_t", t=t, before=t - 1)
        compare(out, want, tr("ex01.forward_what", where=where), slips, within=(-1, 1, tr("ex01.tanh_range")),
                letters="(B, T, H)",
                explain=first_wrong_step)


def _stacked(D, H, L):
    return H * (H + D) + H + (L - 1) * (H * (H + H) + H)


def check_stacked_rnn_param_count(answer):
    # (3, 5, 3) first: there every slip has its own count; L = 1 is a single layer
    for D, H, L in ((3, 5, 3), (10, 64, 2), (7, 2, 4), (1, 6, 1), (128, 256, 5)):
        out = as_whole_number(answer(D, H, L), tr("ex01.count_what", D=D, H=H, L=L))
        want = _stacked(D, H, L)
        if out == want:
            continue
        one = H * (H + D) + H
        known = {L * one: "ex01.count_above_reads_x",
                 one: "ex01.count_one_layer",
                 _stacked(D, H, L) + L * H: "ex01.count_two_biases",
                 one + (L - 1) * (H * H + H): "ex01.count_above_reads_one",
                 _stacked(D, H, L) - L * H: "ex01.count_no_bias",
                 L * (H * (H + H) + H): "ex01.count_first_reads_h",
                 _stacked(D, H, L + 1): "ex01.count_layers",
                 _stacked(D, H, L - 1): "ex01.count_layers"}
        raise Wrong(tr("ex01.count_wrong", D=D, H=H, L=L, out=out,
                       why=tr(known.get(out, "ex01.count_otherwise"))))


def _kernel(W, H, at):
    """[W's columns from ``at`` on, then the first ``at``], transposed: input first when at = H."""
    return np.concatenate([W[:, at:], W[:, :at]], axis=1).T


def check_to_input_first(answer):
    sizes = ((5, 2), (2, 5), (4, 1), (1, 3), (3, 6))  # (H, D): D, H - 1 and H + 1 differ in the first
    for k, (H, D) in enumerate(sizes):
        W = case_rng([11, k]).standard_normal((H, H + D))
        where = tr("ex01.kernel_where", H=H, D=D)
        out = answer(W, H)
        want = _kernel(W, H, H)                                            # (D + H, H)
        if shape_of(out) == (H, H + D):
            if np.asarray(out).dtype.kind in "biuf" and np.allclose(out, W):
                raise Wrong(tr("ex01.kernel_is_W", where=where))
            raise Wrong(tr("ex01.kernel_not_transposed", where=where))
        slips = [(W.T, tr("ex01.kernel_blocks_kept")),
                 (_kernel(W, H, D), tr("ex01.kernel_split_at_D")),
                 (_kernel(W, H, H + 1), tr("ex01.kernel_off_by_one", at="H + 1")),
                 (_kernel(W, H, H - 1), tr("ex01.kernel_off_by_one", at="H - 1")),
                 (W[:, ::-1].T, tr("ex01.kernel_reversed"))]
        compare(out, want, tr("ex01.kernel_what", where=where), slips, letters="(D + H, H)")


def check_predict_h_shape(answer):
    predict.shape(answer, (4, 7, 5), tr("ex01.h_shape_what"), slips=[
        ((4, 5), tr("ex01.h_shape_last_only")),
        ((7, 4, 5), tr("ex01.h_shape_time_first")),
        ((4, 7, 3), tr("ex01.h_shape_D")),
        ((4, 7, 8), tr("ex01.h_shape_width")),
        ((5, 7, 4), tr("ex01.h_shape_order"))])

EXERCISES = {
    "rnn_forward": Exercise(
        check_rnn_forward,
        "ex01.rnn_forward_hint",
        call="rnn_forward(W, b, xs, h0)",
        returns="ex01.rnn_forward_returns",
        guarded=("rnn.step", "rnn.forward")),
    "stacked_rnn_param_count": Exercise(
        check_stacked_rnn_param_count,
        "ex01.stacked_rnn_param_count_hint",
        call="stacked_rnn_param_count(D, H, L)",
        returns="ex01.returns_whole_number",
        guarded=("rnn.init_params",)),
    "to_input_first": Exercise(
        check_to_input_first,
        "ex01.to_input_first_hint",
        call="to_input_first(W, H)",
        returns="ex01.to_input_first_returns"),
    "predict_h_shape": Exercise(
        check_predict_h_shape,
        "ex01.predict_h_shape_hint",
        returns="ex01.predict_h_shape_returns"),
}
