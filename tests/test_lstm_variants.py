"""The LSTM's variants as options of the one cell: the 1997 cell (no forget gate), coupled gates (i = 1 - f) and
peepholes (the gates read the cell state through element-wise weights)."""
import numpy as np
import pytest

from lstm_helpers import SequenceModel, ShapeError, frameworks, gradcheck, lstm

B, T, D, H = 3, 6, 4, 5
VARIANTS = {
    "1997": dict(forget_gate=False),
    "coupled": dict(coupled=True),
    "peepholes": dict(peepholes=True),
    "peepholes, coupled": dict(peepholes=True, coupled=True),
    "peepholes, 1997": dict(peepholes=True, forget_gate=False),
}


def sigma(a):
    return 1.0 / (1.0 + np.exp(-a))


def make(options, seed=0):
    rng = np.random.default_rng(seed)
    p = lstm.init_params(D, H, rng, **options)
    for k in p:  # peepholes and biases away from 0, so every path carries something
        p[k] = p[k] + 0.3 * rng.standard_normal(p[k].shape)
    return p, rng.standard_normal((B, T, D)), rng.standard_normal((B, H)), rng.standard_normal((B, H)), rng


def by_hand(p, x_t, h, c):
    """The variant's equations, written out."""
    hx = np.concatenate([h, x_t], axis=1)
    pre = {g: hx @ p[f"W_{g}"].T + p[f"b_{g}"] for g in "fico" if f"W_{g}" in p}
    f = sigma(pre["f"] + p.get("p_f", 0) * c) if "W_f" in p else np.ones_like(c)
    i = sigma(pre["i"] + p.get("p_i", 0) * c) if "W_i" in p else 1.0 - f
    g = np.tanh(pre["c"])
    c_new = f * c + i * g
    o = sigma(pre["o"] + p.get("p_o", 0) * c_new)
    return f, i, g, o, c_new, o * np.tanh(c_new)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_keys_and_the_shared_draws(name):
    options = VARIANTS[name]
    p = lstm.init_params(D, H, np.random.default_rng(1), **options)
    standard = lstm.init_params(D, H, np.random.default_rng(1))
    has_f, has_i = options.get("forget_gate", True), not options.get("coupled", False)
    expected = [k for k in lstm.PARAM_KEYS if (has_f or k[2] != "f") and (has_i or k[2] != "i")]
    if options.get("peepholes"):
        expected += [k for k, has in zip(lstm.PEEPHOLE_KEYS, (has_f, has_i, True)) if has]
    assert list(p) == expected
    for k in p:  # a variant keeps the standard cell's numbers for the blocks it has; peepholes start at 0
        if k in standard:
            np.testing.assert_array_equal(p[k], standard[k])
        else:
            assert not p[k].any()
    assert lstm.variant(p) == (has_f, not has_i, bool(options.get("peepholes")))


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_one_step_and_forward_are_the_variants_equations(name):
    p, x, h0, c0, _ = make(VARIANTS[name])
    s = lstm.step(p, x[:, 0], h0, c0)
    for field, want in zip("figoch", by_hand(p, x[:, 0], h0, c0)):
        np.testing.assert_allclose(getattr(s, field), want, rtol=1e-13, atol=1e-14)
    out, _ = lstm.forward(p, x, h0, c0)
    h, c = h0, c0
    for t in range(T):
        want = by_hand(p, x[:, t], h, c)
        for field, w in zip("figoch", want):
            np.testing.assert_allclose(getattr(out, field)[:, t], w, rtol=1e-12, atol=1e-13)
        h, c = want[-1], want[-2]


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_gradients_match_central_differences(name):
    """Every parameter the variant has (peepholes included), x, h0 and c0; the loss reads every h, the final C and,
    through the state gradients, checks dL/dC_t too."""
    p, x, h0, c0, rng = make(VARIANTS[name], seed=2)
    w_h, w_c = rng.standard_normal((B, T, H)), rng.standard_normal((B, H))

    def loss():
        out, _ = lstm.forward(p, x, h0, c0)
        return np.sum(w_h * out.h) + np.sum(w_c * out.c[:, -1])

    grads = lstm.backward(w_h, lstm.forward(p, x, h0, c0)[1], dc_last=w_c, states=True)
    assert set(grads) == set(p) | {"x", "h0", "c0", "h", "c"}
    arrays = {**p, "x": x, "h0": h0, "c0": c0}
    errors = gradcheck.check_gradients(loss, arrays, grads)
    assert max(errors.values()) < 1e-6, errors
    # for a loss that reads the last step only, dL/dC_t is the c0 gradient of the run that starts from step t's state
    out, cache = lstm.forward(p, x, h0, c0)
    last = np.zeros_like(w_h)
    last[:, -1] = w_h[:, -1]
    states = lstm.backward(last, cache, dc_last=w_c, states=True)
    t = 2
    rest = lstm.backward(last[:, t + 1:], lstm.forward(p, x[:, t + 1:], out.h[:, t], out.c[:, t])[1], dc_last=w_c)
    np.testing.assert_allclose(states["h"][:, t], rest["h0"], rtol=1e-10, atol=1e-12)
    # C_t is read by h_t = o_t tanh(C_t) too (and with peepholes by o_t itself), which a restart does not see
    o, tc = out.o[:, t], np.tanh(out.c[:, t])
    dh_dc = o * (1 - tc ** 2) + tc * o * (1 - o) * p.get("p_o", 0)
    np.testing.assert_allclose(states["c"][:, t], rest["c0"] + states["h"][:, t] * dh_dc, rtol=1e-10, atol=1e-12)


