"""Every exercise's catalogue of plausible wrong answers comes back "wrong", with its slip named.

The catalogues live beside each chapter's other exercise tests (tests/test_exercises_chNN.py and
tests/test_exercises_predictions.py, each a dict CATALOGUE: name -> [(label, answer, fragment)]);
this module runs them all, and holds every exercise to at least five.
"""
import importlib

import pytest
from test_exercises import assert_wrong

from lstm_helpers import exercises as ex

MODULES = [f"test_exercises_ch{k:02d}" for k in range(11)] + ["test_exercises_predictions"]
CATALOGUE = {}
for _module in MODULES:
    for _name, _items in importlib.import_module(_module).CATALOGUE.items():
        CATALOGUE.setdefault(_name, []).extend(_items)
CASES = [(name, label, answer, fragment) for name, items in CATALOGUE.items() for label, answer, fragment in items]


@pytest.mark.parametrize("name,label,answer,fragment", CASES, ids=[f"{n}:{l}" for n, l, _, _ in CASES])
def test_plausible_wrong_answers_are_wrong_and_named(name, label, answer, fragment):
    assert_wrong(name, answer, fragment)


def test_every_exercise_has_a_catalogue_of_at_least_five():
    assert set(CATALOGUE) == set(ex.EXERCISES)
    for name in ex.EXERCISES:
        assert len(CATALOGUE[name]) >= 5, name
