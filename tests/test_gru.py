import numpy as np
import pytest

from lstm_helpers import SequenceModel, ShapeError, gradcheck, gru

B, T, D, H = 3, 6, 4, 5


@pytest.fixture(params=[False, True], ids=["cho", "reset-after"])
def setup(request):
    """Both forms: Cho's (the reset before W_n's product) and PyTorch's (reset_after, with b_hn)."""
    rng = np.random.default_rng(5)
    q = gru.init_params(D, H, rng, reset_after=request.param)
    for k in q:  # non-trivial biases too
        q[k] += 0.1 * rng.standard_normal(q[k].shape)
    return q, rng.standard_normal((B, T, D)), rng.standard_normal((B, H)), rng


def sigma(a):
    return 1.0 / (1.0 + np.exp(-a))


def test_init_params_keys_shapes_and_orthogonal_recurrence():
    q = gru.init_params(D, H, np.random.default_rng(0))
    assert list(q) == ["W_z", "b_z", "W_r", "b_r", "W_n", "b_n"]
    for gate in "zrn":
        assert q[f"W_{gate}"].shape == (H, H + D) and q[f"b_{gate}"].shape == (H,)
        np.testing.assert_allclose(q[f"W_{gate}"][:, :H] @ q[f"W_{gate}"][:, :H].T, np.eye(H), atol=1e-12)
        assert not q[f"b_{gate}"].any()
    assert gru.init_params(D, H, np.random.default_rng(0), dtype=np.float32)["W_n"].dtype == np.float32


def test_one_step_is_the_tutorials_equations_or_pytorchs(setup):
    """z, r from [h, x]; the candidate reads [r * h, x] (Cho) or r * (W_nh h + b_hn) (PyTorch);
    h = z * h_prev + (1 - z) * n."""
    q, x, h0, _ = setup
    hx = np.concatenate([h0, x[:, 0]], axis=1)
    z = sigma(hx @ q["W_z"].T + q["b_z"])
    r = sigma(hx @ q["W_r"].T + q["b_r"])
    if gru.resets_after(q):
        n = np.tanh(x[:, 0] @ q["W_n"][:, H:].T + q["b_n"] + r * (h0 @ q["W_n"][:, :H].T + q["b_hn"]))
    else:
        n = np.tanh(np.concatenate([r * h0, x[:, 0]], axis=1) @ q["W_n"].T + q["b_n"])
    s = gru.step(q, x[:, 0], h0)
    for name, want in (("z", z), ("r", r), ("n", n), ("h", z * h0 + (1 - z) * n)):
        np.testing.assert_allclose(getattr(s, name), want, rtol=1e-13, atol=1e-15)


def test_the_gates_do_what_their_names_say(setup):
    """z -> 1 keeps h_prev whatever the input; r -> 0 makes the candidate blind to h_prev."""
    q, x, h0, _ = setup
    keep = {**q, "b_z": np.full(H, 40.0)}
    np.testing.assert_allclose(gru.step(keep, x[:, 0], h0).h, h0, atol=1e-12)
    blind = {**q, "b_r": np.full(H, -40.0)}
    a = gru.step(blind, x[:, 0], h0).n
    b = gru.step(blind, x[:, 0], 0 * h0).n
    np.testing.assert_allclose(a, b, atol=1e-12)


def test_the_two_forms_are_different_functions():
    """Same weights, b_hn = 0: r * (W h) is not W (r * h) unless r is the same for every unit; the two forms agree
    when r = 1 and differ otherwise."""
    rng = np.random.default_rng(2)
    cho = gru.init_params(D, H, rng)
    cho["b_r"] += rng.standard_normal(H)
    torch_form = {**cho, "b_hn": np.zeros(H)}
    x, h0 = rng.standard_normal((B, T, D)), rng.standard_normal((B, H))
    a, b = gru.forward(cho, x, h0)[0], gru.forward(torch_form, x, h0)[0]
    assert np.abs(a.h - b.h).max() > 1e-2
    open_gate = {"b_r": np.full(H, 40.0)}  # r = 1: both read W_nh h_{t-1}
    a, b = gru.forward({**cho, **open_gate}, x, h0)[0], gru.forward({**torch_form, **open_gate}, x, h0)[0]
    np.testing.assert_allclose(a.h, b.h, rtol=1e-12, atol=1e-12)


