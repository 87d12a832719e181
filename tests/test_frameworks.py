"""The PyTorch mapping: PyTorch's documented equations, written out here, give lstm.step's numbers."""
import numpy as np
import pytest

from lstm_helpers import frameworks, gru, lstm


def sig(z):
    return 1 / (1 + np.exp(-z))


def pytorch_cell(s, x, h, c):
    """torch.nn.LSTM's cell as its documentation writes it, in numpy."""
    gates = x @ s["weight_ih_l0"].T + s["bias_ih_l0"] + h @ s["weight_hh_l0"].T + s["bias_hh_l0"]  # (B, 4H)
    i, f, g, o = np.split(gates, 4, axis=1)
    c = sig(f) * c + sig(i) * np.tanh(g)
    return sig(o) * np.tanh(c), c


def test_to_pytorch_gives_the_same_cell():
    rng = np.random.default_rng(0)
    B, D, H = 3, 4, 5
    p = lstm.init_params(D, H, rng)
    for k in ("b_f", "b_i", "b_c", "b_o"):
        p[k] = rng.standard_normal(H)
    s = frameworks.to_pytorch(p)
    assert {k: v.shape for k, v in s.items()} == {"weight_ih_l0": (4 * H, D), "weight_hh_l0": (4 * H, H),
                                                  "bias_ih_l0": (4 * H,), "bias_hh_l0": (4 * H,)}
    x, h, c = rng.standard_normal((B, D)), rng.standard_normal((B, H)), rng.standard_normal((B, H))
    ours = lstm.step(p, x, h, c)
    h2, c2 = pytorch_cell(s, x, h, c)
    np.testing.assert_allclose(h2, ours.h, atol=1e-14)
    np.testing.assert_allclose(c2, ours.c, atol=1e-14)
    np.testing.assert_array_equal(s["weight_ih_l0"][H:2 * H], p["W_f"][:, H:])  # the order is i, f, g, o


def test_from_pytorch_adds_the_two_biases_and_round_trips():
    rng = np.random.default_rng(1)
    D, H = 2, 3
    s = {"weight_ih_l0": rng.standard_normal((4 * H, D)), "weight_hh_l0": rng.standard_normal((4 * H, H)),
         "bias_ih_l0": rng.standard_normal(4 * H), "bias_hh_l0": rng.standard_normal(4 * H)}
    p = frameworks.from_pytorch(s)
    x, h, c = rng.standard_normal((2, D)), rng.standard_normal((2, H)), rng.standard_normal((2, H))
    ours = lstm.step(p, x, h, c)
    h2, c2 = pytorch_cell(s, x, h, c)
    np.testing.assert_allclose(ours.h, h2, atol=1e-14)
    np.testing.assert_allclose(ours.c, c2, atol=1e-14)
    back = frameworks.from_pytorch(frameworks.to_pytorch(p))
    for k in p:
        np.testing.assert_array_equal(back[k], p[k])


def test_bad_state_dicts_are_explained():
    with pytest.raises(ValueError, match="missing"):
        frameworks.from_pytorch({"weight_ih_l0": np.zeros((8, 1))})
    s = frameworks.to_pytorch(lstm.init_params(1, 2, np.random.default_rng(0)))
    with pytest.raises(ValueError, match=r"bias_hh_l0 must have shape \(8,\)"):
        frameworks.from_pytorch({**s, "bias_hh_l0": np.zeros(4)})
    with pytest.raises(ValueError, match=r"\(4H, H\)"):
        frameworks.from_pytorch({**s, "weight_hh_l0": np.zeros((8, 3))})


def test_against_torch_when_it_is_installed():
    torch = pytest.importorskip("torch", reason="torch is not a dependency; benchmarks/lstm_speed.py installs it")
    rng = np.random.default_rng(2)
    D, H = 3, 4
    p = lstm.init_params(D, H, rng)
    net = torch.nn.LSTM(D, H, batch_first=True, dtype=torch.float64)
    net.load_state_dict({k: torch.from_numpy(v) for k, v in frameworks.to_pytorch(p).items()})
    x = rng.standard_normal((2, 7, D))
    out, _ = lstm.forward(p, x)
    with torch.no_grad():
        y, _ = net(torch.from_numpy(x))
    np.testing.assert_allclose(y.numpy(), out.h, atol=1e-12)
    back = frameworks.from_pytorch({k: v.detach().numpy() for k, v in net.state_dict().items()})
    np.testing.assert_allclose(lstm.forward(back, x)[0].h, out.h, atol=1e-14)


def test_gru_pytorch_layout_round_trip_and_errors():
    rng = np.random.default_rng(4)
    q = gru.init_params(3, 4, rng, reset_after=True)
    for k in q:
        q[k] = q[k] + 0.1 * rng.standard_normal(q[k].shape)
    s = frameworks.to_pytorch_gru(q)
    assert {k: v.shape for k, v in s.items()} == {"weight_ih_l0": (12, 3), "weight_hh_l0": (12, 4),
                                                  "bias_ih_l0": (12,), "bias_hh_l0": (12,)}
    np.testing.assert_array_equal(s["weight_hh_l0"][:4], q["W_r"][:, :4])   # r first, then z, then n
    np.testing.assert_array_equal(s["weight_ih_l0"][4:8], q["W_z"][:, 4:])
    back = frameworks.from_pytorch_gru(s)
    assert set(back) == set(q)
    for k in q:
        np.testing.assert_allclose(back[k], q[k], rtol=1e-15, atol=1e-15)
    with pytest.raises(ValueError, match="reset_after=True"):
        frameworks.to_pytorch_gru(gru.init_params(3, 4, rng))
    with pytest.raises(ValueError, match=r"\(3H, H\)"):
        frameworks.from_pytorch_gru({**s, "weight_hh_l0": np.zeros((8, 4))})


def test_gru_against_torch_when_it_is_installed():
    """nn.GRU is our GRU with reset_after=True, both ways; Cho's form with the same weights is not."""
    torch = pytest.importorskip("torch", reason="torch is not a dependency; benchmarks/lstm_speed.py installs it")
    rng = np.random.default_rng(3)
    D, H = 3, 4
    net = torch.nn.GRU(D, H, batch_first=True, dtype=torch.float64)
    q = frameworks.from_pytorch_gru({k: v.detach().numpy() for k, v in net.state_dict().items()})
    x, h0 = rng.standard_normal((2, 7, D)), rng.standard_normal((2, H))
    with torch.no_grad():
        y, h_n = net(torch.from_numpy(x), torch.from_numpy(h0)[None])
    out, _ = gru.forward(q, x, h0)
    np.testing.assert_allclose(out.h, y.numpy(), atol=1e-12)
    np.testing.assert_allclose(out.h[:, -1], h_n[0].numpy(), atol=1e-12)
    cho = {k: v for k, v in q.items() if k != "b_hn"}
    assert np.abs(gru.forward(cho, x, h0)[0].h - y.numpy()).max() > 1e-3
    net2 = torch.nn.GRU(D, H, batch_first=True, dtype=torch.float64)
    net2.load_state_dict({k: torch.from_numpy(v) for k, v in frameworks.to_pytorch_gru(q).items()})
    with torch.no_grad():
        np.testing.assert_allclose(net2(torch.from_numpy(x), torch.from_numpy(h0)[None])[0].numpy(), out.h,
                                   atol=1e-12)
