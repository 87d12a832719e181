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
from .checking import Exercise, Probe, Wrong, as_array, cases, close, compare, describe, shape_of
from .diagnose import layer_probes, narrow
from .slips import ACTS, ORDER_SLIP

GATE = {"z": "the update gate z", "r": "the reset gate r", "n": "the candidate n"}


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


AFTER = ("the reset gate acts before W_n's product here (Cho's form): the candidate reads [r * h_{t-1}, x_t]. "
         "Multiplying W_n's product with h_{t-1} by r, b_n outside, is PyTorch's form (the reset after the "
         "product), a different function")
GRU_SLIPS = [
    (dict(mix="colah"), "h_t = z * h_{t-1} + (1 - z) * n_t here, z being the part of h_{t-1} kept; yours is "
                        "(1 - z) * h_{t-1} + z * n_t, colah's convention: that is colah's z, which is 1 - z here"),
    (dict(reset="after"), AFTER),
    (dict(reset="after, b_n inside"), AFTER.replace(", b_n outside,", "")),
    (dict(reset="all"), "the reset gate scales h_{t-1} only: the candidate reads [r * h_{t-1}, x_t], x_t as it is"),
    (dict(reset="none"), "the reset gate is missing: the candidate reads [r * h_{t-1}, x_t], not [h_{t-1}, x_t]"),
    (dict(order="xh"), ORDER_SLIP + " (for the candidate, on r * h_{t-1})"),
    (dict(acts={"n": "sigmoid"}), "the candidate n_t is not a gate: it uses tanh (values between -1 and 1), not the "
                                  "sigmoid"),
    (dict(acts={"z": "tanh"}), "the update gate z is a gate: it uses the sigmoid (values between 0 and 1), not tanh"),
    (dict(acts={"r": "tanh"}), "the reset gate r is a gate: it uses the sigmoid (values between 0 and 1), not tanh"),
    (dict(acts={"z": "tanh", "r": "tanh"}), "the gates z and r use the sigmoid (values between 0 and 1), not tanh"),
    (dict(acts={"z": "tanh", "r": "tanh", "n": "sigmoid"}), "the sigmoid and tanh are the wrong way round: the gates "
                                                            "z and r use the sigmoid, the candidate tanh"),
    (dict(acts={"z": "identity", "r": "identity", "n": "identity"}), "the activations are missing: sigmoid for z "
                                                                     "and r, tanh for the candidate"),
    (dict(swap_rz=True), "z and r are swapped: W_z and b_z make the update gate z (which mixes h_{t-1} and n_t), "
                         "W_r and b_r the reset gate r (which scales h_{t-1} inside the candidate)"),
    (dict(untransposed="h"), "h_{t-1} meets each W's first H columns as h_{t-1} @ W[:, :H].T, as x_t meets the last "
                             "D with .T: yours uses W[:, :H] without .T (it is square, so numpy does not complain)"),
    (dict(untransposed="hx"), "each W has shape (H, H + D), one row per unit: h_{t-1} meets W[:, :H] and x_t meets "
                              "W[:, H:] transposed, h_{t-1} @ W[:, :H].T + x_t @ W[:, H:].T"),
    (dict(out="n"), "return h_t, not the candidate n_t: h_t mixes h_{t-1} and n_t through z"),
    (dict(out="z"), "return h_t, not the update gate z"),
    (dict(out="r"), "return h_t, not the reset gate r"),
    (dict(mix="no 1 - z"), "the candidate is scaled by 1 - z: h_t = z * h_{t-1} + (1 - z) * n_t"),
    (dict(mix="no keep"), "the kept part z * h_{t-1} is missing: h_t = z * h_{t-1} + (1 - z) * n_t"),
    (dict(no_bias="zrn"), "the biases are missing"),
] + [(dict(no_bias=k), f"the bias b_{k} of {GATE[k]} is missing") for k in "zrn"]
SQUARE_ONLY = (dict(reset="all"), dict(untransposed="hx"))  # slips that raise for most shapes: named by probes


