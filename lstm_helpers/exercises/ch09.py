"""Chapter 09 (the LSTM's family): one GRU step; nn.GRU's parameters in our layout; the summary of a
bidirectional layer.

    GRU, Cho's form (rows of a batch):
        z = sigmoid([h_{t-1}, x_t] W_z^T + b_z)       update gate: the part of h_{t-1} kept
        r = sigmoid([h_{t-1}, x_t] W_r^T + b_r)       reset gate: how much of h_{t-1} the candidate reads
        n = tanh([r * h_{t-1}, x_t] W_n^T + b_n)      candidate: the reset before the product
        h_t = z * h_{t-1} + (1 - z) * n               (colah's post writes z for 1 - z)
    nn.GRU: row blocks r, z, n; weight_ih_l0 (3H, D), weight_hh_l0 (3H, H), bias_ih_l0 and bias_hh_l0 (3H,);
        n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), the reset after the product; in our layout
        b_r = b_ir + b_hr, b_z = b_iz + b_hz, b_n = b_in, and b_hn apart (gru's reset_after form)
    a bidirectional layer's out (B, T, 2H), the forward direction's h_t in out[..., :H], the backward's in
        out[..., H:]: each direction's last state side by side, [out[:, -1, :H], out[:, 0, H:]] (= h_n of both)
"""
import itertools

import numpy as np

from .. import frameworks, gru, layers
from ..i18n import tr
from . import slips as common_slips
from .checking import Exercise, Probe, Wrong, as_array, case_rng, cases, close, compare, describe, shape_of
from .diagnose import layer_probes, narrow
from .slips import ACTS

# the texts a student reads are in lstm_helpers/texts/ex09.toml, looked up when shown; the lists of slips below
# hold their keys (or (key, fields), a field's callable evaluated when shown), read by _say


def _say(why):
    """The text of a slip's explanation in the current language: ``why`` is a key of the table or (key, fields)."""
    if isinstance(why, tuple):
        key, fields = why
        return tr(key, **{k: v() if callable(v) else v for k, v in fields.items()})
    return tr(why)


# --- one GRU step ---

def _gru_params(B, D, H, rng, reset_after=False):
    """GRU parameters with nonzero biases, x_t (B, D) and h_prev (B, H), a state between -1 and 1."""
    q = gru.init_params(D, H, rng, reset_after=reset_after)
    for k in q:
        if k.startswith("b"):
            q[k] = rng.standard_normal(H)  # nonzero biases, so a missing or misplaced one shows
    return q, rng.standard_normal((B, D)), np.tanh(2 * rng.standard_normal((B, H)))


def _pre(W, x, h, order="hx", untransposed=""):
    """[h, x] W^T without the bias ([x, h] with order "xh"); ``untransposed`` names the parts ("h", "hx") that
    meet their block of W without .T (which raises unless that block is square)."""
    H = W.shape[0]
    D = W.shape[1] - H
    W_h, W_x = (W[:, :H], W[:, H:]) if order == "hx" else (W[:, D:], W[:, :D])
    return h @ (W_h if "h" in untransposed else W_h.T) + x @ (W_x if "x" in untransposed else W_x.T)


def _gru(q, x, h, order="hx", acts=None, reset="before", mix="cho", swap_rz=False, no_bias="", untransposed="",
         out="h"):
    """h_t of a GRU step, Cho's form, with one slip switched on; None where the slip cannot run (the shapes)."""
    acts = {"z": "sigmoid", "r": "sigmoid", "n": "tanh", **(acts or {})}
    gz, gr = ("r", "z") if swap_rz else ("z", "r")  # the parameters each gate is made from

    def bias(k):
        return 0.0 if k in no_bias else q[f"b_{k}"]
    try:
        with np.errstate(all="ignore"):
            z = ACTS[acts["z"]](_pre(q[f"W_{gz}"], x, h, order, untransposed) + bias(gz))   # (B, H)
            r = ACTS[acts["r"]](_pre(q[f"W_{gr}"], x, h, order, untransposed) + bias(gr))   # (B, H)
            W_n, zx, zh = q["W_n"], np.zeros_like(x), np.zeros_like(h)
            a = {"before": lambda: _pre(W_n, x, r * h, order, untransposed) + bias("n"),
                 "none": lambda: _pre(W_n, x, h, order, untransposed) + bias("n"),
                 "all": lambda: _pre(W_n, r * x, r * h, order, untransposed) + bias("n"),  # r * x: D == H or H == 1
                 "after": lambda: _pre(W_n, x, zh, order) + bias("n") + r * _pre(W_n, zx, h, order),
                 "after, b_n inside": lambda: _pre(W_n, x, zh, order) + r * (_pre(W_n, zx, h, order) + bias("n")),
                 }[reset]()
            n = ACTS[acts["n"]](a)                                                            # (B, H)
            h_t = {"cho": lambda: z * h + (1 - z) * n, "colah": lambda: (1 - z) * h + z * n,
                   "no 1 - z": lambda: z * h + n, "no keep": lambda: (1 - z) * n}[mix]()
    except ValueError:  # the slip does not run for these shapes
        return None
    value = {"h": h_t, "n": n, "z": z, "r": r}[out]
    return value if value.shape == h.shape else None