def test_forward_equals_stepping_and_carries_state(setup):
    q, x, h0, _ = setup
    out, _ = gru.forward(q, x, h0)
    h = h0
    for t in range(T):
        s = gru.step(q, x[:, t], h)
        for name in "zrnh":
            np.testing.assert_allclose(getattr(out, name)[:, t], getattr(s, name), rtol=1e-13, atol=1e-15)
        h = s.h
    first, _ = gru.forward(q, x[:, :2], h0)
    rest, _ = gru.forward(q, x[:, 2:], first.h[:, -1])
    np.testing.assert_allclose(rest.h, out.h[:, 2:], rtol=1e-13, atol=1e-15)
    zero, _ = gru.forward(q, x)
    np.testing.assert_allclose(zero.h[:, 0], gru.step(q, x[:, 0], np.zeros((B, H))).h, rtol=1e-14)
    for field in out:
        assert field.shape == (B, T, H)


def test_gradients_match_central_differences(setup):
    """Every parameter, the inputs and the initial state, below 1e-6 in float64."""
    q, x, h0, rng = setup
    w = rng.standard_normal((B, T, H))

    def loss():
        return np.sum(w * gru.forward(q, x, h0)[0].h)

    grads = gru.backward(w, gru.forward(q, x, h0)[1])
    assert set(grads) == set(q) | {"x", "h0"}
    arrays = {**q, "x": x, "h0": h0}
    errors = gradcheck.check_gradients(loss, arrays, grads)
    assert max(errors.values()) < 1e-6, errors
    for k, a in arrays.items():
        assert grads[k].shape == a.shape


def test_a_wrong_gradient_is_caught(setup):
    q, x, h0, rng = setup
    w = rng.standard_normal((B, T, H))
    grads = gru.backward(w, gru.forward(q, x, h0)[1])
    grads["W_r"] = 1.1 * grads["W_r"]
    errors = gradcheck.check_gradients(lambda: np.sum(w * gru.forward(q, x, h0)[0].h), {"W_r": q["W_r"]}, grads)
    assert errors["W_r"] > 1e-2


def test_state_gradients_and_input_grad(setup):
    q, x, h0, rng = setup
    dh = np.zeros((B, T, H))
    dh[:, -1] = rng.standard_normal((B, H))
    out, cache = gru.forward(q, x, h0)
    grads = gru.backward(dh, cache, states=True)
    for t in range(T - 1):  # dL/dh_t is the h0 gradient of the run that starts from h_t
        g = gru.backward(dh[:, t + 1:], gru.forward(q, x[:, t + 1:], out.h[:, t])[1])
        np.testing.assert_allclose(grads["h"][:, t], g["h0"], rtol=1e-12, atol=1e-14)
    lean = gru.backward(dh, cache, input_grad=False)
    assert ("b_hn" in lean) == gru.resets_after(q)
    assert set(grads) - set(lean) == {"x", "h"}
    for k in lean:
        np.testing.assert_array_equal(lean[k], grads[k])


def test_float32_matches_float64_and_callers_arrays_are_unchanged(setup):
    q, x, h0, rng = setup
    dh = rng.standard_normal((B, T, H))
    before = [a.copy() for a in (*q.values(), x, h0, dh)]
    out64, cache64 = gru.forward(q, x, h0)
    g64 = gru.backward(dh, cache64)
    gru.step(q, x[:, 0], h0)
    for a, b in zip((*q.values(), x, h0, dh), before):
        np.testing.assert_array_equal(a, b)
    q32 = {k: v.astype(np.float32) for k, v in q.items()}
    out32, cache32 = gru.forward(q32, x.astype(np.float32), h0.astype(np.float32))
    assert out32.h.dtype == np.float32
    np.testing.assert_allclose(out32.h, out64.h, rtol=1e-5, atol=1e-5)
    g32 = gru.backward(dh.astype(np.float32), cache32)
    for k in g64:
        assert g32[k].dtype == np.float32
        np.testing.assert_allclose(g32[k], g64[k], rtol=1e-4, atol=1e-4)