def _narrow_gru(answer, q, x, h):
    """Where a GRU step first goes wrong: without h_{t-1}, then with a candidate that does not read it."""
    H = h.shape[1]
    blind = {**q, "W_n": np.concatenate([np.zeros((H, H)), q["W_n"][:, H:]], axis=1)}  # r plays no part
    trials = [((q, x, np.zeros_like(h)), "with h_{t-1} = 0 (nothing to keep, nothing to reset) your h_t already "
                                         "differs: look at the update gate z, the candidate's x_t part and how h_t "
                                         "mixes them"),
              ((blind, x, h), "with a candidate that does not read h_{t-1} (W_n's first H columns zero, so r plays "
                              "no part) your h_t differs: look at the update gate z and how h_t mixes h_{t-1} and "
                              "n_t")]
    return lambda: narrow(answer, trials, lambda q, x, h: gru.step(q, x, h).h,
                          all_right="right whenever the reset gate plays no part: look at the reset gate r and "
                                    "where it enters the candidate, [r * h_{t-1}, x_t]")


def check_gru_step(answer):
    for j, case in enumerate(cases(91)):
        B, D, H, rng = case.B, case.D, case.H, case.rng
        q, x, h = _gru_params(B, D, H, rng)
        want = gru.step(q, x, h).h                                                  # (B, H)
        # code that runs only when D == H ([r * h, r * x], no .T) or H == 1 (r * [h, x]): its slip, named by a
        # run with D = H and one with H = 1
        probes = layer_probes((q, x, h), ("p", "x", "h"), (B, H))
        for size, (d, u) in enumerate(((H, H), (D, 1))):
            other = _gru_params(B, d, u, np.random.default_rng([91, 100 + j, size]))
            for kw, why in GRU_SLIPS:
                if kw in SQUARE_ONLY:
                    value = _gru(*other, **kw)
                    probes.append(Probe(other, why, lambda out, v=value: v is not None and np.shape(out) == v.shape
                                        and close(out, v)))
        out = answer(q, x, h, probes=probes)
        if isinstance(out, (tuple, list)) and len(out) in (2, 3, 4) and all(shape_of(o) == (B, H) for o in out):
            raise Wrong(f"return h_t alone, an array of shape (B, H); yours is {describe(out)} ({case.label})")
        slips = [(_gru(q, x, h, **kw), why) for kw, why in GRU_SLIPS]
        compare(out, want, f"h_t ({case.label})", slips,
                within=(-1, 1, "a mix of h_{t-1} and n_t, both between -1 and 1 here"), letters="(B, H)",
                explain=_narrow_gru(answer, q, x, h))


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
    if order == ("z", "r", "n"):
        return "nn.GRU stacks its blocks r, z, n (reset, update, candidate); yours reads them z, r, n, our order"
    return f"your code reads the three blocks as {', '.join(order)}; nn.GRU stacks them r, z, n from the top"


SUM_N = ("b_hn is multiplied by r, it cannot join b_n: nn.GRU's candidate is tanh(W_in x + b_in + r * (W_hn h + "
         "b_hn)), the reset after the product, so b_n is bias_ih_l0's n block alone and b_hn bias_hh_l0's")
READ_SLIPS = [(dict(order=order), _order_slip(order)) for order in itertools.permutations(PT_ORDER)
              if order != PT_ORDER] + [
    (dict(hh_first=False), "our W's first H columns act on h_{t-1}: weight_hh_l0's columns come first, then "
                           "weight_ih_l0's"),
    (dict(rz_bias="ih"), "bias_hh_l0 is left out for r and z: the cell adds both biases there, every step, so "
                         "b_r = b_ir + b_hr (and b_z likewise)"),
    (dict(rz_bias="hh"), "bias_ih_l0 is left out for r and z: the cell adds both biases there, every step"),
    (dict(rz_bias="mean"), "the cell adds the two biases of r (and of z); it does not average them"),
    (dict(n_bias="sum"), SUM_N),
    (dict(n_bias="sum, b_hn zero"), SUM_N),
    (dict(n_bias="swapped"), "the candidate's two biases are swapped: bias_ih_l0's n block is b_n (outside the "
                             "reset), bias_hh_l0's is b_hn (multiplied by r)"),
]
CHO = ("your dict has no b_hn, so gru.step computes Cho's form with it: the reset gate before W_n's product, a "
       "different function from nn.GRU's, which multiplies r by (W_hn h_{t-1} + b_hn). Add b_hn, bias_hh_l0's n "
       "block")


