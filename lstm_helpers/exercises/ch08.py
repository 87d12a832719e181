"""Chapter 08 (backpropagation through time): one RNN step backward; one LSTM step backward, gate by gate;
probabilities at a temperature; a prediction of the best step for a central difference.

    RNN, h_t = tanh(a_t), a_t = [h_{t-1}, x_t] W^T + b (rows of a batch):
        da = dh * (1 - h_t^2); dW = da^T [h_{t-1}, x_t]; db = sum over the batch of da;
        dh_{t-1} = da W_h (W's first H columns); dx_t = da W_x (its last D)
    LSTM, given dh (at h_t, in total) and dc (what reaches C_t from C_{t+1}, dC_{t+1} * f_{t+1}):
        do = dh * tanh(C_t); dC = dc + dh * o * (1 - tanh^2 C_t)           (dC's two sources)
        df = dC * C_{t-1}; di = dC * C~_t; dC~ = dC * i; dC_{t-1} = dC * f
        dz = d(gate) * s (1 - s) for f, i, o; dz_c = dC~ * (1 - C~^2)
        dW_k = dz_k^T [h_{t-1}, x_t]; db_k = sum over the batch of dz_k; dh_{t-1} = sum_k dz_k W_k[:, :H]
    temperature: softmax(z / tau) over the last axis, each row's maximum subtracted before exp
    central differences in float64: truncation error ~ eps^2, round-off ~ 1e-16 / eps; best near 1e-5
"""
import numbers

import numpy as np

from .. import charlm, lstm, rnn
from .checking import Exercise, Probe, Wrong, as_array, cases, close, compare, describe, shape_of
from . import predict
from .diagnose import ONE_EXAMPLE_SLIP, WEIGHT_SLIP
from .slips import ORDER_SLIP

GATES = ("f", "i", "c", "o")  # c: the candidate C~ (g in the step's record)


def _run_step(case, T, cell):
    """Step t = T - 1 of a run of T steps (so a later step sends gradient back): its inputs and its dh (and dc)."""
    B, D, H, rng = case.B, case.D, case.H, case.rng
    xs, G = rng.standard_normal((B, T, D)), rng.standard_normal((B, T, H))  # G: dL/dh_t from the loss, every step
    k = T - 2                                                                 # row k is step t = k + 1
    if cell == "rnn":
        W, b = rnn.init_params(D, H, rng)["W"], 0.5 * rng.standard_normal(H)  # a nonzero bias
        h0 = np.tanh(rng.standard_normal((B, H)))
        hs, cache = rnn.forward({"W": W, "b": b}, xs, h0)
        dh = rnn.backward(G, cache, states=True)["h"][:, k]                 # dL/dh_t in total
        h_prev = hs[:, k - 1] if k > 0 else h0
        return {"W": W, "b": b}, xs[:, k], h_prev, hs[:, k], dh
    p = lstm.init_params(D, H, rng)
    for g in GATES:
        p[f"b_{g}"] = rng.standard_normal(H)                                  # nonzero biases
    h0, c0 = np.tanh(rng.standard_normal((B, H))), rng.standard_normal((B, H))
    out, cache = lstm.forward(p, xs, h0, c0)
    grads = lstm.backward(G, cache, states=True)
    dh = grads["h"][:, k]                                                      # dL/dh_t in total
    dc = grads["c"][:, k + 1] * out.f[:, k + 1]                               # what reaches C_t from C_{t+1}
    h_prev, c_prev = (out.h[:, k - 1], out.c[:, k - 1]) if k > 0 else (h0, c0)
    s = lstm.LSTMRecord(*(a[:, k] for a in out))                              # the step's record, (B, H) each
    return p, xs[:, k], h_prev, c_prev, s, dh, dc


