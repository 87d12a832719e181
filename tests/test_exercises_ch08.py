"""Chapter 08's exercises: rnn_step_backward, lstm_step_backward (both checked at a step inside a run) and
temperature_probs, with their catalogues of wrong answers (written as a student would write them, apart from the
checker's own slip model) and the checks that the checker's references are the package's math."""
import numpy as np
import pytest
from test_exercises import assert_wrong

from lstm_helpers import charlm, gradcheck, lstm, rnn
from lstm_helpers import exercises as ex
from lstm_helpers.exercises import ch08

RNG = np.random.default_rng(0)


# --- rnn_step_backward ---

def rnn_answer(slope=lambda h, hp, a: 1 - h ** 2, order="hx", wh=lambda W_h: W_h, db=lambda da: da.sum(axis=0),
               dW=lambda da, hx: da.T @ hx, dh_prev_cols="h", extra_dh=False, swap=False):
    """rnn_step_backward with one slip: tanh' (slope), [x, h], W_h's orientation, db, dW, which columns go to
    h_{t-1}, dh passed on again, dh_prev and dx swapped."""
    def fn(dh, W, x_t, h_prev, h_t):
        H, D = h_prev.shape[1], x_t.shape[1]
        hx = np.concatenate([h_prev, x_t] if order == "hx" else [x_t, h_prev], axis=1)
        a = hx @ W.T
        da = dh * slope(h_t, h_prev, a)
        W_h, W_x = (W[:, :H], W[:, H:]) if order == "hx" else (W[:, D:], W[:, :D])
        dh_prev = da @ (wh(W_h) if dh_prev_cols == "h" else W) + (dh if extra_dh else 0)
        out = dW(da, hx), db(da), dh_prev, da @ W_x
        return (out[0], out[1], out[3], out[2]) if swap else out
    return fn


def rnn_for_columns(dh, W, x_t, h_prev, h_t):
    """Written for W of shape (H + D, H): runs only when given W.T."""
    H = h_prev.shape[1]
    da = dh * (1 - h_t ** 2)
    hx = np.concatenate([h_prev, x_t], axis=1)
    return hx.T @ da, da.sum(axis=0), da @ W[:H].T, da @ W[H:].T


def rnn_one_example(dh, W, x_t, h_prev, h_t):
    """Written for 1-D rows: np.outer and concatenate along axis 0."""
    H = len(h_prev)
    da = dh * (1 - h_t ** 2)
    hx = np.concatenate([h_prev, x_t])
    return np.outer(da, hx), da, W[:, :H].T @ da, W[:, H:].T @ da


def rnn_via_backward(dh, W, x_t, h_prev, h_t):
    _, cache = rnn.forward({"W": W, "b": np.zeros(W.shape[0])}, x_t[:, None], h_prev)
    g = rnn.backward(dh[:, None], cache)
    return g["W"], g["b"], g["h0"], g["x"][:, 0]


# --- lstm_step_backward ---

def lstm_answer(sources="both", read=lambda tc, c: 1 - tc ** 2, cand=lambda g: 1 - g ** 2, gate=lambda s: s * (1 - s),
                keep=True, keep_from_dc=False, do_tanh=True, df_new=False, swap_di_dg=False, order="hx",
                wh=lambda W_h: W_h, reduce=lambda dz: dz.sum(axis=0), skip=(), names="p", returns="grads first"):
    """lstm_step_backward with one slip (see the keywords), in a student's loop over the four layers."""
    def fn(dh, dc, p, x_t, h_prev, c_prev, s):
        H, D = h_prev.shape[1], x_t.shape[1]
        tc = np.tanh(s.c)
        through_h = dh * s.o * read(tc, s.c)
        dC = {"both": dc + through_h, "h": through_h, "c": dc}[sources]
        do = dh * tc if do_tanh else dh
        df = dC * (s.c if df_new else c_prev)
        di, dg = (dC * s.i, dC * s.g) if swap_di_dg else (dC * s.g, dC * s.i)
        dz = {"f": df * gate(s.f), "i": di * gate(s.i), "c": dg * cand(s.g), "o": do * gate(s.o)}
        hx = np.concatenate([h_prev, x_t] if order == "hx" else [x_t, h_prev], axis=1)
        grads, dh_prev = {}, np.zeros_like(h_prev)
        for k in "fico":
            W = p["W_" + k]
            grads[("dW_" if names == "d" else "W_") + k] = dz[k].T @ hx
            grads[("db_" if names == "d" else "b_") + k] = reduce(dz[k])
            if k not in skip:
                dh_prev = dh_prev + dz[k] @ wh(W[:, :H] if order == "hx" else W[:, D:])
        dc_prev = (dc if keep_from_dc else dC) * (s.f if keep else 1)
        if returns == "states first":
            return dh_prev, dc_prev, grads
        if returns == "states swapped":
            return grads, dc_prev, dh_prev
        return grads, dh_prev, dc_prev
    return fn