def _parameter_shapes(out, D, H, where):
    """The answer's parameters as float arrays of their shapes; Wrong (naming the layout slip) otherwise."""
    arrays = {}
    for k in KEYS:
        got = shape_of(out[k])
        if k.startswith("W"):
            if got == (H + D, H):
                raise Wrong(f"{k} has shape (H + D, H), transposed: ours is (H, H + D), one row per unit{where}")
            if got in ((H, D), (H, H)) and D != H:
                raise Wrong(f"{k} has shape {got}: that is one of nn.GRU's two weights alone; ours joins "
                            f"weight_hh_l0's block (the first H columns) and weight_ih_l0's (the last D), "
                            f"(H, H + D){where}")
            if got == (3 * H, H + D) or got in ((3 * H, D), (3 * H, H)):
                raise Wrong(f"{k} has shape {got}, all three blocks: cut out the H rows of this gate{where}")
        elif got == (3 * H,):
            raise Wrong(f"{k} has shape (3H,), all three blocks: cut out the H entries of this gate{where}")
        shape, letters = ((H, H + D), "(H, H + D)") if k.startswith("W") else ((H,), "(H,)")
        arrays[k] = as_array(out[k], f"{k}{where}", shape, letters)
    return arrays


def check_gru_from_pytorch(answer):
    keys = sorted(KEYS)
    for case in cases(97, edges=((1, 1, 3), (1, 3, 1))):  # B is not used: a state dict has no batch
        D, H, rng = case.D, case.H, case.rng
        q, x, h = _gru_params(4, D, H, rng, reset_after=True)
        state = _pytorch_state(q, rng)
        where = f" (for D={D}, H={H})"
        out = answer(state)
        want = frameworks.from_pytorch_gru(state)
        if not isinstance(out, dict):
            raise Wrong(f"return a dict with the keys {keys}; yours is {describe(out)}")
        got = sorted(map(str, out))
        if got == sorted(gru.PARAM_KEYS):
            raise Wrong(CHO)
        if got != keys:
            raise Wrong(f"return a dict with the keys {keys}; yours has {got}")
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
        slips = [(_read_gru(state, **kw), why) for kw, why in READ_SLIPS]
        try:  # then the slip, when the whole dict is one; else the first parameter that differs
            for s, why in slips:
                if all(close(arrays[k], s[k]) for k in KEYS):
                    raise Wrong(why)
            for k in CHECK_ORDER:
                compare(arrays[k], want[k], f"{k}{where}", [(s[k], why) for s, why in slips],
                        letters="(H, H + D)" if k.startswith("W") else "(H,)")
        except Wrong as exc:
            raise Wrong(f"run through gru.step, your parameters compute another h_t than the nn.GRU's: {exc}") \
                from None


# --- the summary of a bidirectional layer ---

SUMMARY_CASES = ((3, 5, 2, 4), (4, 3, 5, 3), (1, 6, 3, 5), (5, 4, 2, 1), (3, 1, 4, 2))  # (B, T, D, H); T = 1 last


def _matches(out, value):
    try:
        return np.shape(out) == np.shape(value) and close(np.asarray(out, dtype=float), value)
    except Exception:
        return False