def _shape_first(out, names, shapes, letters, label, known=()):
    """Wrong when an entry of ``out`` has another shape; ``known`` maps (index, shape) to a sentence."""
    for k, (name, shape, let) in enumerate(zip(names, shapes, letters)):
        got = shape_of(out[k])
        if got is not None and got != shape:
            for (at, other), why in known:
                if at == k and got == other:
                    raise Wrong(f"{name} has shape {got} ({label}): {why}")
        as_array(out[k], f"{name} ({label})", shape, let)


# --- one RNN step backward ---

def _rnn_slip(dh, W, x, h_prev, h, deriv="tanh", order="hx", wh_transposed=False, mean=False, plus_dh=False):
    """(dW, db, dh_prev, dx) of one RNN step, with one slip switched on."""
    H, D = h_prev.shape[1], x.shape[1]
    a = np.concatenate([h_prev, x], axis=1) @ W.T                             # without b: the answer has none
    slope = {"tanh": 1 - h ** 2, "h_prev": 1 - h_prev ** 2, "a": 1 - a ** 2, "none": np.ones_like(h),
             "sigmoid": h * (1 - h), "tanh twice": 1 - np.tanh(h) ** 2}[deriv]
    da = dh * slope                                                            # (B, H)
    hx = np.concatenate([h_prev, x] if order == "hx" else [x, h_prev], axis=1)
    W_h, W_x = (W[:, :H], W[:, H:]) if order == "hx" else (W[:, D:], W[:, :D])
    n = len(dh) if mean else 1
    dh_prev = da @ (W_h.T if wh_transposed else W_h) + (dh if plus_dh else 0)
    return da.T @ hx / n, da.sum(axis=0) / n, dh_prev, da @ W_x


RNN_SLIPS = [
    (dict(deriv="h_prev"), "tanh' belongs to this step's output: da = dh * (1 - h_t^2), not 1 - h_{t-1}^2"),
    (dict(deriv="a"), "tanh'(a) = 1 - tanh(a)^2 = 1 - h_t^2: square h_t, the output, not the pre-activation"),
    (dict(deriv="none"), "the derivative of tanh is missing: da = dh * (1 - h_t^2) before anything else"),
    (dict(deriv="sigmoid"), "h (1 - h) is the sigmoid's derivative; h_t comes from tanh: 1 - h_t^2"),
    (dict(deriv="tanh twice"), "h_t is already tanh(a): tanh'(a) = 1 - h_t^2, without a second tanh"),
    (dict(order="xh"), ORDER_SLIP),
    (dict(wh_transposed=True), "h_{t-1} meets W_h as h_{t-1} W_h^T in the forward step, so the gradient goes back "
                               "as da W_h, not da W_h^T"),
    (dict(mean=True), "the batch's gradients add up: sum over the rows, do not average (any 1/B is already in dh, "
                      "from the loss)"),
    (dict(plus_dh=True), "h_{t-1} reaches h_t only through a_t: dh_prev = da W_h, without dh added again"),
]


