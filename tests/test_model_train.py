import numpy as np
import pytest

from lstm_helpers import SequenceModel, ShapeError, gradcheck, losses, optim, tasks, train


def test_losses_and_their_gradients():
    rng = np.random.default_rng(0)
    pred, target = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    loss, d = losses.mse(pred, target)
    assert loss == pytest.approx(np.mean((pred - target) ** 2))
    np.testing.assert_allclose(d, gradcheck.numerical_gradient(lambda: losses.mse(pred, target)[0], pred),
                               atol=1e-8)
    logits, labels = rng.standard_normal((2, 5, 7)), rng.integers(0, 7, (2, 5))
    loss, d = losses.softmax_cross_entropy(logits, labels)
    p = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    assert loss == pytest.approx(-np.mean(np.log(np.take_along_axis(p, labels[..., None], -1))))
    np.testing.assert_allclose(
        d, gradcheck.numerical_gradient(lambda: losses.softmax_cross_entropy(logits, labels)[0], logits), atol=1e-8)
    big = np.array([[1000.0, -1000.0]])
    with np.errstate(all="raise"):
        assert losses.softmax_cross_entropy(big, np.array([0]))[0] == pytest.approx(0.0)
    with pytest.raises(ValueError, match=r"\[0, 7\)"):
        losses.softmax_cross_entropy(logits, labels + 7)


@pytest.mark.parametrize("cell,many_to_one,loss", [("lstm", True, "mse"), ("rnn", True, "mse"),
                                                   ("lstm", False, "xent"), ("rnn", False, "xent")])
def test_model_gradients_match_central_differences(cell, many_to_one, loss):
    rng = np.random.default_rng(2)
    model = SequenceModel(cell, 3, 4, 5 if loss == "xent" else 2, rng, loss=loss, many_to_one=many_to_one)
    x = rng.standard_normal((2, 5, 3))
    if loss == "xent":
        y = rng.integers(0, 5, (2, 5))
    else:
        y = rng.standard_normal((2, 2))
    _, grads = model.loss_and_grads(x, y)
    assert set(grads) == set(model.params)
    errors = gradcheck.check_gradients(lambda: model.evaluate(x, y), model.params, grads)
    assert max(errors.values()) < 1e-6, errors


