"""The explorers, driven headless: assigning a slider's value fires its observers synchronously."""
import re
import warnings

import numpy as np
import pytest

from lstm_helpers import gru, lstm, rnn, widgets


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
                                  lambda: widgets.GateExplorer(lstm.init_params(2, 2, np.random.default_rng(0))),
                                  lambda: widgets.GRUExplorer(),
                                  lambda: widgets.GRUExplorer(gru.init_params(3, 2, np.random.default_rng(0))),
                                  lambda: widgets.GRUExplorer(gru.init_params(1, 1, np.random.default_rng(1),
                                                                              reset_after=True))],
                         ids=["lstm", "lstm H=2", "gru", "gru H=2 D=3", "gru pytorch"])
def test_every_slider_at_its_extremes_leaves_a_valid_display(make):
    """Each slider to its minimum and maximum in turn. Once earlier sliders sit at their extremes a gate may
    saturate, so a weight's move need not change the picture here (for the GRU, test_gru_explorer_default_sliders_each_change_the_picture
    checks that)."""
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
    for t in (1, 4, s.T):  # steps are numbered 1 ... T: step t shows h[:, t - 1]
        s.t.value = t
        assert s.last_error is None
        np.testing.assert_allclose(s.diagram.chips["c"].values, out.c[0, t - 1], rtol=1e-12)
        np.testing.assert_allclose(s.diagram.chips["f"].values, out.f[0, t - 1], rtol=1e-12)
        np.testing.assert_allclose(s.diagram.chips["c_prev"].values, out.c[0, t - 2] if t > 1 else 0.0)
        assert f"t = {t}: x_{t} = " in s.readout.value and f"C_{t} = " in s.readout.value
        images.add(s.heat_image.value)
    assert len(images) == 3  # the step marker moved
    s.force_boxes["f"].value = True  # force f = 0: the memory is lost at every step
    np.testing.assert_allclose(s.out.c, s.out.i * s.out.g, rtol=1e-12)
    assert s.diagram.forced_marks["f"].get_visible()


def test_sequence_stepper_with_an_rnn_and_errors():
    s = widgets.SequenceStepper(cell="rnn")
    h = np.zeros((1, s.H))
    for t in range(1, s.T + 1):  # the readout prints what rnn.step computes for step t, to 3 decimals
        h = rnn.step(s.params, s.x[None, t - 1], h)
        s.t.value = t
        shown = re.search(rf"h_{t} = \[([^\]]*)\]", s.readout.value).group(1)
        np.testing.assert_allclose([float(v) for v in shown.split()], h[0], atol=5e-4)
        assert f"x_{t} = [{s.x[t - 1, 0]:.3f}]" in s.readout.value.replace("[ ", "[")
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


def test_a_gates_subset_offers_and_touches_only_what_it_shows():
    """Chapter 04 shows the forget gate only, chapter 05 f, i and C~: presets and forcing stay within them."""
    start = widgets.default_gate_params()
    g = widgets.GateExplorer(gates=("f",))
    assert g.presets == [widgets.START] and list(g.force_boxes) == ["f"]
    assert g.tabs.titles == ("inputs", "f: forget", "force")
    g.sliders["b_f[0]"].value = -4.0
    g.force_boxes["f"].value = True
    assert g.preset.value is None
    g.preset.value = widgets.START
    assert g.params["b_f"][0] == 1.0 and not g.force
    for name in ("W_i", "b_i", "W_c", "b_c", "W_o", "b_o"):  # never moved: no slider, no preset, no force
        np.testing.assert_array_equal(g.params[name], start[name])
    g = widgets.GateExplorer(gates=("f", "i", "g"))
    assert g.presets == [widgets.START, "remember", "forget", "overwrite", "accumulate"]  # read out pins o
    assert list(g.force_boxes) == ["f", "i", "g"]
    for name in g.presets:
        g.preset.value = name
        assert g.last_error is None, name
        np.testing.assert_array_equal(g.params["W_o"], start["W_o"])
        np.testing.assert_array_equal(g.params["b_o"], start["b_o"])
    with pytest.raises(ValueError, match="only gates with a tab"):
        widgets.GateExplorer(gates=("f",), force={"i": 0.0})
    with pytest.raises(ValueError, match="gates must be"):
        widgets.GateExplorer(gates=("f", "z"))