def check_rnn_step_backward(answer):
    for j, case in enumerate(cases(83)):
        B, D, H = case.B, case.D, case.H
        T = (4, 3, 5, 3, 4)[j]
        q, x, h_prev, h, dh = _run_step(case, T, "rnn")
        W = q["W"]
        label = f"{case.label}, step t={T - 1} of a run of T={T}"
        _, cache = rnn.forward(q, x[:, None], h_prev)
        g = rnn.backward(dh[:, None], cache)
        want = (g["W"], g["b"], g["h0"], g["x"][:, 0])
        args = (dh, W, x, h_prev, h)
        one = (dh[0], W, x[0], h_prev[0], h[0])

        def pieces(shapes):
            def accepts(out):
                return (isinstance(out, (tuple, list)) and len(out) == 4
                        and all(np.shape(o) == s for o, s in zip(out, shapes)))
            return accepts
        out = answer(*args, probes=[
            Probe((dh, W.T, x, h_prev, h), WEIGHT_SLIP,
                  pieces([(H + D, H), (H,), (B, H), (B, D)])),
            Probe(one, ONE_EXAMPLE_SLIP, lambda out: isinstance(out, (tuple, list)) and len(out) == 4
                  and np.shape(out[2]) == (H,))])
        if not (isinstance(out, (tuple, list)) and len(out) == 4):
            raise Wrong(f"return the four gradients (dW, db, dh_prev, dx), e.g. `return dW, db, dh_prev, dx`; yours "
                        f"is {describe(out)}")
        if D != H and shape_of(out[2]) == (B, D) and shape_of(out[3]) == (B, H):
            raise Wrong("dh_prev and dx are swapped: return (dW, db, dh_prev, dx), in that order")
        _shape_first(out, ("dW", "db", "dh_prev", "dx"), ((H, H + D), (H,), (B, H), (B, D)),
                     ("(H, H + D)", "(H,)", "(B, H)", "(B, D)"), label, known=[
                         ((0, (H + D, H)), "dW is transposed; it has W's shape, (H, H + D): dW = da^T [h_{t-1}, x_t]"),
                         ((1, (B, H)), "db has one entry per unit, (H,): the bias is shared by the rows of the batch, "
                                       "so its gradient adds da over the batch"),
                         ((1, (H, H + D)), "that is dW's shape; db has one entry per unit, (H,)"),
                         ((2, (B, H + D)), "that is the gradient of the whole row [h_{t-1}, x_t]: its first H "
                                           "columns are dh_prev, the last D dx (only W_h acts on h_{t-1})"),
                         ((3, (B, H + D)), "that is the gradient of the whole row [h_{t-1}, x_t]: its last D columns "
                                           "are dx (only W_x acts on x_t)")])
        slips = [(_rnn_slip(*args, **kw), why) for kw, why in RNN_SLIPS]

        def explain_dW(out=out, want=want):
            got = np.asarray(out[0], dtype=float)
            if close(got[:, :H], want[0][:, :H]):
                return "its first H columns (those acting on h_{t-1}) are right; the last D, on x_t, differ"
            if close(got[:, H:], want[0][:, H:]):
                return "its last D columns (those acting on x_t) are right; the first H, on h_{t-1}, differ"
            return None
        for k, name in ((1, "db"), (0, "dW"), (2, "dh_prev"), (3, "dx")):  # db first: it isolates da
            compare(out[k], want[k], f"{name} ({label})", [(value[k], why) for value, why in slips],
                    explain=explain_dW if k == 0 else None)


# --- one LSTM step backward ---

def _lstm_slip(dh, dc, p, x, h_prev, c_prev, s, sources="both", read="tanh", cand="tanh", gate="sigmoid",
               keep=True, keep_from="dC", order="hx", do_tanh=True, df_from="c_prev", swap_di_dg=False,
               wh_transposed=False, mean=False, blocks=GATES):
    """(grads, dh_prev, dc_prev) of one LSTM step, with one slip switched on."""
    H, D = h_prev.shape[1], x.shape[1]
    tc = np.tanh(s.c)
    slope_c = {"tanh": 1 - tc ** 2, "sigmoid": tc * (1 - tc), "C": 1 - s.c ** 2}[read]
    from_h = dh * s.o * slope_c                                                # (B, H)
    dC = {"both": dc + from_h, "h": from_h, "c": dc}[sources]
    do = dh * tc if do_tanh else dh
    df = dC * (c_prev if df_from == "c_prev" else s.c)
    di, dg = (dC * s.i, dC * s.g) if swap_di_dg else (dC * s.g, dC * s.i)
    sig = {"sigmoid": lambda a: a * (1 - a), "tanh": lambda a: 1 - a ** 2, "none": np.ones_like}[gate]
    dz = {"f": df * sig(s.f), "i": di * sig(s.i), "o": do * sig(s.o),
          "c": dg * {"tanh": 1 - s.g ** 2, "sigmoid": s.g * (1 - s.g), "none": 1.0}[cand]}
    hx = np.concatenate([h_prev, x] if order == "hx" else [x, h_prev], axis=1)
    n = len(dh) if mean else 1
    grads, dh_prev = {}, np.zeros_like(h_prev)
    for k in GATES:
        W = p[f"W_{k}"]
        W_h = W[:, :H] if order == "hx" else W[:, D:]
        grads[f"W_{k}"] = dz[k].T @ hx / n
        grads[f"b_{k}"] = dz[k].sum(axis=0) / n
        if k in blocks:
            dh_prev = dh_prev + dz[k] @ (W_h.T if wh_transposed else W_h)
    dc_prev = (dC if keep_from == "dC" else dc) * (s.f if keep else 1.0)
    return grads, dh_prev, dc_prev