GRU_SLIPS = [  # (slip keywords, explanation for _say)
    (dict(mix="colah"), "ex09.mix_colah"),
    (dict(reset="after"), "ex09.after_outside"),
    (dict(reset="after, b_n inside"), "ex09.after_inside"),
    (dict(reset="all"), "ex09.reset_all"),
    (dict(reset="none"), "ex09.reset_none"),
    (dict(order="xh"), ("ex09.order_candidate", {"slip": lambda: common_slips.ORDER_SLIP})),
    (dict(acts={"n": "sigmoid"}), "ex09.n_sigmoid"),
    (dict(acts={"z": "tanh"}), "ex09.z_tanh"),
    (dict(acts={"r": "tanh"}), "ex09.r_tanh"),
    (dict(acts={"z": "tanh", "r": "tanh"}), "ex09.zr_tanh"),
    (dict(acts={"z": "tanh", "r": "tanh", "n": "sigmoid"}), "ex09.acts_swapped"),
    (dict(acts={"z": "identity", "r": "identity", "n": "identity"}), "ex09.acts_missing"),
    (dict(swap_rz=True), "ex09.swap_rz"),
    (dict(untransposed="h"), "ex09.untransposed_h"),
    (dict(untransposed="hx"), "ex09.untransposed_hx"),
    (dict(out="n"), "ex09.out_n"),
    (dict(out="z"), "ex09.out_z"),
    (dict(out="r"), "ex09.out_r"),
    (dict(mix="no 1 - z"), "ex09.mix_no_1_z"),
    (dict(mix="no keep"), "ex09.mix_no_keep"),
    (dict(no_bias="zrn"), "ex09.no_biases"),
] + [(dict(no_bias=k), ("ex09.bias_missing", {"k": k, "gate": lambda k=k: tr(f"ex09.gate_{k}")})) for k in "zrn"]
SQUARE_ONLY = (dict(reset="all"), dict(untransposed="hx"))  # slips that raise for most shapes: named by probes


def _narrow_gru(answer, q, x, h):
    """Where a GRU step first goes wrong: without h_{t-1}, then with a candidate that does not read it."""
    H = h.shape[1]
    blind = {**q, "W_n": np.concatenate([np.zeros((H, H)), q["W_n"][:, H:]], axis=1)}  # r plays no part
    trials = [((q, x, np.zeros_like(h)), tr("ex09.narrow_no_h")),
              ((blind, x, h), tr("ex09.narrow_blind"))]
    return lambda: narrow(answer, trials, lambda q, x, h: gru.step(q, x, h).h, all_right=tr("ex09.narrow_reset"))