def lstm_for_columns(dh, dc, p, x_t, h_prev, c_prev, s):
    """Written for weights of shape (H + D, H), as if each layer were hx @ W_k: runs only when given them transposed."""
    H = h_prev.shape[1]
    tc = np.tanh(s.c)
    dC = dc + dh * s.o * (1 - tc ** 2)
    dz = {"f": dC * c_prev * s.f * (1 - s.f), "i": dC * s.g * s.i * (1 - s.i), "c": dC * s.i * (1 - s.g ** 2),
          "o": dh * tc * s.o * (1 - s.o)}
    hx = np.concatenate([h_prev, x_t], axis=1)
    grads, dh_prev = {}, np.zeros_like(h_prev)
    for k in "fico":
        grads["W_" + k], grads["b_" + k] = hx.T @ dz[k], dz[k].sum(axis=0)
        dh_prev = dh_prev + dz[k] @ p["W_" + k][:H].T
    return grads, dh_prev, dC * s.f


def lstm_via_backward(dh, dc, p, x_t, h_prev, c_prev, s):
    _, cache = lstm.forward(p, x_t[:, None], h_prev, c_prev)
    g = lstm.backward(dh[:, None], cache, dc_last=dc)
    return {k: g[k] for k in lstm.PARAM_KEYS}, g["h0"], g["c0"]


# --- temperature_probs ---

def softmax_answer(scale=lambda z, t: z / t, shift="row", axis=-1, after=lambda p, t: p, log=False):
    def fn(logits, temperature):
        z = scale(np.asarray(logits, dtype=float), temperature)
        if shift == "row":
            z = z - z.max(axis=axis, keepdims=True)
        elif shift == "all":
            z = z - z.max()
        elif shift in ("min", "mean"):
            z = z - getattr(z, shift)(axis=axis, keepdims=True)
        elif shift == "first":
            z = z - z[..., :1]
        e = np.exp(z)
        p = after(e / e.sum(axis=axis, keepdims=True), temperature)
        return np.log(p) if log else p
    return fn


def naive_logsumexp(logits, temperature):
    z = logits / temperature
    return np.exp(z - np.log(np.exp(z).sum(axis=-1, keepdims=True)))


def lstm_by_differences(dh, dc, p, x_t, h_prev, c_prev, s):
    """No backward math at all: central differences of the package's own step."""
    from lstm_helpers import gradcheck

    def loss():
        out = lstm.step(p, x_t, h_prev, c_prev)
        return np.sum(dh * out.h) + np.sum(dc * out.c)
    grads = {k: gradcheck.numerical_gradient(loss, p[k], 1e-5) for k in p}
    return grads, gradcheck.numerical_gradient(loss, h_prev, 1e-5), gradcheck.numerical_gradient(loss, c_prev, 1e-5)


def softmax_batch_only(logits, temperature):
    z = logits / temperature
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