TWO_SOURCES = ("dC has two sources: the gradient arriving from C_{t+1} (dc) and the one through h_t = o_t * tanh(C_t), "
               "dh * o_t * (1 - tanh^2 C_t); add both")
LSTM_SLIPS = [
    (dict(sources="h"), TWO_SOURCES + " (yours has only the one through h_t)"),
    (dict(keep_from="dc"), "dC_{t-1} = dC * f_t, with dC the whole gradient at C_t; it has two sources, dc "
                           "(arriving from C_{t+1}) and dh * o_t * (1 - tanh^2 C_t) (through h_t), and yours uses "
                           "dc alone"),
    (dict(sources="c"), TWO_SOURCES + " (yours has only dc)"),
    (dict(read="sigmoid"), "h_t reads C_t through tanh: its derivative is 1 - tanh^2(C_t), not the sigmoid's "
                           "s (1 - s)"),
    (dict(read="C"), "the derivative of tanh(C_t) is 1 - tanh^2(C_t), not 1 - C_t^2: C_t itself is not squashed"),
    (dict(keep=False), "dC_{t-1} = dC * f_t: the old state reaches C_t through the forget gate, so its gradient "
                       "is scaled by f_t"),
    (dict(cand="sigmoid"), "the candidate C~_t comes from tanh: its derivative is 1 - C~_t^2, not the sigmoid's "
                           "C~ (1 - C~)"),
    (dict(cand="none"), "the derivative of tanh for the candidate, 1 - C~_t^2, is missing"),
    (dict(gate="tanh"), "a gate s comes from the sigmoid: sigma' = s (1 - s), not 1 - s^2 (that is tanh')"),
    (dict(gate="none"), "the sigmoid's derivative s (1 - s) is missing for the gates"),
    (dict(do_tanh=False), "h_t = o_t * tanh(C_t): the output gate's gradient is do = dh * tanh(C_t), not dh"),
    (dict(df_from="c"), "df = dC * C_{t-1}: the forget gate multiplies the old state, not the new one"),
    (dict(swap_di_dg=True), "di = dC * C~_t and dC~ = dC * i_t: in a product each factor's gradient is the other "
                            "factor"),
    (dict(order="xh"), ORDER_SLIP),
    (dict(wh_transposed=True), "h_{t-1} meets each W_k as h_{t-1} W_k,h^T in the forward step, so it gets back "
                               "dz_k W_k,h (W_k's first H columns), not dz_k W_k,h^T"),
    (dict(mean=True), "the batch's gradients add up: sum over the rows, do not average"),
] + [(dict(blocks=tuple(g for g in GATES if g != left)), f"dh_{{t-1}} gathers what all four layers send back; "
                                                        f"the block of {name} is missing")
     for left, name in (("f", "the forget gate"), ("i", "the input gate"), ("c", "the candidate"),
                        ("o", "the output gate"))]

LOOK_AT = {"f": "df = dC * C_{t-1}, then sigma' = f (1 - f)", "i": "di = dC * C~_t, then sigma' = i (1 - i)",
           "c": "dC~ = dC * i_t, then tanh' = 1 - C~^2", "o": "do = dh * tanh(C_t), then sigma' = o (1 - o)"}