def _state(g):
    """Everything a GateExplorer's picture depends on."""
    return ({k: v.copy() for k, v in g.params.items()}, dict(g.force), g.x.copy(), g.h_prev.copy(),
            g.c_prev.copy(), g.record)


def _same(a, b):
    pa, fa, *ra = a
    pb, fb, *rb = b
    assert fa == fb
    for k in pa:
        np.testing.assert_array_equal(pa[k], pb[k], err_msg=k)
    for u, v in zip(ra[:3], rb[:3]):
        np.testing.assert_array_equal(u, v)
    for u, v in zip(ra[3], rb[3]):
        np.testing.assert_array_equal(u, v)


@pytest.mark.parametrize("name", [widgets.START] + list(widgets.PRESETS))
def test_each_preset_gives_the_same_state_whatever_came_before(name):
    fresh = widgets.GateExplorer()
    fresh.preset.value = None
    fresh.preset.value = name
    want = _state(fresh)
    histories = [[], [("preset", p) for p in widgets.PRESETS], [("preset", "read out")],
                 [("slider", "b_o[0]", -3.0), ("slider", "W_f[0,1]", 2.5), ("force", "i")],
                 [("preset", name), ("slider", "b_i[0]", 4.0)], [("force", "o"), ("preset", "remember")]]
    for history in histories:
        g = widgets.GateExplorer()
        for step in history:
            if step[0] == "preset":
                g.preset.value = step[1]
            elif step[0] == "slider":
                g.sliders[step[1]].value = step[2]
            else:
                g.force_boxes[step[1]].value = True
        g.preset.value = name
        assert g.preset.value == name and g.last_error is None
        _same(_state(g), want)
        expected = lstm.step(g.preset_params(name), g.x[None], g.h_prev[None], g.c_prev[None])
        np.testing.assert_allclose(g.record.c, expected.c[0], rtol=1e-12)  # the picture is that of lstm.step
        assert g.readout.value == fresh.readout.value and g.image.value == fresh.image.value


def test_pressing_the_selected_preset_again_applies_it_again():
    g = widgets.GateExplorer()
    g.preset.value = "remember"
    remembered = _state(g)
    g.sliders["b_f[0]"].value = -5.0  # moved by hand: no button is lit any more
    assert g.preset.value is None and g.record.f[0] < 0.01
    g.preset.value = "remember"  # the same button, pressed again
    _same(_state(g), remembered)
    g.force_boxes["f"].value = True  # forcing is an edit too
    assert g.preset.value is None
    g.preset.value = "remember"
    assert not g.force and not g.force_boxes["f"].value
    g.sliders["x[0]"].value = -1.0  # the inputs are the reader's: moving one keeps the preset lit
    assert g.preset.value == "remember"


def test_start_and_reset_all_go_back_to_the_beginning():
    g = widgets.GateExplorer()
    start = _state(g)
    g.preset.value = "overwrite"
    g.sliders["W_c[0,1]"].value = -2.0
    g.sliders["c_prev[0]"].value = -2.5
    g.force_boxes["o"].value = True
    g.preset.value = widgets.START  # the starting weights; the inputs stay
    np.testing.assert_array_equal(g.params["W_c"], start[0]["W_c"])
    assert g.c_prev[0] == -2.5 and not g.force
    g.sliders["b_f[0]"].value = 3.0
    g.reset_button.click()  # everything, inputs too
    assert g.preset.value == widgets.START and g.last_error is None
    _same(_state(g), start)
    forced = widgets.GateExplorer(force={"f": 1.0})  # a forced start is part of the starting state
    forced.preset.value = "forget"
    forced.preset.value = widgets.START
    assert forced.force == {"f": 1.0}


def test_survival_frames_match_a_full_redraw():
    """The fast frame (static background + animated lines) shows what a full matplotlib redraw shows."""
    import io

    from PIL import Image
    s = widgets.ForgetSurvivalExplorer()
    s.forget_bias.value = 3.0
    fast = np.asarray(Image.open(io.BytesIO(s.image.value)).convert("RGB"), dtype=float)
    buf = io.BytesIO()
    s.figure.savefig(buf, format="png", dpi=s.figure.dpi)  # saving draws the animated artists too
    full = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), dtype=float)
    assert fast.shape == full.shape
    assert np.abs(fast - full).mean() < 1.0, np.abs(fast - full).mean()
    s.forget_bias.value = 0.0
    assert not np.array_equal(np.asarray(Image.open(io.BytesIO(s.image.value)).convert("RGB")), fast)
    with pytest.raises(ValueError, match="not animated"):
        s.frames.png(artists=(s.ax.get_xaxis(),))


