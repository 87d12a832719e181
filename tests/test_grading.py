"""Grading that holds (lstm_course_instructor.grading): the model answers earn full marks, the notebooks'
blank templates nothing, and no wrong answer of the chapters' catalogues a single point, on the visible
cases and on the hidden ones; the hidden cases are new sizes and numbers, so an answer fitted to the
cases a student saw earns only the visible point.
"""
import ast
import os

import numpy as np
import pytest
from test_exercises import CELLS, solution_answer, template_module
from test_exercises_catalogue import CASES

from lstm_helpers import exercises as ex
from lstm_helpers.exercises.checking import cases, fresh_draw

try:
    from lstm_course_instructor import grading
except ImportError:
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but lstm_course_instructor is not installed (course.py test installs it)", pytrace=False)
    pytest.skip("the instructor's package is not installed (python course.py test installs it)",
                allow_module_level=True)


def template_answer(name, src, tmp_path):
    """What a student who changed nothing submits: the object the cell's exercises.check call passes."""
    module, check = template_module(name, src, tmp_path)
    return eval(compile(ast.Expression(check.args[1]), "<cell>", "eval"), vars(module))


@pytest.mark.parametrize("name", list(ex.EXERCISES))
def test_the_model_answer_earns_full_marks(name):
    g = grading.grade(name, solution_answer(name))
    assert g.points == g.possible == (1 + len(grading.HIDDEN_DRAWS) if grading.has_hidden_cases(name) else 1), g


@pytest.mark.parametrize("notebook,name,src", CELLS, ids=[f"{nb}:{name}" for nb, name, _ in CELLS])
def test_a_blank_template_earns_nothing(notebook, name, src, tmp_path):
    g = grading.grade(name, template_answer(name, src, tmp_path))
    assert g.points == 0 and set(g.verdicts) == {"not attempted"}, g


@pytest.mark.parametrize("name,label,answer,fragment", CASES, ids=[f"{n}:{l}" for n, l, _, _ in CASES])
def test_no_wrong_answer_of_the_catalogues_earns_a_point(name, label, answer, fragment):
    g = grading.grade(name, answer)
    assert g.points == 0, g


def test_the_hidden_cases_are_new_sizes_and_numbers():
    visible = cases(17)
    with fresh_draw(grading.HIDDEN_DRAWS[0]):
        hidden = cases(17)
    assert [c[:3] for c in visible[:3]] != [c[:3] for c in hidden[:3]], "other sizes"
    assert visible[-1].rng.standard_normal() != hidden[-1].rng.standard_normal(), "other numbers"
    assert [c[:3] for c in cases(17)] == [c[:3] for c in visible], "outside, the self-check's cases as before"


def test_an_answer_fitted_to_the_visible_cases_earns_only_the_visible_point():
    """It returns the right array for every input it saw in the self-check, and zeros for any other."""
    model = solution_answer("written")
    seen = set()

    def recording(W, b, x_t, h_prev):
        seen.add((W.shape, x_t.shape, h_prev.shape))
        return model(W, b, x_t, h_prev)
    assert ex.check("written", recording)

    def fitted(W, b, x_t, h_prev):
        H = h_prev.shape[1]
        if (W.shape, x_t.shape, h_prev.shape) in seen:
            hx = np.concatenate([h_prev, x_t], axis=1)
            z = hx @ W.T + b
            return 1 / (1 + np.exp(-z[:, :H])) * np.tanh(z[:, H:])
        return np.zeros_like(h_prev)
    g = grading.grade("written", fitted)
    assert g.verdicts[0] == "correct" and g.points == 1 < g.possible, g