def check_lstm_step_backward(answer):
    keys = sorted(lstm.PARAM_KEYS)
    for j, case in enumerate(cases(89)):
        B, D, H = case.B, case.D, case.H
        T = (3, 5, 4, 3, 4)[j]
        p, x, h_prev, c_prev, s, dh, dc = _run_step(case, T, "lstm")
        label = f"{case.label}, step t={T - 1} of a run of T={T}"
        _, cache = lstm.forward(p, x[:, None], h_prev, c_prev)
        g = lstm.backward(dh[:, None], cache, dc_last=dc)
        want = ({k: g[k] for k in lstm.PARAM_KEYS}, g["h0"], g["c0"])
        slips = [(_lstm_slip(dh, dc, p, x, h_prev, c_prev, s, **kw), why) for kw, why in LSTM_SLIPS]

        def record():  # a fresh copy for every call: an answer may write into the arrays it is given
            return lstm.LSTMRecord(*(a.copy() for a in s))
        transposed = {k: (v.T if k.startswith("W") else v) for k, v in p.items()}
        out = answer(dh, dc, p, x, h_prev, c_prev, record(), probes=[
            Probe((dh, dc, transposed, x, h_prev, c_prev, record()), WEIGHT_SLIP,
                  lambda out: isinstance(out, (tuple, list)) and len(out) == 3
                  and np.shape(out[1]) == (B, H) and np.shape(out[2]) == (B, H))])
        if not (isinstance(out, (tuple, list)) and len(out) == 3):
            raise Wrong(f"return three things, (grads, dh_prev, dc_prev), e.g. `return grads, dh_prev, dc_prev`; "
                        f"yours is {describe(out)}")
        grads, dh_prev, dc_prev = out
        if not isinstance(grads, dict):
            if isinstance(out[2], dict):
                raise Wrong("return (grads, dh_prev, dc_prev) in that order: the dict of parameter gradients first")
            raise Wrong(f"the first of the three, grads, should be a dict with the keys of p, {keys}; yours is "
                        f"{describe(grads)}")
        if sorted(map(str, grads)) != keys:
            named = "" if not any(str(k).startswith("d") for k in grads) else \
                " (use the parameters' own names, as lstm.backward does: grads[k] belongs to p[k])"
            raise Wrong(f"grads should have the keys of p, {keys}; yours has {sorted(map(str, grads))}{named}")
        for k in ("dh_prev", "dc_prev"):
            value = dh_prev if k == "dh_prev" else dc_prev
            if shape_of(value) == (B, H + D):
                raise Wrong(f"{k} has shape (B, H + D) ({label}): that is the gradient of the whole row "
                            "[h_{t-1}, x_t]; h_{t-1} gets its first H columns only")
        for k in keys:
            if shape_of(grads[k]) == ((H + D, H) if k.startswith("W") else (B, H)):
                why = ("transposed; dW has W's shape, (H, H + D): dW = dz^T [h_{t-1}, x_t]" if k.startswith("W") else
                       "db has one entry per unit, (H,): the bias is shared by the rows, so its gradient adds dz "
                       "over the batch")
                raise Wrong(f"grads[{k!r}] has shape {shape_of(grads[k])} ({label}): {why}")
        compare(dc_prev, want[2], f"dc_prev ({label})",
                [(v[2], why) for v, why in slips] + [(want[1], "that is dh_prev: return (grads, dh_prev, dc_prev)")],
                letters="(B, H)")
        for gate in ("o", "f", "i", "c"):  # each bias alone isolates its layer's dz
            k = f"b_{gate}"
            compare(grads[k], want[0][k], f"grads[{k!r}] ({label})", [(v[0][k], why) for v, why in slips],
                    letters="(H,)", explain=lambda gate=gate: f"look at {LOOK_AT[gate]}")
        for gate in ("o", "f", "i", "c"):
            k = f"W_{gate}"
            compare(grads[k], want[0][k], f"grads[{k!r}] ({label})", [(v[0][k], why) for v, why in slips],
                    letters="(H, H + D)", explain=lambda: "your db is right for this layer: dW_k = dz_k^T "
                                                          "[h_{t-1}, x_t] uses the same dz")
        compare(dh_prev, want[1], f"dh_prev ({label})",
                [(v[1], why) for v, why in slips] + [(want[2], "that is dc_prev: return (grads, dh_prev, dc_prev)")],
                letters="(B, H)", explain=lambda: "every grads entry is right: dh_{t-1} = sum over the four layers "
                                                  "of dz_k W_k[:, :H]")


