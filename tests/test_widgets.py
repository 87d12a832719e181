"""The explorers, driven headless: assigning a slider's value fires its observers synchronously."""
import re
import warnings

import numpy as np
import pytest

from lstm_helpers import lstm, rnn, widgets


def readout_numbers(html):
    return [np.array([float(v) for v in cell.split()]) for cell in
            re.findall(r"font-family:monospace'>([^<]*)</td>", html)]


def test_gate_explorer_shows_the_numbers_lstm_step_computes():
    g = widgets.GateExplorer()
    assert g.last_error is None and g.image.value[:4] == b"\x89PNG"
    for key, value in (("x[0]", -1.3), ("W_f[0,1]", 2.2), ("b_o[0]", -0.7), ("c_prev[0]", 2.5)):
        g.sliders[key].value = value
    p = widgets.default_gate_params()
    p["W_f"][0, 1], p["b_o"][0] = 2.2, -0.7
    want = lstm.step(p, [[-1.3]], [[0.2]], [[2.5]])
    shown = readout_numbers(g.readout.value)
    expected = [[-1.3], [0.2], [2.5], want.f[0], want.i[0], want.g[0], want.o[0], want.c[0], want.h[0]]
    for s, e in zip(shown, expected):
        np.testing.assert_allclose(s, e, atol=5e-5)  # printed to 4 decimals
    for name in "figoch":  # the diagram carries the same numbers
        np.testing.assert_allclose(g.cell.chips[name].values, getattr(want, name)[0], rtol=1e-12)


@pytest.mark.parametrize("make", [lambda: widgets.GateExplorer(),
                                  lambda: widgets.GateExplorer(lstm.init_params(2, 2, np.random.default_rng(0)))])
def test_every_slider_at_its_extremes_leaves_a_valid_display(make):
    g = make()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow or any other warning fails the test
        for key, s in g.sliders.items():
            before = g.image.value
            for v in (s.min, s.max):
                s.value = v
                assert g.last_error is None, (key, g.last_error)
                assert all(np.isfinite(a).all() for a in g.record)
            assert g.image.value != before or key.startswith(("W_", "b_")), key
    assert "nan" not in g.readout.value.lower()


def test_presets_and_forcing():
    g = widgets.GateExplorer()
    g.preset.value = "remember"
    assert g.record.f[0] > 0.99 and g.record.i[0] < 0.01
    g.preset.value = "overwrite"
    assert g.record.f[0] < 0.01 and g.record.i[0] > 0.99
    g.force_boxes["f"].value = True
    g.force_values["f"].value = 1.0
    g.force_boxes["i"].value = True
    g.force_values["i"].value = 0.0
    np.testing.assert_allclose(g.record.c, g.c_prev)  # f = 1, i = 0: the cell keeps C_{t-1} exactly
    assert "(forced)" in g.readout.value and g.cell.forced_marks["f"].get_visible()


def test_gate_explorer_rejects_what_it_cannot_draw():
    with pytest.raises(ValueError, match="H <= 2"):
        widgets.GateExplorer(lstm.init_params(1, 3, np.random.default_rng(0)))
    with pytest.raises(ValueError, match="x must have 1 entries"):
        widgets.GateExplorer(x=[1.0, 2.0])


def test_sequence_stepper_steps_through_the_run():
    s = widgets.SequenceStepper()
    assert s.last_error is None
    out, _ = lstm.forward(widgets.default_sequence_params(), widgets.default_sequence()[None])
    images = set()
    for t in (0, 3, s.T - 1):
        s.t.value = t
        assert s.last_error is None
        np.testing.assert_allclose(s.diagram.chips["c"].values, out.c[0, t], rtol=1e-12)
        np.testing.assert_allclose(s.diagram.chips["f"].values, out.f[0, t], rtol=1e-12)
        images.add(s.heat_image.value)
    assert len(images) == 3  # the step marker moved
    s.force_boxes["f"].value = True  # force f = 0: the memory is lost at every step
    np.testing.assert_allclose(s.out.c, s.out.i * s.out.g, rtol=1e-12)
    assert s.diagram.forced_marks["f"].get_visible()


def test_sequence_stepper_with_an_rnn_and_errors():
    s = widgets.SequenceStepper(cell="rnn")
    h = np.zeros((1, s.H))
    for t in range(s.T):  # the readout prints what rnn.step computes, to 3 decimals
        h = rnn.step(s.params, s.x[None, t], h)
        s.t.value = t
        shown = re.search(r"h=\[([^\]]*)\]", s.readout.value).group(1)
        np.testing.assert_allclose([float(v) for v in shown.split()], h[0], atol=5e-4)
    assert s.last_error is None
    with pytest.raises(ValueError, match=r"\(T, 1\)"):
        widgets.SequenceStepper(x=np.zeros((5, 3)))


