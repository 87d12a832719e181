"""Chapter 07: what its prose says about its own run holds on that run (executed once per session).

The five-seed figures in section 2 come from benchmarks/adding_problem.py (chapter 07's settings).
"""
import re

import numpy as np
import pytest
from conftest import load_benchmark

from lstm_helpers import exercises as ex
from lstm_helpers import tasks, widgets

CHAPTER = "07"  # the notebook the fixture `ch` runs (tests/conftest.py)


def test_lstm_learns_and_rnn_stays_at_the_validation_sets_own_baseline(ch):
    v = ch.values
    own = v["own"]
    assert abs(own - tasks.ADDING_BASELINE_MSE) < 0.03
    assert v["final"]["lstm"] < 0.01 and v["final"]["lstm"] < own / 4
    assert 0.95 < v["final"]["rnn"] / own < 1.2  # "stayed near the baseline" (1.00-1.17 over five seeds)


def test_lstm_sits_at_the_baseline_for_most_of_its_run_then_drops(ch):
    v = ch.values
    steps, losses = v["curves"]["lstm"]
    left = v["left_baseline_at"]["lstm"]
    assert left is not None and left >= 0.5 * steps[-1]  # "for most of its run"
    before = [l for s, l in zip(steps, losses) if s < left]
    assert all(abs(l / v["own"] - 1) < 0.15 for l in before)  # at the baseline until then
    assert steps[-1] - left <= 300  # "then drops within a few hundred steps"
    assert v["left_baseline_at"]["rnn"] is None


def test_the_memory_unit_subtracts_at_the_markers(ch):
    u = ch.values["unit_facts"]
    assert u["r_cell_target"] > 0.9  # the cell follows the sum
    assert u["f_after"] > 0.98 and u["f_before"] < 0.8  # "the forget gate sits near 1"
    assert u["g_at_marks"] < -0.95  # "candidate pinned at about -1"
    assert u["r_i_value"] < -0.8 and u["i_small_values"] > 2 * u["i_large_values"]  # "falls as the value grows"
    assert u["i_elsewhere"] < 0.05 and u["g_elsewhere"] > 0  # "almost shut but not quite ... positive"
    assert u["others_mean"] > 0 and u["marks_mean"] < 0  # creeps up, drops at the markers
    assert u["others_spread"] < 0.5 * u["marks_spread"]  # "about the same amount in every sequence"


def test_gradient_flow_after_training(ch):
    v = ch.values
    flow = {k: np.array(n) for k, n in v["flow"].items()}
    c = flow["LSTM: dL/dC_t"]
    assert c.max() / c.min() < 10  # "stays of the same order all the way back"
    r = flow["RNN: dL/dh_t"]
    assert (r > 0).all(), "measured in float64: no gradient reads as 0"
    assert r[0] < 1e-10 * r[-1]  # "shrinks by many orders of magnitude"
    assert r[75] < 1e-3 * r[-1]  # "within a few dozen steps" (t = 76)
    s = v["rnn_state"]
    assert s["W_h_radius"] > 1  # "not chapter 02's ρ < 1"
    assert s["mean_slope"] < 0.5 and s["saturated"] > 0  # "tanh' averages well below 1 ... some states at ±1"


def test_the_hand_set_memory_and_its_two_switches(ch):
    """07-05/07-09: the sign of h_16 carries the marked value; with either switch it no longer depends on it."""
    v = ch.values
    plus, minus = v["late_output"]["1.0"], v["late_output"]["-1.0"]
    assert plus[0] > 0.3 and minus[0] < -0.3  # "the sign of the last output carries the early value"
    assert abs(plus[1] - minus[1]) < 1e-3 and abs(plus[2] - minus[2]) < 1e-3  # switches: no dependence
    assert abs(plus[2]) < 1e-3  # force i = 0: nothing is ever written
    assert "$t = 3$" in ch.source("07-03") and "$h_{16}$" in ch.source("07-07")
    f = np.array(v["stepper_f"])  # unit 0's forget gate at the 13 steps after the marker
    assert f"\\sigma(4)^{{13}} \\approx {np.prod(f):.2f}" in ch.source("07-05")


@pytest.mark.slow
def test_five_seed_figures_in_the_text_are_what_the_benchmark_measures(ch):
    """07-12 quotes benchmarks/adding_problem.py over seeds 0-4 (chapter 07's settings): rerun it (about 70 s)."""
    bench = load_benchmark("adding_problem")
    text = ch.source("07-12")
    lo, hi = map(int, re.search(r"passed 0.01 in all five, after (\d+) to (\d+) steps", text).groups())
    r_lo, r_hi = map(float, re.search(r"the RNN ended at ([\d.]+) to ([\d.]+) times the baseline", text).groups())
    val = tasks.adding_problem(500, 100, np.random.default_rng(99))
    own = val[1].var()
    for seed in range(5):
        lstm_hist = bench.run("lstm", 100, 1500, bench.LR, seed, val, bench.TARGET)
        passed, left = bench.first_below(lstm_hist, bench.TARGET), bench.first_below(lstm_hist, own / 2)
        assert passed is not None and lo - 200 <= passed <= hi + 200, (seed, passed)
        assert passed - left <= 100, (seed, left, passed)  # "at the baseline until shortly before"
        rnn_hist = bench.run("rnn", 100, 1500, bench.LR, seed, val)
        assert bench.first_below(rnn_hist, own / 2) is None
        assert r_lo - 0.05 <= rnn_hist.final_val_loss / own <= r_hi + 0.05, (seed, rnn_hist.final_val_loss / own)


