import math

import numpy as np
import pytest

from lstm_helpers import ShapeError, gradcheck, lstm

B, T, D, H = 3, 6, 4, 5


@pytest.fixture
def setup():
    rng = np.random.default_rng(0)
    p = lstm.init_params(D, H, rng, forget_bias=1.0)
    for k in p:  # make the biases non-trivial too
        p[k] += 0.1 * rng.standard_normal(p[k].shape)
    x = rng.standard_normal((B, T, D))
    h0 = rng.standard_normal((B, H))
    c0 = rng.standard_normal((B, H))
    return p, x, h0, c0, rng


def test_init_params_shapes_forget_bias_and_orthogonal_recurrence():
    p = lstm.init_params(D, H, np.random.default_rng(1), forget_bias=2.0)
    assert set(p) == set(lstm.PARAM_KEYS)
    for g in "fico":
        assert p[f"W_{g}"].shape == (H, H + D) and p[f"b_{g}"].shape == (H,)
        Wh = p[f"W_{g}"][:, :H]
        np.testing.assert_allclose(Wh @ Wh.T, np.eye(H), atol=1e-12)  # first H columns: orthogonal
        assert np.all(np.abs(p[f"W_{g}"][:, H:]) <= 1 / math.sqrt(H))
    np.testing.assert_array_equal(p["b_f"], 2.0)
    np.testing.assert_array_equal(p["b_i"], 0.0)
    same = lstm.init_params(D, H, np.random.default_rng(1), forget_bias=2.0)
    assert all(np.array_equal(p[k], same[k]) for k in p)  # the rng decides everything
    assert lstm.init_params(D, H, np.random.default_rng(1), dtype=np.float32)["W_f"].dtype == np.float32
    with pytest.raises(TypeError, match="Generator"):
        lstm.init_params(D, H, rng=0)
    with pytest.raises(ValueError, match="hidden_size"):
        lstm.init_params(D, 0, np.random.default_rng(0))


def test_one_unit_step_matches_the_tutorials_equations_by_hand():
    # D = H = 1: every number can be checked with a pencil (and math.exp)
    p = {"W_f": np.array([[0.5, -1.0]]), "b_f": np.array([0.2]),
         "W_i": np.array([[1.5, 0.3]]), "b_i": np.array([-0.1]),
         "W_c": np.array([[-0.7, 2.0]]), "b_c": np.array([0.05]),
         "W_o": np.array([[0.9, 0.4]]), "b_o": np.array([0.3])}
    h_prev, x, c_prev = 0.6, -0.8, 1.7
    sig = lambda z: 1 / (1 + math.exp(-z))
    f = sig(0.5 * h_prev - 1.0 * x + 0.2)      # hidden state first in [h, x]
    i = sig(1.5 * h_prev + 0.3 * x - 0.1)
    g = math.tanh(-0.7 * h_prev + 2.0 * x + 0.05)
    o = sig(0.9 * h_prev + 0.4 * x + 0.3)
    c = f * c_prev + i * g
    h = o * math.tanh(c)
    s = lstm.step(p, [[x]], [[h_prev]], [[c_prev]])
    for name, want in dict(f=f, i=i, g=g, o=o, c=c, h=h).items():
        assert getattr(s, name).shape == (1, 1)
        assert getattr(s, name)[0, 0] == pytest.approx(want, rel=1e-14), name


def test_forward_equals_stepping_by_hand(setup):
    p, x, h0, c0, _ = setup
    out, _ = lstm.forward(p, x, h0, c0)
    h, c = h0, c0
    for t in range(T):
        s = lstm.step(p, x[:, t], h, c)
        for name in "figoch":
            np.testing.assert_allclose(getattr(out, name)[:, t], getattr(s, name), rtol=1e-14, atol=1e-15)
        h, c = s.h, s.c


def test_forward_shapes_ranges_and_zero_initial_state(setup):
    p, x, _, _, _ = setup
    out, _ = lstm.forward(p, x)
    for name in "figoch":
        assert getattr(out, name).shape == (B, T, H)
    for gate in (out.f, out.i, out.o):
        assert np.all((gate > 0) & (gate < 1))
    assert np.all(np.abs(out.g) < 1) and np.all(np.abs(out.h) < 1)
    np.testing.assert_allclose(out.h, out.o * np.tanh(out.c), rtol=1e-14)
    zeros = np.zeros((B, H))
    s = lstm.step(p, x[:, 0], zeros, zeros)
    np.testing.assert_allclose(out.h[:, 0], s.h, rtol=1e-14)