def test_extreme_inputs_saturate_without_warnings(setup, recwarn):
    q, x, h0, _ = setup
    out, _ = gru.forward(q, 1e4 * x)  # from h0 = 0 every h_t mixes numbers in [-1, 1]
    assert np.isfinite(out.h).all() and np.all(np.abs(out.h) <= 1.0)
    assert not [w for w in recwarn if "overflow" in str(w.message)]


def test_bad_input_gets_a_message_with_the_expected_shapes(setup):
    q, x, h0, _ = setup
    with pytest.raises(ShapeError, match=r"x has 5 features but the parameters expect input_size=4"):
        gru.forward(q, np.zeros((B, T, 5)))
    with pytest.raises(ShapeError, match=r"h0 must have shape \(B, H\) = \(3, 5\)"):
        gru.forward(q, x, h0=np.zeros((B, 4)))
    with pytest.raises(ShapeError, match=r"h_prev must have shape \(B, H\) = \(3, 5\)"):
        gru.step(q, x[:, 0], np.zeros((2, H)))
    with pytest.raises(ShapeError, match="missing"):
        gru.forward({k: v for k, v in q.items() if k != "b_r"}, x)
    with pytest.raises(ShapeError, match=r"W_n has shape \(5, 8\); expected \(5, 9\)"):
        gru.forward({**q, "W_n": np.zeros((H, H + D - 1))}, x)
    with pytest.raises(ShapeError, match="gru.init_params"):
        gru.forward({"W": np.zeros((H, H + D))}, x)
    _, cache = gru.forward(q, x, h0)
    with pytest.raises(ShapeError, match=r"dh must have shape \(3, 6, 5\)"):
        gru.backward(np.zeros((B, T - 1, H)), cache)


def test_a_sequence_model_with_a_gru_learns_and_its_gradients_check():
    """SequenceModel("gru", ...): the readout's and the cell's gradients by central differences, and training
    on a short adding problem lowers the loss."""
    from lstm_helpers import optim, tasks, train
    rng = np.random.default_rng(0)
    model = SequenceModel("gru", 2, 4, 1, rng)
    x, y = tasks.adding_problem(3, 5, rng)
    loss, grads = model.loss_and_grads(x, y)
    errors = gradcheck.check_gradients(lambda: model.loss_and_grads(x, y)[0], model.params, grads)
    assert max(errors.values()) < 1e-6, errors
    model = SequenceModel("gru", 2, 8, 1, np.random.default_rng(1), dtype=np.float32)
    val = tasks.adding_problem(200, 10, np.random.default_rng(9))
    hist = train.train(model, lambda: tasks.adding_problem(32, 10, rng), 300,
                       optimizer=optim.Adam(model.params, lr=0.01), val=val, eval_every=100, progress=False)
    assert hist.final_val_loss < 0.2 * float(val[1].var())


def test_step_can_force_the_gates_by_hand(setup):
    """force={"z": 1} keeps h_prev; force={"r": 0} makes the candidate blind to h_prev (in both forms);
    forced values replace the computed ones and nothing else changes."""
    q, x, h0, _ = setup
    free = gru.step(q, x[:, 0], h0)
    keep = gru.step(q, x[:, 0], h0, force={"z": 1.0})
    np.testing.assert_allclose(keep.h, h0, rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(keep.r, free.r)
    np.testing.assert_array_equal(keep.n, free.n)
    blind = gru.step(q, x[:, 0], h0, force={"r": 0.0})
    # r = 0: both forms read only the input, tanh(W_nx x + b_n) (PyTorch's r * (W_nh h + b_hn) is 0 too)
    np.testing.assert_allclose(blind.n, np.tanh(x[:, 0] @ q["W_n"][:, H:].T + q["b_n"]), rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(blind.z, free.z)
    per_unit = np.linspace(0.1, 0.9, H)
    np.testing.assert_array_equal(gru.step(q, x[:, 0], h0, force={"z": per_unit}).z, np.broadcast_to(per_unit, (B, H)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        gru.step(q, x[:, 0], h0, force={"z": 1.5})
    with pytest.raises(ValueError, match="can fix the gates"):
        gru.step(q, x[:, 0], h0, force={"n": 0.0})
    with pytest.raises(ShapeError, match="broadcast"):
        gru.step(q, x[:, 0], h0, force={"r": np.zeros(H + 1)})
    with pytest.raises(TypeError, match="dict"):
        gru.step(q, x[:, 0], h0, force=0.5)
