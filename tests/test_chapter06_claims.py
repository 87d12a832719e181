"""Chapter 06: what its prose says about its own run holds on that run (executed once per session)."""
import numpy as np

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


def test_the_questions_quote_this_run(ch):
    """06-qa: the parameter counts for D = 10, H = 20 and the largest |C_t| and |h_t| are this notebook's."""
    text = ch.source("06-qa")
    _, ours, theirs = ch.values["counts"]["10, 20"]
    assert f"our cell has {ours} parameters and PyTorch's {theirs}" in text and theirs - ours == 4 * 20
    assert f"$|C_t|$ reached {ch.values['largest_c']:.2f} while $|h_t|$ never passed {ch.values['largest_h']:.4f}" \
        in text


def test_the_questions_arithmetic():
    """06-qa's pure arithmetic: Keras counts 4H(H + D + 1), cuDNN 4H(H + D + 2) per direction; tanh's slope at 3."""
    def keras(D, H):
        return 4 * H * (H + D + 1)
    assert keras(1, 9) == 396 and keras(4096, 256) == 4_457_472 and keras(1, 2) == 32 and keras(3, 2) == 48
    assert 2 * keras(300, 300) == 1_442_400 and 2 * 4 * 300 * 602 == 1_444_800
    assert f"{1 - np.tanh(3.0) ** 2:.4f}" == "0.0099"