def test_forward_carries_state_across_chunks(setup):
    p, x, h0, c0, _ = setup
    whole, _ = lstm.forward(p, x, h0, c0)
    first, _ = lstm.forward(p, x[:, :2], h0, c0)
    rest, _ = lstm.forward(p, x[:, 2:], first.h[:, -1], first.c[:, -1])
    np.testing.assert_allclose(rest.h, whole.h[:, 2:], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("with_states", [True, False])
def test_gradients_match_central_differences(setup, with_states):
    """Every parameter, the inputs and the initial states; the loss reads every h and the final c."""
    p, x, h0, c0, rng = setup
    if not with_states:
        h0 = c0 = None
    w_h = rng.standard_normal((B, T, H))
    w_c = rng.standard_normal((B, H))

    def loss():
        out, _ = lstm.forward(p, x, h0, c0)
        return np.sum(w_h * out.h) + np.sum(w_c * out.c[:, -1])

    _, cache = lstm.forward(p, x, h0, c0)
    grads = lstm.backward(w_h, cache, dc_last=w_c)
    assert set(grads) == set(lstm.PARAM_KEYS) | {"x", "h0", "c0"}
    arrays = {**p, "x": x}
    if with_states:
        arrays.update(h0=h0, c0=c0)
    errors = gradcheck.check_gradients(loss, arrays, grads)
    assert max(errors.values()) < 1e-6, errors
    for k, a in arrays.items():
        assert grads[k].shape == a.shape


def test_a_wrong_backward_is_caught(setup):
    """The gradient check can fail: break one gradient and it does."""
    p, x, h0, c0, rng = setup
    w_h = rng.standard_normal((B, T, H))
    _, cache = lstm.forward(p, x, h0, c0)
    grads = lstm.backward(w_h, cache)
    grads["W_o"] = grads["W_o"].T.reshape(grads["W_o"].shape)  # a transposition slip
    errors = gradcheck.check_gradients(lambda: np.sum(w_h * lstm.forward(p, x, h0, c0)[0].h), {"W_o": p["W_o"]},
                                       grads)
    assert errors["W_o"] > 1e-2


def test_backward_leaves_the_cache_reusable(setup):
    p, x, h0, c0, rng = setup
    dh = rng.standard_normal((B, T, H))
    _, cache = lstm.forward(p, x, h0, c0)
    g1 = lstm.backward(dh, cache)
    g2 = lstm.backward(dh, cache)
    for k in g1:
        np.testing.assert_array_equal(g1[k], g2[k])


def test_input_grad_false_skips_only_dx(setup):
    """SequenceModel's one-hot inputs need no dL/dx: the other gradients are the same, x is absent."""
    p, x, h0, c0, rng = setup
    dh = rng.standard_normal((B, T, H))
    _, cache = lstm.forward(p, x, h0, c0)
    full, lean = lstm.backward(dh, cache), lstm.backward(dh, cache, input_grad=False)
    assert set(full) - set(lean) == {"x"} and set(lean) <= set(full)
    for k in lean:
        np.testing.assert_array_equal(lean[k], full[k])


def test_float32_matches_float64(setup):
    p, x, h0, c0, rng = setup
    p32 = {k: v.astype(np.float32) for k, v in p.items()}
    out64, cache64 = lstm.forward(p, x, h0, c0)
    out32, cache32 = lstm.forward(p32, x.astype(np.float32), h0.astype(np.float32), c0.astype(np.float32))
    assert out32.h.dtype == np.float32
    np.testing.assert_allclose(out32.h, out64.h, rtol=1e-5, atol=1e-5)
    dh = rng.standard_normal((B, T, H))
    g64 = lstm.backward(dh, cache64)
    g32 = lstm.backward(dh.astype(np.float32), cache32)
    for k in g64:
        assert g32[k].dtype == np.float32
        np.testing.assert_allclose(g32[k], g64[k], rtol=1e-5, atol=1e-4)


def test_callers_arrays_are_never_changed(setup):
    p, x, h0, c0, rng = setup
    dh = rng.standard_normal((B, T, H))
    dc = rng.standard_normal((B, H))
    before = [a.copy() for a in (*p.values(), x, h0, c0, dh, dc)]
    _, cache = lstm.forward(p, x, h0, c0)
    lstm.backward(dh, cache, dc_last=dc)
    lstm.step(p, x[:, 0], h0, c0)
    for a, b in zip((*p.values(), x, h0, c0, dh, dc), before):
        np.testing.assert_array_equal(a, b)


def test_bad_input_gets_a_message_with_the_expected_shapes(setup):
    p, x, h0, c0, _ = setup
    with pytest.raises(ShapeError, match=r"x has 5 features but the parameters expect input_size=4"):
        lstm.forward(p, np.zeros((B, T, 5)))
    with pytest.raises(ShapeError, match=r"\(B, T, D\).*x\[None\]"):
        lstm.forward(p, np.zeros((T, D)))
    with pytest.raises(ShapeError, match=r"h0 must have shape \(B, H\) = \(3, 5\)"):
        lstm.forward(p, x, h0=np.zeros((B, 4)))
    with pytest.raises(ShapeError, match=r"x_t has 2 features but the parameters expect input_size=4"):
        lstm.step(p, np.zeros((B, 2)), h0, c0)
    with pytest.raises(ShapeError, match=r"x_t must have shape \(B, D\).*x_t\[None\]"):
        lstm.step(p, np.zeros(D), h0, c0)
    with pytest.raises(ShapeError, match=r"c_prev must have shape \(B, H\) = \(3, 5\)"):
        lstm.step(p, x[:, 0], h0, np.zeros((2, H)))
    with pytest.raises(ShapeError, match="NaN"):
        lstm.forward(p, np.full((B, T, D), np.nan))
    with pytest.raises(ShapeError, match="missing"):
        lstm.forward({k: v for k, v in p.items() if k != "b_o"}, x)
    with pytest.raises(ShapeError, match=r"W_i has shape \(5, 8\); expected \(5, 9\)"):
        lstm.forward({**p, "W_i": np.zeros((H, H + D - 1))}, x)
    with pytest.raises(ShapeError, match="diverge"):
        lstm.forward({**p, "b_c": np.full(H, np.inf)}, x)
    _, cache = lstm.forward(p, x)
    with pytest.raises(ShapeError, match=r"dh must have shape \(3, 6, 5\)"):
        lstm.backward(np.zeros((B, H)), cache)
    with pytest.raises(ShapeError, match="numbers"):
        lstm.forward(p, [["a"]])


def test_forcing_gates_by_hand(setup):
    p, x, h0, c0, _ = setup
    s = lstm.step(p, x[:, 0], h0, c0, force={"f": 1.0, "i": 0.0})   # never forget, never write
    np.testing.assert_array_equal(s.f, 1.0)
    np.testing.assert_array_equal(s.i, 0.0)
    np.testing.assert_allclose(s.c, c0, rtol=1e-15)
    np.testing.assert_allclose(s.h, s.o * np.tanh(c0), rtol=1e-15)
    free = lstm.step(p, x[:, 0], h0, c0)
    np.testing.assert_array_equal(s.o, free.o)  # the others are untouched
    out, _ = lstm.forward(p, x, h0, c0, force={"f": 0.0})          # forget everything every step
    np.testing.assert_allclose(out.c, out.i * out.g, rtol=1e-14)
    with pytest.raises(ValueError, match=r"forced f must lie in \[0, 1\]"):
        lstm.step(p, x[:, 0], h0, c0, force={"f": 1.5})
    with pytest.raises(ValueError, match="can fix the gates"):
        lstm.step(p, x[:, 0], h0, c0, force={"c": 0.5})


def test_gradients_with_forced_gates(setup):
    p, x, h0, c0, rng = setup
    force = {"f": 0.9, "o": rng.uniform(0, 1, (B, H))}
    w = rng.standard_normal((B, T, H))
    loss = lambda: np.sum(w * lstm.forward(p, x, h0, c0, force=force)[0].h)
    grads = lstm.backward(w, lstm.forward(p, x, h0, c0, force=force)[1])
    np.testing.assert_array_equal(grads["W_f"], 0.0)  # a forced gate's weights do nothing
    errors = gradcheck.check_gradients(loss, {**p, "x": x, "h0": h0, "c0": c0}, grads)
    assert max(errors.values()) < 1e-6, errors


def test_state_gradients_are_the_gradients_wrt_each_steps_state(setup):
    """grads['h'][:, t] = dL/dh_t, grads['c'][:, t] = dL/dC_t: checked by restarting from step t's state."""
    p, x, h0, c0, rng = setup
    dh = np.zeros((B, T, H))
    dh[:, -1] = rng.standard_normal((B, H))  # the loss reads the last step only
    out, cache = lstm.forward(p, x, h0, c0)
    grads = lstm.backward(dh, cache, states=True)
    assert grads["h"].shape == grads["c"].shape == (B, T, H)
    np.testing.assert_allclose(grads["h"][:, -1], dh[:, -1])
    for t in range(T - 1):
        _, tail = lstm.forward(p, x[:, t + 1:], out.h[:, t], out.c[:, t])
        g = lstm.backward(dh[:, t + 1:], tail)
        np.testing.assert_allclose(grads["h"][:, t], g["h0"], rtol=1e-12, atol=1e-14)
        # C_t is read by h_t = o_t tanh(C_t) too, which a restart from (h_t, C_t) does not see
        through_h = grads["h"][:, t] * out.o[:, t] * (1 - np.tanh(out.c[:, t]) ** 2)
        np.testing.assert_allclose(grads["c"][:, t], g["c0"] + through_h, rtol=1e-12, atol=1e-14)
