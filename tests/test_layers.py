import numpy as np
import pytest

from lstm_helpers import ShapeError, frameworks, gradcheck, gru, layers, lstm, rnn

B, T, D, H = 2, 5, 3, 4
CELLS = {"rnn": rnn, "lstm": lstm, "gru": gru}


def _net(cell, num_layers, bidirectional, seed=0):
    rng = np.random.default_rng(seed)
    net = layers.init_params(cell, D, H, rng, num_layers=num_layers, bidirectional=bidirectional)
    for layer in net["layers"]:
        for params in layer.values():
            for k in params:
                params[k] += 0.1 * rng.standard_normal(params[k].shape)
    return net


def _h(cell, params, x, *state):
    out = CELLS[cell].forward(params, x, *state)[0]
    return out if cell == "rnn" else out.h


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_one_layer_one_direction_is_the_cell(cell):
    net = _net(cell, 1, False)
    x = np.random.default_rng(1).standard_normal((B, T, D))
    out, final, _ = layers.forward(net, x)
    np.testing.assert_allclose(out, _h(cell, net["layers"][0]["fwd"], x), rtol=1e-14)
    assert final["h"].shape == (1, B, H) and set(final) == ({"h", "c"} if cell == "lstm" else {"h"})


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_stacked_bidirectional_by_hand(cell):
    """Layer 2 reads layer 1's h (both directions side by side, the forward one first); the backward cell reads the
    sequence reversed; final holds each direction's last state, layer by layer, forward first."""
    net = _net(cell, 2, True)
    x = np.random.default_rng(2).standard_normal((B, T, D))
    out, final, _ = layers.forward(net, x)
    (l0, l1) = net["layers"]
    f0 = _h(cell, l0["fwd"], x)
    b0 = _h(cell, l0["bwd"], x[:, ::-1])[:, ::-1]
    mid = np.concatenate([f0, b0], axis=-1)                       # (B, T, 2H)
    f1 = _h(cell, l1["fwd"], mid)
    b1 = _h(cell, l1["bwd"], mid[:, ::-1])[:, ::-1]
    np.testing.assert_allclose(out, np.concatenate([f1, b1], axis=-1), rtol=1e-13, atol=1e-15)
    assert out.shape == (B, T, 2 * H) and final["h"].shape == (4, B, H)
    for index, want in enumerate((f0[:, -1], b0[:, 0], f1[:, -1], b1[:, 0])):
        np.testing.assert_allclose(final["h"][index], want, rtol=1e-13, atol=1e-15)


def test_the_backward_half_of_the_last_output_has_read_only_x_T():
    """out[:, -1] is not a summary of both directions: change every step but the last and its backward half stays."""
    net = _net("lstm", 1, True)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((B, T, D))
    y = x.copy()
    y[:, :-1] = rng.standard_normal((B, T - 1, D))
    a, fa, _ = layers.forward(net, x)
    b, fb, _ = layers.forward(net, y)
    np.testing.assert_array_equal(a[:, -1, H:], b[:, -1, H:])
    assert np.abs(a[:, -1, :H] - b[:, -1, :H]).min() > 0          # the forward half has read everything
    assert np.abs(fa["h"][1] - fb["h"][1]).max() > 1e-3           # the backward cell's final state has too


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_gradients_match_central_differences(cell):
    """Every parameter of both layers and directions, the inputs and the initial states; the loss reads the outputs
    and the final states."""
    net = _net(cell, 2, True, seed=4)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((B, T, D))
    keys = ("h", "c") if cell == "lstm" else ("h",)
    initial = {k: rng.standard_normal((4, B, H)) for k in keys}
    w = rng.standard_normal((B, T, 2 * H))
    wf = {k: rng.standard_normal((4, B, H)) for k in keys}

    def loss():
        out, final, _ = layers.forward(net, x, initial)
        return np.sum(w * out) + sum(np.sum(wf[k] * final[k]) for k in keys)

    _, _, cache = layers.forward(net, x, initial)
    g = layers.backward(w, cache, dfinal=wf)
    arrays, grads = {"x": x}, {"x": g["x"]}
    for k in keys:
        arrays[f"initial {k}"], grads[f"initial {k}"] = initial[k], g[k]
    for layer, (params, pgrads) in enumerate(zip(net["layers"], g["layers"])):
        for direction in params:
            assert set(pgrads[direction]) == set(params[direction])
            for name in params[direction]:
                arrays[f"{layer} {direction} {name}"] = params[direction][name]
                grads[f"{layer} {direction} {name}"] = pgrads[direction][name]
    errors = gradcheck.check_gradients(loss, arrays, grads)
    assert max(errors.values()) < 1e-6, errors


