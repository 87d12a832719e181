"""Predictions: the student writes down a number, a shape or a choice before a cell computes it.

Each chapter has one such exercise: ``prediction = ...`` then ``exercises.check("predict_...",
prediction)``, and the cell after it computes the true value. A checker here compares the
prediction with the value the math gives (within a tolerance for numbers), names a known slip
when the prediction is one (a sum for a product, one step too many, ...), and otherwise says
only that it differs and in which direction, never the value itself.
"""
import numbers

import numpy as np

from .checking import NotAttempted, Wrong, describe


def _unanswered(answer):
    if answer is Ellipsis or answer is None:
        raise NotAttempted("replace the `...` with your prediction, then run the cell again")


def number(answer, want, what, slips=(), rel=0.02, abs_tol=0.0):
    """A real number within ``rel`` (relative) or ``abs_tol`` of ``want``; ``slips`` as (value, explanation)."""
    _unanswered(answer)
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (numbers.Real, np.ndarray)) \
            or np.ndim(answer) != 0:
        raise Wrong(f"predict {what} as one number (an int or a float); yours is {describe(answer)}")
    value = float(answer)
    if not np.isfinite(value):
        raise Wrong(f"predict {what} as a finite number; yours is {value}")

    def near(a, b):
        return abs(a - b) <= max(rel * abs(b), abs_tol)
    if near(value, want):
        return
    for slip_value, explanation in slips:
        if near(value, slip_value):
            raise Wrong(f"not quite: {explanation}")
    raise Wrong(f"your prediction of {what} is too {'large' if value > want else 'small'}; run the next cell and "
                "see why")


def shape(answer, want, what, slips=()):
    """A tuple (or list) of whole numbers equal to ``want``; ``slips`` as (shape, explanation)."""
    _unanswered(answer)
    if not isinstance(answer, (tuple, list)) or not all(
            isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in answer):
        raise Wrong(f"predict {what} as a tuple of whole numbers, such as (2, 3); yours is {describe(answer)}")
    answer = tuple(int(n) for n in answer)
    if answer == tuple(want):
        return
    for slip_shape, explanation in slips:
        if answer == tuple(slip_shape):
            raise Wrong(f"not quite: {explanation}")
    if len(answer) != len(want):
        raise Wrong(f"{what} has {len(want)} axes; your prediction has {len(answer)}")
    raise Wrong(f"{what} has {len(want)} axes as you say, but not those sizes: ask which letter (B, T, D, H) "
                "each axis counts")


def choice(answer, options, want, what, slips=None):
    """One of ``options`` (case and spaces ignored) equal to ``want``; ``slips`` maps a wrong option to a reason."""
    _unanswered(answer)
    if not isinstance(answer, str):
        raise Wrong(f"predict {what} as one of the strings {list(options)}; yours is {describe(answer)}")
    picked = {o.lower(): o for o in options}.get(" ".join(answer.lower().split()))
    if picked is None:
        raise Wrong(f"predict {what} as one of {list(options)}; {answer!r} is not one of them")
    if picked == want:
        return
    reason = (slips or {}).get(picked)
    raise Wrong(f"not {picked!r}" + (f": {reason}" if reason else "") + "; run the next cells and see")