def test_chapter_06_recipe_hides_a_memory():
    """Chapter 06 (06-06): read out, then b_o to -6: h_t is about 0 while C_t keeps C_{t-1}."""
    g = widgets.GateExplorer()
    g.preset.value = "read out"
    assert g.record.o[0] > 0.99 and abs(g.record.c[0] - g.c_prev[0]) < 0.01
    g.sliders["b_o[0]"].value = -6.0
    assert abs(g.record.h[0]) < 0.01 and abs(g.record.c[0] - g.c_prev[0]) < 0.01


def test_sequences_are_numbered_from_one():
    x = widgets.default_sequence()
    assert x[2, 0] == 1.0 and np.abs(np.delete(x[:, 0], 2)).max() < 0.2  # the spike is x_3
    assert widgets.default_sequence(spike_step=1)[0, 0] == 1.0
    m = widgets.memory_demo_sequence(value=-0.5, seq_len=10, marked_step=4)
    assert np.flatnonzero(m[:, 1]).tolist() == [3] and m[3, 0] == -0.5  # step 4 is row 3
    assert np.flatnonzero(widgets.memory_demo_sequence()[:, 1]).tolist() == [2]  # default: t = 3
    for bad in (0, 11):
        with pytest.raises(ValueError, match="step number"):
            widgets.memory_demo_sequence(seq_len=10, marked_step=bad)
    s = widgets.SequenceStepper(widgets.memory_demo_params(), widgets.memory_demo_sequence())
    assert (s.t.min, s.t.max, s.t.value) == (1, s.T, 1) and (s.play.min, s.play.max) == (1, s.T)
    x_t, h_prev, c_prev, rec = s.state_at(1)
    assert not h_prev.any() and not c_prev.any() and rec.c[0] == s.out.c[0, 0]  # h_0 = C_0 = 0
    x_t, h_prev, c_prev, rec = s.state_at(3)
    np.testing.assert_array_equal(x_t, [1.0, 1.0])  # the marked step: value 1, marker 1
    np.testing.assert_array_equal(c_prev, s.out.c[1])
    with pytest.raises(ValueError, match="step number"):
        s.state_at(0)


def test_stepper_heatmaps_show_the_input_and_number_the_steps_from_one():
    for s, rows in ((widgets.SequenceStepper(), 7), (widgets.SequenceStepper(cell="rnn"), 2)):
        axes = s.heat_axes
        assert len(axes) == rows and axes[0].get_ylabel() == "input $x$"
        ticks = [int(t) for t in axes[-1].get_xticks()]
        assert ticks == list(range(1, s.T + 1))
        np.testing.assert_array_equal(axes[0].images[0].get_array(), s.x.T)  # the x row is the input, (D, T)
        assert axes[-1].images[0].get_extent()[:2] == [0.5, s.T + 0.5]  # column t sits at t


def test_stepper_outline_marks_step_t():
    import io

    from PIL import Image
    s = widgets.SequenceStepper(cell="rnn")
    red = []
    for t in (1, 6, s.T):
        s.t.value = t
        img = np.asarray(Image.open(io.BytesIO(s.heat_image.value)).convert("RGB")).astype(int)
        mask = (img[:, :, 0] > 200) & (img[:, :, 1] < 40) & (img[:, :, 2] < 40)  # the red outline
        cols = np.flatnonzero(mask.any(axis=0))
        ax = s.heat_axes[-1]
        (x0, _), (x1, _) = ax.transData.transform([(t - 0.5, 0), (t + 0.5, 0)])
        assert abs(cols.min() - x0) <= 2 and abs(cols.max() - x1) <= 2, (t, cols.min(), cols.max(), x0, x1)
        red.append(cols.min())
    assert red == sorted(red)


