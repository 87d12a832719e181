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
    "predict_bound": [(20.64, "whole number"), (20, "still above 0.01"), (22, "not the smallest"),
                      (5, "not lose 0.2"), (0.8 ** 20, "not for the bound's value"), (100, "too large"),
                      (10, "too small"), ("21", "one number")],
    "predict_conveyor": [(0.7, "not 1"), (0.35, "compound"), (0.99 ** 50, "share of C_0"), (0.0, "keeps most"),
                         (0.7 * 0.9 ** 50, "not 0.9"), (0.7 ** 50, "not by 0.7"), (34.65, "nothing is added"),
                         (1.0, "too large"), (0.2, "too small")],
    "predict_survival": [(F, "one step"), (10 * F, "multiply"), (1 - 10 * (1 - F), "compound"),
                         (2.0 ** -10, "sigma(b_f)"), (F ** 9, "10 forget gates"), (F ** 11, "10 forget gates"),
                         (0.5, "too large")],
    "predict_accumulate": [(0.5, "does not overwrite"), (0.5 ** 4, "not multiplied"), (1.5, "four writes"),
                           (2.5, "four writes"), (0.0, "whole candidate"), (4.0, "too large")],
    "predict_h": [(50.0, "squashed"), (1.0, "still scales"), (100.0, "squashed"), (1 / (1 + np.exp(-0.5)), "sigmoid again"),
                  (0.0, "not 0"), (0.25, "too small")],
    "predict_winner": [("RNN", "stayed at the baseline"), ("both", "stayed at the baseline"),
                       ("neither", "cell path"), ("GRU", "not one of them"), (1, "one of the strings")],
    "predict_eps": [("1e-11", "round-off"), (1e-11, "round-off"), ("1e-8", "round-off already dominates"),
                    ("1e-3", "truncation"), ("1e-1", "truncation"), (0.1, "truncation"), ("1e-6", "not one of them"),
                    (1e-6, "not one of them"), (True, "one of the strings")],
}
CATALOGUE = {name: [(repr(answer), answer, fragment) for answer, fragment in items]
             for name, items in _PREDICTIONS.items()}
RIGHT = {"predict_state_size": [1, 1.0, np.int64(1)], "predict_h_shape": [(4, 7, 5), [4, 7, 5]],
         "predict_bound": [21, 21.0, np.int64(21)], "predict_conveyor": [0.7 * 0.99 ** 50, 0.42],
         "predict_survival": [F ** 10, 0.28],
         "predict_accumulate": [2, 2.0], "predict_h": [0.5, 0.5 * np.tanh(100.0)],
         "predict_winner": ["LSTM", "lstm", " Lstm "],
         "predict_eps": ["1e-5", "1E-5", " 1e-05", "0.00001", 1e-5, np.float64(1e-5)]}


@pytest.mark.parametrize("name", list(RIGHT))
def test_right_predictions_pass_in_any_reasonable_spelling(name):
    for answer in RIGHT[name]:
        assert ex.check(name, answer), (name, answer)


def test_each_chapter_has_a_prediction_with_a_catalogue():
    predictions = [name for name in ex.EXERCISES if name.startswith("predict_")]
    assert sorted(predictions) == sorted(CATALOGUE) and len(predictions) == 9
    for name in predictions:
        assert ex.check(name, ...).status == "not attempted"
