"""Chapter 06: what its prose says about its own run holds on that run (executed once per session)."""
from lstm_helpers import exercises as ex

CHAPTER = "06"  # the notebook the fixture `ch` runs (tests/conftest.py)


def test_h_stays_bounded_while_c_grows(ch):
    assert ch.values["largest_c"] > 50 and ch.values["largest_h"] < 1  # "|h_t| < 1 always, however large"


def test_six_lines_equal_lstm_step(ch):
    d = ch.values["differences"]
    assert set(d) == {"f", "i", "C̃", "o", "C", "h"} and max(d.values()) < 1e-12


def test_parameter_counts(ch):
    for key, (formula, ours, theirs) in ch.values["counts"].items():
        D, H = map(int, key.split(", "))
        assert formula == ours == 4 * (H * (H + D) + H)  # "4(H(H + D) + H)"
        assert theirs - ours == 4 * H  # "PyTorch counts 4H more"


def test_the_prediction_exercise_accepts_what_the_next_cell_computes(ch):
    assert ex.check("predict_h", ch.values["h_t"])