def test_the_explorer_questions_are_answered_as_the_chapters_say():
    """The <details> answers beside the explorers in chapters 02, 04, 05 and 06."""
    f = widgets.GradientFlowExplorer()
    f.radius.value = 1.0
    rnn_50, cell_50 = f.values["rnn"][50], f.values["cell_path"][50]
    assert 1e-1 < rnn_50 < 3e-1 and 1e-7 < cell_50 < 3e-7 and 1e5 < rnn_50 / cell_50 < 1e7  # "six orders"
    f.forget_bias.value = 5.0
    assert f.values["cell_path"][50] > 0.5  # "keeps most of the gradient"
    s = widgets.ForgetSurvivalExplorer()
    s.forget_bias.value = 5.0
    assert f"{s.values['cell'][-1]:.2f}" == "0.51"
    s.forget_bias.value = 4.8
    assert f"{s.values['cell'][-1]:.2f}" == "0.44"
    g = widgets.GateExplorer(gates=("f", "i", "g"))
    for preset, follows in (("remember", True), ("accumulate", True), ("forget", False), ("overwrite", False)):
        g.preset.value = preset
        g.sliders["c_prev[0]"].value = 1.0
        c1 = g.record.c[0]
        g.sliders["c_prev[0]"].value = 2.0
        moved = g.record.c[0] - c1
        assert (abs(moved - 1) < 0.01) if follows else (abs(moved) < 0.01), (preset, moved)
    g = widgets.GateExplorer()
    g.preset.value = "read out"
    hs = []
    for c in (1.0, 3.0):
        g.sliders["c_prev[0]"].value = c
        hs.append(g.record.h[0])
    assert f"{hs[0]:.2f}" == "0.76" and f"{hs[1]:.2f}" == "0.99"


def test_gradient_check_explorer_shows_the_error_of_each_step():
    from lstm_helpers import gradcheck
    g = widgets.GradientCheckExplorer()
    assert g.last_error is None and g.record["eps"] == 1e-6  # starts at numerical_gradient's default
    np.testing.assert_allclose(np.log10(g.values["eps"]), np.arange(-12, -0.9, 0.5), atol=1e-12)
    want = gradcheck.errors_by_step(*gradcheck.lstm_example(np.random.default_rng(0)), g.values["eps"])
    np.testing.assert_array_equal(g.values["float64"], want)  # the curve is gradcheck's, not the widget's own
    images = set()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for k, eps in enumerate(g.values["eps"]):
            g.eps.value = eps
            assert g.last_error is None and g.record["eps"] == eps
            for name in ("float64", "float32"):
                assert g.record[name] == g.values[name][k]
                np.testing.assert_array_equal(g.markers[name].get_data(), [[eps], [g.values[name][k]]])
                assert f"{g.record[name]:.1e} in {name}" in g.note.get_text()
                assert f"{g.record[name]:.1e}" in g.readout.value
            assert f"ε = {eps:.1e}" in g.note.get_text()
            images.add(g.image.value)
    assert len(images) == len(g.values["eps"])  # the marker moved every time
    g.eps.value = 2e-5  # between grid points: the nearest one, in log10
    assert g.record["eps"] == g.values["eps"][np.argmin(abs(np.log10(g.values["eps"] / 2e-5)))]
    assert [t.get_text() for t in g.ax.texts] == ["round-off ∝ 1/ε", "truncation ∝ ε²", "float32: a + ε rounds back to a"]


def test_gradient_check_explorer_regimes():
    """Truncation on the right (both dtypes alike), round-off on the left, float32's floor far above float64's."""
    g = widgets.GradientCheckExplorer()
    e64, e32, eps = g.values["float64"], g.values["float32"], g.values["eps"]
    right, left = eps >= 1e-4, eps <= 1e-7
    assert 1.9 < np.polyfit(np.log10(eps[right]), np.log10(e64[right]), 1)[0] < 2.1
    assert -1.1 < np.polyfit(np.log10(eps[left]), np.log10(e64[left]), 1)[0] < -0.9
    np.testing.assert_allclose(e32[eps >= 3e-2], e64[eps >= 3e-2], rtol=0.05)
    assert e32[0] == 1.0 and g.best("float32")[1] > g.PASS > 1e4 * g.best("float64")[1]