def check_bidirectional_summary(answer):
    for k, (B, T, D, H) in enumerate(SUMMARY_CASES):
        rng = np.random.default_rng([79, k])
        net = layers.init_params("lstm", D, H, rng, bidirectional=True)
        for cell in net["layers"][0].values():
            for g in "fico":
                cell[f"b_{g}"] = rng.standard_normal(H)                   # nonzero biases
        out, final, _ = layers.forward(net, rng.standard_normal((B, T, D)))  # out (B, T, 2H)
        want = np.concatenate([final["h"][0], final["h"][1]], axis=1)     # (B, 2H): h_n, the forward direction first
        label = f"for out of shape (B, T, 2H) = {out.shape}"
        got = answer(out.copy())
        fwd_last, bwd_last, fwd_first, bwd_first = out[:, -1, :H], out[:, 0, H:], out[:, 0, :H], out[:, -1, H:]
        shape = shape_of(got)
        if shape == (B, H):
            for value, why in ((fwd_last, "the forward direction's last state alone"),
                               (bwd_last, "the backward direction's last state alone"),
                               (fwd_first, "the forward direction's FIRST state alone (at t = 1 it has read only "
                                           "x_1)"),
                               (bwd_first, "the backward direction's FIRST state alone (at t = T it has read only "
                                           "x_T)")):
                if _matches(got, value):
                    raise Wrong(f"your summary has shape (B, H) ({label}): that is {why}; the summary puts both "
                                "directions' last states side by side, (B, 2H)")
            raise Wrong(f"your summary has shape (B, H) = {shape} ({label}), one direction's features; it puts both "
                        "directions' last states side by side, (B, 2H)")
        if shape == (2, B, H):
            raise Wrong(f"your summary has shape (2, B, H) ({label}), h_n's layout, the directions stacked along a "
                        "new first axis: put them side by side along the features, (B, 2H)")
        if shape == (B, 2, H):
            raise Wrong(f"your summary has shape (B, 2, H) ({label}): join the two (B, H) states along the features "
                        "(np.concatenate on the last axis), not along a new axis, (B, 2H)")
        if shape == (B, T, 2 * H) and T > 1:
            raise Wrong(f"your summary has shape (B, T, 2H) ({label}), out itself: take one state per direction, "
                        "(B, 2H)")
        if shape == (B, 4 * H):
            raise Wrong(f"your summary has shape (B, 4H) ({label}): that is two whole steps of out side by side; "
                        "take the forward half of one step and the backward half of another, (B, 2H)")
        slips = [
            (out[:, -1], "out[:, -1] is right for the forward half, but its backward half has read only x_T: the "
                         "backward direction reads x_T first, so its last state, after the whole sequence, is at "
                         "t = 1"),
            (out[:, 0], "out[:, 0] is right for the backward half, but its forward half has read only x_1: the "
                        "forward direction's last state is at t = T"),
            (np.concatenate([bwd_last, fwd_last], axis=1), "the halves are the wrong way round: the forward "
                                                           "direction's state comes first, as in out and in h_n"),
            (np.concatenate([fwd_first, bwd_first], axis=1), "those are each direction's FIRST state (the forward's "
                                                             "at t = 1, the backward's at t = T), each having read "
                                                             "one input: the last states are at the other ends"),
            (np.concatenate([bwd_first, fwd_first], axis=1), "those are each direction's FIRST state, and the "
                                                             "halves in the wrong order"),
            (out.mean(axis=1), "the mean over time is a summary too, but not this one: take each direction's last "
                               "state, the one that has read the whole sequence"),
            (out.max(axis=1), "the maximum over time (max pooling) is a summary too, but not this one: take each "
                              "direction's last state, the one that has read the whole sequence"),
            (out.sum(axis=1), "the sum over time is not this summary: take each direction's last state, the one "
                              "that has read the whole sequence"),
            (np.concatenate([fwd_last, fwd_last], axis=1), "the forward half is there twice: the second half is the "
                                                           "backward direction's last state"),
        ]

        def explain(got=got, fwd_last=fwd_last, bwd_last=bwd_last, H=H):
            return which_half(np.asarray(got, dtype=float), fwd_last, bwd_last, H)
        compare(got, want, f"the summary ({label})", slips, letters="(B, 2H)", explain=explain)


def which_half(arr, fwd, bwd, H):
    """For a (B, 2H) answer that is wrong: which of its halves is right (forward first), as a sentence, or None."""
    if close(arr[:, :H], fwd):
        return "the forward half (the first H features) is right; look at the backward half"
    if close(arr[:, H:], bwd):
        return "the backward half (the last H features) is right; look at the forward half"
    return None


