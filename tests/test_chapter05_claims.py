"""Chapter 05: what its prose says about its own run holds on that run (executed once per session)."""
import numpy as np
import pytest
from lstm_helpers import exercises as ex

CHAPTER = "05"  # the notebook the fixture `ch` runs (tests/conftest.py)


def test_hand_computation_equals_lstm_step(ch):
    assert ch.values["largest_difference"] < 1e-12


def test_the_four_corners(ch):
    c = ch.values["corners"]  # C_{t-1} = 1.5, C~ = -0.6
    assert c["1, 0"] == pytest.approx(1.5)  # keep
    assert c["0, 0"] == pytest.approx(0.0)  # forget
    assert c["0, 1"] == pytest.approx(-0.6)  # overwrite
    assert c["1, 1"] == pytest.approx(0.9)  # accumulate
    assert c["0.5, 0.5"] == pytest.approx(0.45)


def test_without_forgetting_the_cell_grows_and_tanh_saturates(ch):
    v = ch.values
    kept = np.array(v["largest_c"]["with its forget gate"])
    grown = np.array(v["largest_c"]["f = 1 (no forget gate)"])
    assert 0.70 < v["f_mean"] < 0.80  # "forget bias 1, so f ≈ 0.75"
    # "settles after a few dozen steps and stays well inside the bound"
    assert np.ptp(kept[50:]) < 0.01 * kept[50:].max()
    assert kept.max() < 0.5 / (1 - v["f_max"])
    # "keeps growing", roughly linearly
    assert grown[9] < grown[99] < grown[299] and np.all(np.diff(grown[50:]) > 0)
    assert 2 < grown[299] / grown[99] < 4.5
    # "the derivative of tanh at the cell state falls towards zero"
    assert v["smallest_slope"]["f = 1 (no forget gate)"][299] < 1e-12
    assert v["smallest_slope"]["with its forget gate"][299] > 0.1


def test_the_prediction_exercise_accepts_what_the_next_cell_computes(ch):
    assert ex.check("predict_accumulate", ch.values["c_4"])


def test_the_questions_students_ask_quote_the_chapters_numbers(ch):
    qa = " ".join(ch.source("05-qa").split())
    overwrite = ch.values["corners"]["0, 1"]  # f = 0, i = 1, C~ = -0.6
    assert f"the cell becomes $C_t = {overwrite:.2f}$, which no sigmoid candidate could write" in qa
    kept = ch.values["largest_c"]["with its forget gate"][299]  # t = 300
    grown = ch.values["largest_c"]["f = 1 (no forget gate)"][299]
    assert f"the largest $|C_t|$ at $t = 300$ is {kept:.2f} with the forget gate and {grown:.2f} with $f$ forced" in qa
    assert f"{kept:7.2f}" in ch.printed("05-10") and f"{grown:7.2f}" in ch.printed("05-10")
    sigma_1 = 1 / (1 + np.exp(-1.0))
    assert f"$f = \\sigma(1) = {sigma_1:.3f}$" in qa and f"{sigma_1 ** 100:.1e}" == "2.5e-14"
    assert "$2.5 \\times 10^{-14}$ after 100 steps" in qa