def test_forced_output_gate_with_peepholes_is_a_constant():
    p, x, h0, c0, rng = make(VARIANTS["peepholes"], seed=3)
    w = rng.standard_normal((B, T, H))
    out, cache = lstm.forward(p, x, h0, c0, force={"o": 0.3})
    assert np.all(out.o == 0.3)
    grads = lstm.backward(w, cache)
    assert not grads["p_o"].any() and not grads["W_o"].any()
    errors = gradcheck.check_gradients(lambda: np.sum(w * lstm.forward(p, x, h0, c0, force={"o": 0.3})[0].h),
                                       {k: p[k] for k in ("p_f", "p_i", "W_f", "W_c")}, grads)
    assert max(errors.values()) < 1e-6, errors


def test_what_each_variant_does_to_the_cell_state():
    """1997: f = 1, so C only accumulates (chapter 05: with inputs that keep writing the same sign it grows without
    bound); coupled: i = 1 - f, so C stays between the smallest and largest of C_0 and the candidates."""
    rng = np.random.default_rng(4)
    x = np.abs(rng.standard_normal((1, 200, D)))
    p = lstm.init_params(D, H, rng, forget_gate=False)
    p["b_c"][:] = 2.0                                  # candidates near +1
    out, _ = lstm.forward(p, x)
    assert np.all(out.f == 1.0) and np.all(np.diff(out.c, axis=1) > 0) and out.c[:, -1].min() > 40
    q = lstm.init_params(D, H, rng, coupled=True)
    out, _ = lstm.forward(q, rng.standard_normal((2, 50, D)))
    np.testing.assert_allclose(out.i, 1.0 - out.f, rtol=1e-15)
    assert np.all(np.abs(out.c) <= 1.0)                # a convex mix of C_0 = 0 and candidates in (-1, 1)


def test_clear_errors_for_variants():
    rng = np.random.default_rng(5)
    with pytest.raises(ValueError, match="needs its forget gate"):
        lstm.init_params(D, H, rng, coupled=True, forget_gate=False)
    p, x, h0, c0, _ = make(VARIANTS["coupled"])
    with pytest.raises(ValueError, match="force f instead"):
        lstm.forward(p, x, force={"i": 0.5})
    q = lstm.init_params(D, H, rng, peepholes=True)
    del q["p_i"]
    with pytest.raises(ShapeError, match=r"expected \['p_f', 'p_i', 'p_o'\]"):
        lstm.forward(q, x)
    with pytest.raises(ShapeError, match=r"p_o has shape \(4,\); expected \(5,\)"):
        lstm.forward({**lstm.init_params(D, H, rng, peepholes=True), "p_o": np.zeros(4)}, x)
    with pytest.raises(ValueError, match="nn.LSTM"):
        frameworks.to_pytorch(lstm.init_params(D, H, rng, peepholes=True))


def test_a_sequence_model_with_peepholes_checks():
    rng = np.random.default_rng(6)
    model = SequenceModel("lstm", 2, 3, 1, rng, peepholes=True, coupled=True)
    for k in ("p_f", "p_o"):
        model.params[k] += 0.5
    x, y = rng.standard_normal((2, 5, 2)), rng.standard_normal((2, 1))
    _, grads = model.loss_and_grads(x, y)
    errors = gradcheck.check_gradients(lambda: model.evaluate(x, y), model.params, grads)
    assert max(errors.values()) < 1e-6, errors
