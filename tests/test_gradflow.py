import numpy as np
import pytest

from lstm_helpers import gradcheck, gradflow, lstm


def test_rnn_jacobian_norms_are_powers_of_the_radius_in_the_linear_regime():
    """With zero input and zero state, h stays 0, tanh' = 1, and dh_T/dh_t = W_h^(T-1-t) exactly."""
    rng = np.random.default_rng(0)
    for radius in (0.7, 1.0, 1.2):
        q = gradflow.rnn_with_radius(2, 5, radius, rng)
        J, none = gradflow.state_jacobians("rnn", q, np.zeros((30, 2)))
        assert none is None and J.shape == (30, 5, 5)
        norms = gradflow.spectral_norms(J)[::-1]  # by distance
        np.testing.assert_allclose(norms, radius ** np.arange(30), rtol=1e-10)


def test_lstm_jacobian_matches_finite_differences():
    rng = np.random.default_rng(1)
    p = lstm.init_params(2, 3, rng)
    x = rng.standard_normal((6, 2))
    Jh, Jc = gradflow.state_jacobians("lstm", p, x)
    out, _ = lstm.forward(p, x[None])
    t = 2  # restart from step t's state, perturb h_t (or C_t), read h at the last step
    for J, which in ((Jh, "h"), (Jc, "c")):
        state = {"h": out.h[:, t].copy(), "c": out.c[:, t].copy()}
        for k in range(3):
            f = lambda: lstm.forward(p, x[None, t + 1:], state["h"], state["c"])[0].h[0, -1, k]
            num = gradcheck.numerical_gradient(f, state[which])[0]
            if which == "c":  # C_t also reaches h_t = o_t tanh(C_t), which a restart does not see
                num = num + Jh[t, k] * out.o[0, t] * (1 - np.tanh(out.c[0, t]) ** 2)
            np.testing.assert_allclose(J[t, k], num, rtol=1e-6, atol=1e-9)


def test_bad_sequence_shape():
    q = gradflow.rnn_with_radius(2, 3, 0.9, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"\(T, 2\)"):
        gradflow.state_jacobians("rnn", q, np.zeros((4, 3)))


def test_step_norms_do_not_underflow_in_float32():
    g = np.full((2, 3, 4), 1e-24, dtype=np.float32)
    assert np.linalg.norm(g, axis=2).max() == 0.0  # the reason step_norms exists
    np.testing.assert_allclose(gradflow.step_norms(g), 2e-24, rtol=1e-6)
    with pytest.raises(ValueError, match=r"\(B, T, H\)"):
        gradflow.step_norms(np.zeros((3, 4)))