def check_gru_step(answer):
    for j, case in enumerate(cases(91)):
        B, D, H, rng = case.B, case.D, case.H, case.rng
        q, x, h = _gru_params(B, D, H, rng)
        want = gru.step(q, x, h).h                                                  # (B, H)
        # code that runs only when D == H ([r * h, r * x], no .T) or H == 1 (r * [h, x]): its slip, named by a
        # run with D = H and one with H = 1
        probes = layer_probes((q, x, h), ("p", "x", "h"), (B, H))
        for size, (d, u) in enumerate(((H, H), (D, 1))):
            other = _gru_params(B, d, u, case_rng([91, 100 + j, size]))
            for kw, why in GRU_SLIPS:
                if kw in SQUARE_ONLY:
                    value = _gru(*other, **kw)
                    probes.append(Probe(other, _say(why), lambda out, v=value: v is not None and np.shape(out) == v.shape
                                        and close(out, v)))
        out = answer(q, x, h, probes=probes)
        if isinstance(out, (tuple, list)) and len(out) in (2, 3, 4) and all(shape_of(o) == (B, H) for o in out):
            raise Wrong(tr("ex09.h_alone", got=describe(out), label=case.label))
        slips = [(_gru(q, x, h, **kw), _say(why)) for kw, why in GRU_SLIPS]
        compare(out, want, tr("ex09.what_label", name="h_t", label=case.label), slips,
                within=(-1, 1, tr("ex09.within_gru")), letters="(B, H)", explain=_narrow_gru(answer, q, x, h))


# --- nn.GRU's parameters in our layout ---

KEYS = gru.PARAM_KEYS + ("b_hn",)
CHECK_ORDER = ("W_r", "W_z", "W_n", "b_r", "b_z", "b_n", "b_hn")
PT_ORDER = frameworks.GRU_PYTORCH_ORDER  # ("r", "z", "n")


def _pytorch_state(q, rng):
    """nn.GRU's state dict (numpy) for q, PyTorch's form, with a nonzero share of b_r and b_z in each bias."""
    H = q["b_z"].size
    W = np.concatenate([q[f"W_{g}"] for g in PT_ORDER])                        # (3H, H + D)
    b = np.concatenate([q[f"b_{g}"] for g in PT_ORDER])                        # (3H,)
    split = np.concatenate([rng.standard_normal(2 * H), np.zeros(H)])          # r and z: both biases nonzero
    b_hh = split.copy()
    b_hh[2 * H:] = q["b_hn"]                                                   # n: b_hn, multiplied by r
    return {"weight_ih_l0": W[:, H:].copy(), "weight_hh_l0": W[:, :H].copy(), "bias_ih_l0": b - split,
            "bias_hh_l0": b_hh}


def _read_gru(state, order=PT_ORDER, hh_first=True, rz_bias="sum", n_bias="apart"):
    """Our parameters read from nn.GRU's state dict, with one slip: the blocks in another ``order``, x's columns
    first, the biases of r and z combined otherwise, the biases of n combined or swapped."""
    ih, hh, b_ih, b_hh = (np.asarray(state[k]) for k in frameworks.PYTORCH_KEYS)
    H = hh.shape[1]
    W = np.concatenate([hh, ih] if hh_first else [ih, hh], axis=1)             # (3H, H + D)

    def block(a, k):
        return a[k * H:(k + 1) * H]
    combine = {"sum": lambda i, h: i + h, "ih": lambda i, h: i, "hh": lambda i, h: h,
               "mean": lambda i, h: (i + h) / 2}[rz_bias]
    q = {}
    for k, g in enumerate(order):
        q[f"W_{g}"] = block(W, k)
        i, h = block(b_ih, k), block(b_hh, k)
        if g != "n":
            q[f"b_{g}"] = combine(i, h)
        else:
            q["b_n"], q["b_hn"] = {"apart": (i, h), "sum": (i + h, h), "sum, b_hn zero": (i + h, 0 * h),
                                   "swapped": (h, i)}[n_bias]
    return q


def _order_slip(order):
    """The explanation (for _say) of reading nn.GRU's blocks in ``order``."""
    if order == ("z", "r", "n"):
        return "ex09.order_zrn"
    return ("ex09.order_other", {"order": ", ".join(order)})


READ_SLIPS = [(dict(order=order), _order_slip(order)) for order in itertools.permutations(PT_ORDER)
              if order != PT_ORDER] + [  # (slip keywords, explanation for _say)
    (dict(hh_first=False), "ex09.hh_first"),
    (dict(rz_bias="ih"), "ex09.rz_ih"),
    (dict(rz_bias="hh"), "ex09.rz_hh"),
    (dict(rz_bias="mean"), "ex09.rz_mean"),
    (dict(n_bias="sum"), "ex09.sum_n"),
    (dict(n_bias="sum, b_hn zero"), "ex09.sum_n"),
    (dict(n_bias="swapped"), "ex09.n_swapped"),
]


