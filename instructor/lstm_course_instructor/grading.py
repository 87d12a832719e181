"""Grading an exercise: the self-check a student sees, then the same check on hidden cases.

``grade(name, answer)`` runs ``exercises.check(name, answer)`` (the visible check, with the verdict the
student's own cell shows) and, for an exercise whose answer is a function, the same checker again under
each of ``HIDDEN_DRAWS``: other sizes and numbers, drawn from seeds that are here and nowhere in the
student package (``lstm_helpers.exercises.checking.fresh_draw``). The package's own cell functions stay
switched off inside the answer, as in the self-check. Each check that passes earns a point, so an answer
that holds on the visible cases but breaks on new sizes earns part of the marks. A prediction, or a
dictionary of labels, has no hidden cases: it is worth the one visible point.
"""
from typing import NamedTuple

from lstm_helpers import exercises
from lstm_helpers.exercises.checking import fresh_draw

HIDDEN_DRAWS = (7919, 104729, 1299709)  # the grader's draws: never shown to students


class Grade(NamedTuple):
    name: str
    points: int
    possible: int
    verdicts: tuple  # "correct" / "wrong" / "not attempted": the visible check first, then each hidden draw

    def __str__(self):
        return f"{self.name}: {self.points}/{self.possible} ({', '.join(self.verdicts)})"


def has_hidden_cases(name):
    """An answer that is a function is tried on cases; a prediction or a dict of labels is one value."""
    return bool(exercises.EXERCISES[name].call)


def grade(name, answer, draws=HIDDEN_DRAWS):
    """The Grade of ``answer`` for exercise ``name``: one point per check passed (visible, then hidden)."""
    verdicts = [exercises.check(name, answer).status]
    if has_hidden_cases(name):
        for draw in draws:
            with fresh_draw(draw):
                verdicts.append(exercises.check(name, answer).status)
    return Grade(name, sum(v == "correct" for v in verdicts), len(verdicts), tuple(verdicts))


def hidden_check(name, answer, k):
    """The check of ``answer`` on the k-th hidden draw (a Result, truthy when correct): an autograder's test."""
    with fresh_draw(HIDDEN_DRAWS[k]):
        return exercises.check(name, answer)
