"""The prediction exercises (one per chapter): the right prediction passes, plausible wrong ones are named.

That the value each chapter's next cell computes is the one accepted is checked on the chapter's
own run, in tests/test_chapterNN_claims.py.
"""
import numpy as np
import pytest

from lstm_helpers import exercises as ex

F = 1 / (1 + np.exp(-2.0))  # σ(2)
_PREDICTIONS = {
    "predict_state_size": [(300, "overwritten"), (600, "fixed size"), (2, "D = 2"), (301, "overwritten"),
                           (0, "too small"), (1.5, "too large"), ("1", "one number")],
    "predict_h_shape": [((4, 5), "every step"), ((7, 4, 5), "batch first"), ((4, 7, 3), "not D"),
                        ((4, 7, 8), "width of W"), ((5, 7, 4), "(B, T, H)"), ((4, 7), "3 axes"),
                        ("(4, 7, 5)", "tuple of whole numbers"), ((4.0, 7.0, 5.0), "tuple of whole numbers")],
    "predict_bound": [(5.0, "multiply"), (0.5 ** 9, "T - t = 10"), (0.5 ** 11, "T - t = 10"), (1.0, "norm 0.5"),
                      (0.5, "ten"), (0.1, "too large"), (1e-6, "too small")],
    "predict_conveyor": [(0.0, "keeps all"), (0.7 ** 50, "multiplies by 1"), (35.0, "nothing is added"),
                         (0.35, "forced fully open"), (1.0, "too large"), (0.69, "too small")],
    "predict_survival": [(F, "one step"), (10 * F, "multiply"), (1 - 10 * (1 - F), "compound"),
                         (2.0 ** -10, "sigma(b_f)"), (F ** 9, "10 forget gates"), (F ** 11, "10 forget gates"),
                         (0.5, "too large")],
    "predict_accumulate": [(0.5, "does not overwrite"), (0.5 ** 4, "not multiplied"), (1.5, "four writes"),
                           (2.5, "four writes"), (0.0, "whole candidate"), (4.0, "too large")],
    "predict_h": [(50.0, "squashed"), (1.0, "still scales"), (100.0, "squashed"), (1 / (1 + np.exp(-0.5)), "sigmoid again"),
                  (0.0, "not 0"), (0.25, "too small")],
    "predict_winner": [("RNN", "stayed at the baseline"), ("both", "stayed at the baseline"),
                       ("neither", "cell path"), ("GRU", "not one of them"), (1, "one of the strings")],
}
CATALOGUE = {name: [(repr(answer), answer, fragment) for answer, fragment in items]
             for name, items in _PREDICTIONS.items()}
RIGHT = {"predict_state_size": [1, 1.0, np.int64(1)], "predict_h_shape": [(4, 7, 5), [4, 7, 5]],
         "predict_bound": [0.5 ** 10, 0.000977], "predict_conveyor": [0.7], "predict_survival": [F ** 10, 0.28],
         "predict_accumulate": [2, 2.0], "predict_h": [0.5, 0.5 * np.tanh(100.0)],
         "predict_winner": ["LSTM", "lstm", " Lstm "]}


@pytest.mark.parametrize("name", list(RIGHT))
def test_right_predictions_pass_in_any_reasonable_spelling(name):
    for answer in RIGHT[name]:
        assert ex.check(name, answer), (name, answer)


def test_each_chapter_has_a_prediction_with_a_catalogue():
    predictions = [name for name in ex.EXERCISES if name.startswith("predict_")]
    assert sorted(predictions) == sorted(CATALOGUE) and len(predictions) == 8
    for name in predictions:
        assert ex.check(name, ...).status == "not attempted"