CATALOGUE = {
    "rnn_step_backward": [
        ("tanh' at h_prev", rnn_answer(slope=lambda h, hp, a: 1 - hp ** 2), "not 1 - h_{t-1}^2"),
        ("tanh' of the pre-activation", rnn_answer(slope=lambda h, hp, a: 1 - a ** 2), "not the pre-activation"),
        ("no tanh'", rnn_answer(slope=lambda h, hp, a: 1.0), "derivative of tanh is missing"),
        ("sigmoid's derivative", rnn_answer(slope=lambda h, hp, a: h * (1 - h)), "sigmoid's derivative"),
        ("tanh twice", rnn_answer(slope=lambda h, hp, a: 1 - np.tanh(h) ** 2), "without a second tanh"),
        ("[x, h]", rnn_answer(order="xh"), "hidden state first"),
        ("W_h transposed", rnn_answer(wh=lambda W_h: W_h.T), "not da W_h^T"),
        ("dW transposed", rnn_answer(dW=lambda da, hx: hx.T @ da), "dW is transposed"),
        ("db not summed", rnn_answer(db=lambda da: da), "adds da over the batch"),
        ("averaged over the batch", rnn_answer(db=lambda da: da.mean(axis=0), dW=lambda da, hx: da.T @ hx / len(da)),
         "do not average"),
        ("dh_prev from all columns", rnn_answer(dh_prev_cols="all"), "the whole row [h_{t-1}, x_t]"),
        ("dh added again", rnn_answer(extra_dh=True), "without dh added again"),
        ("dh_prev and dx swapped", rnn_answer(swap=True), "swapped"),
        ("written for W (H + D, H)", rnn_for_columns, "runs only with the weights transposed"),
        ("written for one example", rnn_one_example, "works for one example"),
        ("calls rnn.backward", rnn_via_backward, "your function calls rnn.forward"),
        ("returns a dict", lambda *a: {"W": 0}, "return the four gradients"),
    ],
    "lstm_step_backward": [
        ("dC only through h_t", lstm_answer(sources="h"), "yours has only the one through h_t"),
        ("dC only from C_{t+1}", lstm_answer(sources="c"), "two sources"),
        ("sigmoid' for the read-out's tanh'", lstm_answer(read=lambda tc, c: tc * (1 - tc)), "not the sigmoid's"),
        ("1 - C^2 for the read-out", lstm_answer(read=lambda tc, c: 1 - c ** 2), "not 1 - C_t^2"),
        ("dC_{t-1} without f", lstm_answer(keep=False), "scaled by f_t"),
        ("dC_{t-1} from dc alone", lstm_answer(keep_from_dc=True), "yours uses dc alone"),
        ("sigmoid' for the candidate's tanh'", lstm_answer(cand=lambda g: g * (1 - g)), "comes from tanh"),
        ("no tanh' for the candidate", lstm_answer(cand=lambda g: 1.0), "1 - C~_t^2, is missing"),
        ("1 - s^2 for the gates", lstm_answer(gate=lambda s: 1 - s ** 2), "not 1 - s^2"),
        ("do without tanh(C)", lstm_answer(do_tanh=False), "do = dh * tanh(C_t)"),
        ("df from C_t", lstm_answer(df_new=True), "not the new one"),
        ("di and dC~ swapped", lstm_answer(swap_di_dg=True), "each factor's gradient is the other"),
        ("[x, h]", lstm_answer(order="xh"), "hidden state first"),
        ("W_h transposed", lstm_answer(wh=lambda W_h: W_h.T), "not dz_k W_k,h^T"),
        ("averaged over the batch", lstm_answer(reduce=lambda dz: dz.mean(axis=0)), "do not average"),
        ("db not summed", lstm_answer(reduce=lambda dz: dz), "adds dz over the batch"),
        ("dh_prev without the candidate", lstm_answer(skip="c"), "the block of the candidate is missing"),
        ("dh_prev without the output gate", lstm_answer(skip="o"), "the block of the output gate is missing"),
        ("keys dW_f ...", lstm_answer(names="d"), "the parameters' own names"),
        ("states first", lstm_answer(returns="states first"), "in that order"),
        ("dh_prev and dc_prev swapped", lstm_answer(returns="states swapped"), "return (grads, dh_prev, dc_prev)"),
        ("written for W (H + D, H)", lstm_for_columns, "runs only with the weights transposed"),
        ("calls lstm.backward", lstm_via_backward, "your function calls lstm.forward"),
        ("central differences of lstm.step", lstm_by_differences, "your function calls lstm.step"),
        ("returns the record", lambda dh, dc, p, x, h, c, s: s, "return three things"),
    ],
    "temperature_probs": [
        ("multiplied by the temperature", softmax_answer(scale=lambda z, t: z * t), "not z * temperature"),
        ("temperature ignored", softmax_answer(scale=lambda z, t: z), "temperature is ignored"),
        ("power, not renormalised", softmax_answer(scale=lambda z, t: z, after=lambda p, t: p ** (1 / t)),
         "normalise again"),
        ("divides the probabilities", softmax_answer(scale=lambda z, t: z, after=lambda p, t: p / t),
         "not the probabilities after it"),
        ("log-probabilities", softmax_answer(log=True), "log-probabilities"),
        ("over the first axis", softmax_answer(axis=0), "over the last axis"),
        ("no max subtracted", softmax_answer(shift=None), "overflows"),
        ("the global maximum", softmax_answer(shift="all"), "each row's own maximum"),
        ("each row's minimum", softmax_answer(shift="min"), "overflows"),
        ("each row's mean", softmax_answer(shift="mean"), "overflows"),
        ("each row's first logit", softmax_answer(shift="first"), "overflows"),
        ("log-sum-exp without a shift", naive_logsumexp, "overflows"),
        ("batch only (axis=1)", softmax_batch_only, "not for one row of shape (V,)"),
        ("the package's function itself", charlm.temperature_probs, "charlm.temperature_probs is what you are"),
        ("calls the package", lambda z, t: charlm.temperature_probs(z, t), "charlm.temperature_probs is what you"),
    ],
}


