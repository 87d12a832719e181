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
from ..i18n import tr
from .checking import Exercise, Probe, Wrong, as_array, case_rng, cases, close, compare, describe, shape_of
from . import diagnose, predict, slips as common_slips

# the texts a student reads are in lstm_helpers/texts/ex08.toml, looked up when shown

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
                    raise Wrong(tr("ex08.shape_known", name=name, got=got, label=label, why=tr(why)))
        as_array(out[k], tr("ex08.what_label", name=name, label=label), shape, let)


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


def _rnn_slips():
    """(slip keywords, explanation) for one RNN step backward, in the current language."""
    return [
        (dict(deriv="h_prev"), tr("ex08.rnn_deriv_h_prev")),
        (dict(deriv="a"), tr("ex08.rnn_deriv_a")),
        (dict(deriv="none"), tr("ex08.rnn_deriv_none")),
        (dict(deriv="sigmoid"), tr("ex08.rnn_deriv_sigmoid")),
        (dict(deriv="tanh twice"), tr("ex08.rnn_deriv_tanh_twice")),
        (dict(order="xh"), common_slips.ORDER_SLIP),
        (dict(wh_transposed=True), tr("ex08.rnn_wh_transposed")),
        (dict(mean=True), tr("ex08.rnn_mean")),
        (dict(plus_dh=True), tr("ex08.rnn_plus_dh")),
    ]