def test_chapter_08_gradient_check_answers():
    """The numbers chapter 08 quotes from the explorer (section 4: the question beside it, and the prediction)."""
    g = widgets.GradientCheckExplorer()
    (e64, m64), (e32, m32) = g.best("float64"), g.best("float32")
    assert (f"{e64:.1e}", f"{m64:.1e}") == ("3.2e-06", "2.8e-11")
    assert (f"{e32:.1e}", f"{m32:.1e}") == ("3.2e-03", "1.3e-05")
    five = {eps: g.values["float64"][g.index(eps)] for eps in (1e-1, 1e-3, 1e-5, 1e-8, 1e-11)}
    assert min(five, key=five.get) == 1e-5  # the prediction's answer
    g.eps.value = 1e-5
    assert f"{g.record['float64']:.1e}" == "3.4e-11" and f"{g.record['float32']:.1e}" == "3.0e-03"


def test_live_loss_curve_can_draw_another_unit():
    """scale and ylabel (chapter 08: cross-entropy in nats drawn in bits per character); the default is unchanged."""
    from lstm_helpers import train
    h = train.History(steps=list(range(1, 41)), loss=list(np.linspace(4.0, 2.0, 40)), val_steps=[20, 40],
                      val_loss=[3.0, 2.5])
    plain, bits = widgets.LiveLossCurve(), widgets.LiveLossCurve(baseline=3.5, scale=1 / np.log(2),
                                                                  ylabel="bits per character", logy=False)
    for c in (plain, bits):
        c.track("LSTM")(h)
    assert plain.ax.get_ylabel() == "loss" and plain.ax.get_yscale() == "log"
    assert bits.ax.get_ylabel() == "bits per character" and bits.ax.get_yscale() == "linear"
    lines = {line.get_label(): line.get_ydata() for line in bits.ax.get_lines()}
    np.testing.assert_allclose(lines["LSTM validation"], np.array([3.0, 2.5]) / np.log(2), rtol=1e-12)
    np.testing.assert_allclose(lines["baseline 3.500"], [3.5, 3.5])  # drawn as given, in the units shown
    np.testing.assert_allclose({line.get_label(): line.get_ydata() for line in plain.ax.get_lines()}
                               ["LSTM validation"], [3.0, 2.5])
    assert h.loss[0] == 4.0 and h.val_loss == [3.0, 2.5]  # the run's history is not touched


def test_sample_explorer_shows_one_fixed_text_per_temperature():
    from lstm_helpers import SequenceModel, charlm, tasks
    vocab = tasks.Vocabulary("def f(x):\n    return x < 1 & 'a'\n")
    model = SequenceModel("lstm", vocab.size, 6, vocab.size, np.random.default_rng(1), loss="xent",
                          many_to_one=False)
    s = widgets.SampleExplorer(model, vocab, prime="def", length=30, seed=3)
    assert s.last_error is None and s.record["temperature"] == 1.0 and list(s.samples) == [1.0]
    shown, pictures = {}, {1.0: s.image.value}
    for t in (0.2, 1.5, 0.7, 1.0):
        s.temperature.value = t
        r = s.record
        assert s.last_error is None and r["temperature"] == t and len(r["text"]) == 30
        assert r["text"] == charlm.sample(model, vocab, "def", 30, t, np.random.default_rng([3, round(10 * t)]))
        assert (r["spaces"], r["lines"], r["distinct"]) == (r["text"].count(" "), r["text"].count("\n"),
                                                            len(set(r["text"])))
        assert f"τ = {t:.1f}: 30 characters written" in s.readout.value
        assert f"{r['spaces']} of them spaces (·), {r['lines']} newlines; {r['distinct']} different" in s.readout.value
        rows = s.rows(r["text"])  # the picture's rows (none reaches 80 characters here), the prime's marked
        assert "\n".join("".join(ch for ch, _ in row) for row in rows) == "def" + r["text"]
        assert [p for row in rows for _, p in row] == [True] * 3 + [False] * (30 - r["lines"])
        assert s.layers["text"].get_text() == "\n".join("".join(" " if p else ch for ch, p in row) for row in rows)
        assert s.layers["prime"].get_text().startswith("def") and set(s.layers["prime"].get_text()) <= set("def \n")
        assert s.layers["space"].get_text().count("·") == r["spaces"]
        if t != 1.0:
            assert s.image.value not in pictures.values()  # every temperature its own picture
        pictures[t], shown[t] = s.image.value, r["text"]
    assert pictures[1.0] == s.image.value  # back at the start: the same picture
    s.temperature.value = 0.2
    assert s.record["text"] == shown[0.2] and s.image.value == pictures[0.2]  # the same setting, the same text
    assert widgets.SampleExplorer(model, vocab, prime="def", length=30, seed=3, temperature=0.7).record["text"] \
        == shown[0.7]  # and so does a fresh explorer
    s.temperature.value = 0.44  # between stops: the nearest one
    assert s.record["temperature"] == 0.4
    assert sorted(s.samples) == [0.2, 0.4, 0.7, 1.0, 1.5] and len(s.TEMPERATURES) == 14
    assert [len(row) for row in s.rows("x" * 170 + "\nab")] == [80, 80, 13, 2]  # long lines wrap at 80