def test_clear_errors():
    with pytest.raises(ValueError, match="cell must be one of"):
        layers.init_params("transformer", D, H, np.random.default_rng(0))
    with pytest.raises(ValueError, match="num_layers"):
        layers.init_params("lstm", D, H, np.random.default_rng(0), num_layers=0)
    with pytest.raises(ShapeError, match="layers.init_params"):
        layers.forward({"layers": []}, np.zeros((B, T, D)))
    with pytest.raises(ShapeError, match="x has 4 features"):
        layers.forward(_net("gru", 1, False), np.zeros((B, T, 4)))


def test_against_torch_when_it_is_installed():
    """nn.LSTM(num_layers=2, bidirectional=True): the same outputs and h_n, c_n from the same weights."""
    torch = pytest.importorskip("torch", reason="torch is not a dependency; benchmarks/lstm_speed.py installs it")
    net = _net("lstm", 2, True, seed=6)
    state = {}
    for layer, params in enumerate(net["layers"]):
        for direction, p in params.items():
            suffix = f"_l{layer}" + ("_reverse" if direction == "bwd" else "")
            for k, v in frameworks.to_pytorch(p).items():
                state[k.replace("_l0", suffix)] = torch.from_numpy(v)
    torch_net = torch.nn.LSTM(D, H, num_layers=2, bidirectional=True, batch_first=True, dtype=torch.float64)
    torch_net.load_state_dict(state)
    x = np.random.default_rng(7).standard_normal((B, T, D))
    out, final, _ = layers.forward(net, x)
    with torch.no_grad():
        y, (h_n, c_n) = torch_net(torch.from_numpy(x))
    np.testing.assert_allclose(out, y.numpy(), atol=1e-12)
    np.testing.assert_allclose(final["h"], h_n.numpy(), atol=1e-12)
    np.testing.assert_allclose(final["c"], c_n.numpy(), atol=1e-12)
    lengths = np.array([T, 2, 1][:B] + [T] * max(0, B - 3))                  # padded at the end: PyTorch's packing
    out, final, _ = layers.forward(net, x, lengths=lengths)
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.from_numpy(x), torch.from_numpy(lengths),
                                                     batch_first=True, enforce_sorted=False)
    with torch.no_grad():
        y, (h_n, c_n) = torch_net(packed)
    y, _ = torch.nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=T)
    real = np.arange(T) < lengths[:, None]                                    # PyTorch pads its outputs with 0
    np.testing.assert_allclose(out[real], y.numpy()[real], atol=1e-12)
    np.testing.assert_allclose(final["h"], h_n.numpy(), atol=1e-12)
    np.testing.assert_allclose(final["c"], c_n.numpy(), atol=1e-12)


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_a_stacked_bidirectional_sequence_model_checks_and_learns(cell):
    """SequenceModel(num_layers=2, bidirectional=True): one flat parameter dict, gradients by central differences, the
    readout reading 2H numbers; trained with Adam it lowers the loss of a short adding problem."""
    from lstm_helpers import SequenceModel, optim, tasks, train
    rng = np.random.default_rng(8)
    model = SequenceModel(cell, 2, 3, 1, rng, num_layers=2, bidirectional=True)
    weight = {"lstm": "W_c", "gru": "W_z", "rnn": "W"}[cell]
    assert model.params["W_y"].shape == (1, 6) and f"l1.bwd.{weight}" in model.params
    x, y = tasks.adding_problem(2, 4, rng)
    _, grads = model.loss_and_grads(x, y)
    assert set(grads) == set(model.params)
    errors = gradcheck.check_gradients(lambda: model.evaluate(x, y), model.params, grads)
    assert max(errors.values()) < 1e-6, errors
    model = SequenceModel(cell, 2, 8, 1, np.random.default_rng(1), num_layers=2, dtype=np.float32)
    val = tasks.adding_problem(200, 10, np.random.default_rng(9))
    before = model.evaluate(*val)
    train.train(model, lambda: tasks.adding_problem(32, 10, rng), 200, optimizer=optim.Adam(model.params, lr=0.01),
                progress=False)
    assert model.evaluate(*val) < 0.5 * before


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_a_bidirectional_many_to_one_model_reads_each_directions_final_state(cell):
    """Not out[:, -1], whose backward half has read x_T alone: the readout reads [forward h_T, backward h_1], the
    layer's final states, so every input reaches both halves; its gradients pass central differences."""
    from lstm_helpers import SequenceModel
    rng = np.random.default_rng(10)
    model = SequenceModel(cell, D, H, 2, rng, loss="xent", bidirectional=True)
    x = rng.standard_normal((3, 5, D))
    _, final, _ = layers.forward(model._net(), x)
    read = np.concatenate([final["h"][0], final["h"][1]], axis=1)                  # (B, 2H)
    np.testing.assert_allclose(model.predict(x), read @ model.params["W_y"].T + model.params["b_y"], rtol=1e-12)
    x2 = x.copy()
    x2[:, 0] += 1.0                                                                 # only x_1 changes
    assert np.abs(model._last(model.hidden_states(x2), np.full(3, 4))[:, H:] - read[:, H:]).max() > 1e-3
    y = np.array([0, 1, 1])
    _, grads = model.loss_and_grads(x, y)
    errors = gradcheck.check_gradients(lambda: model.evaluate(x, y), model.params, grads)
    assert max(errors.values()) < 1e-6, errors
    one = SequenceModel(cell, D, H, 2, np.random.default_rng(11), loss="xent", bidirectional=True)
    x1 = rng.standard_normal((2, 1, D))                                             # T = 1: both halves at step 1
    _, grads = one.loss_and_grads(x1, y[:2])
    errors = gradcheck.check_gradients(lambda: one.evaluate(x1, y[:2]), one.params, grads)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("cell", sorted(CELLS))