def test_gradient_flow_explorer_regimes_and_extremes():
    g = widgets.GradientFlowExplorer(hidden_size=8, seq_len=40)
    g.radius.value = 0.6
    assert g.values["rnn"][30] < 1e-4 and "must vanish" in g.note.get_text()
    g.radius.value = 1.4
    assert g.values["rnn"][30] > 1 and "can explode" in g.note.get_text()
    np.testing.assert_allclose(g.values["bound"], 1.4 ** np.arange(40))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for s in (g.radius, g.forget_bias):
            for v in (s.min, s.max):
                before = g.image.value
                s.value = v
                assert g.last_error is None and g.image.value != before
                assert all(np.isfinite(a).all() for a in g.values.values())
    g.forget_bias.value = 6.0
    high = g.values["cell_path"][30]
    g.forget_bias.value = -2.0
    assert g.values["cell_path"][30] < high  # a forget gate near 1 keeps the cell path open
    # the cell path is the product of the forget gates of the explorer's own LSTM
    g.radius.value, g.forget_bias.value = 1.0, 1.0
    p = {**g._lstm, "b_f": np.full(8, 1.0)}
    out, _ = lstm.forward(p, g.x[None])
    assert g.values["cell_path"][5] == pytest.approx(np.prod(out.f[0, -5:], axis=0).max())
    assert g.values["f_mean"] == pytest.approx(out.f.mean())
    # the table shows the explorer's own numbers, every curve
    for key in ("rnn", "lstm_h", "lstm_c", "cell_path"):
        assert f"{g.values[key][10]:.2e}" in g.table.value


def test_callback_errors_are_shown_not_swallowed():
    g = widgets.GateExplorer()
    g.params["W_f"] = np.zeros((2, 2))  # break it: the next update fails
    g.sliders["x[0]"].value = 0.3
    assert isinstance(g.last_error, Exception)
    assert "expected" in str(g.last_error)  # the package's own message names the shapes
    assert g.errors.outputs and "expected" in g.errors.outputs[0]["text"]


def test_gate_demo_and_live_loss_curve():
    d = widgets.GateDemo(signal=[2.0, -1.0])
    for v in (0.0, 0.25, 1.0):
        before = d.image.value
        d.gate.value = v
        assert d.last_error is None and d.image.value != before
        np.testing.assert_allclose(d.diagram.chips["out"].values, [2.0 * v, -1.0 * v])
    from lstm_helpers import SequenceModel, tasks, train
    curve = widgets.LiveLossCurve(baseline=tasks.ADDING_BASELINE_MSE)
    empty = curve.value
    rng = np.random.default_rng(0)
    model = SequenceModel("rnn", 2, 4, 1, rng)
    train.train(model, lambda: tasks.adding_problem(8, 5, rng), 20, val=tasks.adding_problem(20, 5, rng),
                eval_every=10, progress=False, callback=curve.track("RNN"))
    assert list(curve.histories) == ["RNN"] and curve.value != empty


def test_forget_survival_explorer_follows_the_bias():
    s = widgets.ForgetSurvivalExplorer(hidden_size=4, seq_len=50)
    left = {}
    for b in (s.forget_bias.min, 1.0, 3.0, s.forget_bias.max):
        before = s.image.value
        s.forget_bias.value = b
        assert s.last_error is None and s.image.value != before
        assert np.all(np.isfinite(s.values["cell"]))
        left[b] = s.values["cell"][-1]
    assert left[s.forget_bias.min] < left[1.0] < left[3.0] < left[s.forget_bias.max]
    np.testing.assert_allclose(s.values["bias"], (1 / (1 + np.exp(-6.0))) ** np.arange(1, 51))


def test_presets_work_when_only_some_gates_have_tabs():
    g = widgets.GateExplorer(gates=("f",))
    g.preset.value = "remember"
    assert g.last_error is None and g.record.f[0] > 0.99 and g.record.i[0] < 0.01
    g.preset.value = "read out"
    assert g.last_error is None and g.record.o[0] > 0.99
    g = widgets.GateExplorer(gates=("f", "i", "g"))
    for name in widgets.PRESETS:
        g.preset.value = name
        assert g.last_error is None, name


def test_survival_frames_match_a_full_redraw():
    """The fast frame (static background + animated lines) shows what a full matplotlib redraw shows."""
    import io

    from PIL import Image
    s = widgets.ForgetSurvivalExplorer()
    s.forget_bias.value = 3.0
    fast = np.asarray(Image.open(io.BytesIO(s.image.value)).convert("RGB"), dtype=float)
    buf = io.BytesIO()
    s.figure.savefig(buf, format="png", dpi=80)  # saving draws the animated artists too
    full = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), dtype=float)
    assert fast.shape == full.shape
    assert np.abs(fast - full).mean() < 1.0, np.abs(fast - full).mean()
    s.forget_bias.value = 0.0
    assert not np.array_equal(np.asarray(Image.open(io.BytesIO(s.image.value)).convert("RGB")), fast)
    with pytest.raises(ValueError, match="not animated"):
        s.frames.png(artists=(s.ax.get_xaxis(),))


def test_chapter_06_recipe_hides_a_memory():
    """Chapter 06: remember, then read out, then b_o to -6: h_t is about 0 while C_t keeps C_{t-1}."""
    g = widgets.GateExplorer()
    g.preset.value = "remember"
    g.preset.value = "read out"
    assert g.record.o[0] > 0.99 and abs(g.record.c[0] - g.c_prev[0]) < 0.01
    g.sliders["b_o[0]"].value = -6.0
    assert abs(g.record.h[0]) < 0.01 and abs(g.record.c[0] - g.c_prev[0]) < 0.01