def _parameter_shapes(out, D, H, where):
    """The answer's parameters as float arrays of their shapes; Wrong (naming the layout slip) otherwise."""
    arrays = {}
    for k in KEYS:
        got = shape_of(out[k])
        if k.startswith("W"):
            if got == (H + D, H):
                raise Wrong(tr("ex09.w_transposed", k=k, where=where))
            if got in ((H, D), (H, H)) and D != H:
                raise Wrong(tr("ex09.w_one_of_two", k=k, got=got, where=where))
            if got == (3 * H, H + D) or got in ((3 * H, D), (3 * H, H)):
                raise Wrong(tr("ex09.w_all_blocks", k=k, got=got, where=where))
        elif got == (3 * H,):
            raise Wrong(tr("ex09.b_all_blocks", k=k, where=where))
        shape, letters = ((H, H + D), "(H, H + D)") if k.startswith("W") else ((H,), "(H,)")
        arrays[k] = as_array(out[k], f"{k}{where}", shape, letters)
    return arrays


def check_gru_from_pytorch(answer):
    keys = sorted(KEYS)
    for case in cases(97, edges=((1, 1, 3), (1, 3, 1))):  # B is not used: a state dict has no batch
        D, H, rng = case.D, case.H, case.rng
        q, x, h = _gru_params(4, D, H, rng, reset_after=True)
        state = _pytorch_state(q, rng)
        where = tr("ex09.where", D=D, H=H)
        out = answer(state)
        want = frameworks.from_pytorch_gru(state)
        if not isinstance(out, dict):
            raise Wrong(tr("ex09.keys_is", keys=keys, got=describe(out)))
        got = sorted(map(str, out))
        if got == sorted(gru.PARAM_KEYS):
            raise Wrong(tr("ex09.cho"))
        if got != keys:
            raise Wrong(tr("ex09.keys_has", keys=keys, got=got))
        arrays = _parameter_shapes({str(k): v for k, v in out.items()}, D, H, where)
        # the function first: the answer's parameters, run through gru.step, against nn.GRU's
        dtype = np.float32 if all(a.dtype == np.float32 for a in arrays.values()) else np.float64
        try:
            with np.errstate(all="ignore"):
                mine = gru.step({k: a.astype(dtype) for k, a in arrays.items()}, x, h).h
            same = close(mine, gru.step(want, x, h).h)
        except Exception:  # NaN in a parameter and the like: the parameters say what differs
            same = False
        if same:
            continue
        slips = [(_read_gru(state, **kw), _say(why)) for kw, why in READ_SLIPS]
        try:  # then the slip, when the whole dict is one; else the first parameter that differs
            for s, why in slips:
                if all(close(arrays[k], s[k]) for k in KEYS):
                    raise Wrong(why)
            for k in CHECK_ORDER:
                compare(arrays[k], want[k], f"{k}{where}", [(s[k], why) for s, why in slips],
                        letters="(H, H + D)" if k.startswith("W") else "(H,)")
        except Wrong as exc:
            raise Wrong(tr("ex09.another_h", why=exc)) from None


# --- the summary of a bidirectional layer ---

SUMMARY_CASES = ((3, 5, 2, 4), (4, 3, 5, 3), (1, 6, 3, 5), (5, 4, 2, 1), (3, 1, 4, 2))  # (B, T, D, H); T = 1 last


def _matches(out, value):
    try:
        return np.shape(out) == np.shape(value) and close(np.asarray(out, dtype=float), value)
    except Exception:
        return False


