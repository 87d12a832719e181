import math

import numpy as np
import pytest

from lstm_helpers import ShapeError, gradcheck, rnn

B, T, D, H = 2, 7, 3, 4


@pytest.fixture
def setup():
    rng = np.random.default_rng(3)
    q = rnn.init_params(D, H, rng)
    q["b"] += 0.1 * rng.standard_normal(H)
    return q, rng.standard_normal((B, T, D)), rng.standard_normal((B, H)), rng


def test_init_params_shapes_and_inits():
    q = rnn.init_params(D, H, np.random.default_rng(0))
    assert q["W"].shape == (H, H + D) and q["b"].shape == (H,)
    np.testing.assert_allclose(q["W"][:, :H] @ q["W"][:, :H].T, np.eye(H), atol=1e-12)
    u = rnn.init_params(D, 64, np.random.default_rng(0), recurrent_init="uniform")
    radius = max(abs(np.linalg.eigvals(u["W"][:, :64])))
    assert 0.4 < radius < 0.8  # PyTorch's init forgets fast: spectral radius about 0.6
    with pytest.raises(ValueError, match="recurrent_init"):
        rnn.init_params(D, H, np.random.default_rng(0), recurrent_init="xavier")


def test_step_by_hand_and_the_split_of_W():
    q = {"W": np.array([[0.5, -0.3, 1.2]]), "b": np.array([0.1])}  # H = 1, D = 2
    h = rnn.step(q, [[0.7, -1.1]], [[0.4]])
    assert h[0, 0] == pytest.approx(math.tanh(0.5 * 0.4 - 0.3 * 0.7 + 1.2 * -1.1 + 0.1), rel=1e-14)
    rng = np.random.default_rng(0)
    q = rnn.init_params(D, H, rng)
    x, hp = rng.standard_normal((B, D)), rng.standard_normal((B, H))
    W_h, W_x = q["W"][:, :H], q["W"][:, H:]   # W [h; x] = W_h h + W_x x
    np.testing.assert_allclose(rnn.step(q, x, hp), np.tanh(hp @ W_h.T + x @ W_x.T + q["b"]), rtol=1e-14)


def test_forward_equals_stepping_by_hand(setup):
    q, x, h0, _ = setup
    hs, _ = rnn.forward(q, x, h0)
    assert hs.shape == (B, T, H)
    h = h0
    for t in range(T):
        h = rnn.step(q, x[:, t], h)
        np.testing.assert_allclose(hs[:, t], h, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-6)])
def test_gradients_match_central_differences(setup, dtype, tol):
    q, x, h0, rng = setup
    w = rng.standard_normal((B, T, H))
    loss = lambda: np.sum(w * rnn.forward(q, x, h0)[0])
    grads = rnn.backward(w, rnn.forward(q, x, h0)[1])
    errors = gradcheck.check_gradients(loss, {**q, "x": x, "h0": h0}, grads)
    assert max(errors.values()) < tol, errors


def test_float32(setup):
    q, x, h0, rng = setup
    q32 = {k: v.astype(np.float32) for k, v in q.items()}
    hs32, c32 = rnn.forward(q32, x.astype(np.float32), h0.astype(np.float32))
    hs, c = rnn.forward(q, x, h0)
    assert hs32.dtype == np.float32
    np.testing.assert_allclose(hs32, hs, rtol=1e-5, atol=1e-5)
    dh = rng.standard_normal((B, T, H))
    g, g32 = rnn.backward(dh, c), rnn.backward(dh.astype(np.float32), c32)
    for k in g:
        np.testing.assert_allclose(g32[k], g[k], rtol=1e-5, atol=1e-4)


def test_callers_arrays_unchanged_and_clear_errors(setup):
    q, x, h0, rng = setup
    before = [a.copy() for a in (q["W"], q["b"], x, h0)]
    dh = rng.standard_normal((B, T, H))
    rnn.backward(dh, rnn.forward(q, x, h0)[1])
    for a, b in zip((q["W"], q["b"], x, h0), before):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ShapeError, match="x has 2 features but the parameters expect input_size=3"):
        rnn.forward(q, np.zeros((B, T, 2)))
    with pytest.raises(ShapeError, match=r"h_prev must have shape \(B, H\) = \(2, 4\)"):
        rnn.step(q, x[:, 0], np.zeros((B, 3)))
    with pytest.raises(ShapeError, match="rnn.init_params"):
        rnn.forward({"W_f": q["W"]}, x)


def test_state_gradients_are_the_gradients_wrt_each_steps_state(setup):
    q, x, h0, rng = setup
    dh = np.zeros((B, T, H))
    dh[:, -1] = rng.standard_normal((B, H))
    hs, cache = rnn.forward(q, x, h0)
    grads = rnn.backward(dh, cache, states=True)
    for t in range(T - 1):
        g = rnn.backward(dh[:, t + 1:], rnn.forward(q, x[:, t + 1:], hs[:, t])[1])
        np.testing.assert_allclose(grads["h"][:, t], g["h0"], rtol=1e-12, atol=1e-14)


def test_input_grad_false_skips_only_dx(setup):
    q, x, h0, rng = setup
    dh = rng.standard_normal((B, T, H))
    _, cache = rnn.forward(q, x, h0)
    full, lean = rnn.backward(dh, cache), rnn.backward(dh, cache, input_grad=False)
    assert set(full) - set(lean) == {"x"} and set(lean) <= set(full)
    for k in lean:
        np.testing.assert_array_equal(lean[k], full[k])