def test_reasonable_variants_of_correct_answers_pass():
    def rnn_einsum(dh, W, x_t, h_prev, h_t):
        H = h_prev.shape[1]
        da = dh * (1 - h_t * h_t)
        return (np.einsum("bi,bj->ij", da, np.hstack([h_prev, x_t])), np.sum(da, 0), (W[:, :H].T @ da.T).T,
                da @ W[:, H:])
    assert ex.check("rnn_step_backward", rnn_einsum)
    assert ex.check("rnn_step_backward", lambda *a: list(rnn_answer()(*a)))

    def lstm_stacked(dh, dc, p, x_t, h_prev, c_prev, s):  # the four layers stacked, as lstm.py does it
        H = h_prev.shape[1]
        tc = np.tanh(s.c)
        dC = dc + dh * s.o * (1 - tc ** 2)
        dz = np.concatenate([dC * c_prev * s.f * (1 - s.f), dC * s.g * s.i * (1 - s.i),
                             dC * s.i * (1 - s.g ** 2), dh * tc * s.o * (1 - s.o)], axis=1)  # (B, 4H)
        W = np.concatenate([p[f"W_{k}"] for k in "fico"])                                 # (4H, H + D)
        dW, db = dz.T @ np.concatenate([h_prev, x_t], axis=1), dz.sum(axis=0)
        grads = {}
        for j, k in enumerate("fico"):
            grads[f"W_{k}"], grads[f"b_{k}"] = dW[j * H:(j + 1) * H], db[j * H:(j + 1) * H]
        return grads, dz @ W[:, :H], dC * s.f
    assert ex.check("lstm_step_backward", lstm_stacked)
    assert ex.check("lstm_step_backward", lambda *a: list(lstm_answer()(*a)))
    assert ex.check("temperature_probs", softmax_answer(scale=lambda z, t: z, after=lambda p, t: p ** (1 / t) / np.sum(
        p ** (1 / t), axis=-1, keepdims=True)))  # the power, renormalised, is the same distribution

    def with_logsumexp(logits, temperature):
        z = logits / temperature
        m = z.max(axis=-1, keepdims=True)
        return np.exp(z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True)))
    assert ex.check("temperature_probs", with_logsumexp)


def test_an_answer_that_writes_into_the_record_does_not_fool_the_checker():
    def in_place(dh, dc, p, x_t, h_prev, c_prev, s):
        out = lstm_answer()(dh, dc, p, x_t, h_prev, c_prev, s)
        s.f[...] = 0.0
        return out
    assert ex.check("lstm_step_backward", in_place)


def _run(T=5, B=3, D=2, H=4, seed=0):
    rng = np.random.default_rng(seed)
    p = lstm.init_params(D, H, rng)
    for k in ("b_f", "b_i", "b_c", "b_o"):
        p[k] = rng.standard_normal(H)
    xs, h0, c0, G = (rng.standard_normal(s) for s in ((B, T, D), (B, H), (B, H), (B, T, H)))
    return p, xs, h0, c0, G