EXERCISES = {
    "gru_step": Exercise(
        check_gru_step,
        "Two gates read [h_{t-1}, x_t] as the LSTM's do, through the sigmoid: the update gate z and the reset gate "
        "r. The candidate n reads [r * h_{t-1}, x_t] through tanh: the reset gate scales h_{t-1} before W_n's "
        "product. Then h_t mixes the old state and the candidate, and z is the part of h_{t-1} that is kept.",
        "def gru_step(q, x_t, h_prev):\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)                 # (B, H + D)\n"
        "    z = 1 / (1 + np.exp(-(hx @ q[\"W_z\"].T + q[\"b_z\"])))        # (B, H) update gate\n"
        "    r = 1 / (1 + np.exp(-(hx @ q[\"W_r\"].T + q[\"b_r\"])))        # (B, H) reset gate\n"
        "    rhx = np.concatenate([r * h_prev, x_t], axis=1)            # (B, H + D)\n"
        "    n = np.tanh(rhx @ q[\"W_n\"].T + q[\"b_n\"])                   # (B, H) candidate\n"
        "    return z * h_prev + (1 - z) * n                            # (B, H)",
        call="gru_step(q, x_t, h_prev)",
        returns="h_t, an array of shape (B, H)",
        guarded=("gru.step", "gru.forward")),
    "gru_from_pytorch": Exercise(
        check_gru_from_pytorch,
        "nn.GRU stacks its row blocks r, z, n (reset, update, candidate) and keeps the input and recurrent weights "
        "apart: join them side by side, hidden-state columns first, then cut blocks of H rows. For r and z only the "
        "sum of the two biases enters the cell; for n the two biases play different parts (look where r multiplies "
        "in nn.GRU's candidate).",
        "def gru_from_pytorch(state):\n"
        "    W = np.concatenate([state[\"weight_hh_l0\"], state[\"weight_ih_l0\"]], axis=1)  # (3H, H + D)\n"
        "    b_ih, b_hh = state[\"bias_ih_l0\"], state[\"bias_hh_l0\"]                         # (3H,) each\n"
        "    H = W.shape[0] // 3\n"
        "    q = {}\n"
        "    for k, g in enumerate([\"r\", \"z\", \"n\"]):                   # PyTorch's order\n"
        "        q[\"W_\" + g] = W[k * H:(k + 1) * H]                      # (H, H + D)\n"
        "        q[\"b_\" + g] = b_ih[k * H:(k + 1) * H]                   # (H,)\n"
        "    q[\"b_r\"] = q[\"b_r\"] + b_hh[:H]                             # r and z: the two biases add up\n"
        "    q[\"b_z\"] = q[\"b_z\"] + b_hh[H:2 * H]\n"
        "    q[\"b_hn\"] = b_hh[2 * H:]                                    # (H,) multiplied by r: kept apart\n"
        "    return q",
        call="gru_from_pytorch(state)",
        returns="a dict of W_z, b_z, W_r, b_r, W_n, b_n, b_hn: each W (H, H + D), each b (H,)",
        guarded=("frameworks.from_pytorch_gru", "frameworks.to_pytorch_gru")),
    "bidirectional_summary": Exercise(
        check_bidirectional_summary,
        "Each direction's last state is the one that has read the whole sequence. The forward direction reads "
        "x_1 ... x_T; the backward direction reads x_T ... x_1, and out keeps its states in time order: at which "
        "t is its last step? Put the two states side by side, the forward direction's first.",
        "def bidirectional_summary(out):\n"
        "    H = out.shape[2] // 2\n"
        "    forward_last = out[:, -1, :H]    # (B, H): the forward direction after x_1 ... x_T\n"
        "    backward_last = out[:, 0, H:]    # (B, H): the backward direction after x_T ... x_1\n"
        "    return np.concatenate([forward_last, backward_last], axis=1)  # (B, 2H)",
        call="bidirectional_summary(out)",
        returns="an array of shape (B, 2H): the forward direction's last state, then the backward direction's"),
}