# --- probabilities at a temperature ---

def _softmax(z, axis=-1, shift="row"):
    with np.errstate(all="ignore"):
        if shift == "row":
            z = z - z.max(axis=axis, keepdims=True)
        elif shift == "all":
            z = z - z.max()
        e = np.exp(z)
        return e / e.sum(axis=axis, keepdims=True)


OVERFLOW = ("exp(logits / temperature) overflows to infinity for large logits at a small temperature: subtract "
            "each row's maximum before exp (the softmax does not change when a whole row moves by one amount)")
GLOBAL_MAX = ("subtract each row's own maximum (over the last axis, keepdims=True), not the maximum of the whole "
              "array: a row far below it gets exp(...) = 0 everywhere, and 0 / 0 is NaN")


def _temperature_cases():
    """(logits, temperature, label, what a non-finite answer means there)."""
    rng = np.random.default_rng(61)
    far = np.stack([rng.standard_normal(8), 1000 + rng.standard_normal(8)])
    wide = np.random.default_rng(62).standard_normal((3, 8))
    wide[np.arange(3), [1, 4, 6]] += 60
    return [
        (2 * rng.standard_normal((4, 7)), 0.5, "logits (B, V) = (4, 7), temperature 0.5", None),
        (3 * rng.standard_normal((3, 11)), 2.0, "logits (B, V) = (3, 11), temperature 2", None),
        (2 * rng.standard_normal(9), 0.7, "one row of logits, (V,) = (9,), temperature 0.7", None),
        (rng.standard_normal((2, 3, 5)), 1.5, "logits (B, T, V) = (2, 3, 5), temperature 1.5", None),
        (400 + 3 * rng.standard_normal((5, 6)), 0.05, "large logits (around 400), (B, V) = (5, 6), temperature 0.05",
         OVERFLOW),
        (far, 0.05, "two rows of logits, one around 0 and one around 1000, (B, V) = (2, 8), temperature 0.05",
         GLOBAL_MAX),
        (wide, 0.05, "one logit in each row about 60 above the others, (B, V) = (3, 8), temperature 0.05",
         OVERFLOW),   # a row's minimum, mean or first entry leaves exponents up to 1200
    ]