def test_the_slip_models_without_slips_are_the_package():
    rng = np.random.default_rng(2)
    W, b = rnn.init_params(2, 3, rng)["W"], rng.standard_normal(3)
    x, h_prev, dh = rng.standard_normal((4, 2)), np.tanh(rng.standard_normal((4, 3))), rng.standard_normal((4, 3))
    hs, cache = rnn.forward({"W": W, "b": b}, x[:, None], h_prev)
    g = rnn.backward(dh[:, None], cache)
    for mine, pkg in zip(ch08._rnn_slip(dh, W, x, h_prev, hs[:, 0]), (g["W"], g["b"], g["h0"], g["x"][:, 0])):
        np.testing.assert_allclose(mine, pkg, rtol=1e-12, atol=1e-14)

    p, xs, h0, c0, G = _run()
    dc = rng.standard_normal(h0.shape)
    out, cache = lstm.forward(p, xs[:, :1], h0, c0)
    g = lstm.backward(G[:, :1], cache, dc_last=dc)
    s = lstm.LSTMRecord(*(a[:, 0] for a in out))
    grads, dh_prev, dc_prev = ch08._lstm_slip(G[:, 0], dc, p, xs[:, 0], h0, c0, s)
    for k in lstm.PARAM_KEYS:
        np.testing.assert_allclose(grads[k], g[k], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dh_prev, g["h0"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dc_prev, g["c0"], rtol=1e-12, atol=1e-14)
    logits = rng.standard_normal((3, 5))
    np.testing.assert_allclose(ch08._softmax(logits / 0.3), charlm.temperature_probs(logits, 0.3), rtol=1e-14)


def test_the_checkers_step_is_one_step_of_the_run():
    """_run_step hands the answer step t of a run with dh and dc from the whole run's backward pass: the model
    solution, chained from t = T down to 1 over those steps, gives lstm.backward's gradients of the whole run."""
    p, xs, h0, c0, G = _run()
    out, cache = lstm.forward(p, xs, h0, c0)
    want = lstm.backward(G, cache)
    step = lstm_answer()
    T = xs.shape[1]
    total = {k: np.zeros_like(v) for k, v in p.items()}
    dh_next, dc = np.zeros_like(h0), np.zeros_like(c0)
    for t in range(T, 0, -1):
        h_prev, c_prev = (out.h[:, t - 2], out.c[:, t - 2]) if t > 1 else (h0, c0)
        s = lstm.LSTMRecord(*(a[:, t - 1] for a in out))
        grads, dh_next, dc = step(G[:, t - 1] + dh_next, dc, p, xs[:, t - 1], h_prev, c_prev, s)
        for k in total:
            total[k] += grads[k]
    for k in p:
        np.testing.assert_allclose(total[k], want[k], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dh_next, want["h0"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dc, want["c0"], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_the_references_agree_with_central_differences(cell):
    """The checkers compare with rnn.backward and lstm.backward on one step; those agree with central differences
    (float64) for every parameter and both (all three) inputs of the step."""
    rng = np.random.default_rng(7)
    B, D, H = 3, 2, 4
    x, c_prev = rng.standard_normal((B, 1, D)), rng.standard_normal((B, H))
    h_prev = np.tanh(rng.standard_normal((B, H)))
    dh, dc = rng.standard_normal((B, 1, H)), rng.standard_normal((B, H))
    if cell == "rnn":
        q = {"W": rnn.init_params(D, H, rng)["W"], "b": rng.standard_normal(H)}
        g = rnn.backward(dh, rnn.forward(q, x, h_prev)[1])
        errors = gradcheck.check_gradients(lambda: np.sum(dh * rnn.forward(q, x, h_prev)[0]),
                                           {**q, "x": x, "h0": h_prev}, g)
    else:
        q = lstm.init_params(D, H, rng)
        g = lstm.backward(dh, lstm.forward(q, x, h_prev, c_prev)[1], dc_last=dc)

        def loss():  # reads h_t (through dh) and C_t (through dc)
            out = lstm.forward(q, x, h_prev, c_prev)[0]
            return np.sum(dh * out.h) + np.sum(dc * out.c[:, -1])
        errors = gradcheck.check_gradients(loss, {**q, "x": x, "h0": h_prev, "c0": c_prev}, g)
    assert max(errors.values()) < 1e-7, errors


def test_the_overflow_and_the_global_maximum_are_named_apart():
    r = assert_wrong("temperature_probs", softmax_answer(shift=None), "overflows", "large logits")
    assert "each row's own" not in r.message
    r = assert_wrong("temperature_probs", softmax_answer(shift="all"), "each row's own maximum", "around 1000")
    assert "overflows" not in r.message


def test_a_wrong_lstm_answer_is_told_which_layer_to_look_at():
    """An answer with no recognised slip (the output gate's bias gradient times 0.7) is pointed at the output gate."""
    def scaled_o(dh, dc, p, x_t, h_prev, c_prev, s):
        grads, dh_prev, dc_prev = lstm_answer()(dh, dc, p, x_t, h_prev, c_prev, s)
        grads["b_o"] = 0.7 * grads["b_o"]
        return grads, dh_prev, dc_prev
    assert_wrong("lstm_step_backward", scaled_o, "grads['b_o']", "do = dh * tanh(C_t)")