def check_rnn_step_backward(answer):
    for j, case in enumerate(cases(83)):
        B, D, H = case.B, case.D, case.H
        T = (4, 3, 5, 3, 4)[j]
        q, x, h_prev, h, dh = _run_step(case, T, "rnn")
        W = q["W"]
        label = tr("ex08.step_label", label=case.label, t=T - 1, T=T)
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
            Probe((dh, W.T, x, h_prev, h), diagnose.WEIGHT_SLIP,
                  pieces([(H + D, H), (H,), (B, H), (B, D)])),
            Probe(one, diagnose.ONE_EXAMPLE_SLIP, lambda out: isinstance(out, (tuple, list)) and len(out) == 4
                  and np.shape(out[2]) == (H,))])
        if not (isinstance(out, (tuple, list)) and len(out) == 4):
            raise Wrong(tr("ex08.rnn_return_four", got=describe(out)))
        if D != H and shape_of(out[2]) == (B, D) and shape_of(out[3]) == (B, H):
            raise Wrong(tr("ex08.rnn_dh_dx_swapped"))
        _shape_first(out, ("dW", "db", "dh_prev", "dx"), ((H, H + D), (H,), (B, H), (B, D)),
                     ("(H, H + D)", "(H,)", "(B, H)", "(B, D)"), label, known=[
                         ((0, (H + D, H)), "ex08.rnn_dw_transposed"),
                         ((1, (B, H)), "ex08.rnn_db_rows"),
                         ((1, (H, H + D)), "ex08.rnn_db_dw_shape"),
                         ((2, (B, H + D)), "ex08.rnn_dh_whole_row"),
                         ((3, (B, H + D)), "ex08.rnn_dx_whole_row")])
        slips = [(_rnn_slip(*args, **kw), why) for kw, why in _rnn_slips()]

        def explain_dW(out=out, want=want):
            got = np.asarray(out[0], dtype=float)
            if close(got[:, :H], want[0][:, :H]):
                return tr("ex08.rnn_dw_h_right")
            if close(got[:, H:], want[0][:, H:]):
                return tr("ex08.rnn_dw_x_right")
            return None
        for k, name in ((1, "db"), (0, "dW"), (2, "dh_prev"), (3, "dx")):  # db first: it isolates da
            compare(out[k], want[k], tr("ex08.what_label", name=name, label=label), [(value[k], why) for value, why in slips],
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


def _lstm_slips():
    """(slip keywords, explanation) for one LSTM step backward, in the current language."""
    return [
        (dict(sources="h"), tr("ex08.two_sources_h")),
        (dict(keep_from="dc"), tr("ex08.keep_from_dc")),
        (dict(sources="c"), tr("ex08.two_sources_c")),
        (dict(read="sigmoid"), tr("ex08.read_sigmoid")),
        (dict(read="C"), tr("ex08.read_c")),
        (dict(keep=False), tr("ex08.no_keep")),
        (dict(cand="sigmoid"), tr("ex08.cand_sigmoid")),
        (dict(cand="none"), tr("ex08.cand_none")),
        (dict(gate="tanh"), tr("ex08.gate_tanh")),
        (dict(gate="none"), tr("ex08.gate_none")),
        (dict(do_tanh=False), tr("ex08.do_tanh")),
        (dict(df_from="c"), tr("ex08.df_from_c")),
        (dict(swap_di_dg=True), tr("ex08.swap_di_dg")),
        (dict(order="xh"), common_slips.ORDER_SLIP),
        (dict(wh_transposed=True), tr("ex08.lstm_wh_transposed")),
        (dict(mean=True), tr("ex08.lstm_mean")),
    ] + [(dict(blocks=tuple(g for g in GATES if g != left)), tr("ex08.block_missing", gate=tr(f"ex08.name_{left}")))
         for left in GATES]


def check_lstm_step_backward(answer):
    keys = sorted(lstm.PARAM_KEYS)
    for j, case in enumerate(cases(89)):
        B, D, H = case.B, case.D, case.H
        T = (3, 5, 4, 3, 4)[j]
        p, x, h_prev, c_prev, s, dh, dc = _run_step(case, T, "lstm")
        label = tr("ex08.step_label", label=case.label, t=T - 1, T=T)
        _, cache = lstm.forward(p, x[:, None], h_prev, c_prev)
        g = lstm.backward(dh[:, None], cache, dc_last=dc)
        want = ({k: g[k] for k in lstm.PARAM_KEYS}, g["h0"], g["c0"])
        slips = [(_lstm_slip(dh, dc, p, x, h_prev, c_prev, s, **kw), why) for kw, why in _lstm_slips()]

        def record():  # a fresh copy for every call: an answer may write into the arrays it is given
            return lstm.LSTMRecord(*(a.copy() for a in s))
        transposed = {k: (v.T if k.startswith("W") else v) for k, v in p.items()}
        out = answer(dh, dc, p, x, h_prev, c_prev, record(), probes=[
            Probe((dh, dc, transposed, x, h_prev, c_prev, record()), diagnose.WEIGHT_SLIP,
                  lambda out: isinstance(out, (tuple, list)) and len(out) == 3
                  and np.shape(out[1]) == (B, H) and np.shape(out[2]) == (B, H))])
        if not (isinstance(out, (tuple, list)) and len(out) == 3):
            raise Wrong(tr("ex08.lstm_return_three", got=describe(out)))
        grads, dh_prev, dc_prev = out
        if not isinstance(grads, dict):
            if isinstance(out[2], dict):
                raise Wrong(tr("ex08.lstm_grads_first"))
            raise Wrong(tr("ex08.lstm_grads_not_dict", keys=keys, got=describe(grads)))
        if sorted(map(str, grads)) != keys:
            named = "" if not any(str(k).startswith("d") for k in grads) else tr("ex08.lstm_own_names")
            raise Wrong(tr("ex08.lstm_grads_keys", keys=keys, got=sorted(map(str, grads)), named=named))
        for k in ("dh_prev", "dc_prev"):
            value = dh_prev if k == "dh_prev" else dc_prev
            if shape_of(value) == (B, H + D):
                raise Wrong(tr("ex08.lstm_whole_row", k=k, label=label))
        for k in keys:
            if shape_of(grads[k]) == ((H + D, H) if k.startswith("W") else (B, H)):
                why = tr("ex08.lstm_dw_transposed" if k.startswith("W") else "ex08.lstm_db_rows")
                raise Wrong(tr("ex08.lstm_grad_shape", k=repr(k), got=shape_of(grads[k]), label=label, why=why))
        compare(dc_prev, want[2], tr("ex08.what_label", name="dc_prev", label=label),
                [(v[2], why) for v, why in slips] + [(want[1], tr("ex08.that_is_dh_prev"))],
                letters="(B, H)")
        for gate in ("o", "f", "i", "c"):  # each bias alone isolates its layer's dz
            k = f"b_{gate}"
            compare(grads[k], want[0][k], tr("ex08.what_label", name=f"grads[{k!r}]", label=label),
                    [(v[0][k], why) for v, why in slips], letters="(H,)",
                    explain=lambda gate=gate: tr("ex08.look_at", what=tr(f"ex08.look_{gate}")))
        for gate in ("o", "f", "i", "c"):
            k = f"W_{gate}"
            compare(grads[k], want[0][k], tr("ex08.what_label", name=f"grads[{k!r}]", label=label),
                    [(v[0][k], why) for v, why in slips], letters="(H, H + D)", explain=lambda: tr("ex08.db_right"))
        compare(dh_prev, want[1], tr("ex08.what_label", name="dh_prev", label=label),
                [(v[1], why) for v, why in slips] + [(want[2], tr("ex08.that_is_dc_prev"))],
                letters="(B, H)", explain=lambda: tr("ex08.grads_right"))


# --- probabilities at a temperature ---

def _softmax(z, axis=-1, shift="row"):
    with np.errstate(all="ignore"):
        if shift == "row":
            z = z - z.max(axis=axis, keepdims=True)
        elif shift == "all":
            z = z - z.max()
        e = np.exp(z)
        return e / e.sum(axis=axis, keepdims=True)


def _temperature_cases():
    """(logits, temperature, label, what a non-finite answer means there), the last two as keys of the table."""
    rng = case_rng(61)
    far = np.stack([rng.standard_normal(8), 1000 + rng.standard_normal(8)])
    wide = case_rng(62).standard_normal((3, 8))
    wide[np.arange(3), [1, 4, 6]] += 60
    return [
        (2 * rng.standard_normal((4, 7)), 0.5, "ex08.temp_case_1", None),
        (3 * rng.standard_normal((3, 11)), 2.0, "ex08.temp_case_2", None),
        (2 * rng.standard_normal(9), 0.7, "ex08.temp_case_3", None),
        (rng.standard_normal((2, 3, 5)), 1.5, "ex08.temp_case_4", None),
        (400 + 3 * rng.standard_normal((5, 6)), 0.05, "ex08.temp_case_5", "ex08.overflow"),
        (far, 0.05, "ex08.temp_case_6", "ex08.global_max"),
        (wide, 0.05, "ex08.temp_case_7", "ex08.overflow"),   # a row's minimum, mean or first entry leaves exponents
    ]                                                         # up to 1200


def check_temperature_probs(answer):
    for logits, tau, label, nonfinite in _temperature_cases():
        label, nonfinite = tr(label), nonfinite and tr(nonfinite)
        want = charlm.temperature_probs(logits, tau)
        probes = [Probe((logits[None], tau), tr("ex08.one_row_probe"),
                        lambda out: np.shape(out) == (1,) + logits.shape)] if logits.ndim == 1 else []
        out = answer(logits.copy(), tau, probes=probes)
        letters = {1: "(V,)", 2: "(B, V)", 3: "(B, T, V)"}[logits.ndim]
        arr = as_array(out, tr("ex08.what_probs", label=label), want.shape, letters)
        with np.errstate(all="ignore"):
            finite = bool(np.all(np.isfinite(arr)))
        if not finite and nonfinite is not None:
            raise Wrong(tr("ex08.probs_not_finite", label=label, why=nonfinite))
        last = logits.ndim - 1
        slips = [(logits * tau, tr("ex08.times_temperature")),
                 (logits, tr("ex08.temperature_ignored"))]
        slips = [(_softmax(z), why) for z, why in slips]
        with np.errstate(all="ignore"):  # the slips' own overflow and log(0) stay quiet
            slips += [(_softmax(logits) ** (1 / tau), tr("ex08.power")),
                      (_softmax(logits) / tau, tr("ex08.probs_divided")),
                      (np.log(_softmax(logits / tau)), tr("ex08.log_probs"))]
        slips += [(_softmax(logits / tau, axis=a), tr("ex08.wrong_axis")) for a in range(last)]

        def explain(arr=arr, nonfinite=nonfinite):
            sums = arr.sum(axis=-1)
            if not np.allclose(sums, 1, atol=1e-6):
                if nonfinite is not None and sums.min() == 0:  # an overflow that turned into zeros
                    return tr("ex08.rows_sum_zero", why=nonfinite)
                return tr("ex08.rows_sum", lo=sums.min(), hi=sums.max())
            return None
        compare(arr, want, tr("ex08.what_probs", label=label), slips, within=(0, 1, tr("ex08.within_probs")),
                letters=letters, explain=explain)


# --- a prediction before a gradient check ---

EPS_OPTIONS = ("1e-1", "1e-3", "1e-5", "1e-8", "1e-11")


def check_predict_eps(answer):
    if isinstance(answer, (numbers.Real, np.floating, np.integer)) and not isinstance(answer, (bool, np.bool_)):
        value = float(answer)
        picked = next((o for o in EPS_OPTIONS if np.isclose(value, float(o), rtol=1e-3, atol=0)), None)
        if picked is None:
            raise Wrong(tr("ex08.eps_not_option", options=list(EPS_OPTIONS), value=value))
        answer = picked
    elif isinstance(answer, str):
        try:
            value = float(answer.strip())
        except ValueError:
            value = None
        if value is not None:
            answer = next((o for o in EPS_OPTIONS if np.isclose(value, float(o), rtol=1e-3, atol=0)), answer)
    why = tr("ex08.round_off_why")
    truncation = tr("ex08.truncation")
    predict.choice(answer, EPS_OPTIONS, "1e-5", tr("ex08.eps_what"), slips={
        "1e-11": tr("ex08.round_off", why=why),
        "1e-8": tr("ex08.round_off_already", why=why),
        "1e-3": truncation,
        "1e-1": truncation})


EXERCISES = {
    "rnn_step_backward": Exercise(
        check_rnn_step_backward,
        "ex08.hint_rnn_step_backward",
        call="rnn_step_backward(dh, W, x_t, h_prev, h_t)",
        returns="ex08.returns_rnn_step_backward",
        guarded=("rnn.backward", "rnn.forward", "rnn.step")),
    "lstm_step_backward": Exercise(
        check_lstm_step_backward,
        "ex08.hint_lstm_step_backward",
        call="lstm_step_backward(dh, dc, p, x_t, h_prev, c_prev, s)",
        returns="ex08.returns_lstm_step_backward",
        guarded=("lstm.backward", "lstm.forward", "lstm.step")),
    "temperature_probs": Exercise(
        check_temperature_probs,
        "ex08.hint_temperature_probs",
        call="temperature_probs(logits, temperature)",
        returns="ex08.returns_temperature_probs",
        guarded=("charlm.temperature_probs",)),
    "predict_eps": Exercise(
        check_predict_eps,
        "ex08.hint_predict_eps",
        returns="ex08.returns_predict_eps"),
}