def test_sample_explorer_works_with_no_arguments():
    s = widgets.SampleExplorer()
    assert s.last_error is None and s.vocab.size == 96 and len(s.record["text"]) == 240



# GRUExplorer: one GRU step, Cho's form or PyTorch's
PYTORCH = "PyTorch (reset after)"


def _gru_expected(q, x, h, force=None):
    """The readout's rows as gru.step gives them, in the explorer's order."""
    r = gru.step(q, x, h, force=force)
    one = gru.GRURecord(*(a[0] for a in r))
    rows = [x[0], h[0], one.z, one.r] + ([] if gru.resets_after(q) else [one.r * h[0]])
    return one, rows + [one.n, one.z * h[0], (1 - one.z) * one.n, one.h]


@pytest.mark.parametrize("pytorch", [False, True], ids=["cho", "pytorch"])
def test_gru_explorer_shows_the_numbers_gru_step_computes(pytorch):
    g = widgets.GRUExplorer()
    assert g.last_error is None and g.image.value[:4] == b"\x89PNG" and not g.reset_after
    if pytorch:
        g.form.value = PYTORCH
    for key, value in (("x[0]", -1.3), ("h_prev[0]", 0.7), ("W_z[0,1]", 2.2), ("b_n[0]", -0.4),
                       ("W_n[0,0]", -1.1), ("b_hn[0]", 0.9)):
        g.sliders[key].value = value
    q = widgets.default_gru_params(reset_after=pytorch)
    q["W_z"][0, 1], q["b_n"][0], q["W_n"][0, 0] = 2.2, -0.4, -1.1
    if pytorch:
        q["b_hn"][0] = 0.9
    one, expected = _gru_expected(q, np.array([[-1.3]]), np.array([[0.7]]))
    shown = readout_numbers(g.readout.value)
    assert len(shown) == len(expected)
    for s_, e in zip(shown, expected):
        np.testing.assert_allclose(s_, e, atol=5e-5)  # printed to 4 decimals
    for name in "zrnh":  # the record and the diagram carry gru.step's numbers exactly
        np.testing.assert_array_equal(getattr(g.record, name), getattr(one, name))
        np.testing.assert_array_equal(g.cell.chips[name].values, getattr(one, name))
    assert g.cell.reset_after is pytorch and ("W_nh" in g.readout.value) is pytorch
    assert g.sliders["b_hn[0]"].disabled is not pytorch


def test_gru_explorer_forms_differ_through_b_hn_with_one_unit():
    """W_nh (r h) = r (W_nh h) for one unit: the forms differ by r b_hn, and the picture changes with the form."""
    g = widgets.GRUExplorer()
    cho, cho_png = g.record, g.image.value
    g.form.value = PYTORCH
    assert g.image.value != cho_png and abs(g.record.n[0] - cho.n[0]) > 0.1
    g.sliders["b_hn[0]"].value = 0.0
    np.testing.assert_allclose(g.record.n, cho.n, rtol=1e-12)


def test_gru_explorer_default_sliders_each_change_the_picture():
    """From the default demo, every slider moved a little changes the picture (b_hn once PyTorch's form is on)."""
    g = widgets.GRUExplorer()
    g.form.value = PYTORCH
    for key, s in g.sliders.items():
        before = g.image.value
        s.value = s.value + (0.3 if s.value + 0.3 <= s.max else -0.3)
        assert g.image.value != before, key


