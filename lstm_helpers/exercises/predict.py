"""Predictions: the student writes down a number, a shape or a choice before a cell computes it.

Each chapter has one such exercise: ``prediction = ...`` then ``exercises.check("predict_...",
prediction)``, and the cell after it computes the true value. A checker here compares the
prediction with the value the math gives (within a tolerance for numbers), names a known slip
when the prediction is one (a sum for a product, one step too many, ...), and otherwise says
only that it differs and in which direction, never the value itself.
"""
import numbers

import numpy as np

from ..i18n import tr
from .checking import NotAttempted, Wrong, describe


def _unanswered(answer):
    if answer is Ellipsis or answer is None:
        raise NotAttempted(tr("exercises_extra.predict_unanswered"))


def number(answer, want, what, slips=(), rel=0.02, abs_tol=0.0):
    """A real number within ``rel`` (relative) or ``abs_tol`` of ``want``; ``slips`` as (value, explanation)."""
    _unanswered(answer)
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (numbers.Real, np.ndarray)) \
            or np.ndim(answer) != 0:
        raise Wrong(tr("exercises_extra.predict_one_number", what=what, got=describe(answer)))
    value = float(answer)
    if not np.isfinite(value):
        raise Wrong(tr("exercises_extra.predict_finite", what=what, value=value))

    def near(a, b):
        return abs(a - b) <= max(rel * abs(b), abs_tol)
    if near(value, want):
        return
    for slip_value, explanation in slips:
        if near(value, slip_value):
            raise Wrong(tr("exercises_extra.predict_slip", explanation=explanation))
    raise Wrong(tr("exercises_extra.predict_too_large" if value > want else "exercises_extra.predict_too_small",
                   what=what))


def shape(answer, want, what, slips=()):
    """A tuple (or list) of whole numbers equal to ``want``; ``slips`` as (shape, explanation)."""
    _unanswered(answer)
    if not isinstance(answer, (tuple, list)) or not all(
            isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in answer):
        raise Wrong(tr("exercises_extra.predict_shape_tuple", what=what, got=describe(answer)))
    answer = tuple(int(n) for n in answer)
    if answer == tuple(want):
        return
    for slip_shape, explanation in slips:
        if answer == tuple(slip_shape):
            raise Wrong(tr("exercises_extra.predict_slip", explanation=explanation))
    if len(answer) != len(want):
        raise Wrong(tr("exercises_extra.predict_axes", what=what, want=len(want), got=len(answer)))
    raise Wrong(tr("exercises_extra.predict_sizes", what=what, n=len(want)))


def choice(answer, options, want, what, slips=None):
    """One of ``options`` (case and spaces ignored) equal to ``want``; ``slips`` maps a wrong option to a reason."""
    _unanswered(answer)
    if not isinstance(answer, str):
        raise Wrong(tr("exercises_extra.predict_choice_type", what=what, options=list(options), got=describe(answer)))
    picked = {o.lower(): o for o in options}.get(" ".join(answer.lower().split()))
    if picked is None:
        raise Wrong(tr("exercises_extra.predict_choice_unknown", what=what, options=list(options), answer=repr(answer)))
    if picked == want:
        return
    reason = (slips or {}).get(picked)
    if reason:
        raise Wrong(tr("exercises_extra.predict_choice_wrong_because", picked=repr(picked), reason=reason))
    raise Wrong(tr("exercises_extra.predict_choice_wrong", picked=repr(picked)))