def check_temperature_probs(answer):
    for logits, tau, label, nonfinite in _temperature_cases():
        want = charlm.temperature_probs(logits, tau)
        probes = [Probe((logits[None], tau), "your code works for a batch of rows but not for one row of shape (V,): "
                                             "take the maximum and the sum over the last axis, axis=-1, with "
                                             "keepdims=True", lambda out: np.shape(out) == (1,) + logits.shape)] \
            if logits.ndim == 1 else []
        out = answer(logits.copy(), tau, probes=probes)
        letters = {1: "(V,)", 2: "(B, V)", 3: "(B, T, V)"}[logits.ndim]
        arr = as_array(out, f"probs ({label})", want.shape, letters)
        with np.errstate(all="ignore"):
            finite = bool(np.all(np.isfinite(arr)))
        if not finite and nonfinite is not None:
            raise Wrong(f"probs ({label}) contains NaN or infinity: {nonfinite}")
        last = logits.ndim - 1
        slips = [(logits * tau, "divide the logits by the temperature: z / temperature, not z * temperature (a "
                                "small temperature must sharpen the distribution)"),
                 (logits, "the temperature is ignored: the softmax is taken of logits / temperature")]
        slips = [(_softmax(z), why) for z, why in slips]
        with np.errstate(all="ignore"):  # the slips' own overflow and log(0) stay quiet
            slips += [(_softmax(logits) ** (1 / tau), "raising the probabilities to the power 1 / temperature leaves "
                                                      "rows that no longer sum to 1: normalise again"),
                      (_softmax(logits) / tau, "the temperature divides the logits before the softmax, not the "
                                               "probabilities after it"),
                      (np.log(_softmax(logits / tau)), "those are log-probabilities; return the probabilities")]
        slips += [(_softmax(logits / tau, axis=a), "the softmax runs over the last axis: each row (the last axis) is "
                                                   "one distribution over the V symbols")
                  for a in range(last)]

        def explain(arr=arr, nonfinite=nonfinite):
            sums = arr.sum(axis=-1)
            if not np.allclose(sums, 1, atol=1e-6):
                if nonfinite is not None and sums.min() == 0:  # an overflow that turned into zeros
                    return f"each row should sum to 1; some of yours sum to 0: {nonfinite}"
                return f"each row should sum to 1; yours sum to between {sums.min():.3g} and {sums.max():.3g}"
            return None
        compare(arr, want, f"probs ({label})", slips, within=(0, 1, "probabilities"), letters=letters,
                explain=explain)


# --- a prediction before a gradient check ---

EPS_OPTIONS = ("1e-1", "1e-3", "1e-5", "1e-8", "1e-11")


def check_predict_eps(answer):
    if isinstance(answer, (numbers.Real, np.floating, np.integer)) and not isinstance(answer, (bool, np.bool_)):
        value = float(answer)
        picked = next((o for o in EPS_OPTIONS if np.isclose(value, float(o), rtol=1e-3, atol=0)), None)
        if picked is None:
            raise Wrong(f"predict one of {list(EPS_OPTIONS)} (as a string, or the number itself); {value:g} is not "
                        "one of them")
        answer = picked
    elif isinstance(answer, str):
        try:
            value = float(answer.strip())
        except ValueError:
            value = None
        if value is not None:
            answer = next((o for o in EPS_OPTIONS if np.isclose(value, float(o), rtol=1e-3, atol=0)), answer)
    round_off = ("round-off: f(a + eps) and f(a - eps) agree in all but their last digits, and float64 keeps about "
                 "16 of them, so their difference divided by 2 eps is mostly rounding error (about 1e-16 / eps)")
    truncation = ("truncation: the central difference is off by about eps^2 times the third derivative, which at "
                  "this eps is far larger than the round-off")
    predict.choice(answer, EPS_OPTIONS, "1e-5", "the step eps with the smallest relative error", slips={
        "1e-11": round_off,
        "1e-8": "round-off already dominates there: " + round_off.split(": ", 1)[1],
        "1e-3": truncation,
        "1e-1": truncation})