def test_padded_sequences_with_lengths_are_read_as_if_unpadded(cell, bidirectional):
    """Right-padded sequences with lengths: the prediction of each is the one of the sequence alone, whatever the
    padding holds (two layers, so the upper layer reads the lower one's padded outputs); gradients by central
    differences."""
    from lstm_helpers import SequenceModel
    rng = np.random.default_rng(12)
    model = SequenceModel(cell, D, H, 3, rng, loss="xent", num_layers=2, bidirectional=bidirectional)
    lengths = np.array([5, 2, 1, 4])
    x = rng.standard_normal((4, 5, D))
    x[np.arange(5) >= lengths[:, None]] = 7.0                                  # padding, far from the data
    alone = np.concatenate([model.predict(x[b:b + 1, :n]) for b, n in enumerate(lengths)])
    np.testing.assert_allclose(model.predict(x, lengths), alone, rtol=1e-10, atol=1e-12)
    assert np.abs(model.predict(x) - alone).max() > 1e-3                       # without lengths, padding is read
    y = np.array([0, 2, 1, 1])
    _, grads = model.loss_and_grads(x, y, lengths)
    errors = gradcheck.check_gradients(lambda: model.evaluate(x, y, lengths), model.params, grads)
    assert max(errors.values()) < 1e-6, errors
    single = SequenceModel(cell, D, H, 3, rng, loss="xent")                    # one layer: run_cell's lengths
    alone = np.concatenate([single.predict(x[b:b + 1, :n]) for b, n in enumerate(lengths)])
    np.testing.assert_allclose(single.predict(x, lengths), alone, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_a_mean_pooled_readout_reads_the_mean_of_the_real_steps(bidirectional):
    from lstm_helpers import SequenceModel
    rng = np.random.default_rng(14)
    model = SequenceModel("lstm", D, H, 3, rng, loss="xent", pool="mean", bidirectional=bidirectional)
    lengths = np.array([5, 2, 3])
    x = rng.standard_normal((3, 5, D))
    hs = model.hidden_states(x, lengths)
    mean = np.stack([hs[b, :n].mean(axis=0) for b, n in enumerate(lengths)])
    np.testing.assert_allclose(model.predict(x, lengths), mean @ model.params["W_y"].T + model.params["b_y"],
                               rtol=1e-12)
    y = np.array([0, 2, 1])
    for extra in ((lengths,), ()):
        _, grads = model.loss_and_grads(x, y, *extra)
        errors = gradcheck.check_gradients(lambda: model.evaluate(x, y, *extra), model.params, grads)
        assert max(errors.values()) < 1e-6, errors
    with pytest.raises(ValueError, match='pool must be "last" or "mean"'):
        SequenceModel("lstm", D, H, 3, rng, pool="mean", many_to_one=False)


def test_lengths_are_checked_and_refused_where_they_cannot_work():
    from lstm_helpers import SequenceModel, shapes
    rng = np.random.default_rng(13)
    model = SequenceModel("lstm", D, H, 2, rng, loss="xent")
    x = rng.standard_normal((2, 4, D))
    for bad in ([4, 5], [0, 2], [1.5, 2], [3]):
        with pytest.raises(shapes.ShapeError, match="lengths must be whole numbers of shape"):
            model.predict(x, np.array(bad))
    with pytest.raises(ValueError, match="many_to_one=True"):
        SequenceModel("lstm", D, H, 2, rng, many_to_one=False).predict(x, np.array([4, 2]))
    net = layers.init_params("lstm", D, H, rng)
    out, final, cache = layers.forward(net, x, lengths=np.array([4, 2]))
    np.testing.assert_array_equal(final["h"][0], out[[0, 1], [3, 1]])
    with pytest.raises(NotImplementedError, match="last real step"):
        layers.backward(np.zeros_like(out), cache, dfinal={k: np.ones_like(v) for k, v in final.items()})


def test_a_stacked_sequence_model_carries_its_state_and_names_what_it_cannot_do():
    from lstm_helpers import SequenceModel
    rng = np.random.default_rng(9)
    x = rng.standard_normal((2, 6, D))
    model = SequenceModel("lstm", D, H, 1, rng, num_layers=2, many_to_one=False, stateful=True)
    whole, _ = model.run(x)
    first, state = model.run(x[:, :3])
    rest, _ = model.run(x[:, 3:], state)
    np.testing.assert_allclose(np.concatenate([first, rest], axis=1), whole, rtol=1e-12, atol=1e-14)
    model.loss_and_grads(x[:, :3], np.zeros((2, 3, 1)))
    assert model.state["h"].shape == (2, 2, H) and model.state["c"].shape == (2, 2, H)
    with pytest.raises(ValueError, match="backward direction"):
        SequenceModel("gru", D, H, 1, rng, bidirectional=True, stateful=True)
    with pytest.raises(NotImplementedError, match="stack"):
        SequenceModel("rnn", D, H, 1, rng, num_layers=2).state_gradients(x, np.zeros((2, 1)))