def test_model_names_bad_targets():
    model = SequenceModel("lstm", 2, 3, 1, np.random.default_rng(0))
    with pytest.raises(ShapeError, match="targets"):
        model.loss_and_grads(np.zeros((4, 5, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="cell"):
        SequenceModel("transformer", 2, 3, 1, np.random.default_rng(0))


def test_train_records_history_and_stops_at_target():
    rng = np.random.default_rng(0)
    model = SequenceModel("rnn", 2, 4, 1, rng)
    val = tasks.adding_problem(50, 5, rng)
    calls = []
    hist = train.train(model, lambda: tasks.adding_problem(8, 5, rng), 30, val=val, eval_every=10,
                       progress=False, callback=lambda h: calls.append(len(h.val_loss)))
    assert hist.steps == list(range(1, 31)) and len(hist.loss) == 30 and len(hist.grad_norm) == 30
    assert hist.val_steps == [10, 20, 30] and calls == [1, 2, 3] and hist.seconds > 0
    hist = train.train(model, lambda: tasks.adding_problem(8, 5, rng), 100, val=val, eval_every=10,
                       progress=False, target=10.0)
    assert hist.steps[-1] == 10  # stopped at the first validation below the target


def test_train_shows_a_progress_bar(capsys):
    rng = np.random.default_rng(0)
    model = SequenceModel("rnn", 2, 3, 1, rng)
    train.train(model, lambda: tasks.adding_problem(4, 5, rng), 20, progress=True)
    assert "20/20" in capsys.readouterr().err


def test_train_reports_divergence_clearly():
    rng = np.random.default_rng(0)
    model = SequenceModel("rnn", 2, 3, 1, rng)
    with pytest.raises(FloatingPointError, match="diverged"):
        train.train(model, lambda: (np.zeros((2, 3, 2)), np.full((2, 1), np.inf)), 5, progress=False)


@pytest.mark.slow
def test_lstm_learns_the_adding_problem_short_version():
    """The T = 100 run (LSTM learns, RNN does not) is benchmarks/adding_problem.py; this is T = 20."""
    rng = np.random.default_rng(1)
    model = SequenceModel("lstm", 2, 16, 1, rng, dtype=np.float32)
    val = tasks.adding_problem(500, 20, np.random.default_rng(99))
    hist = train.train(model, lambda: tasks.adding_problem(32, 20, rng), 1500,
                       optimizer=optim.Adam(model.params, lr=0.02), val=val, eval_every=100,
                       progress=False, target=0.01)
    assert hist.final_val_loss < 0.01 < tasks.ADDING_BASELINE_MSE
    assert hist.val_loss[0] > 0.1  # it started at the baseline and learned


def test_loss_curve_plot():
    from matplotlib.figure import Figure
    hist = train.History(steps=[1, 2, 3], loss=[0.3, 0.2, 0.1], val_steps=[3], val_loss=[0.15])
    ax = hist.plot(baseline=tasks.ADDING_BASELINE_MSE, label="LSTM")
    assert isinstance(ax.figure, Figure)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["LSTM training", "LSTM validation", "baseline 0.167"]


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
def test_state_gradients(cell):
    rng = np.random.default_rng(4)
    model = SequenceModel(cell, 2, 3, 1, rng)
    x, y = tasks.adding_problem(5, 7, rng)
    g = model.state_gradients(x, y)
    assert sorted(g) == (["c", "h"] if cell == "lstm" else ["h"])
    assert all(v.shape == (5, 7, 3) for v in g.values())
    pred = model.predict(x)
    np.testing.assert_allclose(g["h"][:, -1], 2 * (pred - y) / 5 @ model.params["W_y"])  # MSE read at step T
    # one step earlier: L as a function of h_{T-2} (C_{T-2} held), by central differences
    from lstm_helpers import lstm, rnn
    out, _ = (lstm if cell == "lstm" else rnn).forward(model.cell_params, x)
    h_prev = (out.h if cell == "lstm" else out)[:, -2].copy()

    def loss_from_h_prev():
        if cell == "lstm":
            h = lstm.step(model.cell_params, x[:, -1], h_prev, out.c[:, -2]).h
        else:
            h = rnn.step(model.cell_params, x[:, -1], h_prev)
        return losses.mse(h @ model.params["W_y"].T + model.params["b_y"], y)[0]
    np.testing.assert_allclose(g["h"][:, -2], gradcheck.numerical_gradient(loss_from_h_prev, h_prev),
                               rtol=1e-5, atol=1e-9)
    loss, grads = model.loss_and_grads(x, y)
    assert "h" not in grads and "c" not in grads and np.isfinite(loss)


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
def test_truncate_backpropagates_through_the_last_k_steps_only(cell):
    rng = np.random.default_rng(3)
    m = SequenceModel(cell, 2, 4, 1, rng, truncate=3)
    x, y = rng.standard_normal((5, 8, 2)), rng.standard_normal((5, 1))
    loss, grads = m.loss_and_grads(x, y)
    full = SequenceModel(cell, 2, 4, 1, np.random.default_rng(3))
    assert abs(full.evaluate(x, y) - loss) < 1e-12                      # the forward still reads all 8 steps
    start = tuple(v.copy() for v in m.run(x[:, :5])[1])                  # the state after step 5, held fixed

    def tail_loss():
        return losses.mse(m.run(x[:, 5:], start)[0][:, -1], y)[0]

    errors = gradcheck.check_gradients(tail_loss, m.params, grads)
    assert max(errors.values()) < 1e-7, errors
    _, full_grads = full.loss_and_grads(x, y)
    assert not np.allclose(full_grads["b" if cell == "rnn" else "b_f"], grads["b" if cell == "rnn" else "b_f"])
    for bad in ({"truncate": 0}, {"truncate": 2.5}, {"truncate": 3, "many_to_one": False}):
        with pytest.raises(ValueError, match="truncate must be a positive whole number"):
            SequenceModel(cell, 2, 4, 1, rng, **bad)