EXERCISES = {
    "rnn_step_backward": Exercise(
        check_rnn_step_backward,
        "h_t = tanh(a) with a = [h_{t-1}, x_t] W^T + b (one row per example). First da = dh * tanh'(a), and "
        "tanh'(a) = 1 - h_t^2. Then a is a matrix product: each row adds its outer product da^T [h_{t-1}, x_t] to "
        "dW, db adds da over the rows, and da goes back through W: its first H columns to h_{t-1}, its last D "
        "to x_t.",
        "def rnn_step_backward(dh, W, x_t, h_prev, h_t):\n"
        "    H = h_prev.shape[1]\n"
        "    da = dh * (1 - h_t ** 2)                    # (B, H) through tanh\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)  # (B, H + D)\n"
        "    dW = da.T @ hx                              # (H, H + D)\n"
        "    db = da.sum(axis=0)                         # (H,)\n"
        "    dh_prev = da @ W[:, :H]                     # (B, H)\n"
        "    dx = da @ W[:, H:]                          # (B, D)\n"
        "    return dW, db, dh_prev, dx",
        call="rnn_step_backward(dh, W, x_t, h_prev, h_t)",
        returns="(dW, db, dh_prev, dx) of shapes (H, H + D), (H,), (B, H), (B, D)",
        guarded=("rnn.backward", "rnn.forward", "rnn.step")),
    "lstm_step_backward": Exercise(
        check_lstm_step_backward,
        "Go back through the step's lines in reverse. h_t = o * tanh(C_t) gives do = dh * tanh(C_t) and one of "
        "dC's two sources, dh * o * (1 - tanh^2 C_t); the other is dc. C_t = f * C_{t-1} + i * C~ gives df, di, "
        "dC~ and dC_{t-1} = dC * f. Then through the activations (sigma' = s (1 - s), tanh' = 1 - C~^2) to each "
        "layer's pre-activation dz, and each layer as in rnn_step_backward: dW_k = dz^T [h_{t-1}, x_t], db_k adds "
        "dz over the rows, dh_{t-1} adds dz W_k[:, :H] over the four layers.",
        "def lstm_step_backward(dh, dc, p, x_t, h_prev, c_prev, s):\n"
        "    H = h_prev.shape[1]\n"
        "    tc = np.tanh(s.c)                                    # (B, H)\n"
        "    do = dh * tc                                         # (B, H)\n"
        "    dC = dc + dh * s.o * (1 - tc ** 2)                   # (B, H): both sources\n"
        "    df, di, dg = dC * c_prev, dC * s.g, dC * s.i         # (B, H) each\n"
        "    dz = {\"f\": df * s.f * (1 - s.f), \"i\": di * s.i * (1 - s.i),\n"
        "          \"c\": dg * (1 - s.g ** 2), \"o\": do * s.o * (1 - s.o)}  # pre-activations, (B, H) each\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)           # (B, H + D)\n"
        "    grads, dh_prev = {}, np.zeros_like(h_prev)\n"
        "    for k in (\"f\", \"i\", \"c\", \"o\"):\n"
        "        grads[\"W_\" + k] = dz[k].T @ hx                   # (H, H + D)\n"
        "        grads[\"b_\" + k] = dz[k].sum(axis=0)              # (H,)\n"
        "        dh_prev = dh_prev + dz[k] @ p[\"W_\" + k][:, :H]    # (B, H)\n"
        "    return grads, dh_prev, dC * s.f",
        call="lstm_step_backward(dh, dc, p, x_t, h_prev, c_prev, s)",
        returns="(grads, dh_prev, dc_prev): grads a dict with the keys of p (each of its parameter's shape), "
                "dh_prev and dc_prev of shape (B, H)",
        guarded=("lstm.backward", "lstm.forward", "lstm.step")),
    "temperature_probs": Exercise(
        check_temperature_probs,
        "Divide the logits by the temperature, subtract each row's maximum (over the last axis, keepdims=True) so "
        "that exp cannot overflow, then exp and divide by the row's sum.",
        "def temperature_probs(logits, temperature):\n"
        "    z = logits / temperature                       # (..., V)\n"
        "    z = z - z.max(axis=-1, keepdims=True)          # the largest entry of each row is 0\n"
        "    e = np.exp(z)                                  # (..., V)\n"
        "    return e / e.sum(axis=-1, keepdims=True)",
        call="temperature_probs(logits, temperature)",
        returns="probs, an array of the shape of logits whose rows (the last axis) sum to 1",
        guarded=("charlm.temperature_probs",)),
    "predict_eps": Exercise(
        check_predict_eps,
        "Two errors compete. The central difference itself is off by about eps^2 (truncation), which shrinks with "
        "eps; each loss is rounded to about 16 digits in float64, an error that, divided by 2 eps, grows as eps "
        "shrinks. The best eps balances the two.",
        'prediction = "1e-5"',
        returns='one of "1e-1", "1e-3", "1e-5", "1e-8", "1e-11"'),
}
