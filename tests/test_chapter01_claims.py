"""Chapter 01: what its prose says about its own run holds on that run (executed once per session)."""
import html
import re

import numpy as np
import pytest

from lstm_helpers import widgets
from lstm_helpers import exercises as ex

CHAPTER = "01"  # the notebook the fixture `ch` runs (tests/conftest.py)


def test_the_step_and_the_split_match_the_package(ch):
    assert ch.values["diff_step"] < 1e-12  # 'checked against the package's rnn.step'
    assert ch.values["diff_split"] < 1e-12  # W·[h; x] = W_h h + W_x x


def test_the_loop_by_hand_is_the_packages_forward(ch):
    v = ch.values
    by_hand, package = np.array(v["hs_by_hand"]), np.array(v["hs_package"])[0]
    assert by_hand.shape == (12, 2) and v["diff_forward"] < 1e-12
    np.testing.assert_allclose(by_hand, package, rtol=0, atol=1e-12)
    lines = [line for line in ch.printed("01-11a").splitlines() if line.startswith("t =")]
    assert [int(line.split()[2]) for line in lines] == list(range(1, 13))  # steps numbered 1 ... T


def test_the_sequence_has_one_spike_at_t_3(ch):
    x = np.array(ch.values["x_seq"])[:, 0]
    assert x[3 - 1] == 1.0 and np.abs(np.delete(x, 3 - 1)).max() < 0.2
    assert "$x_3 = 1$" in ch.source("01-11")


def test_the_stepper_shows_the_same_network(ch):
    """The stepper in the chapter and the static picture (the default RNN stepper) run q2 on x_seq."""
    s = widgets.SequenceStepper(cell="rnn")
    np.testing.assert_array_equal(s.params["W"], ch.values["q2"]["W"])
    np.testing.assert_array_equal(s.x, ch.values["x_seq"])
    assert "widgets.SequenceStepper(q2, x_seq, cell=\"rnn\")" in ch.cell("01-12").source


def test_w_h_has_eigenvalues_plus_and_minus_0_9_and_shrinks_by_0_9(ch):
    v = ch.values
    np.testing.assert_allclose(v["eigenvalues"], [0.9, -0.9], atol=1e-12)
    np.testing.assert_allclose(v["singular_values"], [0.9, 0.9], atol=1e-12)


def test_unit_1_changes_sign_every_step_and_unit_0_stays_positive(ch):
    h = np.array(ch.values["hs_by_hand"])
    h3 = h[3 - 1]
    assert f"$h_3 = ({h3[0]:.2f}, {h3[1]:.2f})$" in ch.source("01-12a")  # 'drives the state to (0.43, 0.45)'
    after = h[3 - 1:]  # t = 3 ... 12
    assert (np.sign(after[1:, 1]) == -np.sign(after[:-1, 1])).all()  # red, blue, red, blue
    assert (after[:, 0] > 0).all()
    eigvecs = np.linalg.eig(np.array(ch.values["q2"]["W"])[:, :2])
    flip = eigvecs.eigenvectors[:, np.argmin(eigvecs.eigenvalues.real)]
    assert abs(flip[1]) > abs(flip[0])  # 'the second direction lies mostly along unit 1'


def test_the_trace_flips_in_unit_1_and_shrinks_to_30_percent(ch):
    v = ch.values
    trace, size = np.array(v["trace"]), np.array(v["trace_size"])
    assert not trace[:2].any()  # nothing before the spike
    after = trace[3 - 1:]
    assert (np.sign(after[1:, 1]) == -np.sign(after[:-1, 1])).all() and (after[:, 0] > 0).all()
    assert (np.diff(size[3 - 1:]) < 0).all()  # 'it shrinks', step after step
    ratios = size[3:] / size[2:-1]
    assert (ratios <= 0.9 + 1e-12).all()  # at most 0.9 a step: W_h shrinks by 0.9, tanh's slope is at most 1
    assert v["kept"] == pytest.approx(size[12 - 1] / size[3 - 1])
    assert round(100 * v["kept"]) == 30 and "30 % of it is left" in ch.source("01-12c")
    assert v["kept"] < 0.9 ** 9 and f"{0.9 ** 9:.0%}".replace("%", "") + "\\,\\%" in ch.cell("01-12c").source


def test_parameter_count(ch):
    v = ch.values
    D, H = v["D"], v["H"]
    assert v["count"] == H * (H + D) + H == 32
    assert "would need 160" in ch.printed("01-14") and "would need 16000" in ch.printed("01-14")


def test_the_prediction_exercise_accepts_what_the_next_cell_computes(ch):
    assert ex.check("predict_h_shape", tuple(ch.values["h_shape"]))


def test_the_explorer_question_reads_what_the_stepper_shows(ch):
    """01-12q: drive the stepper as a student does (drag `step t`) and read the line under the pictures."""
    q2 = {k: np.array(v) for k, v in ch.values["q2"].items()}
    s = widgets.SequenceStepper(q2, np.array(ch.values["x_seq"]), cell="rnn")
    text = ch.cell("01-12q").source
    shown = {}
    for t in range(1, s.T + 1):
        s.t.value = t
        shown[t] = re.search(rf"h_{t} = \[[^\]]*\]", html.unescape(s.readout.value)).group(0)
    for t in (3, 4, 9):
        assert f"`{shown[t]}`" in text, shown[t]
    h = s.out  # (T, H), the states the readout prints
    assert (h[3 - 1] > 0).all()  # 'has just made both hidden units positive'
    assert h[4 - 1, 0] > 0 > h[4 - 1, 1]  # 'unit 0 is still positive, unit 1 has turned negative'
    assert (h[9 - 1] > 0).all()  # 'both are positive again'
    after = np.arange(3, s.T + 1)
    assert all((h[t - 1, 1] > 0) == (t % 2 == 1) for t in after)  # 'positive at odd t, negative at even t'
    assert (h[after - 1, 0] > 0).all()  # 'unit 0 stays positive'
    assert "<details><summary>Answer</summary>" in text and text.rstrip().endswith("</details>")


def test_the_questions_students_ask_quote_the_chapter(ch):
    v = ch.values
    text = ch.source("01-qa")
    # pure arithmetic: H(H + D) + H, and PyTorch's second bias
    assert 10 * (10 + 1) + 10 == 120 and 10 * 11 == 110 and 10 * 10 == 100 and 50 * 51 + 50 == 2600
    assert "have 120 parameters" in text and "10 × 11 = 110 entries" in text and "50 × 51 + 50 = 2600" in text
    assert 10 * (10 + 1) + 2 * 10 == 130 and "`nn.RNN(1, 10)` has 130" in text
    # from the run of section 6 and section 5
    assert v["count"] == 32 and "32 parameters for T = 5 and for T = 500" in text
    assert "would need 160" in ch.printed("01-14") and "prints 160 for T = 5 instead of 32" in text
    assert np.array(v["q2"]["W"]).shape[0] == 2 and len(v["x_seq"]) == 12
    assert "H = 2 units and reads T = 12 steps" in text