def test_gru_explorer_presets_forcing_and_reset_all():
    g = widgets.GRUExplorer()
    assert g.presets == [widgets.START] + list(widgets.GRU_PRESETS)
    start = g.record
    g.preset.value = "keep"
    assert g.record.z[0] > 0.99 and abs(g.record.h[0] - g.h_prev[0]) < 0.01
    g.preset.value = "replace"
    assert g.record.z[0] < 0.01 and abs(g.record.h[0] - g.record.n[0]) < 0.01
    g.preset.value = "forget h"  # nothing of h_{t-1}: the candidate reads only x
    q = widgets.default_gru_params()
    np.testing.assert_allclose(g.record.n, np.tanh(q["W_n"][0, 1] * g.x + q["b_n"]), atol=0.01)
    g.force_boxes["z"].value = True
    g.force_values["z"].value = 1.0
    assert g.preset.value is None  # forcing is an edit
    np.testing.assert_allclose(g.record.h, g.h_prev, rtol=1e-12)  # z = 1: h_t = h_{t-1}
    assert "(forced)" in g.readout.value and g.cell.forced_marks["z"].get_visible()
    g.force_boxes["r"].value = True
    g.force_values["r"].value = 0.0
    want = gru.step(g.step_params(), g.x[None], g.h_prev[None], force={"z": 1.0, "r": 0.0})
    np.testing.assert_array_equal(g.record.n, want.n[0])
    g.form.value = PYTORCH
    g.sliders["x[0]"].value = -1.0
    g.reset()
    assert g.preset.value == widgets.START and not g.force and not g.reset_after and g.x[0] == 0.8
    for name in "zrnh":
        np.testing.assert_array_equal(getattr(g.record, name), getattr(start, name))
    assert list(widgets.GRUExplorer(gates=("z",)).force_boxes) == ["z"]
    assert widgets.GRUExplorer(gates=("n",)).presets == [widgets.START]


def test_gru_explorer_rejects_what_it_cannot_draw_and_shows_callback_errors():
    with pytest.raises(ValueError, match="H <= 2"):
        widgets.GRUExplorer(gru.init_params(1, 3, np.random.default_rng(0)))
    with pytest.raises(ValueError, match="x must have 1 entries"):
        widgets.GRUExplorer(x=[1.0, 2.0])
    with pytest.raises(ValueError, match="only z and r"):
        widgets.GRUExplorer(force={"n": 0.0})
    with pytest.raises(ValueError, match="gates must be"):
        widgets.GRUExplorer(gates=("z", "f"))
    g = widgets.GRUExplorer()
    g.params["W_z"] = np.zeros((2, 2))  # break it: the next update fails
    g.sliders["x[0]"].value = 0.3
    assert isinstance(g.last_error, Exception) and "expected" in str(g.last_error)
    assert g.errors.outputs and "expected" in g.errors.outputs[0]["text"]


def _padding_explorer():
    from lstm_helpers import SequenceModel, tasks
    alphabet = "abcdefgh"
    rng = np.random.default_rng(0)
    models = {"lengths": (SequenceModel("lstm", 8, 5, 3, rng, loss="xent"), True),
              "to the end": (SequenceModel("lstm", 8, 5, 3, rng, loss="xent"), False)}
    return widgets.PaddingExplorer(models, lambda ws, T: tasks.encode_words(ws, alphabet, T), ["bead", "fac"],
                                   ["x", "y", "z"], max_padding=12)


def test_padding_explorer_shows_the_models_probabilities_and_padding_moves_only_the_one_that_reads_it():
    from lstm_helpers import charlm, tasks
    g = _padding_explorer()
    first = g.probabilities()
    for label, (model, reads_lengths) in g.models.items():
        x, lengths = tasks.encode_words(["bead"], "abcdefgh", 4)
        want = charlm.temperature_probs(model.predict(x, lengths) if reads_lengths else model.predict(x), 1.0)[0]
        np.testing.assert_allclose(first[label], want, rtol=1e-12)
        np.testing.assert_allclose([b.get_height() for b in g.bars[label]], want, rtol=1e-12)
    before = g.image.value
    g.padding.value = 9
    after = g.probabilities()
    assert g.image.value != before and g.last_error is None
    np.testing.assert_array_equal(after["lengths"], first["lengths"])          # never reads the padding
    assert np.abs(after["to the end"] - first["to the end"]).max() > 1e-3      # reads it
    assert "followed by 9 padding steps" in g.title.get_text()
    g.word.value = "fac"
    assert g.last_error is None and "'fac' (3 letters)" in g.title.get_text()
    with pytest.raises(ValueError, match="1 to 4 classifiers"):
        widgets.PaddingExplorer({}, None, ["a"], ["x"])