def test_the_prediction_exercise_accepts_what_the_training_shows(ch):
    v = ch.values
    below = [cell for cell in ("lstm", "rnn") if v["final"][cell] < tasks.ADDING_BASELINE_MSE / 4]
    winner = {("lstm",): "LSTM", ("rnn",): "RNN", ("lstm", "rnn"): "both", (): "neither"}[tuple(below)]
    assert ex.check("predict_winner", winner)


def test_the_figure_of_the_memory_unit_shows_what_07_14_says(ch):
    """'the cell climbs slowly, drops at each marked step, and the input gate's spikes at the markers are small
    when the marked value is large' (both marked values of the plotted sequence are large)."""
    s = ch.values["first_sequence"]
    c, i, marks = np.array(s["c"]), np.array(s["i"]), s["marked"]
    for m in marks:
        assert c[m] < c[m - 1]  # drops at each marked step
        assert i[m] < 0.3  # small spikes
    assert c[-1] > c[marks[-1]] and np.mean(np.diff(np.delete(c, marks))) > 0  # climbs between the marks
    assert (np.array(ch.values["xv"])[0, marks, 0] > 0.75).all()  # the plotted marked values are large
    assert ch.values["unit_facts"]["r_i_value"] < 0  # and the input gate falls as the value grows


def test_the_stepper_question_answers_with_what_the_stepper_shows(ch):
    """07-06q: drive the stepper of 07-06 as a student would (slider to t = 3, then to t = 9) and read its readout."""
    text = " ".join(ch.source("07-06q").split())
    assert "widgets.memory_demo_params()" in ch.source("07-04")
    assert "widgets.SequenceStepper(p, widgets.memory_demo_sequence(value=1.0))" in ch.source("07-06")
    s = widgets.SequenceStepper(widgets.memory_demo_params(), widgets.memory_demo_sequence(value=1.0))

    def shown(name, t):  # unit 0's value of `name` in the readout at step t, as printed
        return re.search(rf"(?<![\w\u0303]){name}_{t} = \[\s*(-?\d+\.\d+)", s.readout.value).group(1)
    s.t.value = 3
    c3 = shown("C", 3)
    assert f"holds $C_3 = {c3}$" in text and s.last_error is None
    f = s.out.f[3:, 0]  # unit 0's forget gate at steps 4 ... 16: sigma(4) at every one
    np.testing.assert_allclose(f, 1 / (1 + np.exp(-4.0)), rtol=1e-12)
    assert f"$\\sigma(4) = {f[0]:.3f}$" in text
    s.t.value = 9
    c9, g9 = shown("C", 9), shown("C\u0303", 9)
    alone = s.out.c[2, 0] * np.prod(s.out.f[3:9, 0])  # what the forget gates alone leave of C_3 at t = 9
    assert f"{c3} \\times {f[0]:.3f}^6 = {alone:.3f}$" in text
    assert f"{float(c3) * round(f[0], 3) ** 6:.3f}" == f"{alone:.3f}"  # the rounded numbers give the same
    assert f"the readout shows $C_9 = {c9}$" in text
    assert float(c9) < alone and f"The other {alone - s.out.c[8, 0]:.3f}" in text
    assert f"$\\tilde C_9 = {g9}$" in text and float(g9) < 0
    i = s.out.i[3:9, 0]  # the input gate at the ordinary steps
    np.testing.assert_allclose(i, i[0], rtol=1e-12)
    assert f"{i[0]:.3f} \\times \\tanh(2 \\cdot \\text{{value}})" in text


def test_the_questions_arithmetic(ch):
    """07-qa: the GRU and LSTM counts for section 2's size (PyTorch's layout, two biases per block)."""
    text = " ".join(ch.source("07-qa").split())
    assert "hidden_size=16" in ch.source("07-10") and "input_size=2" in ch.source("07-10")
    D, H = 2, 16
    gru, lstm_count = 3 * (H * (H + D) + 2 * H), 4 * (H * (H + D) + 2 * H)
    assert f"$3(16 \\cdot 18 + 2 \\cdot 16) = {gru}$ parameters and `nn.LSTM` {lstm_count}" in text
    assert text.index("**What does `nn.LSTM` return?**") < text.index("**Do LSTMs still need gradient clipping?**")


def test_the_clipping_answer_quotes_chapter_02s_explorer(ch):
    """07-qa: at ρ = 1.5, 50 steps back, the LSTM's gradient through every path is about 12; the cell path 7e-7."""
    text = ch.source("07-qa")
    assert "through every path is about 12" in text and "$7 \\times 10^{-7}$" in text
    f = widgets.GradientFlowExplorer()
    f.radius.value = 1.5
    assert round(f.values["lstm_h"][50]) == 12
    assert f"{f.values['cell_path'][50]:.0e}" == "7e-07"