def check_bidirectional_summary(answer):
    for k, (B, T, D, H) in enumerate(SUMMARY_CASES):
        rng = case_rng([79, k])
        net = layers.init_params("lstm", D, H, rng, bidirectional=True)
        for cell in net["layers"][0].values():
            for g in "fico":
                cell[f"b_{g}"] = rng.standard_normal(H)                   # nonzero biases
        out, final, _ = layers.forward(net, rng.standard_normal((B, T, D)))  # out (B, T, 2H)
        want = np.concatenate([final["h"][0], final["h"][1]], axis=1)     # (B, 2H): h_n, the forward direction first
        label = tr("ex09.summary_label", shape=out.shape)
        got = answer(out.copy())
        fwd_last, bwd_last, fwd_first, bwd_first = out[:, -1, :H], out[:, 0, H:], out[:, 0, :H], out[:, -1, H:]
        shape = shape_of(got)
        two_directions_shape(got, B, H, label, tr("ex09.your_summary"), "h_n", tr("ex09.states"), alone=(
            (fwd_last, tr("ex09.fwd_last_alone")), (bwd_last, tr("ex09.bwd_last_alone")),
            (fwd_first, tr("ex09.fwd_first_alone")), (bwd_first, tr("ex09.bwd_first_alone"))),
            put=(tr("ex09.summary_put_named"), tr("ex09.summary_put")))
        if shape == (B, T, 2 * H) and T > 1:
            raise Wrong(tr("ex09.summary_out_itself", label=label))
        if shape == (B, 4 * H):
            raise Wrong(tr("ex09.summary_4h", label=label))
        slips = [
            (out[:, -1], tr("ex09.out_last")),
            (out[:, 0], tr("ex09.out_first")),
            (np.concatenate([bwd_last, fwd_last], axis=1), tr("ex09.halves_swapped_hn")),
            (np.concatenate([fwd_first, bwd_first], axis=1), tr("ex09.first_states")),
            (np.concatenate([bwd_first, fwd_first], axis=1), tr("ex09.first_states_swapped")),
            (out.mean(axis=1), tr("ex09.mean_time")),
            (out.max(axis=1), tr("ex09.max_time")),
            (out.sum(axis=1), tr("ex09.sum_time")),
            (np.concatenate([fwd_last, fwd_last], axis=1), tr("ex09.forward_twice_last")),
        ]

        def explain(got=got, fwd_last=fwd_last, bwd_last=bwd_last, H=H):
            return which_half(np.asarray(got, dtype=float), fwd_last, bwd_last, H)
        compare(got, want, tr("ex09.what_summary", label=label), slips, letters="(B, 2H)", explain=explain)


def right_half(arr, fwd, bwd, H):
    """For a (B, 2H) answer that is wrong: "forward" or "backward", the half that is right (forward first), or None."""
    if close(arr[:, :H], fwd):
        return "forward"
    if close(arr[:, H:], bwd):
        return "backward"
    return None


def which_half(arr, fwd, bwd, H):
    """For a (B, 2H) answer that is wrong: which of its halves is right (forward first), as a sentence, or None."""
    half = right_half(arr, fwd, bwd, H)
    return tr(f"ex09.{half}_half_right") if half else None


def two_directions_shape(got, B, H, label, subject, layout, parts, alone, put):
    """Wrong when a two-direction answer (chapter 9's summary, chapter 10's final states), which should be (B, 2H),
    is (B, H), (2, B, H) or (B, 2, H); else nothing.

    subject : "your summary", "your answer"; layout : what stacks the directions on a new first axis, "h_n";
    parts : what the two (B, H) are, "states"; alone : (value, why) for a (B, H) answer that is one direction's
    state; put : the closing sentence of a (B, H) answer, (when a value of ``alone`` matches, when none does).
    """
    shape = shape_of(got)
    if shape == (B, H):
        for value, why in alone:
            if _matches(got, value):
                raise Wrong(tr("ex09.bi_one_named", subject=subject, label=label, why=why, put=put[0]))
        raise Wrong(tr("ex09.bi_one", subject=subject, shape=shape, label=label, put=put[1]))
    if shape == (2, B, H):
        raise Wrong(tr("ex09.bi_stacked", subject=subject, label=label, layout=layout))
    if shape == (B, 2, H):
        raise Wrong(tr("ex09.bi_new_axis", subject=subject, label=label, parts=parts))


EXERCISES = {
    "gru_step": Exercise(
        check_gru_step,
        "ex09.hint_gru_step",
        call="gru_step(q, x_t, h_prev)",
        returns="ex09.returns_gru_step",
        guarded=("gru.step", "gru.forward")),
    "gru_from_pytorch": Exercise(
        check_gru_from_pytorch,
        "ex09.hint_gru_from_pytorch",
        call="gru_from_pytorch(state)",
        returns="ex09.returns_gru_from_pytorch",
        guarded=("frameworks.from_pytorch_gru", "frameworks.to_pytorch_gru")),
    "bidirectional_summary": Exercise(
        check_bidirectional_summary,
        "ex09.hint_bidirectional_summary",
        call="bidirectional_summary(out)",
        returns="ex09.returns_bidirectional_summary"),
}
